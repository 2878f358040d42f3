"""Every generated page type of the sample site has the structure it promises — not only the right words.

A list page is a <ul> with one <li> per item (they once rendered as one run-on paragraph with a literal
`{: .diary-lead }`), and no page shows attribute-list syntax or raw Markdown as text.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from conftest import Build


def _article(page: str) -> str:
    m = re.search(r"<article[^>]*>(.*?)</article>", page, re.S)
    assert m, "no <article>"
    return m.group(1)


def _visible_text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def _list_items(article: str) -> list[str]:
    lists = re.findall(r"<ul>(.*?)</ul>", article, re.S)
    assert lists, "no <ul> in the page"
    return re.findall(r"<li>(.*?)</li>", max(lists, key=len), re.S)


def test_index_pages_are_lists_with_one_item_each(sample_site: Build) -> None:
    site = sample_site.site
    expected = {
        "topics/index.html": len(list((site / "topics").glob("*.html"))) - 1,
        "methods/index.html": len(list((site / "methods").glob("*.html"))) - 1,
        "cases/index.html": len(list((site / "cases").glob("*.html"))) - 1,
        "years/index.html": len(list((site / "years").glob("*.html"))) - 1,
    }
    for rel, count in expected.items():
        items = _list_items(_article(sample_site.html(rel)))
        assert count > 0 and len(items) == count, (rel, len(items), count)
        assert all(re.search(r'<a href="[^"]+\.html"', li) for li in items), rel


def test_year_pages_list_every_entry_of_the_year(sample_site: Build) -> None:
    site = sample_site.site
    years = sorted(p for p in (site / "years").glob("*.html") if p.stem.isdigit())
    assert len(years) >= 10
    for p in years:
        article = _article(p.read_text(encoding="utf-8"))
        count = int(re.search(r"共 (\d+) 篇", _visible_text(article)).group(1))  # type: ignore[union-attr]
        assert len(_list_items(article)) == count, p.name


def test_no_page_shows_markdown_syntax_as_text(sample_site: Build) -> None:
    site: Path = sample_site.site
    pages = [p for p in site.rglob("*.html") if "search-data" not in p.parts]
    assert len(pages) > 400
    for p in pages:
        page = p.read_text(encoding="utf-8")
        if "<article" not in page:
            continue
        text = _visible_text(_article(page))
        assert "{:" not in text, p
        assert not re.search(r"\]\([^)]*\.md\)", text), p  # an unconverted Markdown link
