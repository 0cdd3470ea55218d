"""The filters of the public pages and their API: codes and months checked, resolved once.

Units and procedures are named by code (`?province=75&unit=25279&procedure=1.001193`); the
filter forms choose the unit by name with the form engine's own picker (province, then commune
or ward, a search by name with forms.js), whose answer (`unit._province`, `unit`) means the same.
What a code stands for, the picker and the list of procedures are computed once per process
while the catalogue is unchanged (app/core/settings_cache.py), so a page costs the same whatever
the number of units."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Any, Mapping

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from app.core import settings_cache
from app.core.api import ApiError
from app.core.locale import current_locale
from app.dossiers.status import STATUSES
from app.extensions import db
from app.forms.engine import compile_schema
from app.forms.fields.unit import PROVINCE_SUFFIX
from app.procedures.models import Procedure
from app.units.models import AdministrativeUnit
from app.units.operations import parent_code

MONTH = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
PICKER_FIELD = "unit"  # the picker's commune select; its province select is "unit._province"
PICKER_PROVINCE = PICKER_FIELD + PROVINCE_SUFFIX

settings_cache.watch(AdministrativeUnit, Procedure)


@dataclass(frozen=True)
class Ref:
    """A unit or procedure as the filters need it (immutable: kept between requests)."""

    id: int
    code: str
    name: str
    level: str = ""  # units: province, commune…
    name_en: str | None = None

    def __str__(self) -> str:
        return self.name


@dataclass
class PublicFilters:
    province: Ref | None = None
    unit: Ref | None = None
    procedure: Ref | None = None
    status: str | None = None
    month_from: dt.date | None = None
    month_to: dt.date | None = None

    def args(self) -> dict[str, str]:
        """The query arguments that give these filters back (for links and downloads)."""
        out = {"province": self.province.code if self.province else "",
               "unit": self.unit.code if self.unit else "",
               "procedure": self.procedure.code if self.procedure else "",
               "status": self.status or "",
               "from": self.month_from.strftime("%Y-%m") if self.month_from else "",
               "to": self.month_to.strftime("%Y-%m") if self.month_to else ""}
        return {k: v for k, v in out.items() if v}

    @property
    def place(self) -> str:
        """The code the unit picker shows: the unit, else the province."""
        return self.unit.code if self.unit else self.province.code if self.province else ""


def parse_month(value: str, path: str) -> dt.date:
    match = MONTH.match(value.strip())
    try:
        if match is None:
            raise ValueError(value)
        return dt.date(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        raise ApiError(422, _("Some of the information is not valid."),
                       [{"path": path, "message": _("Give a month as YYYY-MM.")}]) from None


def unit_ref(code: str) -> Ref | None:
    """The unit of a code (None if unknown), from the process memo."""
    code = code.strip()

    def compute() -> Ref | None:
        row = db.session.execute(select(AdministrativeUnit.id, AdministrativeUnit.code,
                                        AdministrativeUnit.name, AdministrativeUnit.level)
                                 .where(AdministrativeUnit.code == code)).first()
        return Ref(row.id, row.code, row.name, row.level) if row else None
    return settings_cache.cached(("public_unit", code), compute)


def procedure_ref(code: str) -> Ref | None:
    code = code.strip()

    def compute() -> Ref | None:
        row = db.session.execute(select(Procedure.id, Procedure.code, Procedure.name,
                                        Procedure.name_en).where(Procedure.code == code)).first()
        return Ref(row.id, row.code, row.name, "", row.name_en) if row else None
    return settings_cache.cached(("public_procedure", code), compute)


def _unit(code: str, path: str, level: str | None = None) -> Ref:
    unit = unit_ref(code)
    if unit is None or (level and unit.level != level):
        raise ApiError(422, _("Some of the information is not valid."),
                       [{"path": path, "message": _("Unknown unit code.")}])
    return unit


def _picked(args: Mapping[str, Any]) -> dict[str, str]:
    """The filter form's picker as province= / unit=: the commune if it lies in the chosen
    province, else the province alone (the form engine's own rule)."""
    if not hasattr(args, "getlist") or PICKER_PROVINCE not in args:
        return {}
    code = _picker_form(current_locale()).from_formdata(args).get(PICKER_FIELD)
    if not code:
        return {"province": "", "unit": ""}
    unit = unit_ref(code)
    if unit is not None and unit.level == "province":
        return {"province": code, "unit": ""}
    return {"province": "", "unit": code}


def parse_filters(args: Mapping[str, Any]) -> PublicFilters:
    """Filters from ?province=&unit=&procedure=&status=&month= (or from=&to=), or a 422."""
    found = PublicFilters()
    picked = _picked(args)
    province = picked.get("province", args.get("province"))
    unit = picked.get("unit", args.get(PICKER_FIELD))
    if province:
        found.province = _unit(str(province), "/province", "province")
    if unit:
        found.unit = _unit(str(unit), "/unit")
    if args.get("procedure"):
        found.procedure = procedure_ref(str(args["procedure"]))
        if found.procedure is None:
            raise ApiError(422, _("Some of the information is not valid."),
                           [{"path": "/procedure", "message": _("Unknown procedure code.")}])
    status = str(args.get("status") or "").strip()
    if status:
        if status not in STATUSES or status == "draft":
            raise ApiError(422, _("Some of the information is not valid."),
                           [{"path": "/status", "message": _("Unknown status.")}])
        found = replace(found, status=status)  # (a filter, not a dossier: the gate sets those)
    if args.get("month"):
        found.month_from = found.month_to = parse_month(str(args["month"]), "/month")
    if args.get("from"):
        found.month_from = parse_month(str(args["from"]), "/from")
    if args.get("to"):
        found.month_to = parse_month(str(args["to"]), "/to")
    return found


# --- What the filter forms offer ---------------------------------------------------------------

_PICKERS: dict[str, Any] = {}


def _picker_form(locale: str):
    """The picker as a one-field form (compiled once per language: its title is the page's)."""
    if locale not in _PICKERS:
        _PICKERS[locale] = compile_schema({"type": "object", "properties": {
            PICKER_FIELD: {"type": "string", "format": "vn-unit", "title": _("Unit")}}})
    return _PICKERS[locale]


def unit_picker(code: str = "") -> Markup:
    """The form engine's unit picker showing `code` (a province, or a commune with its
    province's list); the same HTML for everyone. The empty picker and each province's are
    drawn once per process and language. A commune's is its province's with the commune's
    option selected, the only difference (drawn by the engine where that option is not found,
    e.g. a commune under a district): kept, one per commune and language, they would be ≈ 6,700
    strings of 10–16 kB (5–8 k characters, two bytes each) in every worker, ≈ 80 MB
    (docs/performance.md, "Worker memory")."""
    locale = current_locale()
    unit = unit_ref(code) if code else None
    if unit is None or unit.level == "province":
        return _kept_picker(code, locale)
    parent = parent_code(unit.code)
    province = unit_ref(parent) if parent else None
    if province is not None and province.level == "province":
        shown = _kept_picker(province.code, locale)
        option = Markup('<option value="{}">').format(unit.code)
        if shown.count(option) == 1:
            return shown.replace(option, Markup('<option value="{}" selected>').format(unit.code))
    return _draw_picker(code, locale)


def _draw_picker(code: str, locale: str) -> Markup:
    return _picker_form(locale).render({PICKER_FIELD: code} if code else {}, None, locale)


def _kept_picker(code: str, locale: str) -> Markup:
    return settings_cache.cached(("public_unit_picker", code, locale),
                                 lambda: _draw_picker(code, locale))


def procedure_choices() -> tuple[tuple[str, str], ...]:
    """(code, name in the reader's language) of every active procedure, by name."""
    locale = current_locale()

    def compute() -> tuple[tuple[str, str], ...]:
        rows = db.session.execute(select(Procedure.code, Procedure.name, Procedure.name_en)
                                  .where(Procedure.active.is_(True)).order_by(Procedure.sort_name))
        return tuple((code, name_en if locale == "en" and name_en else name)
                     for code, name, name_en in rows)
    return settings_cache.cached(("public_procedures", locale), compute)


def choices(filters: PublicFilters | None = None) -> dict[str, Any]:
    """What the filter forms offer: the unit picker, the procedures (the chosen one even if it
    is no longer offered)."""
    filters = filters or PublicFilters()
    procedures = procedure_choices()
    chosen = filters.procedure
    if chosen is not None and chosen.code not in {code for code, _n in procedures}:
        procedures = ((chosen.code, chosen.name), *procedures)
    return {"picker": unit_picker(filters.place), "procedures": procedures}
