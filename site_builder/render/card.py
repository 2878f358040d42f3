"""The case card: an entry's sections (情况 / 做法 / 成效 / 体会) recognised and summarised at the top of its page.

Sections are written as 【情况】 markers or as Markdown headings (## 情况), in either script.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Section
from ..text.fold import fold
from .escape import md_text

KINDS: dict[str, tuple[str, ...]] = {
    "situation": ("情况", "背景", "问题", "基本情况"),
    "action": ("做法", "处理", "措施", "经过", "主要做法"),
    "result": ("成效", "结果", "效果", "取得成效"),
    "reflection": ("体会", "感受", "启示", "反思", "经验", "经验启示"),
}
_LABEL_TO_KIND = {label: kind for kind, labels in KINDS.items() for label in labels}
_labels = "|".join(sorted((re.escape(x) for x in _LABEL_TO_KIND), key=len, reverse=True))
# a marker or heading, matched on the folded text (same offsets as the original, see text.fold)
_MARKER = re.compile(rf"(?m)(?:^[ \t]*#{{1,6}}[ \t]*(?:{_labels})[ \t]*$|【[ \t]*(?:{_labels})[ \t]*】)")
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")
_MARKUP = re.compile(r"[#*_`>【】\[\]]")


@dataclass(frozen=True)
class Card:
    problem: str
    steps: tuple[str, ...]
    result: str


def sections(body: str) -> tuple[Section, ...]:
    folded = fold(body)
    marks = list(_MARKER.finditer(folded))
    out = []
    for i, m in enumerate(marks):
        label = re.sub(r"[#【】\s]", "", m.group(0))
        end = marks[i + 1].start() if i + 1 < len(marks) else len(body)
        heading = re.sub(r"[#【】\s]", "", body[m.start():m.end()])
        out.append(Section(_LABEL_TO_KIND[label], heading, body[m.end():end].strip()))
    return tuple(out)


def _sentences(text: str) -> list[str]:
    plain = _MARKUP.sub("", text)
    return [s.strip() for s in _SENTENCE.findall(plain) if len(s.strip()) > 1]


def build_card(body: str) -> Card | None:
    found = {s.kind: s.text for s in sections(body)}
    if "situation" not in found or "action" not in found:
        return None
    problem = (_sentences(found["situation"]) or [""])[0]
    steps = tuple(_sentences(found["action"])[:4])
    result = (_sentences(found.get("result", "")) or [""])[0]
    return Card(problem, steps, result)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def case_card(body: str) -> str:
    """The card as an HTML block (text only, so no Markdown pass is needed), or nothing for an entry without
    sections (it then reads as a plain diary page). Character references escape it (escape.md_text)."""
    card = build_card(body)
    if card is None:
        return ""
    esc = md_text
    lines = ['<div class="diary-card">', f"<p><strong>问题：</strong> {esc(_clip(card.problem, 90))}</p>"]
    if card.steps:
        lines += ["<p><strong>做法：</strong></p>", "<ol>", *(f"<li>{esc(_clip(s, 80))}</li>" for s in card.steps),
                  "</ol>"]
    if card.result:
        lines.append(f"<p><strong>成效：</strong> {esc(_clip(card.result, 90))}</p>")
    lines += ["</div>", "", ""]
    return "\n".join(lines)


def one_line_summary(body: str) -> str:
    found = {s.kind: s.text for s in sections(body)}
    first = _sentences(found.get("situation") or body)
    return _clip(first[0], 80) if first else ""


_BRACKET = re.compile(rf"【[ \t]*(?:{_labels})[ \t]*】")


def lay_out_body(body: str) -> str:
    """Start each 【情况】-style section on its own paragraph with its marker in bold.

    Diaries put the markers at the start of consecutive lines, which Markdown would run together into one paragraph.
    """
    folded = fold(body)
    out, last = [], 0
    for m in _BRACKET.finditer(folded):
        out.append(body[last:m.start()].rstrip(" \t"))
        out.append(("\n\n" if m.start() else "") + f"**{body[m.start():m.end()]}**")
        last = m.end()
    out.append(body[last:])
    return "".join(out)
