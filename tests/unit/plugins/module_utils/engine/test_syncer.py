"""The syncer beyond diffsync: no per-element state on self, a report of every operation, known state on errors."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.datasync.diffsync.plugins.module_utils.engine import (
    Adapter,
    DiffSyncFlags,
    DiffSyncModel,
    DiffSyncStatus,
)
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.exceptions import (
    ObjectAlreadyExists,
    ObjectNotCreated,
    ObjectNotDeleted,
    ObjectNotUpdated,
)
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.helpers import DiffSyncSyncer
from ansible_collections.datasync.diffsync.tests.unit.plugins.module_utils.engine.engine_models import (
    RETURN_NONE,
    SOURCE,
    FaultyDevice,
    FaultyNetwork,
    Network,
    contents,
    pair,
    uids,
)

CONTINUE = DiffSyncFlags.CONTINUE_ON_FAILURE


def faulty_pair(**faults: Any) -> tuple[FaultyNetwork, FaultyNetwork]:
    """(source, target); ``faults`` maps ``"<action> <unique id>"`` to an exception or RETURN_NONE."""
    source, target = pair(FaultyNetwork)
    target.faults.update({tuple(key.split(" ")): value for key, value in faults.items()})  # type: ignore[attr-defined]
    return source, target  # type: ignore[return-value]


def ops(adapter: Adapter) -> list[tuple[str, str, str, str]]:
    """(action, model, unique id, status) of every operation in the adapter's last sync report."""
    assert adapter.sync_report is not None
    return [(op.action, op.model, op.unique_id, op.status) for op in adapter.sync_report.operations]


# -- no per-element state on the syncer ----------------------------------------------------------------------


def test_syncer_keeps_no_per_element_state_on_itself() -> None:
    source, target = faulty_pair()
    syncer = DiffSyncSyncer(diff=target.diff_from(source), src_diffsync=source, dst_diffsync=target,
                            flags=DiffSyncFlags.NONE)
    before = dict(vars(syncer))
    seen: list[set[str]] = []
    target.on_call = lambda action, uid: seen.append(set(vars(syncer)))
    assert syncer.perform_sync() is True
    assert len(seen) == len(target.calls) == 7
    assert all(names == set(before) for names in seen)  # nothing added while elements are processed
    after = vars(syncer)
    assert set(after) == set(before)
    assert {name for name in before if after[name] is not before[name]} <= {"elements_processed"}
    assert contents(target) == SOURCE


def test_a_sync_started_inside_a_model_create_does_not_disturb_the_outer_sync() -> None:
    baseline_source, baseline_target = faulty_pair()
    baseline_target.sync_from(baseline_source)
    expected_report = [op.as_dict() for op in baseline_target.sync_report.operations]  # type: ignore[union-attr]

    source, target = faulty_pair()
    inner_source, inner_target = pair(Network)
    inner_reports = []

    def nested(action: str, uid: str) -> None:
        if (action, uid) in {("create", "r3"), ("create", "r1__eth1")}:  # a top-level element and a child
            inner_target.sync_from(inner_source)
            inner_reports.append(inner_target.sync_report)

    target.on_call = nested
    target.sync_from(source)
    assert contents(target) == SOURCE
    assert uids(target) == uids(source)
    assert [op.as_dict() for op in target.sync_report.operations] == expected_report  # type: ignore[union-attr]
    assert contents(inner_target) == SOURCE
    assert len(inner_reports[0].operations) == 7  # type: ignore[union-attr]
    assert inner_reports[1].operations == []  # type: ignore[union-attr]  # already in sync the second time


# -- the report of a sync with CONTINUE_ON_FAILURE ------------------------------------------------------------


