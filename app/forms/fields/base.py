"""Base field class, the type registry and the render context."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from markupsafe import escape

from ..i18n import node_text
from ..messages import ui_text

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING", "__bool__": lambda self: False})()
FIELD_TYPES: dict[str, type[Field]] = {}

AUTOCOMPLETE = {
    "full_name": "name",
    "phone": "tel",
    "email": "email",
    "date_of_birth": "bday",
    "address": "street-address",
    "gender": "sex",
    "citizen_id": "off",
}


def register(cls: type[Field]) -> type[Field]:
    """Class decorator adding a field type to the registry under its type_name."""
    FIELD_TYPES[cls.type_name] = cls
    return cls


def attr(name: str, value: object) -> str:
    """One escaped HTML attribute (value None/False omits it, True is boolean)."""
    if value is None or value is False:
        return ""
    if value is True:
        return f" {name}"
    return f' {name}="{escape(value)}"'


class RenderContext:
    """Per-render state: locale, errors by form name, name prefix, rendered names."""

    def __init__(self, locale: str, errors: dict[str, list[str]], prefix: str = ""):
        self.locale = locale
        self.errors = errors
        self.prefix = prefix
        self.rendered: set[str] = set()
        self._texts: dict[str, str] = {}

    def text(self, key: str) -> str:
        """A cached UI text in this render's locale."""
        if key not in self._texts:
            self._texts[key] = ui_text(key, self.locale)
        return self._texts[key]

    def id_for(self, name: str) -> str:
        """The HTML id of a field's control (stable, prefix-aware)."""
        return "mcf-" + (self.prefix + name).replace(".", "-").replace(" ", "_")

    def input_name(self, name: str) -> str:
        """The submitted name of a field (prefix + dotted path)."""
        return self.prefix + name


