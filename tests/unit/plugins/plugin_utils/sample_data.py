"""Sample schema and records shared by the plugin_utils, action and lookup tests."""

from __future__ import annotations

from typing import Any

SCHEMA: dict[str, Any] = {
    "models": {
        "device": {
            "identifiers": ["name"],
            "attributes": {"site": "str", "role": "str"},
            "children": {"interface": "interfaces"},
        },
        "interface": {
            "identifiers": ["device_name", "name"],
            "attributes": {"description": "str", "enabled": "bool", "mtu": "int"},
        },
    }
}

SOURCE: dict[str, Any] = {
    "device": [
        {"name": "sw1", "site": "ams", "role": "leaf",
         "interfaces": [{"name": "eth0", "mtu": 1500}, {"name": "eth1", "enabled": True}]},
        {"name": "sw2", "site": "fra"},
    ],
    "interface": [{"device_name": "sw2", "name": "eth0", "mtu": 9000}],
}

TARGET: dict[str, Any] = {
    "device": [
        {"name": "sw1", "site": "ams", "role": "spine"},
        {"name": "sw3", "site": "ber", "interfaces": [{"name": "lo"}]},
    ],
}
