"""Glossary links: the first mention of a term (马葫芦, 低保 …) in an entry links to its explanation."""

from __future__ import annotations

import re

from ..model import GlossaryTerm
from ..text.fold import fold
from ..text.query import prepare

# spans the secretary's Markdown already uses and a link must not be placed inside
_PROTECTED = re.compile(r"\[[^\]]*\]\([^)]*\)|`[^`]*`|<[^>]+>|\*\*【[^】]*】\*\*|^#+ .*$", re.M)


def link_terms(body: str, terms: tuple[GlossaryTerm, ...], glossary_link: str) -> str:
    folded = fold(body.lower())
    taken = [(m.start(), m.end()) for m in _PROTECTED.finditer(body)]
    spots: list[tuple[int, int, GlossaryTerm]] = []
    for term in sorted(terms, key=lambda t: -len(t.term)):
        for form in (term.term, *term.aliases):
            at = folded.find(prepare(form))
            while at >= 0:
                end = at + len(form)
                if not any(a < end and at < b for a, b in taken):
                    spots.append((at, end, term))
                    taken.append((at, end))
                    break
                at = folded.find(prepare(form), at + 1)
            else:
                continue
            break  # one link per term
    out, pos = [], 0
    for start, end, term in sorted(spots, key=lambda s: s[0]):
        title = term.meaning.replace('"', "'")
        out += [body[pos:start], f'[{body[start:end]}]({glossary_link}#{term.slug} "{title}"){{: .diary-term }}']
        pos = end
    out.append(body[pos:])
    return "".join(out)
