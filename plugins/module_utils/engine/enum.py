"""Flags, statuses and action names shared by the engine (same values as diffsync 2.2.3)."""

from __future__ import annotations

import enum


class DiffSyncModelFlags(enum.Flag):
    """Per-model (class or instance) switches that change how a model is diffed and synced."""

    NONE = 0
    IGNORE = 0b1
    """Leave this object out of diffs and never change it during a sync."""
    SKIP_CHILDREN_ON_DELETE = 0b10
    """Deleting this object deletes its children implicitly; do not delete them one by one."""
    SKIP_UNMATCHED_SRC = 0b100
    """Do not create this object in the target when it exists only in the source."""
    SKIP_UNMATCHED_DST = 0b1000
    """Do not delete this object from the target when it exists only in the target."""
    NATURAL_DELETION_ORDER = 0b10000
    """On delete, delete the children first, then this object."""
    SKIP_UNMATCHED_BOTH = SKIP_UNMATCHED_SRC | SKIP_UNMATCHED_DST


class DiffSyncFlags(enum.Flag):
    """Switches passed to a diff_* or sync_* call."""

    NONE = 0
    CONTINUE_ON_FAILURE = 0b1
    """Keep going when one element fails to sync; failures are collected in the sync report."""
    SKIP_UNMATCHED_SRC = 0b10
    """Never create objects that exist only in the source."""
    SKIP_UNMATCHED_DST = 0b100
    """Never delete objects that exist only in the target."""
    SKIP_UNMATCHED_BOTH = SKIP_UNMATCHED_SRC | SKIP_UNMATCHED_DST
    LOG_UNCHANGED_RECORDS = 0b1000
    """Also log elements that needed no change."""


class DiffSyncStatus(enum.Enum):
    """Outcome of the last create/update/delete call on a model."""

    UNKNOWN = "unknown"
    SUCCESS = "success"
    FAILURE = "failure"
    ERROR = "error"


class DiffSyncActions:  # pylint: disable=too-few-public-methods
    """Names of the actions a diff element can call for."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    SKIP = "skip"
    NO_CHANGE = None
