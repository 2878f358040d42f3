"""diaries/people.yml: real names and their pseudonyms, and the college's masking settings.

```yaml
刘凤霞: 刘某某          # a real name and the pseudonym published instead
马长江:                # a real name without a pseudonym yet: entries naming him are held back
设置:
  自动遮挡: [电话]      # kinds masked automatically (139＊＊＊＊5678) instead of holding the entry back
```
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import Diagnostic
from ..text.query import prepare
from .normalize import plain

PEOPLE_FILE = "people.yml"

# the words the college and the secretary may use for each kind of personal data (自动遮挡, 允许)
KIND_WORDS: dict[str, str] = {
    "phone": "phone", "电话": "phone", "手机": "phone", "手机号": "phone", "座机": "phone", "电话号码": "phone",
    "id": "id", "id-number": "id", "身份证": "id", "身份证号": "id",
    "bank": "bank", "bank-card": "bank", "银行卡": "bank", "银行卡号": "bank", "卡号": "bank",
    "number": "number", "账号": "number", "长号码": "number", "长数字": "number",
    "plate": "plate", "车牌": "plate", "车牌号": "plate",
    "address": "address", "地址": "address", "门牌": "address", "门牌号": "address",
    "name": "name", "姓名": "name", "名字": "name", "人名": "name",
}
SETTINGS_KEYS = {"设置", "settings"}
MASK_KEYS = {"自动遮挡", "遮挡", "mask"}
HELD = "；为了不泄露真实姓名，这次不发布任何日记"


@dataclass(frozen=True)
class People:
    """people.yml: real name → pseudonym ("" when the college knows the name is real but has not chosen one)."""

    names: tuple[tuple[str, str], ...] = ()  # longest first, so 刘凤霞 wins over 刘凤
    unreadable: bool = False  # the file exists but could not be read: the real names are unknown


@dataclass(frozen=True)
class Rules:
    """The college's settings: kinds of personal data masked automatically instead of failing the build."""

    mask: frozenset[str] = frozenset()


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
        if len(plain(real)) < 2:
            problems.append(Diagnostic(path, line, "bad-people", f"“{real}”太短，会把所有同样的字都换掉",
                                       "写全名，例如“刘凤霞: 刘某”"))
            continue
        pseudonym = "" if value is None else str(value).strip() if isinstance(value, str | int) else None
        if pseudonym is None:
            problems.append(Diagnostic(path, line, "bad-people", f"“{real}”的化名应当是一个词"))
            pseudonym = ""  # still a known real name: its entries are held back until it has a pseudonym
        elif plain(pseudonym) == plain(real):
            problems.append(Diagnostic(path, line, "bad-people", f"“{real}”的化名和真名一样"))
            pseudonym = ""
        names[real] = pseudonym
    for real, pseudonym in names.items():
        # compared as the guard reads them: 刘 凤霞 in a pseudonym is still 刘凤霞
        clash = next((r for r in names if r != real and plain(r) in plain(pseudonym)), None)
        if clash:
            problems.append(Diagnostic(path, lines.get(real, 0), "bad-people",
                                       f"“{real}”的化名里含有另一个真实姓名“{clash}”"))
    return People(tuple(sorted(names.items(), key=lambda kv: -len(plain(kv[0]))))), rules, problems


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
                                           "能写：电话、身份证、银行卡、长号码、车牌、地址、姓名"))
            else:
                mask.add(kind)
    return Rules(frozenset(mask))
