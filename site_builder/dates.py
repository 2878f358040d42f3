"""Dates in the forms a secretary types: 2020-03-05, 2020年3月5日 星期四 晴, 2020/3/5, 2020.3.5, 二〇二〇年三月五日."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .text.fold import normalize_width

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}

# year, month, day with any of the separators; whatever follows (weekday, weather) is ignored
DATE_RE = re.compile(r"^\s*(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?")
# month and day only (an imported book's "3月7日" continues the year above)
MONTH_DAY_RE = re.compile(r"^\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


@dataclass(frozen=True)
class ParsedDate:
    value: dt.date
    iso_form: bool  # written exactly as YYYY-MM-DD (nothing for `diary check --fix` to change)


class DateError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


_CN_DIGIT = "〇零○Ｏ一二两三四五六七八九"
_CN_UNIT = "[一二两三四五六七八九]"
# a number the way a date writes it: digit by digit (二〇二〇, 一二), or with 十 (十一, 二十, 三十一); anything
# else (十一二, 二十十) is not a number and stays as written, so the date is reported as unreadable
_CN_NUMBER = re.compile(rf"[{_CN_DIGIT}]+|{_CN_UNIT}?十{_CN_UNIT}?")
_CN_RUN = re.compile(r"[〇零○Ｏ一二两三四五六七八九十]+(?=[年月日号])")


def chinese_number(run: str) -> int | None:
    """二〇二〇 → 2020, 十五 → 15, 三十一 → 31; None when the run is not one number (十一二)."""
    if not _CN_NUMBER.fullmatch(run):
        return None
    if "十" not in run:
        return int("".join(str(_CN_DIGITS[c]) for c in run))
    tens, _, ones = run.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def chinese_numerals_to_digits(text: str) -> str:
    """二〇二〇年三月十五日 → 2020年3月15日; a run that is not a number (十一二月) is left as written."""

    def number(m: re.Match[str]) -> str:
        value = chinese_number(m.group(0))
        return m.group(0) if value is None else str(value)

    return _CN_RUN.sub(number, text)


def parse_date(value: object) -> ParsedDate:
    if isinstance(value, dt.datetime):
        return ParsedDate(value.date(), False)
    if isinstance(value, dt.date):
        return ParsedDate(value, True)
    if not isinstance(value, str | int):
        raise DateError("bad-date", f"日期“{value}”认不出来")
    raw = str(value).strip()
    text = chinese_numerals_to_digits(normalize_width(raw))
    m = DATE_RE.match(text)
    if not m:
        raise DateError("bad-date", f"日期“{raw}”认不出来")
    year, month, day = (int(g) for g in m.groups())
    try:
        date = dt.date(year, month, day)
    except ValueError:
        raise DateError("impossible-date", f"日期“{raw}”不存在（{year}年{month}月没有{day}日）") from None
    return ParsedDate(date, raw == date.isoformat())