def test_report_lists_every_attempted_operation_with_its_outcome() -> None:
    source, target = faulty_pair(**{
        "create r1__eth1": ObjectNotCreated("no free port"),
        "delete r1__eth2": RETURN_NONE,
        "delete r4": ObjectNotDeleted("device busy"),
    })
    target.sync_from(source, flags=CONTINUE)
    report = target.sync_report
    assert report is not None
    r1_eth1 = {"device_name": "r1", "name": "eth1"}
    r1_eth2 = {"device_name": "r1", "name": "eth2"}
    assert [op.as_dict() for op in report.operations] == [
        {"action": "update", "model": "device", "unique_id": "r1", "keys": {"name": "r1"},
         "attrs": {"os": "ios-17"}, "status": "success", "message": "Updated successfully", "error": None},
        {"action": "create", "model": "interface", "unique_id": "r1__eth1", "keys": r1_eth1,
         "attrs": {"description": "access"}, "status": "error", "message": "no free port",
         "error": "ObjectNotCreated: no free port"},
        {"action": "delete", "model": "interface", "unique_id": "r1__eth2", "keys": r1_eth2, "attrs": {},
         "status": "failure", "message": "interface delete did not return the model object.", "error": None},
        {"action": "create", "model": "device", "unique_id": "r3", "keys": {"name": "r3"},
         "attrs": {"os": "junos"}, "status": "success", "message": "Created successfully", "error": None},
        {"action": "create", "model": "interface", "unique_id": "r3__ge0", "keys": {"device_name": "r3", "name": "ge0"},
         "attrs": {"description": "core"}, "status": "success", "message": "Created successfully", "error": None},
        {"action": "delete", "model": "device", "unique_id": "r4", "keys": {"name": "r4"}, "attrs": {},
         "status": "error", "message": "device busy", "error": "ObjectNotDeleted: device busy"},
    ]
    assert [op.unique_id for op in report.failures] == ["r1__eth1", "r1__eth2", "r4"]
    assert [op.unique_id for op in report.applied] == ["r1", "r3", "r3__ge0"]


def test_report_matches_what_the_target_holds_after_failures() -> None:
    source, target = faulty_pair(**{
        "create r1__eth1": ObjectNotCreated("no free port"),
        "delete r1__eth2": RETURN_NONE,
        "delete r4": ObjectNotDeleted("device busy"),
    })
    target.sync_from(source, flags=CONTINUE)
    assert contents(target) == {
        "r1": {"os": "ios-17", "interfaces": {"eth0": "uplink", "eth2": "spare"}},
        "r2": SOURCE["r2"],
        "r3": SOURCE["r3"],
        "r4": {"os": "nxos", "interfaces": {"eth0": "old"}},
    }
    assert ("delete", "r4__eth0") not in target.calls  # children of a failed element are skipped


def test_report_entries_are_independent_of_the_diff_and_the_models() -> None:
    source, target = faulty_pair()
    diff = target.diff_from(source)
    target.sync_from(source, diff=diff)
    first = target.sync_report.operations[0]  # type: ignore[union-attr]
    first.keys["name"] = "changed"
    first.attrs["os"] = "changed"
    element = next(diff.get_children())
    assert element.keys == {"name": "r1"}
    assert element.get_attrs_diffs()["+"] == {"os": "ios-17"}


def test_report_keeps_the_attrs_the_diff_asked_for_when_a_model_changes_its_copy() -> None:
    class GreedyDevice(FaultyDevice):
        def update(self, attrs: dict) -> Any:
            result = super().update(attrs=attrs)
            attrs.clear()
            return result

        @classmethod
        def create(cls, adapter: Any, ids: dict, attrs: dict) -> Any:
            result = super().create(adapter=adapter, ids=ids, attrs=attrs)
            attrs["os"] = "mangled"
            return result

    class GreedyNetwork(FaultyNetwork):
        device = GreedyDevice

    source, target = pair(GreedyNetwork)
    target.sync_from(source)
    devices = {op.unique_id: op.attrs for op in target.sync_report.operations if op.model == "device"}  # type: ignore[union-attr]
    assert devices == {"r1": {"os": "ios-17"}, "r3": {"os": "junos"}, "r4": {}}


