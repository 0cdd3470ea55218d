"""Satisfaction ratings (đánh giá mức độ hài lòng) of returned dossiers."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.dossiers import lifecycle
from app.dossiers.errors import DossierError, field_error
from app.dossiers.filters import is_owner
from app.dossiers.models import Dossier, SatisfactionRating
from app.dossiers.status import Status
from app.extensions import db
from app.procedures.models import Procedure
from app.units.models import AdministrativeUnit


def can_rate(user: Any, dossier: Dossier) -> bool:
    """The owner of a returned dossier that has no rating yet."""
    return (is_owner(user, dossier) and dossier.status == Status.RETURNED
            and db.session.scalar(select(SatisfactionRating.id)
                                  .where(SatisfactionRating.dossier_id == dossier.id)) is None)


def rate_dossier(user: Any, dossier: Dossier, score: Any, comment: str = "") -> SatisfactionRating:
    """Record the citizen's one rating (1-5, optional comment) of a returned dossier."""
    if not is_owner(user, dossier):
        raise DossierError(_("Dossier not found."), 404)
    if dossier.status != Status.RETURNED:
        raise DossierError(_("You can rate a dossier once its result has been returned."), 409)
    try:
        value = int(score)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise field_error("/score", _("Choose from 1 to 5 stars."))
    rating = SatisfactionRating(dossier_id=dossier.id, unit_id=dossier.unit_id,
                                procedure_id=dossier.procedure_id, score=value,
                                comment=(comment or "").strip()[:2000])
    try:
        with db.session.begin_nested():
            db.session.add(rating)
    except IntegrityError:
        raise DossierError(_("You have already rated this dossier."), 409) from None
    lifecycle.dossier_changed(dossier)  # the satisfaction statistics, in this transaction
    return rating


def average_ratings(unit_code: str | None = None, procedure_code: str | None = None) -> list[dict]:
    """Average score and count per unit and procedure (for the public statistics)."""
    stmt = (select(AdministrativeUnit.code, AdministrativeUnit.name, Procedure.code, Procedure.name,
                   func.count(SatisfactionRating.id), func.avg(SatisfactionRating.score))
            .join(AdministrativeUnit, AdministrativeUnit.id == SatisfactionRating.unit_id)
            .join(Procedure, Procedure.id == SatisfactionRating.procedure_id)
            .group_by(AdministrativeUnit.code, AdministrativeUnit.name, Procedure.code, Procedure.name)
            .order_by(AdministrativeUnit.code, Procedure.code))
    if unit_code:
        stmt = stmt.where(AdministrativeUnit.code == unit_code)
    if procedure_code:
        stmt = stmt.where(Procedure.code == procedure_code)
    return [{"unit": u, "unit_name": un, "procedure": p, "procedure_name": pn, "count": n,
             "average": round(float(avg), 2)} for u, un, p, pn, n, avg in db.session.execute(stmt)]
