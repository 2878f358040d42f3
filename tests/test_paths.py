"""Learning paths (issue #12 item 2): diaries/paths.yml read into paths, every problem at `paths.yml:line`, the
same problems in `diary check`, and the /paths/ pages of the sample site."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
from conftest import Build, make_project

from site_builder.cli import main
from site_builder.corpus.load import load_corpus
from site_builder.diagnostics import Diagnostic
from site_builder.model import Corpus, Settings

BODY = "【情况】楼顶漏水。\n【做法】先盖塑料布，再找维修队。\n"


def _entry(date: str, title: str, extra: str = "", body: str = BODY) -> str:
    return f"---\n日期: {date}\n标题: {title}\n社区: 湖光社区\n{extra}---\n{body}"


ENTRIES: dict[str, str | bytes] = {
    "2020/2020-06-10-louding.md": _entry("2020-06-10", "顶楼漏水先盖塑料布", "主题: [房屋设施报修与水电暖]\n"),
    "2020/2020-06-11-wuye.md": _entry("2020-06-11", "物业撤了", "案例: 湖光小区物业弃管\n"),
    "2020/2020-07-11-wuye.md": _entry("2020-07-11", "业主代表开会", "案例: 湖光小區物業棄管\n"),
    "2020/2020-08-01-siyou.md": _entry("2020-08-01", "私密标记丙", "公开: private\n"),
    "2020/2020-08-02-phone.md": _entry("2020-08-02", "电话标记丁", "", "她的手机 139 1234 5678。\n"),
    "2020/2020-08-03-broken.md": "---\n标题: 没有日期\n---\n正文。\n",
}
PATHS_YML = """\
- 标题: 物业弃管小区怎么办
  对象: [书记, 網格員, 居民]
  目标: 弃管当天先顶住什么
  步骤:
    - 线索: 湖光小區物業棄管
      讨论: [物业撤场后先做什么？, 业主代表怎么找？]
    - 日记: 2020-06-10-louding.md
    - 日记: 2020/2020-08-01-siyou.md
    - 日记: 2020-08-02-phone
    - 日记: 2020/2020-08-03-broken.md
    - 日记: 2020/2020-06-10-loudin.md
    - 线索: 没有这条线索
    - 主题: 没有这个主题
    - 主題: 房屋設施報修與水電暖
      討論: 推荐的几篇里有什么共同的做法？
    - 说明: 这一步什么也没写
      颜色: 红色
- 对象: 新入职
  步骤:
    - 日记: 2020-06-10-louding.md
- title: English keys
  audience: 书记
  steps:
    - entry: 2020/2020-06-10-louding.md
      questions: 问题一
"""


def _load(root: Path) -> tuple[object, list[str]]:
    corpus, problems = load_corpus(Settings(root / "diaries", root / ".cache"), suggest=False)
    return corpus, [f"{d.path}:{d.line}:{d.code}" for d in problems if "paths" in d.path]


def test_paths_resolve_and_every_problem_is_at_its_line(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {**ENTRIES, "paths.yml": PATHS_YML})
    corpus, found = _load(root)
    assert found == [
        "diaries/paths.yml:2:path-audience",  # 居民 is not one of the three audiences
        "diaries/paths.yml:8:path-private-entry",
        "diaries/paths.yml:9:path-private-entry",  # held back for the phone number: the same as private here
        "diaries/paths.yml:10:path-unknown-entry",  # not published: it has no date
        "diaries/paths.yml:11:path-unknown-entry",
        "diaries/paths.yml:12:path-unknown-thread",
        "diaries/paths.yml:13:path-unknown-topic",
        "diaries/paths.yml:17:path-unknown-key",  # 颜色
        "diaries/paths.yml:16:path-bad-step",  # neither an entry, nor a thread, nor a topic
        "diaries/paths.yml:18:path-missing-title",
    ]
    paths = corpus.curriculum  # type: ignore[attr-defined]
    assert [p.title for p in paths] == ["物业弃管小区怎么办", "English keys"]
    first = paths[0]
    assert first.slug == "wu-ye-qi-guan-xiao-qu-zen-me-ban"
    assert first.audience == ("书记", "网格员", "居民")  # folded to the canonical word, the unknown one as written
    assert first.goals == ("弃管当天先顶住什么",)
    assert [(s.kind, len(s.entries)) for s in first.steps] == [("thread", 2), ("entry", 1), ("topic", 1)]
    assert first.steps[0].questions == ("物业撤场后先做什么？", "业主代表怎么找？")
    assert first.steps[2].questions == ("推荐的几篇里有什么共同的做法？",)  # 討論 = 讨论
    assert first.steps[2].title == "房屋设施报修与水电暖 · 推荐先读"
    english = paths[1]
    assert english.audience == ("书记",) and english.steps[0].questions == ("问题一",)
    assert english.steps[0].entries[0].title == "顶楼漏水先盖塑料布"


def test_personal_data_in_the_colleges_own_text_is_masked_and_reported(tmp_path: Path) -> None:
    """paths.yml is published too: a phone in a goal, an address in a note, a listed name in a question, a phone as
    the path's id (a URL). Masked on the page, an error at its line unless people.yml settles it."""
    paths_yml = """\
- 标题: 物业弃管小区怎么办
  编号: '13912345678'
  目标: 有事打书记手机 139 1234 5678
  步骤:
    - 线索: 湖光小區物業棄管
      讨论: [刘凤霞家的事先找谁？]
      说明: 去3号楼2单元501室看看
    - 日记: 2020-06-10-louding.md
      讨论: 马长江说的对吗？
"""
    people = "刘凤霞: 刘阿姨\n马长江:\n"  # 马长江 has no pseudonym yet
    root = make_project(tmp_path / "p", {**ENTRIES, "paths.yml": paths_yml, "people.yml": people})
    corpus, found = _load(root)
    assert found == ["diaries/paths.yml:2:pii-phone", "diaries/paths.yml:3:pii-phone",
                     "diaries/paths.yml:7:pii-address", "diaries/paths.yml:9:pii-name"], found
    [path] = corpus.curriculum  # type: ignore[attr-defined]
    assert path.slug == "wu-ye-qi-guan-xiao-qu-zen-me-ban"  # the id with a phone in it is no URL
    assert path.goals == ("有事打书记手机 139＊＊＊＊5678",)
    step = path.steps[0]
    assert step.questions == ("刘阿姨家的事先找谁？",) and "501" not in step.note and "X号楼" in step.note
    published = repr(path)
    assert path.steps[1].questions == ("马某某说的对吗？",)
    assert "1234" not in published and "刘凤霞" not in published and "马长江" not in published


