"""From bytes on disk to a front-matter mapping and a body, keeping line numbers for every message.

Real files from the secretary's Windows PC: UTF-8 with or without BOM, GBK from Notepad, UTF-16, CRLF, tabs, and
full-width colons (`标题：…`) that YAML would silently turn into one long string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from ..diagnostics import Diagnostic


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
    # keys written more than once (the value read is the last): key as written, line of each later occurrence
    repeated: tuple[tuple[str, int], ...] = ()


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


_LINE_BREAK = re.compile(r"(\r\n|\r|\n)")


def raw_lines(data: bytes, decoded: Decoded) -> list[tuple[str, str]]:
    """The file's lines as (text, its own line ending): line i is line i of `decoded.text`.

    Writers edit a line's text and join everything back, so the lines they do not touch keep their bytes, mixed
    line endings included.
    """
    if decoded.encoding == "utf-8-sig":
        raw = data[3:].decode("utf-8")
    elif decoded.encoding == "utf-16":
        raw = data.decode("utf-16", errors="replace")
    else:
        raw = data.decode(decoded.encoding)
    parts = _LINE_BREAK.split(raw)
    return [(parts[i], parts[i + 1] if i + 1 < len(parts) else "") for i in range(0, len(parts), 2)]


def encode_like(text: str, decoded: Decoded, *, utf8: bool = False) -> bytes:
    """`text` in the file's own encoding (BOM kept), or as UTF-8 (keeping a UTF-8 BOM) when `utf8`."""
    if decoded.encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if utf8 or decoded.encoding == "utf-8":
        return text.encode("utf-8")
    return text.encode(decoded.encoding)


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

# ------------------------------------------------------------------------------------ YAML read with limits
# The parser only produces events (libyaml and PyYAML both keep an explicit state stack, so depth cannot overflow
# the C or Python stack there); the tree is built here, iteratively, and refused as soon as it passes a limit.
# PyYAML's own composer recurses once per level (RecursionError at 1,000, SIGSEGV in C at 100,000) and expands
# aliases without bound (a 1.6 KB "billion laughs" took 8 GB), so it never sees a diary's front matter.

