"""Front matter → the fields of an Entry, one small validator per field, every problem reported at its line."""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass
from typing import Any

from ..diagnostics import Diagnostic
from ..model import Entry
from ..structure.threads import thread_key
from ..text.fold import is_traditional
from ..text.query import prepare
from ..text.remote_urls import remote_resources
from .dates import DateError, parse_date
from .frontmatter import FrontMatter
from .taxonomy import NameResolver

# Chinese (and a few English) ways of writing each key; compared after folding, so 標題 works like 标题.
KEY_ALIASES: dict[str, str] = {
    "title": "title", "标题": "title", "题目": "title",
    "date": "date", "日期": "date", "时间": "date",
    "author": "author", "作者": "author", "记录人": "author",
    "community": "community", "社区": "community", "地点": "community",
    "topics": "topics", "tags": "topics", "主题": "topics", "标签": "topics", "分类": "topics",
    "methods": "methods", "工作法": "methods", "方法": "methods",
    "case": "case", "thread": "case", "案例": "case", "线索": "case", "系列": "case", "专题": "case",
    "status": "status", "状态": "status",
    "visibility": "visibility", "公开": "visibility", "可见性": "visibility",
    "id": "id", "编号": "id",
    "imported_from": "imported_from", "来源": "imported_from",
    "allow": "allow", "允许": "allow",  # Entry.allow, read by the privacy guard: personal data this entry may publish
    # teaching notes (issue #12 item 3): questions for a class and what to learn, shown on the page and in handouts
    "discussion": "discussion", "questions": "discussion", "讨论": "discussion", "讨论题": "discussion",
    "思考题": "discussion",
    "takeaways": "takeaways", "要点": "takeaways", "学习要点": "takeaways", "要领": "takeaways",
}
STATUSES = ("已解决", "跟进中", "未解决")
# how secretaries write a status in their own words (compared after folding); anything else is a warning
STATUS_WORDS: dict[str, str] = {
    **dict.fromkeys(("已解决", "解决", "解决了", "已办结", "办结", "已完成", "完成", "已处理", "处理完", "搞掂", "结案",
                     "已落实", "resolved", "done"), "已解决"),
    **dict.fromkeys(("跟进中", "跟进", "待跟进", "继续跟进", "持续跟进", "处理中", "进行中", "在办", "办理中",
                     "未完", "待续", "ongoing"), "跟进中"),
    **dict.fromkeys(("未解决", "没解决", "没有解决", "未办结", "搁置", "解决不了", "unresolved"), "未解决"),
}
PUBLIC_WORDS = {"public", "公开", "是", "true", "yes"}
PRIVATE_WORDS = {"private", "不公开", "私密", "内部", "否", "false", "no"}
# keys that are not ours but say "do not publish this" (or mean to say anything about publishing): an entry that
# carries one is kept off the site, whatever its value, and the warning says so — a private diary must never leak
# because of a spelling
VISIBILITY_NEAR_MISS = {
    "private", "privacy", "hidden", "hide", "draft", "publish", "published", "public", "secret", "internal",
    "私密", "隐私", "隐藏", "草稿", "发布", "不公开", "内部", "保密", "机密", "公布", "对外", "仅自己可见",
}
_NOT_LETTER = re.compile(r"[^a-z\u3400-\u9fff]+")
_LIST_SPLIT = re.compile(r"[、，,；;\s]+")
_ITEM_SPLIT = re.compile(r"[、，；]+")
_ASCII_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LONG_ENTRY_CHARS = 20_000


def canonical_key(key: object) -> str | None:
    """The field a front-matter key means (标題 → title, Status → status), or None. The one place keys are read."""
    text = str(key)
    return KEY_ALIASES.get(prepare(text)) or KEY_ALIASES.get(text.strip().lower())


def _looks_like_visibility(key: str) -> bool:
    word = _NOT_LETTER.sub("", prepare(key))
    if word in VISIBILITY_NEAR_MISS:
        return True
    # misspellings of the English key (visiblity, visability, visibilty)
    return bool(difflib.get_close_matches(word, ["visibility"], n=1, cutoff=0.75))


def _status(fields: dict[str, Any], lines: dict[str, int], path: str, problems: list[Diagnostic]) -> str:
    raw = str(fields.get("status") or "").strip()
    if not raw:
        return ""
    status = STATUS_WORDS.get(_NOT_LETTER.sub("", prepare(raw)))
    if status is None:
        problems.append(Diagnostic(path, lines["status"], "bad-status", f"状态“{raw}”不认识，没有显示"))
        return ""
    return status


