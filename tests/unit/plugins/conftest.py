"""Fixtures shared by the plugin tests: a small device/interface schema and its records (fresh copies)."""

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
