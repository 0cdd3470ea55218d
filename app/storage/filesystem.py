"""Files under UPLOAD_DIR, written atomically."""
from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from app.storage.base import Storage, StorageError, StoredFile

TEMP_PREFIX = ".upload-"


class FileSystemStorage(Storage):
    """Keys are relative paths under a root directory."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / self.check_key(key)

    def save(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write to a temporary file and rename, so a reader never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            raise StorageError(str(exc)) from exc

    def read(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except OSError as exc:
            raise StorageError(f"cannot read {key}: {exc}") from exc

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def _walk(self, temporary: bool) -> Iterator[StoredFile]:
        if not self.root.is_dir():
            return
        for folder, _dirs, names in os.walk(self.root):
            for name in names:
                if name.startswith(TEMP_PREFIX) != temporary:
                    continue
                path = Path(folder) / name
                try:
                    info = path.stat()
                except OSError:  # removed meanwhile
                    continue
                yield StoredFile(path.relative_to(self.root).as_posix(), info.st_size,
                                 dt.datetime.fromtimestamp(info.st_mtime, dt.timezone.utc))

    def files(self) -> Iterator[StoredFile]:
        return self._walk(temporary=False)

    def temporary_files(self) -> Iterator[StoredFile]:
        return self._walk(temporary=True)

    def delete_temporary(self, name: str) -> None:
        path = self.root / name
        if not path.name.startswith(TEMP_PREFIX) or ".." in Path(name).parts:
            raise StorageError(f"not a temporary file: {name!r}")
        path.unlink(missing_ok=True)
