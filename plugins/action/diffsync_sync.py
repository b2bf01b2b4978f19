# Copyright: (c) 2025, datasync maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Action plugin of datasync.diffsync.diffsync_sync (documented in plugins/modules/diffsync_sync.py)."""

from __future__ import annotations

from typing import Any

from ansible_collections.datasync.diffsync.plugins.modules.diffsync_sync import DOCUMENTATION
from ansible_collections.datasync.diffsync.plugins.plugin_utils.action import DiffsyncAction
from ansible_collections.datasync.diffsync.plugins.plugin_utils.operations import sync_adapters


class ActionModule(DiffsyncAction):
    """Converge the target adapter onto the source adapter."""

    DOCUMENTATION = DOCUMENTATION

    def perform(self, args: dict[str, Any], task_vars: dict[str, Any]) -> dict[str, Any]:
        return sync_adapters(
            store=args["store"], source=args["source"], target=args["target"],
            skip_unmatched_src=args["skip_unmatched_src"], skip_unmatched_dst=args["skip_unmatched_dst"],
            natural_deletion_order=args["natural_deletion_order"], continue_on_failure=args["continue_on_failure"],
            plan=args["plan"], check_mode=self.check_mode, diff_mode=self.diff_mode,
            dest=self.controller_path(args["dest"]) if args["dest"] else None,
            operations_limit=args["operations_limit"],
        )
