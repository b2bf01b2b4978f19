"""Deterministic network-inventory workload: devices with interfaces, two sides differing by 10%.

Each side is a list of plain dicts, one per device, with the device's interfaces nested under
the ``interfaces`` key. One device plus nine interfaces make ten objects, so a side of ``size``
objects holds ``size // 10`` devices. The target side differs from the source side by 10% of
``size`` objects:

- 4% updated (device role/serial, interface description/mtu/enabled),
- 3% only in the source (whole devices with their interfaces, and single interfaces): creates,
- 3% only in the target (whole devices with their interfaces, and extra interfaces): deletes.
"""

from __future__ import annotations

import copy
import hashlib
import json
import random
import typing as t

INTERFACES_PER_DEVICE = 9
OBJECTS_PER_DEVICE = INTERFACES_PER_DEVICE + 1
SITES = [f"{city}{n:02d}" for city in ("ams", "fra", "lon", "nyc", "sjc", "sin", "syd", "tyo") for n in (1, 2, 3)]
ROLES = ("access", "distribution", "core", "edge", "firewall")
DESCRIPTIONS = ("uplink", "server", "printer", "ap", "camera", "spare", "trunk", "mgmt")
MTUS = (1500, 1500, 1500, 9000, 9216)

Device = dict[str, t.Any]
Side = list[Device]


def make_interface(rng: random.Random, device_name: str, name: str) -> dict[str, t.Any]:
    """One interface record."""
    return {
        "device_name": device_name,
        "name": name,
        "description": f"{rng.choice(DESCRIPTIONS)}-{rng.randrange(10_000):04d}",
        "enabled": rng.random() < 0.8,
        "mtu": rng.choice(MTUS),
    }


def make_device(rng: random.Random, index: int, slot: int = 1) -> Device:
    """One device record with its interfaces (``Ethernet<slot>/<n>``)."""
    site = SITES[index % len(SITES)]
    role = rng.choice(ROLES)
    name = f"{site}-{role[:3]}-{index:06d}"
    return {
        "name": name,
        "site": site,
        "role": role,
        "serial": f"SN{rng.randrange(16**10):010X}",
        "interfaces": [make_interface(rng, name, f"Ethernet{slot}/{n}") for n in range(1, INTERFACES_PER_DEVICE + 1)],
    }


def make_source(rng: random.Random, size: int) -> Side:
    """The source side: ``size // 10`` devices, each with nine interfaces."""
    return [make_device(rng, index) for index in range(max(size // OBJECTS_PER_DEVICE, 1))]


def count_objects(side: Side) -> int:
    """Number of objects (devices plus interfaces) in one side."""
    return sum(1 + len(device["interfaces"]) for device in side)


def update_device(rng: random.Random, device: Device) -> None:
    """Change one attribute of a device."""
    if rng.random() < 0.5:
        device["role"] = ROLES[(ROLES.index(device["role"]) + 1) % len(ROLES)]
    else:
        device["serial"] = device["serial"][:-1] + ("X" if device["serial"][-1] != "X" else "Y")


def update_interface(rng: random.Random, interface: dict[str, t.Any]) -> None:
    """Change one attribute of an interface."""
    choice = rng.randrange(3)
    if choice == 0:
        interface["description"] += "-changed"
    elif choice == 1:
        interface["mtu"] = 9100 if interface["mtu"] != 9100 else 1500
    else:
        interface["enabled"] = not interface["enabled"]


def split_budget(total: int) -> tuple[int, int]:
    """Split an object budget into (whole devices, single interfaces), about a third as whole devices."""
    devices = total // 3 // OBJECTS_PER_DEVICE
    return devices, total - devices * OBJECTS_PER_DEVICE


def apply_creates(rng: random.Random, target: Side, budget: int) -> None:
    """Remove objects from the target so that they exist only in the source."""
    whole, singles = split_budget(budget)
    gone = set(rng.sample(range(len(target)), whole))
    hosts = rng.sample([i for i in range(len(target)) if i not in gone], min(singles, len(target) - whole))
    for index in hosts:
        interfaces = target[index]["interfaces"]
        interfaces.pop(rng.randrange(len(interfaces)))
    target[:] = [device for i, device in enumerate(target) if i not in gone]


def apply_deletes(rng: random.Random, target: Side, budget: int, first_index: int) -> None:
    """Add objects to the target only: whole new devices and extra interfaces on existing ones."""
    whole, singles = split_budget(budget)
    hosts = rng.sample(range(len(target)), min(singles, len(target)))
    for index in hosts:
        device = target[index]
        extra = f"Ethernet2/{len(device['interfaces'])}"
        device["interfaces"].append(make_interface(rng, device["name"], extra))
    for offset in range(whole):
        position = rng.randrange(len(target) + 1)
        target.insert(position, make_device(rng, first_index + offset, slot=3))


def apply_updates(rng: random.Random, target: Side, budget: int) -> None:
    """Change attributes of existing objects: a fifth on devices, the rest on interfaces."""
    on_devices = budget // 5
    for device in rng.sample(target, min(on_devices, len(target))):
        update_device(rng, device)
    pool = [(d, n) for d, device in enumerate(target) for n in range(len(device["interfaces"]))]
    for d, n in rng.sample(pool, min(budget - on_devices, len(pool))):
        update_interface(rng, target[d]["interfaces"][n])


def make_target(rng: random.Random, source: Side, size: int) -> Side:
    """The target side: a copy of the source with 10% of ``size`` objects changed."""
    target = copy.deepcopy(source)
    updates, creates, deletes = size * 4 // 100, size * 3 // 100, size * 3 // 100
    apply_creates(rng, target, creates)
    apply_updates(rng, target, updates)
    apply_deletes(rng, target, deletes, first_index=len(source))
    return target


def generate(size: int, seed: int = 20240601) -> dict[str, t.Any]:
    """Both sides and the diff summary they must produce."""
    rng = random.Random(seed + size)  # noqa: S311 - reproducible test data, not security
    source = make_source(rng, size)
    target = make_target(rng, source, size)
    return {
        "size": size,
        "seed": seed,
        "source": source,
        "target": target,
        "expected_summary": expected_summary(source, target),
    }


def index_objects(side: Side) -> dict[tuple[str, ...], dict[str, t.Any]]:
    """Map each object's (type, identifiers) to its attributes."""
    result: dict[tuple[str, ...], dict[str, t.Any]] = {}
    for device in side:
        result[("device", device["name"])] = {k: v for k, v in device.items() if k != "interfaces"}
        for interface in device["interfaces"]:
            result[("interface", interface["device_name"], interface["name"])] = interface
    return result


def expected_summary(source: Side, target: Side) -> dict[str, int]:
    """The summary a correct diff of target-from-source must report (computed independently)."""
    src, dst = index_objects(source), index_objects(target)
    common = src.keys() & dst.keys()
    updates = sum(1 for key in common if src[key] != dst[key])
    return {
        "create": len(src.keys() - dst.keys()),
        "update": updates,
        "delete": len(dst.keys() - src.keys()),
        "no-change": len(common) - updates,
        "skip": 0,
    }


def fingerprint(dataset: dict[str, t.Any]) -> str:
    """Short hash of both sides, so every worker can prove it loaded the same data."""
    payload = json.dumps([dataset["source"], dataset["target"]], sort_keys=True).encode()
    return hashlib.sha256(payload).hexdigest()[:16]
