"""Text from the diaries placed inside generated pages must stay text (a title with * or [ or <script> is not markup).

The page templates render with `finalize=finalize`: every value they print is escaped unless it is `Markdown`
(a link the renderer computed, an entry body that the sanitiser cleans later). Escaping is by construction, not by
remembering to call a function at each place a field is printed.
"""

from __future__ import annotations

import datetime as dt
import html
import re


class Markdown(str):
    """A string that is already Markdown (or a URL the renderer built): printed as it is."""

    __slots__ = ()


# Character references, not backslashes: they mean the same inside Markdown text, link text, raw HTML blocks (the
# search page's <option>s) and attribute values, where a backslash would be shown or ignored. `{` `}` stop attr_list
# (`标题 {: onclick=… }`), `#`/`!`/`|` headings, images and table cells.
_ESCAPES = str.maketrans({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
    **{c: f"&#{ord(c)};" for c in "\\`*_{}[]()#!|~"},
})
_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")
_BLOCK_START = re.compile(r"^\s*(?:[-+=]|\d+(?=[.)]))")  # a list item or a numbered line once at the start of a line


def md_text(text: str) -> str:
    """`text` shown as written wherever a template puts it: one line, no markup, no HTML."""
    flat = _LINE_BREAKS.sub(" ", text)  # a line break would start a new Markdown block (or end a raw HTML block)
    escaped = flat.translate(_ESCAPES)
    m = _BLOCK_START.match(escaped)
    if m:
        lead = m.group(0).lstrip()
        escaped = lead[:-1] + f"&#{ord(lead[-1])};" + escaped[m.end():]
    return escaped


def finalize(value: object) -> object:
    """Jinja's hook for every `{{ … }}`: strings are diary (or taxonomy) text and get escaped. So does anything else
    that prints as text (a list, a tuple of names): only numbers, dates and `Markdown` print as they are."""
    if value is None or isinstance(value, Markdown | int | float | dt.date):
        return value
    return md_text(value if isinstance(value, str) else str(value))


# full-width look-alikes: a diary title stays readable but can never become markup again
_INERT = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇"})


def inert_title(title: str) -> str:
    """A page title safe in any template, even one that unescapes it (Material's `page.title | striptags` turns
    `&lt;script&gt;` back into `<script>` inside `<title>`).

    MkDocs gives the first heading's HTML with the tags already stripped and the entities kept: resolving them once
    gives the title as the secretary typed it (`md_text` escaped it once), and the look-alikes keep it that way.
    """
    return html.unescape(title).translate(_INERT)
