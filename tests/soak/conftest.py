"""The reliability suite (`make soak`): long fault scenarios on PostgreSQL, a table at the end.

Skipped unless MOTCUA_SOAK=1, so that `make test` stays quick, except the scenarios marked
`runs_reduced`, which `make test` runs on PostgreSQL at a reduced size.
"""
from __future__ import annotations

import os

import pytest

from tests.portal.conftest import birth  # noqa: F401 - the portal's fixture, reused

ROWS: list[tuple[str, str, str, str, bool]] = []


def pytest_collection_modifyitems(config, items):
    if os.environ.get("MOTCUA_SOAK") == "1":
        return
    skip = pytest.mark.skip(reason="the soak suite runs with `make soak` (MOTCUA_SOAK=1)")
    for item in items:
        if "tests/soak/" in str(item.fspath).replace(os.sep, "/") \
                and item.get_closest_marker("runs_reduced") is None:
            item.add_marker(skip)


@pytest.fixture
def soak(is_postgres):
    """record(scenario, measure, value, expected, ok): one row of the final table."""
    if not is_postgres:
        pytest.skip("the soak suite needs PostgreSQL (TEST_DATABASE_URL)")

    def record(scenario: str, measure: str, value, expected: str, ok: bool) -> None:
        ROWS.append((scenario, measure, str(value), expected, bool(ok)))

    return record


def pytest_terminal_summary(terminalreporter):
    if not ROWS:
        return
    headers = ("scenario", "measure", "value", "expected", "ok")
    table = [headers] + [(s, m, v, e, "yes" if ok else "NO") for s, m, v, e, ok in ROWS]
    widths = [max(len(row[i]) for row in table) for i in range(len(headers))]
    line = "+".join("-" * (w + 2) for w in widths)
    terminalreporter.write_sep("=", "soak: reliability under faults")
    for index, row in enumerate(table):
        terminalreporter.write_line(" | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
        if index == 0:
            terminalreporter.write_line(line)
