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
from site_builder.render.pages import PageMemo, render_site
from site_builder.search.postings import TermsMemo, doc_terms
from site_builder.search.static_index import write_static_index
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


def _slow_module_done(chunk: Sequence[int]) -> list[bool]:
    import sys

    return [bool(getattr(sys.modules.get("diary_slow_module"), "DONE", False)) for _ in chunk]


def test_a_fork_waits_for_a_background_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fork in the middle of a background import would copy its lock held: the workers see the module whole."""
    (tmp_path / "diary_slow_module.py").write_text("import time\ntime.sleep(0.5)\nDONE = True\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(__import__("sys").modules, "diary_slow_module", raising=False)
    monkeypatch.setenv("DIARY_WORKERS", "2")
    monkeypatch.setattr(workers, "MIN_ITEMS", 10)
    workers.import_in_background("diary_slow_module")
    assert workers.map_chunks(_slow_module_done, list(range(20))) == [True] * 20
    workers.import_in_background("diary_slow_module")  # imported already: nothing to wait for
    assert workers._importing == []


def _to_workers_counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Two workers for any step of two items or more; the sizes of the steps handed to them, in order."""
    monkeypatch.setenv("DIARY_WORKERS", "2")
    monkeypatch.setattr(workers, "MIN_ITEMS", 2)
    sizes: list[int] = []
    for name in ("map_chunks", "imap_chunks"):
        real = getattr(workers, name)

        def counted(job, items, real=real):  # type: ignore[no-untyped-def]
            sizes.append(len(items))
            return real(job, items)

        monkeypatch.setattr(workers, name, counted)
    return sizes


_PARENT = os.getpid()


def _dies_in_a_worker(chunk: Sequence[int]) -> list[int]:
    if os.getpid() != _PARENT:
        time.sleep(0.2)  # after every chunk was handed out (a pool broken before that is not started at all)
        os._exit(9)  # what the kernel's OOM killer does to a worker
    return [n * n for n in chunk]


def test_a_worker_that_dies_costs_time_not_the_build(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIARY_WORKERS", "2")
    monkeypatch.setattr(workers, "MIN_ITEMS", 10)
    assert workers.map_chunks(_dies_in_a_worker, list(range(50))) == [n * n for n in range(50)]
    pending = workers.start(_dies_in_a_worker, [range(5), range(5, 10)])
    assert pending is not None
    with pytest.raises(Exception, match="terminated abruptly"):
        pending.wait()


def _copy_diaries(tmp: Path) -> Settings:
    """The field test's diaries (other people's writing, both scripts) with the project's taxonomy."""
    import shutil

    diaries = tmp / "diaries"
    shutil.copytree(FIELDTEST / "diaries", diaries, ignore=shutil.ignore_patterns("*.yml", "*.txt"))
    for name in ("topics.yml", "methods.yml", "userdict.txt", "people.yml", "glossary.yml"):
        if (REPO / "diaries" / name).is_file():
            shutil.copy(REPO / "diaries" / name, diaries / name)
    return Settings(diaries_dir=diaries, cache_dir=tmp / "cache")


def test_a_corpus_read_on_every_core_is_the_one_read_on_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _copy_diaries(tmp_path)
    monkeypatch.setenv("DIARY_WORKERS", "1")
    alone, alone_problems = load_corpus(settings, cache=BuildCache())
    calls = _to_workers_counted(monkeypatch)  # parsing, privacy verdicts and segmentation all go to workers
    cache = BuildCache()
    shared, shared_problems = load_corpus(settings, cache=cache)
    assert len(calls) >= 3 and min(calls) >= 40  # files, verdicts, texts
    assert shared == alone
    assert [p.format() for p in shared_problems] == [p.format() for p in alone_problems]
    analyzer = cache.analyzer(shared.taxonomy, settings)
    assert doc_terms(shared.entries, analyzer) == doc_terms(alone.entries, BuildCache().analyzer(alone.taxonomy,
                                                                                                  settings))
    # the entry pages rendered in workers (with the page memo of a server) are the pages rendered here
    related = related_for(shared, settings, analyzer)
    calls.clear()
    pages = render_site(shared, related=related, memo=PageMemo())
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

    # a server's browser index after the save, from the postings it encoded before: the index a fresh build writes
    encoded: dict[str, tuple[list[tuple[int, int]], str]] = {}
    served, fresh = tmp_path / "served", tmp_path / "fresh"
    write_static_index(corpus, settings, served, analyzer=analyzer, terms=first, encoded=encoded)
    assert encoded
    after = replace(corpus, entries=tuple(edited))
    write_static_index(after, settings, served, analyzer=analyzer, terms=second, encoded=encoded)
    write_static_index(after, settings, fresh, analyzer=analyzer)
    files = sorted(p.relative_to(fresh) for p in fresh.rglob("*.js"))
    assert files == sorted(p.relative_to(served) for p in served.rglob("*.js"))
    assert all((fresh / f).read_bytes() == (served / f).read_bytes() for f in files)
    assert any("马葫芦".encode() in (fresh / f).read_bytes() for f in files)  # the saved text is in it


def _build_in_process(root: Path, site: Path) -> list[str]:
    """`mkdocs build` of root in this process (so the test's settings of workers apply); MkDocs' log lines."""
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    said: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            said.append(f"{record.levelname}: {record.getMessage()}")

    keep = Keep()
    logging.getLogger("mkdocs").addHandler(keep)
    try:
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site))
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
        config.plugins.on_shutdown()
    finally:
        logging.getLogger("mkdocs").removeHandler(keep)
    return said


