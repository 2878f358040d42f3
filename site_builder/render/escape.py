"""Text from the diaries placed inside generated Markdown must stay text (a title with * or [ is not markup)."""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def md_text(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)
