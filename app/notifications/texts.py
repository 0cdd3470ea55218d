"""Administrator-edited notification texts per event, channel, language and province."""
from __future__ import annotations

import datetime as dt
import string
from typing import Any, Optional

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, DateTime, ForeignKey, String, Text, or_, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core import settings_cache
from app.core.types import utcnow
from app.extensions import db

PLACEHOLDERS = ("code", "procedure", "due_date", "unit", "lookup_url", "rating_url", "note", "status",
                "amount", "tracking_number", "tracking_url", "carrier")
EVENTS = {
    "submitted": _l("Submitted"), "received": _l("Received"),
    "needs_supplement": _l("Supplement requested"), "rejected": _l("Refused to receive"),
    "awaiting_payment": _l("Payment requested"), "result_ready": _l("Result ready"),
    "refused": _l("Refused"), "stopped": _l("Processing stopped"), "returned": _l("Returned"),
    "apologized": _l("Apology and new appointment"), "withdrawn": _l("Withdrawn"),
    "paid": _l("Payment received"), "refunded": _l("Refunded"),
    "forwarded": _l("Forwarded to another unit"),
}
NOTIFICATION_CHANNELS = ("email", "sms")
NOTIFICATION_LOCALES = ("vi", "en")
SMS_MAX = 480  # three concatenated SMS segments of unaccented text


class NotificationTemplate(Model):
    """Subject and body of one notification; a province's row wins over the national one."""

    __tablename__ = "notification_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    event: Mapped[str] = mapped_column(String(50), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    locale: Mapped[str] = mapped_column(String(10), default="vi")
    province_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("administrative_units.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(255), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    onupdate=utcnow)

    province = relationship("AdministrativeUnit")

    def __repr__(self) -> str:
        return f"{self.event}/{self.channel}/{self.locale}"

    __str__ = __repr__


def placeholder_problems(text: str) -> list[str]:
    """Why a text's placeholders would not render (unknown names, broken braces); [] if fine."""
    problems: list[str] = []
    try:
        parsed = list(string.Formatter().parse(text or ""))
    except ValueError:
        return [str(_l("Braces do not match: write {name} for a placeholder and {{ or }} for a "
                       "brace."))]
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in PLACEHOLDERS:
            problems.append(str(_l("Unknown placeholder {%(name)s}; use one of: %(known)s.",
                                   name=name, known=", ".join("{%s}" % p for p in PLACEHOLDERS))))
        elif spec or conversion:
            problems.append(str(_l("Write the placeholder {%(name)s} without a format.", name=name)))
    return problems


def render_text(text: str, context: dict[str, Any]) -> str:
    """Fill the placeholders; missing values become empty text."""
    values = {name: str(context.get(name) or "") for name in PLACEHOLDERS}
    return (text or "").format_map(values)


def find_templates(event: str, channels: tuple[str, ...], locale: str, province_id: int | None
                   ) -> dict[str, tuple[str, str]]:
    """The administrators' (subject, body) per channel for this case, the province's over the
    national one; a channel without a text is absent. One statement for all channels, and none
    while the texts are unchanged since this process last read them (app/core/settings_cache)."""
    found = settings_cache.cached(("notification_texts", event, tuple(channels), locale, province_id),
                                  lambda: _read_texts(event, tuple(channels), locale, province_id))
    return dict(found)


def _read_texts(event: str, channels: tuple[str, ...], locale: str, province_id: int | None
                ) -> tuple[tuple[str, tuple[str, str]], ...]:
    national = NotificationTemplate.province_id.is_(None)
    stmt = select(NotificationTemplate).where(
        NotificationTemplate.event == event, NotificationTemplate.channel.in_(channels),
        NotificationTemplate.locale == locale, NotificationTemplate.active.is_(True),
        or_(national, NotificationTemplate.province_id == province_id)
        if province_id is not None else national)
    found: dict[str, NotificationTemplate] = {}
    with db.session.no_autoflush:  # texts are read, not written, by the caller's transaction
        rows = db.session.scalars(stmt).all()
    for row in rows:  # the national row, and the province's own
        if row.channel not in found or row.province_id is not None:
            found[row.channel] = row
    return tuple((channel, (row.subject, row.body)) for channel, row in found.items())


def find_template(event: str, channel: str, locale: str, province_code: str | None
                  ) -> tuple[str, str] | None:
    """The administrators' (subject, body) for this case, the province's first; None if unset
    (by the province's code; read each time — the filing path uses find_templates)."""
    national = NotificationTemplate.province_id.is_(None)
    rows = db.session.scalars(select(NotificationTemplate).where(
        NotificationTemplate.event == event, NotificationTemplate.channel == channel,
        NotificationTemplate.locale == locale, NotificationTemplate.active.is_(True),
        or_(national, NotificationTemplate.province.has(code=province_code)) if province_code
        else national)).all()
    row = next((r for r in rows if r.province_id is not None), None) or \
        next((r for r in rows if r.province_id is None), None)
    return (row.subject, row.body) if row is not None else None


def rendered_templates(event: str, channels: tuple[str, ...], locale: str,
                       province_id: int | None, context: dict[str, Any]
                       ) -> dict[str, tuple[str, str]]:
    """find_templates with the placeholders filled from a context."""
    return {channel: (render_text(subject, context), render_text(body, context))
            for channel, (subject, body) in
            find_templates(event, channels, locale, province_id).items()}


def rendered_template(event: str, channel: str, locale: str, province_code: str | None,
                      context: dict[str, Any]) -> tuple[str, str] | None:
    """find_template with the placeholders filled from a context."""
    found = find_template(event, channel, locale, province_code)
    if found is None:
        return None
    return render_text(found[0], context), render_text(found[1], context)


settings_cache.watch(NotificationTemplate)
