"""File storage behind one interface: the filesystem by default, S3-compatible on request."""
from __future__ import annotations

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db
from app.storage.base import Storage, StorageError

__all__ = ["Storage", "StorageError", "delete_after_commit", "get_storage", "store"]


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


# --- Files and transactions: no orphan after a rollback, no dangling row after a commit -------
# Each key is noted with the (innermost) transaction it was written in, so that rolling back a
# savepoint removes the files of that savepoint only, and keeps those of the steps before it.
NEW_KEYS, DOOMED_KEYS = "storage_new", "storage_doomed"


def _current_transaction(session: Session):
    return session.get_nested_transaction() or session.get_transaction()


def store(key: str, data: bytes, content_type: str) -> None:
    """Save a file for a row of the current transaction; removed again if it rolls back."""
    get_storage().save(key, data, content_type)
    session = db.session()
    session.info.setdefault(NEW_KEYS, []).append((key, _current_transaction(session)))


def delete_after_commit(key: str) -> None:
    """Remove a file once the transaction that deleted its row has committed."""
    session = db.session()
    session.info.setdefault(DOOMED_KEYS, []).append((key, _current_transaction(session)))


def _delete(keys: list[str]) -> None:
    if keys and has_app_context():
        for key in keys:
            try:
                get_storage().delete(key)
            except StorageError:  # `flask doctor` finds what is left
                pass


def _within(transaction, ended) -> bool:
    """Whether `transaction` is `ended` or one of its savepoints."""
    while transaction is not None:
        if transaction is ended:
            return True
        transaction = transaction.parent
    return False


@event.listens_for(Session, "after_commit")
def _settle_after_commit(session: Session) -> None:
    session.info.pop(NEW_KEYS, None)
    _delete([key for key, _tx in session.info.pop(DOOMED_KEYS, None) or []])


@event.listens_for(Session, "after_soft_rollback")
def _settle_after_rollback(session: Session, previous_transaction) -> None:
    """A rolled-back transaction or savepoint takes back its own files, and only those."""
    for name, remove in ((NEW_KEYS, True), (DOOMED_KEYS, False)):
        entries = session.info.get(name)
        if not entries:
            continue
        undone = [(key, tx) for key, tx in entries if tx is None or _within(tx, previous_transaction)]
        if not undone:
            continue
        session.info[name] = [entry for entry in entries if entry not in undone]
        if remove:
            _delete([key for key, _tx in undone])
