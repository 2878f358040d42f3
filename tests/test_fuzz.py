"""Fuzz: a few hundred malformed entry files beside the sample diaries and a handful of valid entries.

The generator is ours and seeded (FUZZ_SEED), so a failure is reproducible: `FUZZ_SEED=… pytest tests/test_fuzz.py`.
It writes every hostile form the review found (broken Chinese-numeral dates, `!!` tags, 5,000-digit numbers,
1,000- and 100,000-deep lists, alias bombs, unclosed brackets and quotes, random bytes, truncations, foreign
encodings, bodies nested past what Markdown renders, FIFOs, sockets, broken and looping links, a link to /dev/zero)
and runs `diary check` and a real `mkdocs build` on them, each in a subprocess with a time limit.

Asserted: no traceback and no crash (exit codes 0/1 only, never a signal), no hang, the expected code at the
expected line wherever the generator knows it, every valid entry and every sample entry published.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO, run_build

from site_builder.diagnostics import CODES, Diagnostic
from site_builder.model import Corpus

SEED = int(os.environ.get("FUZZ_SEED", "20260515"))
MALFORMED = 300
TIME_LIMIT_S = 600  # a hang guard, not a timing assert: the real runs take a small fraction of it


@dataclass(frozen=True)
class Case:
    name: str
    data: bytes
    code: str | None = None  # a code the file must produce (None: only "no crash")
    line: int | None = None  # …at this line, where the generator knows it


Maker = Callable[[random.Random], tuple[str | bytes, str | None, int | None]]
CN = "〇零一二两三四五六七八九十"
WORDS = ["顶楼漏水", "加装电梯", "物业", "暖气", "楼道堆物", "垃圾分类", "议事会", "老旧小区", "居民", "网格员"]
PUNCT = ":-?[]{}#&*!|>'\"%@`,\t "


def _entry(front: str, body: str = "正文。") -> str:
    return f"---\n{front}\n---\n{body}\n"


def _bad_cn_date(rng: random.Random) -> tuple[str, str, int]:
    month = rng.choice(["十一二", "二十十", "十十", "一十二十", "十二一十"])
    year = "".join(rng.choice("〇一二三九") for _ in range(4))
    return _entry(f"date: {year}年{month}月{rng.choice(CN[1:])}日\ntitle: 月份写错"), "bad-date", 2


def _impossible_date(rng: random.Random) -> tuple[str, str, int]:
    day = rng.choice(["2021-02-29", "2020-02-30", "2020-04-31", "2020-13-01", "二〇二〇年二月三十日"])
    return _entry(f"title: 不存在的日子\ndate: {day}"), "impossible-date", 3


def _tag(rng: random.Random) -> tuple[str, str, int]:
    tag = rng.choice(["!!timestamp", "!!int", "!!bool", "!!float", "!!binary", "!!set", "!!python/name:os.system",
                      "!!python/object/apply:os.system", "!custom", "!<tag:example.com,2000:x>"])
    if rng.random() < 0.5:
        return _entry(f"date: {tag} 2020-03-05\ntitle: 带标记"), "yaml-tag", 2
    return _entry(f"date: 2020-03-05\ntitle: {tag} {rng.choice(['yes', '12', 'x', '1.5'])}"), "yaml-tag", 3


def _big_number(rng: random.Random) -> tuple[str, None, None]:
    digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(41, 6000)))
    key = rng.choice(["title", "author", "id", "community", "case"])
    return _entry(f"date: 2020-03-05\ntitle: 长数字\n{key}: {rng.choice(['', '-', '0x', '1e'])}{digits}"), None, None


def _deep_flow(rng: random.Random) -> tuple[str, str, int]:
    depth = rng.choice([21, 50, 1000, 5000, 100_000])
    open_, close = rng.choice([("[", "]"), ("{a: ", "}")])
    front = f"date: 2020-03-05\ntitle: 深\ntopics: {open_ * depth}{close * depth}"
    return _entry(front), "yaml-too-complex", 2 if len(front) > 64_000 else 4


def _deep_block(rng: random.Random) -> tuple[str, str, int]:
    depth = rng.randint(21, 300)
    items = "".join("  " * i + "-\n" for i in range(depth)).rstrip()
    front = f"date: 2020-03-05\ntitle: 深\ntopics:\n{items}"
    # the 21st level opens on the 20th `-` line; a block past the size limit is refused as a whole, at its start
    return _entry(front), "yaml-too-complex", 2 if len(front) > 64_000 else 5 + 19


def _alias_bomb(rng: random.Random) -> tuple[str, str, None]:
    width, levels = rng.randint(5, 12), rng.randint(5, 10)
    lines = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, levels)]
    return _entry("date: 2020-03-05\n" + "\n".join(lines) + f"\ntitle: *a{levels - 1}"), "yaml-too-complex", None


def _unclosed(rng: random.Random) -> tuple[str, str, int]:
    keys = ["date: 2020-03-05", "title: 没关上", "author: 我", "community: 湖光", "status: 跟进中"]
    at = rng.randrange(1, len(keys))
    opener = rng.choice(["[甲, 乙", "{甲: 乙", '"没关上的引号', "'没关上的引号"])
    keys[at] = keys[at].split(":")[0] + ": " + opener
    return _entry("\n".join(keys)), "yaml-syntax", at + 2


def _soup(rng: random.Random) -> tuple[str, None, None]:
    chars = PUNCT + "".join(WORDS) + "\n"
    front = "".join(rng.choice(chars) for _ in range(rng.randint(5, 400)))
    return _entry(f"date: 2020-03-05\ntitle: 汤\n{front}"), None, None


def _mutated(rng: random.Random) -> tuple[bytes, None, None]:
    data = bytearray(_entry("date: 2020-03-05\ntitle: 变异\ntopics: [物业]\n公开: public",
                            "【情况】" + "".join(rng.choices(WORDS, k=20))).encode())
    for _ in range(rng.randint(1, 12)):
        i = rng.randrange(len(data))
        op = rng.random()
        if op < 0.4:
            data[i] = rng.randrange(256)
        elif op < 0.7:
            data.insert(i, rng.choice(b"\x00\r\n\t\x0b\x0c\x1b\x7f\x85\xa0\xff:-[{&*!"))
        else:
            del data[i]
    return bytes(data), None, None


def _truncated(rng: random.Random) -> tuple[bytes, None, None]:
    data = _entry("date: 2020年3月5日 星期四\n标题: 截断\n主题: [物业, 老旧小区]", "正文" * 20).encode()
    return data[:rng.randrange(len(data))], None, None


def _encoding(rng: random.Random) -> tuple[bytes, None, None]:
    text = _entry("日期：2020-03-05\n标题：编码\n主题：物业", "正文")
    encoding = rng.choice(["gb18030", "utf-16", "utf-16-le", "utf-8-sig", "big5", "shift_jis", "latin-1"])
    return text.encode(encoding, errors="replace"), None, None


def _deep_body(rng: random.Random) -> tuple[str, str, None]:
    n = rng.randint(301, 2000)
    body = rng.choice(["".join("    " * i + "- x\n" for i in range(n // 4)), "> " * n + "x", "*" * n + "x" + "*" * n,
                       '<div markdown="1">\n' * n + "x\n" + "</div>\n" * n])
    return _entry("date: 2020-03-05\ntitle: 深正文", body), "body-too-deep", None


def _huge_front(rng: random.Random) -> tuple[str, str, int]:
    return _entry("date: 2020-03-05\ntitle: " + "长" * rng.randint(64_001, 90_000)), "yaml-too-complex", 2


STRUCTURES: list[tuple[str | bytes, str | None, int | None]] = [
    ("", "empty-file", 0),
    ("   \n\n", "empty-file", 0),
    ("正文，没有信息头\n", "no-front-matter", 1),
    ("---\ndate: 2020-03-05\ntitle: 没有结束\n正文第一段\n", "unclosed-front-matter", 4),
    ("---\n- a\n- b\n---\n正文\n", "not-a-mapping", 2),
    ("---\n? [a, b]\n: c\ndate: 2020-03-05\n---\n正文\n", "yaml-syntax", 2),
    ("---\ndate: 2020-03-05\ntitle: x\n---\n---\n", None, None),
    ("---\ndate: 2020-03-05\nbase: &b {title: x}\n<<: *b\n---\n正文\n", None, None),
    ("---\ntitle: x\ntitle: y\ndate: 2020-03-05\ndate: 2020-03-06\n---\n正文\n", None, None),
    ("---\n%YAML 1.2\ndate: 2020-03-05\n---\n正文\n", None, None),
    (b"PK\x03\x04" + bytes(range(256)), "binary-file", 0),
    (b"---\ndate: 2020-03-05\x00\n---\n", "binary-file", 0),
]


def _structure(rng: random.Random) -> tuple[str | bytes, str | None, int | None]:
    return STRUCTURES[rng.randrange(len(STRUCTURES))]


MAKERS: list[Maker] = [_bad_cn_date, _impossible_date, _tag, _big_number, _deep_flow, _deep_block,  # type: ignore[list-item]
                       _alias_bomb, _unclosed, _soup, _mutated, _truncated, _encoding, _deep_body, _huge_front,
                       _structure]

VALID = {f"valid/v{i}.md": _entry(f"date: 2021-0{i + 1}-1{i}\ntitle: 模糊测试旁边的正常日记{i}\ntopics: [物业]",
                                  f"【情况】第{i}篇正常的日记，楼道灯坏了，报修后当天修好。") for i in range(6)}


def generate(seed: int = SEED, count: int = MALFORMED) -> list[Case]:
    rng = random.Random(seed)
    cases = []
    for i in range(count):
        maker = MAKERS[i % len(MAKERS)]
        # the fixed forms in turn, so every seed has each of them
        data, code, line = STRUCTURES[i // len(MAKERS) % len(STRUCTURES)] if maker is _structure else maker(rng)
        raw = data if isinstance(data, bytes) else data.encode("utf-8")
        cases.append(Case(f"fuzz/f{i:03d}.md", raw, code, line))
    return cases


def _special_files(folder: Path) -> socket.socket:
    """FIFO, socket, broken link, link loop, a link to a device and a linked folder; the socket's server."""
    folder.mkdir(parents=True, exist_ok=True)
    os.mkfifo(folder / "fifo.md")
    (folder / "dangling.md").symlink_to("nowhere.md")
    (folder / "loop-a.md").symlink_to("loop-b.md")
    (folder / "loop-b.md").symlink_to("loop-a.md")
    (folder / "zero.md").symlink_to("/dev/zero")
    (folder / "linked").symlink_to(folder)
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "sock.md"))
    return server


