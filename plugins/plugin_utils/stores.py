# Copyright: (c) 2025, datasync maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Stores and adapters by name: an adapter name is a ``store_id`` in the store a URL names.

The adapter's schema (or the Python class that defines it) is kept in the store's metadata under
``schema`` by diffsync_load, so later tasks and the lookup need only the adapter's name.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import sys
from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote, urlsplit

# The engine needs pydantic: operations.py checks for it before any code here runs, and the module
# still imports without it (ansible-test's import test).
with contextlib.suppress(ImportError):
    from ..module_utils.engine import Adapter, BaseStore
    from ..module_utils.engine.exceptions import DiffSyncError
    from ..module_utils.engine.store.url import redact_url, store_from_url

from .errors import DiffsyncTaskError
from .options import missing_library
from .schema import build_adapter_class

SCHEMA_KEY = "schema"
METADATA_FORMAT = 1


def safe_url(url: str) -> str:
    """``url`` with any password replaced, fit for messages."""
    return str(redact_url(url))


def scrub(text: str, url: str) -> str:
    """``text`` with the URL (and its password, wherever it appears) replaced by the redacted form."""
    if not url:
        return text
    text = text.replace(url, safe_url(url))
    for secret in _passwords(url):
        text = text.replace(secret, "***")
    return text


def _passwords(url: str) -> set[str]:
    """The URL's password as written and percent-decoded (too-short ones would mangle any text)."""
    try:
        password = urlsplit(url).password
    except ValueError:
        return set()
    return {p for p in (password, unquote(password or "")) if p and len(p) >= 3}


def open_store(url: str, *, store_id: str) -> BaseStore:
    """The store of adapter ``store_id`` at ``url``; DiffsyncTaskError (password-free) when it cannot be opened."""
    try:
        return store_from_url(url, store_id=store_id)
    except ImportError as exc:
        reason = f"to use the store {safe_url(url)}"
        raise DiffsyncTaskError(missing_library(exc.name or "redis", reason=reason)) from None
    except (ValueError, OSError, DiffSyncError) as exc:
        raise DiffsyncTaskError(scrub(f"cannot open store {safe_url(url)!r}: {exc}", url)) from None


def schema_metadata(schema: dict[str, Any]) -> str:
    """The metadata text kept for an adapter defined by a (normalised) YAML schema."""
    return json.dumps({"format": METADATA_FORMAT, "schema": schema}, separators=(",", ":"))


def class_metadata(schema_class: str, module_path: Sequence[str]) -> str:
    """The metadata text kept for an adapter defined by a Python class."""
    return json.dumps({"format": METADATA_FORMAT, "schema_class": schema_class, "module_path": list(module_path)},
                      separators=(",", ":"))


def read_metadata(store: BaseStore) -> str | None:
    """The adapter-definition metadata kept in ``store``, or None when nothing was loaded there yet."""
    return store.get_metadata(SCHEMA_KEY)


def adapter_class_from_metadata(text: str, *, adapter: str) -> type[Adapter]:
    """The Adapter class described by metadata ``text`` (as written by diffsync_load for ``adapter``)."""
    try:
        meta = json.loads(text)
    except ValueError:
        meta = None
    if not isinstance(meta, dict) or meta.get("format") != METADATA_FORMAT:
        raise DiffsyncTaskError(f"adapter {adapter!r}: the stored schema is not in a format this collection "
                                f"understands; load the adapter again with datasync.diffsync.diffsync_load")
    if "schema_class" in meta:
        return import_adapter_class(meta["schema_class"], meta.get("module_path") or [])
    return build_adapter_class(meta["schema"])


def import_adapter_class(path: str, module_path: Sequence[str] = ()) -> type[Adapter]:
    """Import ``package.module.AdapterClass``, looking in ``module_path`` before the controller's Python path."""
    module_name, _, class_name = path.rpartition(".")
    if not module_name or not class_name:
        raise DiffsyncTaskError(f"schema_class: expected 'package.module.AdapterClass', got {path!r}")
    for directory in reversed(module_path):
        if directory not in sys.path:
            sys.path.insert(0, directory)
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        searched = f"module_path {list(module_path)!r} and " if module_path else ""
        raise DiffsyncTaskError(f"schema_class: cannot import module {module_name!r} (searched {searched}the "
                                f"controller's Python path): {exc}") from None
    except Exception as exc:
        raise DiffsyncTaskError(f"schema_class: importing module {module_name!r} failed: "
                                f"{type(exc).__name__}: {exc}") from None
    adapter_class = getattr(module, class_name, None)
    if not (isinstance(adapter_class, type) and issubclass(adapter_class, Adapter)):
        raise DiffsyncTaskError(_not_an_adapter(path, adapter_class))
    return adapter_class


def _not_an_adapter(path: str, value: Any) -> str:
    if value is None:
        return f"schema_class: module {path.rpartition('.')[0]!r} has no attribute {path.rpartition('.')[2]!r}"
    hint = ""
    if isinstance(value, type) and any(base.__module__.startswith("diffsync") for base in value.__mro__):
        hint = (" It derives from the 'diffsync' package: import Adapter and DiffSyncModel from "
                "ansible_collections.datasync.diffsync.plugins.module_utils.engine instead (same API).")
    return (f"schema_class: {path!r} is not an Adapter class of this collection's engine (got {value!r}).{hint}")


def instantiate(adapter_class: type[Adapter], *, name: str, store: BaseStore | type[BaseStore]) -> Adapter:
    """``adapter_class(name=..., internal_storage_engine=store)`` with a clear error for unusual constructors."""
    try:
        return adapter_class(name=name, internal_storage_engine=store)
    except TypeError as exc:
        raise DiffsyncTaskError(f"adapter {name!r}: cannot create {adapter_class.__name__}(name=..., "
                                f"internal_storage_engine=...): {exc}") from None


def open_adapter(url: str, *, name: str) -> Adapter:
    """The adapter stored under ``name``, built from its stored schema; the caller closes ``adapter.store``."""
    store = open_store(url, store_id=name)
    try:
        text = read_metadata(store)
        if text is None:
            raise DiffsyncTaskError(f"adapter {name!r} was never loaded into store {safe_url(url)!r}: load it first "
                                    f"with datasync.diffsync.diffsync_load (adapter: {name})")
        return instantiate(adapter_class_from_metadata(text, adapter=name), name=name, store=store)
    except BaseException:
        store.close()
        raise
