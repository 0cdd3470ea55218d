"""The access log of personal data: every view or export of a dossier's personal data by staff
(officer, auditor, administrator) is recorded in the same transaction as the answer."""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from flask import has_request_context, request
from flask_appbuilder import Model
from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.audit import current_actor
from app.core.types import utcnow
from app.extensions import db

ACCESS_KINDS = ("view", "export", "download", "api")


class PersonalDataAccess(Model):
    """Who looked at whose personal data, when, how and why."""

    __tablename__ = "personal_data_access"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"),
                                                   index=True)
    username: Mapped[str] = mapped_column(String(100), default="")
    roles: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    index=True)
    kind: Mapped[str] = mapped_column(String(20))  # ACCESS_KINDS
    dossier_code: Mapped[str] = mapped_column(String(50), default="", index=True)
    what: Mapped[str] = mapped_column(Text, default="")  # the page, file or export filters
    reason: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(String(64), default="")

    def __repr__(self) -> str:
        return f"{self.username} {self.kind} {self.dossier_code or self.what}"

    __str__ = __repr__


def log_access(kind: str, dossier_code: str = "", what: str = "", reason: str = "",
               user: Any = None) -> PersonalDataAccess:
    """Record one access (the caller's unit of work commits it with the answer)."""
    user = user or current_actor()
    entry = PersonalDataAccess(
        user_id=getattr(user, "id", None), username=getattr(user, "username", "") or "system",
        roles=",".join(sorted(r.name for r in getattr(user, "roles", []) or [])),
        kind=kind, dossier_code=dossier_code or "", what=(what or "")[:2000],
        reason=(reason or "").strip()[:1000],
        address=(request.remote_addr or "")[:64] if has_request_context() else "")
    db.session.add(entry)
    return entry
