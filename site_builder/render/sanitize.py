"""Every generated page is cleaned here before the theme wraps it: raw HTML in an entry (an imported Word document, a
pasted web page) or a hostile field must not run code in a trainee's browser, and no page may ask another host for
anything (the site is published on intranets and opened offline; foreign hosts are often blocked)."""

from __future__ import annotations

import html
import re

import nh3

from ..text.remote_urls import is_remote

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


# one cleaner for every page: nh3.clean() builds its allow-list anew on each call, a third of its time per page
_CLEANER = nh3.Cleaner(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, tag_attribute_values=FIXED_VALUES,
                       url_schemes={"http", "https", "mailto"}, link_rel=None, strip_comments=True)


def sanitize_html(markup: str) -> str:
    """Drop <script>, event handlers, javascript: URLs, styles and anything else not on the allow-list; replace remote
    images by links (see _localise)."""
    return _localise(_CLEANER.clean(markup))


def sanitize_text(markup: str) -> str:
    """An HTML fragment reduced to escaped text (the theme's table of contents shows heading text outside the page)."""
    return nh3.clean(markup, tags=set(), attributes={}, strip_comments=True)
