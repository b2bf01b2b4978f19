# Copyright: (c) 2025, datasync maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Action plugin of datasync.diffsync.diffsync_diff (documented in plugins/modules/diffsync_diff.py)."""

from __future__ import annotations

from typing import Any

from ansible_collections.datasync.diffsync.plugins.modules.diffsync_diff import DOCUMENTATION
from ansible_collections.datasync.diffsync.plugins.plugin_utils.action import DiffsyncAction
from ansible_collections.datasync.diffsync.plugins.plugin_utils.operations import diff_adapters


class ActionModule(DiffsyncAction):
    """Diff two adapters and plan the sync."""

    DOCUMENTATION = DOCUMENTATION

    def perform(self, args: dict[str, Any], task_vars: dict[str, Any]) -> dict[str, Any]:
        return diff_adapters(
            store=args["store"], source=args["source"], target=args["target"],
            skip_unmatched_src=args["skip_unmatched_src"], skip_unmatched_dst=args["skip_unmatched_dst"],
            natural_deletion_order=args["natural_deletion_order"], diff_mode=self.diff_mode,
            dest=self.controller_path(args["dest"]) if args["dest"] else None,
            operations_limit=args["operations_limit"],
        )
