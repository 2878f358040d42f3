"""Reading: diaries/ on disk → Corpus + every Diagnostic. `load.load_corpus` is the one way in for the site and
the CLI.

discover (which files are entries) → safe_read (bytes, never blocking) → frontmatter (text, YAML, line numbers)
→ fields (front matter → Entry; dates.py, taxonomy.py resolve names) → load (cross-file checks, privacy, tagging,
learning paths). Nothing is re-exported here: importing one small stage (dates for `diary new`) must not load them
all (the privacy guard, pypinyin).
"""
