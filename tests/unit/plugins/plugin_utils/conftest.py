"""Shared data for the plugin_utils tests: a small device/interface schema and records."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from ansible_collections.datasync.diffsync.tests.unit.plugins.plugin_utils.sample_data import SCHEMA, SOURCE, TARGET


@pytest.fixture
def schema() -> dict[str, Any]:
    return copy.deepcopy(SCHEMA)


@pytest.fixture
def source_data() -> dict[str, Any]:
    return copy.deepcopy(SOURCE)


@pytest.fixture
def target_data() -> dict[str, Any]:
    return copy.deepcopy(TARGET)


@pytest.fixture
def store_url(tmp_path: Any) -> str:
    """A fresh SQLite store for one test."""
    return f"sqlite://{tmp_path}/store.db"
