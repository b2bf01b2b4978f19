"""The engine's exception hierarchy: one root, and the tree drawn in the module docstring is the real one."""

from __future__ import annotations

import inspect
import re

import pytest

from ansible_collections.datasync.diffsync.plugins.module_utils import engine
from ansible_collections.datasync.diffsync.plugins.module_utils.engine import exceptions
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.exceptions import (
    DiffSyncError,
    ObjectAlreadyExists,
    ObjectNotFound,
    ObjectStoreException,
)
from ansible_collections.datasync.diffsync.tests.unit.plugins.module_utils.engine.engine_models import Network

CLASSES = {
    name: value
    for name, value in vars(exceptions).items()
    if inspect.isclass(value) and issubclass(value, BaseException) and value.__module__ == exceptions.__name__
}
BRANCH = re.compile(r"^(?P<indent>[ │]*)[├└]── (?P<name>\w+)")


def documented_tree() -> dict[str, str]:
    """``{class name: parent name}`` read from the box drawing in the module docstring."""
    parents: dict[str, str] = {}
    stack = ["Exception"]
    lines = (exceptions.__doc__ or "").splitlines()
    root = next(line for line in lines if line.strip() == "Exception")
    margin = len(root) - len(root.lstrip())
    for line in lines:
        match = BRANCH.match(line[margin:])
        if not match:
            continue
        depth = len(match["indent"]) // 4 + 1
        del stack[depth:]
        parents[match["name"]] = stack[-1]
        stack.append(match["name"])
    return parents


def test_every_engine_exception_derives_from_diffsync_error() -> None:
    assert DiffSyncError.__bases__ == (Exception,)
    assert len(CLASSES) >= 14
    for name, cls in CLASSES.items():
        assert issubclass(cls, DiffSyncError), name


def test_docstring_tree_lists_every_class_but_the_root() -> None:
    assert documented_tree()["ObjectNotCreated"] == "ObjectCrudException"
    assert documented_tree()["DiffException"] == "Exception"
    assert set(documented_tree()) == set(CLASSES) - {"DiffSyncError"}


@pytest.mark.parametrize("name", sorted(set(CLASSES) - {"DiffSyncError"}))
def test_docstring_tree_matches_the_class_bases(name: str) -> None:
    documented_parent = documented_tree()[name]
    expected = DiffSyncError if documented_parent == "Exception" else CLASSES[documented_parent]
    first, *others = CLASSES[name].__bases__
    assert first is expected
    assert all(base.__module__ == "builtins" for base in others)  # e.g. MissingDependency is an ImportError too


def test_object_already_exists_keeps_the_existing_object_as_diffsync_does() -> None:
    existing = object()
    error = ObjectAlreadyExists("taken", existing)
    assert error.existing_object is existing
    assert error.args == ("taken", existing)


def test_package_exports_are_the_exceptions_module_classes() -> None:
    for name in ("DiffClassMismatch", "ObjectAlreadyExists", "ObjectNotFound", "ObjectStoreWrongType"):
        assert getattr(engine, name) is CLASSES[name]


def test_store_errors_can_be_caught_at_the_root() -> None:
    with pytest.raises(DiffSyncError) as caught:
        Network().get("device", "missing")
    assert isinstance(caught.value, ObjectNotFound)
    assert isinstance(caught.value, ObjectStoreException)