def _visibility(fields: dict[str, Any], lines: dict[str, int], near_miss: list[tuple[str, Any, int]], path: str,
                problems: list[Diagnostic]) -> str:
    """public or private; whenever the file leaves any doubt, private (it can always be published later)."""
    visibility = "public"
    for key, value, line in near_miss:
        problems.append(Diagnostic(path, line, "visibility-guess",
                                   f"“{key}: {value}”看起来是在说公开不公开，这篇按不公开处理"))
        visibility = "private"
    if "visibility" in fields:
        raw = fields["visibility"]
        word = str(raw).strip().lower() if not isinstance(raw, bool) else ("true" if raw else "false")
        if prepare(word) in PRIVATE_WORDS:
            visibility = "private"
        elif prepare(word) not in PUBLIC_WORDS:
            problems.append(Diagnostic(path, lines["visibility"], "bad-visibility", f"“{raw}”不是公开或不公开"))
            visibility = "private"
    return visibility


@dataclass(frozen=True)
class Resolvers:
    topics: NameResolver
    methods: NameResolver


def entry_id(rel_source: str, date_iso: str, explicit: str = "") -> str:
    """The URL slug: an explicit id, else an ASCII file name, else the date plus a hash of the path.

    It depends only on this file, so adding other entries never moves an existing page.
    """
    if explicit:
        return explicit
    stem = rel_source.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower()
    if _ASCII_ID.match(stem):
        return stem
    return f"{date_iso}-{hashlib.sha1(rel_source.encode(), usedforsecurity=False).hexdigest()[:6]}"


def _as_list(value: Any) -> tuple[list[str], bool]:
    """A YAML list, or a string she typed as 疫情防控、为老服务 (second item: it was a string)."""
    if value is None:
        return [], False
    if isinstance(value, list):
        return [str(v).strip() for v in value if v is not None and str(v).strip()], False
    return [str(value).strip()] if str(value).strip() else [], True


def _split_item(item: str, resolver: NameResolver, separators: re.Pattern[str]) -> list[str]:
    """A name as written, or its parts: `一核为主、多元共治` is one method, `疫情防控，为老服务` two topics."""
    if resolver.resolve(item) is not None:
        return [item]
    return [p.strip() for p in separators.split(item) if p.strip()]


