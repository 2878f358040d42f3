"""Handouts that print (issue #12 item 4): headless Chromium prints a thread's and a path's 讲义 to PDF on A4
(emulated print media, CDP Page.printToPDF), and the PDF holds every case's full text, one case per page start."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import lxml.html
import pytest
from conftest import Build

from site_builder.diagnostics import Diagnostic
from site_builder.model import Corpus
from site_builder.render.card import lay_out_body

A4 = (595, 842)  # points; Chromium writes 595.92 × 842.88


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _print(browser: object, page_file: Path, shot: Path | None = None) -> bytes:
    from pypdf import PdfReader  # noqa: F401  (imported here so a missing dev dependency fails this test only)

    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(page_file.as_uri())
    page.wait_for_selector(".diary-print-button")  # the button the script adds
    page.emulate_media(media="print")
    assert not page.is_visible(".diary-print-button")  # hidden in print
    assert not page.is_visible(".md-header") and not page.is_visible(".md-footer")
    if shot is not None:
        page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
        page.screenshot(path=str(shot), full_page=True)
    cdp = context.new_cdp_session(page)
    result = cdp.send("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69, "printBackground": True,
                                          "preferCSSPageSize": True})
    context.close()
    return base64.b64decode(result["data"])


def _pdf_text(data: bytes, tmp: Path) -> tuple[list[str], list[tuple[float, float]]]:
    from pypdf import PdfReader

    path = tmp / "out.pdf"
    path.write_bytes(data)
    reader = PdfReader(path)
    return ([p.extract_text() or "" for p in reader.pages],
            [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages])


def _body_text(entry_body: str) -> str:
    """The body as a reader sees it (Markdown marks are formatting, not text)."""
    return re.sub(r"[*#>`]", "", lay_out_body(entry_body))


@pytest.mark.parametrize("kind", ["thread", "path"])
def test_handout_prints_every_case_in_full_on_a4(sample_site: Build, sample_corpus: tuple[Corpus, list[Diagnostic]],
                                                 browser: object, tmp_path: Path, kind: str) -> None:
    corpus, _ = sample_corpus
    if kind == "thread":
        thread = next(t for t in corpus.threads() if t.title == "湖光小区物业弃管")
        slug, entries, questions = thread.id, list(thread.entries), []
    else:
        path = next(p for p in corpus.curriculum if p.title == "物业弃管小区怎么办")
        slug = path.slug
        entries = [e for s in path.steps for e in s.entries]
        questions = [q for s in path.steps for q in s.questions]
    page_file = sample_site.site / "handouts" / f"{kind}-{slug}.html"
    html = page_file.read_text(encoding="utf-8")
    cases = lxml.html.fromstring(html).xpath('//div[@class="diary-handout-case"]')
    assert len(cases) == len(entries)

    pages, boxes = _pdf_text(_print(browser, page_file, tmp_path / f"{kind}.png"), tmp_path)
    assert all(round(w) == A4[0] and round(h) == A4[1] for w, h in boxes), boxes
    text = _squash("".join(pages))
    for e in entries:
        assert _squash(e.title) in text, e.title
        for line in _body_text(e.body).splitlines():
            assert _squash(line) in text, (e.title, line)  # the full text, not a one-line summary
        for note in (*e.discussion, *e.takeaways):
            assert _squash(note) in text, note
    for q in questions:
        assert _squash(q) in text, q
    # the first case shares page 1 with the cover line; every later case starts a printed page (its step heading,
    # on a path, and its title at the top of some page)
    assert _squash(entries[0].title) in _squash(pages[0])
    tops = [_squash(p)[:200] for p in pages]
    for e in entries[1:]:
        assert any(_squash(e.title) in top for top in tops), f"{e.title} does not start a page"
    assert len(pages) >= len(entries)
    assert "打印/存为PDF" not in text and "返回网页版" not in text  # the screen-only bar is not printed
