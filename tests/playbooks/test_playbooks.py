"""The example playbooks, run with real ansible-playbook as a user would.

playbooks/sync.yml converges a temporary folder of rendered device configurations with the default
store (an SQLite file under XDG_STATE_HOME, pointed at a temporary folder): a first run changes
things, a second reports changed=0, and --check --diff on a modified source shows the changes that
a real run then makes, while changing nothing itself. playbooks/redis_report.yml runs against the
test redis-server.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

CHECKOUT = Path(__file__).resolve().parents[2]
PLAYBOOKS = CHECKOUT / "playbooks"
BIN = Path(sys.executable).parent
RECAP = re.compile(r"^localhost\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.MULTILINE)
CHANGED_ITEM = re.compile(r"^changed: \[localhost\] => \(item=(.+)\)$", re.MULTILINE)

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    environment = {
        **os.environ,
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
    }
    environment.pop("DIFFSYNC_STORE", None)
    return environment


def run_playbook(playbook: str | Path, *args: str, env: dict[str, str]) -> tuple[str, int]:
    """Run a playbook (a path, or a collection playbook's name); return its output and changed count."""
    result = subprocess.run(
        [BIN / "ansible-playbook", playbook, *args],
        check=False, capture_output=True, text=True, env=env, timeout=600,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    [(_ok, changed, unreachable, failed)] = RECAP.findall(result.stdout)
    assert (unreachable, failed) == ("0", "0"), output[-6000:]
    return output, int(changed)


def snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def rendered(folder: Path) -> dict[str, Any]:
    return {p.stem: yaml.safe_load(p.read_text()) for p in sorted(folder.glob("*.yml"))}


def modified_source(path: Path) -> dict[str, Any]:
    """The shipped source of truth with one MTU changed, one device gone and one device added."""
    source = yaml.safe_load((PLAYBOOKS / "files" / "devices.yml").read_text())
    devices = {d["name"]: d for d in source["device"]}
    devices["edge-ams-01"]["interfaces"][0]["mtu"] = 9000
    del devices["access-fra-01"]
    devices["edge-fra-01"] = {
        "name": "edge-fra-01", "site": "fra1", "role": "edge", "platform": "eos",
        "interfaces": [{"name": "Ethernet1", "description": "uplink", "enabled": True, "mtu": 9214}],
    }
    source["device"] = list(devices.values())
    path.write_text(yaml.safe_dump(source, sort_keys=False))
    return source


def test_sync_playbook_first_run_second_run_and_check_diff(tmp_path: Path, env: dict[str, str]) -> None:
    configs = tmp_path / "configs"
    target = ("-e", f"sync_configs_dir={configs}")
    store = tmp_path / "state" / "datasync-diffsync" / "store.db"

    _, changed = run_playbook("datasync.diffsync.sync", *target, env=env)  # as the README says
    assert changed > 0
    source = yaml.safe_load((PLAYBOOKS / "files" / "devices.yml").read_text())
    assert rendered(configs) == {d["name"]: d for d in source["device"]}
    assert store.is_file(), "the default store was not used"

    _, changed = run_playbook(PLAYBOOKS / "sync.yml", *target, env=env)
    assert changed == 0

    new_source = modified_source(tmp_path / "devices.yml")
    before, store_before = snapshot(configs), store.read_bytes()
    preview, changed = run_playbook(
        PLAYBOOKS / "sync.yml", *target, "-e", f"sync_source={tmp_path / 'devices.yml'}", "--check", "--diff", env=env
    )
    assert changed > 0
    assert snapshot(configs) == before, "--check changed the configurations"
    assert store.read_bytes() == store_before, "--check changed the store"
    assert "-    mtu: 9214\n+    mtu: 9000" in preview  # edge-ams-01's file
    assert f'"path": "{configs}/access-fra-01.yml",\n-    "state": "file"\n+    "state": "absent"' in preview
    assert '+name: "edge-fra-01"' in preview
    assert "2 to create, 1 to update, 3 to delete" in preview  # device+interface, mtu, device+2 interfaces

    applied, changed = run_playbook(
        PLAYBOOKS / "sync.yml", *target, "-e", f"sync_source={tmp_path / 'devices.yml'}", env=env
    )
    assert changed > 0
    assert sorted(CHANGED_ITEM.findall(applied)) == sorted(CHANGED_ITEM.findall(preview)) == [
        "access-fra-01", "edge-ams-01", "edge-fra-01"
    ]
    assert rendered(configs) == {d["name"]: d for d in new_source["device"]}


def test_redis_report_playbook(tmp_path: Path, env: dict[str, str], redis_url: str) -> None:
    report = tmp_path / "report.md"
    args = ("-e", f"report_store={redis_url}", "-e", f"report_dest={report}")

    output, changed = run_playbook(PLAYBOOKS / "redis_report.yml", *args, env=env)
    assert changed > 0
    text = report.read_text()
    assert "3 intended devices, 3 observed; 3 objects missing, 2 different, 2 unexpected." in text
    assert "## access-fra-01 (access, fra1, junos) - NOT FOUND" in text
    assert "| Ethernet1 | uplink to core-ams-01 | true | 9214 | mtu=1500 |" in text
    assert "| Ethernet2 | spare | false | 1500 | enabled=true |" in text
    assert "- device access-fra-02" in text
    assert redis_url not in output

    _, changed = run_playbook(PLAYBOOKS / "redis_report.yml", *args, env=env)
    assert changed == 0

    # Another process reads the same adapters from the server.
    lookup = "{{ query('datasync.diffsync.diffsync', 'interface', adapter='observed', store=url) | length }}"
    result = subprocess.run(
        [BIN / "ansible", "localhost", "-m", "ansible.builtin.debug", "-a", f"msg={lookup}",
         "-e", f"url={redis_url}"],
        check=False, capture_output=True, text=True, env=env, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert '"msg": "6"' in result.stdout or '"msg": 6' in result.stdout



def test_python_adapter_example(tmp_path: Path, env: dict[str, str]) -> None:
    """docs/examples/python-adapter.yml: an existing diffsync adapter's models change the accounts file."""
    accounts = tmp_path / "accounts.json"
    accounts.write_text(json.dumps({"account": [
        {"login": "ada", "name": "Ada Lovelace", "team": "analytics", "active": True},
        {"login": "mallory", "name": "Mallory", "team": "unknown", "active": True},
    ]}))
    env = {**env, "DIRECTORY_FILE": str(accounts)}
    playbook = CHECKOUT / "docs" / "examples" / "python-adapter.yml"

    _, changed = run_playbook(playbook, env=env)
    assert changed > 0
    result = {a["login"]: a for a in json.loads(accounts.read_text())["account"]}
    assert sorted(result) == ["ada", "grace", "linus"]
    assert result["ada"]["team"] == "engines"
    assert result["linus"]["active"] is False

    _, changed = run_playbook(playbook, env=env)
    assert changed == 0
