"""Corpus → the Markdown of every generated page. The wording lives in templates/."""
