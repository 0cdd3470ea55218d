"""What the dossier page shows: the read-only form, files, history, notes, papers."""
from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from app.core.locale import current_locale
from app.dossiers import fees, lifecycle
from app.dossiers.attachments import document_titles
from app.dossiers.effects import remaining_days, tracking_url
from app.dossiers.linked import children_progress, parts
from app.dossiers.models import Dossier, SatisfactionRating
from app.dossiers.papers import PAPER_TITLES, available_papers
from app.dossiers.results import result_document_required
from app.dossiers.status import CHANNEL_LABELS, PAYMENT_LABELS
from app.dossiers.submission import address_text, compiled_form
from app.extensions import db
from app.security.names import full_name

DELIVERY_LABELS = {"office": _l("At the one-stop office"), "post": _l("By post"),
                   "online": _l("Online (electronic result)")}


def readonly_form(dossier: Dossier) -> Markup:
    """The filled declaration through the form engine; a plain list if the schema fails."""
    try:
        return compiled_form(dossier).render_readonly(dossier.data or {}, current_locale())
    except Exception:  # an unsupported schema must not hide the data from the officer
        current_app.logger.exception("read-only rendering failed for %s", dossier.code)
        items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>"
                        for k, v in (dossier.data or {}).items())
        return Markup(f"<dl class='bo-raw'>{items}</dl>")  # noqa: S704 - escaped above


def _titles(dossier: Dossier) -> dict[str, str]:
    return document_titles(dossier)


def _name(user: Any) -> str:
    return full_name(user)


def dossier_page_context(dossier: Dossier, user: Any) -> dict[str, Any]:
    """Template variables of the officer's dossier page."""
    events = list(dossier.events)
    done, total = children_progress(dossier)
    rating = db.session.query(SatisfactionRating).filter_by(dossier_id=dossier.id).first()
    return {
        "form_html": readonly_form(dossier),
        "titles": _titles(dossier),
        "history": [(e, _name(e.actor)) for e in events if e.action != "note"],
        "notes": [(e, _name(e.actor)) for e in events if e.action == "note"],
        "remaining": remaining_days(dossier),
        "papers": [(kind, PAPER_TITLES[kind]) for kind in available_papers(dossier, citizen=False)],
        "children": list(dossier.children), "parts": parts(dossier),
        "children_done": done, "children_total": total,
        "rating": rating,
        "delivery_labels": DELIVERY_LABELS, "payment_labels": PAYMENT_LABELS,
        "channel_labels": CHANNEL_LABELS,
        "fee_sections": fees.page_sections(dossier, user, "officer"), "money": fees.money,
        "item_label": fees.item_label, "locale": current_locale(), "due": fees.amount_due(dossier),
        "exemption_label": fees.EXEMPTIONS.get(dossier.fee_exemption, ("",))[0],
        "tracking_url": tracking_url(dossier.tracking_number),
        "address_text": address_text(dossier.delivery_address or {}),
        "action_labels": action_labels(),
        "result_required": result_document_required(dossier),
    }


def action_labels() -> dict[str, Any]:
    """Labels of history entries: every lifecycle action, plus creation."""
    labels: dict[str, Any] = {a: t.label for a, t in lifecycle.TRANSITIONS.items()}
    labels.update(lifecycle.EVENT_LABELS)
    return labels
