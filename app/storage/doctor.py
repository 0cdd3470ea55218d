"""`flask doctor`: do the files and the rows that name them agree?

A row names a file through a column called `storage_key` (next to `size` and `sha256` where
it has them); every table of the metadata with one is checked, whatever package it belongs to.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from app.core.integrity import broken_references
from app.core.types import utcnow
from app.extensions import db
from app.storage import StorageError, get_storage
from app.storage.base import KEY_PATTERN


@dataclass
class Finding:
    kind: str  # orphaned file, temporary file, missing file, size mismatch, sha256 mismatch, …
    subject: str
    detail: str = ""
    fixed: bool = False

    def __str__(self) -> str:
        state = " — removed" if self.fixed else ""
        return f"{self.kind}: {self.subject}{f' ({self.detail})' if self.detail else ''}{state}"


@dataclass(frozen=True)
class Reference:
    table: str
    row_id: object
    key: str
    size: int | None
    sha256: str | None


def references() -> list[Reference]:
    """Every (table, row, storage key, size, sha256) the database holds."""
    found = []
    for table in db.metadata.sorted_tables:
        if "storage_key" not in table.c:
            continue
        pk = list(table.primary_key.columns)[0]
        columns = [pk, table.c.storage_key,
                   table.c.get("size", None), table.c.get("sha256", None)]
        chosen = [c for c in columns if c is not None]
        for row in db.session.execute(select(*chosen)):
            values = dict(zip([c.name for c in chosen], row, strict=True))
            found.append(Reference(table.name, values[pk.name], values["storage_key"],
                                   values.get("size"), values.get("sha256")))
    return found


def _age(moment: dt.datetime, now: dt.datetime) -> str:
    seconds = max(0, int((now - moment).total_seconds()))
    return f"{seconds // 3600} h {seconds % 3600 // 60} min old" if seconds >= 3600 else f"{seconds // 60} min old"


def check(fix: bool = False, older_than: float | None = None, hashes: bool = True) -> list[Finding]:
    """Everything out of place; with `fix`, orphans and leftovers older than `older_than` go."""
    storage = get_storage()
    now = utcnow()
    grace = dt.timedelta(seconds=older_than if older_than is not None
                         else float(current_app.config.get("DOCTOR_ORPHAN_AGE_SECONDS", 3600)))
    findings: list[Finding] = []
    refs = references()
    named: dict[str, list[Reference]] = defaultdict(list)
    for ref in refs:
        named[ref.key].append(ref)
    stored = {f.key: f for f in storage.files()}

    for key, rows in sorted(named.items()):
        where = ", ".join(f"{r.table} #{r.row_id}" for r in rows)
        if not key or not KEY_PATTERN.match(key) or ".." in key:
            findings.append(Finding("invalid storage key", where, repr(key)))
            continue
        present = stored.get(key)
        if present is None and not storage.exists(key):
            findings.append(Finding("missing file", where, key))
            continue
        data: bytes | None = None
        for ref in rows:
            if ref.size is not None and present is not None and present.size != ref.size:
                findings.append(Finding("size mismatch", f"{ref.table} #{ref.row_id}",
                                        f"{key}: row says {ref.size} B, file has {present.size} B"))
                continue
            if hashes and ref.sha256:
                try:
                    data = data if data is not None else storage.read(key)
                except StorageError as exc:
                    findings.append(Finding("unreadable file", f"{ref.table} #{ref.row_id}", str(exc)))
                    break
                digest = hashlib.sha256(data).hexdigest()
                if digest != ref.sha256:
                    findings.append(Finding("sha256 mismatch", f"{ref.table} #{ref.row_id}",
                                            f"{key}: row says {ref.sha256[:12]}…, file is {digest[:12]}…"))

    for key, item in sorted(stored.items()):
        if key in named:
            continue
        finding = Finding("orphaned file", key, f"{item.size} B, {_age(item.modified, now)}")
        if fix and now - item.modified >= grace and KEY_PATTERN.match(key) and ".." not in key:
            storage.delete(key)
            finding.fixed = True
        findings.append(finding)
    for item in sorted(storage.temporary_files(), key=lambda f: f.key):
        finding = Finding("temporary file", item.key, f"{item.size} B, {_age(item.modified, now)}")
        if fix and now - item.modified >= grace:
            storage.delete_temporary(item.key)
            finding.fixed = True
        findings.append(finding)

    findings += [Finding("broken reference", str(b)) for b in broken_references(db.session, db.metadata)]
    db.session.rollback()
    return findings
