"""民生日记 · 社区工作百科: turn a community worker's diaries into a searchable static site of case methods."""

__version__ = "0.1.0"
