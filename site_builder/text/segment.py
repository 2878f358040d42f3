"""jieba, configured once: its own Tokenizer (not jieba's global one), its cache in the project cache directory,
the project's user dictionary and every taxonomy term added as words so local terms (马葫芦, 网格长 …) stay whole.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jieba

# jieba is imported when text is first segmented, not with this module: importing it costs about a second, and a
# `diary search` of an up-to-date index, `diary new` and `diary check` never segment anything
_JIEBA_DICT = "dict.txt"  # jieba.DEFAULT_DICT_NAME, read without importing jieba (tests check they agree)

USER_WORD_FREQ = 20000  # high enough that a user word beats the default dictionary's split of it

# Single characters too common to be worth a posting list; they are never a search concept on their own.
STOP_CHARS = frozenset("的了是在和与也都就我你他她它们这那有个着把被给对从到为而及或但很还又再已之于以其所等"
                       "啊吗呢吧呀哦嗯")

_WORD = re.compile(r"[\u3400-\u9fff]|[a-z0-9]+")


# A one-character noun of jieba's dictionary (狗, 猫, 灯, 水 …) names a thing a trainee searches for, so in a query it
# is a concept of its own; the most frequent ones (人, 事, 门 …: above this count in jieba's corpus) are too general.
NOUN_CHAR_MAX_FREQ = 30000
_NOUN_LINE = re.compile(r"^([\u3400-\u9fff]) (\d+) n$", re.M)


def noun_characters() -> tuple[str, ...]:
    """Single-character nouns of jieba's own dictionary (tag n), sorted."""
    spec = importlib.util.find_spec("jieba")
    assert spec is not None and spec.origin is not None, "jieba is a pinned dependency"
    text = (Path(spec.origin).parent / _JIEBA_DICT).read_text(encoding="utf-8")
    # one regex over the file, not 350,000 split lines: this runs on every `diary search`
    found = {w for w, freq in _NOUN_LINE.findall(text) if int(freq) <= NOUN_CHAR_MAX_FREQ}
    return tuple(sorted(found - STOP_CHARS))


def read_userdict(path: Path) -> tuple[str, ...]:
    """Words of a jieba user dictionary file: one per line, optional frequency and tag, # comments."""
    if not path.is_file():
        return ()
    words = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.append(line.split()[0])
    return tuple(words)


class Segmenter:
    """A jieba tokenizer with the project's words. Build one per (dictionary) and reuse it."""

    def __init__(self, words: Iterable[str], cache_dir: Path) -> None:
        self.user_words = tuple(sorted({w for w in words if len(w) > 1}))
        self._cache_dir = cache_dir
        self._loaded: jieba.Tokenizer | None = None
        self.version = hashlib.sha1("\n".join(self.user_words).encode(), usedforsecurity=False).hexdigest()[:12]

    @property
    def _tk(self) -> jieba.Tokenizer:
        """jieba's dictionary takes about a second to load: only when text is actually segmented (a search of an
        up-to-date index parses the query against the index vocabulary and never needs it)."""
        if self._loaded is None:
            import jieba

            # jieba prints "Building prefix dict…" on its own stderr handler at DEBUG; our users should not see that
            jieba.setLogLevel(logging.WARNING)
            self._cache_dir.mkdir(parents=True, exist_ok=True)
            tk = jieba.Tokenizer()
            tk.tmp_dir = str(self._cache_dir)
            tk.initialize()
            for w in self.user_words:
                tk.add_word(w, USER_WORD_FREQ)
            self._loaded = tk
        return self._loaded

    def search_tokens(self, folded: str) -> list[str]:
        """Whole words and their dictionary sub-words (低保户 → 低保, 低保户), lower-case, no punctuation or stop chars.

        `folded` must already be Simplified (see fold.fold); HMM is off so segmentation depends only on the dictionary.
        """
        out = []
        for tok in self._tk.cut_for_search(folded.lower(), HMM=False):
            tok = tok.strip()
            if not tok or not _WORD.match(tok):
                continue
            if len(tok) == 1 and tok in STOP_CHARS:
                continue
            out.append(tok)
        return out

    def words(self, folded: str) -> list[str]:
        """Whole words only (no sub-words): 卫生间 stays 卫生间, so it is not evidence for 卫生."""
        return [t for t in (w.strip() for w in self._tk.cut(folded.lower(), HMM=False))
                if t and _WORD.match(t) and not (len(t) == 1 and t in STOP_CHARS)]
