"""Hostile entries beside the sample diaries: no payload runs on any page, and no page asks another host for anything.

The site is built from the repository's sample diaries plus entries that carry classic XSS payloads in every front-
matter field, the body, the file name, a thread name, typed topics and methods, the glossary and people.yml, and
remote resources (https://, //host, srcset, CSS url, poster …). Every generated page is parsed for what could run or
reach another host (handler attributes, javascript: links, scripts outside the theme's own, remote resources), and
every page that shows anything a hostile entry brought is opened from file:// in headless Chromium, with a sample of
the others: a payload that runs calls `pwn()` or opens a dialog; every request that is not file:// is recorded and
fails the test; the browser's DOM gets the same check as the parsed HTML (what the browser makes of broken markup is
what decides, so the pages a payload is on are always opened).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from conftest import MKDOCS_YML, REPO, Build, run_build

from site_builder.plugin import ASSETS
from site_builder.render.simplified import ASSET as FOLD_ASSET

# every payload that runs calls pwn(<its number>) (or alert, which opens a dialog)
PAYLOADS = [
    "<img src=x onerror=pwn(1)>",
    "<svg onload=pwn(2)>",
    "<script>pwn(3)</script>",
    "</title><script>pwn(4)</script>",
    '"><script>pwn(5)</script>',
    "'><img src=x onerror=pwn(6)>",
    "&lt;script&gt;pwn(7)&lt;/script&gt;",
    "&lt;img src=x onerror=pwn(8)&gt;",
    "&amp;lt;img src=x onerror=pwn(9)&amp;gt;",
    '<iframe src="javascript:pwn(10)"></iframe>',
    '<iframe srcdoc="<script>parent.pwn(11)</script>"></iframe>',
    '<a href="javascript:pwn(12)">点我</a>',
    "[点我](javascript:pwn(13))",
    "<math><mtext><table><mglyph><style><img src=x onerror=pwn(14)>",
    "<style>@import 'javascript:pwn(15)';</style>",
    '<noscript><p title="</noscript><img src=x onerror=pwn(16)>">',
    "<details open ontoggle=pwn(17)>",
    "<body onload=pwn(18)>",
    '<object data="data:text/html,<script>parent.pwn(19)</script>"></object>',
    '<a href="data:text/html;base64,PHNjcmlwdD5wYXJlbnQucHduKDIwKTwvc2NyaXB0Pg==">数据</a>',
    '<img src="x" onerror="alert(21)">',
    "<input autofocus onfocus=pwn(22)>",
    "标题 {: onmouseover=pwn(23) onclick=pwn(23) }",
    "<select autofocus onfocus=pwn(24)></select>",
    "<xss id=x tabindex=1 autofocus onfocus=pwn(25)></xss>",
    '<div style="background-image:url(javascript:pwn(26))">x</div>',
    "<textarea><img src=x onerror=pwn(27)></textarea>",
    '<a href="&#106;avascript:pwn(28)">x</a>',
    "<img src=x:alert(29) onerror=eval(src)>",
    "<svg><script>pwn(30)</script></svg>",
    '<base href="javascript:pwn(31)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:pwn(32)">',
    "<form><button formaction=javascript:pwn(33)>x</button></form>",
    "`<img src=x onerror=pwn(34)>`",
    '<embed src="javascript:pwn(35)">',
    "<scr<script>ipt>pwn(36)</scr</script>ipt>",
    "<a href=\"#\" onclick=\"pwn(37)\">x</a>",
    "[x](#){: onclick=pwn(38) }",
    "<!--><img src=x onerror=pwn(39)>-->",
    "<img src=x onerror=&#112;wn(40)>",
    "<svg><a xlink:href=\"javascript:pwn(41)\"><text>x</text></a></svg>",
    "\\<img src=x onerror=pwn(42)\\>",
]
# characters a file name can hold (no `/`): the entry's URL comes from it
FILE_PAYLOADS = ['"><svg onload=pwn(60)>', "'><img src=x onerror=pwn(61)>", "<b onmouseover=pwn(62)>x"]
GLOSSARY_PAYLOAD = '"><img src=x onerror=pwn(70)>'
PSEUDONYM_PAYLOAD = "<img src=x onerror=pwn(71)>"
OPEN_TITLE = "甲&乙 <b>未完</b> &amp; *星*"
OPEN_COMMUNITY = "甲&乙<丙>社區"
OPEN_THREAD = "线索 & <i>跟进</i> &lt;x&gt;"
MARK = "攻击样本"  # a word only the payload entries use: the search page must list them
REMOTE_BODY = """
远程图片：![远程](https://evil.example/a.png) 和 ![协议相对](//evil.example/b.png)

<img src="https://evil.example/c.png" srcset="https://evil.example/d.png 2x" alt="远程图">

<img src="../images/ok.png" srcset="//evil.example/e.png 2x" alt="本地图">

<p style="background:url(https://evil.example/f.png)">带背景</p>

<video poster="https://evil.example/g.png" src="https://evil.example/v.mp4"></video>
<audio src="https://evil.example/a.mp3"></audio>
<link rel="stylesheet" href="https://evil.example/s.css">
<input type="image" src="https://evil.example/h.png">
<table background="https://evil.example/t.png"><tr><td>表</td></tr></table>
<img src="\\\\evil.example\\i.png">

[![链接里的远程图](https://evil.example/j.png)](https://example.org/page)

![引用式][pic]

[pic]: https://evil.example/k.png

本地图片：![本地](../images/ok.png)

外部链接：<a href="https://example.org/">外部网站</a> 和 [另一个](https://example.org/other)
"""
# the pictures and styles `diary check` must name, each at the line that shows it (found by this text on it)
REMOTE_URLS = {"evil.example/a.png": "evil.example/a.png", "evil.example/c.png": "evil.example/c.png",
               "evil.example/e.png": "evil.example/e.png", "evil.example/f.png": "evil.example/f.png",
               "evil.example/g.png": "evil.example/g.png", "evil.example/j.png": "evil.example/j.png",
               "evil.example/k.png": "![引用式][pic]"}  # a reference: where the picture is used, not defined
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360f8cfc0f01f0005ff02ff59e0a3d80000000049454e44ae426082")


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted string


def _entry(i: int, p: str, *, case: str) -> str:
    return f"""---
日期: 2021-{1 + i % 12:02d}-{1 + i % 28:02d}
标题: {_q(f"样本{i} {p}")}
社区: {_q(f"{p}社区")}
作者: {_q(p)}
状态: {_q(p)}
主题: [{_q(p)}, 物业管理与业委会]
工作法: [{_q(f"{p}工作法")}]
案例: {_q(case)}
---
{MARK}第{i}号。{p}

## 小标题 {p}

- 列表 {p}
- [链接 {p}](../index.md)

> 引用 {p}

| 表头 | {p} |
|---|---|
| 格 | {p} |

【情况】{p}
【做法】先{p}，再处理。
【成效】{p}
"""


def _project(root: Path) -> Path:
    shutil.copytree(REPO / "diaries", root / "diaries")
    (root / "docs" / "images").mkdir(parents=True)
    (root / "docs" / "images" / "ok.png").write_bytes(PNG)
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    hostile = root / "diaries" / "2021"
    hostile.mkdir(exist_ok=True)
    for i, p in enumerate(PAYLOADS, 1):
        # pairs of entries share a thread named by a payload, so thread pages and prev/next links carry it too
        (hostile / f"2021-payload-{i:02d}.md").write_text(_entry(i, p, case=f"线索 {PAYLOADS[(i - 1) // 2 * 2]}"),
                                                          encoding="utf-8")
    for i, p in enumerate(FILE_PAYLOADS, 100):
        (hostile / f"2021-{p}.md").write_text(_entry(i, p, case=p), encoding="utf-8")
    (hostile / "2021-remote.md").write_text(f"---\n日期: 2021-12-30\n标题: 远程资源\n---{REMOTE_BODY}",
                                            encoding="utf-8")
    with (root / "diaries" / "glossary.yml").open("a", encoding="utf-8") as f:
        f.write(f"  - {{term: 攻击词, slug: gongjici, region: {_q(GLOSSARY_PAYLOAD)},"
                f" aliases: [{_q(GLOSSARY_PAYLOAD)}], meaning: {_q(GLOSSARY_PAYLOAD)}}}\n")
    with (root / "diaries" / "people.yml").open("a", encoding="utf-8") as f:
        f.write(f"\n王攻击: {_q(PSEUDONYM_PAYLOAD)}\n")
    (hostile / "2021-people.md").write_text(
        f"---\n日期: 2021-12-29\n标题: 化名\n---\n{MARK}。王攻击来了，提到攻击词。\n", encoding="utf-8")
    # an open matter (the /stats/ table lists it) whose title, thread and community carry markup, entities and
    # a Traditional character: shown as typed, escaped once, never twice
    for day in (1, 2):
        (hostile / f"2021-open-{day}.md").write_text(
            f"---\n日期: 2021-11-0{day}\n标题: {_q(OPEN_TITLE)}\n社区: {_q(OPEN_COMMUNITY)}\n状态: 跟进中\n"
            f"案例: {_q(OPEN_THREAD)}\n---\n{MARK}，还没办完。\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    build = run_build(_project(tmp_path_factory.mktemp("payloads") / "p"), strict=False)
    assert build.returncode == 0, build.output
    return build


LOCAL = ("file:", "data:", "about:", "blob:")  # what loading a page from disk may ask for
INIT = """window.__pwned = []; window.pwn = function (n) { window.__pwned.push(n); };"""
# what the theme itself loads: its bundle, our own scripts (the plugin's list, so a new one needs no edit here) and
# the search data files
OUR_SCRIPTS = [a for a in ASSETS if a.endswith(".js")] + [FOLD_ASSET]
THEME_SCRIPT = re.compile(
    r"/assets/javascripts/|/search-data/|/assets/diary/(?:" + "|".join(map(re.escape, OUR_SCRIPTS)) + r")(?:[?#]|$)"
)
DOM_CHECK = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (/^on/i.test(a.name)) bad.push(el.tagName + ' ' + a.name);
      if (/^(href|src|action|formaction|xlink:href|data|srcdoc)$/i.test(a.name) &&
          /^\\s*(javascript|data|vbscript):/i.test(a.value)) bad.push(el.tagName + ' ' + a.name + '=' + a.value);
    }
  }
  // the /stats/ charts are inline SVG: shapes and text only, never a use, an image, a style or an animation (an <a>,
  // which the HTML allow-list has, may stay: its href is checked above like every other)
  const SVG_ATTRIBUTES = ['href', 'class', 'id', 'role', 'aria-label', 'viewBox', 'width', 'height', 'xmlns', 'x', 'y',
                          'rx', 'font-size', 'text-anchor', 'dominant-baseline'];
  for (const svg of document.querySelectorAll('article svg')) {
    for (const el of [svg, ...svg.querySelectorAll('*')]) {
      if (!['svg', 'g', 'rect', 'text', 'title', 'a'].includes(el.localName)) bad.push('svg element ' + el.localName);
      for (const a of el.attributes) {
        if (!SVG_ATTRIBUTES.includes(a.name)) bad.push('svg attribute ' + a.name);
      }
    }
  }
  for (const el of document.querySelectorAll('article iframe, article object, article embed, ' +
                                             'article math, article style, article base, article meta, ' +
                                             'article link, article textarea, article video, article audio')) {
    bad.push('element ' + el.tagName);
  }
  for (const s of document.querySelectorAll('script')) {
    // the theme's own inline scripts (config, palette) sit outside the content; a payload's would name pwn or alert
    if (!s.src) {
      if (s.closest('article') || /pwn|alert/.test(s.textContent)) bad.push('inline script: ' + s.textContent);
    } else bad.push('script ' + s.src);
  }
  if (window.__pwned.length) bad.push('payload ran: ' + window.__pwned.join(','));
  return bad;
}"""


def _watch_dialogs(page: Any, dialogs: list[str]) -> Any:
    def on_dialog(d: Any) -> None:
        dialogs.append(f"{page.url}: {d.message}")
        d.dismiss()

    page.on("dialog", on_dialog)
    return page


def _watched_page(browser: Any) -> tuple[Any, Any, list[str], list[str]]:
    """A context and page with the payload marker installed, recording every dialog and every foreign request."""
    context = browser.new_context()
    context.add_init_script(INIT)
    outside: list[str] = []

    # a listener, not request interception: routing every request through Python would cost more than the pages
    # themselves, and with no network here a foreign request fails by itself; recording it fails the test
    context.on("request", lambda r: None if r.url.startswith(LOCAL) else outside.append(r.url))
    dialogs: list[str] = []
    return context, _watch_dialogs(context.new_page(), dialogs), dialogs, outside


# pages opened at once: the browser loads them in parallel (most of a visit is Chromium parsing the page and running
# the theme's scripts), Python still checks them one by one; 3 tabs take about 0.6 of the time one tab takes
TABS = 3


def _visit_all(browser: Any, site: Build, pages: list[Path]) -> tuple[dict[str, list[str]], list[str], list[str]]:
    context, first, dialogs, outside = _watched_page(browser)
    tabs = [first, *(_watch_dialogs(context.new_page(), dialogs) for _ in range(TABS - 1))]
    problems: dict[str, list[str]] = {}
    for start in range(0, len(pages), TABS):
        batch = list(zip(tabs, pages[start:start + TABS], strict=False))
        for tab, path in batch:
            # returns once the navigation is committed (a local file: at once), so the tabs load side by side; a
            # script-started navigation raced the page's own scripts on a loaded machine and was lost now and then
            tab.goto(path.as_uri(), wait_until="commit")
        for tab, path in batch:
            # the parsed page is enough: a script payload has run by then, and one that would run later (onerror,
            # onfocus, a click) needs a handler attribute or a javascript: URL, which the DOM check finds
            tab.wait_for_load_state("domcontentloaded")
            assert tab.url.split("?")[0].split("#")[0] == path.as_uri(), (tab.url, path)
            bad = [b for b in tab.evaluate(DOM_CHECK) if not (b.startswith("script ") and THEME_SCRIPT.search(b))]
            if bad:
                problems[path.relative_to(site.site).as_posix()] = bad
    context.close()
    return problems, dialogs, outside


# what every hostile text carries, escaped or not: each payload names pwn( or alert( (one spells it &#112;wn(), the
# entries' titles start with 样本, the remote pictures live on evil.example, the glossary term and the pseudonym's
# owner are 攻击词 / 王攻击, the open matter's names start with 甲&乙 (escaped, or its look-alike in <title>) or
# 线索 & (MARK is in every hostile body)
HOSTILE = re.compile(r"wn\(|alert\(|evil\.example|样本|攻击|甲&amp;乙|甲＆乙|线索 &amp;")
# of the pages that show none of it, Chromium opens the first of each folder and every SAMPLE_EVERY-th: they share
# their folder's template with an opened page and differ only in the sample diaries' text, which the parse checks
SAMPLE_EVERY = 10
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "{http://www.w3.org/1999/xlink}href", "xlink:href", "data",
                  "srcdoc", "poster", "background", "srcset", "cite"}
REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)
# the attributes that make the browser fetch something (a link to another host is fine: nothing loads until a click)
LOADS = {"src", "srcset", "poster", "background", "data"}


def _parsed_problems(html: str) -> list[str]:
    """DOM_CHECK on the parsed HTML, plus every resource the page would load from another host."""
    bad = []
    for el in lxml.html.fromstring(html).iter():
        if not isinstance(el.tag, str):
            continue  # a comment or processing instruction
        for name, value in el.attrib.items():
            if name.lower().startswith("on"):
                bad.append(f"{el.tag} {name}")
            if name.lower() in URL_ATTRIBUTES and re.match(r"\s*(javascript|data|vbscript):", value, re.I):
                bad.append(f"{el.tag} {name}={value}")
            if name.lower() in LOADS and any(REMOTE.match(u.strip().split(" ")[0]) for u in value.split(",")):
                bad.append(f"loads {el.tag} {name}={value}")
            if name.lower() == "style" and re.search(r"url\(\s*['\"]?\s*(?:[a-z]+:)?//", value, re.I):
                bad.append(f"loads {el.tag} style={value}")
        if el.tag == "link" and REMOTE.match(el.get("href", "")) and el.get("rel", "") != "canonical":
            bad.append(f"loads link {el.get('href')}")
        if el.tag == "script":
            src = el.get("src")
            if src is None and (any(a.tag == "article" for a in el.iterancestors())
                                or re.search(r"pwn|alert", el.text or "")):
                bad.append(f"inline script: {el.text}")
            elif src is not None and not THEME_SCRIPT.search("/" + src):  # a root page's src has no leading /
                bad.append(f"script {src}")
    return bad


def _to_open(site: Build, pages: list[Path]) -> list[Path]:
    chosen, seen_folders, quiet = [], set(), 0
    for path in pages:
        folder = path.parent
        if HOSTILE.search(path.read_text(encoding="utf-8")) or folder not in seen_folders:
            chosen.append(path)
        else:
            quiet += 1
            if quiet % SAMPLE_EVERY == 0:
                chosen.append(path)
        seen_folders.add(folder)
    return chosen


def test_no_payload_runs_and_no_page_asks_another_host(site: Build, browser: Any) -> None:
    pages = sorted(site.site.rglob("*.html"))
    entry_pages = [p for p in pages if p.parent.name == "entries" and f"{MARK}第" in p.read_text(encoding="utf-8")]
    # every hostile entry is on the site (escaping never keeps an entry off it), each exactly once
    assert len(entry_pages) == len(PAYLOADS) + len(FILE_PAYLOADS)
    parsed = {p.relative_to(site.site).as_posix(): bad for p in pages
              if (bad := _parsed_problems(p.read_text(encoding="utf-8")))}
    assert parsed == {}
    opened = _to_open(site, pages)
    # the pages a hostile text reaches: its entry, and the lists, threads, handouts and indexes that name it
    assert set(entry_pages) <= set(opened)
    assert {p.parent.name for p in opened} == {p.parent.name for p in pages}
    problems, dialogs, outside = _visit_all(browser, site, opened)
    assert dialogs == []
    assert outside == [], sorted(set(outside))
    assert problems == {}


def test_the_page_check_finds_what_it_looks_for() -> None:
    """The parsed-HTML check is the only one most pages get: it must see each kind of problem (and pass the theme)."""
    theme = ('<html><head><script src="../assets/javascripts/bundle.js"></script>'
             '</head><body><article><p>好</p>'
             '<a href="https://example.org/">外部</a></article></body></html>')
    assert _parsed_problems(theme) == []
    for bad in ('<img src=x onerror=pwn(1)>', '<a href="javascript:pwn(2)">x</a>', '<script>pwn(3)</script>',
                '<img src="https://evil.example/a.png">', '<img src="x.png" srcset="//evil.example/b.png 2x">',
                '<p style="background:url(https://evil.example/c.png)">x</p>',
                '<script src="//cdn.example/x.js"></script>', '<link rel="stylesheet" href="https://fonts.example/css">',
                '<video poster="https://evil.example/v">'):
        assert _parsed_problems(f"<html><body><article>{bad}</article></body></html>") != [], bad


def _entry_page(site: Build, number: int) -> Path:
    for path in (site.site / "entries").glob("*.html"):
        text = path.read_text(encoding="utf-8")
        if f"{MARK}第{number}号" in text:
            return path
    raise AssertionError(f"entry {number} not found")


def test_fields_are_shown_as_written(site: Build, browser: Any) -> None:
    """Escaping, not deleting: the reader sees the title, community and thread name exactly as the secretary typed."""
    page = browser.new_page()
    try:
        for i in (1, 4, 5, 7, 23, 36):
            p = PAYLOADS[i - 1]
            page.goto(_entry_page(site, i).as_uri())
            assert page.inner_text("article h1") == f"样本{i} {p}"
            assert f"{p}社区" in page.inner_text(".diary-meta")
            assert page.title().startswith(f"样本{i}")  # <title>: the inert look-alike, never markup
    finally:
        page.close()


def test_remote_resources_become_links_and_are_reported(site: Build, browser: Any) -> None:
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        path = next(p for p in (site.site / "entries").glob("*.html") if "远程资源" in p.read_text(encoding="utf-8"))
        page.goto(path.as_uri(), wait_until="load")
        assert [u for u in requests if not u.startswith("file:")] == []
        imgs = page.evaluate("""() => [...document.querySelectorAll('article img')].map(i => ({
            src: i.getAttribute('src'), srcset: i.getAttribute('srcset'), w: i.naturalWidth}))""")
        # the local picture stays a picture and loads; nothing else is an image
        assert imgs and all(i["src"] == "../images/ok.png" and i["srcset"] is None and i["w"] == 1 for i in imgs)
        links = page.evaluate("""() => [...document.querySelectorAll('article a')].map(a => ({
            href: a.getAttribute('href'), rel: a.getAttribute('rel'), cls: a.className, text: a.textContent}))""")
        remote_pictures = {a["href"] for a in links if a["cls"] == "diary-remote-image"}
        assert {"https://evil.example/a.png", "//evil.example/b.png", "https://evil.example/c.png",
                "https://evil.example/k.png"} <= remote_pictures
        assert all(a["text"].startswith("图片：") for a in links if a["cls"] == "diary-remote-image")
        # a remote picture inside a link shows its alt text (no link inside a link)
        assert "图片：链接里的远程图" in page.inner_text("article")
        external = [a for a in links if a["href"] and a["href"].startswith("https://example.org")]
        assert len(external) == 3
        assert all(set(a["rel"].split()) >= {"noopener", "noreferrer", "external"} for a in external)
    finally:
        page.close()
    # and `diary check` names each line that had one, with how to fix it
    env_python = sys.executable
    check = subprocess.run([env_python, "-m", "site_builder", "check"], cwd=site.root, capture_output=True,
                           text=True, timeout=300)
    found = {int(m.group(1)): m.group(2) for m in
             re.finditer(r"diaries/2021/2021-remote\.md:(\d+): 警告\[remote-image\] (.*)", check.stdout)}
    lines = (site.root / "diaries" / "2021" / "2021-remote.md").read_text(encoding="utf-8").split("\n")
    for url, on_line in REMOTE_URLS.items():
        line = next(n for n, text in enumerate(lines, 1) if on_line in text)
        assert line in found and url in found[line], (url, line, found)
    assert "docs/images/" in check.stdout


def test_search_page_renders_payload_titles_as_text(site: Build, browser: Any) -> None:
    context, page, dialogs, outside = _watched_page(browser)
    try:
        page.goto((site.site / "search" / "index.html").as_uri() + f"?q={MARK}")
        page.wait_for_selector('#diary-search-page[data-state="done"]', timeout=30_000)
        if page.is_visible("text=显示更多"):
            page.click("text=显示更多")
        # the next results are drawn after the click returns: wait for them (a timeout fails the test)
        page.wait_for_function("document.querySelectorAll('.diary-result__title').length >= 20", timeout=30_000)
        titles = page.eval_on_selector_all(".diary-result__title", "els => els.map(e => e.textContent)")
        assert len(titles) >= 20
        # titles are the typed text, payload characters and all
        numbered = [(int(m.group(1)), t) for t in titles if (m := re.match(r"样本(\d+) ", t)) and int(m.group(1)) <= 99]
        assert len(numbered) >= 15, titles
        assert [t for n, t in numbered if t != f"样本{n} {PAYLOADS[n - 1]}"] == []
        snippets = " ".join(page.eval_on_selector_all(".diary-result__snippet", "els => els.map(e => e.textContent)"))
        assert "onerror=pwn(" in snippets
        assert page.evaluate("window.__pwned") == []
        bad = [b for b in page.evaluate(DOM_CHECK) if not (b.startswith("script ") and THEME_SCRIPT.search(b))]
        assert bad == []
        # the community filter lists the payload communities as text
        options = page.eval_on_selector_all("#diary-f-community option", "els => els.map(e => e.textContent)")
        assert f"{PAYLOADS[4]}社区" in options
        # Enter in the box does not reload the page (the form has no handler attribute any more)
        page.fill("#diary-q", MARK)
        page.press("#diary-q", "Enter")
        page.wait_for_selector('#diary-search-page[data-state="done"]', timeout=30_000)
        assert dialogs == [] and outside == []
    finally:
        context.close()


# what the browser shows for <title>: the markup characters as their full-width look-alikes
LOOK_ALIKES = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇"})


def test_stats_and_community_pages_show_names_as_written(site: Build, browser: Any) -> None:
    page = browser.new_page()
    try:
        index = (site.site / "communities" / "index.html").as_uri()
        page.goto(index)
        listed = dict(page.eval_on_selector_all(
            "article li a", "els => els.map(a => [a.textContent, a.getAttribute('href')])"))
        for name in [f"{PAYLOADS[i - 1]}社区" for i in (1, 5, 7, 9, 23)] + [OPEN_COMMUNITY]:
            assert name in listed, sorted(listed)[:8]
            page.goto(index.rsplit("/", 1)[0] + "/" + listed[name])
            assert page.inner_text("article h1") == name
            assert page.title() == f"{name.translate(LOOK_ALIKES)} - 测试百科"
        page.goto((site.site / "communities" / "index.html").as_uri().replace("index.html", listed[OPEN_COMMUNITY]))
        items = page.eval_on_selector_all("article li a", "els => els.map(a => a.textContent)")
        assert OPEN_THREAD in items and OPEN_TITLE in items

        page.goto((site.site / "stats" / "index.html").as_uri())
        rows = page.eval_on_selector_all("#stat-community td:first-child", "els => els.map(e => e.textContent)")
        labels = page.eval_on_selector_all("#stat-community svg g > title", "els => els.map(e => e.textContent)")
        for name in [f"{PAYLOADS[i - 1]}社区" for i in (1, 5, 7, 9, 23)] + [OPEN_COMMUNITY]:
            assert name in rows
            assert f"{name}：{1 if name != OPEN_COMMUNITY else 2}" in labels
        # the chart's visible labels: the text itself (cut at ten characters), escaped once, not twice
        shown = page.eval_on_selector_all("#stat-community svg text.diary-chart__label",
                                          "els => els.map(e => e.textContent)")
        for name in [f"{PAYLOADS[i - 1]}社区" for i in (1, 5, 7, 9, 23)] + [OPEN_COMMUNITY]:
            assert (name if len(name) <= 10 else name[:9] + "…") in shown
        open_rows = page.eval_on_selector_all(
            "#stat-open tbody tr", "trs => trs.map(tr => [...tr.cells].map(c => c.textContent))")
        assert ["2021-11-02", OPEN_THREAD, OPEN_COMMUNITY, "2"] in open_rows, open_rows
    finally:
        page.close()