@pytest.mark.parametrize("action_uid", ["create r3", "update r1", "delete r4", "create r1__eth1"])
def test_model_returning_none_is_a_failure_even_without_continue_on_failure(action_uid: str) -> None:
    source, target = faulty_pair(**{action_uid: RETURN_NONE})
    target.sync_from(source)
    action, uid = action_uid.split(" ")
    failures = target.sync_report.failures  # type: ignore[union-attr]
    assert [(op.action, op.unique_id, op.status) for op in failures] == [(action, uid, "failure")]
    assert "did not return the model object" in failures[0].message


def test_update_that_returns_the_model_without_setting_a_status_is_applied() -> None:
    class QuietDevice(FaultyDevice):
        def update(self, attrs: dict) -> Any:
            for name, value in attrs.items():
                setattr(self, name, value)
            return self  # no set_status(): diffsync examples often do this

    class QuietNetwork(FaultyNetwork):
        device = QuietDevice

    source, target = pair(QuietNetwork)
    target.sync_from(source)
    assert contents(target) == SOURCE
    report = target.sync_report
    assert report is not None
    assert ("update", "r1") in [(op.action, op.unique_id) for op in report.applied]
    assert report.failures == []


# -- a CRUD exception without CONTINUE_ON_FAILURE -----------------------------------------------------------


@pytest.mark.parametrize(("action_uid", "error"), [
    ("create r1__eth1", ObjectNotCreated("no free port")),
    ("update r1", ObjectNotUpdated("locked")),
    ("delete r4", ObjectNotDeleted("device busy")),
])
def test_crud_exception_propagates_with_the_report_and_a_note(action_uid: str, error: Exception) -> None:
    source, target = faulty_pair(**{action_uid: error})
    with pytest.raises(type(error)) as caught:
        target.sync_from(source)
    assert caught.value is error
    action, uid = action_uid.split(" ")
    report = caught.value.sync_report  # type: ignore[attr-defined]
    assert report is target.sync_report
    assert report is not None
    assert (report.operations[-1].action, report.operations[-1].unique_id) == (action, uid)
    assert report.operations[-1].status == "error"
    notes = caught.value.__notes__
    assert len(notes) == 1
    assert f"while syncing {action} of " in notes[0]
    applied = report.applied
    expected = f"{len(applied)} operation(s) applied" if applied else "no operation was applied"
    assert expected in notes[0]


def test_crud_exception_note_names_the_element_type_name_and_keys() -> None:
    source, target = faulty_pair(**{"create r1__eth1": ObjectNotCreated("no free port")})
    with pytest.raises(ObjectNotCreated) as caught:
        target.sync_from(source)
    (note,) = caught.value.__notes__
    assert "create of interface 'eth1'" in note
    assert "{'device_name': 'r1', 'name': 'eth1'}" in note
    assert "1 operation(s) applied, the last: update device 'r1'" in note


# -- any other exception from a model: original type, named element, known state ------------------------------

OTHER_ERRORS = [ValueError("bad value"), RuntimeError("API down"), KeyError("missing")]


def fresh(error: Exception) -> Exception:
    return type(error)(*error.args)


@pytest.mark.parametrize("flags", [DiffSyncFlags.NONE, CONTINUE], ids=["plain", "continue_on_failure"])
@pytest.mark.parametrize("error", OTHER_ERRORS, ids=lambda e: type(e).__name__)
def test_other_exception_propagates_with_its_type_the_element_and_the_report(
    error: Exception, flags: DiffSyncFlags
) -> None:
    error = fresh(error)
    source, target = faulty_pair(**{"create r3__ge0": error})
    with pytest.raises(type(error)) as caught:
        target.sync_from(source, flags=flags)
    assert caught.value is error
    assert type(caught.value) is type(error)
    (note,) = caught.value.__notes__
    assert "create of interface 'ge0'" in note
    assert "(keys {'device_name': 'r3', 'name': 'ge0'})" in note
    assert "4 operation(s) applied, the last: create device 'r3'" in note
    report = caught.value.sync_report  # type: ignore[attr-defined]
    assert report is target.sync_report
    assert report is not None
    assert [(op.action, op.unique_id) for op in report.applied] == [
        ("update", "r1"), ("create", "r1__eth1"), ("delete", "r1__eth2"), ("create", "r3")]


