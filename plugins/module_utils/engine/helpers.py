"""diffsync-compatible home of the differ and syncer classes."""

from __future__ import annotations

from .differ import DiffSyncDiffer
from .syncer import DiffSyncSyncer

__all__ = ["DiffSyncDiffer", "DiffSyncSyncer"]
