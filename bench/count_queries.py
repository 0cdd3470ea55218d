"""SQL statements of one warm request to MotCua, run in-process (used by bench_http.py).

Usage: count_queries.py WHO PATH, WHO one of anyone, officer-web, officer-api, citizen-create,
citizen-submit. Prints the number of statements of the second request (the first warms caches).
"""
from __future__ import annotations

import re
import sys

from sqlalchemy import event

from app import create_app
from app.extensions import db
from bench.bench_http import FILING, PASSWORD


def main(who: str, path: str) -> None:
    app = create_app()
    statements: list[str] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute",
                     lambda *args: statements.append(args[2]))
    client = app.test_client()
    headers: dict[str, str] = {}
    if who in ("officer-api", "citizen-create", "citizen-submit"):
        user = "officer" if who == "officer-api" else "citizen"
        answer = client.post("/api/v1/security/login", json={
            "username": user, "password": PASSWORD, "provider": "db"}).get_json()
        headers = {"Authorization": f"Bearer {answer['access_token']}"}
    if who == "officer-web":
        page = client.get("/account/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        # The test client speaks https here (PREFERRED_URL_SCHEME): CSRF wants a referrer.
        client.post("/login", data={"username": "officer", "password": PASSWORD,
                                    **({"csrf_token": token.group(1)} if token else {})},
                    headers={"Referer": "https://localhost/login"})

    def once() -> int:
        if who.startswith("citizen-"):
            code = client.post("/api/v1/dossiers/", json=FILING, headers=headers).get_json()["code"]
            if who == "citizen-create":
                statements.clear()
                client.post("/api/v1/dossiers/", json=FILING, headers=headers)
                return len(statements)
            statements.clear()
            client.post(f"/api/v1/dossiers/{code}/submit", headers=headers)
            return len(statements)
        statements.clear()
        client.get(path, headers=headers)
        return len(statements)

    once()
    print(once())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "")
