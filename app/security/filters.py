"""Row-level scope as FAB BaseFilter classes (Superset's DashboardAccessFilter pattern)."""
from __future__ import annotations

from flask import g
from flask_appbuilder.models.filters import BaseFilter
from sqlalchemy import select

from app.security.scope import dossier_scope


class DossierScopeFilter(BaseFilter):
    """Limit dossier queries to the current user's scope; also guards show/edit/delete by id."""

    name = "Dossier scope"
    arg_name = None

    def apply(self, query, value):
        return query.filter(dossier_scope(getattr(g, "user", None)))


class DossierChildScopeFilter(BaseFilter):
    """Limit rows that belong to a dossier (attachments, events) to visible dossiers."""

    name = "Dossier child scope"
    arg_name = None

    def apply(self, query, value):
        from app.dossiers.models import Dossier

        visible = select(Dossier.id).where(dossier_scope(getattr(g, "user", None)))
        return query.filter(self.model.dossier_id.in_(visible))
