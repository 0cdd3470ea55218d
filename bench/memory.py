"""Worker memory (issue 15: each gunicorn worker ≤ 150 MB resident, flat under load).

Starts MotCua under gunicorn exactly as `bench/bench_http.py`'s `Server` does (the same command,
2 sync workers, production settings, RATELIMIT_ENABLED=false) on an already seeded bench
database, drives a mix of requests from a few client threads and prints each worker's VmRSS —
as `make bench` reads it — and PSS (its share of pages also mapped by other processes):

- after start (the workers have loaded the app; the start probe served one lookup),
- after warm-up (every kind of request below served several times),
- every `--every` requests of the mix, and at the end.

The mix, in turns: the filing flow as `bench_http.filing` does it (create + submit of a birth
registration as the demo citizen, over the API), the officer's queue `/backoffice/`, the
catalogue (API and page), the lookup (page and API), the public log (page and API), the public
statistics (page and API), the officer's PDF receipt of a received dossier of the officer's
commune, the blank declaration PDF, and the registration page with its captcha image.

    python bench/memory.py [--requests 2000] [--clients 4] [--workers 2] [--database NAME]
                           [--skip "blank declaration PDF,officer receipt PDF"]

(`--skip` leaves kinds out of the mix, e.g. the PDFs, to compare with `make bench`'s pages.)

The database (default BENCH_DB_10000, else motcua_bench_10000, on BENCH_PG_URL) must already be
seeded (`make bench` or `flask bench seed`); nothing is seeded or migrated here. The only
writes are the app's own when serving the mix: the filed dossiers, the registration page's
captcha challenges and the log of the officer's receipt downloads. Results: docs/performance.md,
"Worker memory".
"""
from __future__ import annotations

import argparse
import os
import random
import re
import sys
import threading
import time
from pathlib import Path

import psycopg
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_http import (  # noqa: E402
    FILING,
    PG,
    PROCEDURE,
    PROVINCE,
    UNIT,
    Server,
    dossier_count,
    machine,
    token,
    web_session,
)


def pss_mb(pid: int) -> float | None:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return None
    match = re.search(r"^Pss:\s+(\d+)", text, re.M)
    return int(match.group(1)) / 1024 if match else None


def workers(server: Server) -> list[tuple[int, float, float | None]]:
    """(pid, VmRSS MB, PSS MB) of each worker."""
    return [(pid, rss, pss_mb(pid)) for pid, rss in server.workers()]


def drain(server: Server) -> list[str]:
    """Read the server's stderr (its log) as it comes: `Server` pipes it, and a full pipe would
    block the workers. The last lines are kept for the report of a failure."""
    tail: list[str] = []

    def read() -> None:
        for line in server.process.stderr:
            tail.append(line.decode(errors="replace"))
            del tail[:-40]

    threading.Thread(target=read, daemon=True).start()
    return tail


def settle(server: Server, count: int, limit: float = 60) -> None:
    """Until every worker is up and its memory stopped moving (the second may still be loading)."""
    deadline, last = time.time() + limit, None
    while time.time() < deadline:
        now = [round(rss) for _pid, rss, _pss in workers(server)]
        if len(now) == count and now == last:
            return
        last = now
        time.sleep(1)


def report(server: Server, label: str) -> list[float]:
    rows = workers(server)
    cells = ", ".join(f"{rss:.0f} MB (PSS {pss:.0f})" if pss is not None else f"{rss:.0f} MB"
                      for _pid, rss, pss in rows)
    print(f"{label:<28} {cells}", flush=True)
    return [rss for _pid, rss, _pss in rows]


def targets(database: str) -> tuple[str, str, str]:
    """A dossier in the public log with its phone, and a received dossier of the officer's unit."""
    with psycopg.connect(f"{PG}/{database}") as conn:
        code, phone = conn.execute(
            "SELECT code, contact_phone FROM dossiers WHERE status <> 'draft' "
            "ORDER BY id DESC LIMIT 1").fetchone()
        received = conn.execute(
            "SELECT d.code FROM dossiers d JOIN administrative_units u ON u.id = d.unit_id "
            "WHERE u.code = %s AND d.received_at IS NOT NULL ORDER BY d.id DESC LIMIT 1",
            (UNIT,)).fetchone()
    return code, phone[-4:], received[0] if received else ""


