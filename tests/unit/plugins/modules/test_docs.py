"""Every plugin's documentation: well-formed, complete, consistent with its argument spec, and rendered."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from ansible_collections.datasync.diffsync.plugins.plugin_utils.options import STORE_ARGUMENT_SPEC, argument_spec

MODULES = ("diffsync_load", "diffsync_diff", "diffsync_sync")
PACKAGE = "ansible_collections.datasync.diffsync.plugins"
CHECKOUT = Path(__file__).resolve().parents[4]


def _docs(module: str) -> dict[str, Any]:
    imported = importlib.import_module(f"{PACKAGE}.modules.{module}")
    return {key: yaml.safe_load(getattr(imported, key)) for key in ("DOCUMENTATION", "EXAMPLES", "RETURN")}


@pytest.mark.parametrize("module", MODULES)
def test_documentation_is_complete(module: str) -> None:
    docs = _docs(module)
    doc = docs["DOCUMENTATION"]
    assert doc["module"] == module
    assert doc["extends_documentation_fragment"][0] == "datasync.diffsync.store"
    assert {"check_mode", "diff_mode"} <= set(doc["attributes"])
    for option in doc["options"].values():
        assert option["description"] and option["type"]
    for name, value in docs["RETURN"].items():
        assert value["description"] and value["returned"], name
        samples = [value] if "contains" not in value else list(value["contains"].values())
        assert all("sample" in item for item in samples), name
    for task in docs["EXAMPLES"]:
        modules = [key for key in task if "." in key]
        assert modules and all(key.count(".") == 2 for key in modules), task["name"]


@pytest.mark.parametrize("module", MODULES)
def test_action_plugin_validates_against_the_documentation(module: str) -> None:
    action = importlib.import_module(f"{PACKAGE}.action.{module}")
    spec = argument_spec(action.ActionModule.DOCUMENTATION)
    assert set(spec) == set(_docs(module)["DOCUMENTATION"]["options"]) | set(STORE_ARGUMENT_SPEC)
    assert spec["store"]["no_log"] is True
    assert action.ActionModule._requires_connection is False


def _ansible_doc(*args: str) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).parent / "ansible-doc"), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=dict(os.environ), check=False)


@pytest.mark.integration
@pytest.mark.parametrize(("plugin_type", "names"), [("module", MODULES), ("lookup", ("diffsync",))])
def test_ansible_doc_renders(plugin_type: str, names: tuple[str, ...]) -> None:
    result = _ansible_doc("-t", plugin_type, *(f"datasync.diffsync.{name}" for name in names))
    assert result.returncode == 0, result.stderr
    assert "ERROR" not in result.stderr and "WARNING" not in result.stderr, result.stderr
    for name in names:
        assert f"datasync.diffsync.{name}" in result.stdout
    assert result.stdout.count("DIFFSYNC_STORE") >= len(names)
