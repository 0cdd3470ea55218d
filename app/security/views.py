"""Admin views of accounts (staff, citizens, roles, officer units) with readable values and
guarded deletes; FAB's login, logout and own-password views hardened."""
from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from flask import flash, g, redirect, request, url_for
from flask_appbuilder import ModelView, has_access
from flask_appbuilder._compat import as_unicode
from flask_appbuilder.actions import action
from flask_appbuilder.fieldwidgets import BS3PasswordFieldWidget
from flask_appbuilder.forms import DynamicForm
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security import views as fab_views
from flask_appbuilder.security.forms import ResetPasswordForm
from flask_appbuilder.security.sqla.models import Role, User
from flask_appbuilder.views import expose
from flask_appbuilder.widgets import ListWidget
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import not_
from werkzeug.security import check_password_hash
from wtforms import PasswordField
from wtforms.validators import DataRequired

from app.core.audit import AuditedViewMixin
from app.core.columns import or_dash, person, server_moment, yes_no
from app.core.deletion import GuardedDeleteMixin, run_action
from app.extensions import db
from app.security import sessions
from app.security.models import UserUnit
from app.security.roles import STAFF_ROLES, role_label, roles_text
from app.security.users import delete_user, set_user_active


class UserUnitModelView(AuditedViewMixin, ModelView):
    datamodel = SQLAInterface(UserUnit)
    class_permission_name = "UserUnit"
    method_permission_name = {
        "list": "read", "show": "read", "add": "write", "edit": "write", "delete": "write",
    }
    list_title = _l("Officer units")
    list_columns = add_columns = edit_columns = show_columns = ["user", "unit"]
    search_columns = ["user", "unit"]
    label_columns = {"user": _l("User"), "unit": _l("Unit")}
    formatters_columns = {"user": person}


class StaffFilter(BaseFilter):
    """Accounts holding a role of the office (citizens have their own list)."""

    name = "Staff accounts"
    arg_name = None

    def apply(self, query, value):
        return query.filter(User.roles.any(Role.name.in_(STAFF_ROLES)))


class CitizenFilter(BaseFilter):
    name = "Citizen accounts"
    arg_name = None

    def apply(self, query, value):
        return query.filter(not_(User.roles.any(Role.name.in_(STAFF_ROLES))))


ACCOUNT_FORMATTERS = {
    "active": yes_no, "roles": roles_text, "last_login": server_moment,
    "created_on": server_moment, "changed_on": server_moment, "created_by": person,
    "changed_by": person, "email": or_dash, "groups": lambda groups: or_dash(
        ", ".join(str(group) for group in groups or []) or None),
}


class AccountActionsMixin:
    """A person's account is deactivated, never deleted while dossiers or history name it."""

    def delete_item(self, item) -> None:
        delete_user(item)

    @action("deactivate", _l("Deactivate the account"),
            _l("Deactivate the account? The person can no longer log in; the records keep "
               "their name."), "fa-user-slash")
    def deactivate(self, items):
        return run_action(self, items, lambda user: set_user_active(user, False),
                          lambda n: ngettext("%(num)d account deactivated.",
                                             "%(num)d accounts deactivated.", n))

    @action("activate", _l("Activate the account"), _l("Activate the account?"), "fa-user-check")
    def activate(self, items):
        return run_action(self, items, lambda user: set_user_active(user, True),
                          lambda n: ngettext("%(num)d account activated.",
                                             "%(num)d accounts activated.", n))


# Same class name as FAB's: its endpoints and permissions ("can_list on UserDBModelView") stay.
class UserDBModelView(AccountActionsMixin, GuardedDeleteMixin, fab_views.UserDBModelView):
    """FAB's user list, for the office's accounts only; names family name first."""

    base_filters = [["id", StaffFilter, lambda: []]]
    list_title = _l("Staff accounts")
    list_columns = ["last_name", "first_name", "username", "email", "roles", "active"]
    order_columns = ["last_name", "first_name", "username", "email", "active"]
    search_columns = ["first_name", "last_name", "username", "email", "active", "roles"]
    formatters_columns = ACCOUNT_FORMATTERS

    @expose("/userinfo/")
    @has_access
    def userinfo(self):
        """One's own account, whoever one is (FAB reads it through the list's staff filter)."""
        actions = {name: self.actions.get(name) for name in ("resetmypassword", "userinfoedit")}
        item = self.datamodel.get(g.user.id)
        widgets = self._get_show_widget(g.user.id, item, actions=actions,
                                        show_fieldsets=self.user_show_fieldsets)
        self.update_redirect()
        return self.render_template(self.show_template, title=self.user_info_title,
                                    widgets=widgets, appbuilder=self.appbuilder)


