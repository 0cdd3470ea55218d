"""Synthetic dossiers for benchmarks (`flask bench seed --dossiers N`), written in bulk.

Rows go in with COPY on PostgreSQL (executemany elsewhere), in batches committed one by one.
Each dossier follows a real path of the lifecycle (submit, receive, process, approve, return…)
and its events are chained exactly as `record_event` chains them (`history.event_digest`), so
`flask audit verify` passes on the seeded history. Dossiers spread over every commune of the
demo provinces (province-tier procedures at the province) and the two years before now.
"""
from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, Callable, Iterable

from flask import current_app
from sqlalchemy import Table, func, select, text
from werkzeug.security import generate_password_hash

from app.dossiers.codes import local_day
from app.dossiers.history import event_digest
from app.dossiers.models import Dossier, DossierEvent, DossierSequence
from app.extensions import db
from app.notifications.models import OutboxMessage
from app.procedures.models import Procedure, ProcedureVersion
from app.security.models import UserProfile, UserUnit
from app.security.scope import CITIZEN
from app.transparency import counts, rollups
from app.transparency.models import DossierStat, OpenDossierCount, PublicDossier
from app.units.models import AdministrativeUnit
from app.units.operations import DEMO_PROVINCES
from app.workdays import add_working_days

SPAN_DAYS = 730
CITIZENS_PER = 200  # one synthetic citizen per this many dossiers
# Final status → the actions that led there, in order (each action's (before, after)).
PATHS: dict[str, list[tuple[str, str, str]]] = {
    "submitted": [("submit", "draft", "submitted")],
    "needs_supplement": [("submit", "draft", "submitted"),
                         ("request_supplement", "submitted", "needs_supplement")],
    "received": [("submit", "draft", "submitted"), ("receive", "submitted", "received")],
    "processing": [("submit", "draft", "submitted"), ("receive", "submitted", "received"),
                   ("process", "received", "processing")],
    "result_ready": [("submit", "draft", "submitted"), ("receive", "submitted", "received"),
                     ("process", "received", "processing"),
                     ("approve", "processing", "result_ready")],
    "returned": [("submit", "draft", "submitted"), ("receive", "submitted", "received"),
                 ("process", "received", "processing"), ("approve", "processing", "result_ready"),
                 ("return", "result_ready", "returned")],
    "rejected": [("submit", "draft", "submitted"), ("reject", "submitted", "rejected")],
    "refused": [("submit", "draft", "submitted"), ("receive", "submitted", "received"),
                ("process", "received", "processing"), ("refuse", "processing", "refused")],
    "withdrawn": [("submit", "draft", "submitted"), ("withdraw", "submitted", "withdrawn")],
}
SETTLED = {"returned": 86, "rejected": 4, "refused": 3, "withdrawn": 3, "processing": 2,
           "result_ready": 2}
RECENT = {"submitted": 20, "received": 20, "processing": 25, "needs_supplement": 8,
          "result_ready": 7, "returned": 16, "rejected": 2, "withdrawn": 2}
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
          "Đỗ", "Hồ", "Ngô", "Dương", "Lý")
GIVEN = ("Văn An", "Thị Bình", "Minh Châu", "Quốc Dũng", "Thị Hoa", "Văn Hùng", "Thanh Lan",
         "Đức Minh", "Thị Ngọc", "Hữu Phúc", "Thị Quỳnh", "Văn Sơn", "Thu Trang", "Anh Tuấn")


@dataclass
class SeedResult:
    dossiers: int = 0
    events: int = 0
    outbox: int = 0
    citizens: int = 0
    units: int = 0
    first_id: int = 0
    last_id: int = 0


@dataclass
class _Context:
    units: list[tuple[int, str, bool]]  # (id, code, is province)
    procedures: list[tuple[int, int, str, int]]  # (id, version id, tier, processing days)
    citizens: list[int]
    officers: dict[int, int] = field(default_factory=dict)  # unit id → an officer of it
    sequences: dict[tuple[str, dt.date], int] = field(default_factory=dict)


def _table(model: Any) -> Table:
    return model.__table__


def _defaults(table: Table) -> dict[str, Any]:
    """Each column's Python-side default (what the ORM would have filled in)."""
    values: dict[str, Any] = {}
    for column in table.columns:
        default = column.default
        if default is None or getattr(default, "is_sequence", False):
            values[column.name] = None
        elif default.is_callable:
            values[column.name] = default.arg(None)
        elif getattr(default, "is_scalar", False):
            values[column.name] = default.arg
        else:
            values[column.name] = None
    return values


