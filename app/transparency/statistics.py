"""Public statistics and the Decision 766/QĐ-TTg indicators, read from the summary tables that
the transitions keep (app/transparency/counts.py), never from the dossiers.

A page of figures is two statements: the rows of the scope (the filters and months) grouped by
the chosen dimension with their open counts, cut after a keyset cursor; and the scope's months,
which give the chart and the total. Each reads the coarsest table that holds what it groups and
filters — the summary (unit × procedure × month) or its rollups per unit and month and per
province and month, which the database keeps (app/transparency/rollups.py) — through the indexes
of migration 0017: the national page reads provinces × months rows, a province's units × months,
whatever the number of dossiers. The downloads stream the same rows."""
from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Iterator, Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select

from app.core import settings_cache
from app.core.pagination import MAX_SIZE, Key, decode_cursor, encode_cursor, keyset_after_values
from app.dossiers.effects import local_date, now
from app.extensions import db
from app.procedures.models import Procedure, UnitProcedure
from app.transparency.filters import PublicFilters
from app.transparency.models import (
    STAT_COLUMNS,
    DossierStat,
    OpenDossierCount,
    ProvinceMonthStat,
    ProvinceOpenCount,
    UnitMonthStat,
)
from app.units.models import AdministrativeUnit

DIMENSIONS = ("unit", "province", "procedure", "month", "unit_procedure")
PAGE_SIZE = 100  # rows of a page of the API (at most 100, pagination.MAX_SIZE)
OPEN_COLUMNS = ("open_now", "overdue_now")
_GROUP = {"unit": "unit_id", "province": "province_id", "procedure": "procedure_id", "month": "month"}


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
    ids: tuple = ()  # the group's unit, province or procedure ids (or month)

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


# Which table answers: the summary itself when procedures are involved, else a rollup.
STATS = {"base": DossierStat, "unit": UnitMonthStat, "province": ProvinceMonthStat}
OPENS = {"base": OpenDossierCount, "unit": OpenDossierCount, "province": ProvinceOpenCount}


def _level(filters: PublicFilters, by: str) -> str:
    """The coarsest table that holds the groups and the filters: unit × procedure × month,
    unit × month, or province × month."""
    if filters.procedure is not None or by in ("procedure", "unit_procedure"):
        return "base"
    if filters.unit is not None or by == "unit":
        return "unit"
    return "province"


FILTERS = ("province", "unit", "procedure", "month_from", "month_to")


def _scoped(stmt, model, present: tuple[str, ...]):
    """The filters that are given, as bound parameters (their values come with the execution)."""
    tests = {"province": lambda: model.province_id == bindparam("province"),
             "unit": lambda: model.unit_id == bindparam("unit"),
             "procedure": lambda: model.procedure_id == bindparam("procedure"),
             "month_from": lambda: model.month >= bindparam("month_from"),
             "month_to": lambda: model.month <= bindparam("month_to")}
    for name in present:
        stmt = stmt.where(tests[name]())
    return stmt


def _dims(by: str) -> tuple[str, ...]:
    return ("unit", "procedure") if by == "unit_procedure" else (by,)


def _keys(dims: tuple[str, ...], groups: list) -> tuple[Key, ...]:
    return tuple(Key(g, desc=True, kind="date") if d == "month" else Key(g, kind="int")
                 for d, g in zip(dims, groups, strict=True))


@functools.lru_cache(maxsize=512)
def _statement(by: str, level: str, present: tuple[str, ...], paged: bool, size: int | None):
    """The statement of one shape of request (built once per process: only the values change).

    The scope's rows grouped by `by` — ids g0 (g1) and the summed counts — from the coarsest
    table that has them, in the order of the group ids (months newest first), after the cursor
    (c0, c1) and `size` + 1 of them when paged; then each group's open_now and overdue_now (sums
    of the open counts), added outside the grouping so that the planner pages the grouping
    through the index that starts with the filter (migration 0017)."""
    dims = _dims(by)
    stats, opens = STATS[level], OPENS[level]
    groups = [getattr(stats, _GROUP[d]) for d in dims]
    keys = _keys(dims, groups)
    inner = _scoped(select(*(g.label(f"g{i}") for i, g in enumerate(groups)),
                           *(func.coalesce(func.sum(getattr(stats, c)), 0).label(c)
                             for c in STAT_COLUMNS)), stats, present).group_by(*groups)
    if "province" in dims and level != "province":
        inner = inner.where(stats.province_id.is_not(None))
    if paged:
        inner = inner.where(keyset_after_values(keys, [bindparam(f"c{i}") for i in range(len(keys))]))
    if size is not None:
        inner = inner.order_by(*(key.order() for key in keys)).limit(size + 1)
    page = inner.subquery("page")

    def open_sum(overdue: bool):
        found = _scoped(select(func.coalesce(func.sum(opens.count), 0)), opens, present)
        for i, dim in enumerate(dims):
            found = found.where(getattr(opens, _GROUP[dim]) == page.c[f"g{i}"])
        if overdue:
            found = found.where(opens.due_date < bindparam("today"))
        return found.scalar_subquery()

    return select(page, open_sum(False).label("open_now"), open_sum(True).label("overdue_now")) \
        .order_by(*(Key(page.c[f"g{i}"], desc=k.desc).order() for i, k in enumerate(keys)))


