"""Scenario builders for the differential tests against diffsync 2.2.3.

Every scenario is a function taking a *library namespace* (see :func:`make_lib`) built either from the
reference package ``diffsync`` or from the collection's engine.  A scenario declares its model classes and
adapters with that library only, loads data, exercises the API and returns an ``OrderedDict`` of plain,
library-independent observations (strings, numbers, lists, ordered dicts, exception kinds).  The test module
runs each scenario through both libraries and compares the observations key by key.

Rules kept by every scenario:

* no wall-clock, randomness or hash-order dependence in the observations (set-like results are sorted;
  ``Adapter.dict()`` is keyed by model name in sorted order because diffsync builds it from a ``set``);
* dictionaries are returned as ``OrderedDict`` so that the comparison is order sensitive where diffsync's
  order is deterministic (diff element order, attribute order, summary order, ...);
* exceptions are reduced to their kind (see :func:`exc_kind`), never to their message, because the engine
  is allowed to word its messages better.
"""

# Model and adapter declarations below use list/dict class attributes (pydantic field defaults, ``_children``,
# ``top_level``) exactly the way diffsync documents them.
# ruff: noqa: RUF012

import enum
import importlib
import warnings
from collections import OrderedDict
from types import SimpleNamespace
from typing import Any

# ---------------------------------------------------------------------------------------------------------
# Library namespace
# ---------------------------------------------------------------------------------------------------------

#: exception names defined by diffsync 2.2.3 (``diffsync.exceptions``)
KNOWN_EXCEPTIONS = (
    "ObjectCrudException",
    "ObjectNotCreated",
    "ObjectNotUpdated",
    "ObjectNotDeleted",
    "ObjectStoreException",
    "ObjectAlreadyExists",
    "ObjectNotFound",
    "ObjectStoreWrongType",
    "DiffException",
    "DiffClassMismatch",
)


def make_lib(package: str) -> SimpleNamespace:
    """Build the namespace a scenario works with, from a diffsync-compatible package name."""
    top = importlib.import_module(package)
    diff = importlib.import_module(package + ".diff")
    enums = importlib.import_module(package + ".enum")
    exceptions = importlib.import_module(package + ".exceptions")
    store = importlib.import_module(package + ".store")
    local = importlib.import_module(package + ".store.local")
    return SimpleNamespace(
        package=package,
        top=top,
        # top-level exports, taken from the top-level package on purpose
        Adapter=top.Adapter,
        DiffSync=top.DiffSync,
        DiffSyncModel=top.DiffSyncModel,
        Diff=top.Diff,
        DiffSyncFlags=top.DiffSyncFlags,
        DiffSyncModelFlags=top.DiffSyncModelFlags,
        DiffSyncStatus=top.DiffSyncStatus,
        # submodules
        diff=diff,
        DiffElement=diff.DiffElement,
        enum=enums,
        DiffSyncActions=enums.DiffSyncActions,
        exc=exceptions,
        store=store,
        BaseStore=store.BaseStore,
        LocalStore=local.LocalStore,
    )


# ---------------------------------------------------------------------------------------------------------
# Normalisation of observations
# ---------------------------------------------------------------------------------------------------------


def OD(*pairs, **kwargs) -> OrderedDict:
    """Ordered dict from pairs and/or keyword arguments (keywords keep their written order)."""
    result = OrderedDict(pairs)
    result.update(kwargs)
    return result


