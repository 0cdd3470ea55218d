"""Real processes for the soak scenarios: gunicorn and `flask outbox run`, started and killed by pid."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def factory(url: str, **config) -> str:
    """`app:create_app("testing", …)` as gunicorn and `flask --app` accept it."""
    args = ", ".join(f"{k}={v!r}" for k, v in {"SQLALCHEMY_DATABASE_URI": url, **config}.items())
    return f"app:create_app('testing', {args})"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(url: str, workers: int = 2, **config) -> tuple[subprocess.Popen, int]:
    port = free_port()
    proc = subprocess.Popen([str(BIN / "gunicorn"), "--workers", str(workers), "--timeout", "30",
                             "--graceful-timeout", "2", "--bind", f"127.0.0.1:{port}",
                             factory(url, **config)], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc, port
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("gunicorn did not start")


def gunicorn_workers(master: subprocess.Popen) -> list[int]:
    """The worker pids of a gunicorn master we started."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        ppid = next((line.split()[1] for line in status.splitlines() if line.startswith("PPid:")), "")
        if ppid == str(master.pid):
            pids.append(int(entry))
    return pids


def start_worker(url: str, *args: str, **config) -> subprocess.Popen:
    return subprocess.Popen([str(BIN / "flask"), "--app", factory(url, **config), "outbox", "run", *args],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def stop(proc: subprocess.Popen, timeout: float = 15) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
