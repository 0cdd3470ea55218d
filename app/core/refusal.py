"""A change refused with localized problems: nothing was stored."""
from __future__ import annotations


class Refused(Exception):
    """Raised by an operation that checked its input and stores nothing; pages show `fields`."""

    def __init__(self, problems: list[str], fields: dict[str, list[str]] | None = None):
        super().__init__("; ".join(problems))
        self.problems = problems
        self.fields = fields or {}  # the same problems by form field, when known
