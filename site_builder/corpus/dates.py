"""Dates in the forms a secretary types: 2020-03-05, 2020年3月5日 星期四 晴, 2020/3/5, 2020.3.5, 二〇二〇年三月五日."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..text.fold import normalize_width

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


# Chinese numerals are read by cn2an (issue #15.7). Measured against the hand-written reader it replaced on 36 forms
# secretaries write (benchmarks/bench_dates.py, README "Dates in Chinese numerals"): 36 right against 29, neither gave
# a wrong date. cn2an adds 廿, 千 years (二千零二十年, 两千…) and capital numerals (贰零贰零); it does not know 卅 or
# ○ (a white circle typed for 〇), mapped here first. A run it cannot read as one number (十一二, 二十十) stays as
# written, so the date is a `bad-date` at its line, never a crash.
_CN_CHARS = "〇零○一二两三四五六七八九十廿卅百千壹贰叁肆伍陆柒捌玖拾佰仟"
_BEFORE_CN2AN = str.maketrans({"○": "〇", "卅": "三十"})
# a run of numerals just before 年/月/日/号 (the whole run: a run too long to be a date part is left as written)
_CN_RUN = re.compile(rf"(?<![{_CN_CHARS}])[{_CN_CHARS}]+(?=[年月日号])")
_LONGEST_RUN = 10  # 二千零二十 is five characters, 二〇二〇 four; nothing in a date is longer


def chinese_number(run: str) -> int | None:
    """二〇二〇 → 2020, 十五 → 15, 三十一 → 31, 廿三 → 23; None when the run is not one number (十一二)."""
    if not run or len(run) > _LONGEST_RUN:
        return None
    import cn2an  # loaded only when a date is written in numerals (~0.5 s import)

    try:
        value = cn2an.cn2an(run.translate(_BEFORE_CN2AN), "normal")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return int(value) if isinstance(value, int | float) and value == int(value) and value >= 0 else None


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
