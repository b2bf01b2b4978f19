"""ansible-test sanity, the tests that can run on these machines (no container, no internet but PyPI).

The collection is copied (ansible-test refuses a symlinked checkout) under a temporary
``ansible_collections/datasync/diffsync``; ansible-test's pip bootstrap comes from
tests/support/get_pip_offline.py. Its virtualenvs are kept in a cache directory between runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[2]
SANITY_TESTS = (
    "validate-modules", "import", "compile", "yamllint", "action-plugin-docs", "ansible-doc", "shebang",
    "line-endings", "empty-init", "no-assert", "runtime-metadata", "symlinks", "use-compat-six",
)
IGNORED_COPY = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", "tests/output", "*.tar.gz",
)
PIP_BOOTSTRAP_VERSION = "24.2"  # ansible-core 2.19's ansible-test bootstraps this pip version


def _ansible_test_home() -> Path:
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    home = cache / "datasync-diffsync" / "ansible-test-home"
    bootstrap = home / ".ansible" / "test" / "cache" / f"get_pip_{PIP_BOOTSTRAP_VERSION.replace('.', '_')}.py"
    bootstrap.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(CHECKOUT / "tests" / "support" / "get_pip_offline.py", bootstrap)
    return home


@pytest.fixture(scope="module")
def collection_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sanity") / "ansible_collections" / "datasync" / "diffsync"
    shutil.copytree(CHECKOUT, root, ignore=IGNORED_COPY, symlinks=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)  # ansible-test lists files through git
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    return root


@pytest.mark.integration
@pytest.mark.slow
def test_sanity_tests_that_run_offline_pass(collection_copy: Path) -> None:
    ansible_test = Path(sys.executable).with_name("ansible-test")
    command = [str(ansible_test), "sanity", "--python", "3.11", "--local", "--color", "no"]
    for name in SANITY_TESTS:
        command += ["--test", name]
    env = {**os.environ, "HOME": str(_ansible_test_home())}
    result = subprocess.run(
        command, cwd=collection_copy, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    output = result.stdout + result.stderr
    report = "\n".join(line for line in output.splitlines() if "ERROR" in line or "FATAL" in line)
    assert result.returncode == 0, f"ansible-test sanity failed:\n{report or output[-8000:]}"
