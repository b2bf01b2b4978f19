"""Schemas as data: normalisation, the errors that name the bad path, and the classes built."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.datasync.diffsync.plugins.module_utils.engine import Adapter, DiffSyncModel
from ansible_collections.datasync.diffsync.plugins.plugin_utils.errors import DiffsyncTaskError
from ansible_collections.datasync.diffsync.plugins.plugin_utils.schema import (
    build_adapter_class,
    normalize_schema,
    parent_key_rule,
)


def test_normalize_fills_defaults_and_derives_top_level_and_parent_keys(schema: dict[str, Any]) -> None:
    normal = normalize_schema(schema)
    assert normal["top_level"] == ["device"]
    device, interface = normal["models"]["device"], normal["models"]["interface"]
    assert device["identifiers"] == {"name": "str"}
    assert device["required"] == [] and device["shortname"] == []
    assert interface["parent_identifiers"] == {"name": "device_name"}


def test_attribute_list_means_any_type() -> None:
    normal = normalize_schema({"models": {"site": {"identifiers": ["slug"], "attributes": ["region", "tags"]}}})
    assert normal["models"]["site"]["attributes"] == {"region": "any", "tags": "any"}


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ({"models": {"interface": {"identifiers": "name"}}},
         "schema.models.interface.identifiers: must be a non-empty list of field names, got 'name'"),
        ({"models": {}}, "schema.models: must be a non-empty mapping"),
        ([], "schema: must be a mapping"),
        ({"models": {"d": {"identifiers": ["n"]}}, "extra": 1}, "schema: unknown key(s) 'extra'"),
        ({"models": {"d": {"identifiers": ["n"], "atributes": []}}}, "schema.models.d: unknown key(s) 'atributes'"),
        ({"models": {"d": {"attributes": ["a"]}}}, "schema.models.d.identifiers: is missing"),
        ({"models": {"d": {"identifiers": ["n"], "attributes": {"m": "integer"}}}},
         "schema.models.d.attributes.m: unknown type 'integer'; use one of str, int, float, bool, list, dict, any"),
        ({"models": {"d": {"identifiers": {"n": "list"}}}}, "schema.models.d.identifiers.n: an identifier must be"),
        ({"models": {"get": {"identifiers": ["n"]}}}, "schema.models.get: model name 'get' is reserved"),
        ({"models": {"before": {"identifiers": ["n"]}}}, "schema.models.before: model name 'before' is reserved"),
        ({"models": {"d": {"identifiers": ["dict"]}}}, "field name 'dict' is reserved"),
        ({"models": {"d": {"identifiers": ["my-name"]}}}, "must be a Python identifier"),
        ({"models": {"d": {"identifiers": ["n"], "attributes": ["n"]}}}, "are both identifiers and attributes"),
        ({"models": {"d": {"identifiers": ["n"], "attributes": ["a"], "required": ["n"]}}},
         "schema.models.d.required: 'n' is not an attribute"),
        ({"models": {"d": {"identifiers": ["n"], "shortname": ["x"]}}},
         "schema.models.d.shortname: 'x' is neither an identifier nor an attribute"),
        ({"models": {"d": {"identifiers": ["n"], "children": {"x": "xs"}}}},
         "schema.models.d.children.x: 'x' is not a model of this schema"),
        ({"models": {"d": {"identifiers": ["n"], "children": {"i": "items"}}, "i": {"identifiers": ["id"]}}},
         "schema.models.i: no identifier of i holds its parent d's identifier 'n'"),
        ({"models": {"a": {"identifiers": ["n"], "children": {"b": "bs"}},
                     "b": {"identifiers": ["a_n"], "children": {"a": "as_"}}}}, "form a cycle of children"),
        ({"models": {"a": {"identifiers": ["n"]}, "b": {"identifiers": ["n"]}}, "top_level": ["a"]},
         "schema.models.b: is neither in top_level nor a child"),
        ({"models": {"a": {"identifiers": ["n"], "parent_identifiers": {"n": "n"}}}},
         "schema.models.a.parent_identifiers: is only allowed on a child model"),
    ],
)
def test_bad_schemas_name_the_path(schema: Any, message: str) -> None:
    with pytest.raises(DiffsyncTaskError) as caught:
        normalize_schema(schema)
    assert message in str(caught.value)


def test_parent_key_rule_prefers_the_prefixed_identifier() -> None:
    assert parent_key_rule("interface", ["device_name", "name"], "device", ["name"]) == {"name": "device_name"}
    assert parent_key_rule("interface", ["device", "name"], "device", ["device"]) == {"device": "device"}
    assert parent_key_rule("interface", ["x", "y"], "device", ["name"]) == {}


def test_parent_identifiers_override_the_rule() -> None:
    normal = normalize_schema({"models": {
        "device": {"identifiers": ["name"], "children": {"interface": "interfaces"}},
        "interface": {"identifiers": ["host", "name"], "parent_identifiers": {"name": "host"}},
    }})
    assert normal["models"]["interface"]["parent_identifiers"] == {"name": "host"}


def test_built_classes_behave_like_hand_written_models(schema: dict[str, Any]) -> None:
    adapter_class = build_adapter_class(normalize_schema(schema))
    assert issubclass(adapter_class, Adapter)
    assert adapter_class.top_level == ["device"]
    device_class = adapter_class.device
    assert issubclass(device_class, DiffSyncModel)
    assert device_class.get_type() == "device"
    assert device_class._identifiers == ("name",)
    assert device_class._attributes == ("site", "role")
    assert device_class.get_children_mapping() == {"interface": "interfaces"}
    adapter = adapter_class(name="net")
    device = device_class(name="sw1", site="ams")
    adapter.add(device)
    interface = adapter_class.interface(device_name="sw1", name="eth0", enabled="true", mtu="1500")
    adapter.add(interface)
    device.add_child(interface)
    assert (interface.enabled, interface.mtu) == (True, 1500)
    assert device.role is None
    assert adapter.dict()["device"]["sw1"]["interfaces"] == ["sw1__eth0"]


def test_required_attributes_have_no_default() -> None:
    adapter_class = build_adapter_class(normalize_schema(
        {"models": {"site": {"identifiers": ["slug"], "attributes": {"region": "str", "x": "int"},
                             "required": ["region"]}}}
    ))
    assert adapter_class.site.model_fields["region"].is_required()
    assert not adapter_class.site.model_fields["x"].is_required()


def test_shortname_is_declared() -> None:
    adapter_class = build_adapter_class(normalize_schema(
        {"models": {"site": {"identifiers": ["slug"], "attributes": ["label"], "shortname": ["label"]}}}
    ))
    assert adapter_class.site(slug="ams1", label="AMS").get_shortname() == "AMS"
