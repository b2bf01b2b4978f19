"""Model and adapter classes for the benchmark, written once and built for either library.

``build_classes(lib)`` takes the library's top-level module (``diffsync`` or the collection's
``engine``) and returns a device model, an interface model and an adapter class declared exactly
as a diffsync user would declare them. ``load_side`` fills an adapter from the plain dicts of
``data.py`` the way an adapter's ``load()`` does: build the models, ``adapter.add()`` them and
``parent.add_child(child)``.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib
import shutil
import subprocess
import sys
import tempfile
import types
import typing as t
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
ENGINE_MODULE = "ansible_collections.datasync.diffsync.plugins.module_utils.engine"


class Classes(t.NamedTuple):
    """The classes built for one library."""

    device: type
    interface: type
    adapter: type


def build_classes(lib: types.ModuleType) -> Classes:
    """Declare Device, Interface and an inventory adapter on ``lib``'s base classes."""

    class Interface(lib.DiffSyncModel):  # type: ignore[name-defined]
        _modelname = "interface"
        _identifiers = ("device_name", "name")
        _shortname = ("name",)
        _attributes = ("description", "enabled", "mtu")

        device_name: str
        name: str
        description: str = ""
        enabled: bool = True
        mtu: int = 1500

    class Device(lib.DiffSyncModel):  # type: ignore[name-defined]
        _modelname = "device"
        _identifiers = ("name",)
        _attributes = ("site", "role", "serial")
        _children = {"interface": "interfaces"}  # noqa: RUF012 - declared as diffsync users do

        name: str
        site: str
        role: str
        serial: str
        interfaces: list[str] = []  # noqa: RUF012 - pydantic copies field defaults

    class Inventory(lib.Adapter):  # type: ignore[name-defined]
        device = Device
        interface = Interface
        top_level = ["device"]  # noqa: RUF012 - declared as diffsync users do
        records: list[dict[str, t.Any]] = []  # noqa: RUF012 - set per instance before load()

        def load(self) -> None:
            """Fill the adapter from ``self.records``, as a real adapter's load() reads its source."""
            load_side(self, classes, self.records)

    classes = Classes(device=Device, interface=Interface, adapter=Inventory)
    for cls in classes:
        publish(cls, lib.__name__.rsplit(".", 1)[-1])
    return classes


def publish(cls: type, prefix: str) -> None:
    """Make ``cls`` reachable as ``models.<prefix>_<name>`` so pickle (diffsync's RedisStore) finds it."""
    cls.__qualname__ = f"{prefix}_{cls.__name__}"
    setattr(sys.modules[__name__], cls.__qualname__, cls)


def load_side(adapter: t.Any, classes: Classes, side: list[dict[str, t.Any]]) -> None:
    """Fill ``adapter`` from one side's dicts, as an adapter's ``load()`` would.

    Children are attached before the parent is added: with a store that keeps copies
    (diffsync's RedisStore) a child attached after ``add(parent)`` would be lost, and with a
    live-object store the order makes no difference.
    """
    for record in side:
        fields = {key: value for key, value in record.items() if key != "interfaces"}
        device = classes.device(**fields)
        for interface_fields in record["interfaces"]:
            interface = classes.interface(**interface_fields)
            adapter.add(interface)
            device.add_child(interface)
        adapter.add(device)


def _engine_location() -> Path | None:
    """Directory of the importable engine package, or None when it cannot be imported."""
    try:
        module = importlib.import_module(ENGINE_MODULE)
    except ImportError:
        return None
    return Path(module.__file__ or "").resolve().parent


def _purge_collection_modules() -> None:
    """Forget any half-imported ``ansible_collections`` modules so the next import starts afresh."""
    for name in [n for n in sys.modules if n == "ansible_collections" or n.startswith("ansible_collections.")]:
        del sys.modules[name]


def ensure_engine_importable() -> Path:
    """Make this checkout's engine importable and return its directory.

    When the engine cannot be imported, or resolves to another copy than this checkout, a
    temporary ``ansible_collections/datasync/diffsync`` symlink to the repository root is put first
    on ``sys.path``; the directory (only a symlink inside) is removed at exit.
    """
    wanted = (REPO_ROOT / "plugins" / "module_utils" / "engine").resolve()
    if _engine_location() == wanted:
        return wanted
    root = Path(tempfile.mkdtemp(prefix="bench-collections-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    link = root / "ansible_collections" / "datasync" / "diffsync"
    link.parent.mkdir(parents=True)
    link.symlink_to(REPO_ROOT, target_is_directory=True)
    sys.path.insert(0, str(root))
    _purge_collection_modules()
    importlib.invalidate_caches()
    found = _engine_location()
    if found != wanted:
        raise ImportError(f"cannot import {ENGINE_MODULE} from {REPO_ROOT} (found {found})")
    return wanted


def engine_version() -> str:
    """Last commit that touched the engine, ``+changes`` when its files differ from it, and a content hash."""
    engine = REPO_ROOT / "plugins" / "module_utils" / "engine"
    digest = hashlib.sha256()
    for path in sorted(engine.rglob("*.py")):
        digest.update(path.relative_to(engine).as_posix().encode() + b"\0" + path.read_bytes())
    git = ["git", "-C", str(REPO_ROOT)]
    log = [*git, "log", "-1", "--format=%h", "--", str(engine)]
    commit = subprocess.run(log, capture_output=True, text=True, check=False).stdout.strip()  # noqa: S603
    status = [*git, "status", "--porcelain", "--", str(engine)]
    changed = subprocess.run(status, capture_output=True, text=True, check=False).stdout.strip()  # noqa: S603
    return f"{commit or 'unknown'}{'+changes' if changed else ''} (files {digest.hexdigest()[:10]})"


def import_library(impl: t.Literal["diffsync", "engine"]) -> types.ModuleType:
    """The top-level module of the implementation under test."""
    if impl == "diffsync":
        return importlib.import_module("diffsync")
    ensure_engine_importable()
    return importlib.import_module(ENGINE_MODULE)
