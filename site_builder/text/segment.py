"""jieba, configured once: its own Tokenizer (not jieba's global one), its cache in the project cache directory,
the project's user dictionary and every taxonomy term added as words so local terms (马葫芦, 网格长 …) stay whole.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import marshal
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

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


def _import_jieba() -> Any:
    """jieba, imported without pkg_resources when nothing imported that yet: jieba only uses it to open its own data
    files and falls back to opening them beside its module when it is missing (jieba/_compat.py), and importing it
    is a quarter of a second of `diary search` after a save."""
    if "pkg_resources" in sys.modules:
        import jieba

        return jieba
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # an import of it raises ImportError
    try:
        import jieba

        return jieba
    finally:
        if sys.modules.get("pkg_resources", False) is None:
            del sys.modules["pkg_resources"]


class Segmenter:
    """A jieba tokenizer with the project's words. Build one per (dictionary) and reuse it.

    jieba's whole dictionary (500,000 words and prefixes, ~1 s to unmarshal) is needed only for the characters a
    text contains: every lookup jieba makes (get_DAG, calc, cut_for_search) is a piece of the text being cut, so it
    starts with one of its characters. The dictionary as configured (jieba's own plus the project's words) is
    therefore stored once, split by first character (`shards-*.bin` in the jieba cache folder), and each text first
    loads the shards of its characters: `diary search` after one save unmarshals a few hundred shards, not all.
    """

    def __init__(self, words: Iterable[str], cache_dir: Path) -> None:
        self.user_words = tuple(sorted({w for w in words if len(w) > 1}))
        self._cache_dir = cache_dir
        self._loaded: jieba.Tokenizer | None = None
        self.version = hashlib.sha1("\n".join(self.user_words).encode(), usedforsecurity=False).hexdigest()[:12]
        self._shards: Shards | None = None  # when the tokenizer was made from the shards: the ones not yet loaded
        self._whole = False  # a shard could not be read: the whole dictionary, as jieba loads it

    @property
    def _tk(self) -> jieba.Tokenizer:
        """jieba's dictionary takes about a second to load: only when text is actually segmented (a search of an
        up-to-date index parses the query against the index vocabulary and never needs it)."""
        if self._loaded is None:
            jieba = _import_jieba()
            # jieba prints "Building prefix dict…" on its own stderr handler at DEBUG; our users should not see that
            jieba.setLogLevel(logging.WARNING)
            self._cache_dir.mkdir(parents=True, exist_ok=True)
            tk = jieba.Tokenizer()
            tk.tmp_dir = str(self._cache_dir)
            key = self._shards_key()
            path = self._cache_dir / f"shards-{hashlib.sha256(key.encode()).hexdigest()[:16]}.bin"
            self._shards = None if self._whole else Shards.open(path, key)
            if self._shards is not None:
                tk.FREQ, tk.total, tk.initialized = {}, self._shards.total, True
            else:
                tk.initialize()
                for w in self.user_words:
                    tk.add_word(w, USER_WORD_FREQ)
                Shards.write(path, key, tk.FREQ, tk.total)
            self._loaded = tk
        return self._loaded

    def _shards_key(self) -> str:
        """What the configured dictionary depends on: jieba (version, its dict.txt), the project's words, the code."""
        spec = importlib.util.find_spec("jieba")
        assert spec is not None and spec.origin is not None, "jieba is a pinned dependency"
        st = (Path(spec.origin).parent / _JIEBA_DICT).stat()
        from importlib import metadata

        from ..corpus.load import code_version  # late: any edit of the code builds the shards once more

        head = (SHARDS_FORMAT, code_version(), metadata.version("jieba"), st.st_size, st.st_mtime_ns, USER_WORD_FREQ,
                self.version)
        return "\0".join(map(str, head)) + "\0" + "\n".join(self.user_words)

    def ready(self) -> None:
        """Load the dictionary now (before worker processes fork, so they inherit it rather than each load it and
        write its shards file at the same time)."""
        self._tk  # noqa: B018  # the property loads it

    def _cut_ready(self, text: str) -> jieba.Tokenizer:
        """The tokenizer, with the dictionary entries of every character of `text` loaded."""
        tk = self._tk
        if self._shards is not None:
            try:
                self._shards.load_into(tk.FREQ, text)
            except Exception as exc:  # damaged inside (the head was fine): start again from jieba's dictionary
                logging.getLogger(__name__).debug("jieba shards ignored: %r", exc)
                self._loaded, self._shards, self._whole = None, None, True
                return self._tk
        return tk

    def search_tokens(self, folded: str) -> list[str]:
        """Whole words and their dictionary sub-words (低保户 → 低保, 低保户), lower-case, no punctuation or stop chars.

        `folded` must already be Simplified (see fold.fold); HMM is off so segmentation depends only on the dictionary.
        """
        out = []
        lowered = folded.lower()
        for tok in self._cut_ready(lowered).cut_for_search(lowered, HMM=False):
            tok = tok.strip()
            if not tok or not _WORD.match(tok):
                continue
            if len(tok) == 1 and tok in STOP_CHARS:
                continue
            out.append(tok)
        return out

    def words(self, folded: str) -> list[str]:
        """Whole words only (no sub-words): 卫生间 stays 卫生间, so it is not evidence for 卫生."""
        lowered = folded.lower()
        return [t for t in (w.strip() for w in self._cut_ready(lowered).cut(lowered, HMM=False))
                if t and _WORD.match(t) and not (len(t) == 1 and t in STOP_CHARS)]


