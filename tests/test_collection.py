"""The collection skeleton: metadata, Ansible finding the checkout, and what a build ships."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import yaml
from ansible.release import __version__ as ansible_version
from packaging.specifiers import SpecifierSet

CHECKOUT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _yaml(name: str) -> Any:
    return yaml.safe_load((CHECKOUT / name).read_text())


def test_galaxy_metadata() -> None:
    galaxy = _yaml("galaxy.yml")
    assert (galaxy["namespace"], galaxy["name"]) == ("datasync", "diffsync")
    assert galaxy["license"] == ["GPL-3.0-or-later"]
    assert galaxy["dependencies"] == {}
    assert (CHECKOUT / galaxy["readme"]).is_file()


def test_installed_ansible_core_meets_requires_ansible() -> None:
    assert ansible_version in SpecifierSet(_yaml("meta/runtime.yml")["requires_ansible"])


def test_ansible_finds_this_checkout() -> None:
    result = subprocess.run(
        [BIN / "ansible-galaxy", "collection", "list", "datasync.diffsync", "--format", "json"],
        capture_output=True, text=True, check=True, timeout=60,
    )
    [(path, found)] = json.loads(result.stdout).items()
    assert found == {"datasync.diffsync": {"version": _yaml("galaxy.yml")["version"]}}
    assert Path(path, "datasync", "diffsync").resolve() == CHECKOUT
    assert os.environ["ANSIBLE_COLLECTIONS_PATH"] == str(Path(path).parent)


def test_build_leaves_out_dev_files(tmp_path: Path) -> None:
    subprocess.run(
        [BIN / "ansible-galaxy", "collection", "build", "--output-path", tmp_path, CHECKOUT],
        capture_output=True, text=True, check=True, timeout=120,
    )
    [tarball] = tmp_path.glob("datasync-diffsync-*.tar.gz")
    with tarfile.open(tarball) as tar:
        names = tar.getnames()
    assert {"MANIFEST.json", "README.md", "meta/runtime.yml", "requirements.txt"} <= set(names)
    unwanted = (".ci", ".git", ".venv", "bench", "tests/output", ".mypy_cache", ".pytest_cache")
    assert [n for n in names if n.split("/")[0] in unwanted or n.startswith(unwanted)] == []
    assert [n for n in names if "__pycache__" in n or n.endswith((".pyc", ".db"))] == []
