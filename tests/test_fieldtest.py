"""Diaries written by secretaries who never saw our code (../shared/fieldtest), built unchanged with our taxonomy.

Every entry must be published and every case thread of gold.yml must have a page that lists its entries in date
order under its name. The set is not ours: a failure here is a product bug, not a test to adjust.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import FIELDTEST, REPO, Build


def _gold() -> list[dict[str, object]]:
    assert FIELDTEST.is_dir(), f"{FIELDTEST} is missing: the field-test set is part of the checkout's shared/ folder"
    return list(yaml.safe_load((FIELDTEST / "gold.yml").read_text(encoding="utf-8")))


def _text(page: str) -> str:
    article = re.search(r"<article[^>]*>(.*?)</article>", page, re.S)
    assert article, "page has no <article>"
    return html.unescape(re.sub(r"<[^>]+>", " ", article.group(1)))


def _entry_pages(site: Path) -> dict[str, str]:
    """Entry page text by the title in its <h1>."""
    pages = {}
    for p in (site / "entries").glob("*.html"):
        page = p.read_text(encoding="utf-8")
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
        assert h1, p
        pages[html.unescape(re.sub(r"<[^>]+>", "", h1.group(1))).strip()] = page
    return pages


def _titles() -> dict[str, str]:
    """File name → title as written, read the simple way a reader would."""
    titles = {}
    for f in sorted((FIELDTEST / "diaries").glob("*.md")):
        head = yaml.safe_load(f.read_text(encoding="utf-8").split("---")[1])
        titles[f.name] = str(next(head[k] for k in ("title", "标题", "標題") if k in head)).strip()
    return titles


def test_build_has_no_traceback(field_site: Build) -> None:
    assert field_site.returncode == 0, field_site.output
    assert "Traceback" not in field_site.output


def test_every_entry_is_published(field_site: Build) -> None:
    titles = _titles()
    assert len(titles) == len(_gold()) == 45
    published = _entry_pages(field_site.site)
    missing = sorted(name for name, title in titles.items() if title not in published)
    assert not missing, f"not published: {missing}\n{field_site.output}"


def test_every_gold_thread_has_a_page_in_date_order(field_site: Build) -> None:
    gold = _gold()
    threads: dict[str, list[str]] = {}
    for g in gold:
        if g.get("case"):
            threads.setdefault(str(g["case"]), []).append(str(g["file"]))
    assert len(threads) >= 5
    titles = _titles()
    pages = {p: p.read_text(encoding="utf-8") for p in (field_site.site / "cases").glob("*.html")
             if p.name != "index.html"}
    assert len(pages) == len(threads), sorted(pages)
    index = _text(field_site.html("cases/index.html"))
    for name, files in threads.items():
        files.sort()  # file names carry the date: sorted names are date order
        written = {str(g["case_written"]) for g in gold if g.get("case") == name}
        page = next((pg for pg in pages.values() if any(w in _text(pg).split("\n")[0] or
                                                         f"案例线索：{w}" in _text(pg) for w in written)), None)
        assert page is not None, f"no thread page named {written}"
        text = _text(page)
        positions = [text.find(titles[f]) for f in files]
        assert -1 not in positions, (name, [f for f, p in zip(files, positions, strict=True) if p == -1])
        assert positions == sorted(positions), f"{name}: entries not in date order"
        assert any(w in index for w in written), f"cases index does not list {written}"


def test_thread_is_named_on_its_entries(field_site: Build) -> None:
    published = _entry_pages(field_site.site)
    titles = _titles()
    for g in _gold():
        if not g.get("case"):
            continue
        text = re.sub(r"\s+", "", _text(published[titles[str(g["file"])]]))
        assert f"案例线索：{g['case_written']}" in text or f"案例线索：{g['case']}" in text, g["file"]
        page = published[titles[str(g["file"])]]
        assert re.search(r'href="\.\./cases/[a-z0-9-]+\.html"', page), "thread link is an ASCII URL"


def test_diary_check_reports_no_error() -> None:
    proc = subprocess.run([sys.executable, "-m", "site_builder", "--root", str(REPO), "check",
                           str(FIELDTEST / "diaries")], capture_output=True, text=True, timeout=300)
    assert "Traceback" not in proc.stderr
    assert "错误[" not in proc.stdout, proc.stdout
    assert proc.returncode == 0, proc.stdout + proc.stderr
