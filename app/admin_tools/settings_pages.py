"""Notification texts and province working calendars, edited by administrators."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from sqlalchemy import select

from app.admin_tools.units_pages import provinces
from app.calendar.models import ProvinceCalendar
from app.calendar.operations import save_calendar
from app.core.refusal import Refused
from app.dossiers.notifications import (
    default_text,
    delete_notification_text,
    save_notification_text,
)
from app.extensions import db
from app.notifications.texts import (
    EVENTS,
    NOTIFICATION_CHANNELS,
    NOTIFICATION_LOCALES,
    PLACEHOLDERS,
    NotificationTemplate,
    placeholder_problems,
    render_text,
)
from app.units.operations import get_unit

SAMPLE = {"code": "25279-260105-0001", "procedure": "Đăng ký khai sinh",
          "due_date": "16:00, 08/01/2026", "unit": "Xã Lộc Tấn", "status": "Đã tiếp nhận",
          "lookup_url": "https://dichvucong.example.vn/lookup?code=25279-260105-0001",
          "dossier_url": "https://dichvucong.example.vn/my/dossiers/25279-260105-0001",
          "rating_url": "https://dichvucong.example.vn/dossiers/25279-260105-0001/rating",
          "note": "Bổ sung bản chụp Giấy chứng sinh.", "amount": "8.000",
          "tracking_number": "EB123456789VN", "carrier": "VNPost",
          "tracking_url": "https://vnpost.example.vn/tra-cuu?id=EB123456789VN"}
TEXT_FIELDS = ("subject", "body")


def default_texts() -> dict[str, dict[str, dict[str, list[str]]]]:
    """Every built-in text by event, channel and language (the page switches between them)."""
    return {event: {channel: {locale: list(default_text(event, channel, locale))
                              for locale in NOTIFICATION_LOCALES}
                    for channel in NOTIFICATION_CHANNELS} for event in EVENTS}


class NotificationTextView(BaseView):
    """Email and SMS texts per event, language and province, with placeholders checked."""

    route_base = "/admin/notification-texts"
    default_view = "index"
    class_permission_name = "NotificationTexts"
    method_permission_name = {"index": "write", "edit": "write", "delete": "write"}
    base_permissions = ["can_write"]

    @expose("/")
    @has_access
    def index(self):
        rows = db.session.scalars(select(NotificationTemplate).order_by(
            NotificationTemplate.event, NotificationTemplate.channel,
            NotificationTemplate.locale)).all()
        return self.render_template("admin_tools/texts_list.html", rows=rows, events=EVENTS)

    @expose("/edit", methods=["GET", "POST"])
    @expose("/edit/<int:text_id>", methods=["GET", "POST"])
    @has_access
    def edit(self, text_id: int | None = None):
        template = db.session.get(NotificationTemplate, text_id) if text_id else None
        if text_id and template is None:
            abort(404)
        if request.method == "POST":
            values = {k: request.form.get(k, "") for k in
                      ("event", "channel", "locale", "province", "subject", "body")}
            values["active"] = bool(request.form.get("active"))
        elif template is not None:
            values = {"event": template.event, "channel": template.channel,
                      "locale": template.locale, "subject": template.subject,
                      "body": template.body, "active": template.active,
                      "province": template.province.code if template.province else ""}
        else:  # a new text starts from the built-in one of the chosen event and channel
            values = {"event": request.args.get("event", "submitted"),
                      "channel": request.args.get("channel", "email"),
                      "locale": request.args.get("locale", "vi"), "province": "", "active": True}
            values.update(_defaults_of(values))
        action = request.form.get("action") if request.method == "POST" else None
        if action == "default":  # "start from the built-in text" without JavaScript
            values.update(_defaults_of(values))
        errors: dict[str, list[str]] = {}
        if action == "save":
            try:
                saved = save_notification_text(template, values)
            except Refused as exc:
                errors = exc.fields or {"body": exc.problems}
            else:
                flash(_("Notification text saved."), "success")
                return redirect(url_for(".edit", text_id=saved.id))
        elif action:  # the preview says what is wrong, beside the field, and keeps the text
            errors = {name: problems for name in TEXT_FIELDS
                      if (problems := placeholder_problems(values[name]))}
        preview = None
        if not any(placeholder_problems(values[name]) for name in TEXT_FIELDS):
            preview = (render_text(values["subject"], SAMPLE), render_text(values["body"], SAMPLE))
        return self.render_template(
            "admin_tools/text_edit.html", text=template, values=values, errors=errors,
            preview=preview, events=EVENTS, channels=NOTIFICATION_CHANNELS,
            locales=NOTIFICATION_LOCALES, provinces=provinces(), placeholders=PLACEHOLDERS,
            defaults=default_texts() if template is None else None,
        ), 422 if errors else 200

    @expose("/delete/<int:text_id>", methods=["POST"])
    @has_access
    def delete(self, text_id: int):
        template = db.session.get(NotificationTemplate, text_id)
        if template is None:
            abort(404)
        delete_notification_text(template)
        flash(_("Notification text removed; the built-in text is used again."), "success")
        return redirect(url_for(".index"))


def _defaults_of(values: dict) -> dict[str, str]:
    """The built-in subject and body of the chosen event, channel and language."""
    if values.get("event") not in EVENTS or values.get("channel") not in NOTIFICATION_CHANNELS \
            or values.get("locale") not in NOTIFICATION_LOCALES:
        return {"subject": values.get("subject", ""), "body": values.get("body", "")}
    subject, body = default_text(values["event"], values["channel"], values["locale"])
    return {"subject": subject, "body": body}


class CalendarAdminView(BaseView):
    """A province's extra days off, worked days, cut-off time and supplement clock policy."""

    route_base = "/admin/working-calendar"
    default_view = "index"
    class_permission_name = "WorkingCalendar"
    method_permission_name = {"index": "write"}
    base_permissions = ["can_write"]

    @expose("/", methods=["GET", "POST"])
    @has_access
    def index(self):

        code = request.values.get("province", "")
        province = get_unit(code) if code else None
        if province is not None and province.level != "province":
            province = None
        problems: list[str] = []
        settings = None
        if province is not None:
            settings = db.session.scalar(select(ProvinceCalendar).where(
                ProvinceCalendar.unit_id == province.id))
        form = request.form
        if request.method == "POST" and province is not None:
            try:
                save_calendar(province, form.get("cutoff", ""), form.get("policy", ""),
                                  form.get("days_off", ""), form.get("working_days", ""))
            except Refused as exc:
                problems = exc.problems
            else:
                flash(_("Working calendar of %(p)s saved.", p=province.name), "success")
                return redirect(url_for(".index", province=province.code))
        if request.method == "GET" or not problems:
            form = _calendar_values(settings)
        return self.render_template("admin_tools/calendar.html", provinces=provinces(),
                                    province=province, values=form, problems=problems
                                    ), 422 if problems else 200


def _calendar_values(settings) -> dict[str, str]:
    if settings is None:
        return {"cutoff": "", "policy": "restart", "days_off": "", "working_days": ""}

    def lines(working: bool) -> str:
        return "\n".join(f"{d.day.strftime('%d/%m/%Y')} {d.note}".strip()
                         for d in settings.days if d.working == working)

    cutoff = "" if settings.cutoff_hour is None else \
        f"{settings.cutoff_hour:02d}:{settings.cutoff_minute or 0:02d}"
    return {"cutoff": cutoff, "policy": settings.supplement_policy,
            "days_off": lines(False), "working_days": lines(True)}
