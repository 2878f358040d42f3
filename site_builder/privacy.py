"""Residents' personal data: pseudonyms from diaries/people.yml, and a guard that keeps numbers and addresses off.

The diaries name residents, their phones, addresses and bank cards. Under the PIPL none of it may be published
without consent, so before anything is rendered or indexed every public entry goes through `protect`:

* a real name listed in people.yml is replaced by its pseudonym (title, body, author, community);
* phone numbers, ID numbers, bank cards, licence plates and exact addresses (3号楼2单元501室), and real names that
  have no pseudonym yet, are findings. A finding is an error at its file line — the entry stays off the site — unless
  the college masks that kind automatically (people.yml `设置: {自动遮挡: [电话]}` → 139****5678) or the entry
  allows it (`允许: [电话]`, or the exact text, e.g. the community office's number).

Everything here is pure: people.yml is parsed from its text, entries come in and go out as values. Matching runs on
a folded view of the text (full-width digits → ASCII, Traditional → Simplified) that has the same length as the
original, so every match is reported and replaced at the offsets of the text as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from .diagnostics import Diagnostic
from .frontmatter import FrontMatter
from .model import Entry
from .schema import canonical_key
from .text.fold import fold
from .text.query import prepare

PEOPLE_FILE = "people.yml"

# kind of personal data → its diagnostic code, and the words the college and the secretary may use for it
CODES = {"phone": "pii-phone", "id": "pii-id-number", "bank": "pii-bank-card", "plate": "pii-plate",
         "address": "pii-address", "name": "pii-name"}
KIND_WORDS: dict[str, str] = {
    "phone": "phone", "电话": "phone", "手机": "phone", "手机号": "phone", "座机": "phone", "电话号码": "phone",
    "id": "id", "id-number": "id", "身份证": "id", "身份证号": "id",
    "bank": "bank", "bank-card": "bank", "银行卡": "bank", "银行卡号": "bank", "卡号": "bank",
    "plate": "plate", "车牌": "plate", "车牌号": "plate",
    "address": "address", "地址": "address", "门牌": "address", "门牌号": "address",
    "name": "name", "姓名": "name", "名字": "name", "人名": "name",
}
LABELS = {"phone": "电话号码", "id": "身份证号", "bank": "银行卡号", "plate": "车牌号", "address": "门牌地址",
          "name": "真实姓名"}
SETTINGS_KEYS = {"设置", "settings"}
MASK_KEYS = {"自动遮挡", "遮挡", "mask"}
HELD = "；为了不泄露真实姓名，这次不发布任何日记"

# --- what personal data looks like (matched on the folded view: ASCII digits, Simplified characters) -------------
_N = r"(?:[0-9]+|[一二三四五六七八九十百零〇两]+)"  # a number, in digits or in Chinese
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # 18-digit ID: region, birth date, sequence, check digit (X allowed); any 17 digits + X too
    ("id", re.compile(r"(?<![0-9A-Za-z])(?:[1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])"
                      r"(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx]|[0-9]{17}[Xx])(?![0-9A-Za-z])")),
    # bank card: 16–19 digits, often written in groups of four
    ("bank", re.compile(r"(?<![0-9])[0-9]{4}(?:[ -]?[0-9]{4}){3}(?:[ -]?[0-9]{1,3})?(?![0-9])")),
    # mobile: 1[3-9] + 9 digits, optionally +86 and 3-4-4 groups
    ("phone", re.compile(r"(?<![0-9])(?:\+?86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{4}){2}(?![0-9])")),
    # landline with area code: 0431-85123456, (0433)2512345, 043385123456
    ("phone", re.compile(r"(?<![0-9])(?:[(（]0[0-9]{2,3}[)）] ?|0[0-9]{2,3}[ -])[0-9]{7,8}(?![0-9])"
                         r"|(?<![0-9])0[1-9][0-9]{9,10}(?![0-9])")),
    # a local number right after the word for it: 电话 5123456
    ("phone", re.compile(r"(?<=电话|手机|座机|号码|热线)[是为:：\s]{0,3}[0-9]{7,8}(?![0-9])")),
    # licence plate: province, letter, 5–6 letters/digits with at least one digit (吉A·12345, 吉H D12345)
    ("plate", re.compile(r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Za-z][ ·•・.-]?"
                         r"(?=[A-Za-z0-9]{0,5}[0-9])[A-Za-z0-9]{5,6}(?![A-Za-z0-9])")),
    # exact address: building + unit/room, unit + room, a room number, 3-2-501, a street number
    ("address", re.compile(
        rf"{_N}(?:号楼|号院|栋|幢|座|号)[ -]?(?:{_N}单元[ -]?(?:[0-9]{{2,4}}(?:室|号|房)?)?|[0-9]{{3,4}}(?:室|号|房)?)"
        # "二单元12户" counts households, not a room: a bare number after 单元 must not be followed by a counter
        rf"|{_N}单元[ -]?[0-9]{{2,4}}(?:室|号|房|(?![0-9户人家个位名栋间辆元岁次天年月层楼]))"
        r"|(?<![0-9])[0-9]{3,4}室"
        r"|(?<![0-9-])[0-9]{1,3}-[0-9]{1,2}-[0-9]{3,4}(?![0-9-])"
        r"|(?:路|街|巷|胡同|弄)[0-9]+号(?![楼线文件])")),
)


@dataclass(frozen=True)
class People:
    """people.yml: real name → pseudonym ("" when the college knows the name is real but has not chosen one)."""

    names: tuple[tuple[str, str], ...] = ()  # longest first, so 刘凤霞 wins over 刘凤
    unreadable: bool = False  # the file exists but could not be read: the real names are unknown


@dataclass(frozen=True)
class Rules:
    """The college's settings: kinds of personal data masked automatically instead of failing the build."""

    mask: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Finding:
    kind: str  # phone | id | bank | plate | address | name
    field: str  # title | body | author | community
    start: int
    end: int
    text: str


