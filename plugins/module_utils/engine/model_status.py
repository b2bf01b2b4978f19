"""Where a model keeps the outcome of its last create/update/delete: ``__pydantic_private__``.

The status is not a declared pydantic private attribute (declaring one costs microseconds on every
instance built); it sits in ``__pydantic_private__`` so that copies carry it and ``==`` sees it, as in
diffsync. A sync sets a status on nearly every object, so objects whose private state is only a status
share one read-only dict per (status, message) pair: a change always installs another dict, never
edits the one in place. Objects with private attributes of their own keep their own dict.
"""

from __future__ import annotations

from typing import Any

from .enum import DiffSyncStatus

STATUS, MESSAGE = "_status", "_status_message"
_OWN_KEYS = frozenset((STATUS, MESSAGE))
_SHARED_LIMIT = 256  # distinct (status, message) pairs shared; error texts beyond that get their own dict
_shared: dict[tuple[Any, str], dict[str, Any]] = {}


def read_status(obj: Any) -> tuple[DiffSyncStatus, str]:
    """The status and message of ``obj`` (SUCCESS and "" when none was set)."""
    private = obj.__pydantic_private__
    if not private:
        return DiffSyncStatus.SUCCESS, ""
    return private.get(STATUS, DiffSyncStatus.SUCCESS), private.get(MESSAGE, "")


def write_status(obj: Any, status: DiffSyncStatus, message: str) -> None:
    """Record ``status`` and ``message`` on ``obj``."""
    private = obj.__pydantic_private__
    if private and not _OWN_KEYS.issuperset(private):  # the model has private attributes of its own
        private[STATUS] = status
        private[MESSAGE] = message
        return
    key = (status, message)
    state = _shared.get(key)
    if state is None:
        state = {STATUS: status, MESSAGE: message}
        if len(_shared) < _SHARED_LIMIT:
            _shared[key] = state
    object.__setattr__(obj, "__pydantic_private__", state)
