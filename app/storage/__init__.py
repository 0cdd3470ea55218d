"""File storage behind one interface: the filesystem by default, S3-compatible on request."""
from __future__ import annotations

from flask import current_app

from app.storage.base import Storage, StorageError

__all__ = ["Storage", "StorageError", "get_storage"]


def get_storage() -> Storage:
    """The application's storage backend, chosen by STORAGE_BACKEND (cached per app)."""
    app = current_app._get_current_object()
    storage = app.extensions.get("motcua_storage")
    if storage is None:
        storage = _build(app.config)
        app.extensions["motcua_storage"] = storage
    return storage


def _build(config) -> Storage:
    backend = (config.get("STORAGE_BACKEND") or "filesystem").lower()
    if backend == "filesystem":
        from app.storage.filesystem import FileSystemStorage

        return FileSystemStorage(config["UPLOAD_DIR"])
    if backend == "s3":
        from app.storage.s3 import S3Storage

        return S3Storage(
            bucket=config["S3_BUCKET"], endpoint_url=config.get("S3_ENDPOINT_URL"),
            region=config.get("S3_REGION"), access_key=config.get("S3_ACCESS_KEY_ID"),
            secret_key=config.get("S3_SECRET_ACCESS_KEY"), prefix=config.get("S3_PREFIX", ""),
        )
    raise StorageError(f"unknown STORAGE_BACKEND {backend!r} (use 'filesystem' or 's3')")