# --- people.yml -----------------------------------------------------------------------------------------------------
def load_people(diaries_dir: Path) -> tuple[People, Rules, list[Diagnostic]]:
    path = diaries_dir / PEOPLE_FILE
    if not path.is_file():
        return People(), Rules(), []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        problem = Diagnostic(_shown(path), 0, "bad-people", f"化名表不是 UTF-8 编码{HELD}", "用记事本另存为 UTF-8")
        return People(unreadable=True), Rules(), [problem]
    return parse_people(text, _shown(path))


def _shown(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def parse_people(text: str, path: str = f"diaries/{PEOPLE_FILE}") -> tuple[People, Rules, list[Diagnostic]]:
    """Parse people.yml. A file that cannot be read at all is `unreadable`: `protect` then publishes nothing."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return People(unreadable=True), Rules(), [Diagnostic(path, mark.line + 1 if mark else 0, "bad-people",
                                                             f"化名表的格式写错了{HELD}")]
    if data is None:
        return People(), Rules(), []
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        return People(unreadable=True), Rules(), [Diagnostic(path, 1, "bad-people",
                                                             f"化名表应当一行一个“真实姓名: 化名”{HELD}")]
    lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
    problems: list[Diagnostic] = []
    names: dict[str, str] = {}
    rules = Rules()
    for key, value in data.items():
        real, line = str(key).strip(), lines.get(str(key), 0)
        if real.lower() in SETTINGS_KEYS:
            rules = _parse_settings(value, path, line, problems)
            continue
        if len(real) < 2:
            problems.append(Diagnostic(path, line, "bad-people", f"“{real}”太短，会把所有同样的字都换掉",
                                       "写全名，例如“刘凤霞: 刘某”"))
            continue
        pseudonym = "" if value is None else str(value).strip() if isinstance(value, str | int) else None
        if pseudonym is None:
            problems.append(Diagnostic(path, line, "bad-people", f"“{real}”的化名应当是一个词"))
            pseudonym = ""  # still a known real name: its entries are held back until it has a pseudonym
        elif pseudonym == real:
            problems.append(Diagnostic(path, line, "bad-people", f"“{real}”的化名和真名一样"))
            pseudonym = ""
        names[real] = pseudonym
    for real, pseudonym in names.items():
        clash = next((r for r in names if r != real and r in pseudonym), None)
        if clash:
            problems.append(Diagnostic(path, lines.get(real, 0), "bad-people",
                                       f"“{real}”的化名里含有另一个真实姓名“{clash}”"))
    return People(tuple(sorted(names.items(), key=lambda kv: -len(kv[0])))), rules, problems


def _parse_settings(value: Any, path: str, line: int, problems: list[Diagnostic]) -> Rules:
    if value is None:
        return Rules()
    if not isinstance(value, dict):
        problems.append(Diagnostic(path, line, "bad-people", "“设置”下面应当写 `自动遮挡: [电话]` 这样的内容"))
        return Rules()
    mask: set[str] = set()
    for key, items in value.items():
        if str(key).strip().lower() not in MASK_KEYS:
            problems.append(Diagnostic(path, line, "bad-people", f"设置里不认识“{key}”", "能用的设置：自动遮挡"))
            continue
        for item in items if isinstance(items, list) else [items]:
            kind = KIND_WORDS.get(prepare(str(item)))
            if kind is None:
                problems.append(Diagnostic(path, line, "bad-people", f"自动遮挡里不认识“{item}”",
                                           "能写：电话、身份证、银行卡、车牌、地址、姓名"))
            else:
                mask.add(kind)
    return Rules(frozenset(mask))


# --- front matter the schema does not turn into Entry fields -------------------------------------------------------
def with_front_matter(entry: Entry, fm: FrontMatter) -> Entry:
    """The entry's allow-list, the file line of its title, and the file line where `entry.body` really starts."""
    allow: list[str] = []
    for key, value in fm.data.items():
        if canonical_key(key) == "allow":
            items = value if isinstance(value, list) else re.split(r"[、，,；;\s]+", str(value or ""))
            allow.extend(str(v).strip() for v in items if v is not None and str(v).strip())
    title_key = next((k for k in fm.key_lines if canonical_key(k) == "title"), None)
    leading = len(fm.body) - len(fm.body.lstrip("\n"))  # the body is stored without its leading blank lines
    return replace(entry, allow=tuple(allow), title_line=fm.key_lines.get(title_key, 0) if title_key else 0,
                   body_line=fm.body_line + leading)


# --- finding ---------------------------------------------------------------------------------------------------------
def _view(text: str) -> str:
    """Same length as `text`: full-width ASCII → half-width, Traditional → Simplified."""
    return fold("".join(chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c for c in text))


def _scan(text: str, field: str, people: People) -> list[Finding]:
    view = _view(text)
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int) -> None:
        if any(start < b and a < end for a, b in taken):
            return  # an ID number is not also a bank card, a phone inside it is not a second finding
        taken.append((start, end))
        found.append(Finding(kind, field, start, end, text[start:end]))

    if people.names:
        names = re.compile("|".join(re.escape(_view(n)) for n, _ in people.names))
        for m in names.finditer(view):
            add("name", m.start(), m.end())
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(view):
            add(kind, m.start(), m.end())
    return sorted(found, key=lambda f: f.start)


