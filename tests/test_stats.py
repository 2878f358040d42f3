"""The statistics page and `diary stats --json` against numbers recomputed here from the corpus.

The expected numbers are counted in this file with plain loops over the published entries (not with
site_builder.structure.stats), then compared with the tables of the built /stats/ page (parsed from its HTML) and
with the JSON of `diary stats`. The charts are checked for what a reader sees: one bar per table row, bar lengths in
proportion, labels escaped.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import Build

from site_builder.cli import main
from site_builder.corpus.load import load_corpus
from site_builder.model import Corpus, Settings
from site_builder.render.stats_svg import bar_chart
from site_builder.text.fold import fold


class _Tables(HTMLParser):
    """Rows of every <table> inside <div id=ID>, cells as visible text."""

    def __init__(self, div_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.div_id, self.depth = div_id, 0
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.svg_bars = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.depth += tag == "div"
            if tag == "tr":
                self.rows.append([])
            elif tag in ("td", "th"):
                self.cell = []
            elif tag == "rect":
                self.svg_bars += 1
        elif tag == "div" and dict(attrs).get("id") == self.div_id:
            self.depth = 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth and tag == "rect":
            self.svg_bars += 1

    def handle_endtag(self, tag: str) -> None:
        if not self.depth:
            return
        if tag == "div":
            self.depth -= 1
        elif tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.depth and self.cell is not None:
            self.cell.append(data)


def table(page: str, div_id: str) -> tuple[list[str], list[list[str]], int]:
    parser = _Tables(div_id)
    parser.feed(page)
    assert parser.rows, f"no table in #{div_id}"
    return parser.rows[0], parser.rows[1:], parser.svg_bars


def counts(page: str, div_id: str) -> dict[str, int]:
    head, rows, bars = table(page, div_id)
    assert head == [head[0], "篇数"]
    assert bars == len(rows), f"#{div_id}: {bars} bars for {len(rows)} rows"
    return {label: int(n) for label, n in rows}


@pytest.fixture(scope="module")
def corpus(sample_site: Build) -> Corpus:
    root = sample_site.root
    found, _ = load_corpus(Settings(root / "diaries", root / ".cache" / "diary"))
    return found


@pytest.fixture(scope="module")
def expected(corpus: Corpus) -> dict[str, object]:
    """The numbers, counted here without site_builder.structure.stats."""
    entries = corpus.entries
    topics = {t.slug: t.name for t in corpus.taxonomy.topics}
    methods = {m.slug: m.name for m in corpus.taxonomy.methods}
    first, last = min(e.year for e in entries), max(e.year for e in entries)
    by_topic = Counter(topics[s] for e in entries for s in e.all_topics if s in topics)
    if any(not e.all_topics for e in entries):
        by_topic["未分主题"] = sum(1 for e in entries if not e.all_topics)
    by_community = Counter(fold(e.community) for e in entries if e.community)
    if any(not e.community for e in entries):
        by_community["未写社区"] = sum(1 for e in entries if not e.community)
    status = Counter(e.status or "未注明" for e in entries)
    for s in ("已解决", "跟进中", "未解决"):
        status.setdefault(s, 0)
    cells = Counter((topics[s], e.year) for e in entries for s in e.all_topics if s in topics)
    threads: dict[str, list[object]] = {}
    for t in corpus.threads():
        threads[t.id] = list(t.entries)
    open_matters = sorted(
        [(t.entries[-1].date.isoformat(), t.title) for t in corpus.threads() if t.entries[-1].status == "跟进中"]
        + [(e.date.isoformat(), e.title) for e in entries
           if e.status == "跟进中" and not any(e in members for members in threads.values())])
    return {
        "total": len(entries),
        "by_year": {f"{y}年": sum(1 for e in entries if e.year == y) for y in range(first, last + 1)},
        "by_topic": dict(by_topic), "by_community": dict(by_community),
        "by_method": dict(Counter(methods[s] for e in entries for s in e.methods if s in methods)),
        "by_status": dict(status), "years": list(range(first, last + 1)),
        "topic_year": {name: [cells[name, y] for y in range(first, last + 1)] for name in by_topic
                       if name != "未分主题"},
        "open": open_matters,
    }


def test_stats_page_tables_are_the_corpus_numbers(sample_site: Build, expected: dict[str, object]) -> None:
    page = sample_site.html("stats/index.html")
    lead = re.search(r'<p class="diary-lead">(.*?)</p>', page, re.S)
    assert lead and f"共 <strong>{expected['total']}</strong> 篇日记" in lead.group(1)
    for key in ("year", "topic", "community", "method", "status"):
        shown = counts(page, f"stat-{key}")
        want = expected[f"by_{key}"]
        assert isinstance(want, dict)
        assert {fold(k): v for k, v in shown.items()} == {fold(k): v for k, v in want.items()}, key
    # the topic × year table: one column per year from the first to the last, a total per topic
    head, rows, _ = table(page, "stat-topic-year")
    assert head == ["主题", *[str(y) for y in expected["years"]], "合计"]  # type: ignore[attr-defined]
    shown_cells = {r[0]: [0 if c == "·" else int(c) for c in r[1:-1]] for r in rows}
    assert shown_cells == expected["topic_year"]
    assert all(int(r[-1]) == sum(shown_cells[r[0]]) for r in rows)
    # matters still 跟进中 with nothing written after them, oldest first
    _, rows, _ = table(page, "stat-open")
    open_rows = [(r[0], html.unescape(r[1])) for r in rows]
    assert sorted(open_rows) == expected["open"] and [d for d, _ in open_rows] == sorted(d for d, _ in open_rows)
    assert len(rows) > 10  # the sample diaries have many; a table that lost them would not pass unnoticed


def test_diary_stats_json_agrees_with_the_page(sample_site: Build, expected: dict[str, object],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(sample_site.root), "stats", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == expected["total"] and data["years"] == expected["years"]
    for key in ("year", "topic", "community", "method", "status"):
        got = {fold(r["label"]): r["count"] for r in data[f"by_{key}"]}
        want = expected[f"by_{key}"]
        assert isinstance(want, dict)
        assert got == {fold(k): v for k, v in want.items()}, key
    assert {t["name"]: t["counts"] for t in data["topic_year"]} == expected["topic_year"]
    assert sorted((m["date"], m["thread_title"] or m["title"]) for m in data["open_matters"]) == expected["open"]
    # and the terminal report says the same total
    assert main(["--root", str(sample_site.root), "stats"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"共 {expected['total']} 篇公开的日记") and "按社区" in out


def test_stats_rows_link_to_their_pages(sample_site: Build) -> None:
    page = sample_site.html("stats/index.html")
    for key, folder in (("topic", "topics"), ("community", "communities"), ("method", "methods"),
                        ("year", "years")):
        block = page[page.index(f'id="stat-{key}"'):]
        block = block[:block.index("</table>")]
        links = re.findall(r'href="\.\./([^"]+)"', block)
        assert links, key
        for link in links:
            assert link.startswith(f"{folder}/") and (sample_site.site / link).is_file(), link


def test_bar_chart_scales_and_escapes() -> None:
    svg = bar_chart([("甲", 10), ("<b>乙</b>", 5), ("一个非常非常长的社区名字在这里", 0)], title="a&b")
    widths = [float(w) for w in re.findall(r'<rect[^>]* width="([\d.]+)"', svg)]
    assert len(widths) == 3 and widths[0] == pytest.approx(2 * widths[1]) and widths[2] == 0
    assert "<b>" not in svg and "&lt;b&gt;乙" in svg and "a&amp;b" in svg
    assert "一个非常非常长的社…" in svg and "<title>一个非常非常长的社区名字在这里：0</title>" in svg
    assert bar_chart([], title="x") == ""


def test_stats_page_reads_on_a_phone(sample_site: Build, browser: object, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740})  # type: ignore[attr-defined]
    try:
        p = context.new_page()
        p.goto((sample_site.site / "stats" / "index.html").as_uri())
        assert p.evaluate("document.documentElement.scrollWidth") <= 360  # the wide tables scroll inside
        chart = p.locator("#stat-topic svg.diary-chart")
        box = chart.bounding_box()
        assert box is not None and box["width"] <= 360 and box["width"] > 250
        # chart labels stay legible: at least 11 CSS px on the phone
        size = p.evaluate("(() => { const t = document.querySelector('#stat-topic .diary-chart__label');"
                          " return t.getBoundingClientRect().height; })()")
        assert size >= 11, size
        # the table sits under the chart on a phone, beside it on a desktop
        table_box = p.locator("#stat-topic table").bounding_box()
        assert table_box is not None and table_box["y"] > box["y"] + box["height"] - 1
        p.set_viewport_size({"width": 1280, "height": 900})
        box, table_box = chart.bounding_box(), p.locator("#stat-topic table").bounding_box()
        assert box is not None and table_box is not None and table_box["x"] > box["x"] + box["width"] - 1
    finally:
        context.close()
