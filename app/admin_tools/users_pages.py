"""Staff accounts and the audit log of administrative changes."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import BaseView, ModelView, expose, has_access
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from app.admin_tools import users_ops as ops
from app.admin_tools.unit_choice import split_codes, unit_choice
from app.core.audit import AdminAuditRecord, action_label, object_label
from app.core.columns import moment
from app.core.refusal import Refused
from app.extensions import db, limiter
from app.security.roles import STAFF_ROLES


class StaffAdminView(BaseView):
    """The office's accounts (citizens have their own list): create officers and bind them to
    units; deactivate; reset passwords."""

    route_base = "/admin/staff"
    default_view = "index"
    class_permission_name = "StaffAccounts"
    method_permission_name = {"index": "write", "new": "write", "edit": "write"}
    base_permissions = ["can_write"]

    @expose("/")
    @has_access
    def index(self):
        sm = self.appbuilder.sm
        q = (request.args.get("q") or "").strip()
        stmt = select(sm.user_model).where(sm.user_model.roles.any(
            sm.role_model.name.in_(STAFF_ROLES))).order_by(sm.user_model.username).limit(500)
        if q:
            like = f"%{q}%"
            stmt = stmt.where(or_(sm.user_model.username.ilike(like),
                                  sm.user_model.email.ilike(like),
                                  sm.user_model.last_name.ilike(like)))
        users = db.session.scalars(stmt).all()
        return self.render_template("admin_tools/staff_list.html", users=users, q=q,
                                    unit_codes_of=ops.unit_codes_of)

    @expose("/new", methods=["GET", "POST"])
    @has_access
    @limiter.limit("30 per minute", methods=["POST"])
    def new(self):
        values = {k: request.form.get(k, "") for k in
                  ("username", "first_name", "last_name", "email", "role")}
        errors: dict[str, list[str]] = {}
        choice = unit_choice("unit", request.form if request.method == "POST" else None)
        password = ""
        if request.method == "POST" and choice.handled:  # the unit picker without JavaScript
            password = request.form.get("password", "")  # drawn again, nothing typed lost
        elif request.method == "POST":
            try:
                user = ops.create_staff({**values, "password": request.form.get("password", ""),
                                         "units": choice.codes + split_codes(request.form.get("units"))})
            except Refused as exc:
                errors = exc.fields
            else:
                flash(_("Account %(u)s created.", u=user.username), "success")
                return redirect(url_for(".edit", user_id=user.id))
        return self.render_template("admin_tools/staff_new.html", values=values, errors=errors,
                                    roles=ops.STAFF_ROLES, choice=choice, password=password
                                    ), 422 if errors else 200

    @expose("/<int:user_id>", methods=["GET", "POST"])
    @has_access
    @limiter.limit("30 per minute", methods=["POST"])
    def edit(self, user_id: int):
        user = db.session.get(self.appbuilder.sm.user_model, user_id)
        if user is None:
            abort(404)
        errors: dict[str, list[str]] = {}
        saving = request.method == "POST" and request.form.get("action") != "password"
        choice = unit_choice("unit", request.form if saving else None,
                             initial=ops.unit_codes_of(user))
        active = bool(request.form.get("active")) if saving else user.active
        if request.method == "POST" and not choice.handled:
            try:
                if request.form.get("action") == "password":
                    ops.reset_password(user, request.form.get("password", ""))
                    flash(_("Password changed. Give it to the person in a safe way."), "success")
                else:
                    ops.update_staff(user, active, choice.codes + split_codes(request.form.get("units")))
                    flash(_("Saved."), "success")
            except Refused as exc:
                db.session.rollback()
                errors = exc.fields
            else:
                return redirect(url_for(".edit", user_id=user.id))
        records = db.session.scalars(select(AdminAuditRecord).where(
            AdminAuditRecord.actor_id == user.id).order_by(AdminAuditRecord.id.desc()).limit(50)).all()
        return self.render_template("admin_tools/staff_edit.html", user=user, errors=errors,
                                    choice=choice, active=active, records=records
                                    ), 422 if errors else 200


class AdminAuditModelView(ModelView):
    """Who did what in the back office (read-only)."""

    datamodel = SQLAInterface(AdminAuditRecord)
    class_permission_name = "AdminAudit"
    method_permission_name = {"list": "read", "show": "read"}
    base_permissions = ["can_read"]
    list_title = _l("Administrative changes")
    show_title = _l("Administrative change")
    list_columns = ["created_at", "actor_name", "action", "object_type", "object_id", "summary"]
    show_columns = list_columns + ["changes"]
    search_columns = ["actor_name", "action", "object_type", "object_id", "created_at"]
    base_order = ("id", "desc")
    page_size = 50
    formatters_columns = {"created_at": moment, "action": action_label, "object_type": object_label}
    label_columns = {"created_at": _l("Time"), "actor_name": _l("Who"), "action": _l("Action"),
                     "object_type": _l("Object"), "object_id": _l("Identifier"),
                     "summary": _l("Summary"), "changes": _l("Changes")}
