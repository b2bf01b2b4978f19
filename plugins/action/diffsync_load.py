# Copyright: (c) 2025, datasync maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Action plugin of datasync.diffsync.diffsync_load (documented in plugins/modules/diffsync_load.py)."""

from __future__ import annotations

from typing import Any

from ansible_collections.datasync.diffsync.plugins.modules.diffsync_load import DOCUMENTATION
from ansible_collections.datasync.diffsync.plugins.plugin_utils.action import DiffsyncAction
from ansible_collections.datasync.diffsync.plugins.plugin_utils.operations import load_adapter


class ActionModule(DiffsyncAction):
    """Load records into an adapter."""

    DOCUMENTATION = DOCUMENTATION
    MUTUALLY_EXCLUSIVE = (("schema", "schema_class"), ("data", "src"))
    REQUIRED_ONE_OF = (("data", "src"),)

    def perform(self, args: dict[str, Any], task_vars: dict[str, Any]) -> dict[str, Any]:
        src = self.controller_path(args["src"], find_in="files") if args["src"] else None
        return load_adapter(
            store=args["store"], adapter=args["adapter"], schema=args["schema"], schema_class=args["schema_class"],
            module_path=[self.controller_path(path) for path in args["module_path"]], data=args["data"], src=src,
            model=args["model"], mode=args["mode"], check_mode=self.check_mode, diff_mode=self.diff_mode,
        )
