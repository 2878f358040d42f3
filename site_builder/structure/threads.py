"""Case threads: entries that name the same matter (`案例: 双槐院加装电梯`) grouped, named and given a URL.

A secretary names a matter in her own words and script, so the thread is whatever the names fold to:
`東院違建` and `东院违建` are one thread. The URL must be ASCII and must not move when entries are added:
an ASCII id keeps itself, a Chinese name becomes its pinyin (from the folded name, so both scripts agree), and a
short hash of the name is added only when two different names would share a URL.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable

from ..model import Entry, Thread
from ..text.fold import fold, normalize_width

ASCII_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
MAX_SLUG = 60  # a long sentence used as a thread name still gives a URL a phone can show


def thread_key(name: str) -> str:
    """What two names must share to be one thread: folded to Simplified, width and case normalised, no spaces or
    punctuation (a secretary writes `东院 违建` one day and `东院违建` the next)."""
    text = fold(normalize_width(name)).lower()
    return "".join(ch for ch in text if ch.isalnum() or ch == "-")


def base_slug(key: str) -> str:
    """The URL part of a thread before collisions are resolved."""
    if ASCII_ID.match(key):
        return key
    # one syllable per character, joined by hyphens (shuang-huai-yuan-…): readable, and 西安 ≠ 先
    from pypinyin import lazy_pinyin  # late: its phrase table takes ~0.4 s to load, and most CLI runs need no URL

    syllables = lazy_pinyin(key, errors=lambda chars: chars)  # digits and letters stay as they are
    slug = _NOT_SLUG.sub("-", "-".join(syllables).lower()).strip("-")
    slug = slug[:MAX_SLUG].rsplit("-", 1)[0] if len(slug) > MAX_SLUG else slug
    return slug or "case"


def _short_hash(key: str) -> str:
    return hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:6]


def unique_slugs(keys: Iterable[str]) -> dict[str, str]:
    """Folded key → URL slug, for keys in claim order: the first key keeps the plain slug, a later key whose slug is
    taken gets a short hash of itself (so its URL does not depend on how many collided). Threads and community pages
    both name their URLs this way."""
    taken: set[str] = set()
    slugs: dict[str, str] = {}
    for key in keys:
        slug = base_slug(key)
        if slug in taken:
            slug = f"{slug}-{_short_hash(key)}"
        taken.add(slug)
        slugs[key] = slug
    return slugs


def _display_name(entries: tuple[Entry, ...]) -> str:
    """The name in the script most of its entries are written in, as those entries spell it most often."""
    traditional = sum(e.traditional for e in entries) * 2 > len(entries)
    majority = [e.case for e in entries if e.traditional == traditional] or [e.case for e in entries]
    return Counter(majority).most_common(1)[0][0]


def build_threads(entries: Iterable[Entry]) -> tuple[Thread, ...]:
    """Every thread with its entries in date order, ordered by when the matter started."""
    groups: dict[str, list[Entry]] = {}
    for e in entries:
        if e.case:
            key = thread_key(e.case)
            if key:
                groups.setdefault(key, []).append(e)
    ordered = sorted(groups.items(), key=lambda kv: (min((e.date, e.id) for e in kv[1]), kv[0]))
    # who keeps the plain slug on a collision: an ASCII id (its URL predates Chinese names), then the oldest matter
    claim_order = sorted(ordered, key=lambda kv: (not ASCII_ID.match(kv[0]), min(e.date for e in kv[1]), kv[0]))
    slugs = unique_slugs(key for key, _ in claim_order)
    threads = []
    for key, members in ordered:
        members.sort(key=lambda e: (e.date, e.id))
        group = tuple(members)
        name = _display_name(group)
        threads.append(Thread(slugs[key], group, name=name if not ASCII_ID.match(key) else ""))
    return tuple(threads)
