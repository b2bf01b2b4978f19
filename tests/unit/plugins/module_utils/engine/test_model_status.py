"""model_status: statuses live in __pydantic_private__, shared read-only between objects, never edited in place."""

from __future__ import annotations

from pydantic import PrivateAttr

from ansible_collections.datasync.diffsync.plugins.module_utils.engine import DiffSyncModel, DiffSyncStatus
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.model_status import (
    mark_unknown,
    read_status,
    write_status,
)


class Port(DiffSyncModel):
    _modelname = "port"
    _identifiers = ("name",)
    name: str


class Tagged(DiffSyncModel):
    _modelname = "tagged"
    _identifiers = ("name",)
    name: str
    _tag: str = PrivateAttr(default="t")


def test_a_new_object_reads_success_without_a_private_dict() -> None:
    port = Port(name="a")
    assert port.__pydantic_private__ is None
    assert read_status(port) == (DiffSyncStatus.SUCCESS, "")


def test_objects_with_the_same_status_share_one_dict_and_change_independently() -> None:
    first, second = Port(name="a"), Port(name="b")
    first.set_status(DiffSyncStatus.SUCCESS, "Updated successfully")
    second.set_status(DiffSyncStatus.SUCCESS, "Updated successfully")
    assert first.__pydantic_private__ is second.__pydantic_private__
    first.set_status(DiffSyncStatus.ERROR, "boom")
    first._status_message = "boom, again"
    assert first.get_status() == (DiffSyncStatus.ERROR, "boom, again")
    assert second.get_status() == (DiffSyncStatus.SUCCESS, "Updated successfully")
    second._status = DiffSyncStatus.FAILURE
    assert second.get_status() == (DiffSyncStatus.FAILURE, "Updated successfully")
    assert first.get_status() == (DiffSyncStatus.ERROR, "boom, again")


def test_equality_and_copies_see_the_status() -> None:
    first, second = Port(name="a"), Port(name="a")
    first.set_status(DiffSyncStatus.ERROR, "x")
    second.set_status(DiffSyncStatus.ERROR, "x")
    assert first == second
    second.set_status(DiffSyncStatus.SUCCESS, "x")
    assert first != second
    copied = first.model_copy()
    assert copied.get_status() == (DiffSyncStatus.ERROR, "x")
    copied.set_status(DiffSyncStatus.SUCCESS)
    assert first.get_status() == (DiffSyncStatus.ERROR, "x")


def test_models_with_private_attributes_keep_their_own_dict() -> None:
    first, second = Tagged(name="a"), Tagged(name="b")
    write_status(first, DiffSyncStatus.ERROR, "e")
    write_status(second, DiffSyncStatus.ERROR, "e")
    assert first.__pydantic_private__ is not second.__pydantic_private__
    assert first._tag == "t"
    assert read_status(first) == (DiffSyncStatus.ERROR, "e")
    first._tag = "changed"
    assert second._tag == "t"


def test_many_distinct_messages_still_read_back() -> None:
    ports = [Port(name=str(i)) for i in range(400)]
    for i, port in enumerate(ports):
        port.set_status(DiffSyncStatus.ERROR, f"error {i}")
    assert [p.get_status()[1] for p in ports] == [f"error {i}" for i in range(400)]


def test_mark_unknown_sets_unknown_on_shared_unset_and_own_private_dicts() -> None:
    fresh, shared, own = Port(name="a"), Port(name="b"), Tagged(name="c")
    shared.set_status(DiffSyncStatus.SUCCESS, "Created successfully")
    own.set_status(DiffSyncStatus.ERROR, "e")
    other = Port(name="d")
    other.set_status(DiffSyncStatus.SUCCESS, "Created successfully")
    mark_unknown([fresh, shared, own])
    assert [read_status(obj) for obj in (fresh, shared, own)] == [(DiffSyncStatus.UNKNOWN, "")] * 3
    assert fresh.__pydantic_private__ is shared.__pydantic_private__  # one shared read-only dict
    assert own._tag == "t" and own.__pydantic_private__ is not fresh.__pydantic_private__
    assert read_status(other) == (DiffSyncStatus.SUCCESS, "Created successfully")  # the shared dict was not edited
