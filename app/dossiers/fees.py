"""What a dossier costs, computed on the server from the definition, the unit's offering and the
province's settings: the procedure's fee (× copies), extra fees, a reduction for online filing,
an exemption by category (Law on Civil Status art. 11) and the postal charge.

Definition keys read from `Procedure.extra`: `fee_quantity_field`, `extra_fees`
(`[{key, title, amount, quantity_field, exemptible?, x-i18n?}]`), `fee_exemptions` (category keys,
default all three; `[]` offers none), `fee_exemptible` (default true) and `payment_stage`
(`"submission"`: paid before submitting; default `"processing"`: when the officer asks).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.core import settings_cache
from app.dossiers.models import Dossier
from app.extensions import db
from app.procedures.fees import FeeSetting, fee_inputs
from app.procedures.models import UnitProcedure
from app.workdays import LOCAL_TZ

# Law on Civil Status art. 11: categories exempt from registration fees (vi label, en label).
EXEMPTIONS: dict[str, tuple[str, Any]] = {
    "poor_household": ("Người thuộc hộ nghèo", _l("Member of a poor household")),
    "disability": ("Người khuyết tật", _l("Person with a disability")),
    "meritorious_family": ("Người thuộc gia đình có công với cách mạng",
                           _l("Family of a person with meritorious service to the revolution")),
}
EXEMPTION_PROOF = "fee_exemption_proof"
EXEMPTION_PROOF_TITLE = ("Giấy tờ chứng minh thuộc đối tượng được miễn lệ phí (nếu đề nghị miễn)",
                         "Proof of the fee exemption category (if you claim an exemption)")
STAGES = ("submission", "processing")
MAX_QUANTITY = 1000  # the form's own maximum is checked at submission; this only bounds the sum


@dataclass
class FeeItem:
    """One line of the bill: positive charges, negative reductions and exemptions."""

    key: str
    label: str
    label_en: str
    amount: int
    quantity: int = 1
    unit_amount: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "label_en": self.label_en,
                "quantity": self.quantity, "unit_amount": self.unit_amount, "amount": self.amount}


@dataclass
class FeeQuote:
    items: list[FeeItem] = field(default_factory=list)
    exemption: str | None = None  # the category that waived something
    exemptible: int = 0  # what an exemption would waive

    @property
    def total(self) -> int:
        return max(0, sum(i.amount for i in self.items))


def money(amount: int | None) -> str:
    """12.000 — dong as Vietnamese write them."""
    return f"{int(amount or 0):,}".replace(",", ".")


def item_label(item: dict[str, Any], locale: str) -> str:
    return (item.get("label_en") if locale == "en" else None) or item.get("label", "")


def payment_stage(procedure: Any) -> str:
    stage = (procedure.extra or {}).get("payment_stage")
    return stage if stage in STAGES else "processing"


def exemptions_offered(procedure: Any) -> list[str]:
    """Exemption categories the citizen may claim for this procedure."""
    keys = (procedure.extra or {}).get("fee_exemptions")
    if keys is None:
        return list(EXEMPTIONS)
    return [k for k in keys if k in EXEMPTIONS] if isinstance(keys, list) else []


def _value(data: Any, path: str) -> Any:
    for part in path.replace(".", "/").strip("/").split("/"):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def quantity(data: dict[str, Any], path: str | None, default: int) -> int:
    """The whole number a form field holds (copies), bounded; `default` when absent."""
    if not path:
        return default
    value = _value(data or {}, path)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        return default
    return min(value, MAX_QUANTITY)


FEE_INPUTS = "fee_inputs"


def _inputs(dossier: Dossier) -> tuple[Any, int | None]:
    """The province's settings and the offering's own fee, read once per transaction (and once
    per process while no administrator changes them: app/core/settings_cache).

    A submission quotes the fee in its guard and again in its effect; both see the same rows.
    """
    cache = db.session.info.setdefault(FEE_INPUTS, {})
    key = (dossier.unit_id, dossier.procedure_id)
    if key not in cache:
        unit, procedure_id = dossier.unit, dossier.procedure_id
        province_id = unit.province.id if unit is not None else None
        cache[key] = settings_cache.cached(("fee_inputs", province_id, *key),
                                           lambda: fee_inputs(unit, procedure_id))
    return cache[key]


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_inputs(session: Session) -> None:
    session.info.pop(FEE_INPUTS, None)


@event.listens_for(Session, "before_flush")
def _forget_changed_inputs(session: Session, _context: Any, _instances: Any) -> None:
    """An administrator's change of a fee in this transaction is quoted at once."""
    touched = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(obj, (FeeSetting, UnitProcedure)) for obj in touched):
        session.info.pop(FEE_INPUTS, None)


def base_fee(dossier: Dossier, settings_fee: int | None) -> int:
    """The unit offering's own fee, else the province's, else the definition's."""
    override = _inputs(dossier)[1]
    if override is not None:
        return override
    if settings_fee is not None:
        return settings_fee
    return dossier.procedure.fee or 0


def _local_today(moment: dt.datetime | None) -> dt.date:
    moment = moment or dt.datetime.now(dt.timezone.utc)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(LOCAL_TZ).date()


