"""The datasync.diffsync.diffsync lookup, loaded through Ansible's plugin loader."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from ansible import constants as C
from ansible.errors import AnsibleLookupError

from ansible_collections.datasync.diffsync.plugins.doc_fragments.store import ModuleDocFragment
from ansible_collections.datasync.diffsync.plugins.lookup import diffsync
from ansible_collections.datasync.diffsync.plugins.plugin_utils import operations
from ansible_collections.datasync.diffsync.tests.unit.plugins.plugin_utils.sample_data import SCHEMA, SOURCE

SECRET_URL = "redis://:hunter22@127.0.0.1:1/0"


@pytest.fixture(scope="module")
def lookup() -> Any:
    """The plugin with its documented options registered, as Ansible's plugin loader would do."""
    plugin = diffsync.LookupModule()
    plugin._load_name = "datasync.diffsync.diffsync"
    options = yaml.safe_load(diffsync.DOCUMENTATION)["options"]
    options.update(yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"])
    C.config.initialize_plugin_configuration_definitions("lookup", plugin._load_name, options)
    return plugin


@pytest.fixture
def store(tmp_path: Path) -> str:
    url = f"sqlite://{tmp_path}/store.db"
    operations.load_adapter(store=url, adapter="network", schema=copy.deepcopy(SCHEMA), data=copy.deepcopy(SOURCE))
    return url


def test_returns_the_objects_of_each_model(lookup: Any, store: str) -> None:
    devices = lookup.run(["device"], variables={}, adapter="network", store=store)
    assert [d["name"] for d in devices] == ["sw1", "sw2"]
    assert devices[0] == {"name": "sw1", "site": "ams", "role": "leaf", "interfaces": ["sw1__eth0", "sw1__eth1"]}
    both = lookup.run(["device", "interface"], variables={}, adapter="network", store=store)
    assert len(both) == 5


def test_selects_one_object(lookup: Any, store: str) -> None:
    by_id = lookup.run(["interface"], variables={}, adapter="network", store=store, unique_id="sw1__eth1")
    by_keys = lookup.run(["interface"], variables={}, adapter="network", store=store,
                         identifiers={"device_name": "sw1", "name": "eth1"})
    assert by_id == by_keys == [{"device_name": "sw1", "name": "eth1", "description": None, "enabled": True,
                                 "mtu": None}]


def test_store_defaults_to_the_environment(lookup: Any, store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIFFSYNC_STORE", store)
    assert len(lookup.run(["device"], variables={}, adapter="network")) == 2


@pytest.mark.parametrize(
    ("terms", "options", "message"),
    [
        (["devices"], {}, "adapter 'network' has no model 'devices'; its models are device, interface"),
        (["device"], {"unique_id": "sw9"}, "adapter 'network' holds no device with unique id 'sw9'"),
        (["device"], {"adapter": "other"}, "adapter 'other' was never loaded into store"),
        (["device"], {"unique_id": "sw1", "identifiers": {"name": "sw1"}}, "give unique_id or identifiers, not both"),
    ],
)
def test_errors_are_lookup_errors(lookup: Any, store: str, terms: list, options: dict, message: str) -> None:
    kwargs = {"adapter": "network", "store": store, **options}
    with pytest.raises(AnsibleLookupError) as caught:
        lookup.run(terms, variables={}, **kwargs)
    assert message in str(caught.value)
    assert str(caught.value).startswith("datasync.diffsync.diffsync: ")


def test_the_store_password_never_shows(lookup: Any) -> None:
    with pytest.raises(AnsibleLookupError) as caught:
        lookup.run(["device"], variables={}, adapter="network", store=SECRET_URL)
    assert "hunter22" not in json.dumps(str(caught.value))
    assert "127.0.0.1" in str(caught.value)
