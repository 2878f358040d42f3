"""The guard every public entry passes before anything is rendered or indexed: findings, masks, pseudonyms.

Every field that reaches a reader is read through the view (normalize.py): title, body, author, community, the
case name, methods and topics shown as written, and what becomes a URL — the explicit id, the case id and the file
name. A finding in a text field is an error at its file line (the entry stays off the site) unless the college masks
that kind (people.yml `设置: {自动遮挡: [电话]}`) or the entry allows it (`允许: [电话]`, or the exact text). A
listed name with a pseudonym is replaced wherever it is written, however it is split. A URL cannot be masked: any
finding there is an error whatever the settings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from pathlib import Path, PurePosixPath

from .. import workers
from ..diagnostics import Diagnostic
from ..model import Entry
from ..text.query import prepare
from .normalize import plain, view
from .patterns import find
from .people import KIND_WORDS, People, Rules, load_people

# kind of personal data → its diagnostic code and what the message calls it
CODES = {"phone": "pii-phone", "id": "pii-id-number", "bank": "pii-bank-card", "number": "pii-number",
         "plate": "pii-plate", "address": "pii-address", "name": "pii-name"}
LABELS = {"phone": "电话号码", "id": "身份证号", "bank": "银行卡号", "number": "一长串号码（像账号、卡号或证件号）",
          "plate": "车牌号", "address": "门牌地址", "name": "真实姓名"}
# The mask character: a full-width star, which Markdown does not read as emphasis (139****5678 would show as
# 1395678) and search snippets do not strip.
MASK = "＊"

TEXT_FIELDS = ("title", "body", "author", "community")
# lists of names shown as written, on entries that have them (methods and topics not in the taxonomy's tables)
LIST_FIELDS = ("unlisted_methods", "topic_words", "discussion", "takeaways")
# what becomes a URL or names the file: no mask can make these safe
URL_FIELDS = ("case", "id", "file")
FIELD_KEYS = {"author": "author", "community": "community", "case": "case", "id": "id",
              "unlisted_methods": "methods", "topic_words": "topics", "discussion": "discussion",
              "takeaways": "takeaways"}
WHERE = {"title": "标题里", "author": "作者里", "community": "社区里", "case": "案例名里", "id": "编号里",
         "file": "文件名里", "unlisted_methods": "工作法里", "topic_words": "主题里", "body": "",
         "discussion": "讨论题里", "takeaways": "要点里"}
URL_HINTS = {
    "case": "案例名会变成网址，网址里的个人信息无法遮挡：改成事情的名字，例如 `案例: 东院漏水`",
    "id": "编号会变成网址，网址里的个人信息无法遮挡：改掉 `编号:`，例如 `编号: 2021-05-01-louding`",
    "file": "文件名会变成网址，网址里的个人信息无法遮挡：给文件改个名，例如 2021-05-01-louding.md",
}


@dataclass(frozen=True)
class Finding:
    kind: str  # phone | id | bank | number | plate | address | name
    field: str  # title | body | author | community | case | id | file | unlisted_methods | topic_words
    start: int  # in the field's text as written
    end: int
    text: str
    index: int = -1  # the item, in a list field


# --- finding ---------------------------------------------------------------------------------------------------------
@lru_cache(maxsize=64)
def _names(people: People) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """One pattern for every listed name, any separator between its characters (刘 凤霞, 阿依古丽买买提 for
    阿依古丽·买买提), longest first; and each name's plain form → its pseudonym."""
    plains = {plain(n): p for n, p in people.names}
    if not plains:
        return None, plains
    alternatives = ("[ .\\-]?".join(re.escape(c) for c in n) for n in sorted(plains, key=len, reverse=True))
    return re.compile("|".join(alternatives)), plains


NOBODY = People()
# what the view leaves out but an output file may still carry: attributes (<a href="tel:…">) and comments
_HIDDEN = re.compile(r"<!--(?P<comment>.*?)(?:-->|\Z)|<[A-Za-z][A-Za-z0-9-]*\s(?P<attributes>[^<>]*)>", re.S)


def find_in_text(text: str, people: People = NOBODY, field: str = "body", index: int = -1) -> list[Finding]:
    """Every piece of personal data in one text, at the offsets of the text as written."""
    v = view(text)
    spans: list[tuple[str, int, int]] = []
    pattern, _ = _names(people)
    if pattern is not None:
        spans += [("name", m.start(), m.end()) for m in pattern.finditer(v.text)]
    for s in find(v.text):
        if not any(s.start < b and a < s.end for _, a, b in spans):
            spans.append((s.kind, s.start, s.end))
    out = []
    for kind, a, b in spans:
        start, end = _balanced(text, *v.span(a, b))
        out.append(Finding(kind, field, start, end, text[start:end], index))
    if "<" in text:
        for m in _HIDDEN.finditer(text):
            group = "comment" if m.group("comment") is not None else "attributes"
            offset = m.start(group)
            for f in find_in_text(m.group(group), people, field, index):
                if not any(f.start + offset < g.end and g.start < f.end + offset for g in out):
                    out.append(replace(f, start=f.start + offset, end=f.end + offset))
    return sorted(out, key=lambda f: f.start)