class Mix:
    """The kinds of requests, each a function of the client's sessions returning requests sent."""

    def __init__(self, server: Server, database: str, skip: set[str] = frozenset()):
        self.base = server.base
        code, phone4, self.received = targets(database)
        self.citizen = token(self.base, "citizen")
        self.gets = {
            "catalogue API": f"/api/v1/procedures?unit={UNIT}",
            "catalogue page": f"/procedures?unit={UNIT}",
            "lookup page": f"/lookup?code={code}&phone4={phone4}",
            "lookup API": f"/api/v1/lookup?code={code}&phone4={phone4}",
            "public log": "/public/dossiers",
            "public log API": f"/api/v1/public/dossiers?province={PROVINCE}",
            "public stats": "/public/stats",
            "public stats API": f"/api/v1/public/stats?province={PROVINCE}",
            "blank declaration PDF": f"/procedures/{PROCEDURE}/declaration.pdf",
        }
        self.kinds = ["filing", "officer queue", "captcha", *self.gets]
        if self.received:
            self.kinds.append("officer receipt PDF")
        unknown = skip - set(self.kinds)
        if unknown:
            raise SystemExit(f"--skip: no such kind {', '.join(sorted(unknown))}; "
                             f"kinds: {', '.join(self.kinds)}")
        self.kinds = [kind for kind in self.kinds if kind not in skip]

    def sessions(self) -> dict[str, requests.Session]:
        api = requests.Session()
        api.headers.update(self.citizen)
        return {"api": api, "officer": web_session(self.base, "officer"),
                "anyone": requests.Session()}

    def _get(self, session: requests.Session, path: str) -> requests.Response:
        response = session.get(self.base + path, timeout=60)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path}: {response.status_code} {response.text[:200]}")
        return response

    def run(self, kind: str, sessions: dict[str, requests.Session]) -> int:
        if kind == "filing":
            created = sessions["api"].post(self.base + "/api/v1/dossiers/", json=FILING, timeout=60)
            if created.status_code != 201:
                raise RuntimeError(f"create: {created.status_code} {created.text[:200]}")
            submitted = sessions["api"].post(
                f"{self.base}/api/v1/dossiers/{created.json()['code']}/submit", timeout=60)
            if submitted.status_code != 200:
                raise RuntimeError(f"submit: {submitted.status_code} {submitted.text[:200]}")
            return 2
        if kind == "officer queue":
            self._get(sessions["officer"], "/backoffice/")
            return 1
        if kind == "officer receipt PDF":
            response = self._get(sessions["officer"], f"/documents/{self.received}/receipt.pdf")
            if not response.content.startswith(b"%PDF"):
                raise RuntimeError("the receipt is not a PDF")
            return 1
        if kind == "captcha":
            page = self._get(sessions["anyone"], "/account/register").text
            image = re.search(r'(/account/captcha/[^"\']+\.png)', page)
            if image is None:
                raise RuntimeError("no captcha image on the registration page")
            self._get(sessions["anyone"], image.group(1))
            return 2
        self._get(sessions["anyone"], self.gets[kind])
        return 1


def drive(mix: Mix, clients: int, total: int, every: int, on_step) -> tuple[int, int, str]:
    """`clients` threads take turns through the kinds (each its own shuffled order) until
    `total` requests were sent; `on_step(count)` after each block of `every` requests."""
    lock = threading.Lock()
    state = {"sent": 0, "errors": 0, "first": "", "next_report": every}
    sessions = [mix.sessions() for _ in range(clients)]

    def client(number: int) -> None:
        order = list(mix.kinds)
        random.Random(number).shuffle(order)
        turn = 0
        while True:
            with lock:
                if state["sent"] >= total:
                    return
            kind = order[turn % len(order)]
            turn += 1
            try:
                sent = mix.run(kind, sessions[number])
            except Exception as exc:  # noqa: BLE001 - counted, the run goes on
                sent = 1
                with lock:
                    state["errors"] += 1
                    state["first"] = state["first"] or f"{kind}: {exc!r}"[:300]
            with lock:
                state["sent"] += sent
                due = state["sent"] >= state["next_report"]
                if due:
                    state["next_report"] += every
                    reached = state["sent"]
            if due:
                on_step(reached)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return state["sent"], state["errors"], state["first"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("BENCH_DB_10000", "motcua_bench_10000"))
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", 2)))
    parser.add_argument("--warmup", type=int, default=6, help="turns of every kind before measuring")
    parser.add_argument("--every", type=int, default=500, help="print the memory every N requests")
    parser.add_argument("--skip", default="", help="kinds left out of the mix, comma-separated")
    args = parser.parse_args()
    os.environ.setdefault("RATELIMIT_ENABLED", "false")
    if not dossier_count(args.database):
        sys.exit(f"{args.database}: no dossiers; seed it first (make bench, or flask bench seed)")
    print(f"machine: {machine()}\n{args.database}: {dossier_count(args.database):,} dossiers; "
          f"gunicorn {args.workers} sync workers, {args.clients} clients\n"
          f"{'':<28} VmRSS of each worker (PSS)", flush=True)
    server = Server("run:app", args.database, args.workers)
    log = drain(server)
    try:
        settle(server, args.workers)
        report(server, "after start")
        mix = Mix(server, args.database, {k.strip() for k in args.skip.split(",") if k.strip()})
        started = time.perf_counter()
        warm_sent, warm_errors, warm_first = drive(
            mix, args.clients, args.warmup * len(mix.kinds), 10 ** 9, lambda _n: None)
        report(server, f"after warm-up ({warm_sent} req)")
        sent, errors, first = drive(mix, args.clients, args.requests, args.every,
                                    lambda n: report(server, f"  after {n} requests"))
        final = report(server, f"at the end ({sent} req)")
        seconds = time.perf_counter() - started
        print(f"\n{warm_sent + sent} requests in {seconds:.0f} s, errors {warm_errors + errors}"
              + (f" (first: {warm_first or first})" if warm_errors + errors else "")
              + f"; kinds: {', '.join(mix.kinds)}")
        if warm_errors + errors:
            print("server log, last lines:\n" + "".join(log[-10:]))
        print(f"goal ≤ 150 MB each: {'met' if final and max(final) <= 150 else 'not met'}; "
              f"load {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
