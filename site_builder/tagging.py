"""Topic suggestion: which topics an entry is about, with the words that show it.

Evidence is the taxonomy's keywords, found in the folded (Simplified) text so either script counts. Ambiguous words
count only in the context that gives them their community-work meaning (牛皮癣 next to 清理 is flyers, not
psoriasis). Explicit `topics` are never replaced; suggestions only fill entries that have none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Entry, Settings, Taxonomy
from .text.query import prepare

TITLE_WEIGHT = 2.0
THRESHOLD = 2.0  # one keyword in the title, or two mentions in the body
MAX_TOPICS = 3

# word → (topic it signals, words that must appear within WINDOW characters for it to count)
CONTEXT_RULES: dict[str, tuple[str, tuple[str, ...]]] = {
    "牛皮癣": ("huanjing", ("清理", "小广告", "治理", "张贴", "乱贴", "铲", "清除", "楼道", "电线杆")),
    "隔离": ("yiqing", ("居家", "观察", "疫情", "集中", "返", "新冠", "防控")),
}
WINDOW = 12


@dataclass(frozen=True)
class Suggestion:
    slug: str
    confidence: float  # 0–1
    evidence: tuple[str, ...]  # the words that triggered it, as found (Simplified)


def _keyword_patterns(taxonomy: Taxonomy) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for t in taxonomy.topics:
        words = {prepare(w) for w in (*t.keywords, *t.aliases) if len(prepare(w)) > 1}
        out[t.slug] = sorted(words, key=len, reverse=True)
    return out


def _in_context(text: str, start: int, word: str, needed: tuple[str, ...]) -> bool:
    window = text[max(0, start - WINDOW): start + len(word) + WINDOW]
    return any(n in window for n in needed)


def score_entry(title: str, body: str, taxonomy: Taxonomy) -> list[Suggestion]:
    title_f, body_f = prepare(title), prepare(body)
    patterns = _keyword_patterns(taxonomy)
    results = []
    for slug, words in patterns.items():
        score = 0.0
        evidence = []
        for word in words:
            hits = 0.0
            for text, weight in ((title_f, TITLE_WEIGHT), (body_f, 1.0)):
                for m in re.finditer(re.escape(word), text):
                    rule = CONTEXT_RULES.get(word)
                    if rule and (rule[0] != slug or not _in_context(text, m.start(), word, rule[1])):
                        continue
                    hits += weight
            if hits:
                # a longer keyword already counted covers its shorter parts (屋顶漏水 ⊃ 漏水)
                if any(word in e for e in evidence):
                    continue
                evidence.append(word)
                score += min(hits, 3.0)
        if score >= THRESHOLD:
            results.append(Suggestion(slug, min(1.0, score / 6.0), tuple(evidence)))
    results.sort(key=lambda s: (-s.confidence, s.slug))
    return results[:MAX_TOPICS]


def suggest_topics(entries: list[Entry], taxonomy: Taxonomy, settings: Settings) -> dict[str, list[Suggestion]]:
    return {e.id: score_entry(e.title, e.body, taxonomy) for e in entries if not e.topics}
