"""Differential tests: the engine against diffsync 2.2.3.

Every scenario in ``compat_scenarios.py`` is written once against a *library namespace*; here each one is run
through the reference library (diffsync 2.2.3, installed only in the test environment) and through the
collection's engine, and the two sets of observations must be equal, key by key.  A few "pin" tests also
state explicitly what diffsync does in the less obvious places, for both libraries, so that a scenario cannot
silently stop exercising what it claims to.
"""

import importlib
import importlib.util
import inspect
import logging
import sys
from pathlib import Path

import pytest

structlog = pytest.importorskip("structlog", reason="diffsync (the compatibility reference) needs structlog")
pytest.importorskip("diffsync", reason="diffsync 2.2.3 is the compatibility reference; install the dev requirements")

ENGINE = "ansible_collections.datasync.diffsync.plugins.module_utils.engine"
REFERENCE = "diffsync"


def _load_scenarios():
    """Load compat_scenarios.py next to this file, whatever pytest's import mode and package layout."""
    name = "datasync_diffsync_compat_scenarios"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("compat_scenarios.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # pydantic resolves annotations through sys.modules
    spec.loader.exec_module(module)
    return module


cs = _load_scenarios()


@pytest.fixture(scope="module", autouse=True)
def quiet_reference_logging():
    """diffsync logs through structlog, which prints to stdout unless configured: drop all below CRITICAL."""
    saved = structlog.get_config()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.CRITICAL))
    yield
    structlog.reset_defaults()
    structlog.configure(**saved)


_LIBS = {}


def lib_for(package):
    if package not in _LIBS:
        _LIBS[package] = cs.make_lib(package)
    return _LIBS[package]


def reference():
    return lib_for(REFERENCE)


def ours():
    """The engine's namespace; raises (failing the calling test) while the engine is missing or partial."""
    return lib_for(ENGINE)


@pytest.fixture(scope="module")
def libs():
    """(reference namespace, engine namespace)."""
    return reference(), ours()


_RESULTS = {}


def run(package, name):
    """One scenario's observations with one library, computed once per test session (scenarios are
    deterministic: ``test_scenario_runs_on_reference`` checks it)."""
    key = (package, name)
    if key not in _RESULTS:
        _RESULTS[key] = cs.SCENARIOS[name](lib_for(package))
    return _RESULTS[key]


def both(name):
    """Run one scenario through diffsync and through the engine: (reference result, our result)."""
    return run(REFERENCE, name), run(ENGINE, name)


def _short(value, limit=3000):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + f"... [{len(text) - limit} more chars]"


def _first_difference(expected, got, path="result"):
    """Path and values of the first place where two observation trees differ (for readable failures)."""
    if type(expected) is not type(got) and not (isinstance(expected, dict) and isinstance(got, dict)):
        return path, expected, got
    if isinstance(expected, dict):
        if list(expected.keys()) != list(got.keys()):
            return path + " (keys/order)", list(expected.keys()), list(got.keys())
        for key in expected:
            if expected[key] != got[key]:
                return _first_difference(expected[key], got[key], f"{path}[{key!r}]")
    elif isinstance(expected, (list, tuple)):
        if len(expected) != len(got):
            return path + " (length)", expected, got
        for index, (left, right) in enumerate(zip(expected, got, strict=True)):
            if left != right:
                return _first_difference(left, right, f"{path}[{index}]")
    return path, expected, got


def assert_same(expected, got):
    if expected == got:
        return
    lines = []
    for key in expected:
        if key not in got:
            lines.append(f"- {key}: missing from the engine's observations")
        elif expected[key] != got[key]:
            where, left, right = _first_difference(expected[key], got[key], key)
            lines.append(f"- {where}\n    diffsync: {_short(left)}\n    engine:   {_short(right)}")
    lines.extend(f"- {key}: only in the engine's observations" for key in got if key not in expected)
    pytest.fail("engine differs from diffsync 2.2.3:\n" + "\n".join(lines), pytrace=False)


