"""Idempotency-Key: a retried request answers what the first one did; another body is refused.

The key is remembered with a fingerprint (SHA-256) of what the request asked for. The same key
with the same request answers the first result; the same key with a different one is a client
error (422), never silently the first result.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import request
from flask_babel import gettext as _

from app.core.api import ApiError
from app.dossiers.errors import DossierError

MAX_KEY = 100  # the columns' length


def fingerprint(**request: Any) -> str:
    """A stable digest of a request's meaningful parts (key order and spacing do not matter)."""
    text = json.dumps(request, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class KeyReused(DossierError):
    """The same Idempotency-Key came with another request (422)."""


def check_same(stored: str | None, current: str, what: str) -> None:
    """Refuse a reused key whose request differs (rows from before fingerprints always match)."""
    if stored and stored != current:
        raise KeyReused(_("This Idempotency-Key was already used for a different request "
                          "(%(what)s). Send a new request with a new key.", what=what), 422)


def request_key() -> str | None:
    """The request's Idempotency-Key header (None without one); longer than 100: 422."""
    key = (request.headers.get("Idempotency-Key") or "").strip()
    if len(key) > MAX_KEY:
        raise ApiError(422, _("The Idempotency-Key header may not be longer than 100 characters."))
    return key or None
