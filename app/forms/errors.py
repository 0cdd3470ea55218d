"""Error types shared by the form engine."""

from __future__ import annotations

from dataclasses import dataclass, field

from .i18n import resolve_locale, translate
from .problems import render_params


@dataclass(frozen=True, slots=True)
class FieldError:
    """A localized validation error attached to a JSON pointer ("" is the root).

    `message` says what to do, after the field's own `label`; `section` is the path of group titles above
    the field ("Thông tin người mẹ", "Con, mục 2"), "" at the top level.
    """

    path: str
    message: str
    keyword: str = field(default="", compare=False)
    label: str = field(default="", compare=False)
    section: str = field(default="", compare=False)

    @property
    def title(self) -> str:
        """The field named with its section: "Thông tin người mẹ – Họ, chữ đệm và tên"."""
        return f"{self.section} – {self.label}" if self.section else self.label

    @property
    def summary_text(self) -> str:
        """What an error summary lists: the message, preceded by the section when there is one."""
        return f"{self.section} – {self.message}" if self.section else self.message

    def to_dict(self) -> dict:
        """Return the JSON API shape: {"path", "message"}."""
        return {"path": self.path, "message": self.message}


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in a form definition (source is "schema" or "ui_schema").

    `message` is the English msgid (with %(name)s placeholders filled from `params`); `text(locale)`
    translates it.
    """

    source: str
    pointer: str
    message: str
    params: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def where(self) -> str:
        """The JSON pointer with its document: "#/properties/a" or "ui_schema#/a"."""
        return ("#" if self.source == "schema" else "ui_schema#") + self.pointer

    def text(self, locale: str | None = None) -> str:
        """The problem in the locale (Vietnamese by default, English for "en")."""
        locale = resolve_locale(locale)
        return translate(self.message, locale, **render_params(self.params, locale)) if self.params \
            else translate(self.message, locale)

    def localized(self, locale: str | None = None) -> str:
        """"#/pointer: text" in the locale."""
        return f"{self.where}: {self.text(locale)}"

    def __str__(self) -> str:
        return self.localized("en")


class SchemaError(ValueError):
    """Raised by compile_schema for an invalid or unsupported form definition.

    `problems` lists every problem as "#/pointer: text" in the request's locale (Vietnamese by default);
    `details` keeps the Problem objects, `problems_in(locale)` gives another language.
    """

    def __init__(self, details: list[Problem], locale: str | None = None):
        self.details = list(details)
        self.problems = self.problems_in(locale)
        super().__init__("invalid form definition:\n" + "\n".join(self.problems_in("en")))

    def problems_in(self, locale: str | None) -> list[str]:
        """Every problem as "#/pointer: text" in the locale."""
        return [p.localized(locale) for p in self.details]


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