class Field:
    """A form field generated from one schema node; subclasses per type."""

    type_name: ClassVar[str] = ""
    widgets: ClassVar[tuple[str, ...]] = ("hidden",)
    input_type: ClassVar[str] = "text"
    inputmode: ClassVar[str | None] = None
    autocomplete: ClassVar[str | None] = None

    def __init__(self, key: str | None, node: dict, ui: dict, pointer: str):
        self.key = key
        self.node = node
        self.ui = ui
        self.pointer = pointer
        self.required = False
        self.cond_required = False
        self.html_required = False
        self.when: list | None = None
        self.conditional = False
        self.ui_pointer = ""
        self.read_only = node.get("readOnly") is True
        self.prefill_key = node.get("x-prefill")
        options = ui.get("ui:options") or {}
        self.widget = ui.get("ui:widget") or options.get("widget")
        self.hidden = self.widget == "hidden"
        self.children: list[Field] = []
        self._memo: dict = {}

    def setup(self, problems: list) -> None:
        """Hook for subclasses to prepare options and report definition problems."""

    # texts
    def ui_value(self, key: str, locale: str) -> Any:
        """A ui: text in the locale (ui x-i18n, then the ui node, then ui:options); memoized."""
        memo_key = (key, locale)
        if memo_key not in self._memo:
            self._memo[memo_key] = self._ui_value(key, locale)
        return self._memo[memo_key]

    def _ui_value(self, key: str, locale: str) -> Any:
        value = node_text(self.ui, key, locale)
        if value is None:
            value = (self.ui.get("ui:options") or {}).get(key.removeprefix("ui:"))
        return value

    def label(self, locale: str) -> str:
        """The field title in the locale."""
        memo_key = ("label", locale)
        if memo_key not in self._memo:
            self._memo[memo_key] = self.ui_value("ui:title", locale) or node_text(self.node, "title", locale) or self.key or ""
        return self._memo[memo_key]

    def description(self, locale: str) -> str | None:
        """The schema description (or ui:description) in the locale."""
        memo_key = ("description", locale)
        if memo_key not in self._memo:
            self._memo[memo_key] = self.ui_value("ui:description", locale) or node_text(self.node, "description", locale)
        return self._memo[memo_key]

    # values
    def default(self) -> Any:
        """The schema default, or MISSING."""
        return self.node.get("default", MISSING)

    def input_text(self, value: Any) -> str:
        """The value as shown in a text input."""
        if value is None or value is MISSING:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)

    def parse(self, raw: str) -> Any:
        """Turn one non-empty submitted string into the JSON value (keep it if it does not convert)."""
        return raw.strip()

    def convert(self, form: Any, name: str, ctx: Any) -> Any:
        """Read this field from flattened form data; MISSING when left empty."""
        values = form.getlist(ctx.input_name(name))
        if not values or not values[-1].strip():
            return MISSING
        return self.parse(values[-1])

    def display(self, value: Any, locale: str) -> str:
        """The value as plain text for read-only views and PDFs."""
        if value is None or value is MISSING or value == "":
            return ui_text("empty", locale)
        return self.input_text(value)

    def readonly_html(self, value: Any, ctx: RenderContext) -> str:
        """The value as escaped HTML for read-only views."""
        return str(escape(self.display(value, ctx.locale)))

    def rows(self, value: Any, locale: str, depth: int) -> list[tuple[str, str, int]]:
        """(label, text, depth) rows for plain-text read-only output."""
        return [(self.label(locale), self.display(value, locale), depth)]

    # rendering
    def render(self, ctx: RenderContext, value: Any, name: str) -> str:
        """The field's HTML (label, hints, errors and control)."""
        ctx.rendered.add(name)
        fid = ctx.id_for(name)
        if self.hidden:
            return f'<input type="hidden"{attr("id", fid)}{attr("name", ctx.input_name(name))}{attr("value", self.input_text(value))}>'
        hints, described = self.hints(ctx, name, fid)
        control = self.control(ctx, value, name, fid, described)
        star = self.star(ctx)
        return (
            f'<div class="{self.css_class(ctx, name)}"{self.data_attrs(ctx, name)}>'
            f'<label class="mcf-label"{attr("for", fid)}>{escape(self.label(ctx.locale))}{star}</label>'
            f"{hints}{control}</div>"
        )

    def css_class(self, ctx: RenderContext, name: str) -> str:
        """Wrapper classes, with an error modifier."""
        css = f"mcf-field mcf-field--{self.type_name}"
        return css + " mcf-field--error" if ctx.errors.get(name) else css

    def data_attrs(self, ctx: RenderContext, name: str) -> str:
        """data-* attributes used by forms.js (name, show-if conditions)."""
        out = attr("data-mcf-name", ctx.input_name(name))
        if self.when:
            clauses = [
                {**c, "all": [{**t, "name": ctx.input_name(_sibling(name, t["name"]))} for t in c["all"]]}
                for c in self.when
            ]
            out += attr("data-mcf-when", json.dumps(clauses, ensure_ascii=False, separators=(",", ":")))
        return out

    def star(self, ctx: RenderContext) -> str:
        """The red required marker (with hidden text for screen readers)."""
        if not (self.required or self.cond_required):
            return ""
        return (
            '<span class="mcf-required" aria-hidden="true">*</span>'
            f'<span class="mcf-visually-hidden"> ({escape(ctx.text("required"))})</span>'
        )

    def hints(self, ctx: RenderContext, name: str, fid: str) -> tuple[str, str]:
        """Description, help and error paragraphs, and the aria-describedby ids."""
        parts, ids = [], []
        for suffix, text in (("desc", self.description(ctx.locale)), ("help", self.ui_value("ui:help", ctx.locale))):
            if text:
                parts.append(f'<p class="mcf-hint" id="{fid}-{suffix}">{escape(text)}</p>')
                ids.append(f"{fid}-{suffix}")
        messages = ctx.errors.get(name)
        if messages:
            inner = "<br>".join(str(escape(m)) for m in messages)
            parts.append(f'<p class="mcf-error" id="{fid}-error">{inner}</p>')
            ids.append(f"{fid}-error")
        return "".join(parts), " ".join(ids)

    def common_attrs(self, ctx: RenderContext, name: str, described: str) -> str:
        """Attributes shared by inputs: describedby, invalid, required, readonly."""
        out = attr("aria-describedby", described or None)
        if ctx.errors.get(name):
            out += ' aria-invalid="true"'
        if self.html_required:
            out += ' required aria-required="true"'
        elif self.required or self.cond_required:
            out += ' aria-required="true"'
        return out + attr("readonly", self.read_only)

    def control(self, ctx: RenderContext, value: Any, name: str, fid: str, described: str) -> str:
        """The <input> element."""
        placeholder = self.ui_value("ui:placeholder", ctx.locale)
        autocomplete = self.ui.get("ui:autocomplete") or AUTOCOMPLETE.get(self.prefill_key) or self.autocomplete
        return (
            f'<input class="mcf-input"{attr("type", self.input_type)}{attr("id", fid)}'
            f'{attr("name", ctx.input_name(name))}{attr("value", self.input_text(value))}'
            f"{attr('inputmode', self.inputmode)}{attr('autocomplete', autocomplete)}"
            f"{attr('placeholder', placeholder)}{self.extra_attrs()}"
            f"{self.common_attrs(ctx, name, described)}>"
        )

    def extra_attrs(self) -> str:
        """Type-specific attributes (maxlength, min, max…)."""
        return ""


def _sibling(name: str, key: str) -> str:
    """The dotted name of a sibling property of the field `name`."""
    head, _, _ = name.rpartition(".")
    return f"{head}.{key}" if head else key
