# Copyright: (c) 2025, datasync maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The ``--diff`` view: one Ansible diff per changed object, its attributes before and after.

A task's ``diff`` may be a list; Ansible prints each entry as its own unified diff, so every object
gets its own block, headed by the adapter, the model and the unique id::

    --- before: network device sw1
    +++ after: sot device sw1
    @@ -1,2 +1,2 @@
     site: "ams"
    -role: "spine"
    +role: "leaf"

A created object has an empty ``before`` and a deleted one an empty ``after``. ``combined_view``
puts all blocks in one before/after pair instead (for results that must stay a single dict).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..module_utils.engine import DiffElement

DEFAULT_VIEW_LIMIT = 1000
"""Objects shown at most; a large sync's full list belongs in a plan file, not on the terminal."""


def _value(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def attribute_text(attrs: dict[str, Any] | None) -> str:
    """``name: value`` lines (values as JSON) for one side of an object; empty when it does not exist there."""
    if attrs is None:
        return ""
    if not attrs:
        return "(no attributes)\n"
    return "".join(f"{name}: {_value(value)}\n" for name, value in attrs.items())


def _shown(count: int, limit: int) -> int:
    return count if not limit else min(limit, count)


def _more(count: int, shown: int) -> str:
    return f"... {count - shown} more changed object(s) not shown; the plan (or its dest file) lists them all\n"


def object_diffs(
    elements: Sequence[DiffElement], unique_ids: Sequence[str], *, source: str, target: str,
    limit: int = DEFAULT_VIEW_LIMIT,
) -> list[dict[str, str]]:
    """Ansible diff dicts, one per element (with its unique id), cut after ``limit`` objects (0: all)."""
    shown = _shown(len(elements), limit)
    diffs: list[dict[str, str]] = [
        {
            "before": attribute_text(element.dest_attrs),
            "after": attribute_text(element.source_attrs),
            "before_header": f"{target} {element.type} {uid}",
            "after_header": f"{source} {element.type} {uid}",
        }
        for element, uid in zip(elements[:shown], unique_ids[:shown], strict=True)
    ]
    if shown < len(elements):
        diffs.append({"prepared": _more(len(elements), shown)})
    return diffs


def _block(title: str, attrs: dict[str, Any] | None) -> str:
    if attrs is None:
        return f"{title}: (absent)\n"
    return f"{title}:\n" + "".join(f"  {line}\n" for line in attribute_text(attrs).splitlines())


def combined_view(
    elements: Sequence[DiffElement], unique_ids: Sequence[str], *, source: str, target: str,
    limit: int = DEFAULT_VIEW_LIMIT,
) -> dict[str, str]:
    """One before/after pair holding every object's block (``device sw1:`` then indented attributes)."""
    shown = _shown(len(elements), limit)
    pairs = list(zip(elements[:shown], unique_ids[:shown], strict=True))
    before = "".join(_block(f"{element.type} {uid}", element.dest_attrs) for element, uid in pairs)
    after = "".join(_block(f"{element.type} {uid}", element.source_attrs) for element, uid in pairs)
    if shown < len(elements):
        before += _more(len(elements), shown)
        after += _more(len(elements), shown)
    return {"before": before, "after": after, "before_header": target, "after_header": source}
