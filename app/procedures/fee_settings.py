"""A province's fees, online reductions and postal charges, set by an administrator (audited)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping

from flask_babel import gettext as _
from sqlalchemy import select

from app.core import audit
from app.core.refusal import Refused
from app.extensions import db
from app.procedures.fees import FeeSetting
from app.procedures.models import Procedure

MAX_AMOUNT = 100_000_000
COLUMNS = ("fee", "online_reduction_percent", "reduction_until", "postal_charge")


@dataclass
class RowInput:
    """The form fields of one row: the province-wide one (procedure None) or a procedure's."""

    procedure: Procedure | None
    prefix: str  # "" for the province-wide row, "-<procedure id>" for a procedure's


def field_names(prefix: str) -> dict[str, str]:
    return {"fee": f"fee{prefix}", "online_reduction_percent": f"percent{prefix}",
            "reduction_until": f"until{prefix}", "postal_charge": f"postage{prefix}" if prefix
            else "postal_charge"}


def _money(text: str, name: str, errors: dict[str, str]) -> int | None:
    text = (text or "").strip().replace(".", "").replace(",", "").replace(" ", "")
    if not text:
        return None
    if not text.isdigit() or int(text) > MAX_AMOUNT:
        errors[name] = _("Write an amount in dong: a whole number from 0 to 100.000.000.")
        return None
    return int(text)


def _percent(text: str, name: str, errors: dict[str, str]) -> int | None:
    text = (text or "").strip().rstrip("%").strip()
    if not text:
        return None
    if not text.isdigit() or not 0 <= int(text) <= 100:
        errors[name] = _("Write a percentage from 0 to 100.")
        return None
    return int(text)


def _date(text: str, name: str, errors: dict[str, str]) -> dt.date | None:
    text = (text or "").strip()
    if not text:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    errors[name] = _("Write the date as dd/mm/yyyy.")
    return None


def parse_row(form: Mapping[str, str], prefix: str, errors: dict[str, str]) -> dict[str, Any]:
    names = field_names(prefix)
    values = {
        "fee": _money(form.get(names["fee"], ""), names["fee"], errors) if prefix else None,
        "online_reduction_percent": _percent(form.get(names["online_reduction_percent"], ""),
                                             names["online_reduction_percent"], errors),
        "reduction_until": _date(form.get(names["reduction_until"], ""), names["reduction_until"],
                                 errors),
        "postal_charge": _money(form.get(names["postal_charge"], ""), names["postal_charge"], errors),
    }
    if values["reduction_until"] and values["online_reduction_percent"] is None:
        errors[names["reduction_until"]] = _("An end date needs a reduction.")
    return values


def save_fee_settings(province: Any, rows: list[RowInput], form: Mapping[str, str]) -> int:
    """Replace the province's settings with the form's, all or nothing; returns rows changed."""
    errors: dict[str, str] = {}
    parsed = [(row, parse_row(form, row.prefix, errors)) for row in rows]
    if errors:
        raise Refused(list(dict.fromkeys(errors.values())), {k: [v] for k, v in errors.items()})
    existing = {r.procedure_id: r for r in db.session.scalars(
        select(FeeSetting).where(FeeSetting.province_id == province.id))}
    changed = 0
    for row, values in parsed:
        procedure_id = row.procedure.id if row.procedure is not None else None
        setting = existing.get(procedure_id)
        label = f"{province.code}/{row.procedure.code if row.procedure else '*'}"
        if all(v is None for v in values.values()):
            if setting is not None:
                audit.record("delete", "FeeSetting", label, label, audit.snapshot(setting))
                db.session.delete(setting)
                changed += 1
            continue
        before = {c: getattr(setting, c) for c in COLUMNS} if setting else dict.fromkeys(COLUMNS)
        diff = {c: [before[c], values[c]] for c in COLUMNS if before[c] != values[c]}
        if not diff:
            continue
        if setting is None:
            setting = FeeSetting(province_id=province.id, procedure_id=procedure_id)
            db.session.add(setting)
        for column, value in values.items():
            setattr(setting, column, value)
        audit.record("update" if procedure_id in existing else "create", "FeeSetting", label,
                     f"{province.name}: {row.procedure.name if row.procedure else _('every procedure')}",
                     diff)
        changed += 1
    db.session.flush()
    return changed