def build_entry(fm: FrontMatter, *, source: Any, rel_source: str, path: str,
                resolvers: Resolvers) -> tuple[Entry | None, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    fields: dict[str, Any] = {}
    lines: dict[str, int] = {}
    near_miss: list[tuple[str, Any, int]] = []  # keys that look like a visibility switch: read as private
    for key, value in fm.data.items():
        line = fm.key_lines.get(str(key), fm.body_line - 1)
        canonical = canonical_key(key)
        if canonical is None and _looks_like_visibility(str(key)):
            near_miss.append((str(key), value, line))
            continue
        if canonical in fields:
            if canonical == "visibility":
                problems.append(Diagnostic(path, line, "conflicting-visibility",
                                           f"“{key}”和第 {lines[canonical]} 行都在说公开不公开，这篇按不公开处理"))
                fields[canonical] = "private"  # two answers to "may this be published": fail closed
                continue
            problems.append(Diagnostic(path, line, "repeated-key",
                                       f"“{key}”和第 {lines[canonical]} 行说的是同一项，用了这一行的内容"))
        if canonical is None:
            close = difflib.get_close_matches(prepare(str(key)), list(KEY_ALIASES), n=1, cutoff=0.5)
            hint = f"是不是想写“{close[0]}”？" if close else "能用的名称见“如何写日记”"
            problems.append(Diagnostic(path, line, "unknown-key", f"不认识“{key}”", hint))
            continue
        fields[canonical] = value
        lines[canonical] = line
    for key, repeat_line in fm.repeated:
        # the same key twice: YAML keeps the last value silently; for visibility that may publish a private entry
        if canonical_key(key) == "visibility":
            problems.append(Diagnostic(path, repeat_line, "conflicting-visibility",
                                       f"“{key}”写了不止一次，这篇按不公开处理"))
            fields["visibility"], lines["visibility"] = "private", repeat_line
        else:
            problems.append(Diagnostic(path, repeat_line, "repeated-key", f"“{key}”写了不止一次，用了最后一次的内容"))
    first = fm.body_line - 1

    date = None
    if fields.get("date") in (None, ""):
        problems.append(Diagnostic(path, lines.get("date", first), "missing-date", "没有写日期"))
    else:
        try:
            date = parse_date(fields["date"]).value
        except DateError as exc:
            problems.append(Diagnostic(path, lines["date"], exc.code, exc.message))
    title = str(fields.get("title") or "").strip()
    if not title:
        problems.append(Diagnostic(path, lines.get("title", first), "missing-title", "没有写标题"))

    topics, topic_words = _resolve_names(fields, lines, "topics", resolvers.topics, path, problems,
                                         "unknown-topic", "主题")
    methods, method_names = _resolve_names(fields, lines, "methods", resolvers.methods, path, problems,
                                           "unknown-method", "工作法")

    case = str(fields.get("case") or "").strip()
    if case and not thread_key(case):
        problems.append(Diagnostic(path, lines["case"], "bad-case-id", f"案例线索“{case}”里没有字或数字"))
        case = ""
    status = _status(fields, lines, path, problems)
    visibility = _visibility(fields, lines, near_miss, path, problems)
    explicit_id = str(fields.get("id") or "").strip()
    if explicit_id and not _ASCII_ID.match(explicit_id):
        problems.append(Diagnostic(path, lines["id"], "bad-id", f"编号“{explicit_id}”里有不能用在网址里的字符，"
                                   "网址改用文件名"))
        explicit_id = ""
    leading = len(fm.body) - len(fm.body.lstrip("\n"))  # the body is kept without its leading blank lines
    body = fm.body.strip("\n")
    if not body.strip():
        problems.append(Diagnostic(path, fm.body_line - 1, "empty-body", "这篇只有信息头"))
    elif len(body) > LONG_ENTRY_CHARS:
        problems.append(Diagnostic(path, fm.body_line, "long-entry", f"正文有 {len(body)} 个字符"))
    problems += remote_resources(fm.body, fm.body_line, path)  # shown as links on the page: say where and why

    # only what makes an entry unpublishable keeps it off the site; an optional field never does (it is warned about
    # and left out), and a doubtful visibility has already made the entry private
    if date is None or not title:
        return None, problems
    return Entry(
        id=entry_id(rel_source, date.isoformat(), explicit_id), date=date, title=title, body=body, source=source,
        rel_source=rel_source, display=path, body_line=fm.body_line + leading,
        author=str(fields.get("author") or "").strip(),
        community=str(fields.get("community") or "").strip(), topics=topics, methods=methods, case=case,
        status=status, visibility=visibility, traditional=is_traditional(title + body),
        topic_words=topic_words, unlisted_methods=method_names,
        imported_from=str(fields.get("imported_from") or ""),
        allow=_allow(fields.get("allow")), title_line=lines.get("title", 0), field_lines=tuple(sorted(lines.items())),
        discussion=_notes(fields.get("discussion")), takeaways=_notes(fields.get("takeaways")),
    ), problems


def _notes(value: Any) -> tuple[str, ...]:
    """Teaching notes: one string (a `|` block: one item per line) or a list; never split at commas — a question
    has commas in it."""
    items, typed_as_string = _as_list(value)
    if typed_as_string:
        items = [line.strip() for line in items[0].splitlines() if line.strip()]
    return tuple(items)


def _allow(value: Any) -> tuple[str, ...]:
    """Personal data the secretary lets this entry publish as written (`允许: 电话、13900000000`), for the guard."""
    items, typed_as_string = _as_list(value)
    if typed_as_string:
        items = [p for p in _LIST_SPLIT.split(items[0]) if p]
    return tuple(items)


def _resolve_names(fields: dict[str, Any], lines: dict[str, int], key: str, resolver: NameResolver, path: str,
                   problems: list[Diagnostic], code: str, label: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Slugs of the names found in the table, and the names as written that are not in it (kept, never dropped:
    an unknown topic word is evidence for the tagger, an unknown method is shown as written)."""
    items, was_string = _as_list(fields.get(key))
    # in a YAML list only the separators YAML does not know can hide several names (`[疫情防控，为老服务]`)
    names = [n for item in items for n in _split_item(item, resolver, _LIST_SPLIT if was_string else _ITEM_SPLIT)]
    if was_string and len(names) > 1:
        problems.append(Diagnostic(path, lines[key], "topics-not-list", f"{label}写成了一串文字：“{fields[key]}”"))
    slugs: list[str] = []
    unknown: list[str] = []
    for name in names:
        slug = resolver.resolve(name)
        if slug is None:
            guess = resolver.suggest(name)
            hint = f"是不是“{guess}”？" if guess else ""
            kept = "用作自动建议主题的线索" if key == "topics" else "照写的显示"
            problems.append(Diagnostic(path, lines[key], code, f"{label}“{name}”不在表里，{kept}", hint))
            if name not in unknown:
                unknown.append(name)
        elif slug not in slugs:
            slugs.append(slug)
    return tuple(slugs), tuple(unknown)