def _grouped(filters: PublicFilters, by: str, cursor: str | None = None, size: int | None = None):
    """(statement, its parameters, keyset keys, dims) of the rows grouped by `by` (_statement).
    Raises pagination.CursorError for a cursor this list did not hand out."""
    dims = _dims(by)
    level = _level(filters, by)
    present = tuple(f for f in FILTERS if getattr(filters, f) is not None)
    stats = STATS[level]
    keys = _keys(dims, [getattr(stats, _GROUP[d]) for d in dims])
    params: dict[str, Any] = {"today": local_date(now())}
    for name in present:
        value = getattr(filters, name)
        params[name] = value.id if hasattr(value, "id") else value
    if cursor:
        params.update({f"c{i}": v for i, v in enumerate(decode_cursor(cursor, keys))})
    return _statement(by, level, present, bool(cursor), size), params, keys, dims


def _names(dim: str) -> Mapping[int, tuple[str, str]]:
    """Code and name of every unit or procedure by id (once per process while the catalogue is
    unchanged)."""
    model = Procedure if dim == "procedure" else AdministrativeUnit
    return settings_cache.cached(("public_names", model.__tablename__), lambda: MappingProxyType({
        i: (code, name) for i, code, name in db.session.execute(select(model.id, model.code, model.name))}))


def _row(values: Any, dims: tuple[str, ...], names: list[Mapping[int, tuple[str, str]] | None]) -> StatRow:
    found = []
    for i, dim in enumerate(dims):
        group = values[f"g{i}"]
        if dim == "month":
            key, name = group.strftime("%Y-%m"), group.strftime("%m/%Y")
        else:
            key, name = names[i].get(group, ("", "—"))
        found.append((dim, key, name))
    row = StatRow("/".join(k for _d, k, _n in found), " — ".join(n for _d, _k, n in found),
                  {c: int(values[c] or 0) for c in STAT_COLUMNS},
                  overdue_now=int(values["overdue_now"] or 0), open_now=int(values["open_now"] or 0),
                  ids=tuple(values[f"g{i}"] for i in range(len(dims))))
    if len(dims) > 1:
        row.parts = {dim: {"code": key, "name": name} for dim, key, name in found}
    return row


def add_to(total: StatRow, row: StatRow) -> None:
    for c, v in row.counts.items():
        total.counts[c] = total.counts.get(c, 0) + v
    total.open_now += row.open_now
    total.overdue_now += row.overdue_now


@dataclass
class Table:
    rows: list[StatRow]
    total: StatRow
    next_cursor: str | None = None
    months: list[StatRow] = field(default_factory=list)  # the scope's months, newest first


def table_page(filters: PublicFilters, by: str = "unit", cursor: str | None = None,
               size: int = PAGE_SIZE) -> Table:
    """One page of rows grouped by `by` (unit, province, procedure, month or unit_procedure) in
    the order of their ids (months newest first), the scope's months and their total: two
    statements. Raises pagination.CursorError for a cursor this list did not hand out."""
    size = max(1, min(MAX_SIZE, size))
    stmt, params, keys, dims = _grouped(filters, by, cursor, size)
    found = list(db.session.execute(stmt, params).mappings())
    more = len(found) > size
    found = found[:size]
    next_cursor = encode_cursor([k.encode(found[-1][f"g{i}"]) for i, k in enumerate(keys)]) \
        if more else None
    names = [None if d == "month" else _names(d) for d in dims]
    rows = [_row(values, dims, names) for values in found]
    months = rows if by == "month" and cursor is None and next_cursor is None \
        else list(stream_rows(filters, "month"))
    total = StatRow("", str(_l("Total")), {})
    for month in months:
        add_to(total, month)
    return Table(rows, total, next_cursor, months)