def test_pages_converted_ahead_in_workers_are_the_pages_converted_by_mkdocs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import make_project

    entries: dict[str, str | bytes] = {p.name: p.read_text(encoding="utf-8")
                                       for p in sorted((FIELDTEST / "diaries").glob("*.md"))}
    # MkDocs' own link check on a diary body: said once, by the build process, whichever process converted the page
    entries["2021-05-06-lianjie.md"] = ("---\ndate: 2021-05-06\ntitle: 下水井又堵了\n---\n"
                                        "楼下的下水井又堵了，见[上回的记录](不存在的日记.md)。\n")
    root = make_project(tmp_path / "project", entries)
    import site_builder.plugin as plugin

    sanitised: list[int] = []  # pages sanitised by this process (the workers' calls stay in the workers)
    from site_builder.render.sanitize import sanitize_html as real_sanitize

    def sanitize(html: str) -> str:
        sanitised.append(os.getpid())
        return real_sanitize(html)

    monkeypatch.setattr(plugin, "sanitize_html", sanitize)
    monkeypatch.setenv("DIARY_WORKERS", "1")
    alone = _build_in_process(root, tmp_path / "alone")
    here_alone = sanitised.count(os.getpid())
    sanitised.clear()
    sizes = _to_workers_counted(monkeypatch)
    import mkdocs.utils

    written: list[str] = []  # files this process wrote (a worker's writes are recorded in the worker)
    real_write = mkdocs.utils.write_file

    def write(content: bytes, output_path: str) -> None:
        written.append(output_path)
        real_write(content, output_path)

    monkeypatch.setattr(mkdocs.utils, "write_file", write)
    shared = _build_in_process(root, tmp_path / "shared")
    pages = list((tmp_path / "shared").rglob("*.html"))
    # half of the prepared pages went through the theme in a worker, which wrote them
    assert 0 < sum(w.endswith(".html") for w in written) < len(pages) - 20
    # the prepared pages came back sanitised: this process sanitised only the others (the pages in the nav)
    assert sanitised.count(os.getpid()) < here_alone - len(entries)
    assert len(entries) + 5 < max(sizes)  # every generated page with HTML blocks went to the workers at once
    broken = [line for line in shared if "不存在的日记.md" in line]
    assert len(broken) == 1 and broken[0].startswith(("WARNING", "INFO")), shared
    assert sorted(shared) == sorted(alone)
    one = sorted(p.relative_to(tmp_path / "alone") for p in (tmp_path / "alone").rglob("*") if p.is_file())
    two = sorted(p.relative_to(tmp_path / "shared") for p in (tmp_path / "shared").rglob("*") if p.is_file())
    assert one == two and len(one) > 100
    assert all((tmp_path / "alone" / p).read_bytes() == (tmp_path / "shared" / p).read_bytes() for p in one)

    # the worker that templates half the pages dies: this process makes them after all, and says so
    from mkdocs.commands import build as mkdocs_build

    real_build_page, parent = mkdocs_build._build_page, os.getpid()

    def build_page(*args, **kwargs):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:
            os._exit(9)
        return real_build_page(*args, **kwargs)

    monkeypatch.setattr(mkdocs_build, "_build_page", build_page)
    rescued = _build_in_process(root, tmp_path / "rescued")
    assert any("后台进程没有完成" in line for line in rescued)
    assert all((tmp_path / "alone" / p).read_bytes() == (tmp_path / "rescued" / p).read_bytes() for p in one)


def test_a_served_page_memo_renders_again_only_what_a_save_changed(tmp_path: Path) -> None:
    from dataclasses import replace

    settings = _copy_diaries(tmp_path)
    corpus, _ = load_corpus(settings, cache=BuildCache())
    memo = PageMemo()
    first = render_site(corpus, memo=memo)
    edited = list(corpus.entries)
    edited[5] = replace(edited[5], title=edited[5].title + "（续）")
    after = replace(corpus, entries=tuple(edited))
    second = render_site(after, memo=memo)
    assert second == render_site(after)  # what a fresh build renders
    changed = {src for src in first if first[src] != second[src]}
    assert f"entries/{edited[5].id}.md" in changed and "glossary.md" not in changed
    # pages the save did not touch are the texts remembered, not rendered again
    assert second["glossary.md"].markdown is first["glossary.md"].markdown
    assert any(second[src].markdown is not first[src].markdown for src in changed)
