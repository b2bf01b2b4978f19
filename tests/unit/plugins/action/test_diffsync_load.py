"""diffsync_load's action plugin: argument validation, files, check and diff mode, safe errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ansible_collections.datasync.diffsync.plugins.action import diffsync_load
from ansible_collections.datasync.diffsync.plugins.plugin_utils import operations

SECRET_URL = "redis://:hunter22@127.0.0.1:1/0"


def test_loads_and_is_idempotent(run_action: Any, store: str, schema: dict, source_data: dict) -> None:
    args = {"adapter": "sot", "schema": schema, "data": source_data, "store": store}
    first = run_action(diffsync_load, args)
    assert first["changed"] and not first.get("failed")
    assert first["counts"] == {"device": 2, "interface": 3}
    assert run_action(diffsync_load, args)["changed"] is False


def test_src_is_found_in_files_and_check_mode_writes_nothing(
    run_action: Any, tmp_path: Path, store: str, schema: dict, source_data: dict
) -> None:
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "sot.json").write_text(json.dumps(source_data))
    args = {"adapter": "sot", "schema": schema, "src": "sot.json", "store": store}
    checked = run_action(diffsync_load, args, check_mode=True, diff=True)
    assert checked["changed"] and checked["counts"]["interface"] == 3
    assert [view["after_header"] for view in checked["diff"]][:2] == ["sot (loaded) device sw1",
                                                                      "sot (loaded) interface sw1__eth0"]
    assert run_action(diffsync_load, args)["changed"]  # the check-mode run wrote nothing


def test_missing_src_is_a_clear_failure(run_action: Any, store: str, schema: dict) -> None:
    result = run_action(diffsync_load, {"adapter": "sot", "schema": schema, "src": "nope.json", "store": store})
    assert result["failed"] and "cannot find 'nope.json' on the controller" in result["msg"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"data": {}}, "missing required arguments: adapter"),
        ({"adapter": "a"}, "one of the following is required: data, src"),
        ({"adapter": "a", "data": {}, "src": "x.json"}, "parameters are mutually exclusive: data|src"),
        ({"adapter": "a", "data": {}, "schema": {}, "schema_class": "a.B"}, "mutually exclusive: schema|schema_class"),
        ({"adapter": "a", "data": {}, "mode": "append"}, "value of mode must be one of: replace, merge"),
        ({"adapter": "a", "data": {}, "colour": "red"}, "Unsupported parameters"),
    ],
)
def test_invalid_arguments_fail_without_echoing_the_store(run_action: Any, args: dict, message: str) -> None:
    result = run_action(diffsync_load, dict(args, store=SECRET_URL))
    assert result["failed"] and message in result["msg"]
    assert "hunter22" not in json.dumps(result)


def test_unreachable_store_fails_without_the_password(run_action: Any, schema: dict, source_data: dict) -> None:
    result = run_action(diffsync_load, {"adapter": "sot", "schema": schema, "data": source_data, "store": SECRET_URL})
    assert result["failed"] and "127.0.0.1" in result["msg"]
    assert "hunter22" not in json.dumps(result)


def test_bad_records_fail_with_the_record_named(run_action: Any, store: str, schema: dict) -> None:
    result = run_action(diffsync_load, {"adapter": "sot", "schema": schema, "store": store,
                                        "data": {"device": [{"name": "sw1", "site": 5}]}})
    assert result["failed"]
    assert "data.device[0] (keys: name, site): field 'site': Input should be a valid string (got 5)" in result["msg"]


def test_default_store_comes_from_the_environment(
    run_action: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, schema: dict, source_data: dict
) -> None:
    monkeypatch.setenv("DIFFSYNC_STORE", f"sqlite://{tmp_path}/env.db")
    assert run_action(diffsync_load, {"adapter": "sot", "schema": schema, "data": source_data})["changed"]
    assert (tmp_path / "env.db").exists()
    monkeypatch.delenv("DIFFSYNC_STORE")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert run_action(diffsync_load, {"adapter": "sot", "schema": schema, "data": source_data})["changed"]
    assert (tmp_path / "state" / "datasync-diffsync" / "store.db").exists()


def test_unexpected_errors_become_a_message(
    run_action: Any, monkeypatch: pytest.MonkeyPatch, schema: dict, source_data: dict
) -> None:
    def explode(**kwargs: Any) -> dict:
        raise RuntimeError(f"boom near {kwargs['store']}")

    monkeypatch.setattr(diffsync_load, "load_adapter", explode)
    result = run_action(diffsync_load, {"adapter": "sot", "schema": schema, "data": source_data, "store": SECRET_URL})
    assert result == {"failed": True, "msg": "unexpected error: RuntimeError: boom near redis://:***@127.0.0.1:1/0"}


def test_missing_pydantic_gives_an_install_hint(
    run_action: Any, monkeypatch: pytest.MonkeyPatch, store: str, schema: dict, source_data: dict
) -> None:
    monkeypatch.setattr(operations, "HAS_DEPENDENCIES", False)
    monkeypatch.setattr(operations, "MISSING_LIBRARY", "pydantic", raising=False)
    result = run_action(diffsync_load, {"adapter": "sot", "schema": schema, "data": source_data, "store": store})
    assert result["failed"]
    assert result["msg"].startswith("Failed to import the required Python library (pydantic)")
