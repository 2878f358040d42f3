"""Which URLs in a diary would make the browser ask another host for something, and where a body does that.

Core, not render: the schema reports remote pictures at their lines while reading an entry (`remote_resources`), and
the sanitiser (render/sanitize.py) turns the same URLs into links on the page (`is_remote`), by one rule.
"""

from __future__ import annotations

import html
import re

from ..diagnostics import Diagnostic

_URL_NOISE = re.compile(r"[\t\n\r]")  # browsers drop these anywhere inside a URL before reading it
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.\-]*:")


def is_remote(url: str) -> bool:
    """True when the browser would fetch `url` from another host: any scheme (https:, ftp:, …) or `//host`.

    Browsers read `\\` as `/` and skip tabs and line breaks inside a URL, so `/\\host` and `/<tab>/host` count too.
    A relative path, `/path`, `?q=…` or `#part` stays on this site.
    """
    cleaned = _URL_NOISE.sub("", html.unescape(url)).strip(" \x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"
                                                         "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d"
                                                         "\x1e\x1f")
    return bool(_SCHEME.match(cleaned)) or cleaned.replace("\\", "/").startswith("//")


# what an entry's Markdown may load: ![alt](url), <img src=…>, srcset, poster, CSS url(…), [ref]: url for images
_MD_IMAGE = re.compile(r"!\[(?:[^\]\\]|\\.)*\]\(\s*<?([^\s)>]+)")
_MD_REF_IMAGE = re.compile(r"!\[((?:[^\]\\]|\\.)*)\]\s*\[([^\]]*)\]")
_MD_REF_DEF = re.compile(r"(?m)^[ ]{0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s|$)")
_HTML_SOURCE = re.compile(r"""(?i)\b(?:src|srcset|poster|data|background|xlink:href)\s*=\s*"""
                          r"""(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_CSS_URL = re.compile(r"""(?i)url\(\s*["']?([^"')\s]+)|@import\s+["']([^"']+)""")


def _urls(found: str) -> list[str]:
    # srcset lists "url 2x, url 3x"
    return [part.strip().split()[0] for part in found.split(",") if part.strip()]


def remote_resources(body: str, first_line: int, path: str) -> list[Diagnostic]:
    """A warning at each line where the body loads a picture or style from another host: the page will show a link
    instead (the site never asks another host for anything)."""
    refs = {m.group(1).strip().lower(): m.group(2) for m in _MD_REF_DEF.finditer(body)}
    problems: list[Diagnostic] = []
    for offset, line in enumerate(body.split("\n")):
        urls = [m.group(1) for m in _MD_IMAGE.finditer(line)]
        urls += [refs.get((m.group(2) or m.group(1)).strip().lower(), "") for m in _MD_REF_IMAGE.finditer(line)]
        if "<" in line:
            found = (next(g for g in m.groups() if g is not None) for m in _HTML_SOURCE.finditer(line))
            urls += [u for value in found for u in _urls(value)]
        urls += [m.group(1) or m.group(2) for m in _CSS_URL.finditer(line)]
        remote = [u for u in urls if u and is_remote(u) and not u.lower().startswith(("data:", "javascript:"))]
        if remote:
            shown = "、".join(dict.fromkeys(remote))
            problems.append(Diagnostic(path, first_line + offset, "remote-image",
                                       f"这里的图片或样式来自别的网站（{shown}），网页上只显示成一个链接"))
    return problems
