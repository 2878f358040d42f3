"""The text as the guard reads it: one way of writing each digit, separator and letter, mapped back to the original.

People write a phone number 139.2009.5678, 139—2009—5678, １３９　２００９, 幺三九二零零九…, split it with **bold**,
a <span>, an entity or a zero-width space, or break it across lines. Matching every such form with patterns would
need a pattern per form; instead the text is rewritten once into a *view* where

* HTML comments and tags, Markdown emphasis and code marks, backslash escapes and zero-width characters are gone,
  and entities are decoded (they format or hide characters, they are not characters a reader sees);
* NFKC folds widths (１ → 1, Ａ → A, （ → (), every dash kind is `-`, every dot kind is `.`, every space kind is ` `,
  and a run of separators (`139 - 2009`, a line break) is a single one; a blank line stays a hard break;
* Chinese digits are digits: 一三九 / 幺三九 → 139, 二〇七九 → 2079, and positional numbers 十二 → 12, 五百零一 → 501;
* Traditional characters are Simplified and ASCII letters are upper case.

Every character of the view knows the span of original characters it came from, so a match in the view is reported
at its original line and replaced (masked, pseudonymised) over exactly the characters that were written.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..text.fold import fold

SEPARATORS = " .-"  # what separators are in the view; patterns allow one of them between two characters

_ZERO_WIDTH = "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e\u034f"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63\uff0d\u2e3a\u2e3b\u30fc\u2500\u2501\u23af"
_DOTS = "\u00b7\u2022\u2027\u30fb\uff65\u2219\u22c5\u2024\u0387\u16eb\u2981\u25cf\uff0e\u318d"
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\r\f\v"

# characters pass 1 rewrites one by one: everything outside ASCII and the common Han block, except the Chinese
# punctuation every sentence has and NFKC would only turn into ASCII punctuation no pattern looks at
_CJK_PUNCT = "，。、“”‘’；！？《》【】「」…"
_PASS1 = re.compile(
    r"(?P<comment><!--.*?(?:-->|\Z))"
    r"|(?P<tag></?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>)"
    r"|(?P<entity>&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)"
    r"|(?P<mark>(?<!\*)\*{1,3}(?!\*)|(?<!_)_{1,3}(?!_)|~~|`+)"
    r"|(?P<escape>\\(?=[!-/:-@\[-`{-~]))"
    rf"|(?P<char>[^\x00-\x7f\u4e00-\u9fff{_CJK_PUNCT}])",
    re.S,
)
_BLOCK_TAGS = re.compile(r"</?(?:br|p|div|li|ul|ol|tr|td|th|h[1-6]|hr|table|blockquote)\b", re.I)

_CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "一": 1, "幺": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9,
             # the financial forms, as on receipts and bank slips
             "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000, "拾": 10, "佰": 100, "仟": 1000}
_NUMERAL = "〇零○一幺二两三四五六七八九十百千壹贰叁肆伍陆柒捌玖拾佰仟"
_PASS2 = re.compile(
    r"(?P<sep>[ \t\r\n.\-]{2,}|[\t\r\n])"
    # Chinese numerals: a run of two or more, or one that stands before an address word or next to a digit (a lone
    # 一 in 一起 or 统一 is no number anyone writes down, and skipping it keeps the view cheap)
    rf"|(?P<cn>[{_NUMERAL}]{{2,}}|[{_NUMERAL}](?=[号栋幢座单门层楼室])|(?<=[0-9])[{_NUMERAL}]|[{_NUMERAL}](?=[0-9]))"
    r"|(?<=[0-9])(?P<hash>#)"
)
_UPPER = {c: c - 32 for c in range(ord("a"), ord("z") + 1)}


@dataclass(frozen=True)
class View:
    """`text` rewritten for matching, in two passes; each pass keeps, for every character it wrote, the start and
    end of the characters it read (composed only when a span is asked for: most texts hold nothing to report)."""

    text: str
    first: tuple[list[int], list[int]]  # pass 1: original text → intermediate
    second: tuple[list[int], list[int]]  # pass 2: intermediate → view

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of view characters [start, end)."""
        mid_start, mid_end = self.second[0][start], self.second[1][end - 1]
        return self.first[0][mid_start], self.first[1][mid_end - 1]


