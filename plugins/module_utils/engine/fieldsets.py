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

from typing import Any

from ._deps import pydantic_slot_setter

_ADAPTER = frozenset(("adapter",))
_set_fields_set = pydantic_slot_setter("__pydantic_fields_set__")


class SharedFieldsSet(set[str]):
    """A fields-set held by several objects of one class; treated as read-only."""

    __slots__ = ()


def share_fields_set(obj: Any, *, plus_adapter: bool = False) -> None:
    """Replace ``obj``'s fields-set by the shared one with the same names (plus ``adapter`` if asked)."""
    names = obj.__pydantic_fields_set__
    pool = obj._shared_fields_sets  # one dict per model class, set when the class is defined (read through
    # the object: through the class it would pass pydantic's metaclass hook)
    last = pool.get(None)  # the set shared most recently: nearly always the one wanted
    if (
        last is not None
        and names <= last
        and len(last) == len(names) + (plus_adapter and "adapter" not in names)
        and (not plus_adapter or "adapter" in last)
    ):
        _set_fields_set(obj, last)
        return
    key = frozenset(names) | _ADAPTER if plus_adapter else frozenset(names)
    shared = pool.get(key)
    if shared is None:
        shared = pool[key] = SharedFieldsSet(key)
    pool[None] = shared
    _set_fields_set(obj, shared)


def private_fields_set(obj: Any, name: str) -> None:
    """Before ``name`` is assigned on ``obj``: give it its own fields-set if the shared one lacks ``name``."""
    names = obj.__pydantic_fields_set__
    if type(names) is SharedFieldsSet and name not in names:
        _set_fields_set(obj, set(names))
