"""Engine logging: silent by default, stderr only when asked, and no Ansible import anywhere in the engine."""

from __future__ import annotations

import ast
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ansible_collections.datasync.diffsync.plugins.module_utils import engine
from ansible_collections.datasync.diffsync.plugins.module_utils.engine import DiffSyncFlags
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.exceptions import ObjectNotCreated
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.logging import (
    LOGGER_NAME,
    enable_console_logging,
    get_logger,
)
from ansible_collections.datasync.diffsync.tests.unit.plugins.module_utils.engine.engine_models import (
    RETURN_NONE,
    FaultyNetwork,
    pair,
)

ENGINE_DIR = Path(engine.__file__).parent
MODELS = "ansible_collections.datasync.diffsync.tests.unit.plugins.module_utils.engine.engine_models"
EVERYTHING = DiffSyncFlags.CONTINUE_ON_FAILURE | DiffSyncFlags.LOG_UNCHANGED_RECORDS


@pytest.fixture
def engine_logger() -> Iterator[logging.Logger]:
    """The engine logger in its import-time state (no console handler), restored afterwards."""
    logger = logging.getLogger(LOGGER_NAME)
    saved = (list(logger.handlers), logger.level, logger.propagate)
    for handler in list(logger.handlers):
        if not isinstance(handler, logging.NullHandler):
            logger.removeHandler(handler)
    logger.setLevel(logging.NOTSET)
    yield logger
    logger.handlers[:] = saved[0]
    logger.setLevel(saved[1])
    logger.propagate = saved[2]


def noisy_run() -> None:
    """Load, diff and sync with every kind of outcome: success, CRUD error, None result, unchanged, exception."""
    source, target = pair(FaultyNetwork)
    target.faults[("create", "r1__eth1")] = ObjectNotCreated("no free port")  # type: ignore[attr-defined]
    target.faults[("delete", "r4")] = RETURN_NONE  # type: ignore[attr-defined]
    target.sync_from(source, flags=EVERYTHING)
    source, target = pair(FaultyNetwork)
    target.faults[("update", "r1")] = ValueError("bad value")  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="bad value"):
        target.sync_from(source, flags=EVERYTHING)
    device = target.get("device", "r2")
    device.interfaces.append("r2__ghost")  # type: ignore[attr-defined]  # a missing child: logged at ERROR
    target.remove(device, remove_children=True)


def test_get_logger_names_children_of_the_engine_logger() -> None:
    assert get_logger().name == LOGGER_NAME == "diffsync"
    assert get_logger("sync").name == "diffsync.sync"
    assert any(isinstance(handler, logging.NullHandler) for handler in logging.getLogger(LOGGER_NAME).handlers)


def test_silent_by_default(engine_logger: logging.Logger, capfd: pytest.CaptureFixture[str]) -> None:
    noisy_run()
    assert capfd.readouterr() == ("", "")


@pytest.mark.parametrize(("verbosity", "shown", "hidden"), [
    (0, ["WARNING", "ERROR"], ["INFO", "DEBUG"]),
    (1, ["WARNING", "ERROR", "INFO"], ["DEBUG"]),
    (2, ["WARNING", "ERROR", "INFO", "DEBUG"], []),
])
def test_console_logging_goes_to_stderr_at_the_chosen_level(
    engine_logger: logging.Logger, capfd: pytest.CaptureFixture[str], verbosity: int, shown: list[str],
    hidden: list[str],
) -> None:
    enable_console_logging(verbosity)
    noisy_run()
    out, err = capfd.readouterr()
    assert out == ""
    levels = {line.split("[", 1)[1].split("]", 1)[0].strip() for line in err.splitlines() if "[" in line}
    assert set(shown) <= levels
    assert not set(hidden) & levels


def test_console_logging_names_failures(engine_logger: logging.Logger, capfd: pytest.CaptureFixture[str]) -> None:
    enable_console_logging(0)
    noisy_run()
    err = capfd.readouterr().err
    assert "no free port" in err
    assert "r2__ghost" in err
    assert "did not return the model object" in err


def test_unchanged_records_are_logged_at_debug(
    engine_logger: logging.Logger, capfd: pytest.CaptureFixture[str]
) -> None:
    enable_console_logging(2)
    source, target = pair(FaultyNetwork)
    target.sync_from(source, flags=DiffSyncFlags.LOG_UNCHANGED_RECORDS)
    err = capfd.readouterr().err
    assert "device 'r2': no changes to apply" in err


