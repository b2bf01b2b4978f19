"""An existing diffsync adapter, moved onto datasync.diffsync's engine (docs/python-api.md).

Only the import changed: ``from diffsync import ...`` became the collection's engine. Its models'
create/update/delete change a real system, here a JSON file of user accounts named by the
environment variable DIRECTORY_FILE, shaped as diffsync_load's ``src`` reads it:
``{"account": [{"login": ..., "name": ..., "team": ..., "active": ...}, ...]}``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ansible_collections.datasync.diffsync.plugins.module_utils.engine import Adapter, DiffSyncModel


def _accounts() -> tuple[Path, dict[str, dict[str, Any]]]:
    """The directory's accounts by login."""
    path = Path(os.environ["DIRECTORY_FILE"])
    return path, {a["login"]: a for a in json.loads(path.read_text())["account"]}


def _save(path: Path, accounts: dict[str, dict[str, Any]]) -> None:
    path.write_text(json.dumps({"account": list(accounts.values())}, indent=2) + "\n")


class Account(DiffSyncModel):
    _modelname = "account"
    _identifiers = ("login",)
    _attributes = ("name", "team", "active")

    login: str
    name: str
    team: str
    active: bool = True

    @classmethod
    def create(cls, adapter: Adapter, ids: dict[str, Any], attrs: dict[str, Any]) -> Account | None:
        path, accounts = _accounts()
        accounts[ids["login"]] = {**ids, **attrs}
        _save(path, accounts)
        return super().create(adapter, ids=ids, attrs=attrs)

    def update(self, attrs: dict[str, Any]) -> Account | None:
        path, accounts = _accounts()
        accounts[self.login].update(attrs)
        _save(path, accounts)
        return super().update(attrs)

    def delete(self) -> Account | None:
        path, accounts = _accounts()
        accounts.pop(self.login, None)
        _save(path, accounts)
        return super().delete()


class DirectoryAdapter(Adapter):
    account = Account
    top_level = ("account",)
