"""Where one filing's time and statements go: each SQL statement of a warm create, attach and
submit with the line of MotCua that sent it, and a pyinstrument profile of many of them.

Usage (a database prepared by bench_http.py, e.g. BENCH_DB_1000=… BENCH_DOSSIERS=1000):
    python bench/profile_filing.py DATABASE [--runs 200] [--html DIR]
Runs the app in-process (MOTCUA_ENV=production, as the benchmark serves it). pyinstrument is in
requirements-dev.txt.
"""
from __future__ import annotations

import argparse
import io
import os
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_http import FILING, PASSWORD, app_env  # noqa: E402

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# The filing with a paper birth notice asks for the birth certificate's scan.
PAPER = {**FILING, "data": {**FILING["data"], "birth_notice": "ban_giay"}}


def origin() -> str:
    """The innermost lines of MotCua (and the library frame) that led to a statement."""
    frames = traceback.extract_stack()[:-3]
    ours = [f for f in frames if f.filename.startswith(str(ROOT / "app"))]
    text = " <- ".join(f"{Path(f.filename).relative_to(ROOT)}:{f.lineno} {f.name}"
                       for f in reversed(ours[-3:]))
    return text or "(library)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--html", help="also write pyinstrument's HTML profiles into this folder")
    args = parser.parse_args()
    os.environ.update(app_env(args.database))

    from pyinstrument import Profiler
    from sqlalchemy import event

    from app import create_app
    from app.extensions import db

    app = create_app()
    sent: list[tuple[str, str]] = []

    def note(_conn, _cursor, statement, *_args):
        sent.append((statement, origin()))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    client = app.test_client()
    token = client.post("/api/v1/security/login", json={
        "username": "citizen", "password": PASSWORD, "provider": "db"}).get_json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}

    def create(body=FILING) -> str:
        answer = client.post("/api/v1/dossiers/", json=body, headers=headers)
        assert answer.status_code == 201, answer.get_data(as_text=True)
        return answer.get_json()["code"]

    def attach(code: str) -> None:
        answer = client.post(f"/api/v1/dossiers/{code}/attachments", headers=headers,
                             data={"document_key": "giay_chung_sinh",
                                   "file": (io.BytesIO(PDF), "giay-chung-sinh.pdf")},
                             content_type="multipart/form-data")
        assert answer.status_code == 201, answer.get_data(as_text=True)

    def submit(code: str) -> None:
        answer = client.post(f"/api/v1/dossiers/{code}/submit", headers=headers)
        assert answer.status_code == 200, answer.get_data(as_text=True)

    submit(create())  # warm: the caches of the process
    for label, call in (("create", lambda: create()), ("create (paper notice)", lambda: create(PAPER))):
        sent.clear()
        code = call()
        report(label, sent)
    sent.clear()
    attach(code)
    report("attach", sent)
    sent.clear()
    submit(code)
    report("submit (with its attachment)", sent)
    code = create()
    sent.clear()
    submit(code)
    report("submit", sent)

    event.remove(engine, "before_cursor_execute", note)  # not part of what is profiled
    # Unprofiled: this process's CPU per step (what a worker spends; the database's is apart).
    codes, cpu = [], {}
    started = time.process_time()
    for _ in range(args.runs):
        codes.append(create())
    cpu["create"] = time.process_time() - started
    started = time.process_time()
    for code in codes:
        submit(code)
    cpu["submit"] = time.process_time() - started
    print("\n## app CPU per step (unprofiled): " + ", ".join(
        f"{label} {seconds / args.runs * 1000:.2f} ms" for label, seconds in cpu.items()))
    for label, step in (("create", None), ("submit", None)):
        codes = [create() for _ in range(args.runs)] if label == "submit" else []
        profiler = Profiler(interval=0.0005)
        started = time.perf_counter()
        profiler.start()
        for i in range(args.runs):
            create() if label == "create" else submit(codes[i])
        profiler.stop()
        per = (time.perf_counter() - started) / args.runs * 1000
        print(f"\n## profile of {args.runs} × {label}: {per:.2f} ms each (in-process, profiled)\n")
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        if args.html:
            Path(args.html).mkdir(parents=True, exist_ok=True)
            Path(args.html, f"{label}.html").write_text(profiler.output_html())
        del step


def report(label: str, sent: list[tuple[str, str]]) -> None:
    print(f"\n## {label}: {len(sent)} statements\n")
    for number, (statement, where) in enumerate(sent, 1):
        print(f"{number:2d}. {' '.join(statement.split())[:150]}\n    {where}")


if __name__ == "__main__":
    main()
