"""Record files: JSON, YAML and CSV (typed through the schema), and their errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ansible_collections.datasync.diffsync.plugins.plugin_utils.errors import DiffsyncTaskError
from ansible_collections.datasync.diffsync.plugins.plugin_utils.records import ModelInfo, describe, load_items
from ansible_collections.datasync.diffsync.plugins.plugin_utils.schema import build_adapter_class, normalize_schema
from ansible_collections.datasync.diffsync.plugins.plugin_utils.sources import read_items, source_format


@pytest.fixture
def infos(schema: dict[str, Any]) -> dict[str, ModelInfo]:
    schema["models"]["device"]["attributes"]["tags"] = "list"
    return describe(build_adapter_class(normalize_schema(schema)))


def _error(path: Path, infos: dict[str, ModelInfo], **options: Any) -> str:
    with pytest.raises(DiffsyncTaskError) as caught:
        read_items(str(path), infos, **options)
    return str(caught.value)


def test_json_and_yaml_hold_the_data_mapping(tmp_path: Path, infos: dict, source_data: dict) -> None:
    (tmp_path / "d.json").write_text(json.dumps(source_data))
    (tmp_path / "d.yml").write_text("device:\n  - name: sw1\n    interfaces:\n      - name: eth0\n")
    assert len(read_items(str(tmp_path / "d.json"), infos)) == 5
    items = read_items(str(tmp_path / "d.yml"), infos)
    assert [(i.model, i.label) for i in items] == [("device", "d.yml: device[0]"),
                                                    ("interface", "d.yml: device[0].interfaces[0]")]


def test_a_list_file_with_model(tmp_path: Path, infos: dict) -> None:
    (tmp_path / "devices.json").write_text('[{"name": "sw1"}]')
    assert read_items(str(tmp_path / "devices.json"), infos, model="device")[0].record == {"name": "sw1"}


def test_csv_values_are_typed_through_the_schema(tmp_path: Path, infos: dict) -> None:
    csv_file = tmp_path / "interfaces.csv"
    csv_file.write_text("device_name,name,enabled,mtu,description\nsw1,eth0,true,1500,\nsw1,eth1,false,,uplink\n")
    devices = tmp_path / "devices.csv"
    devices.write_text('name,site,tags\nsw1,ams,"[""a"", ""b""]"\n')
    items = read_items(str(devices), infos, model="device") + read_items(str(csv_file), infos, model="interface")
    assert items[1].label == "interfaces.csv line 2"
    assert items[0].record["tags"] == ["a", "b"]
    adapter_class = build_adapter_class(normalize_schema({"models": {
        "device": {"identifiers": ["name"], "attributes": {"site": "str", "tags": "list"},
                   "children": {"interface": "interfaces"}},
        "interface": {"identifiers": ["device_name", "name"],
                      "attributes": {"description": "str", "enabled": "bool", "mtu": "int"}},
    }}))
    adapter = adapter_class(name="x")
    load_items(adapter, items, describe(adapter_class), merge=False)
    eth0, eth1 = adapter.get("interface", "sw1__eth0"), adapter.get("interface", "sw1__eth1")
    assert (eth0.enabled, eth0.mtu, eth0.description) == (True, 1500, None)
    assert (eth1.enabled, eth1.mtu, eth1.description) == (False, None, "uplink")


def test_csv_errors(tmp_path: Path, infos: dict) -> None:
    path = tmp_path / "d.csv"
    path.write_text("name,site\nsw1,ams\n")
    assert "is a CSV file, which holds the records of one model: set the model option" in _error(path, infos)
    assert "model: unknown model 'devices'" in _error(path, infos, model="devices")
    path.write_text("name,name\nsw1,sw1\n")
    assert "line 1 must name each column once" in _error(path, infos, model="device")
    path.write_text("name,site\nsw1,ams,extra\n")
    assert "'d.csv' line 2 has 3 cells but the header has 2 columns" in _error(path, infos, model="device")
    path.write_text("name,tags\nsw1,[oops\n")
    assert "'d.csv' line 2: field 'tags' must hold JSON" in _error(path, infos, model="device")


def test_file_errors(tmp_path: Path, infos: dict) -> None:
    assert "cannot tell the format" in _error(tmp_path / "d.txt", infos)
    assert "src: cannot read" in _error(tmp_path / "missing.json", infos)
    (tmp_path / "bad.json").write_text("{")
    assert "'bad.json' is not valid JSON" in _error(tmp_path / "bad.json", infos)
    (tmp_path / "bad.yaml").write_text("a: [")
    assert "'bad.yaml' is not valid YAML" in _error(tmp_path / "bad.yaml", infos)


def test_source_format() -> None:
    assert [source_format(p) for p in ("a.JSON", "b.yml", "c.yaml", "d.csv")] == ["json", "yaml", "yaml", "csv"]
