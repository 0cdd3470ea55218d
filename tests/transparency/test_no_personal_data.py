"""No personal data ever leaves on a public page or API: distinctive values are seeded in every
field of every shipped form, the contact, the address, the applicant's name, file names and
officer notes, and every public page and answer is scanned for them."""
from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

from sqlalchemy import select

from app.dossiers.models import Attachment, Dossier
from app.dossiers.operations import perform_action
from app.extensions import db
from app.procedures.models import Procedure
from app.transparency.digests import publish
from app.units.models import AdministrativeUnit
from tests.backoffice.util import user
from tests.factories import create_dossier
from tests.helpers import result_pdf

FORMS = Path(__file__).resolve().parents[2] / "forms_schema"
TOKEN = re.compile(r"Pii\d{4}Zq")
SECRETS = ["Quxinhvo", "Belzar", "0987123456", "pii.leak@example.test", "079123456789",
           "Phố Zelqirt", "secret-Zattach", "NoteZsecret"]
_n = itertools.count(1)


def token() -> str:
    return f"Pii{next(_n):04d}Zq"


def fill(schema: dict, defs: dict) -> object:
    """A value for every property the schema (and its branches) can hold: strings carry a token."""
    if "$ref" in schema:
        name = schema["$ref"].split("/")[-1]
        return fill(defs.get(name, {}), defs)
    kind = schema.get("type")
    props: dict = {}
    for branch in [schema, *schema.get("allOf", []), *schema.get("anyOf", []),
                   *schema.get("oneOf", []), schema.get("then", {}), schema.get("else", {})]:
        props.update(branch.get("properties", {}) if isinstance(branch, dict) else {})
    if props or kind == "object":
        return {key: fill(sub, defs) for key, sub in props.items() if isinstance(sub, dict)}
    if kind == "array":
        items = schema.get("items", {})
        return [fill(items if isinstance(items, dict) else {}, defs)]
    if kind in ("integer", "number"):
        return 424242
    if kind == "boolean":
        return True
    return token()


def seed_personal_dossiers(app) -> list[str]:
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    codes = []
    with app.app_context():
        citizen, officer = user("citizen"), user("officer")
        citizen.first_name, citizen.last_name = "Quxinhvo Belzar", "Trần"
        unit = db.session.scalar(select(AdministrativeUnit).where(AdministrativeUnit.name == "Xã Lộc Tấn"))
        paths = sorted(FORMS.glob("*.json"))
        assert len(paths) >= 10
        for i, path in enumerate(paths):
            definition = json.loads(path.read_text(encoding="utf-8"))
            procedure = db.session.scalar(select(Procedure).where(Procedure.code == definition["code"]))
            schema = procedure.current_version.schema
            data = fill(schema, schema.get("$defs", {}))
            data.update({"so_dinh_danh_extra": "079123456789", "noi_o": "Phố Zelqirt"})
            dossier = create_dossier(citizen, unit, procedure=procedure, data=data)
            dossier.contact_phone, dossier.contact_email = "0987123456", "pii.leak@example.test"
            dossier.delivery_address = {"street": "Phố Zelqirt " + token(), "ward": token()}
            db.session.add(Attachment(dossier_id=dossier.id, document_key="doc",
                                      filename=f"secret-Zattach-{token()}.pdf",
                                      content_type="application/pdf", size=10, sha256="0" * 64,
                                      storage_key=f"pii/{dossier.id}"))
            db.session.commit()
            perform_action(officer, dossier, "receive", note=f"NoteZsecret {token()}")
            if i % 3 and not dossier.children:
                perform_action(officer, dossier, "process")
                if i % 3 == 2:
                    perform_action(officer, dossier, "approve", result_text=f"kq {token()}",
                                   result_file=result_pdf(), result_filename=f"kq-{token()}.pdf")
                    perform_action(officer, dossier, "return", method="office")
                    rating = __import__("app.dossiers.ratings", fromlist=["rate_dossier"])
                    rating.rate_dossier(citizen, dossier, 5, comment=f"NoteZsecret {token()}")
            elif not dossier.children:
                perform_action(officer, dossier, "request_supplement", note=f"NoteZsecret {token()}",
                               items=[token()])
            db.session.commit()
            codes.append(dossier.code)
        publish()
        db.session.commit()
    return codes


def public_urls(client, codes: list[str]) -> list[str]:
    urls = ["/", "/public/dossiers", "/public/stats", "/public/digests", "/public/stats.csv",
            "/public/stats.json", "/api/v1/public/dossiers", "/api/v1/public/stats",
            "/api/v1/public/stats?indicators=1&by=unit", "/api/v1/public/digests",
            "/public/dossiers?page_size=3", "/api/v1/public/dossiers?page_size=2"]
    for by in ("unit", "province", "procedure", "month"):
        urls += [f"/public/stats?by={by}", f"/public/stats.csv?by={by}", f"/api/v1/public/stats?by={by}"]
    for status in ("received", "processing", "needs_supplement", "returned"):
        urls += [f"/public/dossiers?status={status}", f"/api/v1/public/dossiers?status={status}"]
    urls += [f"/api/v1/lookup?code={code}&phone4=3456" for code in codes[:3]]
    # Follow the keyset pages of the API to the end: every dossier is listed once.
    cursor, seen = None, []
    while True:
        answer = client.get("/api/v1/public/dossiers", query_string={"page_size": 5, "page": cursor or ""})
        assert answer.status_code == 200
        seen += [r["code"] for r in answer.get_json()["result"]]
        cursor = answer.get_json()["next_cursor"]
        urls.append(answer.request.full_path)
        if not cursor:
            break
    assert set(codes) <= set(seen) and len(seen) == len(set(seen))
    return urls


def test_no_public_page_or_answer_holds_personal_data(app, client):
    codes = seed_personal_dossiers(app)
    with app.app_context():  # the seeded values are really stored where a leak would take them
        stored = json.dumps([(d.data, d.contact_phone) for d in db.session.scalars(select(Dossier))],
                            ensure_ascii=False)
        assert TOKEN.search(stored) and "0987123456" in stored
    scanned = 0
    for url in public_urls(client, codes):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        assert not TOKEN.search(body), (url, TOKEN.search(body).group(0))
        for secret in SECRETS:
            assert secret not in body, (url, secret)
        scanned += 1
    assert scanned > 30
    page = client.get("/public/dossiers").get_data(as_text=True)
    assert "Trần Q. B." in page  # the applicant, masked
    assert codes[0] in page or codes[-1] in page
