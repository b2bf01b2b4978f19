"""O(1) bookkeeping of a model's children fields (diffsync scans the list: quadratic per parent)."""

from __future__ import annotations

from typing import Any

from .exceptions import ObjectAlreadyExists

SCAN_LIMIT = 16  # up to this many children a list scan is cheaper (in time and memory) than a set


class ChildIndex:
    """Unique ids (and sibling shortnames) in one children field of one parent, kept beside the list.

    The index remembers the identity, length and last item of the list it mirrors; the model rebuilds it
    when any of them changed behind its back (direct ``append``/``pop``/``remove``, see
    ``DiffSyncModel._child_index``); assigning the field drops the index (see ``DiffSyncModel.__setattr__``).
    """

    __slots__ = ("list_id", "length", "last", "uids", "shortnames")

    def __init__(self, values: list[str]) -> None:
        self.list_id = id(values)
        self.length = len(values)
        self.last = values[-1] if values else None
        self.uids: set[str] | None = set(values) if len(values) > SCAN_LIMIT else None
        self.shortnames: dict[str, Any] | None = None

    def holds(self, values: list[str], uid: str) -> bool:
        """Whether ``uid`` is in ``values`` (a scan of at most SCAN_LIMIT items, else a set lookup)."""
        return uid in (values if self.uids is None else self.uids)

    def append(self, values: list[str], uid: str, child: Any, shortname: str | None) -> None:
        """Append ``uid`` to ``values`` and record it (with its shortname, when the model declares one)."""
        values.append(uid)
        self.length += 1
        self.last = uid
        if self.uids is not None:
            self.uids.add(uid)
        elif self.length > SCAN_LIMIT:
            self.uids = set(values)
        if self.shortnames is not None and shortname is not None:
            self.shortnames[shortname] = child

    def remove(self, values: list[str], uid: str, child: Any) -> None:
        """Remove ``uid`` from ``values`` and forget it (list removal scans, as in diffsync)."""
        values.remove(uid)
        if self.uids is not None:
            self.uids.discard(uid)
        self.length -= 1
        self.last = values[-1] if values else None
        if self.shortnames is not None:
            shortname = child.get_shortname()
            if self.shortnames.get(shortname) is child:
                del self.shortnames[shortname]

    def check_shortname(  # pylint: disable=too-many-arguments
        self, values: list[str], parent: Any, child: Any, uid: str, shortname: str
    ) -> None:
        """Raise ObjectAlreadyExists, naming both children, when a sibling in ``values`` already has ``shortname``."""
        if self.shortnames is None:
            self.shortnames = self._sibling_shortnames(values, parent, child)
        sibling = self.shortnames.get(shortname)
        if sibling is not None and sibling is not child and sibling.get_unique_id() != uid:
            raise ObjectAlreadyExists(
                f"Shortname collision under {parent.get_type()} {parent.get_unique_id()!r}: {child.get_type()} "
                f"{uid!r} and {sibling.get_unique_id()!r} both have shortname {shortname!r}; shortnames must be "
                f"unique among the children of one parent",
                sibling,
            )

    @staticmethod
    def _sibling_shortnames(values: list[str], parent: Any, child: Any) -> dict[str, Any]:
        """Shortnames of the siblings already listed, looked up through the parent's adapter when it has one."""
        adapter = parent.adapter
        if adapter is None:
            return {}
        names = {}
        for sibling_uid in values:
            sibling = adapter.get_or_none(child.get_type(), sibling_uid)
            if sibling is not None:
                names[sibling.get_shortname()] = sibling
        return names
