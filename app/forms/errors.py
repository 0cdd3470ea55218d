"""Error types shared by the form engine."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class FieldError:
    """A localized validation error attached to a JSON pointer ("" is the root)."""

    path: str
    message: str
    keyword: str = field(default="", compare=False)

    def to_dict(self) -> dict:
        """Return the JSON API shape: {"path", "message"}."""
        return {"path": self.path, "message": self.message}


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in a form definition (source is "schema" or "ui_schema")."""

    source: str
    pointer: str
    message: str

    def __str__(self) -> str:
        prefix = "#" if self.source == "schema" else "ui_schema#"
        return f"{prefix}{self.pointer}: {self.message}"


class SchemaError(ValueError):
    """Raised by compile_schema for an invalid or unsupported form definition."""

    def __init__(self, details: list[Problem]):
        self.details = list(details)
        self.problems = [str(p) for p in self.details]
        super().__init__("invalid form definition:\n" + "\n".join(self.problems))


def pointer_join(pointer: str, *parts: object) -> str:
    """Append escaped segments to a JSON pointer."""
    for part in parts:
        pointer += "/" + str(part).replace("~", "~0").replace("/", "~1")
    return pointer


def pointer_parts(pointer: str) -> list[str]:
    """Split a JSON pointer into unescaped segments."""
    if not pointer:
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.lstrip("/").split("/")]