@pytest.mark.parametrize("error", OTHER_ERRORS, ids=lambda e: type(e).__name__)
def test_other_exception_leaves_exactly_the_applied_operations_in_the_target(error: Exception) -> None:
    source, target = faulty_pair(**{"create r3__ge0": fresh(error)})
    with pytest.raises(type(error)):
        target.sync_from(source)
    assert uids(target) == {
        "device": ["r1", "r2", "r3", "r4"],
        "interface": ["r1__eth0", "r1__eth1", "r2__eth0", "r4__eth0"],
    }
    assert target.get("device", "r3").interfaces == []  # type: ignore[attr-defined]  # no half-added child
    assert target.get("device", "r1").interfaces == ["r1__eth0", "r1__eth1"]  # type: ignore[attr-defined]
    assert target.get("device", "r1").os == "ios-17"  # type: ignore[attr-defined]


def test_other_exception_in_the_first_operation_says_nothing_was_applied() -> None:
    source, target = faulty_pair(**{"update r1": RuntimeError("API down")})
    with pytest.raises(RuntimeError) as caught:
        target.sync_from(source)
    (note,) = caught.value.__notes__
    assert "update of device 'r1' (keys {'name': 'r1'})" in note
    assert "no operation was applied" in note
    report = caught.value.sync_report  # type: ignore[attr-defined]
    assert report.applied == []
    assert [(op.action, op.unique_id, op.status, op.error) for op in report.operations] == [
        ("update", "r1", "error", "RuntimeError: API down")]
    assert uids(target) == uids(pair(Network)[1])


def test_exception_is_annotated_once_not_by_every_ancestor_element() -> None:
    source, target = faulty_pair(**{"create r3__ge0": ValueError("bad value")})
    with pytest.raises(ValueError, match="bad value") as caught:
        target.sync_from(source)
    assert len(caught.value.__notes__) == 1


# -- errors raised by the engine itself after a model call must not leave the report wrong ------------------


def not_in_target(target: Adapter, report: Any) -> list[str]:
    """Unique ids of creates the report lists as applied that the target does not hold."""
    return [op.unique_id for op in report.applied
            if op.action == "create" and target.get_or_none(op.model, op.unique_id) is None]


class Switch(DiffSyncModel):
    _modelname = "switch"
    _identifiers = ("serial",)
    _shortname = ("hostname",)
    _attributes = ("hostname",)

    serial: str
    hostname: str


class Fabric(Adapter):
    switch = Switch
    top_level = ["switch"]  # noqa: RUF012 - declared as diffsync users do


def test_a_create_refused_by_the_store_is_not_reported_as_applied() -> None:
    source, target = Fabric(name="source"), Fabric(name="target")
    source.add(Switch(serial="SN2", hostname="leaf1"))
    target.add(Switch(serial="SN1", hostname="leaf1"))  # same shortname, so the store refuses SN2
    with pytest.raises(ObjectAlreadyExists) as caught:
        target.sync_from(source, flags=DiffSyncFlags.SKIP_UNMATCHED_DST)
    assert [obj.get_unique_id() for obj in target.get_all("switch")] == ["SN1"]
    assert not_in_target(target, caught.value.sync_report) == []  # type: ignore[attr-defined]


