"""What the tagger learned from the hand-tagged entries, and its copy on disk (`.cache/diary/tagger-<key>.npz`).

Training (segmenting every hand-tagged entry, fitting one logistic regression per topic, importing scikit-learn)
is a large share of a fresh build; its result depends only on the analyzer's dictionary, the taxonomy, the
hand-tagged entries' id, title, body and topics, and this code. `training_key` hashes exactly those, so a file
under that key holds what training would give again, and every process after the first loads it instead.

The file is an `.npz` opened with `allow_pickle=False` (arrays and one JSON text: nothing in it can run code), and
written to a temporary file then `os.replace`d, so a reader never sees half a file. A file that cannot be read, is of
another format or holds another key is ignored (the tagger is trained again and the file rewritten): a cache
never crashes a build and never changes a suggestion.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from ..model import Entry, Taxonomy
from . import classifier
from .classifier import TopicClassifier

log = logging.getLogger(__name__)

# Bump when what training computes, or how it is stored, changes: files of another format are never read.
FORMAT = 1
PREFIX = "tagger-"
SUFFIX = ".npz"
KEEP = 3  # a few states back: `mkdocs serve` while retagging one entry back and forth hits each of them


@dataclass(frozen=True)
class Learned:
    """What the hand-tagged entries teach (see tagger.Tagger._train)."""

    idf: dict[str, float]  # term → idf over the hand-tagged entries
    centroids: dict[str, dict[str, float]]  # topic → unit-length centroid of its entries' tf-idf vectors
    trust: dict[str, float]  # topic → how far its centroid is trusted (by its support)
    learning: float  # how much the learned part counts overall (by the number of hand-tagged entries)
    classifier: TopicClassifier | None


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return ""


def training_key(analyzer_version: str, taxonomy: Taxonomy, training: Sequence[Entry],
                 constants: Sequence[float]) -> str:
    """A hash of everything training reads: the analyzer (dictionary, synonym tables, jieba), the taxonomy, the
    hand-tagged entries in order, the tagger's and classifier's constants, this format, the code (any edit of
    site_builder/ trains once more: cheap insurance) and the libraries that fit."""
    h = hashlib.sha256()
    from ..corpus.load import code_version  # late: corpus.load reaches tagging only inside load_corpus

    head = [FORMAT, code_version(), analyzer_version, _version("jieba"), _version("scikit-learn"), _version("numpy"),
            [*constants, classifier.C, classifier.MIN_POSITIVES]]
    h.update(json.dumps(head).encode())
    h.update(repr(taxonomy).encode())  # frozen dataclasses of str and tuples: the same text in every process
    for e in training:
        h.update(b"\x00")
        h.update(json.dumps([e.id, e.title, e.body, list(e.topics)], ensure_ascii=False).encode())
    return h.hexdigest()[:32]


def path_for(cache_dir: Path, key: str) -> Path:
    return cache_dir / f"{PREFIX}{key}{SUFFIX}"


def load(cache_dir: Path, key: str) -> Learned | None:
    """The state stored under `key`, or None when there is none or it cannot be trusted (then train again)."""
    path = path_for(cache_dir, key)
    if not path.is_file():
        return None
    try:
        return _read(path, key)
    except Exception as exc:  # any damage to a cache file means "not cached", never a failed build
        log.debug("tagger cache %s ignored: %r", path, exc)
        return None


def _read(path: Path, key: str) -> Learned | None:
    import numpy as np

    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(bytes(data["meta"]).decode("utf-8"))
        if meta.get("format") != FORMAT or meta.get("key") != key:
            return None
        found: TopicClassifier | None = None
        if meta["slugs"] is not None:
            slugs = tuple(str(s) for s in meta["slugs"])
            terms = [str(t) for t in meta["terms"]]
            idf, weights, bias = (np.array(data[k], dtype=np.float64) for k in ("tfidf_idf", "weights", "bias"))
            if idf.shape != (len(terms),) or weights.shape != (len(terms), len(slugs)) or bias.shape != (len(slugs),):
                return None
            found = TopicClassifier(slugs, {t: i for i, t in enumerate(terms)}, idf, weights, bias)
    return Learned({str(t): float(v) for t, v in meta["idf"].items()},
                   {str(s): {str(t): float(v) for t, v in c.items()} for s, c in meta["centroids"].items()},
                   {str(s): float(v) for s, v in meta["trust"].items()}, float(meta["learning"]), found)


def save(cache_dir: Path, key: str, learned: Learned) -> None:
    """Store `learned` under `key` (atomically) and drop all but the newest KEEP states; a cache folder that cannot
    be written only costs the next process a training."""
    try:
        _write(cache_dir, key, learned)
    except OSError as exc:
        log.debug("tagger cache not written to %s: %r", cache_dir, exc)
        return
    _prune(cache_dir, keep=path_for(cache_dir, key))


def _write(cache_dir: Path, key: str, learned: Learned) -> None:
    import numpy as np

    c = learned.classifier
    terms = sorted(c.columns, key=c.columns.__getitem__) if c is not None else []
    # JSON keeps floats exactly (shortest repr round-trips), so a loaded state computes bit for bit what this one does
    meta = {"format": FORMAT, "key": key, "idf": learned.idf, "centroids": learned.centroids, "trust": learned.trust,
            "learning": learned.learning, "slugs": list(c.slugs) if c is not None else None, "terms": terms}
    arrays: dict[str, Any] = {"meta": np.frombuffer(json.dumps(meta, ensure_ascii=False).encode(), dtype=np.uint8)}
    if c is not None:
        arrays.update(tfidf_idf=c.idf, weights=c.weights, bias=c.bias)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = path_for(cache_dir, key)
    tmp = cache_dir / f".{target.name}.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as f:
            f.write(buffer.getvalue())
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


# per (title, body): the text's keyword scores (topic → (points, evidence words)) and the learned scores (topic →
# points) under one trained state: what Tagger.suggest_many computes for a text, the costly part of suggesting
Content = dict[tuple[str, str], tuple[dict[str, tuple[float, list[str]]], dict[str, float]]]
CONTENT_SUFFIX = ".texts.json"


def load_content(cache_dir: Path, key: str) -> Content:
    """What the tagger of `key` computed for each untagged text last time (JSON: floats exact); {} if unreadable."""
    try:
        stored = json.loads((cache_dir / f"{PREFIX}{key}{CONTENT_SUFFIX}").read_text(encoding="utf-8"))
        if stored.get("format") != FORMAT or stored.get("key") != key:
            return {}
        return {(str(title), str(body)): ({str(s): (float(v[0]), [str(w) for w in v[1]]) for s, v in kw.items()},
                                          {str(s): float(v) for s, v in learned.items()})
                for title, body, kw, learned in stored["texts"]}
    except FileNotFoundError:
        return {}
    except Exception as exc:  # damaged: computed again
        log.debug("tagger texts of %s ignored: %r", key, exc)
        return {}


def save_content(cache_dir: Path, key: str, content: Content) -> None:
    """Store the texts' scores beside the state (atomically); they are only a shortcut, so failure is silent."""
    text = json.dumps({"format": FORMAT, "key": key,
                       "texts": [[t, b, {s: [v[0], v[1]] for s, v in kw.items()}, learned]
                                 for (t, b), (kw, learned) in content.items()]}, ensure_ascii=False)
    _write_text(cache_dir / f"{PREFIX}{key}{CONTENT_SUFFIX}", text)


