"""`make bench`: MotCua under gunicorn on PostgreSQL, side by side with a bare Flask app.

1. Filing (create + submit) against `bench/bare_app.py`, alternated (MotCua, bare, MotCua,
   bare…), same gunicorn settings, same client: dossiers/s and their ratio in the same run;
   each server then answers the lookup of one row by its code, so the run also prints the
   stack's own floor for the lookup's goal.
2. The pages (officer queue, the officer's API list, catalogue, lookup, and the public log and
   statistics when present) on databases of each size: req/s, p50/p95/p99, SQL statements per
   request, worker RSS.

Sizes come from BENCH_DOSSIERS (default "10000 1000000"); each size uses the PostgreSQL
database BENCH_DB_<N> (default motcua_bench_<N>) on BENCH_PG_URL, created and filled with
`flask bench seed` when it has fewer dossiers. BENCH_ONLY=filing (or --only filing) runs the
filing comparison alone, BENCH_ONLY=pages the pages. Limits and quotas are off
(RATELIMIT_ENABLED=false).
Results: docs/performance.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432")
UNIT, PROCEDURE = "25279", "1.001193"  # Xã Lộc Tấn (officer's unit), birth registration
PROVINCE = "75"  # Tỉnh Đồng Nai, the officer's province
PASSWORD = os.environ.get("DEMO_PASSWORD", "Demo@12345")
BIRTH = {
    "requester": {"full_name": "Nguyễn Văn An", "id_type": "cccd", "citizen_id": "075090001234",
                  "relationship": "cha"},
    "child": {"full_name": "Nguyễn Thị Bé", "gender": "nu", "date_of_birth": "2026-10-01",
              "place_of_birth": "Trạm y tế xã Lộc Tấn", "ethnicity": "Kinh", "nationality": "VN",
              "hometown": "Đồng Nai"},
    "mother_known": True,
    "mother": {"ethnicity": "Kinh", "nationality": "VN", "id_type": "cccd",
               "full_name": "Trần Thị Bình", "birth_year": 1995, "citizen_id": "075195001234"},
    "birth_notice": "dien_tu",
    "father_known": True,
    "father": {"ethnicity": "Kinh", "nationality": "VN", "id_type": "cccd",
               "full_name": "Nguyễn Văn An", "birth_year": 1990, "citizen_id": "075090001234"},
    "copies": 1,
}
FILING = {"procedure": PROCEDURE, "unit": UNIT, "data": BIRTH,
          "contact": {"phone": "0912345678", "email": "an@example.test"},
          "delivery": {"method": "office"}}


def sqlalchemy_url(database: str) -> str:
    return f"{PG.replace('postgresql://', 'postgresql+psycopg://', 1)}/{database}"


def app_env(database: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": sqlalchemy_url(database), "MOTCUA_ENV": "production",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(48),
            "RATELIMIT_ENABLED": "false", "RATELIMIT_STORAGE_URI": "memory://",
            "PAYMENT_GATEWAY": "vnpay", "VNPAY_TMN_CODE": "BENCH", "VNPAY_HASH_SECRET": "x" * 32,
            "VNPAY_URL": "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html",
            "SESSION_COOKIE_SECURE": "false", "FLASK_APP": "run.py", "PYTHONPATH": str(ROOT)}


def setup_env(database: str) -> dict[str, str]:
    """Preparing a bench database (migrate, demo users, synthetic dossiers) is development work:
    the demo seed refuses production, whose settings only the served app needs."""
    return {**app_env(database), "MOTCUA_ENV": "development"}


def flask(database: str, *args: str) -> None:
    subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=setup_env(database), check=True,
                   stdout=subprocess.DEVNULL)


def dossier_count(database: str) -> int | None:
    try:
        with psycopg.connect(f"{PG}/{database}") as conn:
            return conn.execute("SELECT count(*) FROM dossiers").fetchone()[0]
    except psycopg.OperationalError:
        return None
    except psycopg.errors.UndefinedTable:
        return 0


def prepare(size: int) -> str:
    """The database of this size, created and seeded if it has fewer dossiers."""
    database = os.environ.get(f"BENCH_DB_{size}", f"motcua_bench_{size}")
    count = dossier_count(database)
    if count is None:
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{database}"')
        count = 0
    flask(database, "db", "upgrade")
    if count == 0:
        flask(database, "roles", "sync")
        # The demo users (their one known password) are refused in production: seeded as in
        # development, served as in production.
        flask(database, "seed-demo")
    if count < size * 0.99:
        print(f"seeding {size - count} dossiers into {database}…", flush=True)
        subprocess.run([str(BIN / "flask"), "bench", "seed", "--dossiers", str(size - count)],
                       cwd=ROOT, env=setup_env(database), check=True)
    return database


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with the same settings for both apps: 2 sync workers (one per core)."""

    def __init__(self, target: str, database: str, workers: int):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-w", str(workers), "-k", "sync", "-b",
             f"127.0.0.1:{self.port}", "--backlog", "256", "--timeout", "60", target],
            cwd=ROOT, env=app_env(database), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                requests.get(self.base + "/api/v1/lookup?code=x&phone4=0000", timeout=10)
                return
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.3)
        self.process.kill()  # never leave a server behind
        raise RuntimeError(f"{target} did not start: {self.process.stderr.read().decode()[-2000:]}")

    def workers(self) -> list[tuple[int, float]]:
        """(pid, resident memory in MB) of each worker (children of the gunicorn master)."""
        found = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                text = status.read_text()
            except OSError:
                continue
            if re.search(rf"^PPid:\s+{self.process.pid}$", text, re.M):
                rss = int(re.search(r"^VmRSS:\s+(\d+)", text, re.M).group(1)) / 1024
                found.append((int(status.parent.name), rss))
        return sorted(found)

    def worker_rss_mb(self) -> list[float]:
        return [rss for _pid, rss in self.workers()]

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()