# ---------------------------------------------------------------------------------------------------------
# The engine exists and exposes diffsync's API
# ---------------------------------------------------------------------------------------------------------


def test_engine_importable():
    engine = importlib.import_module(ENGINE)
    assert engine.__name__ == ENGINE
    for sub in ("diff", "enum", "exceptions", "store", "store.local", "logging"):
        assert importlib.import_module(f"{ENGINE}.{sub}").__name__ == f"{ENGINE}.{sub}"


def test_reference_is_diffsync_2_2_3():
    from importlib.metadata import version

    assert version("diffsync") == "2.2.3"


PUBLIC_NAMES = {
    "": ("Adapter", "DiffSync", "DiffSyncModel", "Diff", "DiffSyncFlags", "DiffSyncModelFlags", "DiffSyncStatus",
         "DiffClassMismatch", "ObjectAlreadyExists", "ObjectNotFound", "ObjectStoreWrongType", "BaseStore",
         "LocalStore"),
    ".diff": ("Diff", "DiffElement"),
    ".enum": ("DiffSyncModelFlags", "DiffSyncFlags", "DiffSyncStatus", "DiffSyncActions"),
    ".exceptions": cs.KNOWN_EXCEPTIONS,
    ".store": ("BaseStore",),
    ".store.local": ("LocalStore",),
    ".logging": ("enable_console_logging",),
}


@pytest.mark.parametrize(("module", "name"), [(m, n) for m, names in PUBLIC_NAMES.items() for n in names],
                         ids=[f"{m or 'top'}:{n}" for m, names in PUBLIC_NAMES.items() for n in names])
def test_public_name(module, name):
    ref = getattr(importlib.import_module(REFERENCE + module), name)
    mine = getattr(importlib.import_module(ENGINE + module), name)
    assert inspect.isclass(mine) == inspect.isclass(ref)
    assert callable(mine)


def test_top_level_reexports_are_the_submodule_objects(libs):
    """Names exported at the top level are the very objects of the submodules (presence of each name is
    checked by test_public_name)."""
    _, lib = libs
    homes = {"Diff": lib.diff, "DiffSyncFlags": lib.enum, "DiffSyncModelFlags": lib.enum, "DiffSyncStatus": lib.enum,
             "BaseStore": lib.store, **dict.fromkeys(cs.KNOWN_EXCEPTIONS, lib.exc)}
    checked = [name for name in homes if hasattr(lib.top, name)]
    assert {"Diff", "DiffSyncFlags", "BaseStore"} <= set(checked)
    for name in checked:
        assert getattr(lib.top, name) is getattr(homes[name], name), name
    assert lib.top.LocalStore is lib.LocalStore
    assert issubclass(lib.LocalStore, lib.BaseStore)


def _describe_default(value):
    if value is inspect.Parameter.empty:
        return "<required>"
    if inspect.isclass(value):
        return ("class", value.__name__)
    return cs.norm(value)


def _signature(obj):
    sig = inspect.signature(obj)
    return [(p.name, p.kind.name, _describe_default(p.default)) for p in sig.parameters.values()]


SIGNATURES = {
    "Adapter": ("__init__", "load", "dict", "str", "load_from_dict", "sync_from", "sync_to", "sync_complete",
                "diff_from", "diff_to", "get_all_model_names", "get", "get_or_none", "get_all", "get_by_uids",
                "get_tree_traversal", "add", "update", "remove", "get_or_instantiate", "get_or_add_model_instance",
                "update_or_instantiate", "update_or_add_model_instance", "count"),
    "DiffSyncModel": ("dict", "json", "str", "set_status", "create_base", "create", "update_base", "update",
                      "delete_base", "delete", "get_type", "create_unique_id", "get_children_mapping",
                      "get_identifiers", "get_attrs", "get_unique_id", "get_shortname", "get_status", "add_child",
                      "remove_child"),
    "Diff": ("__init__", "complete", "add", "groups", "has_diffs", "get_children", "order_children_default",
             "summary", "str", "dict"),
    "DiffElement": ("__init__", "add_attrs", "get_attrs_keys", "get_attrs_diffs", "add_child", "get_children",
                    "has_diffs", "summary", "str", "dict"),
    "BaseStore": ("__init__", "get_all_model_names", "get", "get_all", "get_by_uids", "remove", "add", "update",
                  "count", "get_or_instantiate", "get_or_add_model_instance", "update_or_instantiate",
                  "update_or_add_model_instance"),
    "LocalStore": ("get_all_model_names", "get", "get_all", "get_by_uids", "add", "update", "remove", "count"),
}


