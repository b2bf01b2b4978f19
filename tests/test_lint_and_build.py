"""ansible-lint (production profile), the collection built and installed from its tarball, and the
execution environment: ansible-builder's build context and what its introspection would install.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml

CHECKOUT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
VERSION = yaml.safe_load((CHECKOUT / "galaxy.yml").read_text())["version"]
TARBALL = f"datasync-diffsync-{VERSION}.tar.gz"
DEV_TOOLS = ("pytest", "molecule", "ansible-lint", "ruff", "mypy", "diffsync", "types-", "ansible-builder")

pytestmark = pytest.mark.integration


def run(*args: str | Path, cwd: Path = CHECKOUT, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(a) for a in args], check=False, cwd=cwd, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-6000:]
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def tarball(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build")
    run(BIN / "ansible-galaxy", "collection", "build", "--output-path", out, CHECKOUT)
    return out / TARBALL


def only(root: Path) -> dict[str, str]:
    """The environment with ``root`` as the only collections folder (not the checkout)."""
    env = {**os.environ, "ANSIBLE_COLLECTIONS_PATH": str(root), "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false"}
    env.pop("PYTHONPATH", None)  # tests/conftest.py puts the checkout there
    return env


@pytest.fixture(scope="module")
def installed(tarball: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A collections folder holding only the collection installed from the tarball."""
    root = tmp_path_factory.mktemp("installed")
    run(BIN / "ansible-galaxy", "collection", "install", "--offline", "-p", root, tarball, env=only(root))
    assert (root / "ansible_collections" / "datasync" / "diffsync" / "MANIFEST.json").is_file()
    return root


@pytest.mark.slow
def test_ansible_lint_production_profile() -> None:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "NO_COLOR": "1"}
    output = run(BIN / "ansible-lint", "--offline", "-f", "pep8", env=env)
    assert "Passed: 0 failure(s)" in output


def test_tarball_holds_the_role_playbooks_and_ee_metadata(tarball: Path) -> None:
    with tarfile.open(tarball) as tar:
        names = set(tar.getnames())
    assert {
        "roles/converge/meta/argument_specs.yml",
        "roles/converge/tasks/main.yml",
        "playbooks/sync.yml",
        "playbooks/redis_report.yml",
        "meta/execution-environment.yml",
        "meta/ee-requirements.txt",
        "meta/bindep.txt",
    } <= names


def test_ansible_doc_lists_the_plugins_of_the_installed_collection(installed: Path) -> None:
    env = only(installed)
    modules = run(BIN / "ansible-doc", "-l", "datasync.diffsync", env=env)
    for name in ("diffsync_load", "diffsync_diff", "diffsync_sync"):
        assert f"datasync.diffsync.{name}" in modules
    assert "datasync.diffsync.diffsync " in run(BIN / "ansible-doc", "-t", "lookup", "-l", "datasync.diffsync", env=env)
    role = run(BIN / "ansible-doc", "-t", "role", "datasync.diffsync.converge", env=env)
    assert "converge_tasks_dir" in role and "converge_read_tasks" in role
    assert str(installed) in run(BIN / "ansible-galaxy", "collection", "list", "datasync.diffsync", env=env)


@pytest.mark.slow
def test_execution_environment_build_context(tarball: Path, installed: Path, tmp_path: Path) -> None:
    """ansible-builder writes the build context offline; its introspection finds only runtime needs.

    The image build itself needs a container runtime and registries this machine cannot reach.
    """
    definition = yaml.safe_load((CHECKOUT / "docs" / "examples" / "execution-environment.yml").read_text())
    assert definition["version"] == 3
    assert definition["dependencies"]["galaxy"]["collections"] == [
        {"name": f"collections/{TARBALL}", "type": "file"}
    ]
    assert definition["additional_build_files"] == [{"src": TARBALL, "dest": "collections"}]

    work = tmp_path / "ee"
    work.mkdir()
    (work / "execution-environment.yml").write_bytes(
        (CHECKOUT / "docs" / "examples" / "execution-environment.yml").read_bytes()
    )
    (work / TARBALL).write_bytes(tarball.read_bytes())
    run(BIN / "ansible-builder", "create", "-f", "execution-environment.yml", "-c", "context", cwd=work)
    context = work / "context"
    assert (context / "_build" / "collections" / TARBALL).is_file()
    containerfile = next(p for p in (context / "Containerfile", context / "Dockerfile") if p.is_file()).read_text()
    assert "ansible-galaxy collection install" in containerfile
    assert "introspect.py introspect" in containerfile

    pip, bindep = tmp_path / "pip.txt", tmp_path / "bindep.txt"
    run(sys.executable, context / "_build" / "scripts" / "introspect.py", "introspect", installed,
        f"--write-pip={pip}", f"--write-bindep={bindep}")
    requirements = [line.split("#")[0].strip() for line in pip.read_text().splitlines() if line.strip()]
    # PyYAML is left out by ansible-builder on purpose: ansible-core already requires it.
    assert requirements == ["pydantic>=2,<3", "redis>=5"]
    assert not [r for r in requirements if r.startswith(DEV_TOOLS)]
    assert "libsqlite3-0 [platform:dpkg]" in bindep.read_text()
