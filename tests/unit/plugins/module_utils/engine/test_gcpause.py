"""gcpause: the collector is paused during bulk work and always restored."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable, Iterator

import pytest

from ansible_collections.datasync.diffsync.plugins.module_utils.engine import Adapter, DiffSyncModel
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.gcpause import paused_gc, with_paused_gc


@pytest.fixture(autouse=True)
def collector_enabled() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


class Thing(DiffSyncModel):
    _modelname = "thing"
    _identifiers = ("name",)
    name: str


class Things(Adapter):
    thing = Thing
    top_level = ["thing"]  # noqa: RUF012
    seen: list[bool] = []  # noqa: RUF012

    def load(self) -> None:
        self.seen.append(gc.isenabled())
        self.add(Thing(name="a"))


def test_paused_inside_and_restored_after() -> None:
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_nested_pauses_restore_only_at_the_outermost_exit() -> None:
    with paused_gc():
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_restored_when_the_block_raises() -> None:
    with pytest.raises(RuntimeError), paused_gc():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_collector_disabled_by_the_caller_stays_disabled() -> None:
    gc.disable()
    with paused_gc():
        pass
    assert not gc.isenabled()


def test_decorator_pauses_and_keeps_the_result() -> None:
    @with_paused_gc
    def state() -> bool:
        return gc.isenabled()

    assert state() is False
    assert gc.isenabled()


def test_adapter_load_diff_and_sync_run_paused_and_restore() -> None:
    Things.seen.clear()
    source, target = Things(name="s"), Things(name="t")
    source.load()
    assert Things.seen == [False]
    assert gc.isenabled()
    target.sync_from(source)
    assert gc.isenabled()
    assert target.dict() == source.dict()


def test_load_is_wrapped_once_even_when_a_subclass_inherits_it() -> None:
    class MoreThings(Things):
        pass

    assert MoreThings.load is Things.load
    assert getattr(Things.load, "__wrapped_by_paused_gc__", False)


# -- resuming: what the pause allocated is aged without a walk ----------------------------------------------


class Node:
    """A small container object the collector tracks (and can put in a cycle)."""

    def __init__(self) -> None:
        self.other: Node | None = None


def collections_during(action: Callable[[], None]) -> list[int]:
    """Generations the collector started to collect while ``action`` ran."""
    started: list[int] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(info["generation"])

    gc.callbacks.append(record)
    try:
        action()
    finally:
        gc.callbacks.remove(record)
    return started


def test_objects_made_while_paused_are_not_walked_when_the_collector_resumes() -> None:
    kept: list[Node] = []
    gc.collect()

    def pause_then_allocate() -> None:
        with paused_gc():
            kept.extend(Node() for _ in range(20_000))  # far above the young generation's threshold
        kept.extend(Node() for _ in range(100))  # the first allocations after the pause

    assert collections_during(pause_then_allocate) == []
    assert gc.get_count()[0] < 200
    assert all(gc.is_tracked(node) for node in kept[:10])


def test_cyclic_garbage_made_while_paused_is_still_collected() -> None:
    with paused_gc():
        first, second = Node(), Node()
        first.other, second.other = second, first
        gone = weakref.ref(first)
        del first, second
    assert gone() is not None  # a cycle: only the collector can free it
    gc.collect()
    assert gone() is None


def test_objects_the_process_froze_stay_frozen() -> None:
    gc.collect()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with paused_gc():
            kept = [Node() for _ in range(1_000)]
        assert gc.get_freeze_count() == frozen
        assert kept
    finally:
        gc.unfreeze()
