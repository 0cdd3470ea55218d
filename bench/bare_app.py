"""The yardstick of `make bench`: a bare Flask + Flask-SQLAlchemy app with MotCua's routes.

Each POST writes one row, each GET reads what the page would show; no framework above Flask,
no rules. Served by the same gunicorn settings and driven by the same client as MotCua, so the
ratio of the two says what MotCua's rules, security and history cost.
"""
from __future__ import annotations

import datetime as dt
import os

from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import JSON, DateTime, Integer, String, select, text
from sqlalchemy.orm import Mapped, mapped_column

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
db = SQLAlchemy(app)


class BareDossier(db.Model):
    __tablename__ = "bench_bare_dossiers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    unit: Mapped[str] = mapped_column(String(20), index=True)
    phone: Mapped[str] = mapped_column(String(20), default="")
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


with app.app_context(), db.engine.begin() as connection:
    # Both gunicorn workers import this at once: one creates the table, the other waits (two
    # concurrent CREATE TABLEs make one worker fail to boot, and the round fail with it).
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(7151)"))
    db.metadata.create_all(connection)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@app.post("/api/v1/security/login")
def login():
    return jsonify(access_token="bare")


@app.post("/api/v1/dossiers/")
def create():
    body = request.get_json()
    dossier = BareDossier(code=f"{body['unit']}-{os.urandom(6).hex()}", unit=body["unit"],
                          phone=body["contact"]["phone"], data=body["data"], created_at=_now())
    db.session.add(dossier)
    db.session.commit()
    return jsonify(code=dossier.code, status="draft"), 201


@app.post("/api/v1/dossiers/<code>/submit")
def submit(code: str):
    dossier = db.session.scalar(select(BareDossier).where(BareDossier.code == code))
    dossier.status, dossier.submitted_at = "submitted", _now()
    db.session.commit()
    return jsonify(code=code, status="submitted")


@app.get("/api/v1/dossiers/")
def listing():
    rows = db.session.scalars(select(BareDossier).order_by(BareDossier.id.desc()).limit(20))
    return jsonify(result=[{"code": d.code, "status": d.status} for d in rows])


@app.get("/api/v1/lookup")
def lookup():
    dossier = db.session.scalar(select(BareDossier).where(BareDossier.code == request.args["code"]))
    return (jsonify(code=dossier.code, status=dossier.status), 200) if dossier else ("", 404)
