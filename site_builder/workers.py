"""The machine's other cores for the few steps of a cold build that do the same pure work on every entry.

A college's first build segments every text of 100,000 entries; one core does it while the other waits. Here a step
hands its items to forked worker processes, which inherit what the parent has already loaded (jieba's dictionary)
instead of loading it again, and return plain values (lists of strings) in the order given. The results are the
ones the step computes alone: the same function on the same input, only elsewhere.

Forking is what makes this cheap, so where there is no fork (Windows) or only one core, or too few items to repay
starting the processes, or a pool cannot be made (a daemon process, no memory), the step simply runs here.
`DIARY_WORKERS=1` forces that (benchmarks of one core; tests comparing both ways).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# below this many items the work takes about as long as forking a build process (~0.1 s at 300 MB) and
# shipping the results back
MIN_ITEMS = 2000
MAX_WORKERS = 4  # the steps are short; more processes only copy more of the parent's memory
CHUNKS_PER_WORKER = 4  # uneven chunks (long and short texts) even out

log = logging.getLogger(__name__)
_job: Callable[[Sequence[object]], list[object]] | None = None  # set before the fork: the workers inherit it


def worker_count() -> int:
    wanted = os.environ.get("DIARY_WORKERS", "")
    count = int(wanted) if wanted.isdigit() and int(wanted) > 0 else min(os.cpu_count() or 1, MAX_WORKERS)
    if count > 1 and "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return count


def _run(chunk: Sequence[object]) -> list[object]:
    assert _job is not None, "a worker without its job"
    return _job(chunk)


def map_chunks(job: Callable[[Sequence[T]], list[R]], items: Sequence[T]) -> list[R]:
    """`job(items)`, computed chunk by chunk in worker processes when that pays: one result per item, in order.
    `job` must be pure (its results the same wherever it runs) and return picklable values."""
    global _job
    count = worker_count()
    if count < 2 or len(items) < MIN_ITEMS:
        return job(items)
    size = -(-len(items) // (count * CHUNKS_PER_WORKER))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    _job = job  # type: ignore[assignment]  # the workers call it with their chunks of the same items
    try:
        with multiprocessing.get_context("fork").Pool(count) as pool:
            parts = pool.map(_run, chunks)
    except Exception as exc:  # no pool here (daemon, no memory, no fork): the same work, in this process
        log.debug("worker processes not used: %r", exc)
        return job(items)
    finally:
        _job = None
    return [result for part in parts for result in part]  # type: ignore[misc]


class Pending:
    """Chunks handed to worker processes that work while this process goes on (`start`); `wait` for their results."""

    def __init__(self, pool: Any, result: Any) -> None:
        self._pool, self._result = pool, result

    def wait(self) -> list[object]:
        """Every chunk's result, in order; a worker's exception is raised here."""
        try:
            parts = self._result.get()
        finally:
            self._pool.close()
            self._pool.join()
        return [result for part in parts for result in part]

    def cancel(self) -> None:
        self._pool.terminate()
        self._pool.join()


def start(job: Callable[[Sequence[T]], list[R]], chunks: Sequence[Sequence[T]]) -> Pending | None:
    """Run `job` on each chunk in worker processes (one fewer than the cores: this process works on beside them)
    while the caller goes on; None when there is no second core, no fork or no pool (the caller does it all)."""
    global _job
    count = worker_count() - 1
    if count < 1 or not chunks:
        return None
    _job = job  # type: ignore[assignment]  # inherited at the fork, in Pool()
    try:
        pool = multiprocessing.get_context("fork").Pool(count)
        return Pending(pool, pool.map_async(_run, chunks))
    except Exception as exc:
        log.debug("worker processes not used: %r", exc)
        return None
    finally:
        _job = None
