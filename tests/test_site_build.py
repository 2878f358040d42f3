"""Small diary projects: the pages `render_all` makes from them (in-process), and what a real MkDocs build (strict)
adds: strict mode's verdict, links as HTML, the navigation, the head."""

from __future__ import annotations

import re

import pytest
from conftest import Build, links, make_project, run_build

SIMPLIFIED = """---
date: 2020-06-10
title: 物业撤了，垃圾没人清
community: 湖光社区
topics: [物业管理与业委会]
case: huguang-test
status: 跟进中
---
【情况】建楼单位的物业说不干就不干了，三天垃圾没人清。
【做法】先找街道协调临时清运，再请业主代表来商量成立业委会。
【成效】第二天垃圾清走了，十九位代表里十六位同意筹备。
【体会】居民的依赖不是一天形成的。
"""

TRADITIONAL = """---
標題: 物業棄管小區選出業主委員會
日期: 2021年6月20日
社區: 湖光社區
主題: [物業]
案例: huguang-test
---
晚上挨家挨戶送選票，物業的事總算有人管了。
"""

SLASH_DATE = """---
date: 2021/7/8
title: 红色物业的打算
topics: [wuye]
case: huguang-test
---
业委会选出来以后，下一步想试试红色物业。
"""


THREAD: dict[str, str | bytes] = {"2020/2020-06-10-wuye.md": SIMPLIFIED, "2021/一篇繁体.md": TRADITIONAL,
                                  "2021/2021-07-08-hongse.md": SLASH_DATE}


@pytest.fixture(scope="module")
def built(strict_site: Build) -> Build:
    """The thread project built for real (strict): what only MkDocs and the theme show, the navigation, the head. It
    is built with two other small projects' entries (conftest.strict_site); these tests read the thread's pages."""
    return strict_site


def test_entry_topic_thread_pages(render):
    r = render(THREAD)
    assert not r.errors, [p.format() for p in r.problems]  # what would fail the strict build
    entry = r.pages["entries/2020-06-10-wuye.md"]
    assert "物业撤了，垃圾没人清" in entry
    assert "三天垃圾没人清" in entry
    assert "湖光社区" in entry and "2020年6月10日" in entry
    assert "../topics/wuye.md" in links(entry)
    # the case card summarises the sections at the top
    assert 'class="diary-card"' in entry and "十六位同意筹备" in entry
    # Traditional file name → a stable ASCII URL from its date and path
    trad = [src for src in r.pages if src.startswith("entries/2021-06-20-")]
    assert len(trad) == 1 and re.fullmatch(r"entries/2021-06-20-[0-9a-f]{6}\.md", trad[0])
    # the topic page lists both scripts under the same topic (物業 resolved to wuye)
    topic = r.pages["topics/wuye.md"]
    assert "物业撤了，垃圾没人清" in topic and "物業棄管小區選出業主委員會" in topic
    assert "2021年（2 篇）" in topic and "2020年（1 篇）" in topic
    # thread: previous and next on the middle entry, timeline page in date order
    middle = r.pages[trad[0]]
    assert "前情" in middle and "2020-06-10-wuye.md" in links(middle)
    assert "后续" in middle and "2021-07-08-hongse.md" in links(middle)
    case = r.pages["cases/huguang-test.md"]
    assert case.index("物业撤了") < case.index("業主委員會") < case.index("红色物业的打算")
    # years
    assert "红色物业的打算" in r.pages["years/2021.md"]


def test_the_built_site_links_the_pages_and_keeps_entries_out_of_the_navigation(built: Build):
    assert built.returncode == 0, built.output
    entry = built.html("entries/2020-06-10-wuye.html")
    assert 'href="../topics/wuye.html"' in entry and "三天垃圾没人清" in entry
    trad = [p.name for p in (built.site / "entries").glob("2021-06-20-*.html")]
    assert len(trad) == 1 and 'href="2020-06-10-wuye.html"' in built.html(f"entries/{trad[0]}")
    # entries are not in the navigation
    home = built.html("index.html")
    nav = home.split('class="md-content"')[0]
    assert "topics/index.html" in nav and "entries/" not in nav and "topics/wuye.html" not in nav


def test_every_date_form_and_chinese_keys(render):
    forms = {"2020-03-05": "2020-03-05", "2020年3月6日": "2020-03-06", "2020/3/7": "2020-03-07",
             "2020.3.8": "2020-03-08", "2020年3月9日 星期一 晴": "2020-03-09"}
    files: dict[str, str | bytes] = {f"e{i}.md": f"---\n日期: {raw}\n标题: 第{i}篇\n---\n正文{i}\n"
                                     for i, raw in enumerate(forms)}
    r = render(files)
    assert not r.errors, [p.format() for p in r.problems]
    for i, iso in enumerate(forms.values()):
        page = r.pages[f"entries/e{i}.md"]
        y, m, d = (int(x) for x in iso.split("-"))
        assert f"{y}年{m}月{d}日" in page


BROKEN: dict[str, str | bytes] = {"good.md": SIMPLIFIED,
                                  "bad.md": "---\ntitle: 日期写错了\ndate: 2020-02-30\n---\n正文\n",
                                  "colon.md": "---\n标题：中文冒号\n日期：2020-05-01\n---\n正文\n"}


def test_broken_entry_fails_the_strict_build_with_its_line(build_project):
    strict = build_project(BROKEN)
    assert strict.returncode != 0
    assert "diaries/bad.md:3: 错误[impossible-date]" in strict.output
    assert "diaries/colon.md:2: 警告[fullwidth-colon]" in strict.output


def test_broken_entry_reported_and_the_others_still_published(render):
    # a normal build publishes what the corpus holds (a non-strict build with errors passes: test_leak, test_intake)
    r = render(BROKEN)
    assert [(p.path, p.line, p.code) for p in r.errors] == [("diaries/bad.md", 3, "impossible-date")]
    assert "entries/good.md" in r.pages
    assert "entries/bad.md" not in r.pages
    # the full-width colon was read correctly, so that entry is still published
    assert "中文冒号" in r.pages["entries/colon.md"]


def test_no_requests_to_other_hosts_in_html(built: Build):
    html = built.html("entries/2020-06-10-wuye.html")
    assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
    # nothing is loaded from another host (links a reader may click, like the theme credit, are fine)
    assert not re.search(r'src="(https?:)?//', html)
    assert not re.search(r'<link[^>]+href="(https?:)?//', html)
    assert '<meta name="renderer" content="webkit">' in html


def test_diaries_inside_docs_is_refused(tmp_path):
    root = make_project(tmp_path, {"a.md": SIMPLIFIED})
    (root / "mkdocs.yml").write_text((root / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "  - diary\n", "  - diary:\n      diaries_dir: docs/diaries\n"), encoding="utf-8")
    (root / "diaries").rename(root / "docs" / "diaries")
    b = run_build(root)
    assert b.returncode != 0 and "不能放在 docs_dir 里面" in b.output
    assert not (root / "site" / "diaries").exists()


def test_check_of_one_path_reports_personal_data(tmp_path, capsys):
    from site_builder.cli import main

    leak = "---\ndate: 2020-01-02\ntitle: 上门\n---\n王某留了电话13912345678，说明天再来。\n"
    root = make_project(tmp_path, {"2020/leak.md": leak, "ok.md": SIMPLIFIED})
    assert main(["--root", str(root), "check", str(root / "diaries" / "2020" / "leak.md")]) == 1
    out = capsys.readouterr().out
    assert "diaries/2020/leak.md:5: 错误[pii-phone]" in out and "13912345678" not in out
