"""Vietnamese alphabetical order, the same on SQLite and PostgreSQL (issue 10, item 17)."""
from __future__ import annotations

import random

from app.core.collation import vietnamese_key
from app.extensions import db
from app.units.operations import search_units
from tests.factories import OfferingFactory, ProcedureFactory, ProvinceFactory, UnitFactory

# The order of ICU's Vietnamese collation (PostgreSQL "vi-VN-x-icu"), written out by hand.
ORDER = ["An", "An Phú", "Anh", "Ăn Uống", "Ân Nghĩa", "Ba", "Ba Na", "Bà Rịa", "Dầu Tiếng",
         "Đức Lập", "Loc", "Lòc", "Lỏc", "Lõc", "Lóc", "Lọc", "Long An", "Lộc", "Lộc Tấn",
         "Ô Môn", "Ông Đình", "Ơn Thành", "Tam Đa", "Ủy ban", "Ư"]


def test_the_key_orders_like_vietnamese_readers_expect():
    shuffled = ORDER[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=vietnamese_key)[:-2] == ORDER[:-2]
    assert vietnamese_key("u") < vietnamese_key("ủ") < vietnamese_key("ư")  # ư is its own letter


def test_communes_are_listed_by_their_proper_name_in_vietnamese_order(app):
    with app.app_context():
        province = ProvinceFactory()
        for name, kind in (("Xã Đức Lập", "xã"), ("Phường Ô Môn", "phường"), ("Xã Dầu Tiếng", "xã"),
                           ("Xã An Phú", "xã"), ("Phường Ân Nghĩa", "phường")):
            UnitFactory(name=name, division_type=kind, parent=province)
        db.session.commit()
        names = [u.name for u in search_units(parent=province.code)]
    assert names == ["Xã An Phú", "Phường Ân Nghĩa", "Xã Dầu Tiếng", "Xã Đức Lập", "Phường Ô Môn"]


def test_the_catalogue_lists_procedures_alphabetically(app, client):
    with app.app_context():
        unit = UnitFactory(parent=ProvinceFactory())
        for name in ("Đăng ký khai tử", "Cấp bản sao trích lục", "Đăng ký kết hôn", "Chứng thực bản sao"):
            OfferingFactory(unit=unit, procedure=ProcedureFactory(name=name))
        code = unit.code
    page = client.get(f"/procedures?unit={code}").get_data(as_text=True)
    positions = [page.index(n) for n in ("Cấp bản sao trích lục", "Chứng thực bản sao",
                                          "Đăng ký kết hôn", "Đăng ký khai tử")]
    assert positions == sorted(positions)
    assert 'value="district"' not in page  # no district data: no obsolete filter
