"""O(1) bookkeeping of a model's children fields (diffsync scans the list: quadratic per parent)."""

from __future__ import annotations

from typing import Any


class ChildIndex:
    """Unique ids (and shortnames) in one children field of one parent, kept beside the list itself.

    The index remembers the identity and length of the list it mirrors and is rebuilt when the list
    was replaced or changed size behind its back (for example by direct ``append``).
    """

    __slots__ = ("list_id", "length", "uids", "shortnames")

    def __init__(self, values: list[str]) -> None:
        self.list_id = id(values)
        self.length = len(values)
        self.uids: set[str] = set(values)
        self.shortnames: dict[str, str] | None = None

    @staticmethod
    def of(indexes: dict[str, ChildIndex], values: list[str], fieldname: str) -> ChildIndex:
        """The up-to-date index of ``values`` (a parent's ``fieldname`` list), kept in ``indexes``."""
        index = indexes.get(fieldname)
        if index is None or index.list_id != id(values) or index.length != len(values):
            index = indexes[fieldname] = ChildIndex(values)
        return index

    def append(self, values: list[str], uid: str, child: Any) -> None:
        """Append ``uid`` to ``values`` and record it."""
        values.append(uid)
        self.uids.add(uid)
        self.length += 1
        if self.shortnames is not None:
            self.shortnames[child.get_shortname()] = uid

    def remove(self, values: list[str], uid: str) -> None:
        """Remove ``uid`` from ``values`` and forget it."""
        values.remove(uid)
        self.uids.discard(uid)
        self.length -= 1
        self.shortnames = None

    def check_shortname(self, parent: Any, child: Any, uid: str) -> None:
        """Raise ObjectAlreadyExists when a sibling of the same type already has ``child``'s shortname."""
        from .exceptions import ObjectAlreadyExists  # pylint: disable=import-outside-toplevel

        if self.shortnames is None:
            self.shortnames = self._sibling_shortnames(parent, child)
        shortname = child.get_shortname()
        other = self.shortnames.get(shortname)
        if other is not None and other != uid:
            raise ObjectAlreadyExists(
                f"Shortname collision under {parent.get_type()} {parent.get_unique_id()!r}: {child.get_type()} "
                f"{uid!r} and {other!r} both have shortname {shortname!r}",
                child,
            )

    def _sibling_shortnames(self, parent: Any, child: Any) -> dict[str, str]:
        """Shortnames of the siblings already listed, looked up through the parent's adapter when it has one."""
        adapter = parent.adapter
        if adapter is None:
            return {}
        names = {}
        for sibling_uid in self.uids:
            sibling = adapter.get_or_none(child.get_type(), sibling_uid)
            if sibling is not None:
                names[sibling.get_shortname()] = sibling_uid
        return names
