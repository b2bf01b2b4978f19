"""gcpause: the collector is paused during bulk work and always restored."""

from __future__ import annotations

import gc
from collections.abc import Iterator

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
