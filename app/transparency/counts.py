"""The public log and the statistics, kept by the transitions themselves.

After every applied transition (and after a rating) `recount` projects the dossier into its
`PublicDossier` row and works out what it contributes to `DossierStat` and
`OpenDossierCount`; only the difference with what it contributed last time (`counted`) is
applied, in the same transaction. A system transition, a linked child and the parent it returns
all pass through the gate, so all are counted. `rebuild` recounts everything from the dossiers.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, Iterable

from flask import g, has_request_context
from sqlalchemy import delete, insert, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import defer, joinedload, selectinload

from app.calendar import calendar_for
from app.core.uow import execute_write
from app.dossiers import lifecycle
from app.dossiers.effects import local_date
from app.dossiers.models import Dossier, DossierEvent, ResultDocument, SatisfactionRating
from app.dossiers.status import CLOCK_RUNNING, TERMINAL, Status
from app.extensions import db
from app.security.names import full_name, masked_name
from app.transparency import rollups
from app.transparency.models import STAT_COLUMNS, DossierStat, OpenDossierCount, PublicDossier
from app.units.models import AdministrativeUnit


def month_of(moment: dt.datetime | dt.date | None) -> dt.date | None:
    """The first day of the month (Vietnam time) of a moment."""
    if moment is None:
        return None
    day = local_date(moment) if isinstance(moment, dt.datetime) else moment
    return day.replace(day=1)


def province_of(unit_id: int) -> int | None:
    """The province of a unit (cached per request: units do not move)."""
    cache = g.setdefault("_province_of", {}) if has_request_context() else \
        db.session.info.setdefault("province_of", {})
    if unit_id not in cache:
        unit = db.session.get(AdministrativeUnit, unit_id)
        cache[unit_id] = unit.province.id if unit is not None else None
    return cache[unit_id]


def filed_at(dossier: Dossier) -> dt.datetime | None:
    """When the dossier reached the office: filed online, or received at the counter."""
    return dossier.submitted_at or dossier.received_at


def contribution(dossier: Dossier, *, paid_online: bool, rating: int | None,
                 digital_result: bool) -> dict[str, int]:
    """What a dossier adds to the statistics now, as {"s|unit|proc|month|column": n,
    "o|unit|proc|month|due": 1}. A pure function of its state: the rebuild uses it too."""
    out: dict[str, int] = defaultdict(int)
    status = Status(dossier.status)
    filed = month_of(filed_at(dossier))
    if status is Status.DRAFT or filed is None:
        return {}
    base = f"{dossier.unit_id}|{dossier.procedure_id}"

    def add(month: dt.date | None, column: str, n: int = 1) -> None:
        if month is not None and n:
            out[f"s|{base}|{month.isoformat()}|{column}"] += n

    add(filed, "submitted")
    if dossier.received_at is not None:
        received = month_of(dossier.received_at)
        add(received, "received")
        add(received, "received_online", int(dossier.channel == "online"))
    if status is Status.RETURNED and dossier.completed_at is not None:
        done = month_of(dossier.completed_at)
        add(done, "completed")
        add(done, "on_time" if dossier.on_time and dossier.apologized_at is None else "late")
        if dossier.received_at is not None:
            days = calendar_for(dossier.unit).working_days_between(
                local_date(dossier.received_at), local_date(dossier.completed_at))
            add(done, "processing_days", max(0, days))
        add(done, "digital_results", int(digital_result))
        if rating:
            add(done, "rated")
            add(done, "rating_sum", rating)
            add(done, "satisfied", int(rating >= 4))
    elif status in TERMINAL:
        add(filed, "ended_other")
    if (dossier.fee_paid or 0) > 0:
        add(filed, "paid")
        add(filed, "paid_online", int(paid_online))
    if status in CLOCK_RUNNING and dossier.due_date is not None and dossier.clock_stopped_at is None:
        out[f"o|{base}|{filed.isoformat()}|{dossier.due_date.isoformat()}"] = 1
    return dict(out)


def difference(old: dict[str, int], new: dict[str, int]) -> dict[str, int]:
    keys = set(old) | set(new)
    return {k: new.get(k, 0) - old.get(k, 0) for k in keys if new.get(k, 0) != old.get(k, 0)}


def _insert(model: Any):
    return (postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert)(model)


def _split(delta: dict[str, int]) -> tuple[dict[tuple, dict[str, int]], dict[tuple, int]]:
    stats: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    opens: dict[tuple, int] = defaultdict(int)
    for key, n in delta.items():
        kind, unit, procedure, month, last = key.split("|")
        if kind == "s":
            stats[(int(unit), int(procedure), dt.date.fromisoformat(month))][last] += n
        else:
            opens[(int(unit), int(procedure), dt.date.fromisoformat(month),
                   dt.date.fromisoformat(last))] += n
    return stats, opens


def apply_delta(delta: dict[str, int]) -> None:
    """Add the changes to the summary rows (upserts: safe against concurrent transitions; the
    database adds them to the rollups, app/transparency/rollups.py). Rows are written month
    first, so two transactions lock the shared rows of a province in the same order."""
    stats, opens = _split(delta)
    for (unit, procedure, month), changes in sorted(stats.items(), key=lambda kv: (kv[0][2], kv[0])):
        stmt = _insert(DossierStat).values(
            unit_id=unit, procedure_id=procedure, month=month, province_id=province_of(unit),
            **{c: changes.get(c, 0) for c in STAT_COLUMNS})
        stmt = stmt.on_conflict_do_update(
            index_elements=["unit_id", "procedure_id", "month"],
            set_={c: getattr(DossierStat, c) + n for c, n in changes.items()})
        execute_write(db.session(), stmt)  # with the transaction's id for the commit
    for (unit, procedure, month, due), n in sorted(opens.items(), key=lambda kv: (kv[0][2], kv[0])):
        stmt = _insert(OpenDossierCount).values(
            unit_id=unit, procedure_id=procedure, month=month, due_date=due,
            province_id=province_of(unit), count=n)
        db.session.execute(stmt.on_conflict_do_update(
            index_elements=["unit_id", "procedure_id", "month", "due_date"],
            set_={"count": OpenDossierCount.count + n}))


def _insert_totals(delta: dict[str, int]) -> None:
    """Write the totals into emptied summary tables: one bulk insert per table."""
    stats, opens = _split(delta)
    if stats:
        db.session.execute(insert(DossierStat), [
            {"unit_id": unit, "procedure_id": procedure, "month": month,
             "province_id": province_of(unit), **{c: changes.get(c, 0) for c in STAT_COLUMNS}}
            for (unit, procedure, month), changes in sorted(stats.items())])
    if opens:
        db.session.execute(insert(OpenDossierCount), [
            {"unit_id": unit, "procedure_id": procedure, "month": month, "due_date": due,
             "province_id": province_of(unit), "count": n}
            for (unit, procedure, month, due), n in sorted(opens.items())])


def _rating(dossier: Dossier) -> int | None:
    if dossier.status != Status.RETURNED:
        return None
    return db.session.scalar(select(SatisfactionRating.score)
                             .where(SatisfactionRating.dossier_id == dossier.id))


def _has_digital_result(dossier: Dossier) -> bool:
    return dossier.status == Status.RETURNED and dossier.return_method == "online" \
        and bool(dossier.results)


def project(row: PublicDossier, dossier: Dossier, moment: dt.datetime | None) -> None:
    """Copy what the public may see (and nothing else) into the log row."""
    row.code, row.procedure_id, row.unit_id = dossier.code, dossier.procedure_id, dossier.unit_id
    row.province_id = province_of(dossier.unit_id)
    row.channel, row.status = dossier.channel, dossier.status
    row.month = month_of(filed_at(dossier))
    row.submitted_at, row.received_at = dossier.submitted_at, dossier.received_at
    row.due_date, row.completed_at = dossier.due_date, dossier.completed_at
    row.on_time = dossier.on_time
    row.late = dossier.is_late
    if Status(dossier.status).terminal:
        row.ended_at = row.ended_at or dossier.completed_at or moment or dossier.updated_at
    else:
        row.ended_at = None
    if not row.applicant and dossier.applicant is not None:
        row.applicant = masked_name(full_name(dossier.applicant))[:60]


def recount(dossier: Dossier, ctx: lifecycle.ActionContext | None = None) -> None:
    """Bring the log row and the statistics in line with the dossier (inside the transaction)."""
    if filed_at(dossier) is None or dossier.status == Status.DRAFT:
        return
    # A draft is never in the log (above; and no action leads back to draft): leaving draft,
    # the row is new and is not looked for. Were it there, its INSERT would fail the action.
    first = ctx is not None and ctx.status_before == Status.DRAFT
    row = None if first else db.session.get(PublicDossier, dossier.id)
    created = row is None
    if created:
        row = PublicDossier(dossier_id=dossier.id, counted={}, applicant="")
    old = dict(row.counted or {})
    paid_online = any(k.endswith("|paid_online") for k, v in old.items() if v) or (
        ctx is not None and ctx.action == "pay" and ctx.actor == lifecycle.SYSTEM)
    new = contribution(dossier, paid_online=paid_online, rating=_rating(dossier),
                       digital_result=_has_digital_result(dossier))
    with db.session.no_autoflush:
        project(row, dossier, getattr(ctx, "moment", None))
    row.counted = new
    if created:
        db.session.add(row)
    db.session.flush()
    apply_delta(difference(old, new))


lifecycle.OBSERVERS.append(recount)
lifecycle.CHANGE_OBSERVERS.append(recount)


# --- Rebuild ---------------------------------------------------------------------------------

def _paid_online_ids() -> set[int]:
    """Dossiers the system credited a payment to (the gateway's IPN), from the history."""
    return set(db.session.scalars(select(DossierEvent.dossier_id).where(
        DossierEvent.action == "pay", DossierEvent.actor_id.is_(None)).distinct()))


def expected(dossiers: Iterable[Dossier]) -> dict[str, int]:
    """The statistics recounted from scratch (for the rebuild and its test)."""
    online = _paid_online_ids()
    ratings = dict(db.session.execute(select(SatisfactionRating.dossier_id, SatisfactionRating.score)).all())
    with_results = set(db.session.scalars(select(ResultDocument.dossier_id).distinct()))
    total: dict[str, int] = defaultdict(int)
    for dossier in dossiers:
        digital = dossier.status == Status.RETURNED and dossier.return_method == "online" \
            and dossier.id in with_results
        for key, n in contribution(dossier, paid_online=dossier.id in online,
                                   rating=ratings.get(dossier.id), digital_result=digital).items():
            total[key] += n
    return {k: v for k, v in total.items() if v}


def stored() -> dict[str, int]:
    """The statistics as the summary tables hold them, in `contribution`'s keys."""
    out: dict[str, int] = {}
    for row in db.session.scalars(select(DossierStat)):
        for column in STAT_COLUMNS:
            if getattr(row, column):
                out[f"s|{row.unit_id}|{row.procedure_id}|{row.month.isoformat()}|{column}"] = \
                    getattr(row, column)
    for row in db.session.scalars(select(OpenDossierCount)):
        if row.count:
            out[f"o|{row.unit_id}|{row.procedure_id}|{row.month.isoformat()}|"
                f"{row.due_date.isoformat()}"] = row.count
    return out


def rebuild(batch: int = 2000, progress: Any = None) -> int:
    """Empty the log and summary tables and recount every filed dossier; returns how many."""
    db.session.execute(delete(DossierStat))
    db.session.execute(delete(OpenDossierCount))
    for model in rollups.MODELS:  # refilled by the database as the totals are inserted
        db.session.execute(delete(model))
    db.session.execute(delete(PublicDossier))
    db.session.flush()
    online = _paid_online_ids()
    ratings = dict(db.session.execute(select(SatisfactionRating.dossier_id, SatisfactionRating.score)).all())
    with_results = set(db.session.scalars(select(ResultDocument.dossier_id).distinct()))
    last_id, done = 0, 0
    total: dict[str, int] = defaultdict(int)
    while True:
        dossiers = list(db.session.scalars(
            select(Dossier).where(Dossier.id > last_id, Dossier.status != Status.DRAFT)
            .options(selectinload(Dossier.applicant), joinedload(Dossier.unit), defer(Dossier.data))
            .order_by(Dossier.id).limit(batch)))
        if not dossiers:
            break
        for dossier in dossiers:
            if filed_at(dossier) is None:
                continue
            digital = dossier.status == Status.RETURNED and dossier.return_method == "online" \
                and dossier.id in with_results
            counted = contribution(dossier, paid_online=dossier.id in online,
                                   rating=ratings.get(dossier.id), digital_result=digital)
            row = PublicDossier(dossier_id=dossier.id, applicant="", counted=counted)
            project(row, dossier, None)
            db.session.add(row)
            for key, n in counted.items():
                total[key] += n
        db.session.flush()
        last_id = dossiers[-1].id
        done += len(dossiers)
        db.session.expunge_all()
        if progress:
            progress(done)
    _insert_totals({k: n for k, n in total.items() if n})
    db.session.flush()
    return done


def analyze() -> None:
    """Refresh PostgreSQL's planner statistics of the recounted tables (after a rebuild: with
    autovacuum off, or before it runs, the planner would guess their sizes)."""
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for model in (PublicDossier, DossierStat, OpenDossierCount, *rollups.MODELS):
            conn.execute(text(f'ANALYZE "{model.__tablename__}"'))
