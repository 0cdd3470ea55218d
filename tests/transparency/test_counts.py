"""The statistics are kept by the transitions themselves: after a random walk of actions (officer,
owner, system, linked dossiers, payments, ratings) the summary tables equal a recount."""
from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from app.dossiers.errors import DossierError
from app.dossiers.models import Dossier
from app.dossiers.operations import available_actions, perform_action, submit_dossier
from app.dossiers.ratings import can_rate, rate_dossier
from app.extensions import db
from app.procedures.models import Procedure
from app.transparency import counts, rollups
from app.transparency.models import PublicDossier
from app.units.models import AdministrativeUnit
from app.workdays import add_working_days
from tests.backoffice.conftest import at
from tests.backoffice.util import get, new_dossier, user
from tests.factories import OfferingFactory, ProcedureFactory


def params_for(action: str, dossier: Dossier, today: dt.date) -> dict:
    if action in ("request_supplement", "reject", "refuse", "stop", "note"):
        return {"note": f"lý do {action}"}
    if action == "apologize":
        base = max(today, dossier.due_date or today)
        return {"note": "xin lỗi", "new_due_date": add_working_days(base, 2).isoformat()}
    if action == "approve":
        return {"result_text": "Kết quả"}
    if action == "return":
        return {"method": "office"}
    if action == "request_payment":
        return {"amount": 8000}
    if action == "assign":
        return {"assignee": "colleague"}
    if action == "refund":
        return {"reference": "HT-1"}
    return {}


def test_maintained_counts_equal_a_recount_after_a_random_walk(app, world, clock):
    rng = random.Random(20261201)
    moment = at(2026, 10, 1, 9)
    clock.set(moment)
    with app.app_context():
        unit = db.session.scalar(select(AdministrativeUnit).where(AdministrativeUnit.code == world.unit_code))
        child = db.session.scalar(select(Procedure).where(Procedure.code == world.procedure_code))
        parent = ProcedureFactory(name="Liên thông thử", processing_days=5,
                                  linked_procedures=[child.code, ProcedureFactory().code])
        OfferingFactory(unit=unit, procedure=parent)
        codes = [new_dossier(world).code for _ in range(6)]
        linked = new_dossier(world)
        linked.procedure_id, linked.procedure_version_id = parent.id, parent.current_version.id
        db.session.commit()
        codes.append(linked.code)
        officer, citizen = user("officer"), user("citizen")
        perform_action(officer, get(linked.code), "receive")  # opens and receives its children
        db.session.commit()
        assert len(get(linked.code).children) == 2
        taken = 0
        for _step in range(160):
            moment += dt.timedelta(hours=rng.choice([1, 5, 20, 30, 50]))
            clock.set(moment)
            today = moment.date()
            every = list(db.session.scalars(select(Dossier).order_by(Dossier.id)))
            dossier = rng.choice(every)
            choices = [("officer", t.action) for t in available_actions(officer, dossier)]
            choices += [("owner", t.action) for t in available_actions(citizen, dossier)]
            if dossier.status == "awaiting_payment":
                choices.append(("system", "pay"))
            if can_rate(citizen, dossier):
                choices.append(("owner", "rate"))
            if not choices:
                continue
            who, action = rng.choice(choices)
            try:
                if action == "rate":
                    rate_dossier(citizen, dossier, rng.randint(1, 5))
                elif who == "system":
                    perform_action(None, dossier, "pay", payment_id=f"P{taken}")
                elif who == "owner" and action == "submit":
                    submit_dossier(citizen, dossier)
                else:
                    actor = officer if who == "officer" else citizen
                    perform_action(actor, dossier, action, **params_for(action, dossier, today))
                db.session.commit()
                taken += 1
            except DossierError:
                db.session.rollback()
        assert taken > 80
        statuses = set(db.session.scalars(select(Dossier.status)))
        assert {"returned", "processing"} & statuses and len(statuses) >= 3
        every = list(db.session.scalars(select(Dossier)))
        maintained = counts.stored()
        assert maintained, "the transitions counted nothing"
        assert maintained == counts.expected(every)
        assert rollups.mismatches() == []  # the database's rollups followed every upsert
        # A child of the linked dossier is counted although only the system received it.
        assert any(d.parent_id for d in every)
        assert db.session.scalar(select(PublicDossier).where(PublicDossier.dossier_id == next(
            d.id for d in every if d.parent_id))) is not None
        rows_before = {r.code: (r.status, r.due_date, r.completed_at) for r in
                       db.session.scalars(select(PublicDossier))}
        counts.rebuild()
        db.session.commit()
        assert counts.stored() == maintained
        assert rollups.mismatches() == []
        assert {r.code: (r.status, r.due_date, r.completed_at) for r in
                db.session.scalars(select(PublicDossier))} == rows_before


def test_a_changed_count_is_found_by_the_recount(app, world, clock):
    """The comparison above is not vacuous: a count changed by hand no longer equals a recount."""
    clock.set(at(2026, 10, 1, 9))
    with app.app_context():
        dossier = new_dossier(world)
        perform_action(user("officer"), dossier, "receive")
        db.session.commit()
        from app.transparency.models import DossierStat

        row = db.session.scalar(select(DossierStat).where(DossierStat.month == dt.date(2026, 10, 1)))
        assert row.received == 1
        row.received = 2
        db.session.commit()
        assert counts.stored() != counts.expected(list(db.session.scalars(select(Dossier))))
        assert get(dossier.code).status == "received"


def test_the_rollups_follow_the_summary_and_a_changed_rollup_is_found(app, world, clock):
    """The rollups per unit and per province are the database's sums of the summary rows; the
    migration installs the same triggers as a new database gets."""
    import importlib.util
    from pathlib import Path

    clock.set(at(2026, 10, 1, 9))
    with app.app_context():
        for _ in range(2):
            perform_action(user("officer"), new_dossier(world), "receive")
        db.session.commit()
        assert rollups.mismatches() == []
        from app.transparency.models import ProvinceMonthStat

        row = db.session.scalar(select(ProvinceMonthStat).where(ProvinceMonthStat.month == dt.date(2026, 10, 1)))
        assert row.received == 2
        row.received = 3
        db.session.commit()
        assert rollups.mismatches()
    path = Path(__file__).parents[2] / "migrations" / "versions" / "0017_public_scale.py"
    spec = importlib.util.spec_from_file_location("migration_0017", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    for dialect in ("postgresql", "sqlite"):
        assert migration._triggers(dialect) == rollups.ddl(dialect)