@pytest.mark.parametrize(("cls", "method"), [(c, m) for c, ms in SIGNATURES.items() for m in ms],
                         ids=[f"{c}.{m}" for c, ms in SIGNATURES.items() for m in ms])
def test_signature(libs, cls, method):
    ref, lib = libs
    expected = _signature(getattr(getattr(ref, cls), method))
    got = _signature(getattr(getattr(lib, cls), method))
    assert got == expected


def test_enable_console_logging_signature():
    ref = importlib.import_module(REFERENCE + ".logging").enable_console_logging
    mine = importlib.import_module(ENGINE + ".logging").enable_console_logging
    assert _signature(mine) == _signature(ref)


BUILTIN_EXCEPTIONS = (Exception, LookupError, KeyError, ValueError, TypeError, AttributeError, RuntimeError)


@pytest.mark.parametrize("name", cs.KNOWN_EXCEPTIONS)
def test_exception_hierarchy(libs, name):
    """Same subclass relations among diffsync's exception names and to the builtins (the engine may add
    bases of its own, such as a common root: that breaks no ``except`` clause)."""
    ref, lib = libs

    def relations(namespace):
        cls = getattr(namespace.exc, name)
        return ([other for other in cs.KNOWN_EXCEPTIONS if issubclass(cls, getattr(namespace.exc, other))],
                [base.__name__ for base in BUILTIN_EXCEPTIONS if issubclass(cls, base)])

    assert relations(lib) == relations(ref)


@pytest.mark.parametrize("name", ["DiffSyncFlags", "DiffSyncModelFlags", "DiffSyncStatus"])
def test_enum_members(libs, name):
    ref, lib = libs

    def members(namespace):
        cls = getattr(namespace, name)
        return [(member.name, member.value) for member in cls] + [
            (alias, getattr(cls, alias).value) for alias in ("SKIP_UNMATCHED_BOTH",) if hasattr(cls, alias)]

    assert members(lib) == members(ref)
    assert [base.__name__ for base in getattr(lib, name).__mro__[1:]] == [
        base.__name__ for base in getattr(ref, name).__mro__[1:]]


def test_actions_constants(libs):
    ref, lib = libs
    names = ("CREATE", "UPDATE", "DELETE", "SKIP", "NO_CHANGE")
    assert [getattr(lib.DiffSyncActions, n) for n in names] == [getattr(ref.DiffSyncActions, n) for n in names]


def test_model_private_defaults(libs):
    ref, lib = libs

    def defaults(namespace):
        model = namespace.DiffSyncModel
        return (model._modelname, model._identifiers, model._shortname, model._attributes, model._children,
                cs.norm(model.model_fields["model_flags"].default), "adapter" in model.model_fields,
                namespace.Adapter.top_level, namespace.Adapter.type)

    assert defaults(lib) == defaults(ref)


# ---------------------------------------------------------------------------------------------------------
# The scenarios, diffsync against the engine
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(cs.SCENARIOS))
def test_scenario_runs_on_reference(name):
    """Each scenario works on diffsync itself, observes something, and is deterministic."""
    fresh = cs.SCENARIOS[name](reference())
    assert fresh
    assert fresh == run(REFERENCE, name), "scenario is not deterministic"


