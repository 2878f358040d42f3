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

from site_builder.cli import main

# the queries a trainee types; the site and the CLI must return the same entries for each
SHARED_QUERIES = ["马葫芦堵了咋整", "物業棄管", "物业不管了怎么办", "低保", "独居老人", "屋顶 漏水", "留守兒童",
                  "小广告", "暖气不热找谁", "蒲公英之家", "四步议事工作法", "疫情 隔离"]


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


def test_site_and_cli_give_the_same_entries(page, served, sample_site, capsys):
    root = Path(sample_site.root)
    for q in SHARED_QUERIES:
        assert main(["--root", str(root), "search", "--json", "--limit", "10000", q]) == 0
        cli = {r["url"] for r in json.loads(capsys.readouterr().out)["results"]}
        page.goto(f"{served}/search/index.html")
        site = set(page.evaluate("""async (q) => {
            const o = await window.diarySearch.search(q);
            const infos = await Promise.all(o.results.map(r => window.diarySearch.docInfo(r.doc, o.cfg)));
            return infos.map(i => i.url);
        }""", q))
        assert site == cli, (q, site ^ cli)
        assert site, q
