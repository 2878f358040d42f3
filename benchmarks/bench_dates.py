"""Dates written in Chinese numerals: the hand-written reader site_builder used until issue #15.7 (the baseline, kept
here verbatim) against today's `parse_date` (cn2an), on the forms secretaries write. Prints a table; writes nothing.

    PYTHONPATH=. python benchmarks/bench_dates.py
"""

from __future__ import annotations

import datetime as dt
import re

from site_builder.corpus.dates import DATE_RE, DateError, parse_date
from site_builder.text.fold import normalize_width

# (as written, the date it means or None when it is not a date we may guess)
FORMS: list[tuple[str, str | None]] = [
    ("二〇二〇年十一月五日", "2020-11-05"),
    ("二〇二〇年三月五日", "2020-03-05"),
    ("二零二零年三月五日", "2020-03-05"),
    ("二○二○年三月五日", "2020-03-05"),  # a white circle typed for 〇
    ("二〇二一年十二月三十一日", "2021-12-31"),
    ("二〇二一年二月二十三日", "2021-02-23"),
    ("二〇二一年二月廿三日", "2021-02-23"),
    ("二〇二〇年三月廿日", "2020-03-20"),
    ("二〇二一年一月卅一日", "2021-01-31"),
    ("二〇二〇年三月卅日", "2020-03-30"),
    ("二〇二一年一月三十日", "2021-01-30"),
    ("二〇二一年十月二十日", "2021-10-20"),
    ("二〇二一年十月十日", "2021-10-10"),
    ("二〇二一年两月二日", "2021-02-02"),  # 两 for 二, as people say it
    ("二〇二一年二月两日", "2021-02-02"),
    ("２０２１年１１月５日", "2021-11-05"),
    ("２０２１－１１－０５", "2021-11-05"),
    ("2021年十一月五日", "2021-11-05"),
    ("二〇二一年11月5日", "2021-11-05"),
    ("二〇二一年十一月5号", "2021-11-05"),
    ("二〇二一年十一月五号", "2021-11-05"),
    ("二〇二一年十一月五日 星期五 晴", "2021-11-05"),
    ("二〇二〇年十一月五日上午", "2020-11-05"),
    ("二〇二〇年一十一月五日", "2020-11-05"),
    ("二〇二〇年〇三月〇五日", "2020-03-05"),
    ("二〇二〇年零三月零五日", "2020-03-05"),
    ("二〇二〇年一二月五日", "2020-12-05"),  # digit by digit, like the year
    ("二千零二十年三月五日", "2020-03-05"),
    ("两千零二十年三月五日", "2020-03-05"),
    ("贰零贰零年叁月伍日", "2020-03-05"),
    ("二〇二〇年十一二月五日", None),  # 十一 or 十二? never guessed
    ("二〇二〇年二十十月五日", None),
    ("二〇二〇年十三月五日", None),
    ("二〇二〇年二月三十日", None),
    ("二〇二〇年三月初五", None),  # a lunar day: never guessed
    ("二〇年三月五日", None),  # a two-digit year
]

# --- the baseline: site_builder/dates.py before cn2an ----------------------------------------------------------------
_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_CN_DIGIT = "〇零○Ｏ一二两三四五六七八九"
_CN_UNIT = "[一二两三四五六七八九]"
_CN_NUMBER = re.compile(rf"[{_CN_DIGIT}]+|{_CN_UNIT}?十{_CN_UNIT}?")
_CN_RUN = re.compile(r"[〇零○Ｏ一二两三四五六七八九十]+(?=[年月日号])")


def _old_number(run: str) -> int | None:
    if not _CN_NUMBER.fullmatch(run):
        return None
    if "十" not in run:
        return int("".join(str(_CN_DIGITS[c]) for c in run))
    tens, _, ones = run.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def old_reader(raw: str) -> str | None:
    def number(m: re.Match[str]) -> str:
        value = _old_number(m.group(0))
        return m.group(0) if value is None else str(value)

    m = DATE_RE.match(_CN_RUN.sub(number, normalize_width(raw.strip())))
    if not m:
        return None
    try:
        return dt.date(*(int(g) for g in m.groups())).isoformat()
    except ValueError:
        return None


def new_reader(raw: str) -> str | None:
    try:
        return parse_date(raw).value.isoformat()
    except DateError:
        return None


def main() -> None:
    for name, read in (("hand-written (baseline)", old_reader), ("cn2an (parse_date)", new_reader)):
        got = [(form, want, read(form)) for form, want in FORMS]
        right = sum(g == w for _, w, g in got)
        wrong = [(f, g) for f, w, g in got if g is not None and g != w]
        unread = [f for f, w, g in got if g is None and w is not None]
        print(f"{name}: {right}/{len(FORMS)} right, {len(wrong)} wrong dates {wrong}, not read: {'、'.join(unread)}")


if __name__ == "__main__":
    main()
