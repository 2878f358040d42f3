"""Writing the secretary's files: a new entry from the template, and the safe repairs of `diary check --fix`.

Every write goes to a temporary file beside the target first, so an interruption never leaves half a file; a new
file never replaces an existing one, and a repair is written only when it provably changes nothing she meant.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .dates import DATE_RE, DateError, chinese_numerals_to_digits, parse_date
from .diagnostics import Diagnostic
from .frontmatter import Decoded, decode, fix_fullwidth_colon, front_matter_bounds, split
from .schema import canonical_key
from .text.fold import normalize_width

SECTIONS = ("情况", "做法", "成效", "体会")
MAX_SUFFIX = 999  # 2020-03-05-2.md, -3 …: more entries than this on one day means something is looping


def new_entry_text(date: dt.date, title: str = "", topics: Iterable[str] = (), newline: str = "\n") -> str:
    """The template `diary new` writes: Chinese keys, the four section headings, an empty title to fill in."""
    topic_list = ", ".join(topics)
    lines = [
        "---",
        f"日期: {date.isoformat()}",
        f"标题: {title}".rstrip(),
        "作者:",
        "社区:",
        f"主题: [{topic_list}]",
        "# 工作法: [四步议事工作法]",
        "# 案例: 湖光小区物业弃管",
        "# 状态: 跟进中",
        "公开: public",
        "---",
    ]
    for heading in SECTIONS:
        lines += [f"【{heading}】", "", ""]
    return newline.join(lines[:-1])


# ---------------------------------------------------------------- writing without overwriting or half-written files


def _temp_beside(target: Path, data: bytes) -> Path:
    """A complete, flushed copy of `data` in the target's folder (same file system, so the final move is atomic).

    Its name starts with a dot, so the site never mistakes it for an entry if the machine dies right here.
    """
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def create_file(target: Path, data: bytes) -> None:
    """Write a new file atomically; FileExistsError if the name is taken (nothing is ever replaced)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = _temp_beside(target, data)
    try:
        os.chmod(temp, 0o644)  # mkstemp makes it private to the owner; an entry is an ordinary document
        try:
            os.link(temp, target)  # fails if the target exists: the no-overwrite guarantee
        except FileExistsError:
            raise
        except OSError:
            # no hard links (FAT/exFAT USB sticks): Windows' rename refuses to overwrite by itself
            if os.name == "nt":
                os.rename(temp, target)
            elif target.exists():
                raise FileExistsError(str(target)) from None
            else:
                os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def create_unique(folder: Path, stem: str, data: bytes, taken: set[str] | None = None) -> Path:
    """`folder/stem.md`, or `stem-2.md`, `stem-3.md` … when the name is used (here, or as an id in `taken`)."""
    taken = taken if taken is not None else set()
    for n in range(1, MAX_SUFFIX + 1):
        name = stem if n == 1 else f"{stem}-{n}"
        if name in taken:
            continue
        target = folder / f"{name}.md"
        try:
            create_file(target, data)
        except FileExistsError:
            continue
        taken.add(name)
        return target
    raise FileExistsError(f"{folder / stem}.md 及其编号 2–{MAX_SUFFIX} 都已存在")


def replace_file(target: Path, data: bytes, expected: bytes) -> bool:
    """Replace a file atomically, only if it still holds `expected` (she may have saved it in Notepad meanwhile)."""
    temp = _temp_beside(target, data)
    try:
        shutil.copymode(target, temp)
        if target.read_bytes() != expected:
            return False
        os.replace(temp, target)
        return True
    finally:
        temp.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------------- check --fix


@dataclass(frozen=True)
class Change:
    line: int  # 0: the whole file (its encoding)
    description: str  # Chinese, shown to the secretary


@dataclass(frozen=True)
class FixPlan:
    data: bytes  # the repaired file, equal to the input when nothing is to change
    changes: tuple[Change, ...]
    skipped: tuple[Diagnostic, ...]  # repairs that looked possible but were not safe

    @property
    def changed(self) -> bool:
        return bool(self.changes)


ENCODING_NAMES = {"gb18030": "GBK", "utf-16": "UTF-16"}


def plan_fixes(data: bytes, shown: str) -> FixPlan:
    """The safe, unambiguous repairs: encoding → UTF-8, full-width or glued colons after a key, dates → YYYY-MM-DD."""
    decoded, _ = decode(data, shown)
    if decoded is None:
        return FixPlan(data, (), ())
    changes: list[Change] = []
    skipped: list[Diagnostic] = []
    if decoded.encoding in ENCODING_NAMES:
        if "\ufffd" in decoded.text:  # UTF-16 read with replacements: converting would make the loss permanent
            skipped.append(Diagnostic(shown, 0, "fix-skipped", "文件里有读不出的字符，没有转换编码",
                                      "用记事本打开，核对内容后“另存为”UTF-8"))
        else:
            changes.append(Change(0, f"编码 {ENCODING_NAMES[decoded.encoding]} → UTF-8"))
    lines = decoded.text.split("\n")
    bounds = front_matter_bounds(lines)
    if bounds is not None:
        start, end = bounds
        for i in range(start + 1, end):
            fixed = fix_fullwidth_colon(lines[i])
            if fixed is not None and fixed[0] != lines[i]:
                changes.append(Change(i + 1, f"“{lines[i].strip()}” → “{fixed[0].strip()}”"))
                lines[i] = fixed[0]
        _fix_date(lines, shown, changes, skipped)
    if not changes:
        return FixPlan(data, (), tuple(skipped))
    encoding = "utf-8-sig" if decoded.encoding == "utf-8-sig" else "utf-8"
    text = "\n".join(lines)
    new_data = text.replace("\n", decoded.newline).encode(encoding)
    if not _same_meaning(decoded, Decoded(text, encoding, decoded.newline), shown):
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
