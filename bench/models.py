"""Model and adapter classes for the benchmark, written once and built for either library.

``build_classes(lib)`` takes the library's top-level module (``diffsync`` or the collection's
``engine``) and returns a device model, an interface model and an adapter class declared exactly
as a diffsync user would declare them. ``load_side`` fills an adapter from the plain dicts of
``data.py`` the way an adapter's ``load()`` does: build the models, ``adapter.add()`` them and
``parent.add_child(child)``.
"""

from __future__ import annotations

import importlib
import sys
import types
import typing as t

import engine_import


class Classes(t.NamedTuple):
    """The classes built for one library."""

    device: type
    interface: type
    adapter: type


def build_classes(lib: types.ModuleType) -> Classes:
    """Declare Device, Interface and an inventory adapter on ``lib``'s base classes."""

    class Interface(lib.DiffSyncModel):  # type: ignore[name-defined]
        _modelname = "interface"
        _identifiers = ("device_name", "name")
        _shortname = ("name",)
        _attributes = ("description", "enabled", "mtu")

        device_name: str
        name: str
        description: str = ""
        enabled: bool = True
        mtu: int = 1500

    class Device(lib.DiffSyncModel):  # type: ignore[name-defined]
        _modelname = "device"
        _identifiers = ("name",)
        _attributes = ("site", "role", "serial")
        _children = {"interface": "interfaces"}  # noqa: RUF012 - declared as diffsync users do

        name: str
        site: str
        role: str
        serial: str
        interfaces: list[str] = []  # noqa: RUF012 - pydantic copies field defaults

    class Inventory(lib.Adapter):  # type: ignore[name-defined]
        device = Device
        interface = Interface
        top_level = ["device"]  # noqa: RUF012 - declared as diffsync users do
        records: list[dict[str, t.Any]] = []  # noqa: RUF012 - set per instance before load()

        def load(self) -> None:
            """Fill the adapter from ``self.records``, as a real adapter's load() reads its source."""
            load_side(self, classes, self.records)

    classes = Classes(device=Device, interface=Interface, adapter=Inventory)
    for cls in classes:
        publish(cls, lib.__name__.rsplit(".", 1)[-1])
    return classes


def publish(cls: type, prefix: str) -> None:
    """Make ``cls`` reachable as ``models.<prefix>_<name>`` so pickle (diffsync's RedisStore) finds it."""
    cls.__qualname__ = f"{prefix}_{cls.__name__}"
    setattr(sys.modules[__name__], cls.__qualname__, cls)


def load_side(adapter: t.Any, classes: Classes, side: list[dict[str, t.Any]]) -> None:
    """Fill ``adapter`` from one side's dicts, as an adapter's ``load()`` would.

    Children are attached before the parent is added: with a store that keeps copies
    (diffsync's RedisStore) a child attached after ``add(parent)`` would be lost, and with a
    live-object store the order makes no difference.
    """
    for record in side:
        fields = {key: value for key, value in record.items() if key != "interfaces"}
        device = classes.device(**fields)
        for interface_fields in record["interfaces"]:
            interface = classes.interface(**interface_fields)
            adapter.add(interface)
            device.add_child(interface)
        adapter.add(device)


def import_library(impl: t.Literal["diffsync", "engine"]) -> types.ModuleType:
    """The top-level module of the implementation under test."""
    if impl == "diffsync":
        return importlib.import_module("diffsync")
    engine_import.ensure_engine_importable()
    return importlib.import_module(engine_import.ENGINE_MODULE)
