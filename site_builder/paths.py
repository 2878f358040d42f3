"""Where every generated page lives. URLs are ASCII and depend only on the thing they show."""

from __future__ import annotations

import posixpath

HOME = "index.md"
SEARCH = "search/index.md"
TOPICS = "topics/index.md"
METHODS = "methods/index.md"
YEARS = "years/index.md"
CASES = "cases/index.md"
GLOSSARY = "glossary.md"
SEARCH_ASSETS = "search-data"  # folder of the static index in the built site (search/ holds the page)
STATS = "stats/index.md"
COMMUNITIES = "communities/index.md"
LEARNING_PATHS = "paths/index.md"  # issue #12 item 2 (the module named paths.py is this one: URLs of pages)


def entry(entry_id: str) -> str:
    return f"entries/{entry_id}.md"


def topic(slug: str) -> str:
    return f"topics/{slug}.md"


def method(slug: str) -> str:
    return f"methods/{slug}.md"


def year(y: int) -> str:
    return f"years/{y}.md"


def case(case_id: str) -> str:
    return f"cases/{case_id}.md"


def community(slug: str) -> str:
    return f"communities/{slug}.md"


def learning_path(slug: str) -> str:
    return f"paths/{slug}.md"


def handout(kind: str, slug: str) -> str:
    """A printable 讲义: kind is thread, topic or path."""
    return f"handouts/{kind}-{slug}.md"


def entry_url(entry_id: str, directory_urls: bool) -> str:
    """Site-relative URL of an entry page, as the search index stores it (MkDocs' `use_directory_urls` decides)."""
    return f"entries/{entry_id}/" if directory_urls else f"entries/{entry_id}.html"


def rel(from_src: str, to_src: str) -> str:
    """A Markdown link from one generated page to another; MkDocs turns it into the right URL.

    Called tens of thousands of times per build (every list links every entry); string work instead of
    posixpath.relpath, which normalises both paths on every call.
    """
    from_dir = from_src.rpartition("/")[0]
    to_dir, _, to_name = to_src.rpartition("/")
    if from_dir == to_dir:
        return to_name
    if not from_dir:
        return to_src
    if to_dir.startswith(from_dir + "/"):
        return to_src[len(from_dir) + 1:]
    return posixpath.relpath(to_src, from_dir) if "/" in from_dir else "../" + to_src


def url(src: str, directory_urls: bool) -> str:
    """Site-relative URL of a page, as MkDocs gives it (`use_directory_urls` decides; an index is its folder)."""
    stem = src[:-3]  # every generated page ends in .md
    if not directory_urls:
        return stem + ".html"
    if stem == "index":
        return "./"
    return stem[:-5] if stem.endswith("/index") else stem + "/"


def href(from_src: str, to_src: str, directory_urls: bool) -> str:
    """The final relative URL of one generated page from another, for links the templates write as HTML (MkDocs
    rewrites only Markdown links, so these must be what MkDocs would have made of `rel(from_src, to_src)`)."""
    if not directory_urls:
        return rel(from_src, to_src)[:-3] + ".html"
    from_url, to_url = url(from_src, True), url(to_src, True)
    base = from_url.rpartition("/")[0] or "."
    out = posixpath.relpath(to_url, base)
    if to_url.endswith("/"):
        out = "./" if out == "." else out + "/"
    return out

