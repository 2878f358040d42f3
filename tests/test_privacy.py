"""The personal-data guard: people.yml, what counts as personal data, lines, allow-lists, masks, pseudonyms."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import pytest
from conftest import make_project
from planted_pii import MASK_ALL, ORDINARY, PEOPLE_YML, entry_files, leaks, planted

from site_builder.corpus.load import load_corpus
from site_builder.model import Entry, Settings
from site_builder.privacy import (
    People,
    Rules,
    apply_pseudonyms,
    find_in_text,
    find_personal_data,
    mask,
    parse_people,
)
from site_builder.privacy.normalize import chinese_number, view
from site_builder.render.sanitize import sanitize_html

PEOPLE = People((("刘凤霞", "刘某某"), ("马长江", "")))


def entry(body: str, title: str = "一件事", *, allow: tuple[str, ...] = (), body_line: int = 5) -> Entry:
    return Entry(id="e", date=dt.date(2020, 5, 1), title=title, body=body, source=Path("/x/e.md"),
                 rel_source="2020/e.md", display="diaries/2020/e.md", body_line=body_line, title_line=2, allow=allow)


NO_RULES = Rules()


def codes(e: Entry, people: People = PEOPLE, rules: Rules = NO_RULES) -> list[tuple[int, str]]:
    return [(d.line, d.code) for d in find_personal_data(e, people, rules)]


@pytest.mark.parametrize(("text", "code"), [
    ("她的手机是13912345678。", "pii-phone"),
    ("手机 139-1234-5678", "pii-phone"),
    ("留了 +86 139 1234 5678", "pii-phone"),
    ("打到 0433-2512345 找她", "pii-phone"),
    ("座机（0431）85123456", "pii-phone"),
    ("電話８５１２３４５", "pii-phone"),  # Traditional and full-width digits
    ("身份证220102196503151234", "pii-id-number"),
    ("身份证号 22010219650315123X", "pii-id-number"),
    ("卡号 6222 0212 3456 7890 123", "pii-bank-card"),
    ("卡号6222021234567890", "pii-bank-card"),
    ("车是吉A·12345", "pii-plate"),
    ("吉H D12345停在楼下", "pii-plate"),
    ("住3号楼2单元501室", "pii-address"),
    ("住三号楼二单元", "pii-address"),
    ("住5栋302", "pii-address"),
    ("就是3-2-501那家", "pii-address"),
    ("501室的住户", "pii-address"),
    ("人民大街1234号", "pii-address"),
    ("刘凤霞来了", None),  # has a pseudonym: replaced, not an error
    ("馬長江來了", "pii-name"),  # known real name without a pseudonym, found in Traditional too
])
def test_each_kind_is_found(text: str, code: str | None) -> None:
    found = [c for _, c in codes(entry(text))]
    assert found == ([code] if code else [])


@pytest.mark.parametrize("text", [
    "一个单元一个单元地敲门", "七十七个单元门口装了扶手", "十栋楼定了楼栋长十人", "两室一厅", "打12345热线",
    "2020-03-15 开会", "报警打110", "投诉电话就没断过", "顶楼一户", "X号楼X单元", "8号楼的老人", "花了12000元",
    "二〇〇三年", "这栋楼要根治",
])
def test_ordinary_text_is_not_personal_data(text: str) -> None:
    assert codes(entry(text)) == []


def test_lines_point_into_the_file() -> None:
    e = entry("第一行\n第二行\n第三行 13912345678", title="找 刘凤霞 和 马长江", body_line=7)
    assert codes(e) == [(2, "pii-name"), (9, "pii-phone")]


def test_messages_do_not_repeat_the_number() -> None:
    [d] = find_personal_data(entry("手机13912345678"), PEOPLE, Rules())
    assert "13912345678" not in d.format() and "139＊＊＊＊5678" in d.format()
    assert d.path == "diaries/2020/e.md"


def test_allow_by_kind_or_exact_text() -> None:
    body = "社区办公室电话 0433-2512345，她的手机13912345678"
    assert [c for _, c in codes(entry(body, allow=("电话",)))] == []
    assert [c for _, c in codes(entry(body, allow=("0433-2512345",)))] == ["pii-phone"]
    published = apply_pseudonyms(entry(body, allow=("电话",)), PEOPLE, Rules())
    assert "0433-2512345" in published.body and "13912345678" in published.body  # allowed means as written


def test_college_mask_rule() -> None:
    rules = Rules(frozenset({"phone", "address", "name"}))
    e = entry("刘凤霞、马长江住3号楼2单元501室，手机13912345678，座机0431-85123456", title="刘凤霞的事")
    assert codes(e, rules=rules) == []
    out = apply_pseudonyms(e, PEOPLE, rules)
    assert out.title == "刘某某的事"
    assert out.body == "刘某某、马某某住X号楼X单元X室，手机139＊＊＊＊5678，座机0431-＊＊＊＊3456"


def test_pseudonyms_everywhere_and_longest_name_first() -> None:
    people = People((("刘凤霞", "刘某某"), ("刘凤", "李某")))
    e = entry("劉鳳霞說，刘凤也来了")
    assert apply_pseudonyms(e, people, Rules()).body == "刘某某說，李某也来了"


def test_mask_forms() -> None:
    assert mask("phone", "139 1234 5678") == "139＊＊＊＊5678"
    assert mask("phone", "一三九 幺二三四 五六七八") == "139＊＊＊＊5678"
    assert mask("id", "22010219650315123X") == "220102＊＊＊＊＊＊＊＊123X"
    assert mask("id", "220102650315123") == "220102" + "＊" * 5 + "5123"  # an old 15-digit ID
    assert mask("bank", "6222021234567890") == "＊" * 12 + "7890"
    assert mask("plate", "吉A·12345") == "吉A＊＊＊45"
    assert mask("plate", "吉 a 12345") == "吉A＊＊＊45"
    assert mask("address", "91 号楼 2 单元 101 室") == "X号楼X单元X室"
    assert mask("address", "A座2083") == "X座X"
    assert mask("name", "阿依古丽·买买提") == "阿" + "某" * 6
    assert mask("address", "三号楼二单元") == "X号楼X单元"


def test_people_file_problems() -> None:
    people, rules, problems = parse_people("刘凤霞: 刘某某\n刘: 某\n马长江: [a, b]\n罗亚琴: 罗亚琴\n"
                                           "设置:\n  自动遮挡: [电话, 指纹]\n")
    assert dict(people.names) == {"刘凤霞": "刘某某", "马长江": "", "罗亚琴": ""}
    assert rules.mask == {"phone"}
    assert [(p.line, p.code) for p in problems] == [(2, "bad-people"), (3, "bad-people"), (4, "bad-people"),
                                                    (5, "bad-people")]
    broken, _, problems = parse_people("刘凤霞: [\n")
    assert broken.unreadable and problems[0].code == "bad-people"


STORY = "---\n日期: 2020-05-01\n标题: 刘凤霞家的事\n{extra}---\n\n\n她说手机是13912345678。\n"


def test_loader_check_and_strictness(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path / "p", {
        "2020/leak.md": STORY.format(extra=""),
        "2020/allowed.md": STORY.format(extra="允许: [电话]\n").replace("05-01", "05-02"),
        "2020/hidden.md": STORY.format(extra="公开: private\n").replace("05-01", "05-03"),
        "people.yml": "刘凤霞: 刘某某\n",
    })
    corpus, problems = load_corpus(Settings(root / "diaries", root / ".cache"))
    # the entry with a phone is held back (even for a non-strict build); the allowed one is pseudonymised
    assert [e.id for e in corpus.entries] == ["allowed"]
    assert corpus.entries[0].title == "刘某某家的事" and "13912345678" in corpus.entries[0].body
    pii = [p for p in problems if p.code.startswith("pii-")]
    # two blank lines after the closing --- : the number sits on line 7 of the file
    assert [(p.path, p.line, p.code) for p in pii] == [("diaries/2020/leak.md", 7, "pii-phone")]
    # `diary check` reports the same findings and fails
    from site_builder.commands import check

    assert check.run(argparse.Namespace(root=str(root), format="text", paths=[], fix=False)) == 1
    out = capsys.readouterr().out
    assert "diaries/2020/leak.md:7: 错误[pii-phone]" in out and "13912345678" not in out


def test_unreadable_people_file_publishes_nothing(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"2020/a.md": "---\n日期: 2020-05-01\n标题: 平常事\n---\n正文\n",
                                         "people.yml": "刘凤霞: [\n"})
    corpus, problems = load_corpus(Settings(root / "diaries", root / ".cache"))
    assert corpus.entries == () and any(p.code == "bad-people" for p in problems)


# --- the forms people write (tests/planted_pii.py) -----------------------------------------------------------------
PLANTED = planted()
PLANTED_PEOPLE = parse_people(PEOPLE_YML)[0]
KIND_CODES = {"phone": "pii-phone", "id": "pii-id-number", "bank": "pii-bank-card", "plate": "pii-plate",
              "address": "pii-address", "name": "pii-name"}


def test_the_planted_set_is_large_and_varied() -> None:
    assert len(PLANTED) >= 150
    kinds = {i.kind for i in PLANTED}
    assert kinds == set(KIND_CODES)
    assert {i.where for i in PLANTED} == {"body", "title", "author", "community", "case", "id", "file"}
    assert len({i.form for i in PLANTED}) == len(PLANTED)  # every item is another way of writing


@pytest.mark.parametrize("item", [i for i in PLANTED if i.where in {"body", "title", "author", "community"}],
                         ids=lambda i: f"{i.kind}: {i.form}")
def test_every_planted_form_is_found_with_its_kind(item) -> None:  # type: ignore[no-untyped-def]
    found = find_in_text(item.written, PLANTED_PEOPLE)
    assert [f.kind for f in found] == [item.kind], [(f.kind, f.text) for f in found]
    # what was found covers every character of the secret as written: replacing it leaves nothing readable
    f = found[0]
    rest = item.written[:f.start] + "□" + item.written[f.end:]
    assert not leaks(item.secret, rest), rest


@pytest.mark.parametrize(("text", "kind"), [
    ("她的手机139 2009 5678（微信同号）", "phone"), ("tel:13920095678", "phone"), ("(139)2009-5678", "phone"),
    ("一三九，二零零九，五六七八", "phone"), ("139～2009～5678", "phone"), ("139/2009/5678", "phone"),
    ("幺叁玖贰零零玖伍陆柒捌", "phone"), ("13９2009５678", "phone"), ("[打电话](tel:13920095678)", "phone"),
    ('<a href="tel:13920095678">打</a>', "phone"), ("<!-- 13920095678 -->", "phone"), ("拨打 85123456 找她", "phone"),
    ("电话八五一二三四五六", "phone"), ("电话：0431—8512—3456", "phone"),
    ("身份证 110 101 199 003 072 036", "id"), ("公民身份号码 110101900307203", "id"),
    ("存折账号：0902 0123 4567 8901 23", "bank"),
    ("记下 0902 0123 4567 8901 23", "number"), ("卡号：6222-0212-3456-7890-123", "bank"),
    ("吉 A·2 0 6 5 5", "plate"), ("吉AD-12345", "plate"), ("车牌号：吉A·2065警", "plate"), ("苏E·12345", "plate"),
    ("住3号楼2-501", "address"), ("幸福小区3#2-501", "address"), ("5号楼东单元301", "address"),
    ("平房区3排5号", "address"), ("人民路88号院", "address"), ("叁号楼贰单元伍零壹", "address"),
    ("第五栋二单元301室", "address"), ("十五号楼三单元五零二", "address"), ("B栋2单元1102", "address"),
    ("刘-凤霞", "name"), ("刘_凤霞_", "name"), ("阿依古丽．买买提", "name"), ("马　长　江同志", "name"),
])
def test_more_ways_people_write(text: str, kind: str) -> None:
    """Forms not in the planted set, tried after it was written: the principle, not the list, has to catch them."""
    assert [f.kind for f in find_in_text(text, PLANTED_PEOPLE)] == [kind]


@pytest.mark.parametrize("text", [*ORDINARY, "在社区二楼203会议室开会", "12楼1205办公室", "5栋302活动室",
                                  "13.30-15.00 16.00-17.30", "2020.03.15 2020.03.16", "ISBN 978-7-111-12345-6",
                                  "打了3000000次", "第3排5号座位", "每栋6层12户", "5号 1030开会"])
def test_ordinary_sentences_with_numbers_are_not_personal_data(text: str) -> None:
    assert find_in_text(text, PLANTED_PEOPLE) == []


@pytest.mark.parametrize(("text", "seen"), [
    ("139.2009.5678", "139.2009.5678"), ("139—2013—5678", "139-2013-5678"), ("139 - 2009", "139-2009"),
    ("１３９　２００９", "139 2009"), ("139\u00a02009\u200b5678", "139 20095678"), ("139\n2009", "139 2009"),
    ("139\n\n2009", "139\n2009"),  # a blank line ends a paragraph: no number runs across it
    ("幺三九二零零九", "1392009"), ("壹叁玖", "139"), ("二〇七九号", "2079号"), ("十二号楼", "12号楼"),
    ("五百零一室", "501室"), ("一起", "一起"), ("十一二月", "十一二月"), ("139**2009**5678", "13920095678"),
    ("&#49;39&#45;2009", "139-2009"), ("<span>刘</span>凤霞", "刘凤霞"), ("馬長江", "马长江"),
    ("吉a‧20605", "吉A.20605"),
    ("3#楼", "3号楼"), ("139\\-2009", "139-2009"), ("`139`", "139"),
])
def test_the_view_normalises_every_way_of_writing(text: str, seen: str) -> None:
    assert view(text).text == seen


def test_the_view_maps_back_to_the_text_as_written() -> None:
    text = "电话：<b>１３９</b>&#45;二〇〇九\u200b-5678！"
    v = view(text)
    start = v.text.index("139")
    a, b = v.span(start, start + len("139-2009-5678"))
    assert text[a:b] == "１３９</b>&#45;二〇〇九\u200b-5678"
    [f] = find_in_text(text)
    assert text[f.start:f.end] == "<b>１３９</b>&#45;二〇〇九\u200b-5678"  # the <b> goes with its </b>


@pytest.mark.parametrize(("run", "number"), [
    ("二〇七九", "2079"), ("十", "10"), ("十二", "12"), ("二十", "20"), ("二十三", "23"), ("一百零一", "101"),
    ("三千二百", "3200"), ("两百", "200"), ("十一二", None), ("五六十", None), ("百", None), ("十十", None),
])
def test_chinese_numbers(run: str, number: str | None) -> None:
    assert chinese_number(run) == number


def test_a_number_split_across_lines_is_reported_at_its_first_line() -> None:
    e = entry("第一行\n她的手机 139\n2009\n5678 记下了", body_line=6)
    assert codes(e) == [(7, "pii-phone")]


def test_masks_replace_exactly_what_was_written() -> None:
    rules = Rules(frozenset({"phone", "id", "bank", "plate", "address", "name"}))
    body = ("手机**139**2009 5678，**她的电话１３９－２００９－５６７８**，卡号 6222 0212 3456 7894，"
            "住 91 号楼 2 单元 101 室，马\u200b长江、刘 凤霞都来了。")
    out = apply_pseudonyms(entry(body), PEOPLE, rules).body
    assert out == ("手机139＊＊＊＊5678，**她的电话139＊＊＊＊5678**，卡号 " + "＊" * 12 + "7894，"
                   "住 X号楼X单元X室，马某某、刘某某都来了。")


def test_luhn_decides_between_a_card_and_another_long_number() -> None:
    assert [f.kind for f in find_in_text("记下 6222 0212 3456 7894")] == ["bank"]  # valid Luhn
    assert [f.kind for f in find_in_text("记下 6222 0212 3456 7890")] == ["number"]  # not a card, still held back
    assert [f.kind for f in find_in_text("工资卡 6222 0212 3456 7890")] == ["bank"]  # named a card
    assert [f.kind for f in find_in_text("老身份证 220102650315123")] == ["id"]
    assert find_in_text("2019-2020-2021-2022 年度") == []  # years one after another


def test_what_becomes_a_url_is_checked_and_never_masked() -> None:
    rules = Rules(frozenset({"phone"}))
    e = Entry(id="13920095678", date=dt.date(2020, 5, 1), title="事", body="正文", source=Path("/x/13920095678.md"),
              rel_source="2020/13920095678.md", body_line=5, title_line=2, case="zhang-13812345678")
    found = find_personal_data(e, PEOPLE, rules)
    assert sorted((d.line, d.code) for d in found) == [(0, "pii-phone"), (3, "pii-phone")]
    assert all("网址" in d.fix for d in found)
    assert "13920095678" not in " ".join(d.message for d in found)


def test_fields_and_lines_from_a_real_file(tmp_path: Path) -> None:
    text = ("---\n日期: 2020-05-01\n标题: 走访\n作者: 王某 139 2009 5678\n社区: 湖光社区5栋2单元\n"
            "编号: card-6222021234567894\n---\n正文一行。\n")
    root = make_project(tmp_path / "p", {"2020/a.md": text})
    corpus, problems = load_corpus(Settings(root / "diaries", root / ".cache"))
    assert corpus.entries == ()
    pii = sorted((p.line, p.code) for p in problems if p.code.startswith("pii-"))
    assert pii == [(4, "pii-phone"), (5, "pii-address"), (6, "pii-bank-card")]


def test_people_file_names_compared_as_the_guard_reads_them() -> None:
    people, _, problems = parse_people("阿依古丽·买买提: 阿某\n刘凤霞: 刘 凤霞\n")
    assert [p.code for p in problems] == ["bad-people"]  # a pseudonym that is the real name, spaced, is no pseudonym
    assert [f.kind for f in find_in_text("阿依古丽 买买提来了", people)] == ["name"]
    assert apply_pseudonyms(entry("阿依古丽买买提来了"), people, Rules()).body == "阿某来了"


def test_planted_entries_through_the_loader(tmp_path: Path) -> None:
    """Every planted item, in every field, holds its entry back (or is replaced by a pseudonym) at its line."""
    files = entry_files(PLANTED)
    root = make_project(tmp_path / "p", {**files, "people.yml": PEOPLE_YML})
    corpus, problems = load_corpus(Settings(root / "diaries", root / ".cache"), suggest=False)
    published = {f"diaries/{e.rel_source}": e for e in corpus.entries}
    by_path: dict[str, list[tuple[int, str]]] = {}
    for p in problems:
        by_path.setdefault(p.path, []).append((p.line, p.code))
    for item, rel in zip(PLANTED, files, strict=True):
        path = f"diaries/{rel}"
        if path in published:  # only a name with a pseudonym is published, replaced
            e = published[path]
            assert item.kind == "name", item
            assert not leaks(item.secret, f"{e.title}\n{e.body}\n{e.author}\n{e.community}"), item
            continue
        assert KIND_CODES[item.kind] in {c for _, c in by_path.get(path, [])}, (item, by_path.get(path))
        if item.where == "body":
            line = files[rel].split("---\n")[1].count("\n") + 4
            assert (line, KIND_CODES[item.kind]) in by_path[path], (item, by_path[path])


def test_masked_planted_entries_are_published_masked(tmp_path: Path) -> None:
    files = entry_files(PLANTED)
    root = make_project(tmp_path / "p", {**files, "people.yml": PEOPLE_YML + MASK_ALL})
    corpus, _ = load_corpus(Settings(root / "diaries", root / ".cache"), suggest=False)
    published = {f"diaries/{e.rel_source}": e for e in corpus.entries}
    for item, rel in zip(PLANTED, files, strict=True):
        e = published.get(f"diaries/{rel}")
        if item.where in {"case", "id", "file"}:
            assert e is None, item  # a URL cannot be masked
            continue
        assert e is not None, item
        shown = f"{e.title}\n{e.body}\n{e.author}\n{e.community}"
        assert not leaks(item.secret, shown), (item, shown)
        assert ("X" if item.kind == "address" else "某" if item.kind == "name" else "＊") in shown, (item, shown)


# --- raw HTML in entries ---------------------------------------------------------------------------------------------
def test_sanitizer_removes_code_and_keeps_our_markup() -> None:
    dirty = ('<p>正文<script>alert(1)</script><img src="x.png" onerror="alert(2)">'
             '<a href="javascript:alert(3)">点我</a><a href="JaVaScRiPt:alert(4)">再点</a>'
             '<iframe src="https://evil.example"></iframe><style>body{display:none}</style>'
             '<div onclick="alert(5)" style="position:fixed">x</div><svg onload="alert(6)"></svg>'
             '<a href="data:text/html,<script>alert(7)</script>">d</a><form action="https://evil.example"></form></p>')
    clean = sanitize_html(dirty)
    for bad in ("<script", "onerror", "onclick", "onload", "javascript:", "<iframe", "<style", "style=",
                "data:", "alert(", "evil.example"):
        assert bad not in clean.lower(), bad
    # the /stats/ charts need inline SVG and the search pages a form: both stay, emptied of anything that could run
    # or send (no handler, no foreign action)
    assert "<svg></svg>" in clean and "<form></form>" in clean
    ours = ('<div class="diary-card"><p><strong>问题：</strong>漏水</p><ol><li>找维修队</li></ol></div>'
            '<div class="diary-thread"><p><a class="diary-prev" href="../entries/a.html">前情</a></p></div>'
            '<h2 id="qingkuang">情况</h2><table><tbody><tr><td colspan="2">表</td></tr></tbody></table>')
    assert sanitize_html(ours) == ours