class _Builder:
    """Collects a rewritten text piece by piece, with the source span of each output character."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []

    def copy(self, text: str, start: int, end: int) -> None:
        self.parts.append(text[start:end])
        self.starts.extend(range(start, end))
        self.ends.extend(range(start + 1, end + 1))

    def put(self, out: str, start: int, end: int) -> None:
        self.parts.append(out)
        self.starts.extend([start] * len(out))
        self.ends.extend([end] * len(out))

    def text(self) -> str:
        return "".join(self.parts)


def _canonical(c: str) -> str:
    if c in _ZERO_WIDTH:
        return ""
    if c in _DASHES:
        return "-"
    if c in _DOTS:
        return "."
    if c in _SPACES:
        return " "
    return c


@lru_cache(maxsize=4096)
def _char(c: str) -> str:
    """One character as the view writes it: separators canonical, invisible ones gone, widths folded (NFKC)."""
    out = _canonical(c)
    if out != c:
        return out
    if unicodedata.category(c) == "Cf":  # any other invisible formatting character
        return ""
    return "".join(_canonical(o) for o in unicodedata.normalize("NFKC", c))


def _pass1(text: str) -> tuple[str, list[int], list[int]]:
    b = _Builder()
    last = 0
    for m in _PASS1.finditer(text):
        b.copy(text, last, m.start())
        last = m.end()
        kind, s, e = m.lastgroup, m.start(), m.end()
        if kind == "tag":
            b.put(" " if _BLOCK_TAGS.match(m.group()) else "", s, e)
        elif kind == "entity":
            decoded = html.unescape(m.group())
            b.put("".join(_char(c) for c in decoded), s, e)
        elif kind == "char":
            b.put(_char(m.group()), s, e)
        # comment, mark, escape: removed
    b.copy(text, last, len(text))
    return b.text(), b.starts, b.ends


def chinese_number(run: str) -> str | None:
    """二〇七九 → 2079 (digit by digit), 十二 → 12, 五百零一 → 501; None when the run is no number (十一二, 五六十)."""
    if not any(c in _CN_UNIT for c in run):
        return "".join(str(_CN_DIGIT[c]) for c in run)
    total, digit, last_unit = 0, None, 10_000
    for c in run:
        if c in _CN_DIGIT:
            if digit is not None:
                return None  # two digits in a row inside a positional number: 五六十, 十一二
            digit = _CN_DIGIT[c] or None  # 零 only marks a skipped place: 一百零一
            continue
        unit = _CN_UNIT[c]
        if unit >= last_unit:
            return None  # 十十, 十百
        if digit is None and not (unit == 10 and total == 0):
            return None  # 百 or 千 without its digit; only a leading 十 means 一十
        total += (digit or 1) * unit
        digit, last_unit = None, unit
    return str(total + (digit or 0))


def _pass2(text: str) -> tuple[str, list[int], list[int]]:
    b = _Builder()
    last = 0
    for m in _PASS2.finditer(text):
        b.copy(text, last, m.start())
        last = m.end()
        s, e, found = m.start(), m.end(), m.group()
        if m.lastgroup == "sep":
            # one separator for the run; a blank line ends a paragraph, and a number does not run across it
            out = "\n" if found.count("\n") >= 2 else "-" if "-" in found else "." if "." in found else " "
            b.put(out, s, e)
        elif m.lastgroup == "cn":
            number = chinese_number(found)
            if number is None:
                b.copy(text, s, e)
            elif len(number) == len(found):
                b.parts.append(number)  # digit for digit: every digit keeps its own character
                b.starts.extend(range(s, e))
                b.ends.extend(range(s + 1, e + 1))
            else:
                b.put(number, s, e)
        else:  # 3#楼 is 3号楼
            b.put("号", s, e)
    b.copy(text, last, len(text))
    return b.text(), b.starts, b.ends


def view(text: str) -> View:
    """The text as the guard reads it, with the map back to `text`."""
    if not text:
        return View("", ([], []), ([], []))
    t1, s1, e1 = _pass1(fold(text))  # folding is character for character: offsets do not move
    t2, s2, e2 = _pass2(t1)
    return View(t2.translate(_UPPER), (s1, e1), (s2, e2))


def plain(text: str) -> str:
    """The view's text without separators: what two spellings of one number or name have in common."""
    return re.sub(r"[ .\-\n]", "", view(text).text).strip()
