"""How published entries connect, computed from a Corpus: case threads, communities, related cases, 推荐先读,
learning paths (diaries/paths.yml) and the statistics. No I/O except curriculum reading paths.yml."""
