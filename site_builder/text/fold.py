"""Traditional → Simplified folding with one character table, shared with the browser.

Folding is character for character, so a folded string has the same length as the original: a match found in the
folded text can be highlighted at the same offsets in the entry's own script (the browser relies on this too).
The table comes from OpenCC's data (opencc-python-reimplemented): Taiwan/Hong Kong variants are first mapped to
OpenCC's standard Traditional form, then each Traditional character to its first Simplified reading.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from importlib import resources


def _read_pairs(name: str) -> dict[str, str]:
    text = resources.files("opencc").joinpath("dictionary", name).read_text(encoding="utf-8")
    pairs: dict[str, str] = {}
    for line in text.splitlines():
        src, _, dst = line.partition("\t")
        target = dst.split(" ")[0] if dst else ""
        if len(src) == 1 and len(target) == 1 and src != target:
            pairs[src] = target
    return pairs


@lru_cache(maxsize=1)
def fold_table() -> dict[str, str]:
    """Traditional (or variant) character → Simplified character."""
    to_simplified = _read_pairs("TSCharacters.txt")
    table = dict(to_simplified)
    for variants in ("TWVariantsRev.txt", "HKVariantsRev.txt"):
        for variant, standard in _read_pairs(variants).items():
            table.setdefault(variant, to_simplified.get(standard, standard))
    # A character that Simplified text itself uses (么 in 怎么, 着 …) must stay as it is, or every Simplified
    # sentence would be rewritten (怎么 → 怎幺); and one that maps to itself would only bloat the browser table.
    simplified_in_use = set(_read_pairs("STCharacters.txt"))
    return {k: v for k, v in sorted(table.items()) if k != v and k not in simplified_in_use}


@lru_cache(maxsize=1)
def _translation() -> dict[int, str]:
    return {ord(k): v for k, v in fold_table().items()}


def fold(text: str) -> str:
    """Simplified form of `text`, same length, same offsets."""
    return text.translate(_translation())


def normalize_width(text: str) -> str:
    """Full-width ASCII (２０２０, ＡＢＣ) to half-width; Han characters are untouched by NFKC."""
    return unicodedata.normalize("NFKC", text)


def traditional_share(text: str) -> float:
    """Share of Han characters that folding changes: about 0 for Simplified text, 0.15–0.35 for Traditional."""
    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not han:
        return 0.0
    table = fold_table()
    return sum(1 for c in han if c in table) / len(han)


def is_traditional(text: str) -> bool:
    return traditional_share(text) >= 0.05
