"""A real MkDocs build (strict) of small diary projects, asserting on the HTML it writes."""

from __future__ import annotations

import re

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


def test_entry_topic_thread_pages(build_project):
    b = build_project({"2020/2020-06-10-wuye.md": SIMPLIFIED, "2021/一篇繁体.md": TRADITIONAL,
                       "2021/2021-07-08-hongse.md": SLASH_DATE})
    assert b.returncode == 0, b.output
    entry = b.html("entries/2020-06-10-wuye.html")
    assert "物业撤了，垃圾没人清" in entry
    assert "三天垃圾没人清" in entry
    assert "湖光社区" in entry and "2020年6月10日" in entry
    assert 'href="../topics/wuye.html"' in entry
    # the case card summarises the sections at the top
    assert 'class="diary-card"' in entry and "十六位同意筹备" in entry
    # Traditional file name → a stable ASCII URL from its date and path
    trad = [p.name for p in (b.site / "entries").glob("2021-06-20-*.html")]
    assert len(trad) == 1 and re.fullmatch(r"2021-06-20-[0-9a-f]{6}\.html", trad[0])
    # the topic page lists both scripts under the same topic (物業 resolved to wuye)
    topic = b.html("topics/wuye.html")
    assert "物业撤了，垃圾没人清" in topic and "物業棄管小區選出業主委員會" in topic
    assert "2021年（2 篇）" in topic and "2020年（1 篇）" in topic
    # thread: previous and next on the middle entry, timeline page in date order
    middle = b.html(f"entries/{trad[0]}")
    assert "前情" in middle and "2020-06-10-wuye.html" in middle
    assert "后续" in middle and "2021-07-08-hongse.html" in middle
    case = b.html("cases/huguang-test.html")
    assert case.index("物业撤了") < case.index("業主委員會") < case.index("红色物业的打算")
    # years
    assert "红色物业的打算" in b.html("years/2021.html")
    # entries are not in the navigation
    home = b.html("index.html")
    nav = home.split('class="md-content"')[0]
    assert "topics/index.html" in nav and "entries/" not in nav and "topics/wuye.html" not in nav


def test_every_date_form_and_chinese_keys(build_project):
    forms = {"2020-03-05": "2020-03-05", "2020年3月6日": "2020-03-06", "2020/3/7": "2020-03-07",
             "2020.3.8": "2020-03-08", "2020年3月9日 星期一 晴": "2020-03-09"}
    files = {f"e{i}.md": f"---\n日期: {raw}\n标题: 第{i}篇\n---\n正文{i}\n" for i, raw in enumerate(forms)}
    b = build_project(files)
    assert b.returncode == 0, b.output
    for i, iso in enumerate(forms.values()):
        page = b.html(f"entries/e{i}.html")
        y, m, d = (int(x) for x in iso.split("-"))
        assert f"{y}年{m}月{d}日" in page


def test_broken_entry_reported_with_line_and_others_still_published(build_project):
    broken = "---\ntitle: 日期写错了\ndate: 2020-02-30\n---\n正文\n"
    colon = "---\n标题：中文冒号\n日期：2020-05-01\n---\n正文\n"
    files = {"good.md": SIMPLIFIED, "bad.md": broken, "colon.md": colon}
    strict = build_project(files)
    assert strict.returncode != 0
    assert "diaries/bad.md:3: 错误[impossible-date]" in strict.output
    assert "diaries/colon.md:2: 警告[fullwidth-colon]" in strict.output
    loose = build_project(files, strict=False)
    assert loose.returncode == 0, loose.output
    assert (loose.site / "entries" / "good.html").exists()
    assert not (loose.site / "entries" / "bad.html").exists()
    # the full-width colon was read correctly, so that entry is still published
    assert "中文冒号" in loose.html("entries/colon.html")


def test_no_requests_to_other_hosts_in_html(build_project):
    b = build_project({"a.md": SIMPLIFIED})
    html = b.html("entries/a.html")
    assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
    # nothing is loaded from another host (links a reader may click, like the theme credit, are fine)
    assert not re.search(r'src="(https?:)?//', html)
    assert not re.search(r'<link[^>]+href="(https?:)?//', html)
    assert '<meta name="renderer" content="webkit">' in html


def test_diaries_inside_docs_is_refused(tmp_path):
    from conftest import make_project, run_build

    root = make_project(tmp_path, {"a.md": SIMPLIFIED})
    (root / "mkdocs.yml").write_text((root / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "  - diary\n", "  - diary:\n      diaries_dir: docs/diaries\n"), encoding="utf-8")
    (root / "diaries").rename(root / "docs" / "diaries")
    b = run_build(root)
    assert b.returncode != 0 and "不能放在 docs_dir 里面" in b.output
    assert not (root / "site" / "diaries").exists()


def test_check_of_one_path_reports_personal_data(tmp_path, capsys):
    from conftest import make_project

    from site_builder.cli import main

    leak = "---\ndate: 2020-01-02\ntitle: 上门\n---\n王某留了电话13912345678，说明天再来。\n"
    root = make_project(tmp_path, {"2020/leak.md": leak, "ok.md": SIMPLIFIED})
    assert main(["--root", str(root), "check", str(root / "diaries" / "2020" / "leak.md")]) == 1
    out = capsys.readouterr().out
    assert "diaries/2020/leak.md:5: 错误[pii-phone]" in out and "13912345678" not in out
