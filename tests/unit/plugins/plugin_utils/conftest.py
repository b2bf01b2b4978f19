"""Fixtures for the plugin_utils tests (the schema and records come from tests/unit/plugins/conftest.py)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def store_url(tmp_path: Any) -> str:
    """A fresh SQLite store for one test."""
    return f"sqlite://{tmp_path}/store.db"
