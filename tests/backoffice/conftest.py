"""Fixtures of the back-office tests: a unit in a province, its officers, a citizen, a clock."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from app.dossiers import effects
from app.extensions import db
from tests.factories import OfferingFactory, ProcedureFactory, ProvinceFactory, UnitFactory, create_user

ICT = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    """A moment in Vietnam's local time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=ICT)


@dataclass
class World:
    unit_code: str
    other_unit_code: str
    procedure_code: str
    province_id: int


def make_world() -> World:
    """Province → commune (+ another commune), a 3-day procedure offered at both, and users."""
    province = ProvinceFactory(name="Tỉnh Đồng Nai")
    unit = UnitFactory(name="Xã Lộc Tấn", parent=province)
    other = UnitFactory(name="Xã Tam Đa", parent=province)
    procedure = ProcedureFactory(name="Đăng ký khai sinh", processing_days=3, fee=0,
                                 result="Giấy khai sinh")
    OfferingFactory(unit=unit, procedure=procedure)
    OfferingFactory(unit=other, procedure=procedure)
    create_user("officer", "Officer", units=[unit])
    create_user("colleague", "Officer", units=[unit])
    create_user("officer2", "Officer", units=[other])
    create_user("citizen", "Citizen")
    create_user("citizen2", "Citizen")
    create_user("auditor", "Auditor")
    create_user("admin", "Admin")
    return World(unit.code, other.code, procedure.code, province.id)


@pytest.fixture
def world(app) -> World:
    with app.app_context():
        result = make_world()
        db.session.remove()
    return result


class Clock:
    """Sets the time the lifecycle effects see."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch

    def set(self, moment: dt.datetime) -> None:
        utc = moment.astimezone(dt.timezone.utc)
        self.monkeypatch.setattr(effects, "utcnow", lambda: utc)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)
