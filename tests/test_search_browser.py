"""The built site's search in headless Chromium: header box, /search/ page, both scripts, file://, and the same
answers as `diary search` for a shared set of queries."""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from site_builder.build_cache import BuildCache
from site_builder.cli import main
from site_builder.corpus.discover import sources_fingerprint
from site_builder.corpus.load import load_corpus
from site_builder.model import Settings
from site_builder.search.postings import doc_terms
from site_builder.search.static_index import PARTIAL_LINE
from site_builder.search.whoosh_index import DiaryIndex
from site_builder.text.analyzer import get_analyzer

# the queries a trainee types; the site and the CLI must return the same entries for each
SHARED_QUERIES = ["马葫芦堵了咋整", "物業棄管", "物业不管了怎么办", "低保", "独居老人", "屋顶 漏水", "留守兒童",
                  "小广告", "暖气不热找谁", "蒲公英之家", "四步议事工作法", "疫情 隔离"]
# our own set in a trainee's voice over the sample diaries (benchmarks/queries_trainee.yml holds what is relevant)
TRAINEE_QUERIES = [str(q["query"]) for q in yaml.safe_load(
    (REPO / "benchmarks" / "queries_trainee.yml").read_text(encoding="utf-8"))]


@pytest.fixture(scope="module")
def served(sample_site) -> Iterator[str]:  # type: ignore[no-untyped-def]
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(sample_site.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    p = ctx.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    yield p
    ctx.close()
    assert errors == []


def result_titles(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.locator("#diary-results .diary-result__title").all_inner_texts()


def search_page(page, base: str, q: str) -> list[str]:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/search/index.html")
    page.fill("#diary-q", q)
    page.wait_for_function("document.querySelector('#diary-search-page').dataset.state === 'done'"
                           " && document.querySelector('#diary-meta').textContent.length > 0")
    return result_titles(page)


def test_search_page_crosses_scripts(page, served):
    titles = search_page(page, served, "马葫芦堵了咋整")
    assert any("馬葫蘆" in t for t in titles), titles  # Traditional entry for a Simplified query
    assert any("马葫芦" in t for t in titles), titles
    assert "已忽略：了、咋整" in page.inner_text("#diary-meta")
    # highlighted in the entry's own script
    assert "馬葫蘆" in page.locator("#diary-results mark").all_inner_texts()
    titles = search_page(page, served, "物業棄管")
    assert any("弃管" in t for t in titles) and any("棄管" in t for t in titles), titles


def test_deep_link_filters_and_empty_state(page, served):
    page.goto(f"{served}/search/index.html?q=%E6%BC%8F%E6%B0%B4&topic=wuye")  # 漏水, topic 物业
    page.wait_for_function("document.querySelector('#diary-search-page').dataset.state === 'done'")
    assert page.input_value("#diary-q") == "漏水" and page.input_value("#diary-f-topic") == "wuye"
    n_topic = len(result_titles(page))
    page.select_option("#diary-f-topic", "")
    page.wait_for_timeout(300)
    assert len(result_titles(page)) > n_topic > 0
    search_page(page, served, "qqxxzz")
    meta = page.inner_text("#diary-meta")
    assert "共 0 条结果" in meta and "常见问题" in meta  # never a blank page


def test_header_box_on_an_entry_page(page, served):
    page.goto(f"{served}/entries/2009-01-15-cc-mahulu-maoshui.html")
    page.fill(".diary-hsearch__input", "馬葫蘆")
    page.wait_for_selector(".diary-hsearch__panel:not([hidden]) .diary-result__title")
    titles = page.locator(".diary-hsearch__panel .diary-result__title").all_inner_texts()
    assert any("马葫芦" in t for t in titles), titles  # Simplified entry for a Traditional query
    page.locator(".diary-hsearch__panel .diary-result__title").first.click()
    page.wait_for_load_state()
    assert "/entries/" in page.url


def test_works_from_file_url_with_no_network(browser, sample_site):
    ctx = browser.new_context()
    ctx.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    p = ctx.new_page()
    p.goto((sample_site.site / "search" / "index.html").as_uri() + "?q=%E7%8B%AC%E5%B1%85%E8%80%81%E4%BA%BA")
    p.wait_for_function("document.querySelector('#diary-search-page').dataset.state === 'done'")
    assert len(result_titles(p)) > 0
    ctx.close()


FIELDTEST_QUERIES = REPO.parent / "shared" / "fieldtest" / "queries.yml"


def all_queries() -> list[str]:
    field = [str(q["query"]) for q in yaml.safe_load(FIELDTEST_QUERIES.read_text(encoding="utf-8"))]
    return SHARED_QUERIES + field + TRAINEE_QUERIES


def site_ranking(page, q: str) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    return page.evaluate("""async (q) => {
        const o = await window.diarySearch.search(q);
        const top = o.results.slice(0, 10);
        const infos = await Promise.all(top.map(r => window.diarySearch.docInfo(r.doc, o.cfg)));
        return infos.map((i, k) => ({url: i.url, score: top[k].score, full: top[k].covered === o.need}));
    }""", q)


def cli_ranking(root: Path, q: str, limit: int, capsys) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    """`diary search --json` itself: what a trainee's terminal shows."""
    assert main(["--root", str(root), "search", "--json", "--limit", str(limit), q]) == 0
    return [{"url": r["url"], "score": r["score"], "full": r["full"]}
            for r in json.loads(capsys.readouterr().out)["results"]]


def cli_engine(root: Path) -> DiaryIndex:
    """The index and analyzer `diary search` searches with (commands/search.py), opened once. Each `main()` call
    re-reads the load cache, makes the analyzer and opens the index (about 70 ms a query, most of this test's time):
    the CLI itself is compared with the site for some queries, this engine, checked against it, for the rest."""
    settings = Settings(root / "diaries", root / ".cache" / "diary")
    cache = BuildCache.on_disk(settings.cache_dir)
    taxonomy, _ = cache.load.taxonomy(settings.diaries_dir)
    index = DiaryIndex(settings, cache.analyzer(taxonomy, settings))
    # the CLI ran first and brought the index up to date: it would search this index as it is, not update it
    assert index.is_current(sources_fingerprint(settings.diaries_dir))
    return index


def engine_ranking(index: DiaryIndex, q: str, limit: int) -> list[dict[str, object]]:
    """What `diary search --json --limit <limit> q` prints, without the process around it."""
    return [{"url": h.url, "score": h.score, "full": h.full} for h in index.search(q, limit=limit).hits]


def test_site_and_cli_give_the_same_ordered_results(page, served, sample_site, capsys):
    """The same entries in the same order with the same (integer) scores, for every query set we have."""
    root = Path(sample_site.root)
    page.goto(f"{served}/search/index.html")
    # the shared set through `diary search` itself, each also through the engine (so the engine is the CLI) …
    engine: DiaryIndex | None = None
    for q in SHARED_QUERIES:
        cli = cli_ranking(root, q, 10, capsys)
        engine = engine or cli_engine(root)
        assert engine_ranking(engine, q, 10) == cli, q
        site = site_ranking(page, q)
        assert site == cli, (q, site, cli)
    # … and every other query set through the same engine
    assert engine is not None
    for q in all_queries()[len(SHARED_QUERIES):]:
        cli = engine_ranking(engine, q, 10)
        site = site_ranking(page, q)
        assert site == cli, (q, site, cli)
    assert any(site_ranking(page, q) for q in SHARED_QUERIES)


def test_browser_parses_queries_as_python_does(page, served, sample_site):
    """JS parseQuery against text/query.py's parse_query, with the built index's vocabulary on both sides."""
    corpus, _ = load_corpus(Settings(sample_site.root / "diaries", sample_site.root / ".cache" / "diary"))
    settings = Settings(sample_site.root / "diaries", sample_site.root / ".cache" / "diary")
    analyzer = get_analyzer(corpus.taxonomy, settings.diaries_dir / "userdict.txt", settings.cache_dir)
    vocabulary = {t for d in doc_terms(corpus.entries, analyzer) for t in d.weights}
    page.goto(f"{served}/search/index.html")
    for q in [*all_queries(), "ＡＢＣ１２３ 低保", "  ", "臺風天樓頂漏雨咋辦", "的了吗"]:
        parsed = analyzer.parse(q, vocabulary.__contains__)
        want = {"concepts": [[c.label, c.required, c.unknown, [[a.term, a.weight] for a in c.alternatives]]
                             for c in parsed.concepts], "missing": list(parsed.missing),
                "required": [c.label for c in parsed.required], "dropped": list(parsed.dropped)}
        got = page.evaluate("""async (q) => {
            const p = await window.diarySearch.parse(q);
            return {concepts: p.concepts.map(c => [c.label, c.required, !!c.unknown,
                                                   c.alts.map(a => [a.term, a.weight])]),
                    missing: p.missing, required: p.required.map(c => c.label), dropped: p.dropped};
        }""", q)
        assert got == want, q


def test_partial_matches_are_listed_under_a_line(page, served):
    # 低保 has entries; 马葫芦 is in other entries: none has both, every result is a partial one
    search_page(page, served, "马葫芦 低保")
    meta = page.inner_text("#diary-meta")
    assert "没有同时包含所有词的日记" in meta
    items = page.locator("#diary-results > li")
    assert items.first.get_attribute("class") == "diary-result diary-result--partial"
    assert items.first.inner_text() == PARTIAL_LINE
    assert items.count() > 2
    # a query with full and partial matches: the line sits between them, the count counts full matches
    search_page(page, served, "独居老人 春节")
    classes = [c or "" for c in items.evaluate_all("els => els.map(e => e.className)")]
    assert "diary-result diary-result--partial" in classes
    line = classes.index("diary-result diary-result--partial")
    assert line > 0
    assert f"共 {line} 条结果" in page.inner_text("#diary-meta")


def test_typing_searches_after_a_pause_at_once_and_waits_for_the_characters(page, served):
    """A query typed after a pause is searched at once (no waiting on a timer), keys that keep coming are searched
    once they stop, and pinyin still being composed is never searched. Each search writes the query into the URL
    first (history.replaceState), so counting those calls counts searches, in the same task as the event."""
    page.goto(f"{served}/search/index.html")
    page.wait_for_function("document.querySelector('#diary-search-page').dataset.state === undefined"
                           " && document.querySelector('#diary-meta').textContent.length > 0")
    got = page.evaluate("""async () => {
        const input = document.getElementById("diary-q"), seen = [];
        const replace = history.replaceState.bind(history);
        history.replaceState = (s, t, url) => { seen.push(decodeURIComponent(String(url))); replace(s, t, url); };
        const type = (value, init) => {
            input.value = value; input.dispatchEvent(new InputEvent("input", init || {}));
        };
        const pause = () => new Promise(r => setTimeout(r, 300));
        const out = {};
        await pause();
        type("低保"); out.atOnce = seen.slice();
        await pause();
        type("独"); type("独居"); type("独居老人"); out.whileTyping = seen.slice();
        await pause(); out.afterTyping = seen.slice();
        input.dispatchEvent(new CompositionEvent("compositionstart"));
        type("ma'hu", {isComposing: true}); type("ma'hu'lu", {isComposing: true});
        await pause(); out.composing = seen.slice();
        input.value = "马葫芦"; input.dispatchEvent(new CompositionEvent("compositionend", {data: "马葫芦"}));
        out.composed = seen.slice();
        type("马葫芦");  // Safari's input event after compositionend: the same text, not searched again
        await pause(); out.end = seen.slice();
        return out;
    }""")
    assert got["atOnce"] == ["?q=低保"]
    assert got["whileTyping"] == ["?q=低保", "?q=独"]  # the first key after the pause; the others wait
    assert got["afterTyping"] == ["?q=低保", "?q=独", "?q=独居老人"]
    assert got["composing"] == got["afterTyping"]
    assert got["composed"] == [*got["afterTyping"], "?q=马葫芦"]
    assert got["end"] == got["composed"]
    page.wait_for_function("document.querySelector('#diary-search-page').dataset.state === 'done'")
    assert any("马葫芦" in t or "馬葫蘆" in t for t in result_titles(page))


def test_a_shard_that_fails_to_load_is_shown(browser, served):  # type: ignore[no-untyped-def]
    ctx = browser.new_context()
    ctx.route("**/search-data/v/*.js", lambda route: route.abort())
    p = ctx.new_page()
    p.goto(f"{served}/search/index.html?q=%E4%BD%8E%E4%BF%9D")  # 低保
    p.wait_for_function("document.querySelector('#diary-search-page').dataset.state === 'error'")
    assert "搜索数据没有加载完整" in p.inner_text("#diary-meta")
    assert p.locator("#diary-results > li").count() == 0
    ctx.close()


def test_fieldtest_queries_same_top5_in_browser_and_cli_and_relevant_found(page, field_site, capsys):
    """On the field-test set: the relevant files in the top 5 for every query, the same ordered top 5 in the browser
    and in `diary search`; a "none" query shows only acceptable files or entries labelled as partial matches."""
    assert field_site.returncode == 0, field_site.output
    root = Path(field_site.root)
    page.goto((field_site.site / "search" / "index.html").as_uri())
    failures = []
    engine: DiaryIndex | None = None
    for q in yaml.safe_load(FIELDTEST_QUERIES.read_text(encoding="utf-8")):
        text = str(q["query"])
        if engine is None:  # the first query through `diary search` itself, the others through its engine
            cli = cli_ranking(root, text, 5, capsys)
            engine = cli_engine(root)
            assert engine_ranking(engine, text, 5) == cli, text
        else:
            cli = engine_ranking(engine, text, 5)
        site = site_ranking(page, text)[:5]
        assert site == cli, (text, site, cli)
        files = [Path(str(r["url"])).stem + ".md" for r in cli]
        relevant, acceptable = set(q.get("relevant") or []), set(q.get("acceptable") or [])
        ok = relevant <= set(files) if relevant else all(
            f in acceptable or not r["full"] for f, r in zip(files, cli, strict=True))
        if not ok:
            failures.append((text, files))
    assert failures == []
