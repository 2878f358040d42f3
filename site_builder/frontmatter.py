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
# `标题:屋顶漏水` — a Chinese key glued to its value; YAML would read the whole line as one string
_GLUED_KEY = re.compile(r"^(\s*)([\u3400-\u9fff][\u3400-\u9fff\w]{0,9}):(?=\S)(.*)$")
_LEADING_TABS = re.compile(r"^([ \t]*\t[ \t]*)")
# `title:<Tab>x`: YAML refuses a tab where a value should start
_TAB_AFTER_COLON = re.compile(r"^(\s*[^\s:#'\"][^:]*?):\t+")
# a top-level line that cannot belong to the front matter: no colon of either kind, not a list item or comment
_BODY_LIKE = re.compile(r"^[^\s\-#:：][^:：]*$")
_KEY_LIKE = re.compile(r"^[^\s\-#][^:：]{0,20}[:：](\s|$)")


def fix_fullwidth_colon(line: str) -> tuple[str, str] | None:
    """`标题：屋顶漏水` → (`标题: 屋顶漏水`, `标题`), or None when the line has nothing to repair."""
    if line.lstrip().startswith("#"):
        return None
    m = _FULLWIDTH_KEY.match(line)
    if m:
        indent, key, value = m.groups()
        return f"{indent}{key}: {value}".rstrip(), key
    m = _GLUED_KEY.match(line)
    if m:
        indent, key, value = m.groups()
        return f"{indent}{key}: {value}", key
    return None


def normalize_front_matter_lines(lines: list[str], first_line: int, path: str) -> tuple[list[str], list[Diagnostic]]:
    """Make the safe, unambiguous repairs (tabs, full-width colons after a key) and report each one at its line."""
    out: list[str] = []
    problems: list[Diagnostic] = []
    previous = ""  # the last non-blank line as repaired
    for offset, line in enumerate(lines):
        lineno = first_line + offset
        tabs = _LEADING_TABS.match(line)
        if tabs and line.strip():
            lead = tabs.group(1)
            rest = line[len(lead):]
            # a tab before a plain `key: value` under another plain `key: value` is a slip of the finger, not nesting
            opens_block = previous.rstrip().endswith(":") or previous.lstrip().startswith("-")
            indent = lead.replace("\t", "  ") if opens_block else previous[:len(previous) - len(previous.lstrip())]
            line = indent + rest
            problems.append(Diagnostic(path, lineno, "yaml-tab", "这一行开头用了 Tab 键"))
        if _TAB_AFTER_COLON.match(line):
            line = _TAB_AFTER_COLON.sub(lambda m: m.group(1) + ": ", line, count=1)
            problems.append(Diagnostic(path, lineno, "yaml-tab", "冒号后面用了 Tab 键"))
        fixed = fix_fullwidth_colon(line)
        if fixed is not None:
            line, key = fixed
            if _GLUED_KEY.match(lines[offset].replace("\t", " ")) and "：" not in lines[offset]:
                problems.append(Diagnostic(path, lineno, "colon-no-space", f"“{key}:”后面没有空格，已按“{key}: ”读取"))
            else:
                problems.append(Diagnostic(path, lineno, "fullwidth-colon",
                                           f"“{key}”后面是中文冒号“：”，已按英文冒号读取"))
        out.append(line)
        if line.strip():
            previous = line
    return out, problems


def _front_matter_end(lines: list[str], start: int) -> tuple[int | None, int | None]:
    """(closing fence, first body-looking line before it): either may be missing."""
    body_like = None
    for i in range(start + 1, len(lines)):
        if _FENCE.match(lines[i]):
            if body_like is not None and any(_KEY_LIKE.match(line) for line in lines[body_like + 1:i]):
                body_like = None  # keys go on after it: one malformed line inside a closed block, not the body
            return i, body_like
        if body_like is None and _BODY_LIKE.match(lines[i].rstrip()):
            body_like = i
    return None, body_like


# libyaml's parser when PyYAML was built with it (several times faster on thousands of entries), else pure Python
_SafeBase: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _TextLoader(_SafeBase):  # type: ignore[misc]
    """Safe loader that leaves dates as text: `date: 2020-02-30` must become our message, not a crash."""


_TextLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _load_with_node(text: str) -> tuple[Any, Any]:
    """Parse once: the node tree (for key line numbers) and the data built from it."""
    loader = _TextLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data


def front_matter_bounds(lines: list[str]) -> tuple[int, int] | None:
    """0-based lines of the opening and closing `---` of a well-formed block, else None."""
    start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    if start >= len(lines) or lines[start].strip() != "---":
        return None
    end, body_like = _front_matter_end(lines, start)
    return (start, end) if end is not None and body_like is None else None


def split(decoded: Decoded, path: str) -> tuple[FrontMatter | None, list[Diagnostic]]:
    lines = decoded.text.split("\n")
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start >= len(lines) or lines[start].strip() != "---":
        return None, [Diagnostic(path, start + 1, "no-front-matter", "第一行应该是 `---`，下面写日期和标题")]
    end, body_like = _front_matter_end(lines, start)
    if body_like is not None or end is None:
        # no closing ---: say where it is missing (before the first line that reads like the body), and still report
        # what is wrong above it so the secretary fixes everything in one go
        stop = body_like if body_like is not None else len(lines)
        _, problems = normalize_front_matter_lines(lines[start + 1:stop], start + 2, path)
        if body_like is None:
            return None, [*problems, Diagnostic(path, start + 1, "unclosed-front-matter",
                                                "从这里开始的信息头一直没有结束")]
        return None, [*problems, Diagnostic(
            path, body_like + 1, "unclosed-front-matter", "信息头在这一行之前没有用 `---` 结束，这一行像是正文",
            f"在第 {body_like + 1} 行前面单独写一行 `---`")]
    fm_lines, problems = normalize_front_matter_lines(lines[start + 1:end], start + 2, path)
    # a line with no colon inside a closed block: YAML would blame the line after it, so name it ourselves
    keyless = [start + 2 + i for i, line in enumerate(fm_lines) if _BODY_LIKE.match(line.rstrip())]
    if keyless:
        return None, problems + [Diagnostic(path, n, "yaml-syntax", "信息头这一行没有冒号",
                                            "写成“名称: 内容”，例如 `标题: 屋顶漏水`") for n in keyless]
    text = "\n".join(fm_lines)
    try:
        node, data = _load_with_node(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = start + 2 + mark.line if mark is not None else start + 1
        reason = getattr(exc, "problem", None) or "无法解析"
        shown = lines[line - 1] if 0 < line <= len(lines) else ""
        hint = ("这一行没有冒号：写成“名称: 内容”；如果它是正文，说明上面少了一行 `---`"
                if shown.strip() and not re.search("[:：]", shown) else "")
        return None, [*problems, Diagnostic(path, line, "yaml-syntax", f"信息头这一行写法有误（{reason}）", hint)]
    if data is None:
        data = {}
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode | type(None)):
        return None, [*problems, Diagnostic(path, start + 2, "not-a-mapping", "信息头不是“名称: 内容”的形式")]
    key_lines = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            key_lines[str(key_node.value)] = start + 2 + key_node.start_mark.line
    body = "\n".join(lines[end + 1:])
    return FrontMatter(data, key_lines, body, end + 2, end + 1), problems
