"""The public log and statistics as a visitor sees them: figures, filters, keyset pages, the
766 indicators, downloads, charts; no login."""
from __future__ import annotations

import csv
import io

from sqlalchemy import select

from app.dossiers.operations import perform_action
from app.dossiers.ratings import rate_dossier
from app.extensions import db
from app.security.names import masked_name
from tests.backoffice.conftest import at
from tests.backoffice.util import get, new_dossier, user


def scenario(app, world, clock) -> dict[str, str]:
    """Received in October 2026: one returned on time (rated 4), one late (apologised), one
    overdue now, one filed at the counter still within its deadline, one paid online."""
    with app.app_context():
        officer = user("officer")
        clock.set(at(2026, 10, 5, 9))
        on_time, late, overdue = (new_dossier(world) for _ in range(3))
        for d in (on_time, late, overdue):
            perform_action(officer, d, "receive")
            perform_action(officer, d, "process")
        perform_action(officer, late, "apologize", note="quá tải", new_due_date="2026-10-20")
        perform_action(officer, late, "request_payment", amount=8000)
        perform_action(None, late, "pay", payment_id="PAY-1")  # the gateway's IPN: online
        for d in (on_time, late):
            perform_action(officer, d, "approve", result_text="KQ")
        clock.set(at(2026, 10, 6, 10))
        perform_action(officer, on_time, "return", method="office")
        clock.set(at(2026, 10, 21, 10))
        perform_action(officer, late, "return", method="office")
        rate_dossier(user("citizen"), get(on_time.code, expire=False), 4)
        clock.set(at(2026, 11, 30, 9))
        counter = new_dossier(world, channel="counter")
        perform_action(officer, counter, "receive")
        db.session.commit()
        return {"on_time": on_time.code, "late": late.code, "overdue": overdue.code,
                "counter": counter.code}


def test_the_statistics_count_what_happened(app, client, world, clock):
    codes = scenario(app, world, clock)
    answer = client.get("/api/v1/public/stats", query_string={"by": "unit"})
    assert answer.status_code == 200
    total = answer.get_json()["total"]
    assert (total["received"], total["completed"], total["on_time"], total["late"]) == (4, 2, 1, 1)
    assert total["overdue_now"] == 1 and total["open_now"] == 2
    assert total["online_share"] == 0.75 and total["paid_online_share"] == 1.0
    assert total["satisfaction"] == 4.0 and total["ratings"] == 1
    assert total["average_processing_days"] == 6.5  # 1 working day (5 → 6 Oct) and 12 (→ 21 Oct)
    october = client.get("/api/v1/public/stats", query_string={"by": "month", "from": "2026-10",
                                                              "to": "2026-10"}).get_json()
    assert [r["key"] for r in october["result"]] == ["2026-10"]
    assert october["total"]["received"] == 3  # by month received
    assert october["total"]["overdue_now"] == 0  # open dossiers count by month filed (December)
    pairs = client.get("/api/v1/public/stats").get_json()["result"]
    assert pairs[0]["unit"]["code"] == world.unit_code and pairs[0]["procedure"]["code"] == world.procedure_code
    assert client.get("/api/v1/public/stats?unit=nope").status_code == 422
    page = client.get("/public/stats").get_data(as_text=True)
    assert "<svg" in page and 'role="img"' in page and "<title" in page and "766" in page
    assert "cdn" not in page.lower() and "<script" not in page
    for by in ("province", "procedure", "month"):
        assert client.get(f"/public/stats?by={by}").status_code == 200
    index = client.get("/api/v1/public/stats?indicators=1&by=unit").get_json()["indicators"]
    assert index[0]["progress"]["share"] == 0.5 and index[0]["progress"]["points"] == 10.0
    assert index[0]["online"]["share"] == 0.75 and index[0]["payment"]["max"] == 10
    assert "indicators" not in client.get("/api/v1/public/stats?indicators=0").get_json()
    assert client.get("/api/v1/public/stats?by=&month=").get_json()["by"] == "unit_procedure"
    rows = list(csv.DictReader(io.StringIO(client.get("/public/stats.csv?by=unit")
                                           .get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0]["received"] == "4" and rows[0]["overdue_now"] == "1"
    assert client.get("/public/stats.json?by=month").get_json()["total"]["completed"] == 2
    assert codes


def test_the_public_log_shows_progress_filters_and_pages_by_keyset(app, client, world, clock):
    codes = scenario(app, world, clock)
    result = client.get("/api/v1/public/dossiers").get_json()["result"]
    by_code = {r["code"]: r for r in result}
    assert by_code[codes["on_time"]]["timeliness"] == "on_time"
    assert by_code[codes["late"]]["timeliness"] == "late"
    assert by_code[codes["overdue"]]["timeliness"] == "overdue"
    assert by_code[codes["counter"]]["channel"] == "counter"
    assert by_code[codes["counter"]]["timeliness"] == "in_time"
    assert by_code[codes["late"]]["national_status"] == "done"
    assert set(by_code[codes["late"]]) >= {"procedure", "unit", "received_at", "due_date",
                                           "completed_at", "status", "applicant"}
    assert by_code[codes["late"]]["applicant"] == "Test C."  # "Test Citizen" masked
    returned = client.get("/api/v1/public/dossiers?status=returned").get_json()["result"]
    assert {r["code"] for r in returned} == {codes["on_time"], codes["late"]}
    november = client.get("/api/v1/public/dossiers?month=2026-12").get_json()["result"]
    assert len(november) == 4  # filed (submitted) in December: the factory stamps today
    assert client.get(f"/api/v1/public/dossiers?province={world.unit_code}").status_code == 422
    first = client.get("/api/v1/public/dossiers?page_size=3").get_json()
    second = client.get("/api/v1/public/dossiers", query_string={
        "page_size": 3, "page": first["next_cursor"]}).get_json()
    assert len(first["result"]) == 3 and len(second["result"]) == 1 and second["next_cursor"] is None
    assert not {r["code"] for r in first["result"]} & {r["code"] for r in second["result"]}
    assert client.get("/api/v1/public/dossiers?page=garbage").status_code == 400
    html = client.get("/public/dossiers?page_size=3").get_data(as_text=True)
    assert codes["counter"] in html and 'data-label="' in html and 'rel="next"' in html
    assert client.get("/public/dossiers?month=2026-13").status_code == 422


def test_drafts_never_appear(app, client, world):
    with app.app_context():
        draft = new_dossier(world, status="draft").code
        perform_action(user("citizen"), get(draft), "withdraw")
        db.session.commit()
    assert draft not in client.get("/public/dossiers").get_data(as_text=True)
    assert client.get("/api/v1/public/dossiers").get_json()["result"] == []


def test_names_are_masked_to_initials():
    assert masked_name("Nguyễn Văn An") == "Nguyễn V. A."
    assert masked_name("  trần   thị  bình ") == "trần T. B."
    assert masked_name("An") == "A." and masked_name("") == ""


def test_the_header_and_footer_link_the_public_pages(client):
    page = client.get("/").get_data(as_text=True)
    for url in ("/public/dossiers", "/public/stats", "/public/digests"):
        assert f'href="{url}"' in page
    assert select  # noqa: B018
