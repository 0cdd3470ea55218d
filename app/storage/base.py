"""The storage interface every backend implements."""
from __future__ import annotations

import re
from abc import ABC, abstractmethod

KEY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")


class StorageError(Exception):
    """A file could not be stored, read or removed."""


class Storage(ABC):
    """Opaque keys (like "dossiers/<code>/<uuid>") mapped to immutable bytes."""

    @abstractmethod
    def save(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        """Store data under key, replacing nothing: keys are unique by construction."""

    @abstractmethod
    def read(self, key: str) -> bytes:
        """The bytes stored under key; StorageError if missing."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove key; a missing key is not an error."""

    @abstractmethod
    def exists(self, key: str) -> bool:
        """Whether key holds a file."""

    @staticmethod
    def check_key(key: str) -> str:
        """Refuse keys that could escape the storage root ("..", absolute paths)."""
        if not KEY_PATTERN.match(key or "") or ".." in key:
            raise StorageError(f"invalid storage key {key!r}")
        return key
