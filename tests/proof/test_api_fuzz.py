"""Fuzzing the JSON API from its own OpenAPI document (schemathesis): every operation, as
anonymous, a citizen and an officer, with generated valid and invalid requests. No answer is a
5xx, every answer matches what the document says (status, media type, body schema), invalid
requests are refused and valid ones are not refused for their shape (schemathesis' checks).

Each operation gets FUZZ_EXAMPLES examples per generation mode (12 in `make test`; 100 under
`make soak`). Every operation is run and every failure reported together, with the request that
reproduces it."""
from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance

from app.core.api import COMMON_RESPONSES
from tests.helpers import auth
from tests.portal.conftest import birth  # noqa: F401 - a commune offering birth registration
from tests.portal.test_outbox import submitted_dossier

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or (100 if os.environ.get("MOTCUA_SOAK") else 12))


def failures_of(app, headers: dict) -> list[str]:
    """Run every operation of the published document; what went wrong, one line each."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/_openapi", app)
    found: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        # A write's body is checked by the domain beyond its shape (the unit offers the
        # procedure, the status allows the action): a schema-valid body may rightly get 422/409.
        # A keyset list's `after` is an opaque cursor the API handed out: a made-up one is
        # rightly refused (400), whatever its shape.
        raw = operation.definition.raw
        cursor = any(p.get("name") in ("after", "page") and p.get("schema", {}).get("type") == "string"
                     for p in raw.get("parameters", []))
        # An operation that documents its own 422 resolves inputs (a unit's code, a month) the
        # shape cannot tell apart: a schema-valid "99999" may rightly be unknown.
        resolves = any(str(code) == "422" and answer.get("description") != COMMON_RESPONSES["422"]
                       for code, answer in raw.get("responses", {}).items())
        checked = operation.method.upper() not in WRITES and not cursor and not resolves
        excluded = [] if checked else [positive_data_acceptance]
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            def run(case):
                case.call_and_validate(headers=headers, excluded_checks=excluded)  # noqa: B023 - run at once
            try:
                run()
            except (KeyboardInterrupt, SystemExit):
                raise
            except Unsatisfiable:  # nothing of this operation can be made invalid: no case
                continue
            except BaseException as exc:  # noqa: BLE001 - schemathesis raises a group; all collected
                found.append(f"{operation.label} ({mode.value}): {str(exc)[:1500]}")
    return found


@pytest.mark.parametrize("role", ["anonymous", "citizen", "officer"])
def test_no_operation_answers_a_5xx_or_outside_its_document(app, client, birth, role):  # noqa: F811
    submitted_dossier(client, birth)  # a dossier the citizen and the officer can find
    headers = {} if role == "anonymous" else auth(client, role)
    found = failures_of(app, headers)
    assert not found, "\n\n".join(found)