_STR, _NULL, _BOOL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool"
_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_PLAIN_COLLECTION_TAGS = {None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


@dataclass(frozen=True)
class YamlLimits:
    max_chars: int = 64_000  # of the YAML text; a real front matter has a few hundred
    max_depth: int = 20  # nested lists/mappings
    max_nodes: int = 5_000  # values, counted with every alias expanded
    max_aliases: int = 50  # `*name` uses; nobody writes one by hand in a diary
    max_number_digits: int = 40  # longer "numbers" stay text (int() of 5,000 digits raises; nobody means it)


FRONT_MATTER_LIMITS = YamlLimits()


class YamlRefused(Exception):
    """The text is not YAML we accept; `line` is 0-based within the text, `code` a diagnostics code."""

    def __init__(self, line: int, code: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.line, self.code, self.message, self.hint = line, code, message, hint


@dataclass(frozen=True)
class YamlDocument:
    data: Any
    key_lines: dict[str, int]  # top-level key as written → 0-based line of its last occurrence
    repeated: tuple[tuple[str, int], ...]  # top-level keys written again: (key, 0-based line of each later one)
    notes: tuple[tuple[int, str, str], ...]  # warnings (0-based line, code, message): tags ignored


def yaml_error_line(exc: yaml.YAMLError) -> int | None:
    """The 0-based line a YAML error is about, as a person would point at it.

    For something left open (a `[`, `{` or quote never closed) the parser notices only on a later line, or at the
    end; the line to fix is where it was opened, which is the error's context mark. Otherwise it is the problem mark.
    """
    problem = getattr(exc, "problem_mark", None)
    context = getattr(exc, "context_mark", None)
    what = str(getattr(exc, "context", "") or "")
    if context is not None and what.startswith(("while parsing a flow", "while scanning a quoted")):
        return int(context.line)
    if problem is not None:
        return int(problem.line)
    return int(context.line) if context is not None else None


@dataclass
class _Frame:
    value: dict[str, Any] | list[Any]
    anchor: str | None
    nodes_before: int
    chars_before: int
    line: int
    key: str | None = None  # a mapping's key waiting for its value
    key_line: int = 0
    expect_key: bool = True


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


class _Builder:
    """Events → Python values (str, int, float, bool, None, list, dict) under the limits."""

    def __init__(self, loader: Any, limits: YamlLimits) -> None:
        self.loader, self.limits = loader, limits
        self.nodes = self.chars = self.aliases = 0
        self.anchors: dict[str, tuple[Any, int, int]] = {}  # anchor → (value, nodes, chars) of its whole subtree
        self.open_anchors: set[str] = set()
        self.stack: list[_Frame] = []
        self.key_lines: dict[str, int] = {}
        self.repeated: list[tuple[str, int]] = []
        self.notes: list[tuple[int, str, str]] = []
        self.root: Any = None

    def count(self, nodes: int, chars: int, line: int) -> None:
        self.nodes += nodes
        self.chars += chars
        if self.nodes > self.limits.max_nodes or self.chars > 2 * self.limits.max_chars:
            raise YamlRefused(line, "yaml-too-complex", "信息头展开后太大（可能是 & 和 * 引用套了很多层）",
                              "不要用 & 和 * 引用，把内容直接写出来")

    def scalar(self, event: Any) -> Any:
        line, value, tag = event.start_mark.line, event.value, event.tag
        if tag is not None and tag != "!" and tag != _STR:
            self.notes.append((line, "yaml-tag", f"“{_short_tag(tag)}”这种标记不需要，已按文字“{value[:20]}”读取"))
            return value
        if tag is not None:
            return value
        resolved = self.loader.resolve(yaml.ScalarNode, value, event.implicit)
        if resolved == _NULL:
            return None
        if resolved == _BOOL:
            return self.loader.bool_values[value.lower()]
        if resolved in (_INT, _FLOAT):
            # 12:30 would be YAML 1.1's base 60 (750), and a number longer than anyone counts is not meant as one
            if ":" in value or len(value) > self.limits.max_number_digits:
                return value
            node = yaml.ScalarNode(resolved, value)
            return self.loader.construct_yaml_int(node) if resolved == _INT else self.loader.construct_yaml_float(node)
        return value  # str, and the merge/value keys (`<<`, `=`) read as plain text

    def attach(self, value: Any, line: int) -> bool:
        """Put a finished value into its parent; True when it was the document's root."""
        if not self.stack:
            self.root = value
            return True
        parent = self.stack[-1]
        if isinstance(parent.value, list):
            parent.value.append(value)
            return False
        if parent.expect_key:
            if isinstance(value, list | dict):
                raise YamlRefused(line, "yaml-syntax", "信息头里“名称”的位置上是一个列表或括号",
                                  "每行写成“名称: 内容”")
            parent.key = value if isinstance(value, str) else _written(value)
            parent.key_line, parent.expect_key = line, False
            return False
        key = parent.key if parent.key is not None else ""
        if len(self.stack) == 1:
            if key in parent.value:
                self.repeated.append((key, parent.key_line))
            self.key_lines[key] = parent.key_line
        parent.value[key] = value
        parent.key, parent.expect_key = None, True
        return False

    def build(self) -> Any:
        loader = self.loader
        while True:
            event = loader.get_event()
            line = event.start_mark.line
            if isinstance(event, yaml.ScalarEvent):
                self.count(1, len(event.value), line)
                value = self.scalar(event)
                if event.anchor:
                    self.anchors[event.anchor] = (value, 1, len(event.value))
                if self.attach(value, line):
                    return self.root
            elif isinstance(event, yaml.AliasEvent):
                self.aliases += 1
                if self.aliases > self.limits.max_aliases:
                    raise YamlRefused(line, "yaml-too-complex", f"信息头里的 * 引用超过 {self.limits.max_aliases} 个",
                                      "不要用 & 和 * 引用，把内容直接写出来")
                if event.anchor in self.open_anchors:
                    raise YamlRefused(line, "yaml-too-complex", f"“*{event.anchor}”引用了包含它自己的内容",
                                      "不要用 & 和 * 引用，把内容直接写出来")
                if event.anchor not in self.anchors:
                    raise YamlRefused(line, "yaml-syntax", f"“*{event.anchor}”前面没有对应的“&{event.anchor}”",
                                      "* 后面的文字如果是内容本身，请给整个值加上引号")
                value, nodes, chars = self.anchors[event.anchor]
                self.count(nodes, chars, line)
                if self.attach(value, line):
                    return self.root
            elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                if len(self.stack) >= self.limits.max_depth:
                    raise YamlRefused(line, "yaml-too-complex",
                                      f"信息头的括号或列表套了超过 {self.limits.max_depth} 层",
                                      "每行写成“名称: 内容”，列表写成 `[甲, 乙]`")
                if event.tag not in _PLAIN_COLLECTION_TAGS:
                    self.notes.append((line, "yaml-tag", f"“{_short_tag(str(event.tag))}”这种标记不需要，已忽略"))
                self.count(1, 0, line)
                container: dict[str, Any] | list[Any] = {} if isinstance(event, yaml.MappingStartEvent) else []
                self.stack.append(_Frame(container, event.anchor, self.nodes, self.chars, line))
                if event.anchor:
                    self.open_anchors.add(event.anchor)
            elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                frame = self.stack.pop()
                if frame.anchor:
                    self.open_anchors.discard(frame.anchor)
                    self.anchors[frame.anchor] = (frame.value, self.nodes - frame.nodes_before + 1,
                                                  self.chars - frame.chars_before)
                if self.attach(frame.value, frame.line):
                    return self.root
            else:  # stream/document events cannot come inside a document
                raise YamlRefused(line, "yaml-syntax", "信息头的格式写错了")


def _written(value: Any) -> str:
    """A non-text key as the secretary wrote it (`1:` → "1"), so keys are always text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# the parser's English, in the secretary's words (libyaml and PyYAML word the same problems differently)
_REASONS = (
    ("while parsing a flow sequence", "这一行的“[”没有配对的“]”"),
    ("while parsing a flow mapping", "这一行的“{”没有配对的“}”"),
    ("while scanning a quoted scalar", "这一行的引号没有配对"),
    ("mapping values are not allowed", "这一行多了一个“: ”（内容里有冒号时，请给整个内容加上引号）"),
    ("found character '\\t'", "这一行有 Tab 键"),
    ("while scanning an alias", "“*”后面要紧跟文字（内容以 * 开头时请加上引号）"),
    ("while scanning an anchor", "“&”后面要紧跟文字（内容以 & 开头时请加上引号）"),
    ("while scanning a tag", "“!”开头的写法不对（内容以 ! 开头时请加上引号）"),
    ("found undefined tag handle", "“!”开头的写法不对（内容以 ! 开头时请加上引号）"),
    ("while parsing a block", "这一行的缩进或开头和上面几行对不上"),
    ("while scanning a simple key", "这一行没有冒号，或者冒号后面没有空格"),
    ("cannot start any token", "这一行以 YAML 的保留符号开头（@ 或 `），请给内容加上引号"),
)


def _reason(exc: yaml.YAMLError) -> str:
    said = f"{getattr(exc, 'context', '') or ''} {getattr(exc, 'problem', '') or ''}"
    reason = next((zh for en, zh in _REASONS if en in said), "")
    return f"信息头这一行写法有误：{reason}" if reason else f"信息头这一行写法有误（{said.strip() or '无法解析'}）"


def load_yaml(text: str, limits: YamlLimits = FRONT_MATTER_LIMITS) -> YamlDocument:
    """One YAML document, safe and bounded: YamlRefused for syntax errors and anything past `limits`.

    Only plain values: explicit tags (`!!timestamp`, `!!python/…`) are ignored with a note, never acted on.
    """
    if len(text) > limits.max_chars:
        raise YamlRefused(0, "yaml-too-complex", f"信息头太长（{len(text)} 个字符）",
                          "信息头只写日期、标题等几行，正文写在第二个 `---` 下面")
    loader = _TextLoader(text)
    try:
        builder = _Builder(loader, limits)
        try:
            loader.get_event()  # stream start
            if loader.check_event(yaml.StreamEndEvent):
                return YamlDocument(None, {}, (), ())
            loader.get_event()  # document start
            data = builder.build()
            loader.get_event()  # document end
            if not loader.check_event(yaml.StreamEndEvent):
                raise YamlRefused(loader.peek_event().start_mark.line, "yaml-syntax", "信息头里有第二段内容")
        except yaml.YAMLError as exc:
            line = yaml_error_line(exc)
            last = text.count("\n")
            raise YamlRefused(min(line if line is not None else 0, last), "yaml-syntax", _reason(exc)) from None
    finally:
        loader.dispose()
    return YamlDocument(data, builder.key_lines, tuple(builder.repeated), tuple(builder.notes))


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
        doc = load_yaml(text)
    except YamlRefused as exc:
        line = start + 2 + exc.line
        shown = lines[line - 1] if 0 < line <= len(lines) else ""
        hint = exc.hint
        if exc.code == "yaml-syntax" and not hint and shown.strip() and not re.search("[:：]", shown):
            hint = "这一行没有冒号：写成“名称: 内容”；如果它是正文，说明上面少了一行 `---`"
        return None, [*problems, Diagnostic(path, line, exc.code, exc.message, hint)]
    problems += [Diagnostic(path, start + 2 + n, code, message) for n, code, message in doc.notes]
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        return None, [*problems, Diagnostic(path, start + 2, "not-a-mapping", "信息头不是“名称: 内容”的形式")]
    key_lines = {key: start + 2 + n for key, n in doc.key_lines.items()}
    repeated = tuple((key, start + 2 + n) for key, n in doc.repeated)
    body = "\n".join(lines[end + 1:])
    return FrontMatter(data, key_lines, body, end + 2, end + 1, repeated), problems