def scan_entry(entry: Entry, people: People) -> list[Finding]:
    return [f for field in ("title", "body", "author", "community")
            for f in _scan(getattr(entry, field), field, people)]


def _allowed(f: Finding, entry: Entry) -> bool:
    for item in entry.allow:
        if KIND_WORDS.get(prepare(item)) == f.kind or _view(item).strip() == _view(f.text).strip():
            return True
    return False


def _pseudonym(f: Finding, people: People) -> str:
    if f.kind != "name":
        return ""
    view = _view(f.text)
    return next((p for n, p in people.names if _view(n) == view), "")


def _is_problem(f: Finding, entry: Entry, people: People, rules: Rules) -> bool:
    if _allowed(f, entry):
        return False
    if f.kind == "name" and _pseudonym(f, people):
        return False  # the college gave this person a pseudonym: it is replaced, not reported
    return f.kind not in rules.mask


def _line(entry: Entry, f: Finding) -> int:
    if f.field == "body":
        return entry.body_line + entry.body.count("\n", 0, f.start)
    return entry.title_line if f.field == "title" and entry.title_line else max(entry.body_line - 2, 1)


def find_personal_data(entry: Entry, people: People, rules: Rules) -> list[Diagnostic]:
    """Every piece of personal data that would be published as written: one error each, at its file line."""
    # shown as every other message shows it: relative to the folder that holds the diaries folder, whatever its name
    depth, parents = len(PurePosixPath(entry.rel_source).parts), Path(entry.source).parents
    folder = (parents[depth - 1].name if len(parents) >= depth else "") or "diaries"
    path = f"{folder}/{entry.rel_source}"
    out = []
    for f in scan_entry(entry, people):
        if not _is_problem(f, entry, people, rules):
            continue
        where = {"title": "标题里", "author": "作者里", "community": "社区里"}.get(f.field, "")
        out.append(Diagnostic(path, _line(entry, f), CODES[f.kind],
                              f"{where}有{LABELS[f.kind]}“{mask(f.kind, f.text)}”（这里已遮挡显示）"))
    return out


