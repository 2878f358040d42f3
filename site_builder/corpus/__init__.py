"""Reading: diaries/ on disk → Corpus + every Diagnostic. `load_corpus` is the one way in for the site and the CLI.

discover (which files are entries) → safe_read (bytes, never blocking) → frontmatter (text, YAML, line numbers)
→ fields (front matter → Entry; dates.py, taxonomy.py resolve names) → load (cross-file checks, privacy, tagging,
learning paths). Only `load_corpus` and `LoadCache` are re-exported: a reader of a single stage imports its module.
"""

from .load import LoadCache, load_corpus

__all__ = ["LoadCache", "load_corpus"]
