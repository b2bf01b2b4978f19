"""O(1) bookkeeping of a model's children fields (diffsync scans the list: quadratic per parent)."""

from __future__ import annotations

from typing import Any

from .exceptions import ObjectAlreadyExists, ObjectNotFound
from .model_plan import known_plan, new_plan

SCAN_LIMIT = 16  # up to this many children a list scan is cheaper (in time and memory) than a set


class ChildIndex:
    """Unique ids (and sibling shortnames) in one children field of one parent, kept beside the list.

    The index remembers the list it mirrors, its length and its last item, and starts over when
    any of them changed behind its back (direct ``append``/``pop``/``remove``): ``add`` checks that itself,
    other callers call ``sync`` first. Assigning the field drops the index (see ``DiffSyncModel.__setattr__``).
    """

    __slots__ = ("values", "length", "last", "uids", "shortnames")

    def __init__(self, values: list[str]) -> None:
        self.reset(values)

    def reset(self, values: list[str]) -> None:
        """Mirror ``values`` as they are now."""
        self.values = values  # the list itself (its parent holds it too): compared by identity
        self.length = len(values)
        self.last = values[-1] if values else None
        self.uids: set[str] | None = set(values) if len(values) > SCAN_LIMIT else None
        self.shortnames: dict[str, Any] | None = None

    def sync(self, values: list[str]) -> None:
        """Start over if ``values`` is not the list this index mirrors, as it was last seen."""
        if self.values is not values or self.length != len(values) or (values and self.last != values[-1]):
            self.reset(values)

    def holds(self, values: list[str], uid: str) -> bool:
        """Whether ``uid`` is in ``values`` (a scan of at most SCAN_LIMIT items, else a set lookup)."""
        return uid in (values if self.uids is None else self.uids)

    def add(self, values: list[str], parent: Any, child: Any, uid: str, shortname: str | None) -> None:
        """Append ``child``'s unique id ``uid`` to ``values`` (``parent``'s children list) and record it.

        ``shortname``: the child's, or None for models without ``_shortname``. Raises ObjectAlreadyExists
        when the unique id, or the shortname of another sibling, is already there.
        """
        # (``sync`` and ``holds``, inline: a load runs this once per child)
        if self.values is not values or self.length != len(values) or (values and self.last != values[-1]):
            self.reset(values)
        if uid in (values if self.uids is None else self.uids):
            raise ObjectAlreadyExists(f"Already storing a {child.get_type()} with unique_id {uid}", child)
        if shortname is not None:
            names = self.shortnames
            if names is None:
                names = self.shortnames = self._sibling_shortnames(values, parent, child)
            sibling = names.get(shortname)
            if sibling is not None and sibling is not child and sibling.get_unique_id() != uid:
                self._collision(parent, child, uid, shortname, sibling)
            names[shortname] = child
        values.append(uid)
        self.length += 1
        self.last = uid
        if self.uids is not None:
            self.uids.add(uid)
        elif self.length > SCAN_LIMIT:
            self.uids = set(values)

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

    @staticmethod
    def _collision(parent: Any, child: Any, uid: str, shortname: str, sibling: Any) -> None:
        """Raise ObjectAlreadyExists naming both children that claim ``shortname``."""
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
        cls = type(child)
        plan = known_plan(cls) or new_plan(cls)
        child_type = plan.modelname
        try:  # one batched read; a sibling missing from the store is skipped, as one at a time would
            siblings = adapter.get_by_uids(list(values), child_type)
        except ObjectNotFound:
            siblings = [adapter.get_or_none(child_type, uid) for uid in values]
        shortname_of = plan.shortname_of
        if shortname_of is None:
            return {sibling.get_shortname(): sibling for sibling in siblings if sibling is not None}
        # siblings of the child's class: what get_shortname() returns, computed from __dict__ without the call
        return {
            (shortname_of(sibling.__dict__) if type(sibling) is cls else sibling.get_shortname()): sibling
            for sibling in siblings
            if sibling is not None
        }
