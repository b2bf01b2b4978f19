"""One shared fields-set per distinct set of assigned fields, instead of one set per object.

Pydantic gives every instance its own ``__pydantic_fields_set__``; with the ``adapter`` field added a
model of five fields holds a set of six names, which CPython stores in a 32-slot table (about 730
bytes) — more than the instance and its ``__dict__`` together. Objects of one class nearly always have
the same fields set, so a stored object shares one ``SharedFieldsSet`` with its peers.

Contract: a shared set is never changed. ``DiffSyncModel.__setattr__`` gives the object a private
copy before pydantic would add a name the shared set lacks (see ``private_fields_set``); adding a name
already present is a no-op, so assignments of already-set fields keep sharing. Copies
(``model_copy``, ``copy.copy``) get their own set object.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ._deps import pydantic_slot_setter

set_fields_set = pydantic_slot_setter("__pydantic_fields_set__")
_ADAPTER = frozenset(("adapter",))


class SharedFieldsSet(set[str]):
    """A fields-set held by several objects of one class; treated as read-only.

    ``base``: the fields-set of the object it was last handed out for, which it equals with ``"adapter"``
    added: an object whose own set equals ``base`` can take this one without a longer comparison.
    """

    __slots__ = ("base",)

    def __init__(self, names: Iterable[str] = ()) -> None:
        super().__init__(names)
        self.base: frozenset[str] = frozenset(self)


def shared_fields_set(pool: dict[frozenset[str] | None, SharedFieldsSet], names: set[str]) -> SharedFieldsSet:
    """The set in ``pool`` (a model class's ``_shared_fields_sets``) for an object whose fields-set is ``names``:
    ``names`` with ``"adapter"`` added, made on first use and remembered as the last one shared (callers try
    ``pool.get(None)`` first, nearly always the one wanted, when its ``base`` equals their ``names``)."""
    base = frozenset(names)
    key = base | _ADAPTER
    shared = pool.get(key)
    if shared is None:
        shared = pool[key] = SharedFieldsSet(key)
    shared.base = base
    pool[None] = shared
    return shared


def private_fields_set(obj: Any, name: str) -> None:
    """Before ``name`` is assigned on ``obj``: give it its own fields-set if the shared one lacks ``name``."""
    names = obj.__pydantic_fields_set__
    if type(names) is SharedFieldsSet and name not in names:
        set_fields_set(obj, set(names))