SHARDS_FORMAT = 1
KEEP_SHARDS = 2


class Shards:
    """The configured dictionary (word or prefix → frequency) split by first character, in one file: an 8-byte
    length, a marshalled head (format, key, total, character → (offset after the head, length)), then one
    marshalled dict per character. Read with marshal, as jieba reads its own cache in the same folder (unmarshalling
    builds values, it runs nothing); a file of another key (another jieba, other project words), of the wrong size
    or shape is ignored and rewritten."""

    def __init__(self, data: bytes, total: int, where: dict[str, tuple[int, int]]) -> None:
        self.total = total
        self._data = data
        self._where = where
        self._seen: set[str] = set()

    @classmethod
    def open(cls, path: Path, key: str) -> Shards | None:
        try:
            data = path.read_bytes()
            size = int.from_bytes(data[:8], "little")
            head = marshal.loads(data[8:8 + size])  # noqa: S302 (see the class docstring)
            if not (isinstance(head, tuple) and len(head) == 4 and head[0] == SHARDS_FORMAT and head[1] == key
                    and isinstance(head[2], int) and isinstance(head[3], dict)):
                return None
            blobs = data[8 + size:]
            if max((o + n for o, n in head[3].values()), default=0) != len(blobs):  # truncated, or grown
                return None
            return cls(blobs, head[2], head[3])
        except FileNotFoundError:
            return None
        except Exception as exc:  # damaged: load the whole dictionary and write it again
            logging.getLogger(__name__).debug("jieba shards %s ignored: %r", path, exc)
            return None

    def load_into(self, freq: dict[str, int], text: str) -> None:
        new = set(text) - self._seen
        if not new:
            return
        self._seen |= new
        view = memoryview(self._data)
        for ch in new:
            where = self._where.get(ch)
            if where is not None:
                words = marshal.loads(view[where[0]:where[0] + where[1]])  # noqa: S302 (see the class docstring)
                if not isinstance(words, dict):
                    raise TypeError(f"shard of {ch!r} is not a dict")
                freq.update(words)

    @staticmethod
    def write(path: Path, key: str, freq: dict[str, int], total: int) -> None:
        """Store `freq` split by first character (atomically); a folder that cannot be written only costs the next
        process the whole dictionary."""
        by_char: dict[str, dict[str, int]] = {}
        for word, n in freq.items():
            by_char.setdefault(word[0], {})[word] = n
        blobs: list[bytes] = []
        where: dict[str, tuple[int, int]] = {}
        offset = 0
        for ch, words in by_char.items():
            blob = marshal.dumps(words)
            where[ch] = (offset, len(blob))
            blobs.append(blob)
            offset += len(blob)
        head = marshal.dumps((SHARDS_FORMAT, key, total, where))  # offsets from the end of the head
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            tmp.write_bytes(len(head).to_bytes(8, "little") + head + b"".join(blobs))
            os.replace(tmp, path)
            # one file per set of project words: a taxonomy edit undone still finds its file, older ones go
            older = sorted((p for p in path.parent.glob("shards-*.bin") if p != path),
                           key=lambda p: p.stat().st_mtime_ns, reverse=True)
            for old in older[KEEP_SHARDS - 1:]:
                old.unlink(missing_ok=True)
        except OSError as exc:
            logging.getLogger(__name__).debug("jieba shards not written to %s: %r", path, exc)
        finally:
            tmp.unlink(missing_ok=True)
