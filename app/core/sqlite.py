"""Make pysqlite honour transactions and savepoints like PostgreSQL does."""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine


def make_sqlite_transactional(engine: Engine) -> None:
    """Let SQLAlchemy emit BEGIN itself (pysqlite's implicit handling breaks SAVEPOINT)."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 5000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN")
