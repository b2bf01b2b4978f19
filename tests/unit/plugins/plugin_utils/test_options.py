"""The shared store option: its default, and argument specs derived from DOCUMENTATION."""

from __future__ import annotations

import yaml

from ansible_collections.datasync.diffsync.plugins.doc_fragments.store import ModuleDocFragment
from ansible_collections.datasync.diffsync.plugins.plugin_utils import options


def test_default_store_url_follows_the_environment() -> None:
    assert options.default_store_url({"DIFFSYNC_STORE": "redis://h/1", "HOME": "/h"}) == "redis://h/1"
    assert options.default_store_url({"XDG_STATE_HOME": "/state", "HOME": "/h"}) == (
        "sqlite:///state/datasync-diffsync/store.db")
    assert options.default_store_url({"HOME": "/home/ops"}) == (
        "sqlite:///home/ops/.local/state/datasync-diffsync/store.db")
    assert options.default_store_url({"DIFFSYNC_STORE": "", "HOME": "/h"}).startswith("sqlite:///h/")


def test_resolve_store_url_prefers_the_task_value() -> None:
    assert options.resolve_store_url("memory://", {"DIFFSYNC_STORE": "redis://x"}) == "memory://"
    assert options.resolve_store_url(None, {"DIFFSYNC_STORE": "redis://x"}) == "redis://x"
    assert options.resolve_store_url("", {"DIFFSYNC_STORE": "redis://x"}) == "redis://x"


def test_argument_spec_comes_from_the_documentation() -> None:
    doc = """
options:
  name: {type: str, required: true, description: x}
  mode: {type: str, choices: [a, b], default: a, description: x}
  paths: {type: list, elements: path, default: [], description: x}
  nested:
    type: dict
    description: x
    suboptions:
      inner: {type: int, description: x}
"""
    spec = options.argument_spec(doc)
    assert spec["name"] == {"type": "str", "required": True}
    assert spec["mode"] == {"type": "str", "choices": ["a", "b"], "default": "a"}
    assert spec["paths"] == {"type": "list", "elements": "path", "default": []}
    assert spec["nested"] == {"type": "dict", "options": {"inner": {"type": "int"}}}
    assert spec["store"] == {"type": "str", "no_log": True}


def test_the_doc_fragment_documents_the_shared_argument_spec() -> None:
    documented = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
    assert set(documented) == set(options.STORE_ARGUMENT_SPEC)
    for name, spec in options.STORE_ARGUMENT_SPEC.items():
        assert documented[name]["type"] == spec["type"]
        assert "default" not in documented[name]  # resolved at run time: DIFFSYNC_STORE, then the SQLite file
    assert "DIFFSYNC_STORE" in " ".join(documented["store"]["description"])


def test_missing_library_message_is_ansibles() -> None:
    message = options.missing_library("pydantic")
    assert message.startswith("Failed to import the required Python library (pydantic)")
