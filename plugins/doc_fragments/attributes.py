# Copyright: (c) 2025, datasync maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Descriptions of the module attributes; each module states its own support."""

from __future__ import annotations


class ModuleDocFragment:
    """The standard attribute descriptions (check_mode, diff_mode, action, async, platform)."""

    DOCUMENTATION = r"""
options: {}
attributes:
  check_mode:
    description: Can run in C(check_mode) and return changed status prediction without modifying the store.
  diff_mode:
    description: Will return details on what has changed (or would change in C(check_mode)), when in diff mode.
  action:
    description: Runs as an action plugin on the controller.
    support: full
  async:
    description: Supports being used with the C(async) keyword.
    support: none
  platform:
    description: Target OS/families that can be operated against.
    support: N/A
    platforms: all
    details:
      - The work happens on the controller; the managed host is not contacted.
"""
