"""MkDocs' own progress lines in Chinese, for the secretary who runs `make serve` / `make build`.

MkDocs has no translations for its terminal output; a logging filter on its loggers rewrites the few lines a
secretary reads every time (building, built in N seconds, serving on …, reloading). Anything not listed here stays
as MkDocs wrote it — a rare English line is better than a wrong Chinese one.
"""

from __future__ import annotations

import logging
import re

LOGGERS = ("mkdocs.commands.build", "mkdocs.commands.serve", "mkdocs.livereload")
MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), zh) for p, zh in (
    (r"^Cleaning site directory$", "正在清空网站文件夹"),
    (r"^Building documentation to directory: (?P<a>.+)$", "正在生成网站，放在：{a}"),
    (r"^Building documentation\.\.\.$", "正在生成网站……"),
    (r"^Documentation built in (?P<a>[\d.]+) seconds$", "网站生成好了，用时 {a} 秒"),
    (r"^The directory contains stale files\. Use --clean to remove them\.$",
     "网站文件夹里有旧文件，可以加 --clean 清掉"),
    (r"^Watching paths for changes: (?P<a>.+)$", "正在留意这些文件夹的改动：{a}"),
    (r"^Serving on (?P<a>\S+) and opening it in a browser$", "网站预览地址：{a}（正在用浏览器打开）"),
    (r"^Serving on (?P<a>\S+)$", "网站预览地址：{a}（用浏览器打开它；改了日记保存后会自动刷新）"),
    (r"^Detected file changes$", "发现文件有改动"),
    (r"^Reloading browsers$", "正在刷新浏览器里的页面"),
    (r"^Browser connected: (?P<a>.+)$", "浏览器已打开：{a}"),
    (r"^Shutting down\.\.\.$", "正在关闭预览……"),
))


_CLOCK = re.compile(r"^\[\d\d:\d\d:\d\d\] ")  # `mkdocs serve` stamps its lines with the time


def translate(message: str) -> str | None:
    clock = _CLOCK.match(message)
    stamp = clock.group(0) if clock else ""
    text = message[len(stamp):]
    for pattern, zh in MESSAGES:
        m = pattern.match(text)
        if m:
            return stamp + zh.format(**m.groupdict())
    return None


class ChineseMessages(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            text = translate(record.getMessage())
        except Exception:  # a log line must never break a build (getMessage on bad args raises)
            return True
        if text is not None:
            record.msg, record.args = text, ()
        return True


def install() -> None:
    """Idempotent: `mkdocs serve` starts the plugin again on every rebuild."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, ChineseMessages) for f in logger.filters):
            logger.addFilter(ChineseMessages())
