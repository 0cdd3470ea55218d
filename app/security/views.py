"""Admin views binding officers to units and of accounts (guarded deletes); FAB's login, logout
and own-password views hardened."""
from __future__ import annotations

from flask import flash, g
from flask_appbuilder import ModelView
from flask_appbuilder._compat import as_unicode
from flask_appbuilder.actions import action
from flask_appbuilder.fieldwidgets import BS3PasswordFieldWidget
from flask_appbuilder.forms import DynamicForm
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security import views as fab_views
from flask_appbuilder.security.forms import ResetPasswordForm
from flask_appbuilder.views import expose
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from werkzeug.security import check_password_hash
from wtforms import PasswordField
from wtforms.validators import DataRequired

from app.core.audit import AuditedViewMixin
from app.core.deletion import GuardedDeleteMixin, run_action
from app.extensions import db
from app.security import sessions
from app.security.models import UserUnit
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
    """FAB's user list; an account that dossiers or their history name is deactivated."""


# Same class names as FAB's: endpoints (url_for("AuthDBView.login")) and permissions follow them.
class AuthDBView(fab_views.AuthDBView):
    """FAB's login; logging out takes a POST with its CSRF token, never a plain link."""

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
