"""The administrative-unit field (format vn-unit): chosen by name, province then commune; stores the code."""

from __future__ import annotations

from typing import Any

from .. import formats
from .base import MISSING, Field, RenderContext, View, register

PROVINCE_SUFFIX = "._province"  # the province select's name, after the field's own


@register
class UnitField(Field):
    """Two selects filled server-side through the unit lister (province, then its communes and wards);
    forms.js loads the communes on change and adds a search by name. Without a lister: a code input."""

    type_name = "unit"
    inputmode = "numeric"
    autocomplete = "off"

    def extra_view(self) -> dict:
        """Marks the fallback code input for the search script."""
        return {"unit": True}

    @property
    def macro_name(self) -> str:  # type: ignore[override]
        """The picker when units can be listed, else the generic input."""
        return "unit_picker" if formats.has_unit_lister() else "field"

    def static_control(self, ctx: RenderContext, fid: str) -> dict:
        """Texts of the picker (the province list is read on each render: units change)."""
        if not formats.has_unit_lister():
            return super().static_control(ctx, fid)
        return {"province_label": ctx.text("province"), "commune_label": ctx.text("commune"),
                "refresh_label": ctx.text("show_communes"), "search_label": ctx.text("search_unit"),
                "choose": ctx.text("choose")}

    def control_view(self, v: View, ctx: RenderContext, value: Any) -> None:
        """The selected province and commune, with the options of both lists."""
        if not formats.has_unit_lister():
            super().control_view(v, ctx, value)
            return
        code = value if isinstance(value, str) and value else None
        province, commune = self.split(code)
        provinces = ctx.cached("units:", lambda: formats.unit_children(None))
        communes = ctx.cached(f"units:{province}", lambda: formats.unit_children(province)) if province else []
        if commune and commune not in {c for c, _ in communes}:  # older data (a district level): keep it
            communes = [*communes, (commune, formats.unit_name(commune) or commune)]
        v.update(province_name=v.input_name + PROVINCE_SUFFIX,
                 provinces=[(c, n, c == province) for c, n in provinces],
                 communes=[(c, n, c == commune) for c, n in communes])

    def split(self, code: str | None) -> tuple[str | None, str | None]:
        """(province, commune) of a stored code: a province alone, or a unit and its top ancestor."""
        if code is None:
            return None, None
        top, seen = code, 0
        while (up := formats.unit_parent(top)) and seen < 4:
            top, seen = up, seen + 1
        return (code, None) if top == code else (top, code)

    def convert(self, form: Any, name: str, ctx: Any) -> Any:
        """The commune if it belongs to the chosen province, else the province alone (kept, never lost)."""
        commune = (form.get(ctx.input_name(name)) or "").strip()
        province = (form.get(ctx.input_name(name) + PROVINCE_SUFFIX) or "").strip()
        if commune and (not province or self.split(commune)[0] == province):
            return commune
        return province or MISSING

    def display(self, value: Any, locale: str) -> str:
        """"Xã Lộc Tấn (25123)" when a namer is installed."""
        if isinstance(value, str) and value:
            name = formats.unit_name(value)
            return f"{name} ({value})" if name else value
        return super().display(value, locale)
