"""Fixtures of the transparency tests: the back office's small world and its clock."""
from __future__ import annotations

from tests.backoffice.conftest import at, clock, world  # noqa: F401 - shared fixtures
