"""Choosing units by name on the administrators' pages (offerings, staff accounts, import).

The picker is the citizen form engine's own unit field (province, then commune or ward, a search
by name through /api/v1/units, forms.js), rendered under a prefix of its own; the chosen units are
tick boxes holding the codes. Without JavaScript "Hiện danh sách xã/phường" and "Thêm đơn vị"
post the page, which is drawn again with everything typed; with it, unit_choice.js adds the
picked unit at once. A unit picked but not added counts when the page is saved.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from app.extensions import db
from app.forms.engine import compile_schema
from app.units.models import AdministrativeUnit

ADD_BUTTON = "_unit_add"


@dataclass
class UnitChoice:
    """What the page shows: the chosen units, the picker, and whether the post was only a picker
    button (draw the page again, save nothing)."""

    name: str
    chosen: list[tuple[str, str]] = field(default_factory=list)  # (code, "Xã Lộc Tấn, Tỉnh Đồng Nai")
    picker: Markup = Markup("")
    handled: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def codes(self) -> list[str]:
        return [code for code, _label in self.chosen]


def _picker_form(title: str):
    return compile_schema({"type": "object", "properties": {
        "unit": {"type": "string", "format": "vn-unit", "title": title}}})


def single_unit(form, initial: str = "", *, title: str, prefix: str = "unit_pick.") -> tuple[str, Markup]:
    """One unit picked by name (a commune, else the province chosen): its code from the posted
    picker, or else a code typed in `unit` (scripts, older forms); and the picker to draw."""
    picker = _picker_form(title)
    code = initial
    if form is not None:
        code = picker.from_formdata(form, prefix=prefix).get("unit") or (form.get("unit") or "").strip()
    return code, picker.render({"unit": code} if code else {}, None, prefix=prefix)


def unit_labels(codes: list[str]) -> list[tuple[str, str]]:
    """Each code with its name and its province's ("Xã Lộc Tấn, Tỉnh Đồng Nai"); unknown codes as they are."""
    found = {u.code: u for u in db.session.scalars(
        select(AdministrativeUnit).where(AdministrativeUnit.code.in_(codes)))} if codes else {}
    out = []
    for code in dict.fromkeys(codes):
        unit = found.get(code)
        if unit is None:
            out.append((code, code))
            continue
        names, up = [unit.name], unit.parent
        while up is not None and len(names) < 4:
            names.append(up.name)
            up = up.parent
        out.append((code, ", ".join(names)))
    return out


def split_codes(text: str | None) -> list[str]:
    """Codes typed in a text ("25279, 09208"): still accepted from scripts and older forms."""
    return [c for c in (text or "").replace(",", " ").split() if c]


def unit_choice(name: str, form=None, initial: list[str] | None = None, *,
                title: str | None = None) -> UnitChoice:
    """The chooser of a page: from the posted form (`name` = the tick boxes' name), else `initial`."""
    picker = _picker_form(title or _("Find a unit by name"))
    prefix = f"{name}_pick."
    if form is None:
        return UnitChoice(name, unit_labels(list(initial or [])),
                          picker.render({}, None, prefix=prefix))
    codes = form.getlist(name)
    picked = picker.from_formdata(form, prefix=prefix).get("unit")  # a commune, else the province
    commune = bool((form.get(f"{prefix}unit") or "").strip())
    refresh = bool(form.get("_refresh"))
    add = form.get(ADD_BUTTON) == name
    problems = []
    if add and not picked:
        problems.append(_("Choose a province, and a commune or ward, then add it."))
    # Added by the button; a commune picked but not added counts when the page is saved (a
    # province alone only by the button: it is also the first step of picking a commune).
    if picked and (add or (commune and not refresh)):
        codes.append(picked)
    keep = {"unit": picked} if refresh and picked else {}
    return UnitChoice(name, unit_labels(codes), picker.render(keep, None, prefix=prefix),
                      handled=refresh or add, problems=problems)
