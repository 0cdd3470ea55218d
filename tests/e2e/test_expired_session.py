"""A session that expires mid-form loses nothing: after logging in again, what was typed is back."""
from __future__ import annotations

from playwright.sync_api import expect

from app.dossiers import operations as ops
from app.extensions import db
from tests.e2e.test_birth_registration import browser, pytestmark, server  # noqa: F401 (fixtures, skip marks)
from tests.factories import PASSWORD


def test_typing_survives_an_expired_session(app, server, browser, birth):  # noqa: F811
    with app.app_context():
        citizen = app.appbuilder.sm.find_user(username="citizen")
        dossier, _ = ops.create_dossier(citizen, ops.NewDossier(
            birth["procedure"], birth["unit"], phone="0912345678", email="c@example.test"))
        code = dossier.code
        db.session.commit()
        db.session.remove()
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15000)
    declaration = f"{server}/my/dossiers/{code}/declaration"
    page.goto(declaration)
    page.fill("#login", "citizen")
    page.fill("#password", PASSWORD)
    page.click("form[action$='/account/login'] button[type=submit]")
    page.wait_for_selector("#declaration-form")

    page.fill("[name='child.full_name']", "Nguyễn Thị Bé")
    page.fill("[name='child.place_of_birth']", "Trạm y tế xã Lộc Tấn")
    context.clear_cookies()  # the session expires while the citizen is typing
    page.click("#declaration-form button[name=_next]")

    page.wait_for_selector("#login")  # sent to log in again
    page.fill("#login", "citizen")
    page.fill("#password", PASSWORD)
    page.click("form[action$='/account/login'] button[type=submit]")
    page.wait_for_selector("#declaration-form")
    assert page.url.startswith(declaration)
    # autosave.js puts the copy back once the page has loaded: wait for it, not for the markup
    expect(page.locator("[name='child.full_name']")).to_have_value("Nguyễn Thị Bé")
    assert page.input_value("[name='child.place_of_birth']") == "Trạm y tế xã Lộc Tấn"

    # Once the server has saved the step, a later visit shows the saved data, not a stale copy.
    page.click("#declaration-form button[name=_save]")
    with app.app_context():
        saved = db.session.scalar(db.select(ops.Dossier).where(ops.Dossier.code == code))
        assert saved.data["child"]["full_name"] == "Nguyễn Thị Bé"
    context.close()
