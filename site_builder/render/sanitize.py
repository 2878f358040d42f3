"""Every generated page is cleaned here before the theme wraps it: raw HTML in an entry (an imported Word document, a
pasted web page) or a hostile field must not run code in a trainee's browser, and no page may ask another host for
anything (the site is published on intranets and opened offline; foreign hosts are often blocked)."""

from __future__ import annotations

import html
import re

import nh3

from ..diagnostics import Diagnostic

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "li", "mark", "ol", "p", "pre", "s", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
    # the home and search pages' own search form (no handler attribute survives; diary-search.js drives them)
    "form", "input", "select", "option", "button", "noscript",
    # the /stats/ bar charts (stats_svg.py): shapes and text only — no <a>, <use>, <image>, animation or style,
    # so an SVG in an entry can neither run, link nor load anything
    "svg", "g", "rect", "text", "title",
}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "aria-label", "aria-live", "role"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align"},
    "ol": {"start"},
    "div": {"data-base"},
    "form": {"action"},
    "input": {"name", "placeholder", "autocomplete"},
    "option": {"value"},
    "svg": {"viewBox", "width", "height", "xmlns"},
    "rect": {"x", "y", "width", "height", "rx"},
    "text": {"x", "y", "font-size", "text-anchor", "dominant-baseline"},
}
# attributes whose values are fixed: a form can only search (GET, a text box, a button), never post elsewhere
FIXED_VALUES = {
    "form": {"method": {"get"}},
    "input": {"type": {"search", "text"}},
    "button": {"type": {"submit", "button"}},
}
EXTERNAL_REL = "external nofollow noopener noreferrer"  # no referrer: the intranet address stays on the intranet

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


# nh3 writes tags back in one normalised form: lower-case names, values in double quotes with `"` escaped (a value
# may hold `>`), so the tags it emitted can be found again by pattern
_ATTR = r'\s+[^\s"\'>/=]+(?:="[^"]*")?'
_TAG = re.compile(rf'<(a|img|form)((?:{_ATTR})*)\s*/?>|</a>')
_ATTR_VALUE = re.compile(r'\s+([^\s"\'>/=]+)(?:="([^"]*)")?')


def _attributes(text: str) -> dict[str, str]:
    return {m.group(1): html.unescape(m.group(2) or "") for m in _ATTR_VALUE.finditer(text)}


def _localise(cleaned: str) -> str:
    """A remote image becomes a link to it (or, inside a link, its alt text); a remote link is marked external; a form
    that would submit to another host loses its action."""
    out: list[str] = []
    depth, pos = 0, 0
    for m in _TAG.finditer(cleaned):
        out.append(cleaned[pos:m.start()])
        pos = m.end()
        tag = m.group(1)
        if tag is None:  # </a>
            depth = max(depth - 1, 0)
            out.append(m.group(0))
            continue
        attrs = _attributes(m.group(2))
        if tag == "form":  # a form may search this site, never send what is typed to another one
            action = attrs.get("action", "")
            out.append("<form>" if action and is_remote(action) else m.group(0))
            continue
        if tag == "a":
            depth += 1
            href = attrs.get("href", "")
            out.append(m.group(0)[:-1] + f' rel="{EXTERNAL_REL}">' if href and is_remote(href) else m.group(0))
            continue
        src = attrs.get("src", "")
        if not src or not is_remote(src):
            out.append(m.group(0))
            continue
        label = html.escape(f"图片：{attrs.get('alt') or attrs.get('title') or '外部图片'}（外部网址，未显示）")
        if depth:
            out.append(f'<span class="diary-remote-image">{label}</span>')
        else:
            out.append(f'<a class="diary-remote-image" href="{html.escape(src)}" rel="{EXTERNAL_REL}">{label}</a>')
    out.append(cleaned[pos:])
    return "".join(out)


def sanitize_html(markup: str) -> str:
    """Drop <script>, event handlers, javascript: URLs, styles and anything else not on the allow-list; replace remote
    images by links (see _localise)."""
    cleaned = nh3.clean(markup, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, tag_attribute_values=FIXED_VALUES,
                        url_schemes={"http", "https", "mailto"}, link_rel=None, strip_comments=True)
    return _localise(cleaned)


def sanitize_text(markup: str) -> str:
    """An HTML fragment reduced to escaped text (the theme's table of contents shows heading text outside the page)."""
    return nh3.clean(markup, tags=set(), attributes={}, strip_comments=True)


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
