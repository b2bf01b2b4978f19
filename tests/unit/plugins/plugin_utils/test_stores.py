"""Stores by URL, adapter definitions kept in the store, schema_class imports, and secret scrubbing."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from ansible_collections.datasync.diffsync.plugins.plugin_utils import stores
from ansible_collections.datasync.diffsync.plugins.plugin_utils.errors import DiffsyncTaskError, scrub_secrets


def test_scrub_hides_the_password_everywhere() -> None:
    url = "redis://user:s3cr%21t@host:6379/0"
    text = f"cannot reach {url}; password s3cr!t and s3cr%21t"
    scrubbed = stores.scrub(text, url)
    assert "s3cr" not in scrubbed
    assert "redis://user:***@host:6379/0" in scrubbed
    assert scrub_secrets(text, url) == scrubbed
    assert stores.scrub("nothing here", "sqlite:///tmp/x.db") == "nothing here"


def test_open_store_errors_are_clear_and_password_free() -> None:
    with pytest.raises(DiffsyncTaskError) as caught:
        stores.open_store("ftp://user:hunter22@host/x", store_id="a")
    assert "hunter22" not in str(caught.value)
    assert "the scheme must be one of memory://, sqlite://" in str(caught.value)


def test_unreachable_redis_names_the_server_without_password() -> None:
    with pytest.raises(DiffsyncTaskError) as caught:
        stores.open_store("redis://:hunter22@127.0.0.1:1/0", store_id="a")
    assert "hunter22" not in str(caught.value)
    assert "127.0.0.1" in str(caught.value)


def test_open_adapter_needs_a_loaded_adapter(store_url: str) -> None:
    with pytest.raises(DiffsyncTaskError, match="adapter 'nope' was never loaded into store"):
        stores.open_adapter(store_url, name="nope")


def test_metadata_round_trip(schema: dict) -> None:
    from ansible_collections.datasync.diffsync.plugins.plugin_utils.schema import normalize_schema

    adapter_class = stores.adapter_class_from_metadata(stores.schema_metadata(normalize_schema(schema)), adapter="a")
    assert adapter_class.top_level == ["device"]
    with pytest.raises(DiffsyncTaskError, match="not in a format this collection understands"):
        stores.adapter_class_from_metadata('{"format": 99}', adapter="a")


@pytest.fixture
def user_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(sys, "path", list(sys.path))
    package = tmp_path / "usermodels_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "models.py").write_text(textwrap.dedent("""
        from ansible_collections.datasync.diffsync.plugins.module_utils.engine import Adapter, DiffSyncModel

        class Device(DiffSyncModel):
            _modelname = "device"
            _identifiers = ("name",)
            _attributes = ("site",)
            name: str
            site: str | None = None

        class UserAdapter(Adapter):
            device = Device
            top_level = ["device"]

        NOT_AN_ADAPTER = 1
    """))
    yield tmp_path
    for name in [m for m in sys.modules if m.startswith("usermodels_pkg")]:
        del sys.modules[name]


def test_import_adapter_class_from_module_path(user_module: Path) -> None:
    adapter_class = stores.import_adapter_class("usermodels_pkg.models.UserAdapter", [str(user_module)])
    assert adapter_class.__name__ == "UserAdapter"
    text = stores.class_metadata("usermodels_pkg.models.UserAdapter", [str(user_module)])
    assert stores.adapter_class_from_metadata(text, adapter="x") is adapter_class


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("UserAdapter", "expected 'package.module.AdapterClass'"),
        ("usermodels_pkg.nope.UserAdapter", "cannot import module 'usermodels_pkg.nope' (searched module_path"),
        ("usermodels_pkg.models.Missing", "module 'usermodels_pkg.models' has no attribute 'Missing'"),
        ("usermodels_pkg.models.NOT_AN_ADAPTER", "is not an Adapter class of this collection's engine"),
    ],
)
def test_import_adapter_class_errors(user_module: Path, path: str, message: str) -> None:
    with pytest.raises(DiffsyncTaskError) as caught:
        stores.import_adapter_class(path, [str(user_module)])
    assert message in str(caught.value)


def test_a_diffsync_package_adapter_gets_a_hint() -> None:
    pytest.importorskip("diffsync")
    with pytest.raises(DiffsyncTaskError, match="It derives from the 'diffsync' package"):
        stores.import_adapter_class("diffsync.Adapter")


def test_missing_redis_library_gives_an_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_redis(url: str, **kwargs: object) -> None:
        raise ImportError("No module named 'redis'", name="redis")

    monkeypatch.setattr(stores, "store_from_url", no_redis)
    with pytest.raises(DiffsyncTaskError) as caught:
        stores.open_store("redis://:hunter22@localhost/0", store_id="a")
    assert str(caught.value).startswith("Failed to import the required Python library (redis)")
    assert "hunter22" not in str(caught.value)
