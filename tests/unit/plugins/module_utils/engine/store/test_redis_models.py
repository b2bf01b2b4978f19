"""Models, adapter and helpers shared by the RedisStore tests and their subprocesses (no tests here).

Import it by its full name (``MODULE``) so that a subprocess builds the very same classes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any, ClassVar

import redis

from ansible_collections.datasync.diffsync.plugins.module_utils.engine import Adapter, DiffSyncModel
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.store.redis import RedisStore

MODULE = "ansible_collections.datasync.diffsync.tests.unit.plugins.module_utils.engine.store.test_redis_models"

# {device: (site, role, {interface: (description, mtu)})}
Records = dict[str, tuple[str, str, dict[str, tuple[str, int]]]]


class Interface(DiffSyncModel):
    """A device's interface."""

    _modelname = "interface"
    _identifiers = ("device_name", "name")
    _shortname = ("name",)
    _attributes = ("description", "mtu")

    device_name: str
    name: str
    description: str = ""
    mtu: int = 1500


class Device(DiffSyncModel):
    """A device; calls every function in ``HOOKS`` with the action before each create/update/delete."""

    _modelname = "device"
    _identifiers = ("name",)
    _attributes = ("site", "role")
    _children = {"interface": "interfaces"}  # noqa: RUF012 - diffsync's declaration style

    name: str
    site: str = ""
    role: str = ""
    interfaces: list[str] = []  # noqa: RUF012

    HOOKS: ClassVar[list[Callable[[str], None]]] = []

    @classmethod
    def create(cls, adapter: Any, ids: dict, attrs: dict) -> Device | None:
        for hook in cls.HOOKS:
            hook("create")
        return super().create(adapter=adapter, ids=ids, attrs=attrs)

    def update(self, attrs: dict) -> Device | None:
        for hook in self.HOOKS:
            hook("update")
        return super().update(attrs=attrs)

    def delete(self) -> Device | None:
        for hook in self.HOOKS:
            hook("delete")
        return super().delete()


class Inventory(Adapter):
    """Devices with interfaces, loaded from ``Records``."""

    device = Device
    interface = Interface
    top_level: ClassVar[list[str]] = ["device"]

    def __init__(self, records: Records | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.records = records or {}

    def load(self) -> None:
        for name, (site, role, interfaces) in self.records.items():
            device = Device(name=name, site=site, role=role)
            self.add(device)
            for ifname, (description, mtu) in interfaces.items():
                interface = Interface(device_name=name, name=ifname, description=description, mtu=mtu)
                self.add(interface)
                device.add_child(interface)


def make_records(
    devices: int, interfaces: int = 3, *, start: int = 0, role: str = "access", mtu: int = 1500
) -> Records:
    """``devices`` devices named ``dev<N>`` from ``start``, each with ``interfaces`` interfaces ``eth<M>``."""
    return {
        f"dev{index:05d}": ("ams01", role, {f"eth{n}": (f"port {n}", mtu) for n in range(interfaces)})
        for index in range(start, start + devices)
    }


def source_and_target() -> tuple[Records, Records]:
    """Two sides that differ by creates, updates and deletes of devices and interfaces."""
    source = make_records(30, 3)
    target = make_records(25, 4, start=10, role="core")
    source["dev00012"][2]["eth0"] = ("changed", 9000)
    return source, target


def loaded(records: Records, **kwargs: Any) -> Inventory:
    """An Inventory with ``records`` loaded (in memory unless a store is given)."""
    inventory = Inventory(records, **kwargs)
    inventory.load()
    return inventory


def run_python(code: str, *args: str, timeout: float = 120) -> Any:
    """Run ``code`` in a new interpreter (``sys.argv[1:]`` = ``args``); return the JSON it prints last."""
    result = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=timeout, env=dict(os.environ),
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(f"subprocess failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def raw(url: str) -> redis.Redis:
    """A plain redis-py client, to look at what the store wrote."""
    return redis.Redis.from_url(url)


def stored(url: str, store_id: str, **options: Any) -> Inventory:
    """An empty inventory on a RedisStore for ``store_id``."""
    return Inventory(internal_storage_engine=RedisStore(url=url, store_id=store_id, **options))
