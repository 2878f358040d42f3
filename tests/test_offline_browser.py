"""China-ready and offline: the built site opened from file:// in Chromium, every request recorded.

A training room may have no internet, and Google Fonts and foreign CDNs are blocked in mainland China anyway: the
home page, an entry page and a search must not ask any other host for anything, and the search must work from a
folder. Also: a phone-width layout that does not scroll sideways, and a topic page that prints as a clean handout.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Build

# built with test_script_switch's entries in one strict build (conftest.browser_site)
ENTRIES: dict[str, str | bytes] = {
    "2020/2020-06-10-wuye.md": """---
日期: 2020-06-10
标题: 物业撤了，垃圾没人清
社区: 湖光社区
主题: [物业管理与业委会]
案例: offline-thread
---
【情况】建楼单位的物业说不干就不干了，三天垃圾没人清，屋顶还漏水。
【做法】先找街道协调临时清运，再请业主代表来商量成立业委会。
【成效】第二天垃圾清走了。
""",
    "2020/2020-07-28-wuding.md": """---
日期: 2020-07-28
标题: 老楼屋顶漏水
社区: 湖光社区
主题: [物业管理与业委会]
案例: offline-thread
---
【情况】顶楼几户说屋顶漏水，下雨天屋里接了好几个盆。
【做法】请防水的小公司做了局部维修，清理排水口。
""",
}
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


@pytest.fixture(scope="module")
def site(browser_site: Build) -> Build:
    return browser_site


@pytest.fixture
def page(browser: Any) -> Iterator[tuple[Any, list[str], list[str]]]:
    """A page that records every request; anything not local is recorded and refused (the room has no internet)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    outside: list[str] = []

    def route(r: Any) -> None:
        url = r.request.url
        requests.append(url)
        if url.startswith(LOCAL_SCHEMES):
            r.continue_()
        else:
            outside.append(url)
            r.abort()

    context.route("**/*", route)
    p = context.new_page()
    p.on("request", lambda req: requests.append(req.url) if req.url not in requests else None)
    yield p, requests, outside
    context.close()


def test_no_request_leaves_the_machine_and_search_works_from_file(site: Build, page: Any) -> None:
    p, requests, outside = page
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    home = (site.site / "index.html").as_uri()
    p.goto(home)
    assert p.locator('meta[name="renderer"]').get_attribute("content") == "webkit"
    p.goto((site.site / "entries" / "2020-06-10-wuye.html").as_uri())
    assert "物业撤了" in p.inner_text("h1")
    p.goto((site.site / "search" / "index.html").as_uri() + "?q=屋顶漏水")
    p.wait_for_selector('#diary-search-page[data-state="done"]', timeout=15_000)
    results = p.inner_text("#diary-results")
    assert "老楼屋顶漏水" in results and "物业撤了" in results
    assert outside == [], f"requests to other hosts: {outside}"
    assert errors == []
    # the search really ran from the folder: its data files were read over file://
    assert any("/search-data/config.js" in u for u in requests)
    assert any("/search-data/v/" in u for u in requests)
    assert all(u.startswith(LOCAL_SCHEMES) for u in requests if u not in outside)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_phone_layout_is_readable(site: Build, browser: Any, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=1, is_mobile=True,
                                  has_touch=True)
    try:
        p = context.new_page()
        p.goto((site.site / "entries" / "2020-06-10-wuye.html").as_uri())
        shot = p.screenshot(path=str(tmp_path / "phone.png"))
        assert _png_size(shot) == (375, 740)
        assert len(shot) > 5_000  # a rendered page, not a blank screen
        # nothing wider than the phone: no sideways scrolling
        assert p.evaluate("document.documentElement.scrollWidth") <= 375
        size = p.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset p')).fontSize)")
        assert size >= 14, f"body text is {size}px on a phone"
        box = p.locator("h1").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
        # the search box in the header gives way to an icon on a phone
        assert p.locator(".diary-hsearch__form").is_hidden()
    finally:
        context.close()


def test_topic_page_prints_as_a_handout(site: Build, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        p = context.new_page()
        p.goto((site.site / "topics" / "wuye.html").as_uri())
        p.emulate_media(media="print")
        for chrome in (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer",
                       ".diary-hsearch"):
            loc = p.locator(chrome)
            if loc.count():
                assert loc.first.is_hidden(), f"{chrome} would be printed"
        content = p.locator(".md-content")
        assert content.is_visible() and "物业撤了" in content.inner_text()
        # the text uses the page: the content is not squeezed into the screen layout's middle column
        width = p.evaluate("document.querySelector('.md-content').getBoundingClientRect().width")
        assert width > 0.8 * p.evaluate("document.documentElement.clientWidth")
        colors = p.evaluate("""() => { const a = document.querySelector('.md-content article a');
            return [getComputedStyle(a).color, getComputedStyle(a.parentElement).color]; }""")
        assert colors[0] == colors[1]  # links print as the text around them, not in the screen's accent colour
        pdf = p.pdf(format="A4")
        assert pdf.startswith(b"%PDF") and len(pdf) > 5_000
    finally:
        context.close()
