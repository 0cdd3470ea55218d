"""The administrators' audit trail: the record model, writing records in the caller's
transaction, and a mixin that audits FAB ModelViews."""
from __future__ import annotations

import datetime as dt
import decimal
from typing import Any, Optional

from flask import g, has_request_context
from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, String, Text, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import JSONType, utcnow
from app.extensions import db


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


# What the audit list shows for each recorded action and object (app/admin_tools/users_pages.py).
ACTION_LABELS = {
    "create": _l("Added"), "update": _l("Updated"), "delete": _l("Deleted"),
    "import": _l("Imported"), "import_units": _l("Units loaded"), "assign": _l("Offered at units"),
    "publish": _l("Published"), "save_draft": _l("Draft saved"),
    "restore_version": _l("Version restored as draft"), "reset_password": _l("Password reset"),
    "withdraw": _l("Withdrawn from the catalogue"), "reinstate": _l("Back in the catalogue"),
    "activate": _l("Activated"), "deactivate": _l("Deactivated"),
}
OBJECT_LABELS = {
    "AdministrativeUnit": _l("Administrative unit"), "Field": _l("Field"),
    "Procedure": _l("Procedure"), "ProcedureVersion": _l("Procedure version"),
    "ProcedureTemplate": _l("Form template"), "UnitProcedure": _l("Unit offering"),
    "FeeSetting": _l("Fee setting"), "ProvinceCalendar": _l("Working calendar"),
    "NotificationTemplate": _l("Notification text"), "SigningCredential": _l("Signing certificate"),
    "User": _l("Account"), "UserUnit": _l("Officer unit"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def object_label(object_type: str) -> str:
    return str(OBJECT_LABELS.get(object_type, object_type))


SKIPPED_COLUMNS = {"search_name", "password", "changed_on", "created_on", "updated_at"}


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (dt.date, dt.datetime, decimal.Decimal)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def current_actor() -> Any:
    """The logged-in user of the request, if any (None in the CLI)."""
    user = getattr(g, "user", None) if has_request_context() else None
    return user if getattr(user, "is_authenticated", False) else None


def record(action: str, object_type: str, object_id: Any = "", summary: str = "",
           changes: dict | None = None, actor: Any = None) -> AdminAuditRecord:
    """Add one audit record to the session; it commits (or not) with the change itself."""
    actor = actor or current_actor()
    entry = AdminAuditRecord(
        actor_id=getattr(actor, "id", None), actor_name=getattr(actor, "username", "") or "system",
        action=action, object_type=object_type, object_id=str(object_id or ""),
        summary=summary[:2000], changes=_plain(changes or {}),
    )
    db.session.add(entry)
    return entry


def pending_changes(item: Any) -> dict[str, list[Any]]:
    """{column: [old, new]} of an object's unflushed changes."""
    changes = {}
    state = inspect(item)
    for attr in state.mapper.column_attrs:
        if attr.key in SKIPPED_COLUMNS:
            continue
        history = state.attrs[attr.key].history
        if history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            changes[attr.key] = [_plain(old), _plain(new)]
    return changes


def snapshot(item: Any) -> dict[str, Any]:
    """The object's column values (for deletions)."""
    state = inspect(item)
    return {a.key: _plain(getattr(item, a.key)) for a in state.mapper.column_attrs
            if a.key not in SKIPPED_COLUMNS}


class AuditedViewMixin:
    """Audit FAB ModelView changes in the same commit as the change (pre_* hooks)."""

    def _audit_type(self) -> str:
        return self.datamodel.obj.__name__

    def pre_add(self, item: Any) -> None:
        super().pre_add(item)
        item._audit_record = record("create", self._audit_type(), "", str(item),
                                    pending_changes(item))

    def post_add(self, item: Any) -> None:
        super().post_add(item)
        entry = getattr(item, "_audit_record", None)
        if entry is not None and entry.id is not None:
            entry.object_id = ",".join(str(v) for v in inspect(item).identity or ())
            db.session.commit()

    def pre_update(self, item: Any) -> None:
        super().pre_update(item)
        record("update", self._audit_type(), _identity(item), str(item), pending_changes(item))

    def pre_delete(self, item: Any) -> None:
        super().pre_delete(item)
        record("delete", self._audit_type(), _identity(item), str(item), snapshot(item))


def _identity(item: Any) -> str:
    return ",".join(str(v) for v in inspect(item).identity or ())
