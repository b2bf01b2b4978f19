"""Small helpers shared by the engine modules."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")


def intersection(first: list[T], second: list[T]) -> list[T]:
    """Items of ``first`` that are also in ``second``, in ``first``'s order."""
    wanted = set(second)
    return [item for item in first if item in wanted]


def symmetric_difference(first: list[T], second: list[T]) -> list[T]:
    """Items in exactly one of the two lists, sorted."""
    return sorted(set(first) ^ set(second))  # type: ignore[type-var]


class OrderedDefaultDict(OrderedDict, Generic[K, V]):
    """An insertion-ordered dict that creates missing values with ``factory``."""

    def __init__(self, factory: Callable[[], V] = dict) -> None:  # type: ignore[assignment]
        super().__init__()
        self.factory = factory

    def __missing__(self, key: K) -> V:
        value = self.factory()
        self[key] = value
        return value


def tree_lines(tree: dict[str, Any], prefix: str = "") -> Iterator[str]:
    """Yield the lines of a box-drawing tree view of nested dict keys."""
    names = list(tree)
    for position, name in enumerate(names):
        last = position == len(names) - 1
        yield f"{prefix}{'└── ' if last else '├── '}{name}"
        if isinstance(tree[name], dict):
            yield from tree_lines(tree[name], prefix + ("    " if last else "│   "))


def tree_string(tree: dict[str, Any], root: str) -> str:
    """The tree view of ``tree`` under a ``root`` heading."""
    return "\n".join([root, *tree_lines(tree)])


def find_key_path(tree: dict[str, Any], key: str) -> list[str] | None:
    """Path of nested keys leading to ``key`` in ``tree``, or None."""
    for name, subtree in tree.items():
        if name == key:
            return [name]
        if isinstance(subtree, dict):
            path = find_key_path(subtree, key)
            if path is not None:
                return [name, *path]
    return None


def ensure_key_path(tree: dict[str, Any], path: list[str]) -> None:
    """Create the nested dicts along ``path``."""
    level = tree
    for name in path:
        level = level.setdefault(name, {})
