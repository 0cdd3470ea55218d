"""The storage interface every backend implements."""
from __future__ import annotations

import datetime as dt
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass

KEY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")


class StorageError(Exception):
    """A file could not be stored, read or removed."""


@dataclass(frozen=True)
class StoredFile:
    """One file the backend holds: its key (or temporary name), size and last change."""

    key: str
    size: int
    modified: dt.datetime


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

    @abstractmethod
    def files(self) -> Iterator[StoredFile]:
        """Every stored file (not the temporary ones), for consistency checks."""

    def temporary_files(self) -> Iterator[StoredFile]:
        """Leftovers of writes that never finished (a killed worker); none by default."""
        return iter(())

    def delete_temporary(self, name: str) -> None:
        """Remove one leftover of temporary_files()."""
        raise StorageError(f"{type(self).__name__} keeps no temporary files ({name!r})")

    @staticmethod
    def check_key(key: str) -> str:
        """Refuse keys that could escape the storage root ("..", absolute paths)."""
        if not KEY_PATTERN.match(key or "") or ".." in key:
            raise StorageError(f"invalid storage key {key!r}")
        return key