# Deliberate, documented departures from diffsync 2.2.3 (docs/python-api.md): for these keys the engine's
# value is pinned here and diffsync's must differ from it; every other key must match diffsync exactly.
DELIBERATE = {
    # The engine reports a shortname collision when the child is added, naming both objects,
    # instead of loading both and failing later in diff_from (issue: collisions reported at add time).
    "shortname_collision": {
        "load": ("raised", "ObjectAlreadyExists"),
        "children": ["r1__eth0"],
        "diff": None,
        "diff_existing_object_is_element": False,
    },
    # ObjectAlreadyExists.existing_object is the object already stored, as its name says
    # (diffsync passes the new, rejected object).
    "store_errors": {
        "duplicate_existing_object_is_new": False,
        "duplicate_existing_object_is_stored": True,
    },
    # BaseStore is an abstract base class: it cannot be instantiated itself; stores that implement
    # only remove_item() still work (checked by the other keys of the scenario).
    "base_store_contract": {"instantiate": ("raised", "TypeError")},
}


@pytest.mark.parametrize("name", list(cs.SCENARIOS))
def test_scenario_matches_diffsync(name):
    expected, got = both(name)
    for key, pinned in DELIBERATE.get(name, {}).items():
        assert got.pop(key) == pinned, f"engine's deliberate behaviour changed for {name}[{key}]"
        assert expected.pop(key) != pinned, f"diffsync agrees with the engine on {name}[{key}]: drop the pin"
    assert_same(expected, got)


# ---------------------------------------------------------------------------------------------------------
# Pins: explicit expectations, for both libraries
# ---------------------------------------------------------------------------------------------------------

LIBS = pytest.mark.parametrize("lib", [REFERENCE, ENGINE], ids=["diffsync", "engine"])


@LIBS
def test_pin_diff_order(lib):
    """Destination's top_level order; source objects in load order, then destination-only ones."""
    result = run(lib, "devices_diff")
    forward = result["forward"]
    assert [row for row in forward["order"] if row[0] == "device"] == [
        ("device", "rtr3", "create"), ("device", "rtr1", None), ("device", "rtr2", "update"),
        ("device", "rtr4", "delete")]
    assert [row[1] for row in forward["order"] if row[0] == "interface"] == [
        "eth1", "eth0",  # rtr3's, in load order
        "eth0", "eth1", "eth2", "eth3",  # rtr1: source order, then destination-only
        "eth0", "eth5",  # rtr2
        "eth0", "eth1"]  # rtr4
    assert forward["summary"] == cs.OD(create=4, update=3, delete=5, **{"no-change": 2, "skip": 0})
    assert forward == result["forward_to"]
    assert result["calls"] == []


@LIBS
def test_pin_order_hooks(lib):
    """Diff.str() ignores order_children_* hooks; get_children(), dict() and sync use them."""
    result = run(lib, "diff_order_hooks")
    diff = result["diff"]
    assert [row[1] for row in diff["order"] if row[0] == "device"] == ["rtr4", "rtr3", "rtr2", "rtr1"]
    assert list(diff["dict"]["device"].keys()) == ["rtr4", "rtr3", "rtr2", "rtr1"]
    str_devices = [line.split(": ")[1].split(" ")[0] for line in diff["str"].splitlines()
                   if line.startswith("  device: ")]
    assert str_devices == ["rtr3", "rtr1", "rtr2", "rtr4"]
    assert [call[2] for call in result["sync"]["calls"] if call[1] == "device"] == ["rtr4", "rtr3", "rtr2"]
    assert result["completed"] == [14]
    assert {row["child_diff_class"] for row in diff["elements"]} == {"ReverseDiff"}


@LIBS
def test_pin_natural_deletion_order(lib):
    result = run(lib, "mflag_natural_deletion_order")

    def rtr4(observed):
        return [(call[0], call[2]) for call in observed["sync"]["calls"] if call[2].startswith("rtr4")]

    assert rtr4(result["without"]) == [("delete", "rtr4"), ("delete", "rtr4__eth0"), ("delete", "rtr4__eth1")]
    assert rtr4(result["device_class"]) == [("delete", "rtr4__eth0"), ("delete", "rtr4__eth1"), ("delete", "rtr4")]
    assert rtr4(result["with_skip_children"]) == [("delete", "rtr4")]


