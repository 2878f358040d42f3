"""Teaching notes on an entry (issue #12 item 3): 讨论 / 要点 in either script or English, one string or a list,
shown on the entry page; like every published field they pass the privacy guard."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
from conftest import Build, make_project

from site_builder.corpus.load import load_corpus
from site_builder.model import Settings

SIMPLIFIED = """---
日期: 2020-06-10
标题: 物业撤了，垃圾没人清
要点:
  - 先兜住看得见的事
  - 把资料要到手里
讨论: 物业撤场的头三天，你先做哪一件事？为什么？
---
【情况】物业撤了。
【做法】先找街道临时清运。
"""
TRADITIONAL = """---
日期: 2021-06-20
標題: 業主委員會選出來了
要點: |
  挨家挨戶送選票
  有話擺到桌面上說
討論: [選票怎麼送到每一戶？, 沒來投票的人家，要不要再去一趟？]
---
晚上挨家挨戶送選票。
"""
ENGLISH = """---
date: 2021-07-08
title: 红色物业的打算
takeaways: 物业要接受业委会的监督
discussion:
  - 红色物业和一般物业有什么不同？
---
业委会选出来以后，下一步想试试红色物业。
"""
PHONE = """---
日期: 2021-08-01
标题: 讨论题里写了电话
讨论: [有事打 139 1234 5678 找她]
---
正文没有个人信息。
"""


# built (not strict) with test_intake's doubtful visibilities in one build (conftest.lenient_site)
NOTES_FILES: dict[str, str | bytes] = {
    "2020/2020-06-10-wuye.md": SIMPLIFIED, "2021/2021-06-20-toupiao.md": TRADITIONAL,
    "2021/2021-07-08-hongse.md": ENGLISH, "2021/2021-08-01-phone.md": PHONE, "people.yml": "刘凤霞: 刘某某\n"}


@pytest.fixture(scope="module")
def site(lenient_site: Build) -> Build:
    return lenient_site


def _notes(page: str) -> dict[str, list[str]]:
    tree = lxml.html.fromstring(page)
    (block,) = tree.xpath('//article//div[@class="diary-notes"]')
    out: dict[str, list[str]] = {}
    for title in block.xpath('./p[contains(@class, "diary-notes__title")]'):
        items = title.xpath('following-sibling::*[1][self::ul or self::ol]/li')
        out[title.text_content().strip()] = [li.text_content().strip() for li in items]
    return out


def test_notes_in_every_spelling_are_shown_on_the_entry_page(site: Build) -> None:
    assert _notes(site.html("entries/2020-06-10-wuye.html")) == {
        "要点": ["先兜住看得见的事", "把资料要到手里"], "讨论": ["物业撤场的头三天，你先做哪一件事？为什么？"]}
    assert _notes(site.html("entries/2021-06-20-toupiao.html")) == {
        "要点": ["挨家挨戶送選票", "有話擺到桌面上說"],
        "讨论": ["選票怎麼送到每一戶？", "沒來投票的人家，要不要再去一趟？"]}
    assert _notes(site.html("entries/2021-07-08-hongse.html")) == {
        "要点": ["物业要接受业委会的监督"], "讨论": ["红色物业和一般物业有什么不同？"]}


def test_an_entry_without_notes_has_no_notes_block(render) -> None:  # type: ignore[no-untyped-def]
    r = render({"2020/x.md": "---\n日期: 2020-01-02\n标题: 没有讨论题\n---\n正文。\n",
                "2020/y.md": "---\n日期: 2020-01-03\n标题: 有讨论题\n讨论: [为什么？]\n---\n正文。\n"})
    assert not r.errors, [p.format() for p in r.problems]
    assert 'class="diary-notes"' not in r.pages["entries/x.md"]
    assert 'class="diary-notes"' in r.pages["entries/y.md"]  # the same check sees a block where there is one


def test_personal_data_in_notes_keeps_the_entry_off_the_site(site: Build, tmp_path: Path) -> None:
    assert not (site.site / "entries" / "2021-08-01-phone.html").exists()
    assert "1234 5678" not in "".join(p.read_text(encoding="utf-8") for p in site.site.rglob("*.html"))
    _, problems = load_corpus(Settings(site.root / "diaries", tmp_path), suggest=False)
    phone = [d for d in problems if d.code == "pii-phone"]
    assert [(d.path, d.line) for d in phone] == [("diaries/2021/2021-08-01-phone.md", 4)]
    assert "讨论题里" in phone[0].message


def test_a_pseudonym_replaces_a_name_in_the_notes(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {
        "2020/a.md": "---\n日期: 2020-01-02\n标题: 一次走访\n要点: [刘凤霞大姐的话要记下来]\n---\n正文。\n",
        "people.yml": "刘凤霞: 刘某某\n"})
    corpus, _ = load_corpus(Settings(root / "diaries", tmp_path / "cache"), suggest=False)
    assert corpus.entries[0].takeaways == ("刘某某大姐的话要记下来",)
