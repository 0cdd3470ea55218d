"""Make pysqlite honour transactions, savepoints and foreign keys like PostgreSQL does."""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine


def make_sqlite_transactional(engine: Engine) -> None:
    """Let SQLAlchemy emit BEGIN itself (pysqlite's implicit handling breaks SAVEPOINT), and
    enforce foreign keys on every connection: SQLite ignores them unless asked, and a row that
    dossiers point to must not be deleted (app/core/deletion.py)."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 5000")
        cursor.execute("PRAGMA foreign_keys = ON")  # outside any transaction, where it applies
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN")