class _Writer:
    """Append rows to tables: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self) -> None:
        self.connection = db.session.connection()
        self.postgres = self.connection.dialect.name == "postgresql"

    def write(self, table: Table, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        if not self.postgres:
            self.connection.execute(table.insert(), rows)
            return
        names = list(rows[0])
        json_columns = {c.name for c in table.columns if c.type.__class__.__name__ == "JSON"}
        raw = self.connection.connection.driver_connection
        columns = ", ".join(f'"{name}"' for name in names)
        with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([json.dumps(row[n], ensure_ascii=False) if n in json_columns
                                else row[n] for n in names])


def _load_context(rng: random.Random, n: int, writer: _Writer) -> _Context:
    provinces = list(db.session.scalars(select(AdministrativeUnit).where(
        AdministrativeUnit.code.in_(DEMO_PROVINCES), AdministrativeUnit.level == "province")))
    if not provinces:
        raise RuntimeError("no demo provinces: run `flask seed-demo` first")
    province_ids = [p.id for p in provinces]
    units = [(p.id, p.code, True) for p in provinces]
    units += [(u.id, u.code, False) for u in db.session.scalars(
        select(AdministrativeUnit).where(AdministrativeUnit.parent_id.in_(province_ids),
                                         AdministrativeUnit.active.is_(True))
        .order_by(AdministrativeUnit.id))]
    procedures = []
    for procedure in db.session.scalars(select(Procedure).order_by(Procedure.id)):
        version_id = db.session.scalar(
            select(func.max(ProcedureVersion.id)).where(
                ProcedureVersion.procedure_id == procedure.id,
                ProcedureVersion.published_at.is_not(None)))
        if version_id is not None:
            procedures.append((procedure.id, version_id, procedure.tier or "commune",
                               procedure.processing_days or 5))
    if not procedures:
        raise RuntimeError("no published procedures: run `flask seed-demo` first")
    context = _Context(units=units, procedures=procedures,
                       citizens=_create_citizens(rng, max(1, n // CITIZENS_PER), writer))
    for user_id, unit_id in db.session.execute(select(UserUnit.user_id, UserUnit.unit_id)):
        context.officers.setdefault(unit_id, user_id)
    for unit_code, day, last in db.session.execute(
            select(DossierSequence.unit_code, DossierSequence.day, DossierSequence.last_value)):
        context.sequences[(unit_code, day)] = last
    return context


def _create_citizens(rng: random.Random, count: int, writer: _Writer) -> list[int]:
    """Citizen accounts `bench-citizen-N` (password DEMO_PASSWORD) who own the dossiers."""
    sm = current_app.appbuilder.sm
    users, roles = _table(sm.user_model), sm.user_model.roles.property.secondary
    role = sm.find_role(CITIZEN)
    start = (db.session.scalar(select(func.max(users.c.id))) or 0) + 1
    taken = db.session.scalar(select(func.count()).select_from(users).where(
        users.c.username.like("bench-citizen-%"))) or 0
    password = generate_password_hash(current_app.config.get("DEMO_PASSWORD", "Demo@12345"))
    base, profile_base = _defaults(users), _defaults(_table(UserProfile))
    now = dt.datetime.now()
    rows, links, profiles = [], [], []
    for i in range(count):
        user_id, number = start + i, taken + i + 1
        rows.append({**base, "id": user_id, "first_name": rng.choice(GIVEN),
                     "last_name": rng.choice(FAMILY), "username": f"bench-citizen-{number}",
                     "password": password, "active": True,
                     "email": f"bench-citizen-{number}@motcua.test", "login_count": 0,
                     "fail_login_count": 0, "created_on": now, "changed_on": now})
        links.append({"user_id": user_id, "role_id": role.id})
        profiles.append({**profile_base, "user_id": user_id, "phone": f"09{rng.randrange(10**8):08d}"})
    writer.write(users, rows)
    writer.write(roles, _with_ids(roles, links) if "id" in roles.c else links)
    writer.write(_table(UserProfile), profiles)
    _reset_sequence(users)
    if "id" in roles.c:
        _reset_sequence(roles)
    return [row["id"] for row in rows]


def _with_ids(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    start = (db.session.scalar(select(func.max(table.c.id))) or 0) + 1
    return [{"id": start + i, **row} for i, row in enumerate(rows)]


def _reset_sequence(table: Table) -> None:
    """After explicit ids, the next ORM insert must not collide (PostgreSQL sequences)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    sql = (f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "  # noqa: S608
           f"(SELECT COALESCE(MAX(id), 1) FROM \"{table.name}\"))")  # our own table names
    db.session.execute(text(sql))


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _form_data(rng: random.Random, name: str, phone: str) -> dict[str, Any]:
    return {"nguoi_yeu_cau": {"ho_ten": name, "so_dien_thoai": phone,
                              "so_dinh_danh": f"0{rng.randrange(10**11):011d}",
                              "ngay_sinh": f"{rng.randint(1950, 2005)}-{rng.randint(1, 12):02d}-"
                                           f"{rng.randint(1, 28):02d}",
                              "dia_chi": f"Số {rng.randint(1, 300)}, tổ {rng.randint(1, 30)}"},
            "ban_sao": rng.randint(1, 3), "ghi_chu": ""}


