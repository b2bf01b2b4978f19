"""Records -> objects: nested and separate children, linking, merging and the error messages."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.datasync.diffsync.plugins.module_utils.engine import Adapter
from ansible_collections.datasync.diffsync.plugins.plugin_utils.errors import DiffsyncTaskError
from ansible_collections.datasync.diffsync.plugins.plugin_utils.records import (
    MAX_REPORTED_ERRORS,
    describe,
    items_from_data,
    load_items,
    plain,
)
from ansible_collections.datasync.diffsync.plugins.plugin_utils.schema import build_adapter_class, normalize_schema


@pytest.fixture
def adapter_class(schema: dict[str, Any]) -> type[Adapter]:
    return build_adapter_class(normalize_schema(schema))


def _load(adapter_class: type[Adapter], data: Any, *, merge: bool = False, adapter: Adapter | None = None) -> Adapter:
    adapter = adapter or adapter_class(name="test")
    infos = describe(adapter_class)
    load_items(adapter, items_from_data(data, infos, origin="data"), infos, merge=merge)
    return adapter


def _error(adapter_class: type[Adapter], data: Any) -> str:
    with pytest.raises(DiffsyncTaskError) as caught:
        _load(adapter_class, data)
    return str(caught.value)


def test_describe_orders_parents_first_and_knows_the_parent_keys(adapter_class: type[Adapter]) -> None:
    infos = describe(adapter_class)
    assert list(infos) == ["device", "interface"]
    assert infos["interface"].parent == "device"
    assert infos["interface"].parent_keys == {"name": "device_name"}
    assert infos["device"].fields == ("name", "site", "role", "interfaces")


def test_nested_and_separate_children_are_linked(adapter_class: type[Adapter], source_data: dict) -> None:
    adapter = _load(adapter_class, source_data)
    assert adapter.get("device", "sw1").interfaces == ["sw1__eth0", "sw1__eth1"]
    assert adapter.get("device", "sw2").interfaces == ["sw2__eth0"]
    assert adapter.get("interface", "sw1__eth0").device_name == "sw1"


def test_children_listed_before_their_parent_in_the_data_still_link(adapter_class: type[Adapter]) -> None:
    adapter = _load(adapter_class, {"interface": [{"device_name": "sw1", "name": "eth0"}], "device": [{"name": "sw1"}]})
    assert adapter.get("device", "sw1").interfaces == ["sw1__eth0"]


def test_children_ids_as_strings_are_accepted_when_they_match(adapter_class: type[Adapter]) -> None:
    data = {"device": [{"name": "sw1", "interfaces": ["sw1__eth0"]}],
            "interface": [{"device_name": "sw1", "name": "eth0"}]}
    assert _load(adapter_class, data).get("device", "sw1").interfaces == ["sw1__eth0"]
    data["interface"] = []
    assert "interfaces lists 'sw1__eth0', but no interface record has that unique id" in _error(adapter_class, data)


def test_error_names_model_position_keys_field_and_value(adapter_class: type[Adapter]) -> None:
    message = _error(adapter_class, {"device": [{"name": "sw1"}],
                                     "interface": [{"device_name": "sw1", "name": "eth0", "mtu": "abc"}]})
    assert "1 invalid record(s); nothing was written" in message
    assert "data.interface[0] (keys: device_name, name, mtu): field 'mtu': Input should be a valid integer" in message
    assert "(got 'abc')" in message


def test_unknown_fields_missing_identifiers_and_orphans(adapter_class: type[Adapter]) -> None:
    message = _error(adapter_class, {
        "device": [{"name": "sw1", "sitee": "ams"}, {"site": "x"}],
        "interface": [{"device_name": "sw9", "name": "eth0"}],
    })
    assert "3 invalid record(s)" in message
    assert ("data.device[0] (keys: name, sitee): unknown field(s) 'sitee'; "
            "device has name, site, role, interfaces") in message
    assert "data.device[1] (keys: site): field 'name': Field required" in message
    assert "data.interface[0] (keys: device_name, name): its parent device (device_name='sw9') is not among" in message


def test_nested_records_position_and_contradicting_parent_keys(adapter_class: type[Adapter]) -> None:
    nested = [{"name": "e0"}, {"name": "e1", "mtu": []}]
    message = _error(adapter_class, {"device": [{"name": "sw1", "interfaces": nested}]})
    assert "data.device[0].interfaces[1] (keys: name, mtu, device_name): field 'mtu'" in message
    message = _error(adapter_class, {"device": [{"name": "sw1", "interfaces": [{"name": "e0", "device_name": "sw2"}]}]})
    assert ("data.device[0].interfaces[0]: device_name='sw2' contradicts the enclosing device "
            "record's name='sw1'") in message


def test_duplicates_name_the_first_record(adapter_class: type[Adapter]) -> None:
    message = _error(adapter_class, {"device": [{"name": "sw1"}, {"name": "sw1", "site": "x"}]})
    assert ("data.device[1] (keys: name, site): duplicate device 'sw1': "
            "data.device[0] has the same identifiers") in message


def test_shape_errors(adapter_class: type[Adapter]) -> None:
    assert "data: must be a mapping of model name to a list of records" in _error(adapter_class, [1])
    assert "data: unknown model 'devices'; the adapter's models are device, interface" in _error(
        adapter_class, {"devices": []})
    assert "data.device: must be a list of records, got {'name': 'sw1'}" in _error(
        adapter_class, {"device": {"name": "sw1"}})
    assert "data.device[0]: a record must be a mapping" in _error(adapter_class, {"device": ["sw1"]})


def test_only_the_first_errors_are_listed(adapter_class: type[Adapter]) -> None:
    message = _error(adapter_class, {"device": [{"nam": i} for i in range(25)]})
    assert f"25 invalid record(s), the first {MAX_REPORTED_ERRORS}" in message
    assert message.count("\n- ") == MAX_REPORTED_ERRORS


def test_merge_updates_attributes_keeps_children_and_adds_new(adapter_class: type[Adapter], source_data: dict) -> None:
    adapter = _load(adapter_class, source_data)
    _load(adapter_class, {"device": [{"name": "sw1", "site": "lon", "interfaces": [{"name": "eth2"}]}]}, merge=True,
          adapter=adapter)
    device = adapter.get("device", "sw1")
    assert (device.site, device.role) == ("lon", None)
    assert device.interfaces == ["sw1__eth0", "sw1__eth1", "sw1__eth2"]
    _load(adapter_class, {"interface": [{"device_name": "sw1", "name": "eth0", "mtu": 1}]}, merge=True, adapter=adapter)
    assert adapter.get("interface", "sw1__eth0").mtu == 1
    assert adapter.get("device", "sw1").interfaces == ["sw1__eth0", "sw1__eth1", "sw1__eth2"]


def test_plain_turns_subclasses_into_builtins() -> None:
    class Tagged(str):
        pass

    class TaggedDict(dict):
        pass

    value = plain(TaggedDict(a=[Tagged("x"), (1, 2.5, True, None)]))
    assert value == {"a": ["x", [1, 2.5, True, None]]}
    assert type(value) is dict and type(value["a"][0]) is str
