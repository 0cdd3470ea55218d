"""Errors of dossier operations; each carries the HTTP status a caller should answer."""
from __future__ import annotations


class DossierError(Exception):
    """A request about a dossier that cannot be honoured; carries an HTTP status."""

    def __init__(self, message: str, status: int = 400, errors: list[dict] | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.errors = errors or []


class ConflictError(DossierError):
    """Someone else changed the dossier first (optimistic lock)."""

    def __init__(self, message: str):
        super().__init__(message, 409)


def field_error(path: str, message: str, status: int = 422) -> DossierError:
    """A DossierError about one input field (shown next to it)."""
    return DossierError(message, status, [{"path": path, "message": message}])
