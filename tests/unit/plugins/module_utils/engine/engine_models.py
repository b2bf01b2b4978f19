"""Models, adapters and loaders shared by the engine's unit tests.

``Device`` (top level) holds ``Interface`` children; interfaces have a shortname (their name) that must be
unique among the interfaces of one device. ``FaultyNetwork`` is the same hierarchy whose models consult
the adapter before each create/update/delete: ``adapter.faults[(action, unique_id)]`` is an exception to
raise, or ``RETURN_NONE`` to make the model return None; every call is appended to ``adapter.calls`` and
passed to ``adapter.on_call(action, unique_id)`` when that is set.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ansible_collections.datasync.diffsync.plugins.module_utils.engine import Adapter, DiffSyncModel

RETURN_NONE = "return None"

# Two sides of a sync: r1 is updated (os), gains eth1 and loses eth2; r2 is unchanged; r3 is created with
# one interface; r4 is deleted with its interface.
SOURCE: dict[str, dict[str, Any]] = {
    "r1": {"os": "ios-17", "interfaces": {"eth0": "uplink", "eth1": "access"}},
    "r2": {"os": "eos", "interfaces": {"eth0": "uplink"}},
    "r3": {"os": "junos", "interfaces": {"ge0": "core"}},
}
TARGET: dict[str, dict[str, Any]] = {
    "r1": {"os": "ios-15", "interfaces": {"eth0": "uplink", "eth2": "spare"}},
    "r2": {"os": "eos", "interfaces": {"eth0": "uplink"}},
    "r4": {"os": "nxos", "interfaces": {"eth0": "old"}},
}


class Interface(DiffSyncModel):
    _modelname = "interface"
    _identifiers = ("device_name", "name")
    _shortname = ("name",)
    _attributes = ("description",)

    device_name: str
    name: str
    description: str = ""


class Device(DiffSyncModel):
    _modelname = "device"
    _identifiers = ("name",)
    _attributes = ("os",)
    _children = {"interface": "interfaces"}  # noqa: RUF012 - declared as diffsync users do

    name: str
    os: str = ""
    interfaces: list[str] = []  # noqa: RUF012 - pydantic copies field defaults


class Network(Adapter):
    device = Device
    interface = Interface
    top_level = ["device"]  # noqa: RUF012 - declared as diffsync users do


class FaultInjector:
    """Mixin for models: before each CRUD call, record it and apply the adapter's planned fault."""

    @staticmethod
    def planned(adapter: Any, action: str, uid: str) -> bool:
        """Record the call; raise the planned exception, or return True when the model should return None."""
        adapter.calls.append((action, uid))
        if adapter.on_call is not None:
            adapter.on_call(action, uid)
        fault = adapter.faults.get((action, uid))
        if fault is None:
            return False
        if fault == RETURN_NONE:
            return True
        raise fault

    @classmethod
    def create(cls, adapter: Any, ids: dict, attrs: dict) -> Any:
        if cls.planned(adapter, "create", cls.create_unique_id(**ids)):  # type: ignore[attr-defined]
            return None
        return super().create(adapter=adapter, ids=ids, attrs=attrs)  # type: ignore[misc]

    def update(self, attrs: dict) -> Any:
        if self.planned(self.adapter, "update", self.get_unique_id()):  # type: ignore[attr-defined]
            return None
        return super().update(attrs=attrs)  # type: ignore[misc]

    def delete(self) -> Any:
        if self.planned(self.adapter, "delete", self.get_unique_id()):  # type: ignore[attr-defined]
            return None
        return super().delete()  # type: ignore[misc]


class FaultyInterface(FaultInjector, Interface):
    pass


class FaultyDevice(FaultInjector, Device):
    pass


class FaultyNetwork(Adapter):
    device = FaultyDevice
    interface = FaultyInterface
    top_level = ["device"]  # noqa: RUF012 - declared as diffsync users do

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.faults: dict[tuple[str, str], Any] = {}
        self.calls: list[tuple[str, str]] = []
        self.on_call: Callable[[str, str], None] | None = None


def load(adapter: Adapter, data: dict[str, dict[str, Any]]) -> Adapter:
    """Add devices and their interfaces (``{device: {"os": ..., "interfaces": {name: description}}}``)."""
    device_class, interface_class = adapter.device, adapter.interface  # type: ignore[attr-defined]
    for device_name, values in data.items():
        device = device_class(name=device_name, os=values["os"])
        adapter.add(device)
        for name, description in values["interfaces"].items():
            interface = interface_class(device_name=device_name, name=name, description=description)
            adapter.add(interface)
            device.add_child(interface)
    return adapter


def pair(adapter_class: type[Adapter] = Network) -> tuple[Adapter, Adapter]:
    """(source, target) loaded with SOURCE and TARGET."""
    return load(adapter_class(name="source"), SOURCE), load(adapter_class(name="target"), TARGET)


def contents(adapter: Adapter) -> dict[str, dict[str, Any]]:
    """What an adapter holds, in the shape of SOURCE/TARGET (devices sorted by name)."""
    result = {}
    for device in sorted(adapter.get_all("device"), key=lambda obj: obj.get_unique_id()):
        interfaces = adapter.get_by_uids(device.interfaces, "interface")  # type: ignore[attr-defined]
        result[device.name] = {  # type: ignore[attr-defined]
            "os": device.os,  # type: ignore[attr-defined]
            "interfaces": {obj.name: obj.description for obj in interfaces},  # type: ignore[attr-defined]
        }
    return result


def uids(adapter: Adapter) -> dict[str, list[str]]:
    """Sorted unique ids of every stored device and interface (children lists not consulted)."""
    return {name: sorted(obj.get_unique_id() for obj in adapter.get_all(name)) for name in ("device", "interface")}