class CitizenAccountModelView(AccountActionsMixin, GuardedDeleteMixin, ModelView):
    """Citizens' accounts, apart from the office's: found, read, (de)activated."""

    datamodel = SQLAInterface(User)
    route_base = "/admin/citizens"
    class_permission_name = "CitizenAccounts"
    method_permission_name = {
        "list": "read", "show": "read", "delete": "write", "action": "write",
        "action_post": "write", "deactivate": "write", "activate": "write",
        "add": "never", "edit": "never", "download": "never",
    }
    base_permissions = ["can_read", "can_write"]
    base_filters = [["id", CitizenFilter, lambda: []]]
    list_title = _l("Citizen accounts")
    show_title = _l("Citizen account")
    list_columns = ["last_name", "first_name", "username", "email", "active", "last_login"]
    show_columns = ["last_name", "first_name", "username", "email", "roles", "active",
                    "last_login", "login_count", "created_on"]
    search_columns = ["first_name", "last_name", "username", "email", "active"]
    order_columns = ["last_name", "first_name", "username", "email", "active", "last_login"]
    base_order = ("username", "asc")
    label_columns = {**fab_views.UserModelView.label_columns,
                     "last_name": _l("Family and middle name"), "first_name": _l("Given name"),
                     "active": _l("Active (may log in)")}
    formatters_columns = ACCOUNT_FORMATTERS


class RoleModelView(fab_views.RoleModelView):
    """FAB's roles, each named as the pages name it (FAB's own list widget shows raw names)."""

    list_widget = ListWidget
    formatters_columns = {"name": lambda name: f"{role_label(name)} ({name})"}


# Same class names as FAB's: endpoints (url_for("AuthDBView.login")) and permissions follow them.
class AuthDBView(fab_views.AuthDBView):
    """FAB's login; logging out takes a POST with its CSRF token, never a plain link.

    There is one login page, the portal's (/account/login): FAB sends visitors of its protected
    views here, so a visitor who is not logged in is passed on with where they were going; the
    form's POST still works for scripts that log in here."""

    @expose("/login/", methods=["GET", "POST"])
    def login(self):
        if request.method == "GET" and not current_user.is_authenticated:
            wanted = urlsplit(request.args.get("next") or "")
            if wanted.netloc == request.host:  # FAB passes the whole URL; the login page wants a path
                wanted = wanted._replace(scheme="", netloc="")
            # the portal's login page accepts only a local path (accounts.views.safe_next)
            return redirect(url_for("accounts.login", next=urlunsplit(wanted) or None))
        return super().login()

    @expose("/logout/", methods=["POST"])
    def logout(self):
        return super().logout()


class ChangeMyPasswordForm(DynamicForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()],
                                     widget=BS3PasswordFieldWidget())
    password = ResetPasswordForm.password
    conf_password = ResetPasswordForm.conf_password


class ResetMyPasswordView(fab_views.ResetMyPasswordView):
    """Changing one's own password asks for the current one; other sessions end, this one stays."""

    form = ChangeMyPasswordForm

    def form_post(self, form):
        user = self.appbuilder.sm.get_user_by_id(g.user.id)
        if not (user and user.password and check_password_hash(user.password,
                                                               form.current_password.data)):
            form.current_password.errors = list(form.current_password.errors) + [
                _l("The current password is not right.")]
            return self.render_template(self.form_template, title=self.form_title,
                                        widgets=self._get_edit_widget(form=form),
                                        appbuilder=self.appbuilder)
        self.appbuilder.sm.reset_password(user.id, form.password.data)
        db.session.refresh(user)
        sessions.stamp_session(user)
        flash(as_unicode(self.message), "info")
        return None