_MARKUP = re.compile(r"\*{1,3}|_{1,3}|~~|</?[A-Za-z][^<>]*>")


def _balanced(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span that holds one half of a pair of marks (`**139**2009…`, `<span>刘</span>凤霞`) over the other
    half, so that replacing it leaves no stray `**` or tag behind; a span inside a bold phrase stays as it is."""
    for _ in range(2):
        inside = _MARKUP.findall(text, start, end)
        if len(inside) % 2 == 0:
            break
        before = next((m for m in _MARKUP.finditer(text, 0, start) if m.end() == start), None)
        after = _MARKUP.match(text, end)
        if before is not None:
            start = before.start()
        elif after is not None:
            end = after.end()
        else:
            break
    return start, end


def _file_stem(entry: Entry) -> str:
    return PurePosixPath(entry.rel_source).stem


def _explicit_id(entry: Entry) -> bool:
    if entry.field_lines:
        return "id" in dict(entry.field_lines)
    return entry.id != _file_stem(entry).lower()


def scan_entry(entry: Entry, people: People) -> list[Finding]:
    found = [f for field in TEXT_FIELDS for f in find_in_text(getattr(entry, field), people, field)]
    present = {f.name for f in fields(entry)}
    for field in LIST_FIELDS:
        if field in present:  # fields other parts of the loader may add; a name as written is shown as written
            items: tuple[str, ...] = getattr(entry, field)
            found += [f for i, item in enumerate(items) for f in find_in_text(item, people, field, i)]
    found += find_in_text(entry.case, people, "case")
    # the URL is the explicit id, or else the file name (an ASCII one; others get a date and a hash)
    if _explicit_id(entry):
        found += find_in_text(entry.id, people, "id")
    found += find_in_text(_file_stem(entry), people, "file")
    return found


def _allowed(f: Finding, entry: Entry) -> bool:
    return any(KIND_WORDS.get(prepare(item)) == f.kind or plain(item) == plain(f.text) for item in entry.allow)


def _pseudonym(f: Finding, people: People) -> str:
    return _names(people)[1].get(plain(f.text), "") if f.kind == "name" else ""


def _is_problem(f: Finding, entry: Entry, people: People, rules: Rules) -> bool:
    if _allowed(f, entry):
        return False
    if _pseudonym(f, people):
        return False  # the college gave this person a pseudonym: it is replaced, not reported
    return f.field in URL_FIELDS or f.kind not in rules.mask


def _line(entry: Entry, f: Finding) -> int:
    if f.field == "body":
        return entry.body_line + entry.body.count("\n", 0, f.start)
    if f.field == "title":
        return entry.title_line or 1
    if f.field == "file":
        return 0  # the whole file
    known = dict(entry.field_lines).get(FIELD_KEYS[f.field], 0)
    return known or max(entry.body_line - 2, 1)


def find_personal_data(entry: Entry, people: People, rules: Rules,
                       found: list[Finding] | None = None) -> list[Diagnostic]:
    """Every piece of personal data that would be published as written: one error each, at its file line."""
    path = entry.where
    out = []
    for f in scan_entry(entry, people) if found is None else found:
        if not _is_problem(f, entry, people, rules):
            continue
        message = f"{WHERE[f.field]}有{LABELS[f.kind]}“{mask(f.kind, f.text)}”（这里已遮挡显示）"
        out.append(Diagnostic(path, _line(entry, f), CODES[f.kind], message, URL_HINTS.get(f.field, "")))
    return out


# --- masking and pseudonyms ------------------------------------------------------------------------------------------
def mask(kind: str, text: str) -> str:
    """The masked form published when the college enables a kind: 139＊＊＊＊5678, X号楼X单元X室, 刘某某."""
    seen = view(text).text
    digits = re.sub(r"[^0-9X]", "", seen)
    if kind == "phone":
        if re.fullmatch(r"(?:00)?(?:86)?1[3-9][0-9]{9}", digits):
            return digits[-11:-8] + MASK * 4 + digits[-4:]
        if digits.startswith("0") and len(digits) >= 10:  # keep the area code: 0431-＊＊＊＊3456
            area = digits[:3] if digits[1] in "12" else digits[:4]
            return f"{area}-" + MASK * (len(digits) - len(area) - 4) + digits[-4:]
        return MASK * max(len(digits) - 4, 3) + digits[-4:]
    if kind == "id":
        return digits[:6] + MASK * (len(digits) - 10) + digits[-4:]
    if kind in ("bank", "number"):
        return MASK * (len(digits) - 4) + digits[-4:]
    if kind == "plate":
        compact = re.sub(r"[ .\-\n]", "", seen)
        return compact[:2] + MASK * (len(compact) - 4) + compact[-2:]
    if kind == "address":
        return re.sub(r"[0-9]+|(?<![A-Z])[A-Z](?=[座栋幢])", "X", re.sub(r"[ .\n]", "", seen))
    if kind == "name":
        name = plain(text)
        return name[:1] + "某" * (len(name) - 1)
    return MASK * len(text)


def _replaced(text: str, edits: list[tuple[Finding, str]]) -> str:
    for f, new in sorted(edits, key=lambda x: -x[0].start):
        text = text[:f.start] + new + text[f.end:]
    return text


def apply_pseudonyms(entry: Entry, people: People, rules: Rules, found: list[Finding] | None = None) -> Entry:
    """The entry as published: pseudonyms for listed names, masks for the kinds the college enabled.

    Allowed findings stay as written; findings that are errors stay too (such an entry is never published).
    """
    edits: dict[tuple[str, int], list[tuple[Finding, str]]] = {}
    for f in scan_entry(entry, people) if found is None else found:
        if _allowed(f, entry) or f.field in ("id", "file"):
            continue
        masked = f.kind in rules.mask and f.field not in URL_FIELDS
        new = _pseudonym(f, people) or (mask(f.kind, f.text) if masked else "")
        if new:
            edits.setdefault((f.field, f.index), []).append((f, new))
    texts: dict[str, str] = {}
    lists: dict[str, list[str]] = {}
    for (field, index), field_edits in edits.items():
        if index < 0:
            texts[field] = _replaced(getattr(entry, field), field_edits)
        else:
            items = lists.setdefault(field, list(getattr(entry, field)))
            items[index] = _replaced(items[index], field_edits)
    changes: dict[str, str | tuple[str, ...]] = {**texts, **{k: tuple(v) for k, v in lists.items()}}
    return replace(entry, **changes) if changes else entry  # type: ignore[arg-type]


def publishable_text(text: str, people: People, rules: Rules) -> tuple[str, list[Finding]]:
    """A text the college wrote (paths.yml), as published: pseudonyms for listed names, a mask over everything else
    found; and the findings that are errors (no pseudonym, a kind the college does not mask automatically). Unlike an
    entry, such a text is masked even when it has errors: it is the college's own wording, not a resident's story."""
    edits, problems = [], []
    for f in find_in_text(text, people):
        new = _pseudonym(f, people)
        if not new:
            new = mask(f.kind, f.text)
            if f.kind not in rules.mask:
                problems.append(f)
        edits.append((f, new))
    return _replaced(text, edits), problems


# --- the one call the loader makes -----------------------------------------------------------------------------------
# one entry's verdict: its errors and, if it has none, the entry as published
Checked = tuple[tuple[Diagnostic, ...], Entry | None]
Memo = dict[tuple[Entry, People, Rules], Checked]


def protect(entries: Iterable[Entry], diaries_dir: Path,
            memo: Memo | None = None) -> tuple[list[Entry], list[Diagnostic]]:
    """Public entries → the ones safe to publish (pseudonymised, masked), and an error for every finding.

    An entry with any finding is left out of the site even in a non-strict build: the error is logged, and nothing
    of the entry is rendered, indexed or counted. If people.yml cannot be read at all, no entry is published, since
    the real names it should replace are unknown.

    `memo` (the caller's LoadCache keeps it, on disk for the CLI) holds earlier verdicts: a verdict depends only on
    the entry, people.yml's names and the masking rules, all immutable values and all in the key, so `mkdocs serve`
    and `diary search` after a save check only the entries that changed. It is left holding this call's entries.
    """
    people, rules, problems = load_people(diaries_dir)
    if people.unreadable:
        return [], problems
    safe: list[Entry] = []
    used: Memo = {}
    entries = list(entries)
    unknown = [e for e in entries if memo is None or (e, people, rules) not in memo]

    def check(chunk: Sequence[Entry]) -> list[Checked]:
        return [_checked(e, people, rules) for e in chunk]

    made: dict[Entry, Checked] = {}
    for e, (found, published) in zip(unknown, workers.map_chunks(check, unknown), strict=True):  # on every core
        if published is not None and published is not e and published == e:
            published = e  # a worker's copy of an entry published unchanged: keep one of each in memory
        made[e] = (found, published)
    for e in entries:
        key = (e, people, rules)
        verdict = made.get(e) or (memo or {})[key]
        used[key] = verdict
        found, published = verdict
        problems.extend(found)
        if published is not None:
            safe.append(published)
    if memo is not None:
        memo.clear()
        memo.update(used)
    return safe, problems


def _checked(entry: Entry, people: People, rules: Rules) -> Checked:
    """One entry's findings and, if it has none, what is published."""
    findings = scan_entry(entry, people)
    found = tuple(find_personal_data(entry, people, rules, findings))
    return found, None if found else apply_pseudonyms(entry, people, rules, findings)
