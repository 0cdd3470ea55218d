"""A TCP proxy in front of PostgreSQL that can cut connections the way networks do."""
from __future__ import annotations

import os
import socket
import threading

from sqlalchemy.engine import make_url

COMMIT = b"COMMIT\x00"  # psycopg sends conn.commit() as the simple query "COMMIT"


class PgProxy:
    """Forwards 127.0.0.1:<port> to the test database; `down()`, `up()` and armed commits."""

    def __init__(self, url: str):
        target = make_url(url)
        self.target = (target.host or "127.0.0.1", target.port or 5432)
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.url = target.set(host="127.0.0.1", port=self.port,
                              query={**target.query, "sslmode": "disable"}
                              ).render_as_string(hide_password=False)
        self.accepting = True
        self.mode: str | None = None  # "lose_answer" or "lose_commit", for the next COMMIT
        self.commits_cut = 0
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()
        self._running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while self._running:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.accepting:
                client.close()
                continue
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            pair = {"swallow": False}
            with self._lock:
                self._pairs.append((client, server))
            threading.Thread(target=self._pump, args=(client, server, pair, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, pair, False), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, pair: dict, from_client: bool) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if from_client and self.mode and COMMIT in data:
                    mode, self.mode = self.mode, None
                    self.commits_cut += 1
                    if mode == "lose_commit":  # the server never sees the COMMIT
                        break
                    pair["swallow"] = True  # the server commits; its answer never arrives
                    dst.sendall(data)
                    continue
                if not from_client and pair["swallow"]:
                    break
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()

    def down(self) -> None:
        """The database vanishes: every connection is cut and new ones are refused."""
        self.accepting = False
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            for sock in pair:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def up(self) -> None:
        self.accepting = True

    def close(self) -> None:
        self._running = False
        self.down()
        self.listener.close()


def database_url_from_env() -> str:
    url = os.environ["TEST_DATABASE_URL"]
    return url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url


def kill_other_connections(url: str) -> int:
    """pg_terminate_backend on every other connection to this test database (not to others)."""
    import psycopg

    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            rows = conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                                "AND backend_type = 'client backend'").fetchall()
    except psycopg.OperationalError:  # another killer got this connection first
        return 0
    return len(rows)
