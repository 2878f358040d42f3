"""The 简体 / 原文 switch in Chromium: a mainland trainee reads a Traditional entry in Simplified, from file://.

Issue #12.7: on every page, remembered across pages and reloads, search results (and their highlights) included;
the original text is the default and comes back exactly when switched off.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import lxml.html
import pytest
from conftest import Build

TRADITIONAL = """---
日期: 2012-07-18
標題: 樓頂漏雨，物業說不歸他們管
社區: 湖光社區
主題: [物業管理與業委會]
---
【情況】頂樓三戶說樓頂漏雨，屋裡擺滿了盆。物業說屋頂不歸他們管。
【做法】我們請來房管所的師傅，當天把排水口清乾淨。
"""
SIMPLIFIED = """---
日期: 2013-05-02
标题: 楼道里堆满了杂物
社区: 湖光社区
---
楼道里堆满了旧家具，我们挨家挨户做工作，三天清完。
"""
# what the switch must show for the Traditional title and a sentence of its body
TITLE_SIMPLIFIED = "楼顶漏雨，物业说不归他们管"
BODY_TRADITIONAL = "頂樓三戶說樓頂漏雨"
BODY_SIMPLIFIED = "顶楼三户说楼顶漏雨"


# built with test_offline_browser's entries in one strict build (conftest.browser_site)
ENTRIES: dict[str, str | bytes] = {"2012/lou-ding.md": TRADITIONAL, "2013/za-wu.md": SIMPLIFIED}


@pytest.fixture(scope="module")
def site(browser_site: Build) -> Build:
    return browser_site


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 390, "height": 800})  # a phone: the switch must be reachable
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    yield p
    context.close()
    assert not errors, errors


def _entry_page(site: Build) -> str:
    # by its heading: other entries' pages name it too (their related cases)
    pages = [p for p in (site.site / "entries").rglob("*.html")
             if "樓頂漏雨" in lxml.html.fromstring(p.read_text(encoding="utf-8")).xpath("string(//article//h1)")]
    assert len(pages) == 1, pages
    return pages[0].as_uri()


def _article(p: Any) -> str:
    return str(p.inner_text("article"))


def _switch_to(p: Any, mode: str) -> None:
    p.click("button.diary-script")
    p.wait_for_function(f"document.documentElement.dataset.diaryScript === '{mode}'")


def test_switch_shows_simplified_and_is_remembered(site: Build, page: Any) -> None:
    page.goto(_entry_page(site))
    button = page.locator("button.diary-script")
    assert button.count() == 1 and button.is_visible(), "one visible switch in the header"
    assert button.get_attribute("aria-pressed") == "false"
    assert BODY_TRADITIONAL in _article(page), "default is the original text"

    _switch_to(page, "simplified")
    text = _article(page)
    assert BODY_SIMPLIFIED in text and BODY_TRADITIONAL not in text
    assert TITLE_SIMPLIFIED in text
    assert TITLE_SIMPLIFIED in page.title()
    assert button.get_attribute("aria-pressed") == "true"

    page.reload()
    page.wait_for_function("document.documentElement.dataset.diaryScript === 'simplified'")
    assert BODY_SIMPLIFIED in _article(page), "the choice survives a reload"

    # another page of the site (the home page) opens in Simplified too
    page.goto((site.site / "index.html").as_uri())
    page.wait_for_function("document.documentElement.dataset.diaryScript === 'simplified'")

    page.goto(_entry_page(site))
    page.wait_for_function("document.documentElement.dataset.diaryScript === 'simplified'")
    _switch_to(page, "original")
    assert BODY_TRADITIONAL in _article(page), "switched off, the original text is back exactly"
    assert BODY_SIMPLIFIED not in _article(page)
    page.reload()
    page.wait_for_function("document.documentElement.dataset.diaryScript === 'original'")
    assert BODY_TRADITIONAL in _article(page)


def test_search_results_follow_the_switch(site: Build, page: Any) -> None:
    page.goto((site.site / "search" / "index.html").as_uri())
    _switch_to(page, "simplified")
    page.fill("#diary-q", "楼顶漏雨")
    page.wait_for_function(
        "document.querySelector('#diary-search-page').dataset.state === 'done'"
        " && document.querySelectorAll('#diary-results .diary-result__title').length > 0"
    )
    page.wait_for_function(
        "Array.from(document.querySelectorAll('#diary-results .diary-result__title'))"
        f".some(e => e.textContent.includes('{TITLE_SIMPLIFIED}'))"
    )
    results = page.inner_text("#diary-results")
    assert "樓頂" not in results, results
    marks = page.locator("#diary-results mark").all_inner_texts()
    assert any("楼顶" in m for m in marks), marks  # the highlight is on the converted characters
    _switch_to(page, "original")
    assert "樓頂漏雨" in page.inner_text("#diary-results")