# --- masking and pseudonyms ------------------------------------------------------------------------------------------
def mask(kind: str, text: str) -> str:
    """The masked form published when the college enables a kind: 139****5678, X号楼X单元X室, 刘某某."""
    digits = re.sub(r"[^0-9Xx]", "", _view(text))
    if kind == "phone":
        if re.fullmatch(r"(?:86)?1[3-9][0-9]{9}", digits):
            return digits[-11:-8] + "****" + digits[-4:]
        if digits.startswith("0") and len(digits) >= 10:  # keep the area code: 0431-****3456
            area = digits[:3] if digits[1] in "12" else digits[:4]
            return f"{area}-" + "*" * (len(digits) - len(area) - 4) + digits[-4:]
        return "*" * max(len(digits) - 4, 3) + digits[-4:]
    if kind == "id":
        return digits[:6] + "*" * 8 + digits[-4:]
    if kind == "bank":
        return "*" * (len(digits) - 4) + digits[-4:]
    if kind == "plate":
        plain = re.sub(r"[ ·•・.\-]", "", text)
        return plain[:2] + "*" * (len(plain) - 4) + plain[-2:]
    if kind == "address":
        return re.sub(_N, "X", _view(text))
    if kind == "name":
        return text[:1] + "某" * (len(text) - 1)
    return "*" * len(text)


def apply_pseudonyms(entry: Entry, people: People, rules: Rules) -> Entry:
    """The entry as published: pseudonyms for listed names, masks for the kinds the college enabled.

    Allowed findings stay as written; findings that are errors stay too (such an entry is never published).
    """
    by_field: dict[str, list[tuple[Finding, str]]] = {}
    for f in scan_entry(entry, people):
        if _allowed(f, entry):
            continue
        new = _pseudonym(f, people) or (mask(f.kind, f.text) if f.kind in rules.mask else "")
        if new:
            by_field.setdefault(f.field, []).append((f, new))
    for field, edits in by_field.items():
        text = getattr(entry, field)
        for f, new in sorted(edits, key=lambda x: -x[0].start):
            text = text[:f.start] + new + text[f.end:]
        entry = replace(entry, **{field: text})
    return entry


# --- the one call the loader makes -----------------------------------------------------------------------------------
def protect(entries: Iterable[Entry], diaries_dir: Path) -> tuple[list[Entry], list[Diagnostic]]:
    """Public entries → the ones safe to publish (pseudonymised, masked), and an error for every finding.

    An entry with any finding is left out of the site even in a non-strict build: the error is logged, and nothing
    of the entry is rendered, indexed or counted. If people.yml cannot be read at all, no entry is published, since
    the real names it should replace are unknown.
    """
    people, rules, problems = load_people(diaries_dir)
    if people.unreadable:
        return [], problems
    safe: list[Entry] = []
    for e in entries:
        found, published = _checked(e, people, rules)
        problems.extend(found)
        if published is not None:
            safe.append(published)
    return safe, problems


@lru_cache(maxsize=50_000)
def _checked(entry: Entry, people: People, rules: Rules) -> tuple[tuple[Diagnostic, ...], Entry | None]:
    """One entry's findings and, if it has none, what is published; cached because `mkdocs serve` checks every
    entry again after each save and all but one come back unchanged (all three arguments are immutable values)."""
    found = tuple(find_personal_data(entry, people, rules))
    return found, None if found else apply_pseudonyms(entry, people, rules)
