"""Single-value fields: text, numbers, dates, contact details, units, yes/no."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..messages import ui_text
from .base import MISSING, Field, RenderContext, View, register

_INT = re.compile(r"[+-]?\d+")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")
_LOCAL_DT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?")
VN_OFFSET = "+07:00"


@register
class TextField(Field):
    """A one-line text input."""

    type_name = "text"
    widgets = ("text", "hidden")

    def extra_view(self) -> dict:
        """maxlength from the schema (minLength is left to the server)."""
        return {"maxlength": self.node.get("maxLength")}


@register
class TextareaField(TextField):
    """A multi-line text input (ui:widget textarea, ui:options rows)."""

    type_name = "textarea"
    widgets = ("textarea",)

    def parse(self, raw: str) -> Any:
        """Normalize line endings and trim."""
        return raw.replace("\r\n", "\n").strip()

    def static_control(self, ctx: RenderContext, fid: str) -> dict:
        """The <textarea> element."""
        return dict(control="textarea", rows=(self.ui.get("ui:options") or {}).get("rows", 4),
                    placeholder=self.ui_value("ui:placeholder", ctx.locale), **self.extra_view())


@register
class IntegerField(Field):
    """A whole number; text that does not convert is kept for jsonschema to report."""

    type_name = "integer"
    inputmode = "numeric"

    def parse(self, raw: str) -> Any:
        """"12" → 12, "1.000" stays text."""
        raw = raw.strip()
        return int(raw) if _INT.fullmatch(raw) else raw

    def extra_view(self) -> dict:
        """Bounds as min/max hints."""
        return {"min": self.node.get("minimum"), "max": self.node.get("maximum")}


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

    def extra_view(self) -> dict:
        """Twelve digits at most."""
        return {"maxlength": 12}


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

    macro_name = "boolean"

    def static_control(self, ctx: RenderContext, fid: str) -> dict:
        """A plain tick box is never required in HTML (unticked means No)."""
        return {"html_required": False, "aria_required": False}

    def control_view(self, v: View, ctx: RenderContext, value: Any) -> None:
        """Checkbox first, label after (the usual layout for a tick box)."""
        checked = value is True
        v.update(checked=checked, hidden_value="true" if (self.read_only and checked) else "false")

    def convert(self, form: Any, name: str, ctx: Any) -> Any:
        """Last submitted value wins (hidden "false", then the ticked "true")."""
        values = form.getlist(ctx.input_name(name))
        return self.parse(values[-1]) if values and values[-1].strip() else MISSING


@register
class PledgeField(BooleanField):
    """A pledge ("const": true): one tick box that must be ticked ("Tôi xin cam đoan…").

    No hidden "false": an unticked box sends nothing, so `required` reports it, and `const` refuses
    a false sent by other clients.
    """

    type_name = "pledge"
    widgets = ("checkbox",)

    def static_control(self, ctx: RenderContext, fid: str) -> dict:
        """Required in HTML too where the whole chain of groups is."""
        return {}

    def control_view(self, v: View, ctx: RenderContext, value: Any) -> None:
        """Checked or not; no hidden companion."""
        v.update(checked=value is True, hidden_value=None)