SPECIAL = ["fifo.md", "dangling.md", "loop-a.md", "loop-b.md", "zero.md", "linked", "sock.md"]


def test_generator_is_reproducible_and_covers_every_form() -> None:
    first, again = generate(), generate()
    assert first == again
    assert len({c.data for c in first}) > MALFORMED * 0.7  # a few fixed forms repeat on purpose
    assert {c.code for c in first} >= {"bad-date", "impossible-date", "yaml-tag", "yaml-too-complex", "yaml-syntax",
                                       "body-too-deep", "empty-file", "binary-file", "no-front-matter"}
    assert all(c.code is None or c.code in CODES for c in first)


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[Case]]]:
    """The sample project (diaries, docs, mkdocs.yml) plus the fuzz files, the valid ones and the special files."""
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(REPO / "diaries", root / "diaries")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    cases = generate()
    for case in cases:
        path = root / "diaries" / case.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(case.data)
    for rel, text in VALID.items():
        (root / "diaries" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "diaries" / rel).write_text(text, encoding="utf-8")
    server = _special_files(root / "diaries" / "special")
    yield root, cases
    server.close()


def test_diary_check_reports_every_file_without_crash_or_hang(fuzz_project: tuple[Path, list[Case]]) -> None:
    root, cases = fuzz_project
    proc = subprocess.run([sys.executable, "-m", "site_builder", "--root", str(root), "check", "--format", "json"],
                          capture_output=True, text=True, timeout=TIME_LIMIT_S, cwd=REPO)
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.returncode == 1, (proc.returncode, proc.stderr[-3000:])  # errors found: 1, never a signal
    report = json.loads(proc.stdout)
    found: dict[str, set[tuple[str, int]]] = {}
    for d in report["diagnostics"]:
        found.setdefault(d["path"], set()).add((d["code"], d["line"]))
    missing = []
    for case in cases:
        got = found.get(f"diaries/{case.name}", set())
        if case.code is not None and not any(c == case.code and (case.line is None or n == case.line)
                                             for c, n in got):
            missing.append((case.name, case.code, case.line, sorted(got)))
    assert not missing, missing
    for rel in VALID:
        assert not [x for x in found.get(f"diaries/{rel}", set()) if CODES[x[0]].severity.value == "error"], rel
    for name in SPECIAL:
        assert ("special-file", 0) in found.get(f"diaries/special/{name}", set()), name


def test_build_publishes_every_valid_and_sample_entry(fuzz_project: tuple[Path, list[Case]],
                                                     sample_corpus: tuple[Corpus, list[Diagnostic]]) -> None:
    root, _ = fuzz_project
    expected = {e.id for e in sample_corpus[0].entries} | {Path(rel).stem for rel in VALID}
    build = run_build(root, strict=False)
    assert build.returncode == 0, build.output[-3000:]
    assert "Traceback" not in build.output
    published = {p.stem for p in (build.site / "entries").glob("*.html")}
    assert expected <= published, sorted(expected - published)[:20]
    for i, rel in enumerate(VALID):
        assert f"模糊测试旁边的正常日记{i}" in build.html(f"entries/{Path(rel).stem}.html")
    # the special files were warned about, in Chinese, not read
    assert "diaries/special/fifo.md: 警告[special-file]" in build.output