def quote(dossier: Dossier, data: dict[str, Any] | None = None,
          moment: dt.datetime | None = None) -> FeeQuote:
    """The itemised fee of the dossier as it stands (or with `data` instead of its own)."""
    procedure, extra = dossier.procedure, dossier.procedure.extra or {}
    data = dossier.data if data is None else data
    settings = _inputs(dossier)[0]
    result = FeeQuote()
    unit_amount = base_fee(dossier, settings.fee)
    copies = quantity(data, extra.get("fee_quantity_field"), 1)
    base = unit_amount * copies
    if base > 0:
        result.items.append(FeeItem("fee", f"Phí, lệ phí: {procedure.name}",
                                    f"Fee: {procedure.name_en or procedure.name}", base, copies,
                                    unit_amount))
    exemptible = base if extra.get("fee_exemptible", True) else 0
    for spec in extra.get("extra_fees") or []:
        if not isinstance(spec, dict) or not isinstance(spec.get("amount"), int):
            continue
        count = quantity(data, spec.get("quantity_field"), 0 if spec.get("quantity_field") else 1)
        if count <= 0 or spec["amount"] <= 0:
            continue
        title = str(spec.get("title") or spec.get("key") or "")
        title_en = ((spec.get("x-i18n") or {}).get("en") or {}).get("title") or title
        amount = spec["amount"] * count
        result.items.append(FeeItem(str(spec.get("key") or "extra"), title, title_en, amount, count,
                                    spec["amount"]))
        exemptible += amount if spec.get("exemptible") else 0
    percent = settings.reduction_on(_local_today(moment))
    channel = getattr(dossier, "channel", None) or "online"
    if base > 0 and 0 < percent <= 100 and channel == "online":
        cut = base * percent // 100
        result.items.append(FeeItem("online_reduction", f"Giảm {percent}% khi nộp hồ sơ trực tuyến",
                                    f"{percent}% off for filing online", -cut))
        exemptible -= min(cut, base)
    result.exemptible = max(0, exemptible)
    category = dossier.fee_exemption
    if category in exemptions_offered(procedure) and exemptible > 0:
        label_vi, label_en = EXEMPTIONS[category]
        result.items.append(FeeItem("exemption", f"Miễn lệ phí: {label_vi}",
                                    f"Exempt: {label_en}", -exemptible))
        result.exemption = category
    if dossier.delivery_method == "post" and settings.postal_charge > 0:
        result.items.append(FeeItem("postage", "Cước bưu chính (trả kết quả qua dịch vụ bưu chính)",
                                    "Postage (result by post)", settings.postal_charge))
    return result


def exemption_available(dossier: Dossier) -> bool:
    """The citizen may claim an exemption: the procedure offers some and they would waive a fee."""
    return bool(exemptions_offered(dossier.procedure)) and quote(dossier).exemptible > 0


def exemption_problems(procedure: Any, category: Any) -> list[dict]:
    """A claimed exemption must be one the procedure offers (None or "" claims none)."""
    if category in (None, "") or category in exemptions_offered(procedure):
        return []
    return [{"path": "/fee/exemption", "message": str(_l("Choose one of the exemption categories."))}]


def amount_due(dossier: Dossier) -> int:
    """What remains to be paid of the fee as it stands."""
    return max(0, (dossier.fee or 0) - (dossier.fee_paid or 0))


def settled_status(dossier: Dossier) -> str:
    """The payment status the amounts imply (none, unpaid, pending, paid, exempt, refunded)."""
    if dossier.payment_status == "refunded" and not dossier.fee_paid:
        return "refunded"
    if (dossier.fee or 0) <= 0:
        if dossier.fee_paid:
            return "paid"
        waived = any(i.get("key") == "exemption" for i in dossier.fee_items or [])
        return "exempt" if waived else "none"
    if amount_due(dossier) <= 0:
        return "paid"
    return "pending" if dossier.payment_status == "pending" else "unpaid"


def apply_quote(dossier: Dossier, result: FeeQuote) -> None:
    """Store the computed fee on the dossier and what it means for its payment status."""
    dossier.fee = result.total
    dossier.fee_items = [i.as_dict() for i in result.items]
    dossier.payment_status = settled_status(dossier)


def refresh_fee(dossier: Dossier) -> FeeQuote:
    """Recompute the fee of an editable dossier (after each change of its data or delivery)."""
    result = quote(dossier)
    apply_quote(dossier, result)
    return result


def payable_now(dossier: Dossier) -> bool:
    """The owner may pay online now: something is due at this stage of the dossier."""
    if amount_due(dossier) <= 0 or dossier.payment_status not in ("unpaid", "pending"):
        return False
    if dossier.status == "awaiting_payment":
        return True
    return payment_stage(dossier.procedure) == "submission" and \
        dossier.status in ("draft", "needs_supplement")


def fee_json(dossier: Dossier) -> dict[str, Any]:
    """The fee as the API shows it: {"amount", "items", …}."""
    return {"amount": dossier.fee or 0, "items": list(dossier.fee_items or []),
            "paid": dossier.fee_paid or 0, "due": amount_due(dossier),
            "exemption": dossier.fee_exemption, "stage": payment_stage(dossier.procedure)}


# --- Sections other packages add to the dossier pages (payments: pay button, receipts) -------
Section = Callable[[Dossier, Any, str], "Markup | None"]
PAGE_SECTIONS: list[Section] = []


def page_section(fn: Section) -> Section:
    """Register a renderer of (dossier, user, page) → HTML; page is citizen, review or officer."""
    if fn not in PAGE_SECTIONS:
        PAGE_SECTIONS.append(fn)
    return fn


def page_sections(dossier: Dossier, user: Any, page: str) -> list[Markup]:
    return [html for fn in PAGE_SECTIONS if (html := fn(dossier, user, page))]


# --- What the payment gateways may say about a dossier (no status, no history) ---------------

def note_payment_started(dossier: Dossier) -> None:
    """An online attempt is under way: the citizen sees "pending" until the gateway answers."""
    if dossier.payment_status == "unpaid":
        dossier.payment_status = "pending"


def note_payment_ended(dossier: Dossier) -> None:
    """An attempt failed or expired and nothing was credited: the amount is due again."""
    if dossier.payment_status == "pending":
        dossier.payment_status = "unpaid"
        dossier.payment_status = settled_status(dossier)
