"""Single-value fields: text, numbers, dates, contact details, units, yes/no."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from markupsafe import escape

from ..formats import unit_name
from ..messages import ui_text
from .base import MISSING, Field, RenderContext, attr, register

_INT = re.compile(r"[+-]?\d+")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")
_LOCAL_DT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?")
VN_OFFSET = "+07:00"


@register
class TextField(Field):
    """A one-line text input."""

    type_name = "text"
    widgets = ("text", "hidden")

    def extra_attrs(self) -> str:
        """maxlength from the schema (minLength is left to the server)."""
        return attr("maxlength", self.node.get("maxLength"))


@register
class TextareaField(TextField):
    """A multi-line text input (ui:widget textarea, ui:options rows)."""

    type_name = "textarea"
    widgets = ("textarea",)

    def parse(self, raw: str) -> Any:
        """Normalize line endings and trim."""
        return raw.replace("\r\n", "\n").strip()

    def control(self, ctx: RenderContext, value: Any, name: str, fid: str, described: str) -> str:
        """The <textarea> element."""
        rows = (self.ui.get("ui:options") or {}).get("rows", 4)
        placeholder = self.ui_value("ui:placeholder", ctx.locale)
        return (
            f'<textarea class="mcf-input mcf-textarea"{attr("id", fid)}{attr("name", ctx.input_name(name))}'
            f'{attr("rows", rows)}{attr("placeholder", placeholder)}{self.extra_attrs()}'
            f"{self.common_attrs(ctx, name, described)}>{escape(self.input_text(value))}</textarea>"
        )


@register
class IntegerField(Field):
    """A whole number; text that does not convert is kept for jsonschema to report."""

    type_name = "integer"
    inputmode = "numeric"

    def parse(self, raw: str) -> Any:
        """"12" → 12, "1.000" stays text."""
        raw = raw.strip()
        return int(raw) if _INT.fullmatch(raw) else raw

    def extra_attrs(self) -> str:
        """Bounds as min/max hints."""
        return attr("min", self.node.get("minimum")) + attr("max", self.node.get("maximum"))


@register
class NumberField(IntegerField):
    """A decimal number; a decimal comma is accepted."""

    type_name = "number"
    inputmode = "decimal"

    def parse(self, raw: str) -> Any:
        """"1,5" → 1.5, "7" → 7."""
        raw = raw.strip()
        if not _NUMBER.fullmatch(raw):
            return raw
        if _INT.fullmatch(raw):
            return int(raw)
        number = float(raw.replace(",", "."))
        return number if number == number and abs(number) != float("inf") else raw


@register
class DateField(Field):
    """A calendar date (format date), native date picker."""

    type_name = "date"
    input_type = "date"

    def display(self, value: Any, locale: str) -> str:
        """Dates read dd/mm/yyyy as on Vietnamese paper forms."""
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
            except ValueError:
                pass
        return super().display(value, locale)


@register
class DateTimeField(Field):
    """A date and time (format date-time); local input gets Vietnam's offset."""

    type_name = "datetime"
    input_type = "datetime-local"

    def parse(self, raw: str) -> Any:
        """"2025-01-02T08:30" → "2025-01-02T08:30:00+07:00"."""
        raw = raw.strip()
        if _LOCAL_DT.fullmatch(raw):
            return (raw if len(raw) == 19 else raw + ":00") + VN_OFFSET
        return raw

    def input_text(self, value: Any) -> str:
        """Drop Vietnam's offset for the local input."""
        text = super().input_text(value)
        return text.removesuffix(VN_OFFSET)


@register
class EmailField(Field):
    """An email address."""

    type_name = "email"
    input_type = "email"
    autocomplete = "email"


@register
class PhoneField(Field):
    """A Vietnamese phone number (format vn-phone); spaces and dots are removed."""

    type_name = "phone"
    input_type = "tel"
    inputmode = "tel"
    autocomplete = "tel"

    def parse(self, raw: str) -> Any:
        """"090 123.4567" → "0901234567"."""
        return re.sub(r"[\s.\-]", "", raw)


@register
class CitizenIdField(Field):
    """A 12-digit personal identification number (format vn-citizen-id)."""

    type_name = "citizen_id"
    inputmode = "numeric"
    autocomplete = "off"

    def parse(self, raw: str) -> Any:
        """Spaces are removed."""
        return re.sub(r"\s", "", raw)

    def extra_attrs(self) -> str:
        """Twelve digits at most."""
        return ' maxlength="12"'


@register
class UnitField(Field):
    """An administrative unit code (format vn-unit); forms.js adds a search list."""

    type_name = "unit"
    inputmode = "numeric"
    autocomplete = "off"

    def extra_attrs(self) -> str:
        """Marks the input for the unit picker script."""
        return ' data-mcf-unit="1"'

    def display(self, value: Any, locale: str) -> str:
        """"Xã Lộc Tấn (25123)" when a namer is installed."""
        if isinstance(value, str) and value:
            name = unit_name(value)
            return f"{name} ({value})" if name else value
        return super().display(value, locale)


@register
class BooleanField(Field):
    """A yes/no checkbox; a hidden "false" makes an unticked box count as No."""

    type_name = "boolean"
    widgets = ("checkbox", "hidden")

    def parse(self, raw: str) -> Any:
        """"true"/"false" → bool; anything else is kept."""
        return {"true": True, "false": False, "on": True}.get(raw.strip().lower(), raw)

    def display(self, value: Any, locale: str) -> str:
        """Yes/No in the locale."""
        if isinstance(value, bool):
            return ui_text("yes" if value else "no", locale)
        return super().display(value, locale)

    def render(self, ctx: RenderContext, value: Any, name: str) -> str:
        """Checkbox first, label after (the usual layout for a tick box)."""
        if self.hidden:
            return super().render(ctx, value, name)
        ctx.rendered.add(name)
        fid = ctx.id_for(name)
        hints, described = self.hints(ctx, name, fid)
        field_name = ctx.input_name(name)
        checked = value is True
        invalid = ' aria-invalid="true"' if ctx.errors.get(name) else ""
        hidden_value = "true" if (self.read_only and checked) else "false"
        return (
            f'<div class="{self.css_class(ctx, name)}"{self.data_attrs(ctx, name)}>'
            f'<input type="hidden"{attr("name", field_name)} value="{hidden_value}">'
            f'<div class="mcf-option"><input class="mcf-check" type="checkbox"{attr("id", fid)}'
            f'{attr("name", field_name)} value="true"{attr("checked", checked)}'
            f'{attr("aria-describedby", described or None)}'
            f'{invalid}{attr("disabled", self.read_only)}>'
            f'<label class="mcf-label"{attr("for", fid)}>{escape(self.label(ctx.locale))}{self.star(ctx)}</label></div>'
            f"{hints}</div>"
        )

    def convert(self, form: Any, name: str, ctx: Any) -> Any:
        """Last submitted value wins (hidden "false", then the ticked "true")."""
        values = form.getlist(ctx.input_name(name))
        return self.parse(values[-1]) if values and values[-1].strip() else MISSING
