"""Which required documents a dossier needs, given what its declaration says.

A document is needed when `required` is true, or when the declaration matches its
`required_when` (a JSON Schema over the form data, e.g. "a parent is not Vietnamese"). Entries
with a condition keep `required: false`, so code that reads only `required` still treats them as
optional; the submission check asks `missing_documents` instead.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from app.forms.engine import matches


def document_required(document: dict[str, Any], data: Any) -> bool:
    """Whether this document must be attached for this declaration."""
    if document.get("required") is True:
        return True
    condition = document.get("required_when")
    if not isinstance(condition, dict):
        return False
    return matches(condition, data if isinstance(data, dict) else {})


def required_document_keys(documents: Iterable[dict[str, Any]] | None, data: Any) -> list[str]:
    """Keys of the documents this declaration needs, in the definition's order."""
    return [doc["key"] for doc in documents or [] if document_required(doc, data)]


def missing_documents(documents: Iterable[dict[str, Any]] | None, data: Any,
                      present: Iterable[str]) -> list[str]:
    """Keys of the needed documents without a file (`present`: keys that have one)."""
    have = set(present)
    return [key for key in required_document_keys(documents, data) if key not in have]