def test_a_child_refused_by_its_parent_is_not_reported_as_applied() -> None:
    source, target = pair(Network)
    stray = Network.interface(device_name="elsewhere", name="eth0", description="x")
    source.add(stray)
    source.get("device", "r2").interfaces = ["elsewhere__eth0"]
    # target r2 has r2__eth0: same shortname "eth0" under r2; SKIP_UNMATCHED_DST keeps it from being deleted
    with pytest.raises(ObjectAlreadyExists) as caught:
        target.sync_from(source, flags=DiffSyncFlags.SKIP_UNMATCHED_DST)
    assert target.get_or_none("interface", "elsewhere__eth0") is None
    assert "elsewhere__eth0" not in target.get("device", "r2").interfaces  # type: ignore[attr-defined]
    assert not_in_target(target, caught.value.sync_report) == []  # type: ignore[attr-defined]


# -- unchanged subtrees are walked without store lookups ---------------------------------------------------------


class CountingNetwork(Network):
    lookups: int = 0

    def get_or_none(self, obj: Any, identifier: Any) -> Any:
        type(self).lookups += 1
        return super().get_or_none(obj, identifier)


def test_unchanged_subtrees_need_no_lookups_but_are_marked_and_counted_as_diffsync_does() -> None:
    source, target = pair(CountingNetwork)
    target.sync_from(source)  # converge first: afterwards nothing is left to change
    diff = target.diff_from(source)
    assert not diff.has_diffs()
    progress: list[tuple[str, int, int]] = []
    CountingNetwork.lookups = 0
    target.sync_from(source, diff=diff, callback=lambda *args: progress.append(args))
    assert CountingNetwork.lookups == 0
    assert [current for _stage, current, _total in progress] == list(range(1, len(diff) + 1))
    statuses = {obj.get_status()[0] for name in ("device", "interface") for obj in target.get_all(name)}
    assert statuses == {DiffSyncStatus.UNKNOWN}


def test_log_unchanged_records_keeps_the_full_walk() -> None:
    source, target = pair(CountingNetwork)
    target.sync_from(source)
    diff = target.diff_from(source)
    CountingNetwork.lookups = 0
    target.sync_from(source, diff=diff, flags=DiffSyncFlags.LOG_UNCHANGED_RECORDS)
    assert CountingNetwork.lookups == len(diff)


# -- the quick path for unchanged objects keeps what diffsync's walk does -------------------------------------


def test_every_unchanged_destination_object_ends_with_status_unknown() -> None:
    source, target = pair()
    for obj in target.get_all("interface") + target.get_all("device"):
        obj.set_status(DiffSyncStatus.SUCCESS, "before")
    target.sync_from(source)
    unchanged = [target.get("device", "r2"), target.get("interface", "r2__eth0"), target.get("interface", "r1__eth0")]
    assert all(obj.get_status() == (DiffSyncStatus.UNKNOWN, "") for obj in unchanged)
    assert target.get("device", "r1").get_status() == (DiffSyncStatus.SUCCESS, "Updated successfully")


def test_models_overriding_set_status_are_called_for_unchanged_objects() -> None:
    calls: list[tuple[str, Any]] = []

    class LoudInterface(Network.interface):  # type: ignore[name-defined,misc]
        def set_status(self, status: DiffSyncStatus, message: str = "") -> None:
            calls.append((self.get_unique_id(), status))
            super().set_status(status, message)

    class LoudNetwork(Network):
        interface = LoudInterface

    source, target = pair(LoudNetwork)
    target.sync_from(source)
    assert ("r1__eth0", DiffSyncStatus.UNKNOWN) in calls  # an unchanged child of a changed device
    assert ("r2__eth0", DiffSyncStatus.UNKNOWN) in calls  # a child of an unchanged device