def norm(value: Any) -> Any:
    """Turn a value produced by either library into plain, comparable, library-independent data."""
    if isinstance(value, enum.Enum):
        return ("enum", type(value).__name__, value.value)
    if isinstance(value, dict):
        return OrderedDict((norm(k), norm(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [norm(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return ("set", sorted(norm(v) for v in value))
    if hasattr(value, "get_unique_id") and hasattr(value, "get_type"):
        return ("model", value.get_type(), value.get_unique_id())
    if isinstance(value, BaseException):
        return ("exception", type(value).__name__)
    return value


def exc_kind(lib: SimpleNamespace, error: BaseException) -> str:
    """Name of the first class in the error's MRO that is a builtin or a diffsync-named class of ``lib``.

    An engine raising a private subclass of ``ObjectNotFound`` still reports ``ObjectNotFound``; an engine
    raising a class that merely has the same name as diffsync's, but is not the one exported by its own
    ``exceptions`` module, falls through to its base class and is reported as a mismatch.
    """
    for cls in type(error).__mro__:
        if cls.__module__ == "builtins":
            return cls.__name__
        if cls.__name__ in KNOWN_EXCEPTIONS and getattr(lib.exc, cls.__name__, None) is cls:
            return cls.__name__
    return type(error).__name__  # pragma: no cover - every exception derives from a builtin


def outcome(lib: SimpleNamespace, func, *args, **kwargs):
    """Run ``func`` and describe what happened: ``("ok", normalised result)`` or ``("raised", kind)``."""
    try:
        result = func(*args, **kwargs)
    except Exception as error:
        return ("raised", exc_kind(lib, error))
    return ("ok", norm(result))


def raised(lib: SimpleNamespace, func, *args, **kwargs):
    """Run ``func`` expecting an exception; return ``(kind, exception or None)``."""
    try:
        func(*args, **kwargs)
    except Exception as error:
        return exc_kind(lib, error), error
    return None, None


def nonempty_names(adapter) -> list:
    """Sorted model names that hold at least one object (see the ``store_phantom_model_names`` scenario)."""
    return sorted(name for name in adapter.get_all_model_names() if adapter.count(name))


def obs_adapter_dict(data: dict) -> OrderedDict:
    """``Adapter.dict()``: model names sorted (diffsync iterates a set), objects in store order, empty
    model entries dropped (pinned separately by ``store_phantom_model_names``)."""
    return OrderedDict((name, norm(data[name])) for name in sorted(data) if data[name])


def obs_adapter(adapter) -> OrderedDict:
    """Every read-only observation of an adapter's contents."""
    names = nonempty_names(adapter)
    return OD(
        dict=obs_adapter_dict(adapter.dict()),
        dict_with_defaults=obs_adapter_dict(adapter.dict(exclude_defaults=False)),
        str=adapter.str(),
        str_indented=adapter.str(indent=3),
        builtin_str=str(adapter),
        repr=repr(adapter),
        name=adapter.name,
        type=adapter.type,
        len=len(adapter),
        count_all=adapter.count(),
        model_names=names,
        counts=OD(*((name, adapter.count(name)) for name in names)),
        uids=OD(*((name, [obj.get_unique_id() for obj in adapter.get_all(name)]) for name in names)),
    )


def obs_model(model) -> OrderedDict:
    """Every read-only observation of one model instance."""
    return OD(
        type=model.get_type(),
        uid=model.get_unique_id(),
        shortname=model.get_shortname(),
        identifiers=norm(model.get_identifiers()),
        attrs=norm(model.get_attrs()),
        dict=norm(model.dict()),
        dict_exclude_defaults=norm(model.dict(exclude_defaults=True)),
        json=model.json(),
        json_with_defaults=model.json(exclude_defaults=False),
        str=model.str(),
        str_no_children=model.str(include_children=False),
        str_indented=model.str(indent=2),
        builtin_str=str(model),
        repr=repr(model),
        children_mapping=norm(model.get_children_mapping()),
        status=norm(model.get_status()),
    )


def obs_element(element, depth: int) -> OrderedDict:
    """Observations of one DiffElement (not recursing: children get their own rows)."""
    return OD(
        depth=depth,
        type=element.type,
        name=element.name,
        action=element.action,
        keys=norm(element.keys),
        source_name=element.source_name,
        dest_name=element.dest_name,
        source_attrs=norm(element.source_attrs),
        dest_attrs=norm(element.dest_attrs),
        attrs_keys=sorted(element.get_attrs_keys()),
        attrs_diffs=norm(element.get_attrs_diffs()),
        builtin_str=str(element),
        str=element.str(),
        dict=norm(element.dict()),
        summary=norm(element.summary()),
        len=len(element),
        has_diffs_self=element.has_diffs(include_children=False),
        has_diffs=element.has_diffs(),
        child_diff_class=type(element.child_diff).__name__,
    )


def walk(elements, depth: int = 0) -> list:
    """Rows for every element, depth first, in ``get_children()`` order."""
    rows = []
    for element in elements:
        rows.append(obs_element(element, depth))
        rows.extend(walk(element.get_children(), depth + 1))
    return rows


def order(diff) -> list:
    """Just the (type, name, action) triples of :func:`walk`, handy for order pins."""
    return [(row["type"], row["name"], row["action"]) for row in walk(diff.get_children())]


def obs_diff(diff) -> OrderedDict:
    """Every read-only observation of a Diff."""
    return OD(
        diff_class=type(diff).__name__,
        dict=norm(diff.dict()),
        str=diff.str(),
        str_indented=diff.str(indent=4),
        summary=norm(diff.summary()),
        len=len(diff),
        bool=bool(diff),
        has_diffs=diff.has_diffs(),
        groups=list(diff.groups()),
        models_processed=diff.models_processed,
        order=order(diff),
        elements=walk(diff.get_children()),
    )


# ---------------------------------------------------------------------------------------------------------
# Models and adapters
# ---------------------------------------------------------------------------------------------------------


def build(
    lib: SimpleNamespace,
    *,
    calls: list | None = None,
    fail: tuple = (),
    returns_none: tuple = (),
    blow_up: tuple = (),
    device_flags=None,
    interface_flags=None,
    site_flags=None,
    diff_hooks: bool = False,
) -> SimpleNamespace:
    """Declare the site > device > interface models and their adapters with ``lib``.

    ``calls`` receives ``(action, type, uid, attrs)`` for every create/update/delete the engine calls on a
    model.  ``fail`` holds ``(action, uid)`` pairs for which the model raises the matching Object*Crud
    exception, ``returns_none`` pairs for which it returns ``None``, ``blow_up`` pairs for which it raises a
    plain ``RuntimeError``.  ``*_flags`` become the class-level default of ``model_flags`` (declared in the
    class body, the way diffsync documents it).
    """
    log = calls if calls is not None else []
    crud_errors = {"create": lib.exc.ObjectNotCreated, "update": lib.exc.ObjectNotUpdated,
                   "delete": lib.exc.ObjectNotDeleted}

    def hook(action: str, uid: str):
        if (action, uid) in fail:
            raise crud_errors[action](f"{action} {uid} refused by the test backend")
        if (action, uid) in blow_up:
            raise RuntimeError(f"{action} {uid}: backend exploded")
        return (action, uid) in returns_none

    class Logged(lib.DiffSyncModel):
        """Intermediate abstract model: logs every CRUD call and can be told to fail."""

        @classmethod
        def create(cls, adapter, ids, attrs):
            uid = cls.create_unique_id(**ids)
            log.append(("create", cls.get_type(), uid, norm(attrs)))
            if hook("create", uid):
                return None
            return super().create(adapter=adapter, ids=ids, attrs=attrs)

        def update(self, attrs):
            log.append(("update", self.get_type(), self.get_unique_id(), norm(attrs)))
            if hook("update", self.get_unique_id()):
                return None
            return super().update(attrs=attrs)

        def delete(self):
            log.append(("delete", self.get_type(), self.get_unique_id(), None))
            if hook("delete", self.get_unique_id()):
                return None
            return super().delete()

    class Interface(Logged):
        _modelname = "interface"
        _identifiers = ("device_name", "name")
        _shortname = ("name",)
        _attributes = ("description", "mtu", "enabled", "tags")

        # declared name-first on purpose: get_identifiers() follows field order, not _identifiers order
        name: str
        device_name: str
        description: str | None = None
        mtu: int = 1500
        enabled: bool = True
        tags: list[str] = []
        internal_id: int = 0  # not an attribute: never diffed
        model_flags: lib.DiffSyncModelFlags = interface_flags or lib.DiffSyncModelFlags.NONE

    class Device(Logged):
        _modelname = "device"
        _identifiers = ("name",)
        _attributes = ("role", "serial", "vlans", "meta", "managed")
        _children = {"interface": "interfaces"}

        name: str
        site_name: str | None = None  # not an attribute: never diffed
        role: str = "leaf"
        serial: str | None = None
        vlans: list[int] = []
        meta: dict[str, Any] = {}
        managed: bool = True
        notes: str = ""  # not an attribute: never diffed
        interfaces: list[str] = []
        model_flags: lib.DiffSyncModelFlags = device_flags or lib.DiffSyncModelFlags.NONE

    class Site(Logged):
        _modelname = "site"
        _identifiers = ("name",)
        _attributes = ("region",)
        _children = {"device": "devices"}

        name: str
        region: str = "emea"
        devices: list[str] = []
        model_flags: lib.DiffSyncModelFlags = site_flags or lib.DiffSyncModelFlags.NONE

    class Recording:
        """Mixin for adapters: records sync_complete calls."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.completions = []

        def sync_complete(self, source, diff, flags=lib.DiffSyncFlags.NONE, logger=None):
            self.completions.append((source.name, norm(diff.summary()), norm(flags)))
            return super().sync_complete(source, diff, flags, logger)

    class Net(Recording, lib.Adapter):
        device = Device
        interface = Interface
        top_level = ["device"]

    class SiteNet(Recording, lib.Adapter):
        site = Site
        device = Device
        interface = Interface
        top_level = ["site"]

    namespace = SimpleNamespace(lib=lib, calls=log, Logged=Logged, Interface=Interface, Device=Device, Site=Site,
                                Net=Net, SiteNet=SiteNet)
    if diff_hooks:
        namespace.completed = []
        namespace.ReverseDiff = reverse_diff_class(lib, namespace.completed)
    return namespace


def reverse_diff_class(lib: SimpleNamespace, completed: list):
    """A Diff subclass ordering devices and interfaces by name, reversed, and recording complete()."""

    class ReverseDiff(lib.Diff):
        @classmethod
        def order_children_device(cls, children):
            yield from sorted(children.values(), key=lambda element: element.name, reverse=True)

        @classmethod
        def order_children_interface(cls, children):
            yield from sorted(children.values(), key=lambda element: element.name, reverse=True)

        def complete(self):
            completed.append(len(self))

    return ReverseDiff


# Data: devices with interfaces.  Source objects are loaded in a non-alphabetical order so that a sorted
# implementation cannot pass by accident.
#   rtr3: only in source (create, with two interfaces)        rtr4: only in destination (delete, two children)
#   rtr1: unchanged device; eth0 unchanged, eth1 updated, eth2 source-only, eth3 destination-only
#   rtr2: updated (role, serial -> None, meta, managed); eth0 updated (mtu), eth5 destination-only
SRC_DEVICES = [
    {"name": "rtr3", "role": "spine", "vlans": [10, 20], "meta": {"rack": "r3"},
     "interfaces": [{"name": "eth1", "mtu": 9000}, {"name": "eth0", "tags": ["core", "uplink"]}]},
    {"name": "rtr1", "serial": "S1", "notes": "source notes", "site_name": "lon",
     "interfaces": [{"name": "eth0", "internal_id": 7}, {"name": "eth1", "description": "uplink"},
                    {"name": "eth2", "tags": ["a"], "enabled": False}]},
    {"name": "rtr2", "role": "spine", "serial": None, "meta": {"a": 1, "b": [1, 2]}, "managed": False,
     "vlans": [1],
     "interfaces": [{"name": "eth0", "mtu": 9000}]},
]
DST_DEVICES = [
    {"name": "rtr4", "role": "edge", "interfaces": [{"name": "eth0"}, {"name": "eth1", "description": "x"}]},
    {"name": "rtr2", "serial": "S2", "meta": {"a": 1}, "vlans": [1],
     "interfaces": [{"name": "eth5"}, {"name": "eth0"}]},
    {"name": "rtr1", "serial": "S1", "notes": "destination notes",
     "interfaces": [{"name": "eth3"}, {"name": "eth1", "description": "old"}, {"name": "eth0", "internal_id": 99}]},
]

# Data: three levels.  lon: region updated; par: source only; nyc: destination only.
SRC_SITES = [
    {"name": "par", "region": "emea", "devices": [
        {"name": "par-r1", "interfaces": [{"name": "ge0"}, {"name": "ge1", "mtu": 9100}]}]},
    {"name": "lon", "region": "uk", "devices": [
        {"name": "lon-r2", "role": "spine", "interfaces": [{"name": "ge0", "description": "new"}]},
        {"name": "lon-r1", "interfaces": [{"name": "ge0"}]}]},
]
DST_SITES = [
    {"name": "nyc", "region": "amer", "devices": [
        {"name": "nyc-r1", "interfaces": [{"name": "ge0"}, {"name": "ge9"}]}]},
    {"name": "lon", "region": "emea", "devices": [
        {"name": "lon-r1", "interfaces": [{"name": "ge0"}, {"name": "ge7"}]},
        {"name": "lon-r3", "interfaces": []},
        {"name": "lon-r2", "role": "leaf", "interfaces": [{"name": "ge0", "description": "old"}]}]},
]


def load_devices(models: SimpleNamespace, adapter, devices: list, parent=None, flags: dict | None = None):
    """Add devices and their interfaces to ``adapter`` (optionally as children of ``parent``).

    ``flags`` maps a uid to model_flags set on that instance.
    """
    flags = flags or {}
    for spec in devices:
        fields = {key: value for key, value in spec.items() if key != "interfaces"}
        device = models.Device(**fields)
        if device.get_unique_id() in flags:
            device.model_flags = flags[device.get_unique_id()]
        adapter.add(device)
        if parent is not None:
            parent.add_child(device)
        for intf_spec in spec.get("interfaces", []):
            intf = models.Interface(device_name=device.name, **intf_spec)
            if intf.get_unique_id() in flags:
                intf.model_flags = flags[intf.get_unique_id()]
            adapter.add(intf)
            device.add_child(intf)
    return adapter


def load_sites(models: SimpleNamespace, adapter, sites: list):
    for spec in sites:
        site = models.Site(name=spec["name"], region=spec["region"])
        adapter.add(site)
        load_devices(models, adapter, spec["devices"], parent=site)
    return adapter


def pair(models: SimpleNamespace, src_flags=None, dst_flags=None):
    """(source, destination) device adapters with the standard data."""
    src = load_devices(models, models.Net(name="source-net"), SRC_DEVICES, flags=src_flags)
    dst = load_devices(models, models.Net(name="dest-net"), DST_DEVICES, flags=dst_flags)
    return src, dst


def site_pair(models: SimpleNamespace):
    src = load_sites(models, models.SiteNet(name="src-sites"), SRC_SITES)
    dst = load_sites(models, models.SiteNet(name="dst-sites"), DST_SITES)
    return src, dst


def sync_observations(models, src, dst, run) -> OrderedDict:
    """Run a sync (``run()`` returns the diff or raises) and observe everything afterwards."""
    result = OD()
    try:
        returned = run()
    except Exception as error:
        result["raised"] = exc_kind(models.lib, error)
        returned = None
    else:
        result["raised"] = None
    result["calls"] = list(models.calls)
    result["completions"] = list(getattr(dst, "completions", [])) + list(getattr(src, "completions", []))
    result["returned"] = obs_diff(returned) if returned is not None else None
    result["dst"] = obs_adapter(dst)
    result["src"] = obs_adapter(src)
    after = dst.diff_from(src)
    result["diff_after"] = OD(summary=norm(after.summary()), has_diffs=after.has_diffs(), dict=norm(after.dict()))
    return result


# ---------------------------------------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------------------------------------

SCENARIOS = OrderedDict()


def scenario(func):
    SCENARIOS[func.__name__] = func
    return func


# --- loading and reading ----------------------------------------------------------------------------------


@scenario
def adapters_loaded(lib):
    """dict()/str()/len()/count()/model names of freshly loaded adapters, 2 and 3 levels."""
    models = build(lib)
    src, dst = pair(models)
    ssrc, sdst = site_pair(models)
    class Typed(models.Net):
        type = "netbox"

    typed_named = load_devices(models, Typed(name="nb1"), SRC_DEVICES[:1])
    typed_unnamed = Typed()
    same_as_type = Typed(name="netbox")
    return OD(src=obs_adapter(src), dst=obs_adapter(dst), site_src=obs_adapter(ssrc), site_dst=obs_adapter(sdst),
              typed_named=obs_adapter(typed_named), typed_unnamed=obs_adapter(typed_unnamed),
              typed_same=[str(same_as_type), repr(same_as_type)],
              default_adapter=[str(lib.Adapter()), repr(lib.Adapter(name="x")), lib.Adapter().name],
              counts_by_class=[src.count(models.Device), src.count(models.Interface),
                               src.count(src.get("device", "rtr1")), src.count("device")],
              store_str=str(src.store), calls=list(models.calls))


@scenario
def model_observations(lib):
    """str/dict/json/uid/shortname/identifiers/attrs of every loaded object, plus orphans."""
    models = build(lib)
    src, dst = pair(models)
    result = OD()
    for adapter in (src, dst):
        for name in ("device", "interface"):
            for obj in adapter.get_all(name):
                result[f"{adapter.name}:{name}:{obj.get_unique_id()}"] = obs_model(obj)
    # objects outside any adapter: children printed as uids, no lookups possible
    lone = models.Device(name="lone", interfaces=["lone__x"], model_flags=lib.DiffSyncModelFlags.IGNORE)
    result["lone"] = obs_model(lone)
    # a child uid that the store does not hold
    src.get("device", "rtr1").interfaces.append("rtr1__ghost")
    result["rtr1_with_ghost"] = src.get("device", "rtr1").str()
    result["class_uid"] = models.Interface.create_unique_id(device_name="d", name="n")
    result["class_type"] = models.Interface.get_type()
    result["base_type"] = lib.DiffSyncModel.get_type()
    return result


@scenario
def model_status(lib):
    """create_base/update_base/delete_base and set_status/get_status."""
    models = build(lib)
    adapter = models.Net()
    created = models.Device.create(adapter=adapter, ids={"name": "n1"}, attrs={"role": "spine"})
    result = OD(created=obs_model(created), created_adapter_is_adapter=created.adapter is adapter,
                in_store=adapter.count())
    fresh = models.Device(name="n2")
    result["fresh_status"] = norm(fresh.get_status())
    result["update_returns_self"] = created.update(attrs={"role": "core", "notes": "free"}) is created
    result["updated"] = obs_model(created)
    result["delete_returns_self"] = created.delete() is created
    result["deleted_status"] = norm(created.get_status())
    created.set_status(lib.DiffSyncStatus.FAILURE, "nope")
    result["set_status"] = norm(created.get_status())
    created.set_status(lib.DiffSyncStatus.ERROR)
    result["set_status_default_message"] = norm(created.get_status())
    result["create_base"] = obs_model(models.Interface.create_base(adapter=adapter, ids={"device_name": "n1",
                                                                                      "name": "e0"},
                                                                  attrs={"mtu": 1}))
    result["calls"] = list(models.calls)
    return result


@scenario
def attribute_types(lib):
    """int/bool/float/list/dict/Optional/None attribute values: model output, diff and sync."""
    class Thing(lib.DiffSyncModel):
        _modelname = "thing"
        _identifiers = ("key",)
        _attributes = ("count", "flag", "ratio", "items", "mapping", "maybe", "nothing")
        key: str
        count: int = 0
        flag: bool = False
        ratio: float = 0.5
        items: list[Any] = []
        mapping: dict[str, Any] = {}
        maybe: str | None = None
        nothing: None = None
        private: dict[str, int] = {}

    class Things(lib.Adapter):
        thing = Thing
        top_level = ["thing"]

    src, dst = Things(name="s"), Things(name="d")
    rows = [
        ("same", {"count": 1, "items": [1, "a"], "mapping": {"x": {"y": [1]}}},
         {"count": 1, "items": [1, "a"], "mapping": {"x": {"y": [1]}}, "private": {"p": 1}}),
        ("ints", {"count": 2}, {"count": 3}),
        ("bools", {"flag": True}, {"flag": False}),
        ("floats", {"ratio": 0.25}, {"ratio": 0.5}),
        ("list_order", {"items": [2, 1]}, {"items": [1, 2]}),
        ("nested", {"mapping": {"x": {"y": [1, 2]}, "z": None}}, {"mapping": {"x": {"y": [1]}}}),
        ("to_none", {"maybe": None}, {"maybe": "value"}),
        ("from_none", {"maybe": "value"}, {}),
        ("one_vs_true", {"items": [1]}, {"items": [True]}),
        ("many", {"count": 5, "flag": True, "maybe": "m"}, {"count": 6}),
    ]
    for key, src_attrs, dst_attrs in rows:
        src.add(Thing(key=key, **src_attrs))
        dst.add(Thing(key=key, **dst_attrs))
    src.add(Thing(key="only_src", count=-1, mapping={"k": [None]}))
    dst.add(Thing(key="only_dst", flag=True, maybe=""))
    diff = dst.diff_from(src)
    result = OD(models=OD(*((o.get_unique_id(), obs_model(o)) for o in src.get_all("thing"))),
                src=obs_adapter(src), dst=obs_adapter(dst), diff=obs_diff(diff))
    returned = dst.sync_from(src)
    result["sync_returned"] = obs_diff(returned)
    result["dst_after"] = obs_adapter(dst)
    return result


@scenario
def int_identifiers(lib):
    """Models whose identifiers are ints (alone and compound with a shortname)."""

    class Vlan(lib.DiffSyncModel):
        _modelname = "vlan"
        _identifiers = ("vid",)
        _attributes = ("name",)
        _children = {"prefix": "prefixes"}
        vid: int
        name: str = ""
        prefixes: list[str] = []

    class Prefix(lib.DiffSyncModel):
        _modelname = "prefix"
        _identifiers = ("vid", "seq")
        _shortname = ("seq",)
        _attributes = ("cidr",)
        vid: int
        seq: int
        cidr: str

    class Vlans(lib.Adapter):
        vlan = Vlan
        prefix = Prefix
        top_level = ["vlan"]

    def load(adapter, rows):
        for vid, name, prefixes in rows:
            vlan = Vlan(vid=vid, name=name)
            adapter.add(vlan)
            for seq, cidr in prefixes:
                prefix = Prefix(vid=vid, seq=seq, cidr=cidr)
                adapter.add(prefix)
                vlan.add_child(prefix)
        return adapter

    src = load(Vlans(name="a"), [(20, "users", [(2, "10.0.2.0/24"), (1, "10.0.1.0/24")]), (10, "mgmt", []),
                                 (300, "new", [(1, "10.3.0.0/24")])])
    dst = load(Vlans(name="b"), [(10, "mgmt-old", [(5, "10.9.0.0/24")]), (20, "users", [(1, "10.0.1.0/25")]),
                                 (4094, "gone", [])])
    result = OD(src=obs_adapter(src), dst=obs_adapter(dst))
    result["get_str"] = obs_model(src.get("vlan", "20"))
    result["get_dict"] = src.get(Vlan, {"vid": 20}).get_unique_id()
    result["get_compound"] = src.get(Prefix, {"vid": 20, "seq": 2}).get_shortname()
    result["uid_type"] = type(src.get("vlan", "20").get_unique_id()).__name__
    result["missing_int_as_str"] = outcome(lib, src.get, "vlan", "99")
    diff = dst.diff_from(src)
    result["diff"] = obs_diff(diff)
    result["sync"] = obs_diff(dst.sync_from(src))
    result["dst_after"] = obs_adapter(dst)
    return result


@scenario
def shortname(lib):
    """_shortname drives diff element names; identifiers remain the store keys."""
    models = build(lib)
    src, dst = pair(models)
    intf = src.get("interface", "rtr1__eth1")
    result = OD(shortname=intf.get_shortname(), uid=intf.get_unique_id(), device_short=src.get("device",
                                                                                                "rtr1").get_shortname())
    diff = dst.diff_from(src)
    result["interface_names"] = [row["name"] for row in walk(diff.get_children()) if row["type"] == "interface"]
    result["keys"] = [row["keys"] for row in walk(diff.get_children()) if row["type"] == "interface"]
    result["dict_keys"] = list(diff.dict()["device"]["rtr1"]["interface"].keys())
    return result


@scenario
def shortname_collision(lib):
    """Two children of one parent sharing a shortname: where does diffsync complain?"""
    models = build(lib)
    src = models.Net(name="s")
    dst = models.Net(name="d")
    result = OD()
    device = models.Device(name="r1")

    def load():
        src.add(device)
        for device_name in ("r1", "other"):
            intf = models.Interface(device_name=device_name, name="eth0")
            src.add(intf)
            device.add_child(intf)  # same shortname "eth0", different uid
        dst.add(models.Device(name="r1"))

    result["load"] = outcome(lib, load)
    result["children"] = list(device.interfaces)
    kind, error = raised(lib, dst.diff_from, src)
    result["diff"] = kind
    result["diff_existing_object_is_element"] = (
        error is not None and isinstance(getattr(error, "existing_object", None), lib.DiffElement))
    return result


# --- tree traversal and load_from_dict --------------------------------------------------------------------


@scenario
def tree_traversal(lib):
    """get_tree_traversal() as str and dict, for 2 and 3 levels and several top-level types."""
    models = build(lib)

    class Region(lib.DiffSyncModel):
        _modelname = "region"
        _identifiers = ("slug",)
        _children = {"site": "sites"}
        slug: str
        sites: list[str] = []

    class Vlan(lib.DiffSyncModel):
        _modelname = "vlan"
        _identifiers = ("vid",)
        vid: int

    class Wide(lib.Adapter):
        vlan = Vlan
        site = models.Site
        device = models.Device
        interface = models.Interface
        region = Region
        top_level = ["vlan", "device"]

    class Deep(lib.Adapter):
        region = Region
        site = models.Site
        device = models.Device
        interface = models.Interface
        top_level = ["region"]

    class Empty(lib.Adapter):
        pass

    result = OD()
    for cls in (models.Net, models.SiteNet, Wide, Deep, Empty):
        result[cls.__name__] = OD(str=cls.get_tree_traversal(), dict=norm(cls.get_tree_traversal(as_dict=True)),
                                  from_instance=cls().get_tree_traversal())
    return result


@scenario
def load_from_dict_roundtrip(lib):
    """dict() -> load_from_dict() -> dict() for 2 and 3 levels (and partial data)."""
    models = build(lib)
    result = OD()
    for label, (src, _dst) in (("devices", pair(models)), ("sites", site_pair(models))):
        copy = type(src)(name=src.name)
        copy.load_from_dict(src.dict())
        result[label] = OD(copy=obs_adapter(copy), same_dict=obs_adapter_dict(copy.dict()) ==
                           obs_adapter_dict(src.dict()), diff=norm(copy.diff_from(src).summary()))
    partial = models.Net()
    partial.load_from_dict({"device": {"x": {"name": "x", "role": "core"}}, "ignored": {"y": {}}})
    result["partial"] = obs_adapter(partial)
    result["duplicate"] = outcome(lib, partial.load_from_dict, {"device": {"x": {"name": "x"}}})
    return result


# --- store API -------------------------------------------------------------------------------------------


@scenario
def store_lookups(lib):
    """get / get_or_none / get_by_uids / get_all with every accepted form of model and identifier."""
    models = build(lib)
    src, _dst = pair(models)
    device = src.get("device", "rtr1")
    result = OD()

    def uid_of(found):
        return None if found is None else (found.get_type(), found.get_unique_id(), found is src.get(
            found.get_type(), found.get_unique_id()))

    lookups = OD(
        str_str=("device", "rtr1"),
        str_dict=("device", {"name": "rtr1"}),
        class_str=(models.Device, "rtr1"),
        class_dict=(models.Device, {"name": "rtr1"}),
        instance_str=(device, "rtr2"),
        instance_dict=(device, {"name": "rtr3"}),
        compound_dict=(models.Interface, {"device_name": "rtr1", "name": "eth2"}),
        compound_str=("interface", "rtr3__eth0"),
        missing=("device", "nope"),
        missing_dict=(models.Device, {"name": "nope"}),
        unknown_model_dict=("nomodel", {"name": "x"}),
        unknown_model_str=("nomodel", "x"),
    )
    for label, (model, identifier) in lookups.items():
        result["get:" + label] = outcome(lib, lambda m=model, i=identifier: uid_of(src.get(m, i)))
        result["get_or_none:" + label] = outcome(lib, lambda m=model, i=identifier: uid_of(src.get_or_none(m, i)))
    result["get_is_same_object"] = src.get("device", "rtr1") is device
    result["by_uids"] = outcome(lib, lambda: [uid_of(o) for o in src.get_by_uids(["rtr2", "rtr1"], "device")])
    result["by_uids_class"] = outcome(lib, lambda: [uid_of(o) for o in src.get_by_uids(["rtr3__eth0"],
                                                                                       models.Interface)])
    result["by_uids_instance"] = outcome(lib, lambda: [uid_of(o) for o in src.get_by_uids(["rtr3"], device)])
    result["by_uids_empty"] = outcome(lib, src.get_by_uids, [], "device")
    result["by_uids_missing"] = outcome(lib, src.get_by_uids, ["rtr1", "nope"], "device")
    result["get_all_str"] = [o.get_unique_id() for o in src.get_all("interface")]
    result["get_all_class"] = [o.get_unique_id() for o in src.get_all(models.Device)]
    result["get_all_instance"] = [o.get_unique_id() for o in src.get_all(device)]
    result["get_all_type"] = type(src.get_all("device")).__name__
    result["by_uids_type"] = type(src.get_by_uids(["rtr1"], "device")).__name__
    result["model_names_type"] = type(src.get_all_model_names()).__name__
    result["count_instance"] = src.count(device)
    result["after"] = obs_adapter(src)
    return result


@scenario
def store_get_or_update(lib):
    """get_or_instantiate / get_or_add_model_instance / update_or_instantiate / update_or_add_model_instance."""
    models = build(lib)
    src, _dst = pair(models)
    existing = src.get("device", "rtr1")
    result = OD()

    def run(label, func, *args, **kwargs):
        obj, created = func(*args, **kwargs)
        result[label] = OD(created=created, obj=obs_model(obj), is_existing=obj is existing,
                           stored_is_obj=src.get(obj.get_type(), obj.get_unique_id()) is obj,
                           adapter_set=obj.adapter is src, count=src.count())
        return obj

    run("goi_existing", src.get_or_instantiate, models.Device, {"name": "rtr1"}, {"role": "ignored"})
    run("goi_new", src.get_or_instantiate, models.Device, {"name": "rtr9"}, {"role": "core"})
    run("goi_new_no_attrs", src.get_or_instantiate, models.Device, {"name": "rtr10"})
    run("goi_again", src.get_or_instantiate, models.Device, {"name": "rtr9"}, {"role": "other"})
    new = models.Device(name="rtr11", role="border")
    added = run("goami_new", src.get_or_add_model_instance, new)
    result["goami_new_is_given"] = added is new
    run("goami_existing", src.get_or_add_model_instance, models.Device(name="rtr1", role="ignored"))
    run("uoi_existing", src.update_or_instantiate, models.Device, {"name": "rtr1"}, {"role": "core", "vlans": [7]})
    run("uoi_new", src.update_or_instantiate, models.Interface, {"device_name": "rtr9", "name": "e1"}, {"mtu": 1})
    run("uoi_existing_no_attrs", src.update_or_instantiate, models.Device, {"name": "rtr2"}, {})
    run("uoami_existing", src.update_or_add_model_instance, models.Device(name="rtr1", serial="NEW"))
    given = models.Device(name="rtr12", managed=False)
    added = run("uoami_new", src.update_or_add_model_instance, given)
    result["uoami_new_is_given"] = added is given
    result["adapter"] = obs_adapter(src)
    return result


@scenario
def store_update_replaces(lib):
    """Adapter.update(): replacing a stored object by another instance with the same uid, or adding one."""
    models = build(lib)
    src, _dst = pair(models)
    replacement = models.Device(name="rtr1", role="core", interfaces=["rtr1__eth0"])
    src.update(replacement)
    result = OD(stored_is_replacement=src.get("device", "rtr1") is replacement,
                replacement_adapter_set=replacement.adapter is src, count=src.count("device"))
    brand_new = models.Device(name="rtr77")
    src.update(brand_new)
    same = src.get("device", "rtr2")
    result["update_same"] = outcome(lib, src.update, same)
    result["brand_new_stored"] = src.get_or_none("device", "rtr77") is brand_new
    result["adapter"] = obs_adapter(src)
    return result


@scenario
def store_remove(lib):
    """remove() with and without remove_children, missing objects, missing children."""
    models = build(lib)
    src, _dst = pair(models)
    result = OD()
    rtr1 = src.get("device", "rtr1")
    eth0 = src.get("interface", "rtr1__eth0")
    result["plain"] = outcome(lib, src.remove, rtr1)
    result["plain_adapter_cleared"] = rtr1.adapter is None
    result["plain_child_kept"] = src.get_or_none("interface", "rtr1__eth0") is eth0
    result["plain_child_adapter"] = eth0.adapter is src
    rtr2 = src.get("device", "rtr2")
    child = src.get("interface", "rtr2__eth0")
    result["with_children"] = outcome(lib, src.remove, rtr2, remove_children=True)
    result["child_removed"] = src.get_or_none("interface", "rtr2__eth0") is None
    result["child_adapter_cleared"] = child.adapter is None
    result["again"] = outcome(lib, src.remove, rtr2)
    result["never_added"] = outcome(lib, src.remove, models.Device(name="ghost"))
    rtr3 = src.get("device", "rtr3")
    rtr3.interfaces.append("rtr3__ghost")  # a child uid the store does not hold: logged, not raised
    result["missing_child"] = outcome(lib, src.remove, rtr3, remove_children=True)
    result["missing_child_others_removed"] = src.count("interface")
    # removing a child leaves the parent's list untouched
    eth2 = src.get("interface", "rtr1__eth2")
    src.remove(eth2)
    result["parent_list_untouched"] = list(rtr1.interfaces)
    result["adapter"] = obs_adapter(src)
    # three levels: removal with children is recursive
    sites, _ = site_pair(models)
    lon = sites.get("site", "lon")
    result["recursive"] = outcome(lib, sites.remove, lon, remove_children=True)
    result["recursive_adapter"] = obs_adapter(sites)
    result["recursive_parent_lists"] = [list(lon.devices), [d.get_unique_id() for d in sites.get_all("device")]]
    return result


@scenario
def store_errors(lib):
    """Exception types for duplicates, wrong child types and missing children."""
    models = build(lib)
    src, _dst = pair(models)
    result = OD()
    rtr1 = src.get("device", "rtr1")
    duplicate = models.Device(name="rtr1", role="duplicate")
    kind, error = raised(lib, src.add, duplicate)
    result["duplicate_add"] = kind
    result["duplicate_has_existing_object"] = hasattr(error, "existing_object")
    existing = getattr(error, "existing_object", None)
    result["duplicate_existing_object_uid"] = None if existing is None else existing.get_unique_id()
    result["duplicate_existing_object_is_new"] = existing is duplicate
    result["duplicate_existing_object_is_stored"] = existing is rtr1
    result["duplicate_store_unchanged"] = src.get("device", "rtr1") is rtr1
    result["same_instance_add"] = outcome(lib, src.add, rtr1)
    result["count_after_same_instance"] = src.count()
    intf = src.get("interface", "rtr1__eth0")
    result["add_child_wrong_type"] = outcome(lib, rtr1.add_child, src.get("device", "rtr2"))
    result["add_child_to_childless"] = outcome(lib, intf.add_child, rtr1)
    result["remove_child_wrong_type"] = outcome(lib, rtr1.remove_child, src.get("device", "rtr2"))
    kind, error = raised(lib, rtr1.add_child, intf)
    result["add_child_duplicate"] = kind
    existing = getattr(error, "existing_object", None)
    result["add_child_duplicate_existing_uid"] = None if existing is None else existing.get_unique_id()
    result["remove_child_missing"] = outcome(lib, rtr1.remove_child, src.get("interface", "rtr3__eth0"))
    result["remove_child_ok"] = outcome(lib, rtr1.remove_child, intf)
    result["children_after"] = list(rtr1.interfaces)
    result["add_child_ok"] = outcome(lib, rtr1.add_child, intf)
    result["children_after_readd"] = list(rtr1.interfaces)
    result["missing_get"] = outcome(lib, src.get, models.Interface, {"device_name": "rtr1", "name": "eth9"})
    result["class_hierarchy"] = [
        issubclass(lib.exc.ObjectAlreadyExists, lib.exc.ObjectStoreException),
        issubclass(lib.exc.ObjectNotFound, lib.exc.ObjectStoreException),
        issubclass(lib.exc.ObjectStoreWrongType, lib.exc.ObjectStoreException),
        issubclass(lib.exc.ObjectNotCreated, lib.exc.ObjectCrudException),
        issubclass(lib.exc.DiffClassMismatch, lib.exc.DiffException),
    ]
    manual = lib.exc.ObjectAlreadyExists("message", rtr1)
    result["manual_existing_object"] = manual.existing_object is rtr1
    result["manual_args"] = norm(manual.args)
    return result


@scenario
def store_phantom_model_names(lib):
    """diffsync's LocalStore creates an empty entry for any model name it is asked about."""
    models = build(lib)
    adapter = models.Net()
    adapter.add(models.Device(name="d1"))
    result = OD(before=sorted(adapter.get_all_model_names()))
    adapter.get_or_none("interface", "nope")
    result["after_get_or_none"] = sorted(adapter.get_all_model_names())
    adapter.get_all("site")
    result["after_get_all"] = sorted(adapter.get_all_model_names())
    adapter.count("vlan")
    result["after_count"] = sorted(adapter.get_all_model_names())
    result["dict"] = norm(OrderedDict(sorted(adapter.dict().items())))
    result["len"] = len(adapter)
    result["str"] = adapter.str()
    return result


@scenario
def storage_engine_argument(lib):
    """internal_storage_engine given as a class, as an instance, and a named store."""
    models = build(lib)
    by_class = models.Net(internal_storage_engine=lib.LocalStore)
    store = lib.LocalStore(name="mystore")
    by_instance = models.Net(name="with-instance", internal_storage_engine=store)
    for adapter in (by_class, by_instance):
        load_devices(models, adapter, SRC_DEVICES[:1])
    return OD(class_store=type(by_class.store).__name__, class_store_str=str(by_class.store),
              class_store_adapter=by_class.store.adapter is by_class,
              instance_is_store=by_instance.store is store, instance_store_adapter=store.adapter is by_instance,
              instance_store_str=str(store), default_store_name=str(lib.LocalStore()),
              is_base_store=isinstance(store, lib.BaseStore),
              by_class=obs_adapter(by_class), by_instance=obs_adapter(by_instance),
              store_direct=[o.get_unique_id() for o in store.get_all(model="interface")],
              store_count=store.count(model=models.Device))


# --- declarations ----------------------------------------------------------------------------------------


def _declare(lib, case):

    if case == "valid":
        class Ok(lib.DiffSyncModel):
            _modelname = "ok"
            _identifiers = ("a",)
            _shortname = ("b",)
            _attributes = ("b",)
            _children = {"x": "xs"}
            a: str
            b: int = 0
            xs: list[str] = []
        return Ok
    if case == "identifiers_missing":
        class Bad(lib.DiffSyncModel):
            _identifiers = ("missing",)
            a: str
        return Bad
    if case == "identifiers_property":  # diffsync accepts any class attribute here (hasattr check)
        class Prop(lib.DiffSyncModel):
            _identifiers = ("computed",)
            a: str

            @property
            def computed(self):
                return self.a
        return Prop
    if case == "shortname_missing":
        class Bad(lib.DiffSyncModel):
            _identifiers = ("a",)
            _shortname = ("missing",)
            a: str
        return Bad
    if case == "attributes_missing":
        class Bad(lib.DiffSyncModel):
            _identifiers = ("a",)
            _attributes = ("missing",)
            a: str
        return Bad
    if case == "attributes_unannotated_classvar":
        class Bad(lib.DiffSyncModel):
            _identifiers = ("a",)
            _attributes = ("helper",)
            a: str

            def helper(self):
                return 1
        return Bad
    if case == "children_missing":
        class Bad(lib.DiffSyncModel):
            _identifiers = ("a",)
            _children = {"thing": "things"}
            a: str
        return Bad
    if case == "overlap_identifiers_attributes":
        class Bad(lib.DiffSyncModel):
            _identifiers = ("a",)
            _attributes = ("a", "b")
            a: str
            b: str = ""
        return Bad
    if case == "overlap_identifiers_children":
        class Bad(lib.DiffSyncModel):
            _identifiers = ("a",)
            _children = {"thing": "a"}
            a: str
        return Bad
    if case == "overlap_attributes_children":
        class Bad(lib.DiffSyncModel):
            _identifiers = ("a",)
            _attributes = ("b",)
            _children = {"thing": "b"}
            a: str
            b: list[str] = []
        return Bad
    if case == "inherited_declarations":
        class Parent(lib.DiffSyncModel):
            _modelname = "parent"
            _identifiers = ("a",)
            _attributes = ("b",)
            a: str
            b: str = ""

        class Child(Parent):
            c: int = 0
        return Child

    class Model(lib.DiffSyncModel):
        _modelname = "model"
        _identifiers = ("a",)
        a: str

    if case == "adapter_valid":
        class Good(lib.Adapter):
            model = Model
            top_level = ["model"]
        return Good
    if case == "adapter_name_mismatch":
        class Bad(lib.Adapter):
            other = Model
        return Bad
    if case == "adapter_top_level_missing":
        class Bad(lib.Adapter):
            model = Model
            top_level = ["model", "absent"]
        return Bad
    if case == "adapter_top_level_not_a_model":
        class Bad(lib.Adapter):
            model = "not a class"
            top_level = ["model"]
        return Bad
    if case == "adapter_top_level_other_class":
        class Bad(lib.Adapter):
            model = dict
            top_level = ["model"]
        return Bad
    if case == "adapter_inherits_models":
        class Base(lib.Adapter):
            model = Model

        class Derived(Base):
            top_level = ["model"]
        return Derived
    if case == "adapter_non_model_attributes":
        class Fine(lib.Adapter):
            model = Model
            helper = dict
            top_level = ["model"]
        return Fine
    raise AssertionError(case)  # pragma: no cover


DECLARATION_CASES = (
    "valid", "identifiers_missing", "identifiers_property", "shortname_missing", "attributes_missing",
    "attributes_unannotated_classvar", "children_missing", "overlap_identifiers_attributes",
    "overlap_identifiers_children", "overlap_attributes_children", "inherited_declarations", "adapter_valid",
    "adapter_name_mismatch", "adapter_top_level_missing", "adapter_top_level_not_a_model",
    "adapter_top_level_other_class", "adapter_inherits_models", "adapter_non_model_attributes",
)


@scenario
def declarations(lib):
    """Which class declarations are rejected at definition time, and with which exception type."""
    result = OD()
    for case in DECLARATION_CASES:
        result[case] = outcome(lib, lambda c=case: _declare(lib, c).__name__)
    return result


# --- diff ------------------------------------------------------------------------------------------------


@scenario
def devices_diff(lib):
    """diff_from / diff_to between device adapters, both directions."""
    models = build(lib)
    src, dst = pair(models)
    return OD(forward=obs_diff(dst.diff_from(src)), forward_to=obs_diff(src.diff_to(dst)),
              backward=obs_diff(src.diff_from(dst)), self_diff=obs_diff(src.diff_from(src)),
              calls=list(models.calls), src=obs_adapter(src), dst=obs_adapter(dst))


@scenario
def devices_identical(lib):
    """Two equal adapters: every element present, no diffs."""
    models = build(lib)
    src = load_devices(models, models.Net(name="a"), SRC_DEVICES)
    dst = load_devices(models, models.Net(name="b"), SRC_DEVICES)
    diff = dst.diff_from(src)
    returned = dst.sync_from(src)
    return OD(diff=obs_diff(diff), sync=obs_diff(returned), completions=list(dst.completions),
              calls=list(models.calls))


@scenario
def three_levels_diff(lib):
    """site > device > interface diff, both directions."""
    models = build(lib)
    src, dst = site_pair(models)
    return OD(forward=obs_diff(dst.diff_from(src)), backward=obs_diff(dst.diff_to(src)))


@scenario
def top_level_one_side(lib):
    """Top-level types declared on only one side are skipped and counted in summary()['skip']."""
    models = build(lib)

    class Vlan(lib.DiffSyncModel):
        _modelname = "vlan"
        _identifiers = ("vid",)
        _attributes = ("name",)
        vid: int
        name: str = ""

    class Tenant(lib.DiffSyncModel):
        _modelname = "tenant"
        _identifiers = ("slug",)
        _children = {"vlan": "vlans"}
        slug: str
        vlans: list[str] = []

    class WithVlans(lib.Adapter):
        vlan = Vlan
        device = models.Device
        interface = models.Interface
        top_level = ["vlan", "device"]

    class WithTenants(lib.Adapter):
        tenant = Tenant
        vlan = Vlan
        device = models.Device
        interface = models.Interface
        top_level = ["device", "tenant"]

    src = load_devices(models, WithVlans(name="vl"), SRC_DEVICES)
    for vid in (1, 2, 3):
        src.add(Vlan(vid=vid))
    dst = load_devices(models, WithTenants(name="tn"), DST_DEVICES)
    tenant = Tenant(slug="t1")
    dst.add(tenant)
    for vid in (7, 8):
        vlan = Vlan(vid=vid)
        dst.add(vlan)
        tenant.add_child(vlan)
    forward = dst.diff_from(src)
    backward = src.diff_from(dst)
    result = OD(forward=obs_diff(forward), backward=obs_diff(backward))
    result["sync"] = obs_diff(dst.sync_from(src))
    result["dst_after"] = obs_adapter(dst)
    return result


@scenario
def top_level_order(lib):
    """Group order follows the destination's top_level; skipped child types count as processed."""
    models = build(lib)

    class Vlan(lib.DiffSyncModel):
        _modelname = "vlan"
        _identifiers = ("vid",)
        vid: int

    class SrcOrder(lib.Adapter):
        device = models.Device
        interface = models.Interface
        vlan = Vlan
        top_level = ["device", "vlan"]

    class DstOrder(lib.Adapter):
        vlan = Vlan
        device = models.Device
        interface = models.Interface
        top_level = ["vlan", "device"]

    src = load_devices(models, SrcOrder(), SRC_DEVICES)
    dst = load_devices(models, DstOrder(), DST_DEVICES)
    for vid in (30, 10):
        src.add(Vlan(vid=vid))
    dst.add(Vlan(vid=20))
    return OD(forward=obs_diff(dst.diff_from(src)), backward=obs_diff(src.diff_from(dst)))


@scenario
def diff_element_api(lib):
    """Diff and DiffElement used directly."""
    result = OD()
    element = lib.DiffElement("device", "r1", {"name": "r1"})
    result["fresh"] = obs_element(element, 0)
    element.add_attrs(source={"a": 1, "b": 2, "only_src": 0})
    result["source_only"] = obs_element(element, 0)
    element.add_attrs(dest={"a": 1, "b": 3, "only_dst": 0})
    result["both"] = obs_element(element, 0)
    element.add_attrs(source=None, dest=None)  # None leaves the attrs as they were
    result["after_none"] = obs_element(element, 0)
    child = lib.DiffElement("interface", "e0", {"device": "r1", "name": "e0"}, source_name="A", dest_name="B")
    child.add_attrs(dest={"mtu": 1})
    element.add_child(child)
    same = lib.DiffElement("interface", "e1", {"device": "r1", "name": "e1"})
    same.add_attrs(source={"mtu": 1}, dest={"mtu": 1})
    element.add_child(same)
    result["with_children"] = walk([element])
    kind, error = raised(lib, element.add_child, lib.DiffElement("interface", "e0", {}))
    result["duplicate_child"] = kind
    result["duplicate_existing_is_element"] = isinstance(getattr(error, "existing_object", None), lib.DiffElement)
    result["bad_type"] = outcome(lib, lib.DiffElement, 1, "x", {})
    result["bad_name"] = outcome(lib, lib.DiffElement, "x", 1, {})
    a = lib.DiffElement("device", "a", {"k": 1})
    b = lib.DiffElement("device", "b", {"k": 1})
    a2 = lib.DiffElement("device", "a", {"k": 1})
    result["ordering"] = [a < b, b > a, a == a2, a != b, sorted([b, a]) == [a, b], a.__eq__(1) is NotImplemented]
    diff = lib.Diff()
    result["empty"] = obs_diff(diff)
    diff.add(element)
    diff.add(b)
    result["filled"] = obs_diff(diff)
    result["diff_duplicate"] = outcome(lib, diff.add, a2)
    result["complete"] = outcome(lib, diff.complete)
    result["actions"] = [lib.DiffSyncActions.CREATE, lib.DiffSyncActions.UPDATE, lib.DiffSyncActions.DELETE,
                         lib.DiffSyncActions.SKIP, lib.DiffSyncActions.NO_CHANGE]
    return result


# --- sync ------------------------------------------------------------------------------------------------


@scenario
def devices_sync_from(lib):
    """dst.sync_from(src): creates, updates, deletes, unchanged; returned diff; CRUD call order."""
    models = build(lib)
    src, dst = pair(models)
    return sync_observations(models, src, dst, lambda: dst.sync_from(src))


@scenario
def devices_sync_to_reverse(lib):
    """The other direction, through sync_to: dst.sync_to(src)."""
    models = build(lib)
    src, dst = pair(models)
    return sync_observations(models, dst, src, lambda: dst.sync_to(src))


@scenario
def three_levels_sync(lib):
    """site > device > interface sync, both directions (on fresh data each time)."""
    result = OD()
    for direction in ("forward", "backward"):
        models = build(lib)
        src, dst = site_pair(models)
        if direction == "backward":
            src, dst = dst, src
        result[direction] = sync_observations(models, src, dst, lambda s=src, d=dst: d.sync_from(s))
    return result


@scenario
def sync_complete_only_on_change(lib):
    """sync_complete is called once after a sync that changed something, never after a no-op sync."""
    models = build(lib)
    src, dst = pair(models)
    dst.sync_from(src)
    first = list(dst.completions)
    dst.sync_from(src)
    second = list(dst.completions)
    return OD(first=first, second=second, calls=list(models.calls))


@scenario
def sync_callback(lib):
    """(stage, current, total) callback calls for diff_from, sync_from and sync_from(diff=...)."""
    result = OD()
    models = build(lib)
    src, dst = pair(models)
    seen = []
    dst.diff_from(src, callback=lambda *args: seen.append(args))
    result["diff_from"] = list(seen)
    seen.clear()
    dst.sync_from(src, callback=lambda *args: seen.append(args))
    result["sync_from"] = list(seen)
    models = build(lib, device_flags=lib.DiffSyncModelFlags.SKIP_CHILDREN_ON_DELETE)
    src, dst = pair(models)
    diff = dst.diff_from(src)
    seen = []
    dst.sync_from(src, diff=diff, callback=lambda *args: seen.append(args))
    result["sync_precomputed_skip_children"] = list(seen)
    models = build(lib)
    src, dst = site_pair(models)
    seen = []
    dst.sync_from(src, callback=lambda *args: seen.append(args), flags=lib.DiffSyncFlags.SKIP_UNMATCHED_DST)
    result["three_levels_skip_dst"] = list(seen)
    return result


@scenario
def sync_precomputed_diff(lib):
    """sync_from(diff=...) applies the given diff, not a fresh one; DiffClassMismatch; empty diff quirk."""
    result = OD()
    models = build(lib, diff_hooks=True)
    src, dst = pair(models)
    diff = dst.diff_from(src)
    src.add(models.Device(name="late"))  # added after the diff: must not be synced
    src.get("device", "rtr1").role = "changed-late"
    returned = dst.sync_from(src, diff=diff)
    result["returned_is_given"] = returned is diff
    result["sync"] = sync_observations(models, src, dst, lambda: returned)

    models = build(lib, diff_hooks=True)
    src, dst = pair(models)
    plain = dst.diff_from(src)
    result["mismatch"] = outcome(lib, dst.sync_from, src, diff_class=models.ReverseDiff, diff=plain)
    result["mismatch_to"] = outcome(lib, src.sync_to, dst, diff_class=models.ReverseDiff, diff=plain)
    result["mismatch_changed_nothing"] = (list(models.calls), obs_adapter(dst))
    reverse = dst.diff_from(src, diff_class=models.ReverseDiff)
    result["subclass_accepted"] = outcome(lib, lambda: dst.sync_from(src, diff_class=lib.Diff, diff=reverse)
                                          is reverse)
    result["subclass_calls"] = list(models.calls)

    # an empty Diff is falsy (len 0), so diffsync computes a fresh diff instead of using it
    models = build(lib)
    src, dst = pair(models)
    empty = lib.Diff()
    returned = dst.sync_from(src, diff=empty)
    result["empty_returned_is_given"] = returned is empty
    result["empty"] = sync_observations(models, src, dst, lambda: returned)
    return result


@scenario
def diff_order_hooks(lib):
    """Diff subclass with order_children_<type> hooks used as diff_class: diff views and sync order."""
    models = build(lib, diff_hooks=True)
    src, dst = pair(models)
    diff = dst.diff_from(src, diff_class=models.ReverseDiff)
    result = OD(diff=obs_diff(diff), completed=list(models.completed))
    result["sync"] = sync_observations(models, src, dst,
                                       lambda: dst.sync_from(src, diff_class=models.ReverseDiff))
    result["completed_after_sync"] = list(models.completed)
    models = build(lib, diff_hooks=True)
    ssrc, sdst = site_pair(models)
    result["sites"] = obs_diff(sdst.diff_from(ssrc, diff_class=models.ReverseDiff))
    result["sites_sync"] = sync_observations(models, ssrc, sdst,
                                             lambda: sdst.sync_from(ssrc, diff_class=models.ReverseDiff))
    return result


@scenario
def create_returns_none(lib):
    """A create() returning None: the object is not stored and its children are not processed."""
    models = build(lib, returns_none=(("create", "rtr3"), ("update", "rtr2"), ("delete", "rtr4")))
    src, dst = pair(models)
    return sync_observations(models, src, dst, lambda: dst.sync_from(src))


@scenario
def non_crud_exception(lib):
    """A model raising something other than the CRUD exceptions: the type propagates."""
    models = build(lib, blow_up=(("create", "rtr1__eth2"),))
    src, dst = pair(models)
    first = sync_observations(models, src, dst, lambda: dst.sync_from(src))
    models = build(lib, blow_up=(("update", "rtr2"),))
    src, dst = pair(models)
    second = sync_observations(models, src, dst,
                               lambda: dst.sync_from(src, flags=lib.DiffSyncFlags.CONTINUE_ON_FAILURE))
    # only the exception type and where the sync stopped are compared; the adapter state after an unexpected
    # error is allowed to differ, so it is not part of this scenario's observations
    return OD(create_raised=first["raised"], create_calls=first["calls"], update_raised=second["raised"],
              update_calls=second["calls"])


# --- DiffSyncFlags ---------------------------------------------------------------------------------------

FAILURES = (("create", "rtr1__eth2"), ("update", "rtr2"), ("delete", "rtr4"), ("create", "rtr3__eth0"))


@scenario
def flag_continue_on_failure(lib):
    """CONTINUE_ON_FAILURE with create/update/delete raising ObjectNot*; and without the flag."""
    result = OD()
    for failure in FAILURES:
        for label, flags in (("without", lib.DiffSyncFlags.NONE), ("with", lib.DiffSyncFlags.CONTINUE_ON_FAILURE)):
            models = build(lib, fail=(failure,))
            src, dst = pair(models)
            result[f"{failure[0]}:{failure[1]}:{label}"] = sync_observations(
                models, src, dst, lambda s=src, d=dst, f=flags: d.sync_from(s, flags=f))
    return result


def _flag_scenario(lib, flags_name: str) -> OrderedDict:
    flags = getattr(lib.DiffSyncFlags, flags_name)
    result = OD()
    models = build(lib)
    src, dst = pair(models)
    result["diff"] = obs_diff(dst.diff_from(src, flags=flags))
    result["sync"] = sync_observations(models, src, dst, lambda: dst.sync_from(src, flags=flags))
    models = build(lib)
    ssrc, sdst = site_pair(models)
    result["sites_diff"] = obs_diff(sdst.diff_from(ssrc, flags=flags))
    result["sites_sync"] = sync_observations(models, ssrc, sdst, lambda: sdst.sync_from(ssrc, flags=flags))
    return result


@scenario
def flag_skip_unmatched_src(lib):
    return _flag_scenario(lib, "SKIP_UNMATCHED_SRC")


@scenario
def flag_skip_unmatched_dst(lib):
    return _flag_scenario(lib, "SKIP_UNMATCHED_DST")


@scenario
def flag_skip_unmatched_both(lib):
    return _flag_scenario(lib, "SKIP_UNMATCHED_BOTH")


@scenario
def flag_log_unchanged_records(lib):
    return _flag_scenario(lib, "LOG_UNCHANGED_RECORDS")


@scenario
def flag_combinations(lib):
    """Combined DiffSyncFlags, including CONTINUE_ON_FAILURE with a failing create."""
    combo = lib.DiffSyncFlags.CONTINUE_ON_FAILURE | lib.DiffSyncFlags.SKIP_UNMATCHED_DST
    models = build(lib, fail=(("create", "rtr3"),))
    src, dst = pair(models)
    result = OD(flag_values=[int(f.value) for f in lib.DiffSyncFlags],
                model_flag_values=[int(f.value) for f in lib.DiffSyncModelFlags])
    result["sync"] = sync_observations(models, src, dst, lambda: dst.sync_from(src, flags=combo))
    return result


# --- DiffSyncModelFlags ----------------------------------------------------------------------------------


def _model_flag_run(lib, *, device_flags=None, interface_flags=None, src_flags=None, dst_flags=None, fail=()):
    result = OD()
    models = build(lib, device_flags=device_flags, interface_flags=interface_flags, fail=fail)
    src, dst = pair(models, src_flags=src_flags, dst_flags=dst_flags)
    result["diff"] = obs_diff(dst.diff_from(src))
    result["sync"] = sync_observations(models, src, dst, lambda: dst.sync_from(src))
    return result


@scenario
def mflag_ignore(lib):
    """IGNORE on source instances, on destination instances, and on a whole class."""
    ignore = lib.DiffSyncModelFlags.IGNORE
    return OD(
        src_instance=_model_flag_run(lib, src_flags={"rtr2": ignore, "rtr1__eth1": ignore, "rtr3__eth1": ignore}),
        dst_instance=_model_flag_run(lib, dst_flags={"rtr4": ignore, "rtr1__eth3": ignore, "rtr2": ignore}),
        interface_class=_model_flag_run(lib, interface_flags=ignore),
    )


@scenario
def mflag_skip_children_on_delete(lib):
    """SKIP_CHILDREN_ON_DELETE: the deleted parent's children are dropped without delete() calls."""
    flag = lib.DiffSyncModelFlags.SKIP_CHILDREN_ON_DELETE
    return OD(
        device_class=_model_flag_run(lib, device_flags=flag),
        dst_instance=_model_flag_run(lib, dst_flags={"rtr4": flag}),
        src_instance_has_no_effect=_model_flag_run(lib, src_flags={"rtr1": flag}),
        with_failed_delete=_model_flag_run(lib, device_flags=flag, fail=(("delete", "rtr4"),)),
    )


@scenario
def mflag_skip_unmatched(lib):
    """Model SKIP_UNMATCHED_SRC / _DST / _BOTH on classes and instances."""
    flags = lib.DiffSyncModelFlags
    result = OD()
    for name in ("SKIP_UNMATCHED_SRC", "SKIP_UNMATCHED_DST", "SKIP_UNMATCHED_BOTH"):
        flag = getattr(flags, name)
        result[name + ":interface_class"] = _model_flag_run(lib, interface_flags=flag)
        result[name + ":device_class"] = _model_flag_run(lib, device_flags=flag)
        result[name + ":instances"] = _model_flag_run(lib, src_flags={"rtr3": flag, "rtr1__eth2": flag},
                                                      dst_flags={"rtr4": flag, "rtr2__eth5": flag})
    return result


@scenario
def mflag_natural_deletion_order(lib):
    """NATURAL_DELETION_ORDER: children deleted before their parent (compare the call logs)."""
    flags = lib.DiffSyncModelFlags
    result = OD(
        without=_model_flag_run(lib),
        device_class=_model_flag_run(lib, device_flags=flags.NATURAL_DELETION_ORDER),
        dst_instance=_model_flag_run(lib, dst_flags={"rtr4": flags.NATURAL_DELETION_ORDER}),
        with_skip_children=_model_flag_run(
            lib, device_flags=flags.NATURAL_DELETION_ORDER | flags.SKIP_CHILDREN_ON_DELETE),
        with_failed_delete=_model_flag_run(lib, device_flags=flags.NATURAL_DELETION_ORDER,
                                           fail=(("delete", "rtr4__eth1"),)),
    )
    # three levels: site deleted after its devices, devices after their interfaces
    models = build(lib, site_flags=flags.NATURAL_DELETION_ORDER, device_flags=flags.NATURAL_DELETION_ORDER)
    src, dst = site_pair(models)
    result["sites"] = sync_observations(models, src, dst, lambda: dst.sync_from(src))
    return result


# --- deprecated alias -----------------------------------------------------------------------------------


@scenario
def deprecated_diffsync_alias(lib):
    """The DiffSync alias still works, and warns when subclassed."""
    models = build(lib)
    result = OD(is_subclass=issubclass(lib.DiffSync, lib.Adapter))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")

        class OldStyle(lib.DiffSync):
            device = models.Device
            interface = models.Interface
            top_level = ["device"]

    result["subclass_warnings"] = [w.category.__name__ for w in caught]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        old = OldStyle(name="old")
    result["instance_warnings"] = [w.category.__name__ for w in caught]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        direct = lib.DiffSync()
    result["direct_warnings"] = [w.category.__name__ for w in caught]
    result["direct"] = OD(name=direct.name, type=direct.type, str=str(direct), len=len(direct))
    result["old_is_adapter"] = isinstance(old, lib.Adapter)
    load_devices(models, old, SRC_DEVICES)
    _src, dst = pair(models)
    result["old"] = obs_adapter(old)
    result["sync"] = sync_observations(models, old, dst, lambda: dst.sync_from(old))
    return result


# --- stores other than LocalStore and model classes that differ per adapter --------------------------------


def dict_store_class(lib):
    """A BaseStore subclass implementing the whole abstract interface (including ``remove``) over dicts."""

    class DictStore(lib.BaseStore):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.objects = {}

        @staticmethod
        def _name(model):
            return model if isinstance(model, str) else model.get_type()

        def get_all_model_names(self):
            return set(self.objects)

        def get(self, *, model, identifier):
            name = self._name(model)
            if isinstance(identifier, str):
                uid = identifier
            else:
                cls = getattr(self.adapter, model, None) if isinstance(model, str) else model
                if cls is None:
                    raise ValueError(f"cannot build a unique id for {model!r}")
                uid = cls.create_unique_id(**identifier)
            try:
                return self.objects[name][uid]
            except KeyError:
                raise lib.exc.ObjectNotFound(f"{name} {uid} not in {self}") from None

        def get_all(self, *, model):
            return list(self.objects.get(self._name(model), {}).values())

        def get_by_uids(self, *, uids, model):
            return [self.get(model=model, identifier=uid) for uid in uids]

        def add(self, *, obj):
            bucket = self.objects.setdefault(obj.get_type(), {})
            uid = obj.get_unique_id()
            if uid in bucket:
                if bucket[uid] is obj:
                    return
                raise lib.exc.ObjectAlreadyExists(f"{uid} already stored", bucket[uid])
            if not obj.adapter:
                obj.adapter = self.adapter
            bucket[uid] = obj

        def update(self, *, obj):
            self.objects.setdefault(obj.get_type(), {})[obj.get_unique_id()] = obj

        def remove_item(self, modelname, uid):
            if uid not in self.objects.get(modelname, {}):
                raise lib.exc.ObjectNotFound(f"{modelname} {uid} not in {self}")
            del self.objects[modelname][uid]

        def remove(self, *, obj, remove_children=False):
            self.remove_item(obj.get_type(), obj.get_unique_id())
            obj.adapter = None
            if remove_children:
                for child_type, fieldname in obj.get_children_mapping().items():
                    for uid in list(getattr(obj, fieldname)):
                        child = self.objects.get(child_type, {}).get(uid)
                        if child is not None:
                            self.remove(obj=child, remove_children=True)

        def count(self, *, model=None):
            if model is None:
                return sum(len(bucket) for bucket in self.objects.values())
            return len(self.objects.get(self._name(model), {}))

    return DictStore


@scenario
def custom_store(lib):
    """Adapters on a user-written BaseStore subclass: reads, shared helpers, diff and sync go through it."""
    store_class = dict_store_class(lib)
    models = build(lib)
    src = load_devices(models, models.Net(name="s", internal_storage_engine=store_class), SRC_DEVICES)
    dst_store = store_class(name="dicts")
    dst = load_devices(models, models.Net(name="d", internal_storage_engine=dst_store), DST_DEVICES)
    result = OD(store=[str(src.store), str(dst.store), dst_store.adapter is dst], src=obs_adapter(src),
                dst=obs_adapter(dst), diff=obs_diff(dst.diff_from(src)))
    result["sync"] = sync_observations(models, src, dst, lambda: dst.sync_from(src))
    obj, created = src.get_or_instantiate(models.Device, {"name": "rtr50"}, {"role": "core"})
    result["get_or_instantiate"] = [created, obs_model(obj), obj.adapter is src]
    obj, created = src.update_or_instantiate(models.Device, {"name": "rtr1"}, {"role": "core"})
    result["update_or_instantiate"] = [created, obs_model(obj)]
    obj, created = src.get_or_add_model_instance(models.Device(name="rtr51"))
    result["get_or_add_model_instance"] = [created, obj.get_unique_id()]
    obj, created = src.update_or_add_model_instance(models.Device(name="rtr3", role="updated"))
    result["update_or_add_model_instance"] = [created, obs_model(obj)]
    result["remove"] = outcome(lib, src.remove, src.get("device", "rtr3"), remove_children=True)
    result["src_after"] = obs_adapter(src)
    result["tree"] = src.get_tree_traversal()
    copy = models.Net(internal_storage_engine=store_class)
    copy.load_from_dict(dst.dict())
    result["copy"] = obs_adapter(copy)
    return result


@scenario
def base_store_contract(lib):
    """diffsync's BaseStore is instantiable (its methods raise NotImplementedError) and implements remove()
    through remove_item(); a store written that way (as diffsync's own RedisStore is) must keep working."""
    result = OD(instantiate=outcome(lib, lambda: type(lib.BaseStore()).__name__))
    full = dict_store_class(lib)

    class RemoveItemStore(full):
        remove = lib.BaseStore.remove  # diffsync's generic remove(), built on remove_item()

    models = build(lib)
    result["remove_item_store"] = outcome(lib, lambda: type(models.Net(internal_storage_engine=RemoveItemStore))
                                          .__name__)
    try:
        adapter = load_devices(models, models.Net(internal_storage_engine=RemoveItemStore), SRC_DEVICES)
    except Exception as error:
        result["remove_via_remove_item"] = ("raised", exc_kind(lib, error))
    else:
        result["remove_via_remove_item"] = outcome(lib, adapter.remove, adapter.get("device", "rtr1"),
                                                   remove_children=True)
        result["after"] = obs_adapter(adapter)
    return result


@scenario
def distinct_model_classes(lib):
    """Each adapter with its own model classes for the same model names (the usual real-world layout);
    an attribute declared only by the source model is ignored for updates but passed on create."""

    models = build(lib)

    class SrcInterface(lib.DiffSyncModel):
        _modelname = "interface"
        _identifiers = ("device_name", "name")
        _shortname = ("name",)
        _attributes = ("description", "mtu")
        device_name: str
        name: str
        description: str | None = None
        mtu: int = 1500

    class SrcDevice(lib.DiffSyncModel):
        _modelname = "device"
        _identifiers = ("name",)
        _attributes = ("role", "owner", "serial")
        _children = {"interface": "interfaces"}
        name: str
        role: str = "leaf"
        owner: str = "nobody"
        serial: str | None = None
        interfaces: list[str] = []

    class SrcNet(lib.Adapter):
        device = SrcDevice
        interface = SrcInterface
        top_level = ["device"]

    src = SrcNet(name="other-classes")
    for name, role, owner, intfs in (("rtr3", "spine", "ops", [("eth0", 9000)]), ("rtr1", "leaf", "net", []),
                                     ("rtr2", "leaf", "net", [("eth0", 1500), ("eth7", 1)])):
        device = SrcDevice(name=name, role=role, owner=owner, serial="S1" if name == "rtr1" else None)
        src.add(device)
        for intf_name, mtu in intfs:
            intf = SrcInterface(device_name=name, name=intf_name, mtu=mtu)
            src.add(intf)
            device.add_child(intf)
    dst = load_devices(models, models.Net(name="dest-net"), DST_DEVICES)
    result = OD(diff=obs_diff(dst.diff_from(src)), backward=obs_diff(src.diff_from(dst)))
    result["sync"] = sync_observations(models, src, dst, lambda: dst.sync_from(src))
    result["created_class"] = type(dst.get("device", "rtr3")).__name__
    return result
