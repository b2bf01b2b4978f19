"""datasync.diffsync's sync engine: a diffsync 2.2.3 compatible library with no Ansible imports.

``from ansible_collections.datasync.diffsync.plugins.module_utils.engine import Adapter, DiffSyncModel``
stands in for ``from diffsync import Adapter, DiffSyncModel``.
"""

from __future__ import annotations

from .adapter import Adapter, DiffSync
from .diff import Diff, DiffElement
from .enum import DiffSyncActions, DiffSyncFlags, DiffSyncModelFlags, DiffSyncStatus
from .exceptions import DiffClassMismatch, ObjectAlreadyExists, ObjectNotFound, ObjectStoreWrongType
from .model import DiffSyncModel
from .report import OperationResult, SyncReport
from .store import BaseStore
from .store.local import LocalStore

__all__ = [
    "Adapter",
    "BaseStore",
    "Diff",
    "DiffClassMismatch",
    "DiffElement",
    "DiffSync",
    "DiffSyncActions",
    "DiffSyncFlags",
    "DiffSyncModel",
    "DiffSyncModelFlags",
    "DiffSyncStatus",
    "LocalStore",
    "ObjectAlreadyExists",
    "ObjectNotFound",
    "ObjectStoreWrongType",
    "OperationResult",
    "SyncReport",
]
