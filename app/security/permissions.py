"""Each role's permissions, loaded once per process and reloaded when any of them changes.

FAB asks the database on every request (the public role, its permissions, then an EXISTS per
check). Here a worker keeps `{role id: {(permission, view)}}` and one revision number; any ORM
change to roles or permission pairs bumps the stored revision in the same transaction, so every
worker sees the change on its next request (one primary-key read per request, memoised in `g`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import g, has_request_context
from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import (
    Permission,
    PermissionView,
    Role,
    ViewMenu,
    assoc_permissionview_role,
)
from sqlalchemy import Integer, event, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.extensions import db

CHANGED = "permissions_changed"
SECURITY_MODELS = (Role, PermissionView, Permission, ViewMenu)


class PermissionRevision(Model):
    """One row: bumped whenever a role or a permission pair changes."""

    __tablename__ = "permission_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)


def current_revision() -> int:
    """The stored revision, read at most once per request."""
    if has_request_context() and "_permission_revision" in g:
        return g._permission_revision
    value = db.session.scalar(select(PermissionRevision.revision)
                              .where(PermissionRevision.id == 1)) or 0
    remember_revision(value)
    return value


def remember_revision(value: int | None) -> None:
    """The revision as this request read it (alone, or with the user: security.manager)."""
    if has_request_context():
        g._permission_revision = value or 0


@dataclass
class RoleCache:
    """The permissions of every role as of one revision."""

    revision: int | None = None
    by_role: dict[int, frozenset[tuple[str, str]]] = field(default_factory=dict)
    by_name: dict[str, int] = field(default_factory=dict)

    def _fresh(self) -> None:
        revision = current_revision()
        if revision == self.revision:
            return
        by_role: dict[int, set[tuple[str, str]]] = {}
        by_name = {name: role_id for role_id, name in db.session.execute(
            select(Role.id, Role.name))}
        for role_id in by_name.values():
            by_role[role_id] = set()
        rows = db.session.execute(
            select(assoc_permissionview_role.c.role_id, Permission.name, ViewMenu.name)
            .join(PermissionView, PermissionView.id == assoc_permissionview_role.c.permission_view_id)
            .join(Permission, Permission.id == PermissionView.permission_id)
            .join(ViewMenu, ViewMenu.id == PermissionView.view_menu_id))
        for role_id, permission, view in rows:
            by_role.setdefault(role_id, set()).add((permission, view))
        self.by_role = {k: frozenset(v) for k, v in by_role.items()}
        self.by_name = by_name
        self.revision = revision

    def of_role(self, role_id: int) -> frozenset[tuple[str, str]]:
        self._fresh()
        return self.by_role.get(role_id, frozenset())

    def of_name(self, name: str) -> frozenset[tuple[str, str]]:
        self._fresh()
        role_id = self.by_name.get(name)
        return self.by_role.get(role_id, frozenset()) if role_id is not None else frozenset()

    def role_id(self, name: str) -> int | None:
        self._fresh()
        return self.by_name.get(name)


def bump_revision(connection: Any) -> None:
    """Tell every worker that permissions changed (part of the caller's transaction)."""
    table = PermissionRevision.__table__
    done = connection.execute(update(table).where(table.c.id == 1)
                              .values(revision=table.c.revision + 1)).rowcount
    if not done:
        connection.execute(table.insert().values(id=1, revision=1))


@event.listens_for(Session, "before_flush")
def _note_security_changes(session: Session, _context: Any, _instances: Any) -> None:
    """Role and permission rows added, changed (their collections included) or deleted."""
    touched = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(obj, SECURITY_MODELS) for obj in touched):
        session.info[CHANGED] = True


@event.listens_for(Session, "after_flush")
def _bump_on_security_changes(session: Session, _context: Any) -> None:
    if session.info.pop(CHANGED, False):
        bump_revision(session.connection())
        if has_request_context():
            g.pop("_permission_revision", None)
