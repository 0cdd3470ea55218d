"""Two officers on one dossier through the back-office form: the version it showed decides."""
from __future__ import annotations

import threading

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from app.dossiers.models import DossierEvent
from app.extensions import db
from tests.backoffice.conftest import world  # noqa: F401 - the back office's fixture, reused
from tests.backoffice.util import get, new_dossier
from tests.helpers import web_login


def action_forms(client, code: str) -> dict[str, dict[str, str]]:
    """Each action panel of the dossier page: its hidden fields, as the officer's browser has them."""
    page = BeautifulSoup(client.get(f"/backoffice/dossiers/{code}").get_data(as_text=True), "html.parser")
    forms = {}
    for form in page.find_all("form", action=f"/backoffice/dossiers/{code}/actions"):
        hidden = {i["name"]: i.get("value", "") for i in form.find_all("input", type="hidden")}
        forms[hidden["action"]] = hidden
    return forms


def history(app, code: str) -> list[str]:
    with app.app_context():
        dossier = get(code)
        actions = list(db.session.scalars(select(DossierEvent.action).where(
            DossierEvent.dossier_id == dossier.id).order_by(DossierEvent.id)))
        db.session.remove()
        return actions


def officer_client(app, name: str):
    client = app.test_client()
    web_login(client, name)
    return client


def test_every_action_panel_sends_the_version_it_was_drawn_from(app, world):  # noqa: F811
    with app.app_context():
        code = new_dossier(world).code
        version = get(code).version
    forms = action_forms(officer_client(app, "officer"), code)
    assert {"receive", "reject", "request_supplement"} <= set(forms)
    assert {f["version"] for f in forms.values()} == {str(version)}


def test_a_form_without_the_version_it_showed_changes_nothing(app, world):  # noqa: F811
    with app.app_context():
        code = new_dossier(world).code
    client = officer_client(app, "officer")
    response = client.post(f"/backoffice/dossiers/{code}/actions", data={"action": "receive"},
                           follow_redirects=True)
    assert "người khác" in response.get_data(as_text=True)  # "reload it and try again"
    assert history(app, code) == ["create"]


def test_the_second_of_two_officers_sees_the_conflict_and_the_new_state(app, world):  # noqa: F811
    with app.app_context():
        code = new_dossier(world).code
    first, second = officer_client(app, "officer"), officer_client(app, "colleague")
    seen_first, seen_second = action_forms(first, code), action_forms(second, code)
    assert first.post(f"/backoffice/dossiers/{code}/actions", data=seen_first["receive"]).status_code == 302
    late = second.post(f"/backoffice/dossiers/{code}/actions",
                       data={**seen_second["reject"], "note": "Thiếu giấy tờ"}, follow_redirects=True)
    body = late.get_data(as_text=True)
    assert "người khác" in body and "Đã tiếp nhận" in body
    assert history(app, code) == ["create", "receive"]


@pytest.mark.postgres
def test_two_officers_posting_at_the_same_moment_never_both_win(app, world, is_postgres):  # noqa: F811
    if not is_postgres:
        pytest.skip("concurrent transactions need PostgreSQL")
    clients = {"officer": officer_client(app, "officer"), "colleague": officer_client(app, "colleague")}
    for _ in range(10):
        with app.app_context():
            code = new_dossier(world).code
            db.session.remove()
        shown = {name: action_forms(c, code) for name, c in clients.items()}
        posts = {"officer": shown["officer"]["receive"],
                 "colleague": {**shown["colleague"]["reject"], "note": "Sai mẫu tờ khai"}}
        ready = threading.Barrier(2)
        answers: dict[str, int] = {}

        def post(name: str, code=code, posts=posts, ready=ready, answers=answers) -> None:
            ready.wait(timeout=10)
            answers[name] = clients[name].post(f"/backoffice/dossiers/{code}/actions",
                                               data=posts[name]).status_code

        threads = [threading.Thread(target=post, args=(name,)) for name in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        actions = history(app, code)
        assert len(actions) == 2 and actions[1] in ("receive", "reject"), actions  # one winner only
        assert set(answers.values()) <= {302}
