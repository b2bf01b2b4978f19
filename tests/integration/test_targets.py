"""Run each integration target (tests/integration/targets/<plugin>/tasks/main.yml) with real ansible-playbook.

Every target runs twice: on the default store (no ``store`` option and no DIFFSYNC_STORE, so the
SQLite file under ``$XDG_STATE_HOME``, here a scratch folder) and on the session's real
redis-server, whose URL is passed in as the extra var ``diffsync_store``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

TARGETS_DIR = Path(__file__).resolve().parent / "targets"
TARGETS = sorted(path.name for path in TARGETS_DIR.iterdir() if (path / "tasks" / "main.yml").is_file())
SECRET = "hunter22"  # the password of the unreachable store URL used by the diffsync_load target

PLAYBOOK = """\
- name: Integration target {target}
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{{{ ansible_playbook_python }}}}"
  roles:
    - role: {target}
"""

# Text the default callback must print for a target (the --diff views are not in the results).
EXPECTED_OUTPUT = {
    "diffsync_sync": [
        "--- before: it_sync_net device sw1\n+++ after: it_sync_sot device sw1\n",
        '-role: "spine"\n+role: "leaf"\n',
        "--- before: it_sync_net interface sw3__lo\n",
    ],
    "diffsync_load": ["+++ after: it_load (loaded) device sw1\n"],
}


def _run_playbook(target: str, tmp_path: Path, extra_vars: dict[str, str]) -> subprocess.CompletedProcess[str]:
    playbook = tmp_path / "play.yml"
    playbook.write_text(PLAYBOOK.format(target=target))
    env = dict(os.environ)
    env.pop("DIFFSYNC_STORE", None)
    env.update(
        XDG_STATE_HOME=str(tmp_path / "state"),
        ANSIBLE_ROLES_PATH=str(TARGETS_DIR),
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_FORCE_COLOR="0",
        ANSIBLE_RETRY_FILES_ENABLED="0",
        ANSIBLE_LOCALHOST_WARNING="0",
        ANSIBLE_INVENTORY_UNPARSED_WARNING="0",
    )
    command = [str(Path(sys.executable).parent / "ansible-playbook"), str(playbook), "-e", json.dumps(extra_vars)]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300, check=False)


@pytest.mark.integration
@pytest.mark.parametrize("store", ["sqlite", "redis"])
@pytest.mark.parametrize("target", TARGETS)
def test_target(target: str, store: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    (tmp_path / "output").mkdir()
    extra_vars = {"output_dir": str(tmp_path / "output")}
    if store == "redis":
        extra_vars["diffsync_store"] = request.getfixturevalue("redis_url")
    result = _run_playbook(target, tmp_path, extra_vars)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert "failed=0" in result.stdout
    assert SECRET not in output
    assert "Traceback" not in output
    for text in EXPECTED_OUTPUT.get(target, []):
        assert text in result.stdout
    default_store = tmp_path / "state" / "datasync-diffsync" / "store.db"
    assert default_store.is_file() == (store == "sqlite")