@pytest.mark.parametrize(("text", "line"), [
    ("- 标题: 甲\n  步骤: [甲, 乙\n- 标题: 乙\n", 2),  # a bracket never closed: the line where it was opened
    ("- 标题: 甲\n  步骤:\n  - 日记: a.md\n 对象: 书记\n", 4),
    ("- 标题: &a 甲\n- 标题: *a\n", 2),  # no aliases in paths.yml
])
def test_bad_yaml_is_one_error_at_its_line(tmp_path: Path, text: str, line: int) -> None:
    root = make_project(tmp_path / "p", {**ENTRIES, "paths.yml": text})
    corpus, found = _load(root)
    assert found == [f"diaries/paths.yml:{line}:paths-yaml"]
    assert corpus.curriculum == ()  # type: ignore[attr-defined]


def test_not_a_list_and_no_file(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {**ENTRIES, "paths.yml": "标题: 甲\n"})
    assert _load(root)[1] == ["diaries/paths.yml:1:paths-yaml"]
    (root / "diaries" / "paths.yml").unlink()
    corpus, found = _load(root)
    assert found == [] and corpus.curriculum == ()  # type: ignore[attr-defined]


def test_diary_check_reports_paths_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path / "p", {**ENTRIES, "paths.yml": PATHS_YML})
    code = main(["--root", str(root), "check"])
    out = capsys.readouterr().out
    assert code == 1  # the path without a title is an error (and so are the entries with no date, a phone number)
    assert "diaries/paths.yml:18: 错误[path-missing-title]" in out
    assert "diaries/paths.yml:11: 警告[path-unknown-entry]" in out and "是不是“2020/2020-06-10-louding.md”" in out
    # checking one file still reports the project-wide paths.yml problems
    main(["--root", str(root), "check", "diaries/2020/2020-06-10-louding.md"])
    assert "diaries/paths.yml:8: 警告[path-private-entry]" in capsys.readouterr().out


def _article(page: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(page).xpath('//article[contains(@class, "md-content__inner")]')[0]


def test_sample_site_has_three_paths_with_steps_cards_and_questions(
        sample_site: Build, sample_corpus: tuple[Corpus, list[Diagnostic]]) -> None:
    corpus, problems = sample_corpus
    assert not [d for d in problems if "paths" in d.path], "the sample paths.yml has problems"
    assert len(corpus.curriculum) == 3
    listing = _article(sample_site.html("paths/index.html"))
    links = [a.get("href") for a in listing.xpath(".//li/a")]
    assert links == [f"{p.slug}.html" for p in corpus.curriculum]
    for p in corpus.curriculum:
        article = _article(sample_site.html(f"paths/{p.slug}.html"))
        assert article.xpath(".//h1")[0].text_content() == f"学习路径：{p.title}"
        steps = article.xpath(".//h2")
        assert len(steps) == len(p.steps)
        for h2, step in zip(steps, p.steps, strict=True):
            assert h2.text_content().endswith(step.title)
            # the step's cards and questions sit between this heading and the next
            following = h2.xpath("following-sibling::*")
            until = next((i for i, el in enumerate(following) if el.tag == "h2"), len(following))
            block = following[:until]
            cards = [c for el in block for c in el.xpath('descendant-or-self::div[@class="diary-case"]')]
            assert [c.xpath('.//a')[0].get("href") for c in cards] == [f"../entries/{e.id}.html" for e in step.entries]
            questions = [li.text_content() for el in block for li in el.xpath(
                'descendant-or-self::div[@class="diary-discuss"]//li')]
            assert questions == list(step.questions) and questions, step.title
