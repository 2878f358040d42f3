"""The machine's other cores for the few steps of a cold build that do the same pure work on every entry.

A college's first build segments every text of 100,000 entries; one core does it while the other waits. Here a step
hands its items to forked worker processes, which inherit what the parent has already loaded (jieba's dictionary)
instead of loading it again, and return plain values (lists of strings) in the order given. The results are the
ones the step computes alone: the same function on the same input, only elsewhere.

Forking is what makes this cheap, and it is safe only where the libraries expect it: Linux (a college's build
server; macOS forks badly once its system libraries are loaded, Windows has no fork). There, or with one core, or too
few items to repay starting the processes, or when a pool cannot be made or a worker dies (a daemon process, out of
memory: concurrent.futures reports a killed worker where multiprocessing.Pool would wait forever), the step simply
runs here. `DIARY_WORKERS=1` forces that (benchmarks of one core; tests comparing both ways).
"""

from __future__ import annotations

import gc
import importlib
import logging
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# below this many items the work takes about as long as forking a build process (~0.1 s at 300 MB) and
# shipping the results back
MIN_ITEMS = 2000
MAX_WORKERS = 4  # the steps are short; more processes only copy more of the parent's memory
CHUNKS_PER_WORKER = 4  # uneven chunks (long and short texts) even out

log = logging.getLogger(__name__)
_job: Callable[[Sequence[object]], list[object]] | None = None  # set before the fork: the workers inherit it
_importing: list[threading.Thread] = []  # import_in_background's threads, until a fork waits for them


def worker_count() -> int:
    wanted = os.environ.get("DIARY_WORKERS", "")
    count = int(wanted) if wanted.isdigit() and int(wanted) > 0 else min(os.cpu_count() or 1, MAX_WORKERS)
    if count > 1 and not sys.platform.startswith("linux"):
        return 1
    return count


def _run(chunk: Sequence[object]) -> list[object]:
    assert _job is not None, "a worker without its job"
    return _job(chunk)


def _pool(count: int) -> ProcessPoolExecutor:
    # forked while _job is set: ProcessPoolExecutor starts its processes as chunks are submitted, all of them in the
    # caller's submitting loop below. The callers freeze the garbage collector's generations around the fork:
    # otherwise a worker's first collection writes into every object the build holds, and the kernel copies each
    # of those memory pages into the worker (seconds of CPU and hundreds of MB at 20,000 entries)
    return ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("fork"))


def _workers_for(items: Sequence[object]) -> int:
    """How many workers a step of these items gets: 0 (do it here) below MIN_ITEMS or with one core."""
    count = worker_count()
    return count if count > 1 and len(items) >= MIN_ITEMS else 0


def import_in_background(*modules: str) -> None:
    """Import `modules` in a thread, for a process that is about to sit idle (a server waiting for a save) and
    will need them then: scikit-learn takes about a second to import, which the first save would otherwise wait
    for. A module that fails to import is left for its user to import (and report)."""
    missing = [m for m in modules if m not in sys.modules]
    if not missing:
        return

    def run() -> None:
        for module in missing:
            try:
                importlib.import_module(module)
            except Exception as exc:
                log.debug("background import of %s failed: %r", module, exc)
                return

    thread = threading.Thread(target=run, name="diary-import", daemon=True)
    thread.start()
    _importing.append(thread)


def _imports_done() -> None:
    # a fork copies the state other threads are in: a half-done import holds its module's lock, and a worker that
    # imported the same module would wait for that lock forever
    while _importing:
        _importing.pop().join()


def _submit(job: Callable[[Sequence[T]], list[R]], chunks: Sequence[Sequence[T]],
            count: int) -> tuple[ProcessPoolExecutor, list[Future[list[R]]]]:
    global _job
    _imports_done()
    _job = job  # type: ignore[assignment]  # the workers call it with their chunks
    gc.freeze()  # see _pool
    try:
        pool = _pool(count)
        return pool, [pool.submit(_run, chunk) for chunk in chunks]  # type: ignore[arg-type]
    finally:
        _job = None
        gc.unfreeze()


def imap_chunks(job: Callable[[Sequence[T]], list[R]], items: Sequence[T]) -> Iterator[R]:
    """`job(items)`, computed chunk by chunk in worker processes when that pays: one result per item, in order,
    each chunk's as it is done (so the caller can let go of what it replaces before the next arrives). `job` must be
    pure (its results the same wherever it runs) and return picklable values. A worker's failure is raised to the
    caller, mid-way."""
    count = _workers_for(items)
    if not count:
        yield from job(items)
        return
    size = -(-len(items) // (count * CHUNKS_PER_WORKER))
    pool, futures = _submit(job, [items[i:i + size] for i in range(0, len(items), size)], count)
    with pool:
        for future in futures:
            yield from future.result()


def map_chunks(job: Callable[[Sequence[T]], list[R]], items: Sequence[T]) -> list[R]:
    """imap_chunks as a list; where no pool can be made or a worker dies, the same work in this process."""
    if not _workers_for(items):
        return job(items)
    try:
        return list(imap_chunks(job, items))
    except Exception as exc:  # no pool here (daemon, no memory), or a worker died
        log.debug("worker processes not used: %r", exc)
        return job(items)


class Pending:
    """Chunks handed to worker processes that work while this process goes on (`start`); `wait` for their results."""

    def __init__(self, pool: ProcessPoolExecutor, futures: list[Future[list[object]]]) -> None:
        self._pool, self._futures = pool, futures

    def wait(self) -> list[object]:
        """Every chunk's result, in order; a worker's exception (or its death) is raised here."""
        try:
            return [result for f in self._futures for result in f.result()]
        finally:
            self._pool.shutdown()

    def cancel(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def start(job: Callable[[Sequence[T]], list[R]], chunks: Sequence[Sequence[T]]) -> Pending | None:
    """Run `job` on each chunk in worker processes (one fewer than the cores: this process works on beside them)
    while the caller goes on; None when there is no second core, no fork or no pool (the caller does it all)."""
    count = worker_count() - 1
    if count < 1 or not chunks:
        return None
    try:
        pool, futures = _submit(job, chunks, count)
    except Exception as exc:
        log.debug("worker processes not used: %r", exc)
        return None
    return Pending(pool, futures)  # type: ignore[arg-type]
