"""The other cores (site_builder/workers.py): the same results as one process, in order, and the corpus a build
reads with them is the one it reads without."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from conftest import FIELDTEST, REPO

from site_builder import workers
from site_builder.build_cache import BuildCache
from site_builder.corpus.load import load_corpus
from site_builder.model import Settings
from site_builder.render.pages import render_site
from site_builder.search.postings import TermsMemo, doc_terms
from site_builder.structure.related import related_for


def _pid_and_square(chunk: Sequence[int]) -> list[tuple[int, int]]:
    time.sleep(0.05)  # long enough that one worker cannot take every chunk before the other starts
    return [(os.getpid(), n * n) for n in chunk]


def test_map_chunks_runs_elsewhere_and_keeps_the_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIARY_WORKERS", "2")
    monkeypatch.setattr(workers, "MIN_ITEMS", 10)
    found = workers.map_chunks(_pid_and_square, list(range(100)))
    assert [square for _, square in found] == [n * n for n in range(100)]
    pids = {pid for pid, _ in found}
    assert os.getpid() not in pids and len(pids) == 2


def test_few_items_or_one_worker_stay_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "MIN_ITEMS", 10)
    monkeypatch.setenv("DIARY_WORKERS", "2")
    assert {pid for pid, _ in workers.map_chunks(_pid_and_square, list(range(9)))} == {os.getpid()}
    monkeypatch.setenv("DIARY_WORKERS", "1")
    assert {pid for pid, _ in workers.map_chunks(_pid_and_square, list(range(100)))} == {os.getpid()}


def _copy_diaries(tmp: Path) -> Settings:
    """The sample diaries and the field test's in one folder: two hands, both scripts, private entries."""
    import shutil

    diaries = tmp / "diaries"
    shutil.copytree(REPO / "diaries", diaries)
    shutil.copytree(FIELDTEST / "diaries", diaries / "fieldtest", ignore=shutil.ignore_patterns("*.yml", "*.txt"))
    return Settings(diaries_dir=diaries, cache_dir=tmp / "cache")


def test_a_corpus_read_on_every_core_is_the_one_read_on_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _copy_diaries(tmp_path)
    monkeypatch.setenv("DIARY_WORKERS", "1")
    alone, alone_problems = load_corpus(settings, cache=BuildCache())
    monkeypatch.setenv("DIARY_WORKERS", "2")
    monkeypatch.setattr(workers, "MIN_ITEMS", 2)  # parsing, privacy verdicts and segmentation all go to workers
    calls: list[int] = []
    real = workers.map_chunks

    def counted(job, items):  # type: ignore[no-untyped-def]
        calls.append(len(items))
        return real(job, items)

    monkeypatch.setattr(workers, "map_chunks", counted)
    cache = BuildCache()
    shared, shared_problems = load_corpus(settings, cache=cache)
    assert len(calls) >= 3 and min(calls) > 100  # files, verdicts, texts
    assert shared == alone
    assert [p.format() for p in shared_problems] == [p.format() for p in alone_problems]
    analyzer = cache.analyzer(shared.taxonomy, settings)
    assert doc_terms(shared.entries, analyzer) == doc_terms(alone.entries, BuildCache().analyzer(alone.taxonomy,
                                                                                                  settings))
    # the entry pages rendered in workers (with the page memo of a server) are the pages rendered here
    related = related_for(shared, settings, analyzer)
    calls.clear()
    pages = render_site(shared, related=related, memo={})
    assert calls and max(calls) == len(shared.entries)
    monkeypatch.setenv("DIARY_WORKERS", "1")
    assert pages == render_site(shared, related=related)


def test_the_terms_memo_weighs_again_only_what_changed(tmp_path: Path) -> None:
    from dataclasses import replace

    settings = _copy_diaries(tmp_path)
    cache = BuildCache()
    corpus, _ = load_corpus(settings, cache=cache)
    analyzer = cache.analyzer(corpus.taxonomy, settings)
    memo = TermsMemo()
    first = memo.doc_terms(corpus.entries, analyzer)
    assert first == doc_terms(corpus.entries, analyzer)
    edited = list(corpus.entries)
    edited[3] = replace(edited[3], body=edited[3].body + "\n楼道里的马葫芦又堵了。")
    second = memo.doc_terms(edited, analyzer)
    assert second == doc_terms(edited, analyzer)
    assert second[3].weights != first[3].weights and "马葫芦" in second[3].weights
    # the others are the very objects weighed before (not weighed again)
    assert all(second[i].weights is first[i].weights for i in range(len(edited)) if i != 3)
