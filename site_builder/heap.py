"""The garbage collector where it only costs time: a large cache read from disk, and a server between saves.

`diary search` after a save reads `.cache/diary/load.pickle`, every entry of the corpus at once, and all of it lives
until the command ends; the collections that its reading and everything after it trigger walked those objects
again and again (0.24-0.30 s of GC in a 1.4-1.7 s `diary search` at 7,000 entries, 0.08 s once they are frozen).
`read_to_keep` freezes what was read: only commands that run once read that file (a server keeps its cache in
memory), and workers.py unfreezes everything once it has forked.

`mkdocs serve` keeps every entry, page, term and verdict of the last build in memory (build_cache.py), so a save
rebuilds little. But Python's garbage collector does not know which objects are long-lived: each save allocates
enough to trigger one to three full collections, and every one of them walked the whole corpus again (0.3-0.8 s of
a 4 s save at 7,000 entries). So once a build is done and the server has been idle for a moment, the garbage is
collected once and what survives is frozen (`gc.freeze`, the documented way to keep a collector away from objects
that live as long as the process): the collections during the next save walk only what that save makes.

Frozen objects are never collected, so only what outlives a build may be frozen: the collection runs after the
build's own objects are garbage (MkDocs drops them when `build` returns), never while a build runs, and it first
unfreezes the previous round, so what a save replaced (an entry's old page, in a cycle or not) is freed then.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

IDLE_S = 1.5  # after the browser has reloaded the page the save changed; the next save rarely comes sooner

log = logging.getLogger(__name__)


@contextmanager
def read_to_keep() -> Iterator[None]:
    """Around reading a large structure that lives as long as the process: no collection while it is read (nothing
    in it is garbage), and what exists afterwards is frozen (gc.freeze), so later collections skip it."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was:
            gc.enable()


class IdleCollector:
    def __init__(self, idle_s: float = IDLE_S) -> None:
        self._idle_s = idle_s
        self._lock = threading.Lock()
        self._building = False
        self._timer: threading.Timer | None = None
        self.rounds = 0  # collections made (for tests)

    def build_started(self) -> None:
        # waits for a collection already under way (it holds the lock): it must not freeze this build's objects
        with self._lock:
            self._building = True
            self._cancel()

    def build_done(self) -> None:
        with self._lock:
            self._building = False
            self._cancel()  # a build that failed before on_post_build may have left one
            self._timer = threading.Timer(self._idle_s, self._collect)
            self._timer.daemon = True
            self._timer.start()

    def stop(self) -> None:
        with self._lock:
            self._cancel()

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _collect(self) -> None:
        with self._lock:
            if self._building:
                return
            self._timer = None
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self.rounds += 1
            log.debug("heap settled: %d objects frozen", gc.get_freeze_count())
