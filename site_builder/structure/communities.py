"""Communities: the entries of one community, whatever script or spacing its name was written in, with a URL.

A secretary writes 園輝社區 one day and 园辉社区 the next: both are one community, found by the same folding as
case threads (threads.thread_key), and its URL is the pinyin of the folded name from the same slug helper
(threads.unique_slugs), so a community page and a thread page are named by one rule.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Entry
from .threads import thread_key, unique_slugs


@dataclass(frozen=True)
class Community:
    slug: str  # ASCII URL part
    name: str  # as its entries spell it most often
    entries: tuple[Entry, ...]  # public entries, by (date, id)

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({e.year for e in self.entries}))


def community_key(name: str) -> str:
    """What two spellings of a community share (the thread rule: folded, width and spaces normalised)."""
    return thread_key(name)


def build_communities(entries: Iterable[Entry]) -> tuple[Community, ...]:
    """Every community named by an entry, largest first (then by name), each with its entries in date order."""
    groups: dict[str, list[Entry]] = {}
    for e in entries:
        key = community_key(e.community) if e.community else ""
        if key:
            groups.setdefault(key, []).append(e)
    for members in groups.values():
        members.sort(key=lambda e: (e.date, e.id))
    # the community that appeared first keeps the plain slug if two names share one (its URL predates the other)
    claim_order = sorted(groups, key=lambda k: (groups[k][0].date, k))
    slugs = unique_slugs(claim_order)
    found = [Community(slugs[key], Counter(e.community for e in members).most_common(1)[0][0], tuple(members))
             for key, members in groups.items()]
    return tuple(sorted(found, key=lambda c: (-len(c.entries), c.name)))


def slug_by_name(communities: Iterable[Community]) -> dict[str, str]:
    """Every spelling an entry used → the community's slug (pages link an entry's community as written)."""
    return {e.community: c.slug for c in communities for e in c.entries}
