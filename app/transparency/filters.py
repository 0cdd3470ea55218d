"""The filters of the public pages and their API: codes and months checked, resolved once."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Any, Mapping

from flask_babel import gettext as _
from sqlalchemy import select

from app.core.api import ApiError
from app.dossiers.status import STATUSES
from app.extensions import db
from app.procedures.models import Procedure
from app.transparency.models import DossierStat
from app.units.models import AdministrativeUnit

MONTH = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


@dataclass
class PublicFilters:
    province: AdministrativeUnit | None = None
    unit: AdministrativeUnit | None = None
    procedure: Procedure | None = None
    status: str | None = None
    month_from: dt.date | None = None
    month_to: dt.date | None = None

    def args(self) -> dict[str, str]:
        """The query arguments that give these filters back (for links and downloads)."""
        out = {"province": self.province.code if self.province else "",
               "unit": self.unit.code if self.unit else "",
               "procedure": self.procedure.code if self.procedure else "",
               "status": self.status or "",
               "from": self.month_from.strftime("%Y-%m") if self.month_from else "",
               "to": self.month_to.strftime("%Y-%m") if self.month_to else ""}
        return {k: v for k, v in out.items() if v}


def parse_month(value: str, path: str) -> dt.date:
    match = MONTH.match(value.strip())
    try:
        if match is None:
            raise ValueError(value)
        return dt.date(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        raise ApiError(422, _("Some of the information is not valid."),
                       [{"path": path, "message": _("Give a month as YYYY-MM.")}]) from None


def _unit(code: str, path: str, level: str | None = None) -> AdministrativeUnit:
    stmt = select(AdministrativeUnit).where(AdministrativeUnit.code == code.strip())
    if level:
        stmt = stmt.where(AdministrativeUnit.level == level)
    unit = db.session.scalar(stmt)
    if unit is None:
        raise ApiError(422, _("Some of the information is not valid."),
                       [{"path": path, "message": _("Unknown unit code.")}])
    return unit


def parse_filters(args: Mapping[str, Any]) -> PublicFilters:
    """Filters from ?province=&unit=&procedure=&status=&month= (or from=&to=), or a 422."""
    found = PublicFilters()
    if args.get("province"):
        found.province = _unit(str(args["province"]), "/province", "province")
    if args.get("unit"):
        found.unit = _unit(str(args["unit"]), "/unit")
    if args.get("procedure"):
        found.procedure = db.session.scalar(select(Procedure).where(
            Procedure.code == str(args["procedure"]).strip()))
        if found.procedure is None:
            raise ApiError(422, _("Some of the information is not valid."),
                           [{"path": "/procedure", "message": _("Unknown procedure code.")}])
    status = str(args.get("status") or "").strip()
    if status:
        if status not in STATUSES or status == "draft":
            raise ApiError(422, _("Some of the information is not valid."),
                           [{"path": "/status", "message": _("Unknown status.")}])
        found = replace(found, status=status)  # (a filter, not a dossier: the gate sets those)
    if args.get("month"):
        found.month_from = found.month_to = parse_month(str(args["month"]), "/month")
    if args.get("from"):
        found.month_from = parse_month(str(args["from"]), "/from")
    if args.get("to"):
        found.month_to = parse_month(str(args["to"]), "/to")
    return found


def choices() -> dict[str, list]:
    """What the filter forms offer: provinces, units that have dossiers, procedures."""
    unit_ids = select(DossierStat.unit_id).distinct()
    procedure_ids = select(DossierStat.procedure_id).distinct()
    return {
        "provinces": list(db.session.scalars(select(AdministrativeUnit).where(
            AdministrativeUnit.level == "province", AdministrativeUnit.id.in_(
                select(DossierStat.province_id).distinct())).order_by(AdministrativeUnit.sort_name))),
        "units": list(db.session.scalars(select(AdministrativeUnit).where(
            AdministrativeUnit.id.in_(unit_ids)).order_by(AdministrativeUnit.sort_name))),
        "procedures": list(db.session.scalars(select(Procedure).where(
            Procedure.id.in_(procedure_ids)).order_by(Procedure.code))),
    }