def _dossier_batch(rng: random.Random, context: _Context, created: list[dt.datetime],
                   first_id: int, first_event_id: int, first_outbox_id: int, now: dt.datetime,
                   bases: dict[str, dict[str, Any]]) -> tuple[list, list, list]:
    """Rows of dossiers, their events and outbox messages for consecutive ids."""
    dossiers, events, outbox = [], [], []
    event_id, outbox_id = first_event_id, first_outbox_id
    provinces = [(u[0], u[1]) for u in context.units if u[2]]
    communes = [(u[0], u[1]) for u in context.units if not u[2]] or provinces
    for offset, created_at in enumerate(created):
        dossier_id = first_id + offset
        procedure_id, version_id, tier, days = rng.choice(context.procedures)
        unit_id, unit_code = rng.choice(provinces if tier == "province" else communes)
        age = (now - created_at).days
        status = _pick(rng, SETTLED if age > 30 else RECENT)
        day = local_day(created_at)
        number = context.sequences.get((unit_code, day), 0) + 1
        context.sequences[(unit_code, day)] = number
        code = f"{unit_code}-{day:%y%m%d}-{number:04d}"
        applicant = rng.choice(context.citizens)
        phone = f"09{rng.randrange(10**8):08d}"
        name = f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}"
        channel = rng.choices(("online", "counter", "post"), weights=(70, 25, 5))[0]
        path = PATHS[status]
        # Times of the steps: the submission, then each action a few hours to days later.
        moments = [created_at + dt.timedelta(minutes=rng.randint(2, 90))]
        for _step in path[1:]:
            moments.append(min(now, moments[-1] + dt.timedelta(hours=rng.randint(2, 72))))
        submitted_at = moments[0]
        received_at = moments[1] if len(path) > 1 and path[1][0] == "receive" else None
        due = add_working_days(local_day(received_at), days) if received_at else None
        completed_at = moments[-1] if status in {"returned", "rejected", "refused", "withdrawn"} \
            else None
        if status == "returned" and due is not None and rng.random() < 0.9:
            completed_at = min(completed_at, dt.datetime.combine(
                due, dt.time(9), tzinfo=dt.timezone.utc))
        on_time = (local_day(completed_at) <= due) if status == "returned" and due else None
        dossiers.append({
            **bases["dossier"], "id": dossier_id, "code": code, "procedure_id": procedure_id,
            "procedure_version_id": version_id, "unit_id": unit_id, "applicant_id": applicant,
            "contact_phone": phone, "contact_email": f"dan{applicant}@motcua.test",
            "data": _form_data(rng, name, phone), "status": status, "channel": channel,
            "created_at": created_at, "updated_at": moments[-1], "submitted_at": submitted_at,
            "received_at": received_at, "due_date": due, "completed_at": completed_at,
            "on_time": on_time, "delivery_method": "office", "delivery_address": {},
            "fee": 0, "fee_items": [], "fee_paid": 0, "payment_status": "none",
            "supplement_items": [], "supplement_rounds": 1 if status == "needs_supplement" else 0,
            "remaining_days": None, "version": len(path) + 1,
        })
        prev = ""
        officer = context.officers.get(unit_id)
        for (action, before, after), moment in zip(path, moments, strict=True):
            actor = applicant if action in {"submit", "withdraw"} else officer
            note = "Bổ sung bản sao giấy tờ tùy thân." if action == "request_supplement" else None
            event = SimpleNamespace(action=action, actor_id=actor, created_at=moment,
                                    status_before=before, status_after=after, note=note,
                                    public=True, payload={}, prev_hash=prev)
            digest = event_digest(event, code)  # type: ignore[arg-type]
            events.append({**bases["event"], "id": event_id, "dossier_id": dossier_id,
                           "actor_id": actor, "created_at": moment, "action": action,
                           "status_before": before, "status_after": after, "note": note,
                           "public": True, "payload": {}, "prev_hash": prev, "hash": digest})
            prev, event_id = digest, event_id + 1
        # The history's head on the dossier, as record_event keeps it (flask audit verify).
        dossiers[-1].update(history_count=len(path), history_head=prev)
        outbox.append({**bases["outbox"], "id": outbox_id, "channel": "sms", "recipient": phone,
                       "subject": "", "body": f"Ho so {code} da duoc tiep nhan.",
                       "event": "submitted", "locale": "vi", "dossier_id": dossier_id,
                       "context": {}, "message_id": f"<{uuid.uuid4().hex}@motcua.local>",
                       "state": "sent", "attempts": 1, "next_attempt_at": submitted_at,
                       "last_error": None, "created_at": submitted_at, "sent_at": submitted_at})
        outbox_id += 1
    return dossiers, events, outbox


