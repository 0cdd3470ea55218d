"""The administrator's lists in headless Chromium (issue 10, items 1 and 23): labels, not stored
values (no `True`, `commune`, `create`, `None`, UTC times with microseconds), role names in
Vietnamese, local times; staff lists without citizens; axe-core clean on every list and page.
A delete the catalogue refuses says why on the row's page, which offers withdrawing instead."""
from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from app.core import audit
from app.core.audit import AdminAuditRecord
from app.dossiers.history import record_event
from app.extensions import db
from app.procedures.operations import get_procedure
from app.units.models import AdministrativeUnit
from tests.e2e.test_newcomers import checked, log_in, new_page
from tests.factories import create_dossier, create_user
from tests.portal.smtp import free_port

pytestmark = pytest.mark.browser

# What a stored value looks like when a list forgets to name it.
RAW_CELLS = {"True", "False", "None", "commune", "district", "province", "create", "update",
             "submitted", "[]", "[Admin]", "[Officer]", "[Citizen]"}
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")
LISTS = ["/unitmodelview/list/", "/fieldmodelview/list/", "/proceduremodelview/list/",
         "/procedureversionmodelview/list/", "/unitproceduremodelview/list/",
         "/dossiermodelview/list/", "/dossiereventmodelview/list/", "/userunitmodelview/list/",
         "/users/list/", "/admin/citizens/list/", "/roles/list/", "/adminauditmodelview/list/",
         "/admin/staff/"]


@pytest.fixture
def server(app, birth):
    with app.app_context():
        unit = db.session.scalar(select(AdministrativeUnit).where(AdministrativeUnit.code == "25279"))
        procedure = get_procedure("1.001193")
        sm = app.appbuilder.sm
        boss = create_user("boss", "Admin")
        create_user("auditor", "Auditor")
        dossier = create_dossier(sm.find_user(username="citizen"), unit, procedure)
        record_event(dossier, "note", sm.find_user(username="officer").id,
                     status_before="submitted", status_after="submitted", note="Đã xem", public=False)
        for action in ("create", "update"):
            audit.record(action, "Procedure", procedure.code, str(procedure), actor=boss)
        db.session.flush()
        for record in db.session.scalars(select(AdminAuditRecord)):
            record.created_at = dt.datetime(2026, 1, 5, 2, 30, 0, 123456, tzinfo=dt.timezone.utc)
        db.session.commit()
        ids = {"procedure": procedure.id, "dossier": dossier.id, "user": boss.id}
    port = free_port()
    httpd = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}", ids
    httpd.shutdown()


def cells(page) -> list[str]:
    return [" ".join(t.split()) for t in page.locator("main td").all_inner_texts()]


def raw_values(texts: list[str]) -> list[str]:
    return [t for t in texts if t in RAW_CELLS or ISO_TIME.search(t)]


def test_the_administrators_lists_show_labels_and_local_times(server, chromium, axe):
    base, ids = server
    page = new_page(chromium)
    page.goto(base + "/account/login")
    log_in(page, "boss")
    seen = {}
    for url in LISTS + [f"/proceduremodelview/show/{ids['procedure']}",
                        f"/dossiermodelview/show/{ids['dossier']}", f"/users/show/{ids['user']}"]:
        page.goto(base + url)
        assert page.url.endswith(url), page.url
        texts = cells(page)
        assert texts, url
        assert raw_values(texts) == [], (url, raw_values(texts))
        checked(page, axe)
        seen[url] = texts
    assert "Xã / phường" in seen["/unitmodelview/list/"]
    assert "Cấp xã" in seen["/proceduremodelview/list/"] and "Có" in seen["/proceduremodelview/list/"]
    assert "Đã nộp" in seen["/dossiermodelview/list/"]
    audit_cells = seen["/adminauditmodelview/list/"]
    assert {"Tạo mới", "Cập nhật", "Thủ tục"} <= set(audit_cells)
    assert "05/01/2026 09:30" in audit_cells  # 02:30 UTC, in Vietnam's time, no seconds
    for staff_list in ("/users/list/", "/admin/staff/"):
        assert "Quản trị viên" in seen[staff_list] and "Công chức" in seen[staff_list]
        assert "citizen" not in seen[staff_list], staff_list  # citizens have their own list
    assert "citizen" in seen["/admin/citizens/list/"] and "officer" not in seen["/admin/citizens/list/"]
    assert "Test Officer (officer)" in seen["/userunitmodelview/list/"]  # family name first
    page.context.close()


def confirm(page) -> None:
    """FAB's confirmation dialog (a Bootstrap modal): OK."""
    ok = page.locator("#modal-confirm-ok >> visible=true")
    ok.wait_for()
    with page.expect_navigation():
        ok.click()


def test_a_refused_delete_says_why_and_offers_withdrawing(server, chromium, axe):
    base, ids = server
    page = new_page(chromium)
    page.goto(base + "/account/login")
    log_in(page, "boss")
    page.goto(base + "/proceduremodelview/list/")
    page.click(f"[id='btn-delete-/proceduremodelview/delete/{ids['procedure']}']")
    confirm(page)
    assert page.url.endswith(f"/proceduremodelview/show/{ids['procedure']}")
    alert = page.inner_text(".alert-danger")
    assert "Không thể xoá thủ tục «1.001193" in alert and "1 hồ sơ đã nộp theo thủ tục" in alert
    checked(page, axe)
    button = page.locator("[id='btn-action-ProcedureModelView.action-withdraw']")
    assert button.inner_text().strip() == "Ngừng cung cấp (rút khỏi danh mục)"
    button.click()
    confirm(page)
    assert "Đã ngừng cung cấp 1 thủ tục (rút khỏi danh mục)." in page.inner_text(".alert-success")
    checked(page, axe)
    page.context.close()
