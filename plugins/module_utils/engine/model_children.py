"""O(1) bookkeeping of a model's children fields (diffsync scans the list: quadratic per parent)."""

from __future__ import annotations

from typing import Any

from .exceptions import ObjectAlreadyExists


class ChildIndex:
    """Unique ids (and sibling shortnames) in one children field of one parent, kept beside the list.

    The index remembers the identity, length and last item of the list it mirrors and is rebuilt when
    any of them changed behind its back (direct ``append``/``pop``/``remove``); assigning the field
    drops the index (see ``DiffSyncModel.__setattr__``).
    """

    __slots__ = ("list_id", "length", "last", "uids", "shortnames")

    def __init__(self, values: list[str]) -> None:
        self.list_id = id(values)
        self.length = len(values)
        self.last = values[-1] if values else None
        self.uids: set[str] = set(values)
        self.shortnames: dict[str, tuple[str, Any]] | None = None

    @staticmethod
    def of(indexes: dict[str, ChildIndex], values: list[str], fieldname: str) -> ChildIndex:
        """The up-to-date index of ``values`` (a parent's ``fieldname`` list), kept in ``indexes``."""
        index = indexes.get(fieldname)
        if index is None or not index.mirrors(values):
            index = indexes[fieldname] = ChildIndex(values)
        return index

    def mirrors(self, values: list[str]) -> bool:
        """True when ``values`` is still the list this index was built from, unchanged since."""
        return (
            self.list_id == id(values)
            and self.length == len(values)
            and self.last == (values[-1] if values else None)
        )

    def append(self, values: list[str], uid: str, child: Any, shortname: str | None) -> None:
        """Append ``uid`` to ``values`` and record it (with its shortname, when the model declares one)."""
        values.append(uid)
        self.uids.add(uid)
        self.length += 1
        self.last = uid
        if self.shortnames is not None and shortname is not None:
            self.shortnames[shortname] = (uid, child)

    def remove(self, values: list[str], uid: str, child: Any) -> None:
        """Remove ``uid`` from ``values`` and forget it (list removal scans, as in diffsync)."""
        values.remove(uid)
        self.uids.discard(uid)
        self.length -= 1
        self.last = values[-1] if values else None
        if self.shortnames is not None:
            entry = self.shortnames.get(child.get_shortname())
            if entry is not None and entry[0] == uid:
                del self.shortnames[child.get_shortname()]

    def check_shortname(self, parent: Any, child: Any, uid: str, shortname: str) -> None:
        """Raise ObjectAlreadyExists, naming both children, when a sibling already has ``shortname``."""
        if self.shortnames is None:
            self.shortnames = self._sibling_shortnames(parent, child)
        entry = self.shortnames.get(shortname)
        if entry is not None and entry[0] != uid:
            raise ObjectAlreadyExists(
                f"Shortname collision under {parent.get_type()} {parent.get_unique_id()!r}: {child.get_type()} "
                f"{uid!r} and {entry[0]!r} both have shortname {shortname!r}; shortnames must be unique "
                f"among the children of one parent",
                entry[1],
            )

    def _sibling_shortnames(self, parent: Any, child: Any) -> dict[str, tuple[str, Any]]:
        """Shortnames of the siblings already listed, looked up through the parent's adapter when it has one."""
        adapter = parent.adapter
        if adapter is None:
            return {}
        names = {}
        for sibling_uid in self.uids:
            sibling = adapter.get_or_none(child.get_type(), sibling_uid)
            if sibling is not None:
                names[sibling.get_shortname()] = (sibling_uid, sibling)
        return names
