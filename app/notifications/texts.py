"""Administrator-edited notification texts per event, channel, language and province."""
from __future__ import annotations

import datetime as dt
import string
from typing import Any, Optional

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import Boolean, DateTime, ForeignKey, String, Text, or_, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core import settings_cache
from app.core.deletion import describe_references
from app.core.types import utcnow
from app.extensions import db

PLACEHOLDERS = ("code", "procedure", "due_date", "unit", "lookup_url", "dossier_url", "rating_url",
                "note", "status", "amount", "tracking_number", "tracking_url", "carrier")
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
        ForeignKey("administrative_units.id", ondelete="NO ACTION"), index=True)
    subject: Mapped[str] = mapped_column(String(255), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    onupdate=utcnow)

    province = relationship("AdministrativeUnit")

    def __repr__(self) -> str:
        return f"{self.event}/{self.channel}/{self.locale}"

    __str__ = __repr__


def _fragment(text: str, start: int, end: int) -> str:
    """A short piece of the text around a mistake, on one line, to quote in a message."""
    piece = " ".join(text[max(start, 0):end].split())
    return piece if len(piece) <= 30 else piece[:29] + "…"


def placeholder_problems(text: str) -> list[str]:
    """Why a text's placeholders would not render (unknown names, broken braces), each naming
    the placeholder or quoting where the brace is; [] if `render_text` can fill it."""
    text = text or ""
    problems: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith(("{{", "}}"), i):
            i += 2
            continue
        if text[i] == "}":
            problems.append(str(_l(
                "Braces do not match: the closing brace after “%(fragment)s” opens no placeholder; "
                "write {name} for a placeholder and }} for a brace.",
                fragment=_fragment(text, i - 20, i + 1))))
            i += 1
            continue
        if text[i] != "{":
            i += 1
            continue
        close, reopen = text.find("}", i + 1), text.find("{", i + 1)
        if close == -1 or -1 < reopen < close:
            problems.append(str(_l(
                "Braces do not match: the placeholder “%(fragment)s” is not closed with }; "
                "write {name} for a placeholder and {{ for a brace.",
                fragment=_fragment(text, i, (reopen if reopen > -1 else len(text)) if close == -1
                                   else reopen))))
            i += 1
            continue
        field = text[i + 1:close]
        name = field.split(":", 1)[0].split("!", 1)[0]
        if name in PLACEHOLDERS and name != field:
            problems.append(str(_l("Write the placeholder {%(name)s} without a format.", name=name)))
        elif not field.strip():
            problems.append(str(_l("An empty placeholder {}: write one of %(known)s between the "
                                   "braces.", known=", ".join("{%s}" % p for p in PLACEHOLDERS))))
        elif name not in PLACEHOLDERS:
            problems.append(str(_l("Unknown placeholder {%(name)s}; use one of: %(known)s.",
                                   name=field.strip(),
                                   known=", ".join("{%s}" % p for p in PLACEHOLDERS))))
        i = close + 1
    if not problems:  # the scan above and str.format must agree; never let a text fail later
        try:
            list(string.Formatter().parse(text))
        except ValueError:
            problems.append(str(_l("Braces do not match: write {name} for a placeholder and "
                                   "{{ or }} for a brace.")))
    return list(dict.fromkeys(problems))


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


describe_references("notification_templates", lambda n: ngettext(
    "%(num)d notification text of the province", "%(num)d notification texts of the province", n),
    target="administrative_units")
settings_cache.watch(NotificationTemplate)
