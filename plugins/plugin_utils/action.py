# Copyright: (c) 2025, datasync maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The part every action plugin of the collection shares: arguments in, one operation, result out.

A plugin subclass names its module's DOCUMENTATION (the argument spec is derived from it) and
implements ``perform(args, task_vars)``, which calls one function of ``operations``. Errors become
``{"failed": True, "msg": ...}`` without a traceback, and the store URL's password never appears in
a result or message: action plugins get no ``no_log`` masking from Ansible.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ansible.errors import AnsibleError
from ansible.plugins.action import ActionBase

from .errors import DiffsyncTaskError, scrub_secrets
from .options import argument_spec, resolve_store_url


class DiffsyncAction(ActionBase):
    """Validate against the module's documented options, resolve the store, run ``perform``."""

    DOCUMENTATION: ClassVar[str] = ""
    MUTUALLY_EXCLUSIVE: ClassVar[tuple[tuple[str, ...], ...]] = ()
    REQUIRED_ONE_OF: ClassVar[tuple[tuple[str, ...], ...]] = ()
    REQUIRED_TOGETHER: ClassVar[tuple[tuple[str, ...], ...]] = ()

    _requires_connection = False
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp: str | None = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        """Ansible's entry point."""
        result: dict[str, Any] = super().run(tmp, task_vars)
        del tmp
        raw_store = self._task.args.get("store")
        url = raw_store if isinstance(raw_store, str) else None
        try:
            args = self._arguments()
            url = args["store"] = resolve_store_url(args.get("store"))
            result.update(self.perform(args, task_vars or {}))
        except DiffsyncTaskError as exc:
            result.update(exc.details)
            result.update(failed=True, msg=scrub_secrets(exc.message, url))
        except AnsibleError as exc:
            result.update(failed=True, msg=scrub_secrets(str(exc.message), url))
        except Exception as exc:  # a bug, or an error raised by a user's model code: no traceback, no secret
            result.update(failed=True, msg=scrub_secrets(f"unexpected error: {type(exc).__name__}: {exc}", url))
        return result

    def _arguments(self) -> dict[str, Any]:
        """The task's arguments, validated and with defaults filled in; AnsibleActionFail when invalid."""
        _, args = self.validate_argument_spec(
            argument_spec(self.DOCUMENTATION),
            mutually_exclusive=[list(group) for group in self.MUTUALLY_EXCLUSIVE],
            required_one_of=[list(group) for group in self.REQUIRED_ONE_OF],
            required_together=[list(group) for group in self.REQUIRED_TOGETHER],
        )
        return dict(args)

    def perform(self, args: dict[str, Any], task_vars: dict[str, Any]) -> dict[str, Any]:
        """Do the task's work with validated ``args``; return the result keys."""
        raise NotImplementedError

    @property
    def check_mode(self) -> bool:
        """True in check mode."""
        return bool(self._task.check_mode)

    @property
    def diff_mode(self) -> bool:
        """True when Ansible runs with --diff (or the task sets ``diff: true``)."""
        return bool(self._task.diff)

    def controller_path(self, path: str, *, find_in: str | None = None) -> str:
        """``path`` on the controller: found in the role/playbook ``find_in`` folders, or relative to the playbook."""
        if find_in is not None:
            try:
                return str(self._find_needle(find_in, path))
            except AnsibleError as exc:
                raise DiffsyncTaskError(f"cannot find {path!r} on the controller: {exc.message}") from None
        return str(self._loader.path_dwim(path))
