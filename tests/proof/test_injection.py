"""Injection and XSS: a payload in every text field of every shipped form, in the admin-written
names and in file names comes back inert on the citizen's, the officer's and the public pages;
in the official papers (PDF) and the mails, payloads aimed at those formats stay text."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.dossiers.models import Attachment
from app.extensions import db
from app.procedures.definitions import load_file
from app.procedures.operations import import_definition
from app.units.models import AdministrativeUnit
from tests.factories import ProvinceFactory, UnitFactory, create_dossier, create_user
from tests.helpers import web_login
from tests.portal.conftest import birth  # noqa: F401 - the commune offering birth registration

ROOT = Path(__file__).resolve().parents[2]
FORMS = sorted((ROOT / "forms_schema").glob("*.json"))
PAYLOAD = "\"'><script>alert('xss')</script><img src=x onerror=alert(1)>{{7*7}}"
RAW = ("<script>alert('xss')</script>", "<img src=x onerror", "onerror=alert(1)>")


def _resolve(node: dict, root: dict) -> dict:
    while isinstance(node, dict) and "$ref" in node and node["$ref"].startswith("#/"):
        target = root
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def filled(node: dict, root: dict):
    """An instance shaped like the schema with the payload in every free-text string."""
    node = _resolve(node, root)
    kind = node.get("type")
    if "const" in node:
        return node["const"]
    if "enum" in node:
        return node["enum"][0]
    if kind == "object" or "properties" in node:
        return {key: filled(child, root) for key, child in node.get("properties", {}).items()}
    if kind == "array":
        return [filled(node.get("items", {}), root)]
    if kind == "boolean":
        return True
    if kind in ("integer", "number"):
        return node.get("minimum", 1)
    if kind == "string":
        return "2020-01-02" if node.get("format") == "date" else PAYLOAD
    return PAYLOAD


def _inert(html: str, where: str) -> None:
    for raw in RAW:
        assert raw not in html, f"{where}: {raw!r} reached the page unescaped"
    assert ">49<" not in html and "49</" not in html, f"{where}: a template expression was evaluated"


@pytest.fixture
def commune(app):
    with app.app_context():
        province = ProvinceFactory(code="75", name="Tỉnh Đồng Nai", search_name="tinh dong nai")
        UnitFactory(code="25279", name="Xã Lộc Tấn", search_name="xa loc tan", parent=province)
        create_user("citizen", "Citizen")
        unit = db.session.scalar(select(AdministrativeUnit).where(AdministrativeUnit.code == "25279"))
        create_user("officer", "Officer", units=[unit])
        db.session.commit()
    return "25279"


@pytest.mark.parametrize("path", FORMS, ids=[p.name.split("-")[0] for p in FORMS])
def test_payloads_in_every_field_of_a_shipped_form_are_shown_as_text(app, client, commune, path):
    with app.app_context():
        definition = load_file(path)
        definition["name"] = definition["name"] + " " + PAYLOAD
        procedure = import_definition(definition, [commune]).procedure
        unit = db.session.scalar(select(AdministrativeUnit).where(AdministrativeUnit.code == commune))
        citizen = app.appbuilder.sm.find_user(username="citizen")
        dossier = create_dossier(citizen, unit, procedure,
                                 data=filled(definition["schema"], definition["schema"]), commit=False)
        db.session.add(Attachment(dossier=dossier, document_key="x", filename=PAYLOAD + ".pdf",
                                  content_type="application/pdf", size=1, sha256="0" * 64,
                                  storage_key="none"))
        db.session.commit()
        code, procedure_code = dossier.code, procedure.code
    web_login(client, "citizen")
    for url in (f"/my/dossiers/{code}", "/my/dossiers", f"/procedures/{procedure_code}", "/procedures?unit=25279", "/?unit=25279"):
        response = client.get(url)
        assert response.status_code == 200, url
        _inert(response.get_data(as_text=True), url)
    page = client.get(f"/my/dossiers/{code}").get_data(as_text=True)
    assert "&lt;script&gt;alert(" in page  # shown, as text
    client.post("/account/logout")
    web_login(client, "officer")
    for url in (f"/backoffice/dossiers/{code}", "/backoffice/"):
        response = client.get(url)
        assert response.status_code == 200, url
        _inert(response.get_data(as_text=True), url)
    assert "&lt;script&gt;alert(" in client.get(f"/backoffice/dossiers/{code}").get_data(as_text=True)
    lookup = client.get(f"/lookup?code={code}&phone4=5678").get_data(as_text=True)
    _inert(lookup, "lookup")


# In a PDF a payload tries to close the text string and open an action; in a mail, to add a
# header with a line break.
PDF_PAYLOAD = PAYLOAD + ") Tj ET /OpenAction << /S /JavaScript /JS (app.alert(1)) >> BT ("
HEADER_PAYLOAD = "Đăng ký\r\nBcc: victim@example.test\r\nX-Injected: yes"


def test_payloads_in_papers_and_mails_stay_inert(app, client, birth):  # noqa: F811
    import io

    from pypdf import PdfReader

    from app.notifications.delivery import deliver_pending
    from app.procedures.models import Procedure
    from app.storage.content import PDF, unsafe_content
    from tests.helpers import auth
    from tests.portal.smtp import smtp_server
    from tests.portal.test_outbox import submitted_dossier

    with app.app_context():
        procedure = db.session.scalar(select(Procedure).where(Procedure.code == birth["procedure"]))
        procedure.name = f"{HEADER_PAYLOAD} {PDF_PAYLOAD}"
        citizen = app.appbuilder.sm.find_user(username="citizen")
        # a name holds 64 characters: the action alone
        citizen.first_name, citizen.last_name = PDF_PAYLOAD[PDF_PAYLOAD.index(")"):][:64], HEADER_PAYLOAD
        db.session.commit()
    code = submitted_dossier(client, birth)
    officer = auth(client, "officer")
    rejected = client.post(f"/api/v1/dossiers/{code}/actions", headers=officer,
                           json={"action": "reject", "note": PDF_PAYLOAD + "\r\n" + HEADER_PAYLOAD})
    assert rejected.status_code == 200, rejected.get_json()

    paper = client.get(f"/documents/{code}/refusal.pdf", headers=officer)
    if paper.status_code != 200:  # the officer's papers are read in the back office's session
        web_login(client, "officer")
        paper = client.get(f"/documents/{code}/refusal.pdf")
    assert paper.status_code == 200 and paper.mimetype == "application/pdf"
    assert not unsafe_content(paper.data, PDF), "a payload opened an action in the PDF"
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(paper.data)).pages).split())
    assert "<script>alert('xss')</script>" in text  # printed as text
    assert "/OpenAction" in text  # the would-be PDF operators are letters on the page

    with smtp_server(app) as inbox, app.app_context():
        stats = deliver_pending()
    assert stats.failed == 0 and inbox.messages, stats
    for message in inbox.messages:
        assert message["Bcc"] is None and message["X-Injected"] is None, message.keys()
        assert message.get_all("To") == ["an@example.com"]
        assert message.get_content_type() == "text/plain"  # no HTML part to carry a script
    carried = " ".join(f"{m['Subject']} {m.get_content()}" for m in inbox.messages)
    assert "victim@example.test" in carried  # the payload did reach the mail, as text
