"""`diary check`: every bad-input case real files bring, all reported at once; `--fix`; golden fixtures."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import REPO, make_project

from site_builder.cli import main
from site_builder.frontmatter import decode, split
from site_builder.schema import Resolvers, build_entry
from site_builder.taxonomy import NameResolver, load_taxonomy

GOOD = "---\ndate: 2020-03-05\ntitle: 顶楼漏水\ntopics: [物业]\n---\n【情况】顶楼漏水。\n"
GBK_ENTRY = "---\n标题：屋顶漏水\n日期：2020年3月5日\n---\n正文内容\n".encode("gbk")
BAD_FILES: dict[str, str | bytes] = {
    "good.md": GOOD,
    "bom.md": b"\xef\xbb\xbf" + "---\ndate: 2020-03-06\ntitle: 带BOM\n---\n正文\n".encode(),
    "gbk.md": GBK_ENTRY,
    "crlf.md": "---\r\ndate: 2020-03-07\r\ntitle: 换行\r\n---\r\n正文\r\n".encode(),
    "tabs.md": "---\ndate:\t2020-03-08\n\ttitle: 用了Tab\n---\n正文\n",
    "fullwidth.md": "---\n标题：中文冒号\n日期：2020-03-09\n---\n正文\n",
    "unclosed.md": "---\n标题: 没有结束\n日期: 2020-03-10\n正文第一段\n",
    "feb30.md": "---\ndate: 2020-02-30\ntitle: 不存在的日子\n---\n正文\n",
    "cndate.md": "---\ndate: 2020年3月11日\ntitle: 中文日期\n---\n正文\n",
    "topicstr.md": "---\ndate: 2020-03-12\ntitle: 主题字符串\ntopics: 疫情防控、为老服务\n---\n正文\n",
    "unknowntopic.md": "---\ndate: 2020-03-13\ntitle: 主题不认识\ntopics: [疫情防空]\n---\n正文\n",
    "dup-a.md": "---\ndate: 2020-03-14\ntitle: 重复\n---\n一样的正文\n",
    "dup-b.md": "---\ndate: 2020-03-14\ntitle: 重复\n---\n一样的正文\n",
    "empty.md": b"",
    "binary.md": b"PK\x03\x04" + bytes(range(256)),
    "long.md": "---\ndate: 2020-03-15\ntitle: 很长\ntopics: [物业]\n---\n" + "今天走访了很多户居民。" * 30_000 + "\n",
}
EXPECTED = {
    "bom.md": set(), "crlf.md": set(), "cndate.md": set(), "good.md": set(),
    "gbk.md": {"gbk-encoding", "fullwidth-colon"}, "tabs.md": {"yaml-tab"}, "fullwidth.md": {"fullwidth-colon"},
    "unclosed.md": {"unclosed-front-matter"}, "feb30.md": {"impossible-date"}, "topicstr.md": {"topics-not-list"},
    "unknowntopic.md": {"unknown-topic"}, "dup-a.md": set(), "dup-b.md": {"duplicate-entry"},
    "empty.md": {"empty-file"}, "binary.md": {"binary-file"}, "long.md": {"long-entry"},
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "p", BAD_FILES)


def _check(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["--root", str(root), "check", *args])
    return code, capsys.readouterr().out


def _json(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    code, out = _check(root, capsys, "--format", "json", *args)
    return code, json.loads(out)


def test_every_problem_in_every_file_at_once(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, report = _json(project, capsys)
    assert code == 1
    found: dict[str, set[str]] = {}
    for d in report["diagnostics"]:
        found.setdefault(d["path"].removeprefix("diaries/"), set()).add(d["code"])
    for name, codes in EXPECTED.items():
        assert found.get(name, set()) == codes, name
    assert report["files"] == len(BAD_FILES)


def test_text_format_lines_and_summary(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _check(project, capsys)
    lines = out.strip().splitlines()
    assert code == 1
    assert "diaries/feb30.md:2: 错误[impossible-date] 日期“2020-02-30”不存在（2020年2月没有30日） — 核对日历" in out
    assert "diaries/unclosed.md:4: 错误[unclosed-front-matter]" in out and "在第 4 行前面单独写一行 `---`" in out
    assert "diaries/fullwidth.md:2: 警告[fullwidth-colon]" in out
    assert "是不是“疫情防控" in out
    assert all(" — " in line for line in lines[:-1])
    assert lines[-1].startswith(f"检查了 {len(BAD_FILES)} 个文件：")


def test_clean_project_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path, {"a.md": GOOD})
    code, out = _check(root, capsys)
    assert code == 0 and out.strip() == "检查了 1 个文件，没有发现问题。"


def test_paths_only_those_files_topics_from_project(project: Path, capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    code, report = _json(project, capsys, "diaries/good.md", "diaries/unknowntopic.md")
    assert code == 0 and report["files"] == 2  # an unknown topic is a warning: the entry still publishes
    assert {d["code"] for d in report["diagnostics"]} == {"unknown-topic"}
    code, report = _json(project, capsys, "diaries/good.md")
    assert code == 0 and report["diagnostics"] == []


def test_paths_report_duplicates_against_the_given_and_the_rest(project: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    _, report = _json(project, capsys, str(project / "diaries/dup-a.md"))
    assert [d["code"] for d in report["diagnostics"]] == ["duplicate-entry"]
    outside = project.parent / "draft"
    outside.mkdir()
    (outside / "x.md").write_text(GOOD, encoding="utf-8")
    (outside / "y.md").write_text(GOOD, encoding="utf-8")
    _, report = _json(project, capsys, str(outside))
    assert sorted(d["code"] for d in report["diagnostics"]) == ["duplicate-entry", "duplicate-entry"]


def test_missing_path_is_reported_not_raised(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _check(project, capsys, "nowhere.md")
    assert code == 1 and "nowhere.md: 错误[not-found]" in out


def test_fix_rewrites_only_safe_things_and_says_what(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = {p.name: p.read_bytes() for p in (project / "diaries").glob("*.md")}
    _, out = _check(project, capsys, "--fix")
    assert "diaries/gbk.md: 已修改 编码 GBK → UTF-8" in out
    assert "diaries/gbk.md:2: 已修改 “标题：屋顶漏水” → “标题: 屋顶漏水”" in out
    assert "diaries/cndate.md:2: 已修改 日期“2020年3月11日” → “2020-03-11”" in out
    d = project / "diaries"
    assert (d / "gbk.md").read_text(encoding="utf-8") == "---\n标题: 屋顶漏水\n日期: 2020-03-05\n---\n正文内容\n"
    assert (d / "fullwidth.md").read_text(encoding="utf-8").startswith("---\n标题: 中文冒号\n日期: 2020-03-09\n")
    assert (d / "crlf.md").read_bytes() == before["crlf.md"]  # nothing to fix: untouched, CRLF kept
    for name in ("good.md", "feb30.md", "unclosed.md", "tabs.md", "binary.md", "empty.md", "long.md", "bom.md"):
        assert (d / name).read_bytes() == before[name], name
    assert not [p for p in d.iterdir() if p.name.startswith(".")]  # no temp files left
    # the fixed warnings are gone; the rest is still reported
    _, report = _json(project, capsys)
    codes = {x["code"] for x in report["diagnostics"]}
    assert "fullwidth-colon" not in codes and "gbk-encoding" not in codes and "impossible-date" in codes
    # a second run has nothing left to fix
    _, out = _check(project, capsys, "--fix")
    assert "已修改" not in out


def test_fix_keeps_crlf_and_leaves_dates_with_weather(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path, {
        "a.md": "---\r\n标题：漏水\r\n日期: 2020/3/5\r\n---\r\n正文\r\n".encode(),
        "b.md": "---\ntitle: 晴天\ndate: 2020年3月5日 星期四 晴\n---\n正文\n",
    })
    _, out = _check(root, capsys, "--fix")
    assert (root / "diaries/a.md").read_bytes() == "---\r\n标题: 漏水\r\n日期: 2020-03-05\r\n---\r\n正文\r\n".encode()
    assert "date: 2020年3月5日 星期四 晴" in (root / "diaries/b.md").read_text(encoding="utf-8")
    assert "diaries/b.md:3: 警告[fix-skipped]" in out


@pytest.mark.parametrize(("text", "code", "line"), [
    ("---\n标题 屋顶漏水\n日期: 2020-03-05\n---\n正文\n", "yaml-syntax", 2),
    ("---\n标题:屋顶漏水\n日期: 2020-03-05\n---\n正文\n", "colon-no-space", 2),
    ("---\ntitle: x\ndate: 2020-03-05\nwho: 我\n---\n正文\n", "unknown-key", 4),
    ("---\ntitle: x\n---\n正文\n", "missing-date", 3),
    ("---\ndate: 2020-03-05\n---\n正文\n", "missing-title", 3),
    ("---\ntitle: x\ndate: 2020-03-05\n---\n", "empty-body", 4),
    ("正文，没有信息头\n", "no-front-matter", 1),
    ("---\n- a\n- b\n---\n正文\n", "not-a-mapping", 2),
    ("---\ntitle: x\ndate: 2020-03-05\nvisibility: 半公开\n---\n正文\n", "bad-visibility", 4),
])
def test_single_problem_at_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, code: str,
                                    line: int) -> None:
    root = make_project(tmp_path, {"a.md": text})
    _, report = _json(root, capsys)
    assert (code, line) in {(d["code"], d["line"]) for d in report["diagnostics"]}


def test_utf16_and_gbk_read_without_mojibake(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path, {"u16.md": "---\ndate: 2020-03-05\ntitle: 十六\n---\n正文\n".encode("utf-16")})
    code, report = _json(root, capsys)
    assert code == 0 and report["diagnostics"] == []


# ---------------------------------------------------------------------------------------------- golden fixtures

GOLDEN = Path(__file__).parent / "fixtures" / "frontmatter"


def _parse(path: Path) -> dict:  # type: ignore[type-arg]
    taxonomy, _ = load_taxonomy(REPO / "diaries")
    resolvers = Resolvers(NameResolver.for_topics(taxonomy), NameResolver.for_methods(taxonomy))
    decoded, problems = decode(path.read_bytes(), path.name)
    entry = None
    if decoded is not None:
        fm, more = split(decoded, path.name)
        problems += more
        if fm is not None:
            entry, more = build_entry(fm, source=path, rel_source=path.name, path=path.name, resolvers=resolvers)
            problems += more
    fields = None if entry is None else {
        "id": entry.id, "date": entry.date.isoformat(), "title": entry.title, "author": entry.author,
        "community": entry.community, "topics": list(entry.topics), "methods": list(entry.methods),
        "case": entry.case, "status": entry.status, "visibility": entry.visibility,
        "traditional": entry.traditional, "body_line": entry.body_line, "body": entry.body}
    return {"entry": fields, "diagnostics": [[d.line, d.code] for d in problems]}


@pytest.mark.parametrize("source", sorted(GOLDEN.glob("*.md")), ids=lambda p: p.stem)
def test_golden_fixture(source: Path) -> None:
    expected_path = source.with_suffix(".json")
    actual = _parse(source)
    if os.environ.get("UPDATE_GOLDEN"):
        expected_path.write_text(json.dumps(actual, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert actual == json.loads(expected_path.read_text(encoding="utf-8"))
