"""What `diary new`, `diary import` and `diary check --fix` write into the secretary's files.

The template of a new entry, values written so they read back exactly as given, and the safe repairs of
`check --fix`. The bytes reach the disk only through authoring.writer.DiaryWriter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

import yaml

from ..corpus.dates import DATE_RE, DateError, chinese_numerals_to_digits, parse_date
from ..corpus.fields import canonical_key
from ..corpus.frontmatter import (
    Decoded,
    decode,
    encode_like,
    fix_fullwidth_colon,
    front_matter_bounds,
    raw_lines,
    split,
)
from ..diagnostics import Diagnostic
from ..text.fold import normalize_width

SECTIONS = ("情况", "做法", "成效", "体会")


def _reads_back(line: str, key: str, value: object) -> bool:
    """Does `line` alone, as front matter, read back as exactly {key: value}, with nothing repaired on the way?"""
    fm, problems = split(Decoded(f"---\n{line}\n---\n", "utf-8", "\n"), "")
    return fm is not None and not problems and fm.data == {key: value} and type(fm.data[key]) is type(value)


def yaml_scalar(text: str, key: str = "title") -> str:
    """`text` as a value for `key: …`: as typed when it reads back unchanged, else double-quoted YAML.

    Asks the reader itself rather than guessing from characters: `维修: 楼顶漏水`, `123`, `yes`, `null`, `~`,
    `{a: b}`, `- x`, `#`, quotes, a line break or `---` are quoted; ordinary Chinese titles stay as typed.
    """
    if text == text.strip() and "\n" not in text and _reads_back(f"{key}: {text}", key, text):
        return text
    quoted = yaml.safe_dump(text, allow_unicode=True, default_style='"', width=1 << 30).rstrip("\n")
    if not _reads_back(f"{key}: {quoted}", key, text):  # cannot happen with PyYAML's emitter; never write a lie
        raise ValueError(f"cannot write {text!r} as YAML")
    return quoted


def yaml_list(items: Iterable[str], key: str = "topics") -> str:
    """`[甲, 乙]` as typed when that reads back as the same list, else each item quoted."""
    values = list(items)
    plain = f"[{', '.join(values)}]"
    if _reads_back(f"{key}: {plain}", key, values):
        return plain
    return "[" + ", ".join(yaml.safe_dump(v, allow_unicode=True, default_style='"', width=1 << 30).rstrip("\n")
                           for v in values) + "]"


def new_entry_text(date: dt.date, title: str = "", topics: Iterable[str] = (), newline: str = "\n") -> str:
    """The template `diary new` writes: Chinese keys, the four section headings, an empty title to fill in."""
    lines = [
        "---",
        f"日期: {date.isoformat()}",
        f"标题: {yaml_scalar(title, '标题')}" if title else "标题:",
        "作者:",
        "社区:",
        f"主题: {yaml_list(topics, '主题')}",
        "# 工作法: [四步议事工作法]",
        "# 案例: 湖光小区物业弃管",
        "# 状态: 跟进中",
        "公开: public",
        "---",
    ]
    for heading in SECTIONS:
        lines += [f"【{heading}】", "", ""]
    return newline.join(lines[:-1])


# ---------------------------------------------------------------------------------------------------- check --fix


@dataclass(frozen=True)
class Change:
    line: int  # 0: the whole file (its encoding)
    description: str  # Chinese, shown to the secretary
    code: str = ""  # the diagnostic this change repairs ("" for the date rewrite, which repairs nothing reported)


@dataclass(frozen=True)
class FixPlan:
    data: bytes  # the repaired file, equal to the input when nothing is to change
    changes: tuple[Change, ...]
    skipped: tuple[Diagnostic, ...]  # repairs that looked possible but were not safe

    @property
    def changed(self) -> bool:
        return bool(self.changes)


ENCODING_NAMES = {"gb18030": "GBK", "utf-16": "UTF-16"}
# what `check` reports that `--fix` can repair; the repair is made only where the same run reported it
FIXABLE = ("gbk-encoding", "fullwidth-colon", "colon-no-space")


def plan_fixes(data: bytes, shown: str, reported: Collection[tuple[int, str]] | None = None) -> FixPlan:
    """The safe, unambiguous repairs: encoding → UTF-8, full-width or glued colons after a key, dates → YYYY-MM-DD.

    `reported`: the (line, code) problems `check` reported for this file; only those of them in FIXABLE are
    repaired (None: all). Lines nobody touched keep their bytes and their own line endings.
    """
    decoded, _ = decode(data, shown)
    if decoded is None:
        return FixPlan(data, (), ())

    def allowed(line: int, code: str) -> bool:
        return reported is None or (line, code) in reported

    changes: list[Change] = []
    skipped: list[Diagnostic] = []
    if decoded.encoding in ENCODING_NAMES and (decoded.encoding == "utf-16" or allowed(0, "gbk-encoding")):
        if "\ufffd" in decoded.text:  # UTF-16 read with replacements: converting would make the loss permanent
            skipped.append(Diagnostic(shown, 0, "fix-skipped", "文件里有读不出的字符，没有转换编码",
                                      "用记事本打开，核对内容后“另存为”UTF-8"))
        else:
            code = "gbk-encoding" if decoded.encoding == "gb18030" else ""  # UTF-16 reads fine: nothing reported
            changes.append(Change(0, f"编码 {ENCODING_NAMES[decoded.encoding]} → UTF-8", code))
    to_utf8 = bool(changes)
    lines = decoded.text.split("\n")
    bounds = front_matter_bounds(lines)
    if bounds is not None:
        start, end = bounds
        for i in range(start + 1, end):
            fixed = fix_fullwidth_colon(lines[i])
            if fixed is None or fixed[0] == lines[i]:
                continue
            repairs = [c for c in ("fullwidth-colon", "colon-no-space") if allowed(i + 1, c)]
            if not repairs:
                continue
            changes.append(Change(i + 1, f"“{lines[i].strip()}” → “{fixed[0].strip()}”", repairs[0]))
            lines[i] = fixed[0]
        _fix_date(lines, shown, changes, skipped)
    if not changes:
        return FixPlan(data, (), tuple(skipped))
    kept = raw_lines(data, decoded)
    text = "".join(line + ending for line, (_, ending) in zip(lines, kept, strict=True))
    new_data = encode_like(text, decoded, utf8=to_utf8)
    after, _ = decode(new_data, shown)
    if after is None or not _same_meaning(decoded, after, shown):
        skipped.append(Diagnostic(shown, 0, "fix-skipped", "自动修改后信息头的内容会变，所以没有改"))
        return FixPlan(data, (), tuple(skipped))
    return FixPlan(new_data, tuple(changes), tuple(skipped))


def _fix_date(lines: list[str], shown: str, changes: list[Change], skipped: list[Diagnostic]) -> None:
    fm, _ = split(Decoded("\n".join(lines), "utf-8", "\n"), shown)
    if fm is None:
        return
    for key, value in fm.data.items():
        if canonical_key(key) != "date" or not isinstance(value, str):
            continue
        line_no = fm.key_lines.get(str(key))
        try:
            parsed = parse_date(value)
        except DateError:
            return  # `diary check` reports it; nothing here is safe to guess
        if parsed.iso_form or line_no is None:
            return
        raw = value.strip()
        match = DATE_RE.match(chinese_numerals_to_digits(normalize_width(raw)))
        rest = chinese_numerals_to_digits(normalize_width(raw))[match.end():] if match else raw
        line = lines[line_no - 1]
        colon = max(line.find(":"), 0)
        if rest.strip(" 号") or raw not in line[colon:]:
            # `2020年3月5日 星期四 晴`: the weather is hers to keep, so the line stays as she wrote it
            skipped.append(Diagnostic(shown, line_no, "fix-skipped", f"日期“{raw}”后面还有别的文字，没有改",
                                      f"改成 `{key}: {parsed.value.isoformat()}`，别的文字写进正文"))
            return
        iso = parsed.value.isoformat()
        lines[line_no - 1] = line[:colon] + line[colon:].replace(raw, iso, 1)
        changes.append(Change(line_no, f"日期“{raw}” → “{iso}”"))
        return


def _same_meaning(before: Decoded, after: Decoded, shown: str) -> bool:
    """The repaired file must read back as the same front matter (dates compared as dates) and the same body."""
    old, _ = split(before, shown)
    new, _ = split(after, shown)
    if old is None or new is None:
        # unreadable before and after: the line repairs are the ones the reader makes anyway, so nothing changes
        return old is None and new is None
    return old.body == new.body and _normalized(old.data) == _normalized(new.data)


def _normalized(data: dict[str, Any]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in data.items():
        if canonical_key(key) == "date":
            try:
                value = parse_date(value).value
            except DateError:
                pass
        out[str(key)] = value
    return out
