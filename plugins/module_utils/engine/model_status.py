"""Where a model keeps the outcome of its last create/update/delete: ``__pydantic_private__``.

The status is not a declared pydantic private attribute (declaring one costs microseconds on every
instance built); it sits in ``__pydantic_private__`` so that copies carry it and ``==`` sees it, as in
diffsync. A sync sets a status on nearly every object, so objects whose private state is only a status
share one read-only dict per (status, message) pair: a change always installs another dict, never
edits the one in place. Objects with private attributes of their own keep their own dict.
"""

from __future__ import annotations

from typing import Any

from ._deps import pydantic_slot_setter
from .enum import DiffSyncStatus

STATUS, MESSAGE = "_status", "_status_message"
_OWN_KEYS = frozenset((STATUS, MESSAGE))
_SHARED_LIMIT = 256  # distinct (status, message) pairs shared; error texts beyond that get their own dict


class SharedStatus(dict[str, Any]):
    """A status dict shared by every object with that status and message; never changed."""

    __slots__ = ()


# keyed by (id of the DiffSyncStatus member, message): hashing an Enum member runs Python code
_shared: dict[tuple[int, str], SharedStatus] = {}
_set_private = pydantic_slot_setter("__pydantic_private__")


def read_status(obj: Any) -> tuple[DiffSyncStatus, str]:
    """The status and message of ``obj`` (SUCCESS and "" when none was set)."""
    private = obj.__pydantic_private__
    if not private:
        return DiffSyncStatus.SUCCESS, ""
    return private.get(STATUS, DiffSyncStatus.SUCCESS), private.get(MESSAGE, "")


def write_status(self: Any, status: DiffSyncStatus, message: str = "") -> None:
    """Record ``status`` and ``message`` on the model ``self`` (this function is ``DiffSyncModel.set_status``)."""
    private = self.__pydantic_private__
    if private is not None and type(private) is not SharedStatus and not _OWN_KEYS.issuperset(private):
        private[STATUS] = status  # the model has private attributes of its own: edit its dict
        private[MESSAGE] = message
        return
    if type(status) is DiffSyncStatus:
        key = (id(status), message)
        state: dict[str, Any] = _shared.get(key) or _share(key, status, message)
    else:  # not a DiffSyncStatus member: never shared
        state = {STATUS: status, MESSAGE: message}
    _set_private(self, state)


def mark_unknown(objects: list[Any]) -> None:
    """``write_status(obj, DiffSyncStatus.UNKNOWN)`` for each of ``objects``, in one loop (a sync marks every
    unchanged object so)."""
    unknown = DiffSyncStatus.UNKNOWN
    key = (id(unknown), "")
    state = _shared.get(key) or _share(key, unknown, "")
    for obj in objects:
        private = obj.__pydantic_private__
        if private is None or type(private) is SharedStatus:
            _set_private(obj, state)
        else:  # private attributes of its own
            write_status(obj, unknown)


def _share(key: tuple[int, str], status: DiffSyncStatus, message: str) -> SharedStatus:
    """A new read-only status dict for ``status`` and ``message``, kept under ``key`` while the cache has room."""
    state = SharedStatus({STATUS: status, MESSAGE: message})
    if len(_shared) < _SHARED_LIMIT:
        _shared[key] = state
    return state
