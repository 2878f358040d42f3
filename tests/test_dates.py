"""Dates as secretaries write them, Chinese numerals included (issue #15.7): each form read right or refused, and a
refused one is a `bad-date` at its line in `diary check`, never a traceback."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import make_project

from site_builder.corpus.dates import DateError, chinese_numerals_to_digits, parse_date

READ = [
    ("2020-03-05", "2020-03-05"),
    ("2020年3月5日 星期四 晴", "2020-03-05"),
    ("2020/3/5", "2020-03-05"),
    ("2020.3.5", "2020-03-05"),
    ("二〇二〇年十一月五日", "2020-11-05"),
    ("二〇二〇年三月五日", "2020-03-05"),
    ("二零二零年三月五日", "2020-03-05"),
    ("二○二○年三月五日", "2020-03-05"),
    ("二〇二一年十二月三十一日", "2021-12-31"),
    ("二〇二一年二月二十三日", "2021-02-23"),
    ("二〇二一年二月廿三日", "2021-02-23"),
    ("二〇二〇年三月廿日", "2020-03-20"),
    ("二〇二一年一月卅一日", "2021-01-31"),
    ("二〇二〇年三月卅日", "2020-03-30"),
    ("二〇二一年一月三十日", "2021-01-30"),
    ("二〇二一年十月二十日", "2021-10-20"),
    ("二〇二一年十月十日", "2021-10-10"),
    ("二〇二一年两月二日", "2021-02-02"),
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
    ("二〇二〇年一二月五日", "2020-12-05"),
    ("二千零二十年三月五日", "2020-03-05"),
    ("两千零二十年三月五日", "2020-03-05"),
    ("贰零贰零年叁月伍日", "2020-03-05"),
]
REFUSED = [
    ("二〇二〇年十一二月五日", "bad-date"),  # 十一 or 十二: never guessed
    ("二〇二〇年二十十月五日", "bad-date"),
    ("二〇二〇年三月初五", "bad-date"),  # a lunar day
    ("二〇年三月五日", "bad-date"),  # a two-digit year
    ("二〇二〇年" + "一" * 40 + "月五日", "bad-date"),
    ("二〇二〇年十三月五日", "impossible-date"),
    ("二〇二〇年二月三十日", "impossible-date"),
    ("二〇二〇年三月三十二日", "impossible-date"),
]


@pytest.mark.parametrize(("written", "iso"), READ)
def test_read(written: str, iso: str) -> None:
    parsed = parse_date(written)
    assert parsed.value == dt.date.fromisoformat(iso)
    assert parsed.iso_form == (written == iso)


@pytest.mark.parametrize(("written", "code"), REFUSED)
def test_refused(written: str, code: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_date(written)
    assert caught.value.code == code


@pytest.mark.parametrize(("text", "digits"), [
    ("十一二月份天冷", "十一二月份天冷"),  # not a number: left as written, no crash
    ("第三十一号楼", "第31号楼"),
    ("二〇二〇年三月初五", "2020年3月初五"),
    ("廿一世纪", "廿一世纪"),  # no 年/月/日/号 after it: not a date part
])
def test_numerals_to_digits_in_running_text(text: str, digits: str) -> None:
    assert chinese_numerals_to_digits(text) == digits


def test_check_reports_a_bad_chinese_date_at_its_line(tmp_path: Path) -> None:
    root = make_project(tmp_path, {
        "2020/bad.md": "---\n标题: 天冷\n日期: 二〇二〇年十一二月五日\n---\n十一二月份天冷。\n",
        "2020/good.md": "---\n标题: 天晴\n日期: 二〇二〇年十一月五日\n---\n廿三日天晴。\n",
    })
    proc = subprocess.run([sys.executable, "-m", "site_builder", "check"], cwd=root, capture_output=True, text=True,
                          timeout=300)
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out
    assert "diaries/2020/bad.md:3: 错误[bad-date]" in out, out
    assert not re.search(r"good\.md:\d+: 错误", out), out
