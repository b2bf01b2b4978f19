"""The converge role's molecule scenario: default driver, localhost, no Docker.

``molecule test`` runs syntax, prepare, check (a --check run that must change nothing and plan
exactly the prepared drift), converge, idempotence, side_effect (drift, a missing and a broken task
file) and verify. The collection comes from ANSIBLE_COLLECTIONS_PATH (the checkout, set by
tests/conftest.py); molecule.yml turns off molecule's own install of it (``prerun: false``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_molecule_default_scenario(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "MOLECULE_EPHEMERAL_DIRECTORY": str(tmp_path / "molecule"),
        "NO_COLOR": "1",
        "ANSIBLE_NOCOLOR": "1",
    }
    env.pop("DIFFSYNC_STORE", None)  # the scenario names its own SQLite store
    result = subprocess.run(
        [BIN / "molecule", "test"],
        check=False,
        cwd=CHECKOUT / "roles" / "converge",
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    for step in ("syntax", "prepare", "check", "converge", "idempotence", "side_effect", "verify"):
        assert f"{step}: Executed: Successful" in output, f"molecule step {step!r} did not pass"
