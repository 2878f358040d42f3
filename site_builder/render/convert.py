"""A generated page's parts (pages.RenderedPage) → HTML with one reused python-markdown instance.

The HTML parts are the template's own blocks, which Markdown would pass through untouched anyway: they are put in the
converter's stash as they are, so only the headings and the diary body are parsed. Joined by blank lines and
converted, the parts give the same HTML as the page's whole Markdown (tests/test_page_convert.py checks it). The
caller sanitises the result like any generated page.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import markdown
from markdown.preprocessors import Preprocessor


class _StashParts(Preprocessor):  # type: ignore[misc]  # python-markdown has no type information
    """Replaces each HTML part's token line with the stash placeholder of that part. It runs after
    NormalizeWhitespace (which strips the placeholders' STX/ETX from the text it is given) and before the raw HTML
    block parser, so the blocks are never parsed."""

    def __init__(self, md: markdown.Markdown, token: str) -> None:
        super().__init__(md)
        self.token = token
        self.parts: Sequence[str] = ()

    def run(self, lines: list[str]) -> list[str]:
        out = []
        for line in lines:
            if line.startswith(self.token):
                out.append(self.md.htmlStash.store(self.parts[int(line[len(self.token):])]))
            else:
                out.append(line)
        return out


class PageConverter:
    """One Markdown instance for many pages (MkDocs builds a new one per page), configured like the site's."""

    def __init__(self, extensions: Iterable[Any], extension_configs: Mapping[str, Any] | None = None) -> None:
        self.md = markdown.Markdown(extensions=list(extensions), extension_configs=dict(extension_configs or {}))
        # random per converter: a diary body cannot contain it
        self._stash = _StashParts(self.md, f"diary-part-{secrets.token_hex(8)}-")
        self.md.preprocessors.register(self._stash, "diary_stash_parts", 29)  # NormalizeWhitespace is 30

    def convert(self, parts: Sequence[str]) -> tuple[str, list[Any]]:
        """HTML of the page and its table of contents (toc's `toc_tokens`, empty without the toc extension).
        Even-numbered parts are Markdown, odd-numbered ones HTML blocks."""
        md = self.md
        md.reset()
        self._stash.parts = parts
        text = "\n\n".join(part if i % 2 == 0 else f"{self._stash.token}{i}" for i, part in enumerate(parts))
        html = md.convert(text)
        return html, list(getattr(md, "toc_tokens", []))
