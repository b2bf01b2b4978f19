"""Pausing Python's cyclic garbage collector around the engine's bulk work.

Loading, diffing or syncing 100k objects allocates millions of containers, and the collector walks
every live object again and again while that happens (about a third of the load time at 100k
objects a side). The engine's bulk steps create no garbage cycles worth collecting, so they run with
the collector paused and restore it afterwards, even on errors. Nesting is safe; a collector the
caller had already disabled stays disabled.

Resuming: everything allocated during the pause counts as young, so the first allocation after it would
make the collector walk all of it (about 0.1 s after a 100k-object load or diff, inside the caller's
timing). Those objects are long-lived (stores, diffs), so the outermost exit instead hands every tracked
object to the oldest generation with ``gc.freeze()`` then ``gc.unfreeze()`` (two list splices, no walk):
they are examined at the next full collection, as long-lived objects are, and cyclic garbage made during
the pause is still collected then. A process that froze objects itself (``gc.get_freeze_count()``) is
left alone: unfreezing would undo its freeze, so there the walk happens as usual.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])
_lock = threading.Lock()
_depth = 0
_reenable = False


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Run the block with the cyclic collector disabled; re-enable it at the outermost exit if it was on."""
    global _depth, _reenable  # noqa: PLW0603 - one process-wide collector, one process-wide pause
    with _lock:
        if _depth == 0:
            _reenable = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _reenable:
                _age_without_walk()
                gc.enable()


def _age_without_walk() -> None:
    """Move every tracked object to the oldest generation without examining it (see the module docstring)."""
    if gc.get_freeze_count() == 0:  # nothing frozen by the process: our unfreeze undoes only our freeze
        gc.freeze()
        gc.unfreeze()


def with_paused_gc(function: F) -> F:
    """Decorator form of ``paused_gc``."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with paused_gc():
            return function(*args, **kwargs)

    wrapper.__wrapped_by_paused_gc__ = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]
