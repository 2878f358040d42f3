"""From bytes on disk to a front-matter mapping and a body, keeping line numbers for every message.

Real files from the secretary's Windows PC: UTF-8 with or without BOM, GBK from Notepad, UTF-16, CRLF, tabs, and
full-width colons (`标题：…`) that YAML would silently turn into one long string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from .diagnostics import Diagnostic


@dataclass(frozen=True)
class Decoded:
    text: str  # newlines normalised to \n, BOM removed
    encoding: str  # utf-8 | utf-8-sig | utf-16 | gb18030
    newline: str  # the file's own line ending, for writers that must keep it


@dataclass(frozen=True)
class FrontMatter:
    data: dict[str, Any]
    key_lines: dict[str, int]  # key as written → 1-based line in the file
    body: str
    body_line: int
    end_line: int  # line of the closing ---


def decode(data: bytes, path: str) -> tuple[Decoded | None, list[Diagnostic]]:
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        return None, [Diagnostic(path, 0, "empty-file", "文件里什么都没有")]
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        return None, [Diagnostic(path, 0, "binary-file", "这是 Word/压缩格式的文件，不是文本")]
    encoding = "utf-8"
    problems: list[Diagnostic] = []
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
        raw = data[3:].decode("utf-8") if _utf8(data[3:]) else None
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding, raw = "utf-16", data.decode("utf-16", errors="replace")
    elif b"\x00" in data:
        return None, [Diagnostic(path, 0, "binary-file", "文件里有二进制内容（空字节）")]
    elif _utf8(data):
        raw = data.decode("utf-8")
    else:
        try:
            raw = data.decode("gb18030")
            encoding = "gb18030"
            problems.append(Diagnostic(path, 0, "gbk-encoding", "文件是 GBK 编码（记事本的“ANSI”），已按 GBK 读取"))
        except UnicodeDecodeError:
            raw = None
    if raw is None:
        return None, [Diagnostic(path, 0, "bad-encoding", "既不是 UTF-8 也不是 GBK")]
    newline = "\r\n" if "\r\n" in raw else "\n"
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    return Decoded(text, encoding, newline), problems


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


_FENCE = re.compile(r"^(---|\.\.\.)\s*$")
# `标题：屋顶漏水` — a key, a full-width colon, a value; no ASCII colon before it (that would already be YAML)
_FULLWIDTH_KEY = re.compile(r"^(\s*)([^\s:：#\-\[{'\"][^:：]{0,19}?)\s*：\s*(.*)$")
_LEADING_TABS = re.compile(r"^(\t+)")


def normalize_front_matter_lines(lines: list[str], first_line: int, path: str) -> tuple[list[str], list[Diagnostic]]:
    """Make the safe, unambiguous repairs (tabs, full-width colons after a key) and report each one at its line."""
    out, problems = [], []
    for offset, line in enumerate(lines):
        lineno = first_line + offset
        tabs = _LEADING_TABS.match(line)
        if tabs:
            line = "  " * len(tabs.group(1)) + line[len(tabs.group(1)):]
            problems.append(Diagnostic(path, lineno, "yaml-tab", "这一行开头用了 Tab 键"))
        m = _FULLWIDTH_KEY.match(line)
        if m and not line.lstrip().startswith("#"):
            indent, key, value = m.groups()
            line = f"{indent}{key}: {value}"
            problems.append(Diagnostic(path, lineno, "fullwidth-colon", f"“{key}”后面是中文冒号“：”，已按英文冒号读取"))
        out.append(line)
    return out, problems


class _TextLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text: `date: 2020-02-30` must become our message, not a crash."""


_TextLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def split(decoded: Decoded, path: str) -> tuple[FrontMatter | None, list[Diagnostic]]:
    lines = decoded.text.split("\n")
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start >= len(lines) or lines[start].strip() != "---":
        return None, [Diagnostic(path, start + 1, "no-front-matter", "第一行应该是 `---`，下面写日期和标题")]
    end = next((i for i in range(start + 1, len(lines)) if _FENCE.match(lines[i])), None)
    if end is None:
        return None, [Diagnostic(path, start + 1, "unclosed-front-matter", "从这里开始的信息头一直没有结束")]
    fm_lines, problems = normalize_front_matter_lines(lines[start + 1:end], start + 2, path)
    text = "\n".join(fm_lines)
    try:
        node = yaml.compose(text, Loader=_TextLoader)
        data = yaml.load(text, Loader=_TextLoader)  # noqa: S506 - _TextLoader is a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = start + 2 + mark.line if mark is not None else start + 1
        reason = getattr(exc, "problem", None) or "无法解析"
        return None, problems + [Diagnostic(path, line, "yaml-syntax", f"信息头这一行写法有误（{reason}）")]
    if data is None:
        data = {}
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode | type(None)):
        return None, problems + [Diagnostic(path, start + 2, "not-a-mapping", "信息头不是“名称: 内容”的形式")]
    key_lines = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            key_lines[str(key_node.value)] = start + 2 + key_node.start_mark.line
    body = "\n".join(lines[end + 1:])
    return FrontMatter(data, key_lines, body, end + 2, end + 1), problems