@dataclass
class Result:
    name: str
    operations: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""
    queries: float | None = None
    rss: list[float] = field(default_factory=list)
    load: str = ""

    @property
    def rate(self) -> float:
        return self.operations / self.seconds if self.seconds else 0.0

    def pct(self, p: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000


# The clients are threads of this process. Tried side by side on 2 cores (catalogue API, 10
# clients, 5 s each, alternated): threads 180 and 193 req/s, p95 93 and 75 ms; a process per
# client 163 and 151 req/s, p95 95 and 104 ms — ten client processes take more of the cores
# the servers need than ten threads sharing one interpreter.


def _client_loop(step, state, start_at: float, stop_at: float) -> tuple[list[float], int, int, str]:
    session = state["session"]
    mine, count, errors, first = [], 0, 0, ""
    while time.perf_counter() < start_at:
        time.sleep(0.01)
    while time.perf_counter() < stop_at:
        try:
            count += step(session, state, mine)
        except Exception as exc:  # noqa: BLE001 - a benchmark counts failures, goes on
            errors += 1
            first = first or repr(exc)[:300]
    return mine, count, errors, first


def drive(name: str, clients: int, seconds: float, setup, step) -> Result:
    """`clients` threads repeat `step(session, state)` for `seconds`; latencies per request."""
    result = Result(name)
    lock = threading.Lock()
    sessions = [setup() for _ in range(clients)]
    start_at = time.perf_counter() + 0.5
    stop_at = start_at + seconds

    def worker(state):
        mine, count, errors, first = _client_loop(step, state, start_at, stop_at)
        with lock:
            result.latencies += mine
            result.operations += count
            result.errors += errors
            result.first_error = result.first_error or first

    threads = [threading.Thread(target=worker, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = seconds
    result.load = " ".join(f"{v:.1f}" for v in os.getloadavg())
    return result


def timed(mine: list[float], call, *args, expect: int = 200, **kwargs):
    started = time.perf_counter()
    response = call(*args, timeout=30, **kwargs)
    mine.append(time.perf_counter() - started)
    if response.status_code != expect:
        raise RuntimeError(f"{response.status_code} {response.text[:200]}")
    return response


def token(base: str, username: str) -> dict[str, str]:
    response = requests.post(base + "/api/v1/security/login", timeout=30, json={
        "username": username, "password": PASSWORD, "provider": "db"})
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def filing(server: Server, name: str, clients: int, seconds: float) -> Result:
    headers = token(server.base, "citizen")

    def setup():
        session = requests.Session()
        session.headers.update(headers)
        return {"session": session}

    def step(session, state, mine):
        created = timed(mine, session.post, server.base + "/api/v1/dossiers/", json=FILING,
                        expect=201)
        timed(mine, session.post, f"{server.base}/api/v1/dossiers/{created.json()['code']}/submit")
        return 1

    result = drive(name, clients, seconds, setup, step)
    result.rss = server.worker_rss_mb()
    return result


def web_session(base: str, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(base + "/login", timeout=30).text
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', page)
    data = {"username": username, "password": PASSWORD}
    if match:
        data["csrf_token"] = match.group(1)
    session.post(base + "/login", data=data, timeout=30, headers={"Referer": base + "/login"})
    if session.get(base + "/backoffice/", timeout=30, allow_redirects=False).status_code != 200:
        raise RuntimeError(f"{username} could not log in to the back office")
    return session


# p95 goals in ms (issues 13 and 15), at every size; worker memory and the filing ratio below.
GOALS = {
    "officer queue /backoffice/": 50, "GET /api/v1/dossiers (officer)": 50,
    "catalogue /api/v1/procedures?unit=": 50, "catalogue page /procedures?unit=": 50,
    "lookup /api/v1/lookup": 20, "public log /public/dossiers": 50,
    "lookup, MotCua (round 1)": 20, "lookup, MotCua (round 2)": 20,
    "public log, filtered (unit, status)": 50, "public log API /api/v1/public/dossiers": 50,
    "public stats /public/stats": 200, "public stats API /api/v1/public/stats": 200,
}
RSS_GOAL_MB, RATIO_GOAL = 150, 0.5


def verdict(result: Result) -> str:
    """Whether the measurement meets its goals (p95, worker RSS, no errors)."""
    goal = GOALS.get(result.name)
    misses = []
    if goal is not None and result.pct(0.95) > goal:
        misses.append(f"p95 > {goal} ms")
    if result.rss and max(result.rss) > RSS_GOAL_MB:
        misses.append(f"RSS > {RSS_GOAL_MB} MB")
    if result.errors:
        misses.append("errors")
    return "met" if not misses else "**not met**: " + ", ".join(misses)


def pages(database: str) -> list[tuple[str, str, str]]:
    """(label, who, path) of the pages measured at every size."""
    with psycopg.connect(f"{PG}/{database}") as conn:
        code, phone = conn.execute(
            "SELECT code, contact_phone FROM dossiers WHERE status <> 'draft' "
            "ORDER BY id DESC LIMIT 1").fetchone()
    return [
        ("officer queue /backoffice/", "officer-web", "/backoffice/"),
        ("GET /api/v1/dossiers (officer)", "officer-api", "/api/v1/dossiers"),
        ("catalogue /api/v1/procedures?unit=", "anyone", f"/api/v1/procedures?unit={UNIT}"),
        ("catalogue page /procedures?unit=", "anyone", f"/procedures?unit={UNIT}"),
        ("lookup /api/v1/lookup", "anyone", f"/api/v1/lookup?code={code}&phone4={phone[-4:]}"),
        ("public log /public/dossiers", "anyone", "/public/dossiers"),
        ("public log, filtered (unit, status)", "anyone", f"/public/dossiers?unit={UNIT}&status=returned"),
        ("public log API /api/v1/public/dossiers", "anyone", f"/api/v1/public/dossiers?province={PROVINCE}"),
        ("public stats /public/stats", "anyone", "/public/stats"),
        ("public stats API /api/v1/public/stats", "anyone", f"/api/v1/public/stats?province={PROVINCE}"),
    ]


def page_load(server: Server, label: str, who: str, path: str, clients: int,
              seconds: float) -> Result | None:
    probe = requests.get(server.base + path, timeout=30) if who == "anyone" else None
    if probe is not None and probe.status_code == 404:
        return None  # not on this branch (the public pages come with the transparency work)
    headers = token(server.base, "officer") if who == "officer-api" else {}

    def setup():
        session = web_session(server.base, "officer") if who == "officer-web" else requests.Session()
        session.headers.update(headers)
        return {"session": session}

    def step(session, state, mine):
        timed(mine, session.get, server.base + path)
        return 1

    result = drive(label, clients, seconds, setup, step)
    result.rss = server.worker_rss_mb()
    return result


def count_queries(database: str, who: str, path: str) -> float | None:
    """SQL statements of one warm request, counted in a subprocess running the app in-process."""
    script = ROOT / "bench" / "count_queries.py"
    out = subprocess.run([str(BIN / "python"), str(script), who, path], cwd=ROOT,
                         env=app_env(database), capture_output=True, text=True)
    try:
        return float(out.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)) // 1024
    with psycopg.connect(f"{PG}/postgres") as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0]
    return (f"{os.cpu_count()} cores ({cpu}), {mem} MB RAM, Python {platform.python_version()}, "
            f"PostgreSQL {pg}, {platform.platform()}")


def row(result: Result, unit: str = "req/s") -> str:
    if result.first_error:
        print(f"  first error of {result.name}: {result.first_error}", file=sys.stderr)
    rss = "/".join(f"{r:.0f}" for r in result.rss) or "-"
    queries = f"{result.queries:g}" if result.queries is not None else "-"
    return (f"| {result.name} | {result.rate:,.1f} {unit} | {result.pct(0.5):.1f} | "
            f"{result.pct(0.95):.1f} | {result.pct(0.99):.1f} | {queries} | {rss} | "
            f"{result.errors} | {result.load} | {verdict(result)} |")


HEADER = ("| what | rate | p50 ms | p95 ms | p99 ms | queries/req | worker RSS MB | errors | "
          "load (1/5/15 min) | goals |\n"
          "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=os.environ.get("BENCH_DOSSIERS", "10000 1000000"))
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", 20)))
    parser.add_argument("--clients", type=int, default=int(os.environ.get("BENCH_CLIENTS", 10)))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", 2)))
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", 2)))
    parser.add_argument("--only", choices=("filing", "pages"), default=os.environ.get("BENCH_ONLY"),
                        help="run one part: the filing comparison (on the smallest size) or "
                             "the pages")
    args = parser.parse_args()
    sizes = [int(s.replace("_", "")) for s in re.split(r"[ ,]+", args.sizes.strip()) if s]
    print(f"machine: {machine()}\nclients {args.clients}, gunicorn {args.workers} sync workers, "
          f"{args.seconds:g} s per measurement, RATELIMIT_ENABLED=false", flush=True)
    databases = {size: prepare(size) for size in sizes}

    if args.only != "pages":
        compare_filing(databases[min(sizes)], args)
    if args.only != "filing":
        measure_pages(sizes, databases, args)
    print(f"\nload after: {os.getloadavg()}")


def lookup_paths(database: str) -> dict[str, str]:
    """The lookup of the newest filed dossier of each app (the bare app's own table)."""
    with psycopg.connect(f"{PG}/{database}") as conn:
        code, phone = conn.execute(
            "SELECT code, contact_phone FROM dossiers WHERE status <> 'draft' "
            "ORDER BY id DESC LIMIT 1").fetchone()
        bare = conn.execute("SELECT code FROM bench_bare_dossiers ORDER BY id DESC LIMIT 1").fetchone()
    return {"MotCua": f"/api/v1/lookup?code={code}&phone4={phone[-4:]}",
            "bare": f"/api/v1/lookup?code={bare[0] if bare else 'x'}"}


def compare_filing(first: str, args: argparse.Namespace) -> None:
    """Filing, alternated with the bare app on the smallest database; then the lookup of each
    (after the filing, so the bare app's table has rows): the stack's floor for a one-row read."""
    ours, bare, lookups = [], [], []
    for round_ in range(1, args.rounds + 1):
        for kind, target, into in (("MotCua", "run:app", ours), ("bare", "bench.bare_app:app", bare)):
            server = Server(target, first, args.workers)
            try:
                into.append(filing(server, f"filing, {kind} (round {round_})", args.clients,
                                   args.seconds))
                measured = page_load(server, f"lookup, {kind} (round {round_})", "anyone",
                                     lookup_paths(first)[kind], args.clients, args.seconds)
                if measured is not None:
                    lookups.append(measured)
            finally:
                server.stop()
    print("\n## Filing (create + submit), dossiers/s\n\n" + HEADER)
    for result in (*ours, *bare):
        print(row(result, "dossiers/s"))
    ratios = [o.rate / b.rate for o, b in zip(ours, bare, strict=True) if b.rate]
    met = "met" if ratios and min(ratios) >= RATIO_GOAL else "**not met**"
    print(f"\nratio MotCua / bare per round: {', '.join(f'{r:.2f}' for r in ratios)} "
          f"(goal ≥ {RATIO_GOAL}: {met}); queries: create {count_queries(first, 'citizen-create', '')}, "
          f"submit {count_queries(first, 'citizen-submit', '')}")
    print("\n## Lookup beside the bare app's (one row by its code), req/s\n\n" + HEADER)
    for result in sorted(lookups, key=lambda r: r.name):
        print(row(result))


def measure_pages(sizes: list[int], databases: dict[int, str], args: argparse.Namespace) -> None:
    """The pages at each size."""
    for size in sizes:
        database = databases[size]
        server = Server("run:app", database, args.workers)
        try:
            print(f"\n## Pages at {dossier_count(database):,} dossiers ({database})\n\n{HEADER}",
                  flush=True)
            for label, who, path in pages(database):
                result = page_load(server, label, who, path, args.clients, args.seconds)
                if result is None:
                    continue
                result.queries = count_queries(database, who, path)
                print(row(result), flush=True)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
