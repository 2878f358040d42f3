"""The server's heap between saves (site_builder/heap.py): collected and frozen only once a build is done and the
server idle, never while a build runs, and what a later save replaced is freed at the next round."""

from __future__ import annotations

import gc
import time
import weakref
from collections.abc import Iterator

import pytest

from site_builder.heap import IdleCollector, read_to_keep


@pytest.fixture(autouse=True)
def _unfrozen() -> Iterator[None]:
    yield
    gc.unfreeze()  # the rest of the test process collects as before


class Cycle:
    def __init__(self) -> None:
        self.me = self


def _wait_for(heap: IdleCollector, rounds: int) -> None:
    deadline = time.monotonic() + 5
    while heap.rounds < rounds and time.monotonic() < deadline:
        time.sleep(0.01)


def test_an_idle_server_freezes_what_outlives_a_build_and_frees_it_once_replaced() -> None:
    heap = IdleCollector(idle_s=0.05)
    heap.build_started()
    kept = Cycle()  # a page a save will replace: in a cycle, so only a collection frees it
    gone = weakref.ref(kept)
    heap.build_done()
    _wait_for(heap, 1)
    assert heap.rounds == 1 and gc.get_freeze_count() > 0
    del kept
    gc.collect()
    assert gone() is not None  # frozen: the collections of the next save do not walk it
    heap.build_started()
    heap.build_done()
    _wait_for(heap, 2)
    assert heap.rounds == 2 and gone() is None  # the next round freed what the save let go


def test_no_collection_while_a_build_runs() -> None:
    heap = IdleCollector(idle_s=0.05)
    heap.build_done()
    heap.build_started()  # a save came before the server was idle long enough
    time.sleep(0.3)
    assert heap.rounds == 0 and gc.get_freeze_count() == 0
    heap.build_done()
    heap.stop()  # the server stops
    time.sleep(0.3)
    assert heap.rounds == 0


def test_what_a_command_reads_to_keep_is_frozen_and_the_collector_back_on() -> None:
    gc.unfreeze()
    with read_to_keep():
        assert not gc.isenabled()  # nothing read is garbage: no collection while it is read
        kept = [Cycle() for _ in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(kept)  # later collections skip them
