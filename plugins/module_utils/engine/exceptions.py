"""The engine's errors: one hierarchy, names and bases as in diffsync 2.2.3.

    Exception
    ├── ObjectCrudException          a model's create/update/delete failed
    │   ├── ObjectNotCreated
    │   ├── ObjectNotUpdated
    │   └── ObjectNotDeleted
    ├── ObjectStoreException         a store could not keep, find or read an object
    │   ├── ObjectAlreadyExists      (.existing_object holds the object already stored)
    │   ├── ObjectNotFound
    │   ├── ObjectStoreWrongType
    │   ├── StoreUnavailable         the backend (Redis server, SQLite file) cannot be reached
    │   ├── StoreCorrupted           a stored value is not valid JSON or fails the model schema
    │   └── StoreLocked              another writer holds the store's lock
    ├── DiffException
    │   └── DiffClassMismatch
    └── MissingDependency            (also an ImportError) pydantic or redis is not installed

Every class also derives from ``DiffSyncError`` so callers can catch all engine errors at once.
"""

from __future__ import annotations

from typing import Any


class DiffSyncError(Exception):
    """Root of every error the engine raises on purpose."""


class ObjectCrudException(DiffSyncError):
    """A model's create, update or delete failed."""


class ObjectNotCreated(ObjectCrudException):
    """A model's create failed."""


class ObjectNotUpdated(ObjectCrudException):
    """A model's update failed."""


class ObjectNotDeleted(ObjectCrudException):
    """A model's delete failed."""


class ObjectStoreException(DiffSyncError):
    """A store could not keep, find or read an object."""


class ObjectAlreadyExists(ObjectStoreException):
    """Another object with the same key is already stored; ``existing_object`` is that object."""

    def __init__(self, message: str, existing_object: Any, *args: Any, **kwargs: Any) -> None:
        self.existing_object = existing_object
        super().__init__(message, existing_object, *args, **kwargs)


class ObjectNotFound(ObjectStoreException):
    """The requested object is not stored."""


class ObjectStoreWrongType(ObjectStoreException):
    """The object is of a type that cannot be stored where it was put."""


class StoreUnavailable(ObjectStoreException):
    """The store's backend cannot be reached; the message says where it tried (never with a password)."""


class StoreCorrupted(ObjectStoreException):
    """A stored value is not valid JSON or does not fit its model."""


class StoreLocked(ObjectStoreException):
    """The store is locked by another writer and the lock could not be taken in time."""


class MissingDependency(DiffSyncError, ImportError):
    """A third-party library the engine needs is not installed; the message says what to install."""

    def __init__(self, library: str, requirement: str, import_error: str | None = None) -> None:
        self.library = library
        self.requirement = requirement
        self.import_error = import_error
        super().__init__(
            f"The Python library {library} is required but could not be imported: pip install '{requirement}'"
        )


class DiffException(DiffSyncError):
    """A diff could not be built or used."""


class DiffClassMismatch(DiffException):
    """A diff given to a sync is not an instance of the requested diff class."""
