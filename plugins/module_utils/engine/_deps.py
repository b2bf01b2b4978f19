"""Third-party imports of the engine, guarded so that importing it never fails.

Ansible's import sanity test imports every module_utils file with only ansible-core's own
dependencies installed. Without pydantic the engine still imports; building a model raises
MissingDependency, which the plugins turn into an install hint.
"""

from __future__ import annotations

import traceback
import warnings
from collections.abc import Callable
from typing import Any

from .exceptions import MissingDependency

PYDANTIC_REQUIREMENT = "pydantic>=2,<3"

try:
    from pydantic import BaseModel, ConfigDict, ValidationError
    from pydantic_core import SchemaValidator
except ImportError:
    HAS_PYDANTIC = False
    PYDANTIC_IMPORT_ERROR: str | None = traceback.format_exc()
    SchemaValidator = None  # type: ignore[assignment,misc]

    class BaseModel:  # type: ignore[no-redef]
        """Stands in for pydantic.BaseModel when pydantic is missing: subclasses can be declared, not built."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            raise MissingDependency("pydantic", PYDANTIC_REQUIREMENT, PYDANTIC_IMPORT_ERROR)

    def ConfigDict(**options: Any) -> dict[str, Any]:  # type: ignore[no-redef]
        """Stands in for pydantic.ConfigDict."""
        return dict(options)

    class ValidationError(ValueError):  # type: ignore[no-redef]
        """Stands in for pydantic.ValidationError (never raised without pydantic)."""

else:
    HAS_PYDANTIC = True
    PYDANTIC_IMPORT_ERROR = None

ModelMetaclass: type = type(BaseModel)  # pydantic's model metaclass (``type`` with the stand-in)

try:
    from typing_extensions import deprecated
except ImportError:  # typing_extensions comes with pydantic; without it, warn the same way
    def deprecated(message: str) -> Callable[[type], type]:  # type: ignore[no-redef]
        """Mark a class deprecated: instantiating it warns with ``message``."""

        def mark(cls: type) -> type:
            original_init = cls.__init__  # type: ignore[misc]

            def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
                warnings.warn(message, DeprecationWarning, stacklevel=2)
                original_init(self, *args, **kwargs)

            cls.__init__ = __init__  # type: ignore[misc]
            return cls

        return mark


def pydantic_slot_setter(name: str) -> Any:
    """The ``__set__`` of one of pydantic BaseModel's own slots, bound once (``object.__setattr__`` finds the
    slot again on every call); None with the stand-in BaseModel, when no model can be built anyway."""
    slot = vars(BaseModel).get(name)
    return slot.__set__ if slot is not None else None


__all__ = [
    "HAS_PYDANTIC", "PYDANTIC_IMPORT_ERROR", "BaseModel", "ConfigDict", "ModelMetaclass", "SchemaValidator",
    "ValidationError",
    "deprecated", "pydantic_slot_setter",
]
