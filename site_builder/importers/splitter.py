"""Cut a digitized book into days at its date lines, the way a secretary heads each day.

"2019年3月5日 星期二 晴", "2019.3.6", "二〇一九年三月八日", and "3月7日" (the year continues from the line above;
a month smaller than the one before means the book has turned into the next year).
A line that merely starts with a date ("2019年3月5日，我们召开了…") is a sentence, not a heading.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..corpus.dates import DATE_RE, MONTH_DAY_RE, chinese_numerals_to_digits
from ..diagnostics import Diagnostic
from ..text.fold import normalize_width
from . import Book, Line

_WEEKDAY = re.compile(r"(星期|周|週|礼拜|禮拜)[一二三四五六日天七]")
_LUNAR = re.compile(r"(农历|農曆|阴历|陰曆)?[正一二三四五六七八九十冬腊臘]{1,2}月"
                    r"(初|十|廿|卅|二十|三十)[一二三四五六七八九十]?")
_TEMPERATURE = re.compile(r"-?\d+(\.\d+)?\s*(℃|度|°C?)")
# weather, times of day and punctuation that may follow a date heading
_HEADING_CHARS = set("晴阴陰雨雪云雲雾霧霾风風转轉冷热熱暖凉涼小中大暴阵陣雷多少有微级級到至~～"
                     "上下午晚早夜间間" " \t,，、·.。()（）[]【】-—:：/|")
_SENTENCE_END = re.compile(r"[。！？!?；;]")
MAX_LEFTOVER = 2  # characters of anything else a heading may carry ("补记")
TITLE_MAX = 30


@dataclass(frozen=True)
class Draft:
    """One day of a book, ready to become an entry."""

    date: dt.date
    title: str
    body: str
    line: int  # of its date line in the book
    heading_rest: str  # what followed the date on its line (weekday, weather), kept at the top of the body


@dataclass(frozen=True)
class DateLine:
    year: int | None  # None: month and day only
    month: int
    day: int
    rest: str


def parse_date_line(text: str) -> DateLine | None:
    t = chinese_numerals_to_digits(normalize_width(text.strip()))
    m = DATE_RE.match(t)
    if m:
        year, month, day = (int(g) for g in m.groups())
        full: int | None = year
    else:
        m = MONTH_DAY_RE.match(t)
        if not m:
            return None
        full, (month, day) = None, (int(g) for g in m.groups())
    rest = t[m.end():].lstrip("日号").strip()
    if rest[:1].isdigit() or _SENTENCE_END.search(rest):
        return None
    leftover = _TEMPERATURE.sub("", _LUNAR.sub("", _WEEKDAY.sub("", rest)))
    if sum(c not in _HEADING_CHARS for c in leftover) > MAX_LEFTOVER:
        return None
    return DateLine(full, month, day, rest)


def first_sentence(body: str) -> str:
    """The title of an imported day: its first sentence, without a 【情况】 marker, at most TITLE_MAX characters."""
    text = re.sub(r"^\s*[【\[]\s*[^】\]]{1,4}\s*[】\]]\s*", "", body).strip()
    sentence = re.split(r"[。！？!?；;\n]", text, maxsplit=1)[0].strip()
    if len(sentence) <= TITLE_MAX:
        return sentence
    clause = re.split(r"[，,、：:]", sentence)[0].strip()
    return clause if 4 <= len(clause) <= TITLE_MAX else sentence[:TITLE_MAX - 1] + "…"


def _paragraphs(lines: list[Line]) -> str:
    # each line of a book (a paragraph in Word) stays its own paragraph in Markdown, without the indent
    return "\n\n".join(line.text.strip() for line in lines if line.text.strip())


def split_book(book: Book) -> tuple[list[Draft], list[Diagnostic]]:
    drafts: list[Draft] = []
    problems: list[Diagnostic] = []
    heads: list[tuple[Line, DateLine]] = [(ln, d) for ln in book.lines if (d := parse_date_line(ln.text))]
    if not heads:
        return [], [Diagnostic(book.shown, 0, "import-no-dates", "没有一行是日期，不知道从哪里分开每一天")]
    index = {id(ln): i for i, ln in enumerate(book.lines)}
    preamble = [ln for ln in book.lines[:index[id(heads[0][0])]] if ln.text.strip()]
    if preamble:
        first = preamble[0].text.strip()[:15]
        problems.append(Diagnostic(book.shown, preamble[0].number, "import-preamble",
                                   f"第一个日期之前有 {len(preamble)} 行文字（从“{first}”开始）"))
    year: int | None = None
    previous_month = 0
    for i, (head, parsed) in enumerate(heads):
        stop = index[id(heads[i + 1][0])] if i + 1 < len(heads) else len(book.lines)
        body = _paragraphs(list(book.lines[index[id(head)] + 1:stop]))
        if parsed.year is not None:
            year = parsed.year
        elif year is None:
            problems.append(Diagnostic(book.shown, head.number, "import-no-year",
                                       f"“{head.text.strip()}”没有年份，前面也没有带年份的日期"))
            continue
        elif parsed.month < previous_month:
            year += 1  # 12月31日 … 1月2日: the book went on into the next year
        try:
            date = dt.date(year, parsed.month, parsed.day)
        except ValueError:
            problems.append(Diagnostic(book.shown, head.number, "impossible-date",
                                       f"“{head.text.strip()}”这个日期不存在（{year}年{parsed.month}月没有{parsed.day}日）",
                                       "改成真实的日期再导入；这一天没有导入"))
            continue
        previous_month = parsed.month
        if not body:
            problems.append(Diagnostic(book.shown, head.number, "import-empty-day", f"{date.isoformat()} 下面没有内容"))
            continue
        title = first_sentence(body) or f"{date.year}年{date.month}月{date.day}日"
        full_body = f"{parsed.rest}\n\n{body}" if parsed.rest else body
        drafts.append(Draft(date, title, full_body, head.number, parsed.rest))
    return drafts, problems
