"""The records of the Ansible benchmark: a source of truth and a drifted copy of it, as plain dicts.

``sot``: ``devices`` devices with four interfaces each (nested under ``interfaces``). ``net``: the same
with 5% of the interfaces on another MTU, 2% of the devices with another role, 1% of the devices (with
their interfaces) missing, and 100 devices of its own with one interface each.
"""

from __future__ import annotations

import copy
import random
import typing as t

SCHEMA: dict[str, t.Any] = {
    "top_level": ["device"],
    "models": {
        "device": {
            "identifiers": ["name"],
            "attributes": {"site": "str", "role": "str", "serial": "str"},
            "children": {"interface": "interfaces"},
        },
        "interface": {
            "identifiers": ["device_name", "name"],
            "attributes": {"description": "str", "enabled": "bool", "mtu": "int"},
        },
    },
}
SITES = ("ams01", "fra02", "lon03", "nyc04", "sin05")
ROLES = ("leaf", "spine", "border", "access")
EXTRA_DEVICES = 100


def device(rng: random.Random, name: str, interfaces: int) -> dict[str, t.Any]:
    """One device record with its interfaces nested."""
    return {
        "name": name,
        "site": rng.choice(SITES),
        "role": rng.choice(ROLES),
        "serial": f"SN{rng.randrange(10**9):09d}",
        "interfaces": [
            {"name": f"Ethernet1/{port}", "description": f"port {port}", "enabled": True, "mtu": 1500}
            for port in range(1, interfaces + 1)
        ],
    }


def make_records(*, devices: int, seed: int) -> tuple[dict[str, list[dict[str, t.Any]]], dict[str, t.Any]]:
    """``(sot, net)``: both as ``{"device": [records]}`` for ``diffsync_load``'s ``src`` file."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    sot = [device(rng, f"dev{index:06d}", 4) for index in range(devices)]
    net = copy.deepcopy(sot)
    for record in net:
        if rng.random() < 0.02:
            record["role"] = next(role for role in ROLES if role != record["role"])
        for interface in record["interfaces"]:
            if rng.random() < 0.05:
                interface["mtu"] = 9000
    missing = set(rng.sample(range(devices), devices // 100))
    net = [record for index, record in enumerate(net) if index not in missing]
    net += [device(rng, f"extra{index:04d}", 1) for index in range(EXTRA_DEVICES)]
    return {"device": sot}, {"device": net}


def count_records(records: dict[str, list[dict[str, t.Any]]]) -> int:
    """Devices plus their interfaces."""
    return sum(1 + len(record["interfaces"]) for record in records["device"])
