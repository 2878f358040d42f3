"""Text from the diaries placed inside generated Markdown must stay text (a title with * or [ is not markup)."""

from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def md_text(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


# full-width look-alikes: a diary title stays readable but can never become markup again
_INERT = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇"})


def inert_title(title: str) -> str:
    """A page title safe in any template, even one that unescapes it (Material's `page.title | striptags` turns
    `&lt;script&gt;` back into `<script>` inside `<title>`): entities resolved, then no markup character left."""
    text = title
    for _ in range(3):  # `&amp;lt;` needs two rounds; three is enough for anything a person would type
        text = html.unescape(text)
    return re.sub(r"<[^>]*>", "", text).translate(_INERT)
