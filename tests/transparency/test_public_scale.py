"""The public pages as a national portal needs them: a unit chosen by name (not a list of every
unit), statistics summarised per province over the last 12 months with links one level down,
the API in keyset pages, the downloads streamed, and a bounded number of statements per page
whatever the number of units and dossiers."""
from __future__ import annotations

import csv
import io
import json
import re

from sqlalchemy import select

from app.dossiers.operations import perform_action
from app.extensions import db
from app.procedures.models import Procedure
from app.transparency import counts
from app.units.models import AdministrativeUnit
from tests.backoffice.conftest import at
from tests.backoffice.util import new_dossier, user
from tests.factories import OfferingFactory, UnitFactory, create_dossier
from tests.portal.test_speed import statements


def _province_code(app, world) -> str:
    with app.app_context():
        return db.session.get(AdministrativeUnit, world.province_id).code


def _file_at(world, unit_code: str, officer: str = "officer2"):
    unit = db.session.scalar(select(AdministrativeUnit).where(AdministrativeUnit.code == unit_code))
    procedure = db.session.scalar(select(Procedure).where(Procedure.code == world.procedure_code))
    dossier = create_dossier(user("citizen"), unit, procedure=procedure, status="submitted")
    perform_action(user(officer), dossier, "receive")
    db.session.commit()
    return dossier.code


def test_the_log_chooses_the_unit_by_name_province_then_commune(app, client, world):
    with app.app_context():
        here = new_dossier(world)
        perform_action(user("officer"), here, "receive")
        db.session.commit()
        here = here.code
        there = _file_at(world, world.other_unit_code)
    province = _province_code(app, world)
    page = client.get("/public/dossiers").get_data(as_text=True)
    assert "data-mcf-unit-picker" in page  # the form engine's picker, with its search (forms.js)
    assert f'<option value="{province}"' in page
    # No list of every unit: the communes are offered once their province is chosen.
    assert f'value="{world.unit_code}"' not in page and f'value="{world.other_unit_code}"' not in page
    commune = client.get("/public/dossiers", query_string={
        "unit._province": province, "unit": world.unit_code}).get_data(as_text=True)
    assert here in commune and there not in commune
    assert re.search(rf'<option value="{world.unit_code}" selected>', commune)
    assert f'<option value="{world.other_unit_code}">' in commune  # its neighbours, to change
    whole = client.get("/public/dossiers", query_string={"unit._province": province, "unit": ""})
    assert here in whole.get_data(as_text=True) and there in whole.get_data(as_text=True)
    # A commune left from another province than the one now chosen: the province alone.
    with app.app_context():
        elsewhere = UnitFactory(level="province").code
        db.session.commit()
    moved = client.get("/public/dossiers", query_string={"unit._province": elsewhere,
                                                         "unit": world.unit_code})
    assert moved.status_code == 200 and here not in moved.get_data(as_text=True)
    # Links and the API keep their plain codes.
    assert there not in client.get(f"/public/dossiers?unit={world.unit_code}").get_data(as_text=True)
    api = client.get(f"/api/v1/public/dossiers?province={province}").get_json()["result"]
    assert {r["code"] for r in api} == {here, there}


def _history(app, world, clock) -> None:
    """Received 14 months before "today" (30 Nov 2026): one; in October 2026: two, one at each
    commune."""
    with app.app_context():
        clock.set(at(2025, 9, 10, 9))
        old = new_dossier(world)
        perform_action(user("officer"), old, "receive")
        clock.set(at(2026, 10, 5, 9))
        recent = new_dossier(world)
        perform_action(user("officer"), recent, "receive")
        db.session.commit()
        _file_at(world, world.other_unit_code)
    clock.set(at(2026, 11, 30, 9))


