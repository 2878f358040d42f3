"""Entries as secretaries really write them are published: Chinese thread names, their own topic words, informal
method names; only what makes an entry unpublishable keeps it off the site; a doubtful visibility keeps it private."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import Build, labelled_links, links, make_project, run_build


def _entry(date: str, title: str, body: str, **fields: str) -> str:
    head = "".join(f"{k}: {v}\n" for k, v in fields.items())
    return f"---\n日期: {date}\n标题: {title}\n{head}---\n{body}\n"


def test_chinese_thread_names_in_both_scripts_are_one_thread(render) -> None:  # type: ignore[no-untyped-def]
    r = render({
        "a.md": _entry("2019-05-01", "东院有人搭棚子", "东院一楼住户在院里搭了铁皮棚。", 案例="东院违建"),
        "b.md": _entry("2019-06-01", "東院違建拆了一半", "今天去看，棚子拆了一半。", 案例="東院違建"),
        "c.md": _entry("2019-07-01", "东院棚子拆完了", "棚子全部拆掉，院子宽敞了。", 案例="东院 违建"),
        "d.md": _entry("2020-01-01", "旧编号的线索", "按老办法写的编号。", 案例="2020-huguang-yeweihui"),
    })
    assert not r.errors, [p.format() for p in r.problems]
    cases = sorted(src for src in r.pages if src.startswith("cases/"))
    assert cases == ["cases/2020-huguang-yeweihui.md", "cases/dong-yuan-wei-jian.md", "cases/index.md"]
    page = r.pages["cases/dong-yuan-wei-jian.md"]
    assert page.startswith("# 案例线索：东院违建\n")  # two of three entries are Simplified: the Simplified name
    assert page.index("东院有人搭棚子") < page.index("東院違建拆了一半") < page.index("东院棚子拆完了")
    assert ("东院违建", "dong-yuan-wei-jian.md") in labelled_links(r.pages["cases/index.md"])
    middle = r.pages["entries/b.md"]
    assert "前情" in middle and "entries/a.md" not in middle and "a.md" in links(middle)
    assert "../cases/dong-yuan-wei-jian.md" in links(middle)
    # an ASCII id keeps its URL and shows its first entry's title
    assert "旧编号的线索" in r.pages["cases/2020-huguang-yeweihui.md"]


def test_optional_fields_never_hold_an_entry_back(render) -> None:  # type: ignore[no-untyped-def]
    r = render({
        "t.md": _entry("2014-11-03", "暖气不热挨家看", "老厂区的暖气片冰凉，挨家挨户量温度。", 主题="暖气、防汛",
                       工作法="[三长制, 坝坝会, 敲门行动]", 状态="解决了", 编号="第一篇"),
        "s.md": _entry("2015-01-02", "怪状态", "正文。", 状态="看情况"),
    })
    # warnings only: a strict build passes (it fails on errors alone), as `diary check` does
    assert not r.errors, [p.format() for p in r.problems]
    page = r.pages["entries/t.md"]
    assert page.startswith("# 暖气不热挨家看\n")
    assert "已解决" in page
    assert "敲门行动" in page  # an unlisted method is shown as written
    assert "../methods/sanzhang-zhi.md" in links(page)
    assert "../methods/babahui.md" in links(page)
    assert "怪状态" in r.pages["entries/s.md"]
    output = "\n".join(p.format() for p in r.problems)
    assert "unknown-topic" in output and "暖气" in output and "是不是“房屋设施报修与水电暖”" in output


SECRET = "这段话只能留在本机"
# built (not strict) with test_notes' entries in one build (conftest.lenient_site)
VISIBILITY_FILES: dict[str, str | bytes] = {
    "dup.md": f"---\n日期: 2020-01-01\n标题: 两个公开\n公开: private\nvisibility: public\n---\n{SECRET}一\n",
    "near1.md": _entry("2020-01-02", "拼错", f"{SECRET}二", visiblity="public"),
    "near2.md": _entry("2020-01-03", "私密", f"{SECRET}三", 私密="是"),
    "near3.md": _entry("2020-01-04", "草稿", f"{SECRET}四", draft="true"),
    "ok.md": _entry("2020-01-05", "公开的", "这篇可以发布。"),
}


def test_doubtful_visibility_keeps_the_entry_private(lenient_site: Build) -> None:
    secret, b = SECRET, lenient_site
    assert b.returncode == 0, b.output
    for p in b.site.rglob("*"):
        if p.is_file() and p.suffix in {".html", ".js", ".json", ".xml"}:
            assert secret not in p.read_text(encoding="utf-8", errors="replace"), p
    assert "这篇可以发布" in b.html("entries/ok.html")
    assert "conflicting-visibility" in b.output and b.output.count("visibility-guess") == 3


def test_same_date_and_title_both_publish_with_a_warning(render) -> None:  # type: ignore[no-untyped-def]
    r = render({
        "x.md": _entry("2021-03-01", "楼道堆杂物", "一楼楼道堆满纸箱。"),
        "y.md": _entry("2021-03-01", "楼道堆杂物", "三楼楼道放了旧沙发。"),
    })
    assert not r.errors, [p.format() for p in r.problems]
    assert "一楼楼道堆满纸箱" in r.pages["entries/x.md"] and "旧沙发" in r.pages["entries/y.md"]
    output = "\n".join(p.format() for p in r.problems)
    assert "same-date-title" in output and "diaries/x.md" in output


def test_list_shaped_synonyms_are_reported_not_crashed_on(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"a.md": _entry("2020-01-01", "一篇", "正文。")})
    topics = root / "diaries" / "topics.yml"
    topics.write_text(topics.read_text(encoding="utf-8") + "\nsynonyms: [屋顶, 楼顶]\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "site_builder", "--root", str(root), "check"],
                          capture_output=True, text=True, timeout=300)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "bad-taxonomy" in proc.stdout and proc.returncode == 1
    b = run_build(root, strict=False)
    assert b.returncode == 0 and "Traceback" not in b.output
    assert (b.site / "entries" / "a.html").exists()


def test_dangling_link_and_missing_folder_are_messages_not_tracebacks(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"a.md": _entry("2020-01-01", "好好的一篇", "正文。")})
    (root / "diaries" / "gone.md").symlink_to(root / "nowhere.md")
    proc = subprocess.run([sys.executable, "-m", "site_builder", "--root", str(root), "check"],
                          capture_output=True, text=True, timeout=300)
    assert "Traceback" not in proc.stderr, proc.stderr
    # a warning: the link is skipped and everything else publishes
    assert "diaries/gone.md" in proc.stdout and "special-file" in proc.stdout and proc.returncode == 0
    b = run_build(root, strict=False)
    assert b.returncode == 0 and "Traceback" not in b.output, b.output
    assert "好好的一篇" in (b.site / "entries" / "a.html").read_text(encoding="utf-8")
    (root / "diaries" / "gone.md").unlink()
    (root / "diaries").rename(root / "diary")
    proc = subprocess.run([sys.executable, "-m", "site_builder", "--root", str(root), "check"],
                          capture_output=True, text=True, timeout=300)
    assert "Traceback" not in proc.stderr and proc.returncode == 1, proc.stdout + proc.stderr
    assert "no-diaries-folder" in proc.stdout


# built with test_communities' markup entry and test_site_build's thread in one strict build (conftest.strict_site)
MARKUP_ENTRY = {
    "x.md": "---\n日期: 2020-01-01\n标题: \"&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;\"\n"
            "社区: \"<img src=x onerror=alert(1)>\"\n案例: \"<b onmouseover=alert(1)>线索</b>\"\n---\n正文。\n",
}


def test_markup_in_titles_and_communities_never_becomes_markup(strict_site: Build) -> None:
    b = strict_site
    assert b.returncode == 0, b.output
    for rel in ("entries/x.html", "search/index.html", "cases/index.html"):
        page = b.html(rel)
        title = re.search(r"<title>(.*?)</title>", page, re.S)
        assert title and "<" not in title.group(1), (rel, title)
        assert "onerror=" not in page.replace("onerror=alert(1)&gt;", ""), rel
        assert "<script>alert" not in page and "<img src=x" not in page, rel
    for p in (b.site / "cases").glob("*.html"):
        assert "<b onmouseover" not in p.read_text(encoding="utf-8"), p
