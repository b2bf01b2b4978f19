"""Models, adapters and data shared by the store tests, and a second-process checker.

Three levels of models (device -> interface -> address), an ``Inventory`` adapter, source and target
records for a load/diff/sync round trip, and ``FragileInventory`` whose interface update fails for
device ``r2``. Run as a module (``python -m <this module> URL STORE_ID``) it opens the store in a
fresh process, loads ``SOURCE`` into a memory adapter and prints JSON: what the store holds and the
diff that would still be needed.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

from ansible_collections.datasync.diffsync.plugins.module_utils.engine import Adapter, DiffSyncModel
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.exceptions import DiffSyncError, ObjectNotUpdated
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.store.url import store_from_url

MODULE = __name__


class Address(DiffSyncModel):
    _modelname = "address"
    _identifiers = ("device_name", "interface_name", "ip")
    _attributes = ("prefix_length",)

    device_name: str
    interface_name: str
    ip: str
    prefix_length: int = 24


class Interface(DiffSyncModel):
    _modelname = "interface"
    _identifiers = ("device_name", "name")
    _attributes = ("description", "mtu")
    _children = {"address": "addresses"}  # noqa: RUF012 - declared as diffsync users do

    device_name: str
    name: str
    description: str = ""
    mtu: int = 1500
    addresses: list[str] = []  # noqa: RUF012 - pydantic copies field defaults


class Device(DiffSyncModel):
    _modelname = "device"
    _identifiers = ("name",)
    _attributes = ("site", "role")
    _children = {"interface": "interfaces"}  # noqa: RUF012 - declared as diffsync users do

    name: str
    site: str
    role: str = "edge"
    interfaces: list[str] = []  # noqa: RUF012 - pydantic copies field defaults


class Inventory(Adapter):
    device = Device
    interface = Interface
    address = Address
    top_level = ["device"]  # noqa: RUF012 - declared as diffsync users do


class FragileInterface(Interface):
    """An interface whose backend refuses every update on device ``r2``."""

    def update(self, attrs: dict) -> FragileInterface | None:
        if self.device_name == "r2":
            raise ObjectNotUpdated(f"backend refused to update interface {self.get_unique_id()!r}")
        return super().update(attrs)


class FragileInventory(Inventory):
    interface = FragileInterface


def _iface(name: str, *addresses: str, **attrs: Any) -> dict[str, Any]:
    return {"name": name, "addresses": list(addresses), **attrs}


# Devices as nested records: interfaces and their addresses inside.
TARGET: list[dict[str, Any]] = [
    {"name": "r1", "site": "ams", "role": "edge",
     "interfaces": [_iface("eth0", "10.0.0.1"), _iface("eth1", description="old uplink")]},
    {"name": "r2", "site": "ber", "interfaces": [_iface("eth0", description="mgmt")]},
    {"name": "r3", "site": "cdg", "interfaces": [_iface("eth0", "10.3.0.1")]},
]
SOURCE: list[dict[str, Any]] = [
    {"name": "r1", "site": "ams", "role": "core",
     "interfaces": [_iface("eth0", "10.0.0.1", "10.0.0.2", mtu=9000), _iface("eth2", description="new")]},
    {"name": "r2", "site": "ber", "interfaces": [_iface("eth0", description="management")]},
    {"name": "r4", "site": "dub", "interfaces": [_iface("eth0", "10.4.0.1")]},
]


def load(adapter: Adapter, records: list[dict[str, Any]]) -> Adapter:
    """Fill ``adapter`` as an adapter's ``load()`` would: add each object, then attach it to its parent."""
    for record in records:
        device = adapter.device(**{k: v for k, v in record.items() if k != "interfaces"})  # type: ignore[attr-defined]
        adapter.add(device)
        for iface in record["interfaces"]:
            interface = adapter.interface(device_name=device.name,  # type: ignore[attr-defined]
                                          **{k: v for k, v in iface.items() if k != "addresses"})
            adapter.add(interface)
            device.add_child(interface)
            for ip in iface["addresses"]:
                address = adapter.address(device_name=device.name, interface_name=interface.name, ip=ip)  # type: ignore[attr-defined]
                adapter.add(address)
                interface.add_child(address)
    return adapter


def source() -> Inventory:
    """A memory adapter holding ``SOURCE``."""
    adapter = Inventory(name="source")
    load(adapter, SOURCE)
    return adapter


def snapshot(adapter: Adapter) -> dict[str, dict[str, dict]]:
    """What ``adapter`` holds, as plain data (model -> unique id -> fields)."""
    return adapter.dict()


def check_in_fresh_process(url: str, store_id: str) -> dict[str, Any]:
    """Open the store named by ``url`` and compare it with ``SOURCE`` (the body of the second process)."""
    store = store_from_url(url, store_id=store_id)
    try:
        adapter = Inventory(name="second-process", internal_storage_engine=store)
        diff = adapter.diff_from(source())
        order = {name: [obj.get_unique_id() for obj in adapter.get_all(name)] for name in ("device", "interface")}
        return {"data": snapshot(adapter), "summary": diff.summary(), "has_diffs": diff.has_diffs(),
                "count": len(adapter), "order": order}
    finally:
        store.close()


def sync_in_fresh_process(url: str, store_id: str, go_file: str) -> dict[str, Any]:
    """Open the store, diff it against ``SOURCE``, say so (``<go_file>.ready.<pid>``), wait until ``go_file``
    exists, then sync: what happened."""
    store = store_from_url(url, store_id=store_id)
    try:
        adapter = Inventory(name="syncer", internal_storage_engine=store)
        diff = adapter.diff_from(source())
        with open(f"{go_file}.ready.{os.getpid()}", "w", encoding="utf-8"):
            pass
        deadline = time.monotonic() + 30
        while not os.path.exists(go_file) and time.monotonic() < deadline:
            time.sleep(0.01)
        try:
            adapter.sync_from(source(), diff=diff)
        except DiffSyncError as exc:
            return {"ok": False, "error": type(exc).__name__, "base": [c.__name__ for c in type(exc).__mro__]}
        return {"ok": True}
    finally:
        store.close()


if __name__ == "__main__":
    if sys.argv[3:4] == ["sync"]:
        print(json.dumps(sync_in_fresh_process(sys.argv[1], sys.argv[2], sys.argv[4])))
    else:
        print(json.dumps(check_in_fresh_process(sys.argv[1], sys.argv[2])))
