"""Public statistics and the Decision 766/QĐ-TTg indicators, read from the summary tables that
the transitions keep (app/transparency/counts.py): a page costs a GROUP BY over at most
units × procedures × months rows, never a scan of the dossiers."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.dossiers.effects import local_date, now
from app.extensions import db
from app.procedures.models import Procedure, UnitProcedure
from app.transparency.counts import STAT_COLUMNS
from app.transparency.filters import PublicFilters
from app.transparency.models import DossierStat, OpenDossierCount
from app.units.models import AdministrativeUnit

DIMENSIONS = ("unit", "province", "procedure", "month", "unit_procedure")


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


@dataclass
class StatRow:
    key: str  # a unit or procedure code, YYYY-MM, or "unit/procedure"
    name: str
    counts: dict[str, int] = field(default_factory=dict)
    overdue_now: int = 0
    open_now: int = 0
    parts: dict[str, Any] = field(default_factory=dict)  # {"unit": {...}, "procedure": {...}}

    def as_dict(self) -> dict[str, Any]:
        c = self.counts
        return {
            "key": self.key, "name": self.name, **self.parts,
            "received": c.get("received", 0), "submitted": c.get("submitted", 0),
            "completed": c.get("completed", 0), "on_time": c.get("on_time", 0),
            "late": c.get("late", 0), "overdue_now": self.overdue_now, "open_now": self.open_now,
            "ended_without_result": c.get("ended_other", 0),
            "average_processing_days": round(c["processing_days"] / c["completed"], 2)
            if c.get("completed") else None,
            "on_time_share": _ratio(c.get("on_time", 0), c.get("completed", 0)),
            "online_share": _ratio(c.get("received_online", 0), c.get("received", 0)),
            "paid": c.get("paid", 0), "paid_online": c.get("paid_online", 0),
            "paid_online_share": _ratio(c.get("paid_online", 0), c.get("paid", 0)),
            "digital_result_share": _ratio(c.get("digital_results", 0), c.get("completed", 0)),
            "ratings": c.get("rated", 0),
            "satisfaction": round(c["rating_sum"] / c["rated"], 2) if c.get("rated") else None,
            "satisfied_share": _ratio(c.get("satisfied", 0), c.get("rated", 0)),
        }


def _scoped(stmt, model, filters: PublicFilters):
    if filters.province is not None:
        stmt = stmt.where(model.province_id == filters.province.id)
    if filters.unit is not None:
        stmt = stmt.where(model.unit_id == filters.unit.id)
    if filters.procedure is not None:
        stmt = stmt.where(model.procedure_id == filters.procedure.id)
    if filters.month_from is not None:
        stmt = stmt.where(model.month >= filters.month_from)
    if filters.month_to is not None:
        stmt = stmt.where(model.month <= filters.month_to)
    return stmt


def _dims(by: str) -> tuple[str, ...]:
    return ("unit", "procedure") if by == "unit_procedure" else (by,)


def _group_columns(model, by: str) -> list:
    columns = {"unit": model.unit_id, "province": model.province_id,
               "procedure": model.procedure_id, "month": model.month}
    return [columns[d] for d in _dims(by)]


def _names(dim: str, ids: set) -> dict[Any, tuple[str, str]]:
    """(code, name) of each group id: unit/province codes and names, procedure codes, months."""
    ids = {i for i in ids if i is not None}
    if dim == "month":
        return {m: (m.strftime("%Y-%m"), m.strftime("%m/%Y")) for m in ids}
    model = Procedure if dim == "procedure" else AdministrativeUnit
    rows = db.session.execute(select(model.id, model.code, model.name).where(model.id.in_(ids)))
    return {i: (code, name) for i, code, name in rows}


def table(filters: PublicFilters, by: str = "unit") -> tuple[list[StatRow], StatRow]:
    """Rows grouped by `by` (unit, province, procedure, month or unit_procedure) and the total."""
    dims = _dims(by)
    groups = _group_columns(DossierStat, by)
    sums = [func.coalesce(func.sum(getattr(DossierStat, c)), 0) for c in STAT_COLUMNS]
    stmt = _scoped(select(*groups, *sums), DossierStat, filters).group_by(*groups)
    rows: dict[tuple, StatRow] = {}
    total = StatRow("", str(_l("Total")), defaultdict(int))
    width = len(groups)
    for values in db.session.execute(stmt):
        key, counts = tuple(values[:width]), values[width:]
        counts = {c: int(v) for c, v in zip(STAT_COLUMNS, counts, strict=True)}
        rows[key] = StatRow("", "", counts)
        for c, v in counts.items():
            total.counts[c] += v
    today = local_date(now())
    open_groups = _group_columns(OpenDossierCount, by)
    overdue = func.coalesce(func.sum(OpenDossierCount.count).filter(
        OpenDossierCount.due_date < today), 0)
    open_stmt = _scoped(select(*open_groups, func.sum(OpenDossierCount.count), overdue),
                        OpenDossierCount, filters).group_by(*open_groups)
    for values in db.session.execute(open_stmt):
        key, (opened, late) = tuple(values[:width]), values[width:]
        row = rows.setdefault(key, StatRow("", "", defaultdict(int)))
        row.open_now, row.overdue_now = int(opened or 0), int(late or 0)
        total.open_now += row.open_now
        total.overdue_now += row.overdue_now
    names = [_names(dim, {k[i] for k in rows}) for i, dim in enumerate(dims)]
    for key, row in rows.items():
        found = [names[i].get(k, ("", "—")) for i, k in enumerate(key)]
        row.key = "/".join(code for code, _n in found)
        row.name = " — ".join(name for _c, name in found)
        if len(dims) > 1:
            row.parts = {dim: {"code": code, "name": name}
                         for dim, (code, name) in zip(dims, found, strict=True)}
    ordered = sorted(rows.values(), key=lambda r: r.key, reverse=(by == "month"))
    return ordered, total


# --- Decision 766/QĐ-TTg ------------------------------------------------------------------------

@dataclass(frozen=True)
class Indicator:
    key: str
    label: Any
    points: int  # the group's weight in the 100-point index
    how: Any  # how MotCua computes it, shown on the page


INDICATORS = (
    Indicator("publicity", _l("Publicity and transparency"), 18,
              _l("Share of the procedures offered at the unit whose full information and online "
                 "form are published in the catalogue (a published version, level 3 or 4); every "
                 "filed dossier appears in the public log.")),
    Indicator("progress", _l("Processing on time"), 20,
              _l("Dossiers returned by their due date and never apologised for, divided by all "
                 "dossiers returned in the period.")),
    Indicator("online", _l("Online public services"), 12,
              _l("Dossiers filed online divided by all dossiers received in the period (online, "
                 "at the counter and by post).")),
    Indicator("payment", _l("Online payment"), 10,
              _l("Dossiers whose fee was paid through an online gateway (VNPay or the sandbox "
                 "bank, confirmed by its IPN) divided by all dossiers that paid a fee.")),
    Indicator("satisfaction", _l("Satisfaction"), 18,
              _l("Average of the citizens' ratings (1 to 5 stars) of returned dossiers, divided "
                 "by 5.")),
    Indicator("digitisation", _l("Digitisation of results"), 22,
              _l("Dossiers whose result was returned electronically (a signed PDF) divided by all "
                 "dossiers returned in the period.")),
)


def _offerings_by_unit() -> dict[int, tuple[int, int]]:
    """Per unit: (active offerings, of which published for online filing), in one query."""
    stmt = (select(UnitProcedure.unit_id, func.count(UnitProcedure.id),
                   func.count(UnitProcedure.id).filter(Procedure.level >= 3))
            .join(Procedure, Procedure.id == UnitProcedure.procedure_id)
            .where(UnitProcedure.active.is_(True), Procedure.active.is_(True))
            .group_by(UnitProcedure.unit_id))
    return {unit: (int(offered or 0), int(online or 0)) for unit, offered, online in db.session.execute(stmt)}


def indicators(row: dict[str, Any], unit_ids: list[int],
               offerings: dict[int, tuple[int, int]]) -> dict[str, Any]:
    """The six indicators of one province or unit (its `unit_ids`): share (0-1), points, and the
    total score; `offerings` as _offerings_by_unit gives them. Publicity is the share of active
    offerings whose procedure is published for online filing."""
    offered = sum(offerings.get(u, (0, 0))[0] for u in unit_ids)
    online = sum(offerings.get(u, (0, 0))[1] for u in unit_ids)
    shares = {
        "publicity": _ratio(online, offered),
        "progress": row["on_time_share"],
        "online": row["online_share"],
        "payment": row["paid_online_share"],
        "satisfaction": round(row["satisfaction"] / 5, 4) if row["satisfaction"] else None,
        "digitisation": row["digital_result_share"],
    }
    out, score, possible = {}, 0.0, 0
    for indicator in INDICATORS:
        share = shares[indicator.key]
        points = round(share * indicator.points, 2) if share is not None else None
        out[indicator.key] = {"share": share, "points": points, "max": indicator.points}
        if points is not None:
            score += points
            possible += indicator.points
    out["score"] = round(score, 2)
    out["max"] = possible
    return out


def index_766(filters: PublicFilters, by: str = "province") -> list[dict[str, Any]]:
    """The indicators per province (or per unit), with the figures they come from."""
    rows, _total = table(filters, by)
    units = {u.code: u for u in db.session.scalars(select(AdministrativeUnit).where(
        AdministrativeUnit.code.in_([r.key for r in rows])))} if rows else {}
    members: dict[int, list[int]] = defaultdict(list)
    if by != "unit" and units:
        for province, unit in db.session.execute(
                select(DossierStat.province_id, DossierStat.unit_id).where(
                    DossierStat.province_id.in_([u.id for u in units.values()])).distinct()):
            members[province].append(unit)
    offerings = _offerings_by_unit()
    out = []
    for row in rows:
        unit = units.get(row.key)
        if unit is None:
            continue
        unit_ids = [unit.id] if by == "unit" else members.get(unit.id, [])
        out.append({"key": row.key, "name": row.name,
                    **indicators(row.as_dict(), unit_ids, offerings)})
    return out


def months_series(filters: PublicFilters, last: int = 12) -> list[dict[str, Any]]:
    """Received and completed per month, oldest first (for the chart)."""
    rows, _total = table(filters, "month")
    return [r.as_dict() for r in reversed(rows[:last])]


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or local_date(now())
    start = dt.date(today.year - 1, today.month, 1)
    return start, today.replace(day=1)