def test_a_set_status_assigned_to_a_class_after_a_sync_is_called_by_the_next_one() -> None:
    class LateInterface(Network.interface):  # type: ignore[name-defined,misc]
        pass

    class LateNetwork(Network):
        interface = LateInterface

    source, target = pair(LateNetwork)
    target.sync_from(source)
    calls: list[str] = []
    original = LateInterface.set_status

    def counting(self: Any, status: DiffSyncStatus, message: str = "") -> None:
        calls.append(self.get_unique_id())
        original(self, status, message)

    LateInterface.set_status = counting  # type: ignore[method-assign]
    target.sync_from(source)  # nothing left to change: every object is an unchanged one
    assert "r2__eth0" in calls


def test_an_error_setting_the_status_of_an_unchanged_leaf_names_that_leaf_once() -> None:
    class StuckInterface(Network.interface):  # type: ignore[name-defined,misc]
        def set_status(self, status: DiffSyncStatus, message: str = "") -> None:
            if self.get_unique_id() == "r2__eth0":
                raise RuntimeError("status store is read-only")
            super().set_status(status, message)

    class StuckNetwork(Network):
        interface = StuckInterface

    source, target = pair(StuckNetwork)
    with pytest.raises(RuntimeError, match="read-only") as caught:
        target.sync_from(source)
    notes = caught.value.__notes__
    assert len(notes) == 1
    assert "no-change of interface 'eth0'" in notes[0]
    assert "'device_name': 'r2'" in notes[0]
    assert caught.value.sync_report is target.sync_report  # type: ignore[attr-defined]


def test_progress_counts_every_element_with_or_without_a_callback() -> None:
    seen: list[int] = []
    for callback in (None, lambda stage, done, total: seen.append(done)):
        source, target = pair()
        diff = target.diff_from(source)
        syncer = DiffSyncSyncer(diff=diff, src_diffsync=source, dst_diffsync=target, flags=DiffSyncFlags.NONE,
                                callback=callback)
        syncer.perform_sync()
        assert syncer.elements_processed == len(diff)
    assert seen[-1] == len(diff)


def test_an_unchanged_parent_with_a_changed_child_is_not_looked_up_again() -> None:
    source, target = pair()
    source.get("interface", "r2__eth0").description = "renamed uplink"
    diff = target.diff_from(source)
    looked_up: list[str] = []
    original = target.get_or_none

    def counting(obj: Any, identifier: Any) -> Any:
        looked_up.append(identifier)
        return original(obj, identifier)

    target.get_or_none = counting  # type: ignore[method-assign]
    target.sync_from(source, diff=diff)
    assert "r2" not in looked_up and "r2__eth0" in looked_up  # only the element with something to do
    assert target.get("device", "r2").get_status() == (DiffSyncStatus.UNKNOWN, "")
    assert target.get("interface", "r2__eth0").get_status() == (DiffSyncStatus.SUCCESS, "Updated successfully")
    assert target.get("interface", "r2__eth0").description == "renamed uplink"
    assert not target.diff_from(source).has_diffs()


def test_an_error_mid_walk_leaves_the_unchanged_leaves_before_it_marked_and_counted() -> None:
    source, target = faulty_pair(**{"create r1__eth1": RuntimeError("backend down")})
    for obj in target.get_all("interface"):
        obj.set_status(DiffSyncStatus.SUCCESS, "before")
    diff = target.diff_from(source)
    r1 = next(element for element in diff.get_children() if element.name == "r1")
    assert [child.name for child in r1.get_children()][:2] == ["eth0", "eth1"]  # eth0 (unchanged) comes first
    syncer = DiffSyncSyncer(diff=diff, src_diffsync=source, dst_diffsync=target, flags=DiffSyncFlags.NONE)
    with pytest.raises(RuntimeError, match="backend down"):
        syncer.perform_sync()
    assert syncer.elements_processed == 2  # r1 (updated) and its unchanged eth0, as one call per element counts
    assert target.get("interface", "r1__eth0").get_status() == (DiffSyncStatus.UNKNOWN, "")
    assert target.get("interface", "r2__eth0").get_status() == (DiffSyncStatus.SUCCESS, "before")  # not reached