@LIBS
def test_pin_skip_children_on_delete(lib):
    result = run(lib, "mflag_skip_children_on_delete")
    synced = result["device_class"]["sync"]
    assert [c[2] for c in synced["calls"] if c[0] == "delete" and c[2].startswith("rtr4")] == ["rtr4"]
    assert "rtr4__eth0" not in synced["dst"]["uids"]["interface"]


@LIBS
def test_pin_continue_on_failure(lib):
    result = run(lib, "flag_continue_on_failure")
    assert result["create:rtr1__eth2:without"]["raised"] == "ObjectNotCreated"
    assert result["create:rtr1__eth2:with"]["raised"] is None
    assert result["update:rtr2:without"]["raised"] == "ObjectNotUpdated"
    assert result["delete:rtr4:without"]["raised"] == "ObjectNotDeleted"
    with_flag = result["create:rtr1__eth2:with"]
    assert "rtr1__eth2" not in with_flag["dst"]["uids"]["interface"]
    assert len(with_flag["completions"]) == 1


@LIBS
def test_pin_sync_complete_only_on_change(lib):
    result = run(lib, "sync_complete_only_on_change")
    assert len(result["first"]) == 1
    assert result["second"] == result["first"]


@LIBS
def test_pin_create_returns_none(lib):
    result = run(lib, "create_returns_none")
    calls = [(c[0], c[2]) for c in result["calls"]]
    assert ("create", "rtr3") in calls
    assert not any(uid.startswith("rtr3__") for _, uid in calls)
    assert not any(uid.startswith("rtr2__") for _, uid in calls)
    assert "rtr3" not in result["dst"]["uids"]["device"]
    assert "rtr4" in result["dst"]["uids"]["device"]


@LIBS
def test_pin_precomputed_diff(lib):
    result = run(lib, "sync_precomputed_diff")
    assert result["returned_is_given"] is True
    assert "late" not in result["sync"]["dst"]["uids"]["device"]
    assert result["mismatch"] == ("raised", "DiffClassMismatch")
    assert result["mismatch_to"] == ("raised", "DiffClassMismatch")
    assert result["mismatch_changed_nothing"][0] == []
    assert result["subclass_accepted"] == ("ok", True)
    assert result["empty_returned_is_given"] is False  # an empty Diff is falsy: a fresh diff is computed


@LIBS
def test_pin_skip_counts(lib):
    result = run(lib, "top_level_one_side")
    assert result["forward"]["groups"] == ["device"]
    assert result["forward"]["summary"]["skip"] == 4  # 3 vlans (source) + 1 tenant (destination)
    assert result["forward"]["models_processed"] == 4 + 4 + 2 * 3 + 5 + 2 * 2


@LIBS
def test_pin_store_errors(lib):
    result = run(lib, "store_errors")
    assert result["duplicate_add"] == "ObjectAlreadyExists"
    assert result["duplicate_has_existing_object"] is True
    assert result["add_child_wrong_type"] == ("raised", "ObjectStoreWrongType")
    assert result["remove_child_missing"] == ("raised", "ObjectNotFound")
    assert result["missing_get"] == ("raised", "ObjectNotFound")


@LIBS
def test_pin_declarations(lib):
    result = run(lib, "declarations")
    accepted = {"valid", "identifiers_property", "inherited_declarations", "adapter_valid", "adapter_inherits_models",
                "adapter_non_model_attributes"}
    for case, seen in result.items():
        if case in accepted:
            assert seen[0] == "ok", case
        else:
            assert seen == ("raised", "AttributeError"), case


@LIBS
def test_pin_deprecated_alias(lib):
    result = run(lib, "deprecated_diffsync_alias")
    assert result["is_subclass"] is True
    assert "DeprecationWarning" in result["subclass_warnings"]
    assert result["sync"]["raised"] is None