def table(filters: PublicFilters, by: str = "unit") -> tuple[list[StatRow], StatRow]:
    """Every row grouped by `by` and the total (the downloads stream_rows them instead)."""
    rows, total = [], StatRow("", str(_l("Total")), {})
    for row in stream_rows(filters, by):
        rows.append(row)
        add_to(total, row)
    return rows, total


def stream_rows(filters: PublicFilters, by: str, batch: int = 1000) -> Iterator[StatRow]:
    """Every row grouped by `by`, in order, read from the database `batch` at a time."""
    stmt, params, _keys, dims = _grouped(filters, by)
    names = [None if d == "month" else _names(d) for d in dims]
    for values in db.session.execute(stmt, params, execution_options={"yield_per": batch}).mappings():
        yield _row(values, dims, names)


def months_series(table_: Table, last: int = 12) -> list[dict[str, Any]]:
    """Received and completed in the scope's last `last` months, oldest first (the chart)."""
    return [{"key": m.key, "received": m.counts.get("received", 0),
             "completed": m.counts.get("completed", 0)} for m in reversed(table_.months[:last])]


def default_period(today: dt.date | None = None, months: int = 12) -> tuple[dt.date, dt.date]:
    """The last `months` months, the current one included: (first month, current month)."""
    today = today or local_date(now())
    index = today.year * 12 + today.month - 1 - (months - 1)
    return dt.date(index // 12, index % 12 + 1, 1), today.replace(day=1)


def drill_down(filters: PublicFilters) -> str:
    """The grouping one level below the scope: provinces, then a province's units, then a
    unit's procedures, then a procedure's months."""
    if filters.unit is not None:
        return "month" if filters.procedure is not None else "procedure"
    if filters.province is not None:
        return "unit"
    return "province"


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


def _offerings_and_provinces() -> tuple[Mapping[int, tuple[int, int]], Mapping[int, tuple[int, int]]]:
    """(offerings per unit, summed per province): the catalogue's, read once per process while
    it is unchanged (app/core/settings_cache.py; units, procedures and offerings are watched)."""
    def compute():
        by_unit = _offerings_by_unit()
        parents = dict(db.session.execute(select(AdministrativeUnit.id, AdministrativeUnit.parent_id)).all())
        by_province: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for unit, (offered, online) in by_unit.items():
            top, steps = unit, 0
            while parents.get(top) is not None and steps < 5:
                top, steps = parents[top], steps + 1
            by_province[top][0] += offered
            by_province[top][1] += online
        return (MappingProxyType(by_unit),
                MappingProxyType({p: (o, n) for p, (o, n) in by_province.items()}))
    return settings_cache.cached(("public_offerings",), compute)


def _offered(level: str, ids: list[int]) -> tuple[int, int]:
    """(offerings, published online) of some units or provinces; every unit with no ids."""
    by_unit, by_province = _offerings_and_provinces()
    table_ = by_unit if level == "unit" else by_province
    chosen = table_.values() if not ids else [table_.get(i, (0, 0)) for i in ids]
    return sum(o for o, _n in chosen), sum(n for _o, n in chosen)


def indicators(row: dict[str, Any], offered: tuple[int, int]) -> dict[str, Any]:
    """The six indicators of one province or unit: share (0-1), points, and the total score;
    `offered` = (its active offerings, of which published for online filing): publicity is
    their ratio."""
    shares = {
        "publicity": _ratio(offered[1], offered[0]),
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


def index_rows(rows: list[StatRow], by: str) -> list[dict[str, Any]]:
    """The indicators of rows grouped by province or by unit (those of a page of figures)."""
    level = "unit" if by == "unit" else "province"
    return [{"key": row.key, "name": row.name, **indicators(row.as_dict(), _offered(level, [row.ids[0]]))}
            for row in rows if row.ids and row.ids[0] is not None]


def index_of_scope(filters: PublicFilters, total: StatRow) -> dict[str, Any]:
    """The indicators of the whole scope: the unit, the province, or every unit."""
    if filters.unit is not None:
        key, name, offered = filters.unit.code, filters.unit.name, _offered("unit", [filters.unit.id])
    elif filters.province is not None:
        key, name = filters.province.code, filters.province.name
        offered = _offered("province", [filters.province.id])
    else:
        key, name, offered = "", str(_l("All provinces")), _offered("unit", [])
    return {"key": key, "name": name, **indicators(total.as_dict(), offered)}


def index_766(filters: PublicFilters, by: str = "province", cursor: str | None = None,
              size: int = PAGE_SIZE) -> list[dict[str, Any]]:
    """The indicators per province (or per unit), with the figures they come from: one page."""
    level = "unit" if by == "unit" else "province"
    return index_rows(table_page(filters, level, cursor, size).rows, level)
