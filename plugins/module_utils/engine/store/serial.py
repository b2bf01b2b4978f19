"""JSON form of stored objects, shared by the persistent stores. Never pickle.

A stored value is the JSON object of the model's fields (``adapter`` left out, ``model_flags`` as an
int). Reading one back validates it through the adapter's model class, so a corrupt or foreign value
raises StoreCorrupted instead of producing a half-built object or running any code.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .._deps import ValidationError
from ..exceptions import StoreCorrupted
from ..model import bind_adapter

if TYPE_CHECKING:
    from ..adapter import Adapter
    from ..model import DiffSyncModel

_PLAIN = (str, int, float, bool, type(None))
_NOT_DATA = ("adapter", "model_flags")


def _is_plain(value: Any) -> bool:
    return isinstance(value, _PLAIN) or (type(value) is list and all(isinstance(item, _PLAIN) for item in value))


def object_to_data(obj: DiffSyncModel) -> dict[str, Any]:
    """The JSON-ready dict of ``obj``'s fields."""
    values = obj.__dict__
    if obj._plain_dump and all(_is_plain(value) for key, value in values.items() if key not in _NOT_DATA):
        data = {key: list(value) if type(value) is list else value for key, value in values.items() if key != "adapter"}
        data["model_flags"] = obj.model_flags.value
        return data
    return obj.model_dump(mode="json", exclude={"adapter"})


# One encoder for every dump: json.dumps() with options builds a new encoder per call (about 3x slower).
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def dump_object(obj: DiffSyncModel) -> str:
    """Compact JSON text of ``obj``."""
    return _ENCODER.encode(object_to_data(obj))


def model_class_for(adapter: Adapter | None, modelname: str) -> Any:
    """The adapter's model class for ``modelname``; StoreCorrupted when the adapter does not define it."""
    from ..model import DiffSyncModel  # pylint: disable=import-outside-toplevel

    model_class = getattr(adapter, modelname, None)
    if not (isinstance(model_class, type) and issubclass(model_class, DiffSyncModel)):
        raise StoreCorrupted(
            f"Stored model {modelname!r} is not a model of adapter {adapter}: add `{modelname} = <DiffSyncModel "
            f"subclass>` to the adapter class, or use a store_id that belongs to this adapter"
        )
    return model_class


def load_object(
    adapter: Adapter | None, modelname: str, raw: str | bytes, *, where: str, model_class: Any = None
) -> DiffSyncModel:
    """Rebuild one object from its stored JSON through the model schema; ``where`` names it in errors.

    ``model_class``, when given, is ``model_class_for(adapter, modelname)`` resolved once by the caller.
    A value pydantic validates straight from JSON is done in one pass; anything else takes the slow
    path below, which names the exact problem (or accepts what only Python-mode validation accepts).
    """
    if model_class is not None:
        try:
            obj = model_class.model_validate_json(raw)
        except ValidationError:
            pass
        else:
            bind_adapter(obj, adapter)
            return obj  # type: ignore[no-any-return]
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise StoreCorrupted(
            f"{where}: stored value is not valid JSON ({exc.__class__.__name__}); refusing to load it"
        ) from None
    if not isinstance(data, dict):
        raise StoreCorrupted(f"{where}: stored value is a JSON {type(data).__name__}, expected an object")
    model_class = model_class_for(adapter, modelname)
    try:
        obj = model_class.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, err['loc']))}: {err['msg']}" for err in exc.errors()[:5])
        raise StoreCorrupted(f"{where}: stored value does not fit model {modelname!r}: {problems}") from None
    bind_adapter(obj, adapter)
    return obj  # type: ignore[no-any-return]