def _write_text(target: Path, text: str) -> None:
    """Write a cache file atomically; the files are only shortcuts, so a folder that cannot be written is silent."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
    except OSError as exc:
        log.debug("tagger cache file not written to %s: %r", target, exc)
    finally:
        tmp.unlink(missing_ok=True)


# per (title, body): the text's keyword scores alone, which no training changes (they read the taxonomy and the
# analyzer): a save of a hand-tagged entry trains again, but the untagged texts' keyword scores are still these
Keywords = dict[tuple[str, str], dict[str, tuple[float, list[str]]]]
KEYWORDS_FILE = "tagger-keywords.json"


def keywords_key(analyzer_version: str, taxonomy: Taxonomy) -> str:
    """A hash of what Tagger._keyword_scores reads: the analyzer, jieba, the taxonomy, this code."""
    from ..corpus.load import code_version

    h = hashlib.sha256(json.dumps([FORMAT, code_version(), analyzer_version, _version("jieba")]).encode())
    h.update(repr(taxonomy).encode())
    return h.hexdigest()[:32]


def load_keywords(cache_dir: Path, key: str) -> Keywords:
    """The keyword scores stored under `key` (one file: the last run's); {} if another key or unreadable."""
    try:
        stored = json.loads((cache_dir / KEYWORDS_FILE).read_text(encoding="utf-8"))
        if stored.get("format") != FORMAT or stored.get("key") != key:
            return {}
        return {(str(title), str(body)): {str(s): (float(v[0]), [str(w) for w in v[1]]) for s, v in kw.items()}
                for title, body, kw in stored["texts"]}
    except FileNotFoundError:
        return {}
    except Exception as exc:  # damaged: computed again
        log.debug("tagger keywords ignored: %r", exc)
        return {}


def save_keywords(cache_dir: Path, key: str, keywords: Keywords) -> None:
    text = json.dumps({"format": FORMAT, "key": key,
                       "texts": [[t, b, {s: [v[0], v[1]] for s, v in kw.items()}] for (t, b), kw in keywords.items()]},
                      ensure_ascii=False)
    _write_text(cache_dir / KEYWORDS_FILE, text)


def _prune(cache_dir: Path, keep: Path) -> None:
    try:
        states = sorted(cache_dir.glob(f"{PREFIX}*{SUFFIX}"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    except OSError:
        return
    for old in [p for p in states if p != keep][KEEP - 1:]:
        try:
            old.unlink(missing_ok=True)
            old.with_name(old.name[: -len(SUFFIX)] + CONTENT_SUFFIX).unlink(missing_ok=True)
        except OSError:  # another process's, or read-only: it is only disk space
            continue