def test_the_statistics_page_summarises_provinces_over_the_last_12_months(app, client, world, clock):
    _history(app, world, clock)
    province = _province_code(app, world)
    page = client.get("/public/stats")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'value="2025-12"' in html and 'value="2026-11"' in html  # the period, shown and changeable
    assert re.search(r"<dt>[^<]+</dt><dd>2</dd>", html)  # received in the period: not the old one
    link = re.search(rf'href="(/public/stats\?[^"]*province={province}[^"]*)"', html)
    assert link, "each province links to its units"
    units = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    to_unit = re.search(rf'href="(/public/stats\?[^"]*unit={world.unit_code}[^"]*)"', units)
    assert to_unit and f"unit={world.other_unit_code}" in units
    procedures = client.get(to_unit.group(1).replace("&amp;", "&")).get_data(as_text=True)
    to_procedure = re.search(rf'href="(/public/stats\?[^"]*procedure={re.escape(world.procedure_code)}[^"]*)"',
                             procedures)
    assert to_procedure
    months = client.get(to_procedure.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "from=2026-10&amp;to=2026-10" in months  # the procedure's months
    assert 'aria-current="page"' in months and f"/public/stats?province={province}" in months
    everything = client.get("/api/v1/public/stats", query_string={"by": "province"}).get_json()
    assert everything["total"]["received"] == 3  # the API's default: every month
    since = client.get("/public/stats?from=2025-01").get_data(as_text=True)
    assert re.search(r"<dt>[^<]+</dt><dd>3</dd>", since)


def test_the_statistics_api_pages_by_keyset_with_the_total_of_the_scope(app, client, world, clock):
    _history(app, world, clock)
    province = _province_code(app, world)
    first = client.get("/api/v1/public/stats", query_string={"province": province, "page_size": 1})
    assert first.status_code == 200
    first = first.get_json()
    assert first["count"] == 1 and first["next_cursor"] and first["by"] == "unit_procedure"
    second = client.get("/api/v1/public/stats", query_string={
        "province": province, "page_size": 1, "page": first["next_cursor"]}).get_json()
    assert second["count"] == 1 and second["next_cursor"] is None
    assert first["result"][0]["key"] < second["result"][0]["key"]
    assert first["total"] == second["total"] and first["total"]["received"] == 3
    assert client.get("/api/v1/public/stats?page=garbage").status_code == 400
    assert client.get("/api/v1/public/stats?page_size=101").status_code == 400
    by_unit = client.get("/api/v1/public/stats?by=unit&indicators=1&page_size=1").get_json()
    assert [i["key"] for i in by_unit["indicators"]] == [r["key"] for r in by_unit["result"]]


def test_the_downloads_stream_every_row(app, client, world, clock):
    _history(app, world, clock)
    answer = client.get("/public/stats.json?by=unit", buffered=False)
    chunks = [c.decode() for c in answer.response]  # written as the rows come, not all at once
    assert len(chunks) >= 4  # the head, each row, the total
    body = json.loads("".join(chunks))
    assert [r["key"] for r in body["result"]] == sorted([world.unit_code, world.other_unit_code])
    assert body["total"]["received"] == 3 and body["by"] == "unit"
    answer = client.get("/public/stats.csv")
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    assert {(r["unit_code"], r["received"]) for r in rows} == {(world.unit_code, "2"),
                                                                (world.other_unit_code, "1")}


def _statements(app, client, path: str) -> int:
    client.get(path)  # warm: the process's memo of the catalogue
    with statements(app) as sent:
        assert client.get(path).status_code == 200, path
    return len([q for q in sent if q.strip() not in ("BEGIN", "COMMIT")])


def test_the_public_pages_cost_the_same_statements_whatever_the_units_and_dossiers(app, client, world):
    with app.app_context():
        dossier = new_dossier(world)
        perform_action(user("officer"), dossier, "receive")
        db.session.commit()
    province = _province_code(app, world)
    pages = ["/public/dossiers", f"/public/dossiers?unit={world.unit_code}&status=received",
             "/public/stats", f"/public/stats?province={province}",
             f"/api/v1/public/stats?province={province}", "/api/v1/public/dossiers"]
    small = [_statements(app, client, p) for p in pages]
    with app.app_context():
        parent = db.session.get(AdministrativeUnit, world.province_id)
        procedure = db.session.scalar(select(Procedure).where(Procedure.code == world.procedure_code))
        for _ in range(30):
            unit = UnitFactory(parent=parent)
            OfferingFactory(unit=unit, procedure=procedure)
            create_dossier(user("citizen"), unit, procedure=procedure, status="submitted")
        db.session.commit()
        counts.rebuild()
        db.session.commit()
    large = [_statements(app, client, p) for p in pages]
    assert large == small, (small, large)
    log, filtered, stats, province_stats, api, log_api = large
    assert log <= 2 and filtered <= 2  # the catalogue's revision; the page
    # The revision; the page of groups with their open counts; the months (chart and total).
    assert stats <= 3 and province_stats <= 3 and api <= 3
    assert log_api <= 2


def test_a_worker_keeps_the_pickers_of_provinces_not_one_per_commune(app, client, world):
    """A commune's picker is its province's with the commune selected (docs/performance.md,
    "Worker memory"): kept, one per commune and language, they would fill every worker with
    ≈ 6,700 pages. It is what the form engine draws for the commune."""
    from app.core.settings_cache import MEMO
    from app.transparency.filters import PICKER_FIELD, _picker_form, unit_picker

    for locale in ("vi", "en"):
        with app.test_request_context(f"/public/dossiers?_l_={locale}"):
            from app.core.locale import current_locale

            shown = current_locale()
            assert shown == locale
            for code in (world.unit_code, world.other_unit_code, _province_code(app, world), ""):
                drawn = _picker_form(shown).render({PICKER_FIELD: code} if code else {}, None, shown)
                assert str(unit_picker(code)) == str(drawn)

    province = _province_code(app, world)
    for code in (world.unit_code, world.other_unit_code):
        page = client.get("/public/dossiers", query_string={"unit._province": province, "unit": code})
        assert re.search(rf'<option value="{code}" selected>', page.get_data(as_text=True))
    client.get("/public/dossiers", query_string={"province": province})
    kept = {key[1] for key in MEMO.values if key[0] == "public_unit_picker"}
    assert kept == {"", province}  # none of the communes' own