def _creation_times(rng: random.Random, n: int, now: dt.datetime) -> list[dt.datetime]:
    """N moments over the last two years, office hours, oldest first."""
    start = now - dt.timedelta(days=SPAN_DAYS)
    seconds = sorted(rng.random() * SPAN_DAYS * 86400 for _ in range(n))
    times = []
    for s in seconds:
        moment = start + dt.timedelta(seconds=s)
        local_hour = (moment.hour + 7) % 24
        if local_hour < 7 or local_hour >= 17:  # fold into the working day (07:00-17:00 local)
            moment = moment.replace(hour=moment.hour % 10)
        times.append(min(moment, now - dt.timedelta(hours=1)))
    return sorted(times)


def _next_id(table: Table) -> int:
    return (db.session.scalar(select(func.max(table.c.id))) or 0) + 1


def seed_dossiers(n: int, batch: int = 10_000, seed: int = 15,
                  progress: Callable[[int, int], None] | None = None) -> SeedResult:
    """Write N synthetic dossiers with their events and outbox rows; commits each batch."""
    rng = random.Random(seed)
    now = dt.datetime.now(dt.timezone.utc)
    writer = _Writer()
    context = _load_context(rng, n, writer)
    db.session.commit()
    tables = {"dossier": _table(Dossier), "event": _table(DossierEvent),
              "outbox": _table(OutboxMessage)}
    bases = {name: _defaults(table) for name, table in tables.items()}
    times = _creation_times(rng, n, now)
    result = SeedResult(citizens=len(context.citizens), units=len(context.units))
    result.first_id = next_dossier = _next_id(tables["dossier"])
    next_event, next_outbox = _next_id(tables["event"]), _next_id(tables["outbox"])
    for start in range(0, n, batch):
        writer = _Writer()
        dossiers, events, outbox = _dossier_batch(
            rng, context, times[start:start + batch], next_dossier, next_event, next_outbox,
            now, bases)
        writer.write(tables["dossier"], dossiers)
        writer.write(tables["event"], events)
        writer.write(tables["outbox"], outbox)
        db.session.commit()
        next_dossier += len(dossiers)
        next_event += len(events)
        next_outbox += len(outbox)
        result.dossiers += len(dossiers)
        result.events += len(events)
        result.outbox += len(outbox)
        if progress:
            progress(result.dossiers, n)
    result.last_id = next_dossier - 1
    _store_sequences(context.sequences)
    # The public log and the statistics, which the transitions keep, recounted once.
    counts.rebuild()
    for table in tables.values():
        _reset_sequence(table)
    db.session.commit()
    if db.session.get_bind().dialect.name == "postgresql":
        # As after any bulk load: the planner's statistics, and the visibility map without
        # which no index-only scan skips the heap (autovacuum would come, minutes later).
        summaries = (_table(PublicDossier), _table(DossierStat), _table(OpenDossierCount),
                     *(_table(model) for model in rollups.MODELS))
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in (*tables.values(), *summaries,
                          _table(current_app.appbuilder.sm.user_model)):
                conn.execute(text(f'VACUUM (ANALYZE) "{table.name}"'))
    return result


def _store_sequences(sequences: dict[tuple[str, dt.date], int]) -> None:
    """Codes issued after the seed continue each unit's numbering of the day.

    `sequences` started from the table's rows, so it replaces them all (the seed runs alone).
    """
    table = _table(DossierSequence)
    db.session.execute(table.delete())
    _Writer().write(table, [{"unit_code": u, "day": d, "last_value": v}
                            for (u, d), v in sequences.items()])


def describe(result: SeedResult) -> Iterable[str]:
    yield (f"seeded {result.dossiers} dossiers (ids {result.first_id}-{result.last_id}), "
           f"{result.events} events, {result.outbox} outbox messages, "
           f"{result.citizens} citizens, over {result.units} units")
