"""Who may see a dossier and in which capacity: SQL scope clauses and FAB filters.

A dossier the user may not see answers 404 everywhere, never 403, so codes cannot be probed.
"""
from __future__ import annotations

from typing import Any

from flask import g
from flask_appbuilder.models.filters import BaseFilter
from flask_babel import gettext as _
from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import defer, joinedload
from sqlalchemy.sql.elements import ColumnElement

from app.core import settings_cache
from app.dossiers.errors import DossierError
from app.dossiers.models import FILED_SQL, Dossier
from app.dossiers.status import Status
from app.extensions import db
from app.procedures.models import ProcedureVersion
from app.security.models import UserUnit
from app.security.scope import ADMIN, AUDITOR, CITIZEN, OFFICER, has_role, role_names
from app.units.models import AdministrativeUnit

COUNTER = "counter"  # the channel of walk-in dossiers (status.CHANNELS)


def officer_unit_ids(user: Any) -> tuple[int, ...]:
    """The units an officer works at, kept per process under the settings revision (which
    every request reads with its user): an administrator's change applies on the next request."""
    key = getattr(user, "id", None)
    return settings_cache.cached(("officer_units", key), lambda: tuple(db.session.scalars(
        select(UserUnit.unit_id).where(UserUnit.user_id == key).order_by(UserUnit.unit_id))))


def dossier_scope(user: Any, *, drafts: bool = True) -> ColumnElement[bool]:
    """WHERE clause of the dossiers the user may see; drafts only by their owner. Without
    `drafts`, filed dossiers only: the same rows as adding `status <> 'draft'`, in a clause
    the indexes on (unit, status) answer alone (no `channel` to read from each row)."""
    roles = role_names(user)
    if not roles:
        return false()
    own = Dossier.applicant_id == user.id
    # Staff also see the drafts taken at the counter: the office fills them in. The status is a
    # literal, not a parameter, so that PostgreSQL matches the partial index of the queue.
    filed = or_(Dossier.status != FILED_SQL, Dossier.channel == COUNTER) if drafts \
        else Dossier.status != FILED_SQL
    if not drafts:
        own = and_(own, filed)
    if roles & {ADMIN, AUDITOR}:
        return or_(filed, own)
    clauses = []
    if OFFICER in roles:
        units = officer_unit_ids(user)
        if units:
            # One unit (the usual officer) is an equality, which every index on unit_id serves.
            at_unit = Dossier.unit_id == units[0] if len(units) == 1 else Dossier.unit_id.in_(units)
            clauses.append(and_(at_unit, filed))
    if CITIZEN in roles:
        clauses.append(own)
    return or_(*clauses) if clauses else false()


def is_owner(user: Any, dossier: Dossier) -> bool:
    """The user applied for this dossier."""
    return user is not None and dossier.applicant_id is not None and \
        dossier.applicant_id == getattr(user, "id", None)


def read_only(user: Any) -> bool:
    """Auditors change nothing anywhere."""
    return has_role(user, AUDITOR)


def is_unit_officer(user: Any, dossier: Dossier) -> bool:
    """An officer of the dossier's unit, or a provincial administrator; never its applicant."""
    if user is None or read_only(user) or is_owner(user, dossier):
        return False
    if has_role(user, ADMIN):
        return True
    return has_role(user, OFFICER) and dossier.unit_id in officer_unit_ids(user)


def is_counter_officer(user: Any, dossier: Dossier) -> bool:
    """An officer of the unit filling in a dossier taken at its counter."""
    return dossier.channel == COUNTER and is_unit_officer(user, dossier)


def may_edit(user: Any, dossier: Dossier) -> bool:
    """The owner, or for a dossier taken at the counter the unit's officers."""
    return is_owner(user, dossier) or is_counter_officer(user, dossier)


def require_editable(user: Any, dossier: Dossier) -> None:
    """Only the owner (or, at the counter, the unit's officer) changes a dossier, and only while
    it is a draft or awaits a supplement."""
    if not may_edit(user, dossier):
        raise DossierError(_("Dossier not found."), 404)
    if not Status(dossier.status).editable:
        raise DossierError(_("This dossier can no longer be changed."), 409)


def sees_internal(user: Any, dossier: Dossier) -> bool:
    """Staff (not the applicant) see internal history and papers addressed to the office."""
    return has_role(user, OFFICER, ADMIN, AUDITOR) and not is_owner(user, dossier)


def visible_dossiers(user: Any, *, drafts: bool = True):
    """Select statement of the dossiers the user may see (without drafts: filed ones only)."""
    return select(Dossier).where(dossier_scope(user, drafts=drafts))


def get_visible_dossier(user: Any, code: str, *loads: Any) -> Dossier | None:
    """The dossier if the user may see it; None otherwise (callers answer 404). `loads` are
    loader options (acting(), filing()): what the caller will read, joined into the same query."""
    stmt = visible_dossiers(user).where(Dossier.code == code)
    if loads:
        return db.session.scalars(stmt.options(*loads)).unique().first()
    return db.session.scalar(stmt)


def acting() -> tuple:
    """Loader options of what an action reads besides the row: the procedure, the unit and its
    parents up to the province (fees, notifications' texts, the calendar)."""
    return (joinedload(Dossier.procedure),
            joinedload(Dossier.unit).joinedload(AdministrativeUnit.parent)
            .joinedload(AdministrativeUnit.parent))  # a commune's district and province at most


def filing() -> tuple:
    """acting() and what filing reads as well: the pinned form version (its documents; the
    form itself is compiled once per process, its JSON read only then) and the files."""
    return (*acting(), joinedload(Dossier.procedure_version).options(
        defer(ProcedureVersion.schema), defer(ProcedureVersion.ui_schema)),
        joinedload(Dossier.attachments))


def can_see(user: Any, dossier: Dossier) -> bool:
    return db.session.scalar(select(Dossier.id).where(
        Dossier.id == dossier.id, dossier_scope(user))) is not None


class DossierScopeFilter(BaseFilter):
    """Limit FAB's dossier queries to the user's scope; also guards show/edit by id (404)."""

    name = "Dossier scope"
    arg_name = None

    def apply(self, query, value):
        return query.filter(dossier_scope(getattr(g, "user", None)))


class DossierChildScopeFilter(BaseFilter):
    """Limit rows that belong to a dossier (events, attachments) to visible dossiers."""

    name = "Dossier child scope"
    arg_name = None

    def apply(self, query, value):
        visible = select(Dossier.id).where(dossier_scope(getattr(g, "user", None)))
        return query.filter(self.model.dossier_id.in_(visible))

