"""Small helpers for tests: logging in through the API and the web forms."""
from __future__ import annotations

from tests.factories import PASSWORD


def api_token(client, username: str, password: str = PASSWORD) -> str:
    response = client.post("/api/v1/security/login",
                           json={"username": username, "password": password, "provider": "db"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["access_token"]


def auth(client, username: str, password: str = PASSWORD) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(client, username, password)}"}


def web_login(client, username: str, password: str = PASSWORD) -> None:
    response = client.post("/login/", data={"username": username, "password": password})
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]


def officer_post(client, code: str, data: dict, **kwargs):
    """Post a back-office action form as the page does: with the version it was drawn from."""
    from sqlalchemy import select

    from app.dossiers.models import Dossier
    from app.extensions import db

    with client.application.app_context():
        version = db.session.scalar(select(Dossier.version).where(Dossier.code == code))
    return client.post(f"/backoffice/dossiers/{code}/actions",
                       data={"version": str(version), **data}, **kwargs)


def logout(client) -> None:
    """Log out as the pages do: a POST (a GET never logs anyone out)."""
    response = client.post("/account/logout")
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:300]


def result_pdf(text: str = "GIAY XAC NHAN TINH TRANG HON NHAN") -> bytes:
    """A plain one-page PDF standing for the signed result document an officer attaches."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=16)
    pdf.cell(0, 10, text)
    return bytes(pdf.output())
