"""What personal data looks like in the view (normalize.py): ASCII digits, upper-case letters, Simplified Han, and at
most one separator (space, `.` or `-`) between two characters.

Each detector is a pattern for where such data may stand plus a check in Python for what a pattern cannot say well
(how digits are grouped, a valid birth date, the Luhn digit of a bank card). The checks are what keep ordinary text
publishable: `2020.03.15 2020.03.16` has sixteen digits but no card is grouped in twos, 3栋6层 is a kind of
building, not a flat, and 1038户, 7元, 2003年 are counts, sums and years.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

S = "[ .\\-]?"  # one optional separator
_SEP = re.compile(r"[ .\-]")


@dataclass(frozen=True)
class Span:
    kind: str  # phone | id | bank | number | plate | address
    start: int  # in the view
    end: int


def _grouped_like_a_number(text: str, *, short_last: bool = False) -> bool:
    """Digits written in groups people use for one number: no groups (13920095678), groups of three or more
    (139 2009 5678, 6222 021234 567890), or every digit apart (1 3 9 …). Groups of two are dates and times."""
    groups = [g for g in _SEP.split(text) if g]
    if len(groups) == 1 or all(len(g) == 1 for g in groups):
        return True
    body = groups[:-1] if short_last else groups
    return all(len(g) >= 3 for g in body)


def _digits(text: str) -> str:
    return re.sub(r"[^0-9X]", "", text)


def luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _id_number(d: str) -> bool:
    """An 18-digit resident ID (region, birth date, sequence, check digit) or an old 15-digit one (two-digit year)."""
    if d[0] == "0":
        return False
    if len(d) == 18:
        return d[:17].isdigit() and 1870 <= int(d[6:10]) <= 2100 and _date(int(d[6:10]), int(d[10:12]), int(d[12:14]))
    if len(d) == 15 and d.isdigit():
        return _date(1900 + int(d[6:8]), int(d[8:10]), int(d[10:12]))
    return False


_CARD_WORDS = re.compile(r"(?:卡|账号|帐号|账户|帐户|存折|户头|银行)")

# --- long digit runs: ID numbers, bank cards, and any other 15+ digit number --------------------------------------
# a run of digits with single separators between them (and an ID's final X); the groups inside are checked below
_RUN = re.compile(r"(?<![0-9A-Z])[0-9](?:[ .\-]?[0-9])*(?:[ .\-]?X)?(?![0-9A-Z])")
_GROUP = re.compile(r"[0-9X]+")


def _classify(text: str, start: int, end: int) -> str:
    d = _digits(text[start:end])
    if re.fullmatch(r"(?:00)?861[3-9][0-9]{9}", d):
        return "phone"  # 0086-139…: a mobile with the country code
    if _id_number(d):
        return "id"
    if d.endswith("X"):
        return "id" if len(d) == 18 else "number"
    if 16 <= len(d) <= 19 and (luhn(d) or _CARD_WORDS.search(text, max(0, start - 12), start)):
        return "bank"
    return "number"  # an account, a social-security or a passbook number: whatever it is, it names one person


_YEARS = re.compile(r"(?:(?:19|20)[0-9]{2}[ .\-]?)+")


def _long_runs(text: str) -> Iterator[Span]:
    for m in _RUN.finditer(text):
        if sum(c.isdigit() for c in m.group()) < 15 or _YEARS.fullmatch(m.group()):
            continue  # short, or years one after another (2019-2020-2021-2022)
        groups = [(g.start() + m.start(), g.end() + m.start()) for g in _GROUP.finditer(m.group())]
        # the whole run, else the longest stretch of its groups that is one number (共5 6222 0212 3456 7890)
        done = 0
        for i in range(len(groups)):
            if groups[i][0] < done:
                continue
            for j in range(len(groups), i, -1):
                start, end = groups[i][0], groups[j - 1][1]
                run = text[start:end]
                if sum(c.isdigit() for c in run) >= 15 and _grouped_like_a_number(run, short_last=True):
                    yield Span(_classify(text, start, end), start, end)
                    done = end
                    break


# --- phones --------------------------------------------------------------------------------------------------------
_MOBILE = re.compile(r"(?<![0-9])(?:(?:\+|00)?86[ .\-]?|\(\+?86\)[ .\-]?)?\(?"
                     r"(1[ .\-]?[3-9][ .\-]?[0-9](?:\)[ .\-]?|[ .\-])?[0-9](?:[ .\-]?[0-9]){7})(?![0-9])")
# 3-4-4 with a separator no other number uses between its groups: 139，2009，5678, 139/2009/5678, 139～2009～5678
_MOBILE_344 = re.compile(r"(?<![0-9])1[3-9][0-9]([，,、/~|:：;；])[0-9]{4}\1[0-9]{4}(?![0-9])")
_LANDLINE = re.compile(r"(?<![0-9])(?:\((0[1-9][0-9]{1,2})\)|(0[1-9][0-9]{1,2}))[ .\-]?([2-9](?:[ .\-]?[0-9]){6,7})"
                       r"(?![0-9])")
# a local number right after the word for it: 电话 5123456, 座机：8512 3456
_LOCAL = re.compile(r"(?:电话|手机|座机|号码|热线|联系|致电|拨打|拨|打|电)(?:是|为|:|号码|号)?[ ]?"
                    r"([2-9](?:[ .\-]?[0-9]){6,7})(?![0-9])(?![ .\-]?[元块人户次个份年月日天号度吨方斤米条件])")


def _phones(text: str) -> Iterator[Span]:
    for m in _MOBILE.finditer(text):
        if _grouped_like_a_number(m.group(1).replace(")", " ")):
            yield Span("phone", m.start(), m.end())
    for m in _MOBILE_344.finditer(text):
        yield Span("phone", m.start(), m.end())
    for m in _LANDLINE.finditer(text):
        if _grouped_like_a_number(m.group(3)):
            yield Span("phone", m.start(), m.end())
    for m in _LOCAL.finditer(text):
        if _grouped_like_a_number(m.group(1)):
            yield Span("phone", m.start(1), m.end(1))


# --- licence plates: province, letter, five or six letters and digits (or four and 学/警/挂 …) -----------------------
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE = re.compile(rf"[{_PROVINCES}]{S}[A-Z]((?:{S}[A-Z0-9]){{4,6}})(?:{S}[学警挂港澳领试超使])?(?![A-Z0-9])")


def _plates(text: str) -> Iterator[Span]:
    for m in _PLATE.finditer(text):
        tail = re.sub(r"[ .\-]", "", m.group(1))
        suffix = m.group().rstrip()[-1] in "学警挂港澳领试超使"
        if any(c.isdigit() for c in tail) and (len(tail) in (5, 6) or (suffix and len(tail) == 4)):
            yield Span("plate", m.start(), m.end())


# --- exact addresses ---------------------------------------------------------------------------------------------
_N = "[0-9]{1,4}"
_BUILDING = rf"(?:{_N}{S}(?:号楼|号院|栋|幢|座)|[A-Z]{S}(?:栋|幢|座))"
# a bare 3号 only before a unit: 3号2单元 (5号 1030 is a date and a time)
_BUILDING_OR_NO = rf"(?:{_BUILDING}|{_N}{S}号)"
_ENTRANCE = rf"(?:{_N}{S}(?:单元|门)|[东西中]单元)"
_FLOOR = rf"{_N}{S}(?:层|楼)"
# a room number, not a count, a sum or a year (3号楼 20年, 2单元12户), nor an office's room (二楼203会议室)
_NOT_COUNT = (rf"(?![0-9])(?!{S}(?:号楼|号院|单元|会议|活动|办公|教室|阅览|接待|调解|议事|党员|服务|多功能|"
              r"[年月日元块岁人个天多余万千百平米次名位项件条家栋幢楼层户间辆度吨%]))")
_ROOM = rf"[0-9]{{2,4}}(?:{S}(?:室|房间|房|号))?{_NOT_COUNT}"
_ROOM3 = rf"[0-9]{{3,4}}(?:{S}(?:室|房间|房|号))?{_NOT_COUNT}"
_STREET = "(?:路|街|巷|胡同|弄|大道|村|屯)"
_ADDRESS = re.compile(
    rf"(?<![0-9A-Z])(?:"
    rf"{_BUILDING_OR_NO}(?:{S}{_BUILDING})?{S}{_ENTRANCE}(?:{S}{_FLOOR})?(?:{S}{_ROOM})?"  # 3号楼2单元(5层)(501室)
    rf"|{_BUILDING}(?:{S}{_BUILDING})?{S}(?:{_FLOOR}{S}{_ROOM}|{_ROOM3})"  # 5栋302, A座2083, 5号院3号楼401
    rf"|{_BUILDING_OR_NO}{S}[0-9]{{1,2}}-{_ROOM3}"  # 3号楼2-501
    rf"|{_ENTRANCE}{S}(?:{_FLOOR}{S})?{_ROOM}"  # 2单元1101, 2门101
    rf"|{_FLOOR}{S}{_ROOM3}"  # 5层502, 3楼302
    rf"|[0-9]{{3,4}}{S}(?:室|房间)"  # 1502室
    rf"|{_N}{S}排{S}{_N}{S}号(?!{S}座)"  # 平房区3排5号
    rf"|[0-9]{{1,3}}-[0-9]{{1,2}}-[0-9]{{3,4}}(?![0-9]|[.\-][0-9])(?!{S}[人户元岁个名位次天年])"  # 3-2-501
    rf")"
    # a street, lane or village number: 人民大街2079号, 胜利巷17号 (not 3号文件, 5号线, 3号楼)
    rf"|{_STREET}(?P<street>{S}[0-9]{{1,5}}{S}号(?:{S}院)?)(?!{S}(?:线|文件|文|楼|令|通知|简报))"
)


def _addresses(text: str) -> Iterator[Span]:
    for m in _ADDRESS.finditer(text):
        start = m.start("street") if m.group("street") else m.start()
        yield Span("address", start, m.end())


DETECTORS: tuple[Callable[[str], Iterator[Span]], ...] = (_long_runs, _phones, _plates, _addresses)


def find(text: str) -> list[Span]:
    """Every piece of personal data in a view's text, earlier detectors first (an ID is not also a phone)."""
    found: list[Span] = []
    if not any(c in text for c in "0123456789"):
        return found  # every kind below has a digit in it (Chinese numerals are digits in the view)
    for detect in DETECTORS:
        for span in detect(text):
            start = span.start + (len(text[span.start:span.end]) - len(text[span.start:span.end].lstrip(" .-")))
            span = Span(span.kind, start, span.end)
            if not any(span.start < f.end and f.start < span.end for f in found):
                found.append(span)
    return sorted(found, key=lambda s: s.start)
