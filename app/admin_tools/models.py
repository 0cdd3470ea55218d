"""The administrators' audit trail: who changed what in the back office, and when."""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from flask_appbuilder import Model
from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import JSONType, utcnow


class AdminAuditRecord(Model):
    """One administrative change, written in the same transaction as the change."""

    __tablename__ = "admin_audit_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"),
                                                    index=True)
    actor_name: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    index=True)
    action: Mapped[str] = mapped_column(String(50))
    object_type: Mapped[str] = mapped_column(String(50), index=True)
    object_id: Mapped[str] = mapped_column(String(100), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)

    actor = relationship("User")

    def __repr__(self) -> str:
        return f"{self.actor_name} {self.action} {self.object_type} {self.object_id}"

    __str__ = __repr__
