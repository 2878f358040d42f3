"""`diary check`: every bad-input case real files bring, all reported at once; `--fix`; golden fixtures."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO, make_project, run_build

from site_builder.authoring import writer as diary_writer
from site_builder.authoring.fixes import plan_fixes
from site_builder.authoring.writer import read_snapshot
from site_builder.cli import main
from site_builder.corpus.fields import Resolvers, build_entry
from site_builder.corpus.frontmatter import YamlRefused, decode, load_yaml, split, yaml_error_line
from site_builder.corpus.load import LoadCache, load_files
from site_builder.corpus.taxonomy import NameResolver, load_taxonomy

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


# ------------------------------------------------------------------------------- hostile input: never a crash

def _alias_bomb(levels: int) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines)


HOSTILE = [
    # (front matter lines after `---`, expected code, its line, whether the entry is still published)
    ("date: 二〇二〇年十一二月五日\ntitle: 月份写错", "bad-date", 2, False),
    ("date: !!timestamp 2020-03-05\ntitle: 带标记的日期", "yaml-tag", 2, True),
    ("date: 2020-03-05\ntitle: !!int 12", "yaml-tag", 3, True),
    ("date: 2020-03-05\ntitle: !!bool yes", "yaml-tag", 3, True),
    ("date: 2020-03-05\ntitle: !!python/object/apply:os.system ['echo pwned']", "yaml-tag", 3, True),
    ("date: 2020-03-05\ntitle: x\ntopics: " + "[" * 1000 + "]" * 1000, "yaml-too-complex", 4, False),
    ("date: 2020-03-05\ntitle: x\ntopics:\n" + "".join("  " * i + "-\n" for i in range(60)).rstrip(),
     "yaml-too-complex", 24, False),
    ("date: 2020-03-05\ntitle: x\ntopics: " + "[" * 100_000 + "]" * 100_000, "yaml-too-complex", 2, False),
    ("date: 2020-03-05\n" + _alias_bomb(9) + "\ntitle: *a8", "yaml-too-complex", 6, False),
    ("date: 2020-03-05\ntitle: [顶楼漏水, 物业\nauthor: 我\ncommunity: 湖光", "yaml-syntax", 3, False),
    ("date: 2020-03-05\ntitle: {顶楼: 漏水\nauthor: 我", "yaml-syntax", 3, False),
    ('date: 2020-03-05\ntitle: "顶楼漏水\nauthor: 我\ncommunity: 湖光', "yaml-syntax", 3, False),
    ("date: 2020-03-05\ntitle: *nothing", "yaml-syntax", 3, False),
    ("date: 2020-03-05\ntitle: &me [*me]", "yaml-too-complex", 3, False),
    ("date: 2020-03-05\n[a, b]: c\ntitle: x", "yaml-syntax", 3, False),
]


@pytest.mark.parametrize(("front", "code", "line", "published"), HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_front_matter_is_one_diagnostic_at_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                             front: str, code: str, line: int,
                                                             published: bool) -> None:
    root = make_project(tmp_path, {"bad.md": f"---\n{front}\n---\n正文。\n", "good.md": GOOD})
    _, report = _json(root, capsys)
    found = [(d["code"], d["line"]) for d in report["diagnostics"] if d["path"] == "diaries/bad.md"]
    assert (code, line) in found, found
    taxonomy, _ = load_taxonomy(root / "diaries")
    files = {f.display: f for f in load_files(root / "diaries", taxonomy)}
    assert (files["diaries/bad.md"].entry is not None) == published
    assert files["diaries/good.md"].entry is not None


def test_tags_are_never_acted_on_and_long_numbers_stay_text() -> None:
    doc = load_yaml("a: !!python/object/apply:os.system ['false']\nb: " + "9" * 5000 + "\nc: 12:30\nd: 0x1F\n"
                    "e: !!float 1\nf: yes\n")
    assert doc.data == {"a": ["false"], "b": "9" * 5000, "c": "12:30", "d": 31, "e": "1", "f": True}
    assert [(n, code) for n, code, _ in doc.notes] == [(0, "yaml-tag"), (4, "yaml-tag")]


def test_alias_within_the_budget_is_read() -> None:
    doc = load_yaml("base: &b [甲, 乙]\ntopics: *b\n")
    assert doc.data == {"base": ["甲", "乙"], "topics": ["甲", "乙"]}
    with pytest.raises(YamlRefused) as refused:
        load_yaml("a: &a [x]\n" + "".join(f"k{i}: *a\n" for i in range(60)))
    assert refused.value.code == "yaml-too-complex" and refused.value.line == 51


def test_repeated_keys_are_listed_with_the_line_of_each_later_one() -> None:
    text = "---\n公开: private\n标题: x\n日期: 2020-03-05\n公开: public\n公开: public\n---\n正文\n"
    decoded, _ = decode(text.encode(), "a.md")
    assert decoded is not None
    fm, problems = split(decoded, "a.md")
    assert fm is not None and not problems
    assert fm.repeated == (("公开", 5), ("公开", 6))
    assert fm.data["公开"] == "public" and fm.key_lines["公开"] == 6


def test_yaml_error_line_points_where_the_bracket_was_opened() -> None:
    for text, expected in (("a: 1\nb: [x, y\nc: 2\n", 1), ("a: 1\nb: 'x\nc: 2\n", 1), ("a: b: c\n", 0)):
        with pytest.raises(yaml.YAMLError) as exc:
            yaml.safe_load(text)
        assert yaml_error_line(exc.value) == expected, text


# ------------------------------------------------------------------------- special files, vanished files, no folder

def test_special_files_are_skipped_with_a_warning_and_the_rest_publish(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"good.md": GOOD})
    d = root / "diaries"
    os.mkfifo(d / "fifo.md")
    (d / "dangling.md").symlink_to("nowhere.md")
    (d / "loop1.md").symlink_to("loop2.md")
    (d / "loop2.md").symlink_to("loop1.md")
    (d / "zero.md").symlink_to("/dev/zero")
    (d / "linked").symlink_to(tmp_path)
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(d / "sock.md"))
    try:
        # a subprocess with a time limit: before the fix the FIFO blocked `diary check` forever
        proc = subprocess.run([sys.executable, "-m", "site_builder", "--root", str(root), "check", "--format", "json"],
                              capture_output=True, text=True, timeout=120, cwd=REPO)
    finally:
        server.close()
    assert proc.returncode == 0, proc.stdout + proc.stderr  # warnings only
    report = json.loads(proc.stdout)
    skipped = {d["path"]: d["message"] for d in report["diagnostics"] if d["code"] == "special-file"}
    assert set(skipped) == {f"diaries/{n}" for n in ("fifo.md", "dangling.md", "loop1.md", "loop2.md", "zero.md",
                                                      "linked", "sock.md")}
    assert "FIFO" in skipped["diaries/fifo.md"] and "循环" in skipped["diaries/loop1.md"]
    assert "不存在" in skipped["diaries/dangling.md"] and "设备" in skipped["diaries/zero.md"]
    assert "Traceback" not in proc.stderr


def test_a_file_that_vanishes_after_listing_is_a_warning(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"good.md": GOOD})
    taxonomy, _ = load_taxonomy(root / "diaries")
    gone = root / "diaries" / "gone.md"
    for cache in (None, LoadCache()):
        files = load_files(root / "diaries", taxonomy, [root / "diaries" / "good.md", gone], cache=cache)
        assert files[0].entry is not None
        assert [(d.code, d.severity.value) for d in files[1].diagnostics] == [("unreadable-file", "warning")]


def test_missing_diaries_folder_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for command in (["check"], ["tag"], ["search", "漏水"], ["new", "--title", "x"]):
        assert main(["--root", str(tmp_path), *command]) == 1, command
        out = capsys.readouterr().out
        assert "错误[no-diaries-folder]" in out and str(tmp_path / "diaries") in out, command
    assert not (tmp_path / "diaries").exists()  # `new` did not create a stray folder


def test_misspelled_diaries_dir_fails_the_build(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"good.md": GOOD})
    yml = root / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("  - diary\n", "  - diary:\n      diaries_dir: diaris\n"),
                   encoding="utf-8")
    build = run_build(root, strict=False)
    assert build.returncode != 0 and "找不到日记文件夹" in build.output and "diaris" in build.output
    assert "Traceback" not in build.output


# --------------------------------------------------------------------------------------- --fix keeps what it touches

def test_fix_keeps_links_mode_and_mixed_line_endings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mixed = "---\r\n标题：混合换行\n日期: 2020-03-05\r\n---\r\n正文\n第二行\r".encode()
    root = make_project(tmp_path, {"real/a.md": "---\n标题：链接\n日期: 2020-03-06\n---\n正文\n",
                                   "mixed.md": mixed,
                                   "hard.md": "---\n标题：硬链接\n日期: 2020-03-07\n---\n正文\n"})
    d = root / "diaries"
    (d / "link.md").symlink_to("real/a.md")
    os.link(d / "hard.md", tmp_path / "hard-copy.md")
    (d / "mixed.md").chmod(0o600)
    hard_before = (d / "hard.md").read_bytes()
    _, out = _check(root, capsys, "--fix")
    assert (d / "link.md").is_symlink()
    assert (d / "real/a.md").read_text(encoding="utf-8").startswith("---\n标题: 链接\n")
    assert (d / "mixed.md").read_bytes() == "---\r\n标题: 混合换行\n日期: 2020-03-05\r\n---\r\n正文\n第二行\r".encode()
    assert (d / "mixed.md").stat().st_mode & 0o777 == 0o600
    assert (d / "hard.md").read_bytes() == hard_before and os.path.samefile(d / "hard.md", tmp_path / "hard-copy.md")
    assert "diaries/hard.md: 警告[fix-skipped] 这个文件还有 1 个硬链接" in out
    assert "diaries/mixed.md:2: 已修改" in out
    rewritten = next(line for line in out.splitlines() if line.startswith("改写了"))
    assert rewritten == "改写了 2 个文件：diaries/mixed.md、diaries/real/a.md"


def test_fix_stops_cleanly_when_the_disk_refuses(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    entries = {f"{n}.md": f"---\n标题：第{n}篇\n日期: 2020-03-0{n}\n---\n正文{n}\n" for n in range(1, 6)}
    root = make_project(tmp_path, entries)
    real_replace = os.replace

    def immutable(src: str, dst: str) -> None:
        if str(dst).endswith("4.md"):
            raise PermissionError(1, "Operation not permitted", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr("site_builder.authoring.writer.os.replace", immutable)
    code, out = _check(root, capsys, "--fix")
    assert code == 1 and "Traceback" not in out
    assert [line.split(":")[0] for line in out.splitlines() if "已修改" in line] == [
        "diaries/1.md", "diaries/2.md", "diaries/3.md"]
    failed = next(line for line in out.splitlines() if "[write-failed]" in line)
    assert failed.startswith("diaries/4.md: 错误[write-failed] 没能改这个文件：没有权限写入")
    assert "已经改好的 3 个文件：diaries/1.md、diaries/2.md、diaries/3.md" in failed
    d = root / "diaries"
    assert (d / "5.md").read_text(encoding="utf-8") == entries["5.md"]  # stopped: the rest untouched
    assert "fullwidth-colon" in out  # what was not repaired is still reported
    assert not [p for p in d.iterdir() if p.name.startswith(".")]


def test_fix_changes_only_what_was_reported() -> None:
    data = "---\n标题：中文冒号\n日期: 2020-03-05\n---\n正文\n".encode("gb18030")
    assert not plan_fixes(data, "a.md", set()).changed
    only_colon = plan_fixes(data, "a.md", {(2, "fullwidth-colon")})
    assert [c.code for c in only_colon.changes] == ["fullwidth-colon"]
    assert only_colon.data == "---\n标题: 中文冒号\n日期: 2020-03-05\n---\n正文\n".encode("gb18030")


def test_fix_refuses_a_file_saved_meanwhile(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("旧的\n", encoding="utf-8")
    snap = read_snapshot(path)
    path.write_text("她刚存的\n", encoding="utf-8")
    writer = diary_writer.DiaryWriter(tmp_path)
    with pytest.raises(diary_writer.NotWritten):
        writer.replace(snap, b"new")
    assert path.read_text(encoding="utf-8") == "她刚存的\n" and writer.written == []


def test_stale_temp_files_are_cleaned_by_the_next_writer(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / "2020").mkdir()
    leftovers = [tmp_path / "2020" / f".diary-tmp.{dead.pid}.abc.tmp", tmp_path / ".2020-03-05.md.k3j_x9aa.tmp",
                 tmp_path / ".tag-q8w2e4r5.tmp"]
    mine = tmp_path / f".diary-tmp.{os.getpid()}.live.tmp"  # a writer still running keeps its temp file
    for p in [*leftovers, mine]:
        p.write_bytes(b"half")
    writer = diary_writer.DiaryWriter(tmp_path)
    assert sorted(writer.cleaned) == sorted(leftovers)
    assert mine.exists() and not any(p.exists() for p in leftovers)
