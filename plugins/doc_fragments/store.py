# Copyright: (c) 2025, datasync maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Documentation of the options every datasync.diffsync plugin shares (see plugin_utils/options.py)."""

from __future__ import annotations


class ModuleDocFragment:
    """The ``store`` option; its argument spec is ``plugin_utils.options.STORE_ARGUMENT_SPEC``."""

    DOCUMENTATION = r"""
options:
  store:
    description:
      - URL of the store that keeps the adapters' objects between tasks and between runs. Each
        adapter is a separate C(store_id) in it, so one store holds any number of adapters.
      - V(sqlite:///abs/path.db) or V(sqlite://relative/path.db) (relative to the directory
        C(ansible-playbook) runs in) for an SQLite file (created when missing);
        V(redis://[user:password@]host[:port][/db]), V(rediss://...) (TLS, optionally with
        C(?ssl_ca_certs=/path/ca.pem)) or V(unix:///path/redis.sock[?db=N]) for Redis;
        V(memory://) keeps nothing after the task and is only useful for tests.
      - When not set, the environment variable E(DIFFSYNC_STORE) of the controller is used, and
        when that is not set either, the SQLite file
        C($XDG_STATE_HOME/datasync-diffsync/store.db) (C(~/.local/state/datasync-diffsync/store.db)
        when E(XDG_STATE_HOME) is not set). So load, diff and sync work with no setup.
      - The value is treated as a secret (C(no_log)); passwords are never shown in results,
        warnings or error messages.
    type: str
notes:
  - All the work runs on the controller; the modules need no connection to the managed host, and
    C(pydantic) (and C(redis) for Redis stores) must be installed where C(ansible-playbook) runs.
requirements:
  - pydantic >= 2
  - redis >= 5 (only for C(redis://), C(rediss://) and C(unix://) stores)
"""