def test_enabling_twice_does_not_duplicate_lines(
    engine_logger: logging.Logger, capfd: pytest.CaptureFixture[str]
) -> None:
    enable_console_logging(1)
    enable_console_logging(1)
    source, target = pair(FaultyNetwork)
    target.sync_from(source)
    err = capfd.readouterr().err
    assert err.count("Sync of FaultyNetwork \"source\" into FaultyNetwork \"target\"") == 1
    consoles = [h for h in engine_logger.handlers if not isinstance(h, logging.NullHandler)]
    assert len(consoles) == 1


def test_enabling_again_replaces_the_level(engine_logger: logging.Logger, capfd: pytest.CaptureFixture[str]) -> None:
    enable_console_logging(2)
    enable_console_logging(0)
    noisy_run()
    err = capfd.readouterr().err
    assert "[INFO" not in err
    assert "[DEBUG" not in err
    assert "[WARNING" in err


# -- a fresh process: default silence and no ansible import -------------------------------------------------

CHILD = f"""
import importlib, json, pkgutil, sys
from {MODELS} import FaultyNetwork, RETURN_NONE, pair
from ansible_collections.datasync.diffsync.plugins.module_utils import engine
from ansible_collections.datasync.diffsync.plugins.module_utils.engine import DiffSyncFlags
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.exceptions import ObjectNotCreated

for info in pkgutil.walk_packages(engine.__path__, engine.__name__ + "."):
    importlib.import_module(info.name)
source, target = pair(FaultyNetwork)
target.faults[("create", "r1__eth1")] = ObjectNotCreated("no free port")
target.faults[("delete", "r4")] = RETURN_NONE
target.sync_from(source, flags=DiffSyncFlags.CONTINUE_ON_FAILURE | DiffSyncFlags.LOG_UNCHANGED_RECORDS)
source, target = pair(FaultyNetwork)
target.faults[("update", "r1")] = ValueError("bad value")
try:
    target.sync_from(source)
except ValueError:
    pass
device = target.get("device", "r2")
device.interfaces.append("r2__ghost")
target.remove(device, remove_children=True)
ansible = sorted(name for name in sys.modules if name == "ansible" or name.startswith("ansible."))
with open(sys.argv[1], "w") as handle:
    json.dump(ansible, handle)
"""


@pytest.fixture(scope="module")
def child_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    result_file = tmp_path_factory.mktemp("engine-child") / "modules.json"
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHONWARNINGS")}
    done = subprocess.run([sys.executable, "-c", CHILD, str(result_file)], capture_output=True, text=True,
                          timeout=60, env=env, check=False)
    modules = json.loads(result_file.read_text()) if result_file.exists() else ["<child failed>"]
    return done, modules


def test_a_fresh_process_prints_nothing(child_run: tuple[subprocess.CompletedProcess[str], list[str]]) -> None:
    done, _ = child_run
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_importing_every_engine_module_imports_no_ansible(
    child_run: tuple[subprocess.CompletedProcess[str], list[str]],
) -> None:
    assert child_run[1] == []


def ansible_imports(path: Path) -> list[str]:
    """Modules named ``ansible`` or ``ansible.*`` that the file imports (statically or by import_module)."""
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in {"import_module", "__import__"} and isinstance(node.args[0].value, str):
                names = [node.args[0].value]
        found.extend(name for name in names if name == "ansible" or name.startswith("ansible."))
    return found


def test_the_import_scan_finds_every_form_of_ansible_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os, ansible\n"
        "import ansible.module_utils.basic as basic\n"
        "from ansible.module_utils.common.text import converters\n"
        "from . import ansible_helpers\n"
        "from ansible_collections.x.y import z\n"
        "def late():\n"
        "    importlib.import_module('ansible.errors')\n"
        "    __import__('ansible')\n",
        encoding="utf-8",
    )
    assert ansible_imports(sample) == [
        "ansible", "ansible.module_utils.basic", "ansible.module_utils.common.text", "ansible.errors", "ansible"]


def test_no_engine_source_file_imports_ansible() -> None:
    sources = sorted(ENGINE_DIR.rglob("*.py"))
    assert len(sources) > 20
    found = {str(path.relative_to(ENGINE_DIR)): ansible_imports(path) for path in sources}
    assert {name: modules for name, modules in found.items() if modules} == {}
