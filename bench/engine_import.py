"""Importing the engine without installing the collection, and freezing it for one run.

The parent (``run.py``) copies this checkout's engine once into a temporary
``ansible_collections/datasync/diffsync`` tree and hands its root to every worker through
``BENCH_COLLECTIONS_ROOT``, so edits made to the checkout while the benchmark runs never mix two
engine versions in one report. A worker started by hand without that variable imports the
engine as installed, or else through a temporary symlink to the checkout.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
ENGINE_MODULE = "ansible_collections.datasync.diffsync.plugins.module_utils.engine"
ENGINE_SUBDIR = Path("ansible_collections/datasync/diffsync/plugins/module_utils/engine")
ROOT_VARIABLE = "BENCH_COLLECTIONS_ROOT"


def engine_location() -> Path | None:
    """Directory of the importable engine package, or None when it cannot be imported."""
    try:
        module = importlib.import_module(ENGINE_MODULE)
    except ImportError:
        return None
    return Path(module.__file__ or "").resolve().parent


def _use_root(root: Path) -> Path | None:
    """Put a collections root first on ``sys.path`` and import the engine from scratch."""
    sys.path.insert(0, str(root))
    for name in [n for n in sys.modules if n == "ansible_collections" or n.startswith("ansible_collections.")]:
        del sys.modules[name]
    importlib.invalidate_caches()
    return engine_location()


def _temporary_root() -> Path:
    """A temporary directory removed at exit."""
    root = Path(tempfile.mkdtemp(prefix="bench-collections-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    return root


def ensure_engine_importable() -> Path:
    """Make the engine under test importable and return its directory.

    With ``BENCH_COLLECTIONS_ROOT`` set, the frozen copy under that root. Otherwise this
    checkout's engine: as installed if that resolves to this checkout, else through a temporary
    ``ansible_collections/datasync/diffsync`` symlink to the repository root.
    """
    frozen = os.environ.get(ROOT_VARIABLE)
    wanted = (Path(frozen) / ENGINE_SUBDIR if frozen else REPO_ROOT / "plugins" / "module_utils" / "engine").resolve()
    if engine_location() == wanted:
        return wanted
    if frozen:
        found = _use_root(Path(frozen))
    else:
        root = _temporary_root()
        link = root / "ansible_collections" / "datasync" / "diffsync"
        link.parent.mkdir(parents=True)
        link.symlink_to(REPO_ROOT, target_is_directory=True)
        found = _use_root(root)
    if found != wanted:
        raise ImportError(f"cannot import {ENGINE_MODULE} from {wanted} (found {found})")
    return wanted


def files_hash(engine_dir: Path) -> str:
    """Short hash of the engine's Python files (names and contents)."""
    digest = hashlib.sha256()
    for path in sorted(engine_dir.rglob("*.py")):
        digest.update(path.relative_to(engine_dir).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:10]


def git_state(engine_dir: Path) -> str:
    """Last commit that touched the checkout's engine, with ``+changes`` when its files differ from it."""
    git = ["git", "-C", str(REPO_ROOT)]
    log = [*git, "log", "-1", "--format=%h", "--", str(engine_dir)]
    commit = subprocess.run(log, capture_output=True, text=True, check=False).stdout.strip()  # noqa: S603
    status = [*git, "status", "--porcelain", "--", str(engine_dir)]
    changed = subprocess.run(status, capture_output=True, text=True, check=False).stdout.strip()  # noqa: S603
    return f"{commit or 'unknown'}{'+changes' if changed else ''}"


def freeze_engine() -> tuple[Path, str]:
    """Copy the checkout's engine into a temporary collections root; return the root and its version."""
    source = REPO_ROOT / "plugins" / "module_utils" / "engine"
    root = _temporary_root()
    state = git_state(source)
    shutil.copytree(source, root / ENGINE_SUBDIR, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return root, f"{state} (files {files_hash(root / ENGINE_SUBDIR)})"
