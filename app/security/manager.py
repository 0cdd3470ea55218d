"""MotCua's FAB security manager: shared limiter, per-account login limit, session and token
generations, hardened login/logout/password views, JSON 401s for bad tokens, cached role
permissions, one-query users."""
from __future__ import annotations

import base64
import json
from typing import Any

from flask import Flask, g, has_request_context, jsonify, request, session
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.sqla.models import Group
from flask_babel import gettext as _
from flask_jwt_extended import JWTManager
from flask_jwt_extended.config import config as jwt_config
from flask_limiter import Limiter
from flask_login import user_logged_in, user_logged_out
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.core import settings_cache
from app.extensions import limiter
from app.security import sessions, throttle
from app.security.api import MotCuaSecurityApi
from app.security.models import UserProfile
from app.security.permissions import PermissionRevision, RoleCache, remember_revision
from app.security.views import AuthDBView, ResetMyPasswordView, RoleModelView, UserDBModelView

PRINCIPAL = "_jwt_principal"


def _unauthorized(*_args):
    return jsonify(message=_("Log in first: the access token is missing, invalid or expired.")), 401


def _rotate_at_login(_app, user, **_extra) -> None:
    sessions.stamp_session(user)


def _end_sessions_at_logout(_app, user, **_extra) -> None:
    if user is not None and getattr(user, "id", None) is not None:
        sessions.bump(user)
    session.clear()


class MotCuaSecurityManager(SecurityManager):
    """FAB's SQLA security manager with MotCua's extensions."""

    # FAB's chart of users by attribute: nothing an office needs, and it answers 500 to a
    # malformed URL. The staff list (/admin/staff/) is where administrators see accounts.
    userstatschartview = None

    security_api = MotCuaSecurityApi
    authdbview = AuthDBView
    resetmypasswordview = ResetMyPasswordView
    userdbmodelview = UserDBModelView  # the office's accounts only; deletes guarded
    rolemodelview = RoleModelView

    def __init__(self, appbuilder: Any) -> None:
        super().__init__(appbuilder)
        user_logged_in.connect(_rotate_at_login)
        user_logged_out.connect(_end_sessions_at_logout)
        self.role_cache = RoleCache()

    def create_limiter(self, app: Flask) -> Limiter:
        """Use the application's one limiter so FAB's and ours share storage."""
        limiter.init_app(app)
        return limiter

    def create_jwt_manager(self, app) -> JWTManager:
        manager = super().create_jwt_manager(app)
        manager.additional_claims_loader(lambda identity: {sessions.CLAIM: sessions.generation(identity)})
        for loader in (manager.unauthorized_loader, manager.invalid_token_loader,
                       manager.expired_token_loader, manager.user_lookup_error_loader,
                       manager.revoked_token_loader, manager.needs_fresh_token_loader,
                       manager.token_verification_failed_loader):
            loader(_unauthorized)
        return manager

    def auth_user_db(self, username, password):
        """FAB's check (a dummy hash for unknown users), limited per account."""
        throttle.check_account(username or "")
        user = super().auth_user_db(username, password)
        if user is None:
            throttle.note_failure(username or "")
        return user

    def load_user(self, pk):
        """The session cookie's user, while its generation is the user's current one (read
        with the user and the revisions in the one principal statement)."""
        try:
            key = int(pk)
        except (TypeError, ValueError):
            return None
        if has_request_context() and g.get(PRINCIPAL) is None:
            self._load_principal(key)
        user = super().load_user(key)
        if user is not None and not sessions.session_is_current(user):
            return None
        return user

    def load_user_jwt(self, _jwt_header, jwt_data):
        try:
            user = self.get_user_by_id(int(jwt_data["sub"]))
        except (KeyError, TypeError, ValueError):
            return None
        if user is None or not user.is_active or not sessions.token_is_current(user, jwt_data):
            return None
        g.user = user
        return user
    # -- users: one query with their roles and groups (FAB lazy-loads both) -----------------
    def get_user_by_id(self, pk: Any) -> Any:
        preloaded = g.get(PRINCIPAL) if has_request_context() else None
        if preloaded is not None and preloaded[0] == pk:
            return preloaded[1]
        model = self.user_model
        return self.session.scalars(select(model).where(model.id == pk).options(
            joinedload(model.roles), joinedload(model.groups).joinedload(Group.roles))
        ).unique().first()

    def preload_principal(self) -> None:
        """Once per request with a bearer token: its user (roles, groups), the user's profile
        (their session generation), the permissions' and the settings' revisions, in one
        statement.

        FAB reads the revision for its public check, then the user, then their generation: three
        round trips. The token here only says whom to load (its signature is not checked twice):
        `verify_jwt_in_request` still verifies it, `get_user_by_id` hands over the preloaded
        user only for the subject it verified, and `load_user_jwt` still refuses an inactive user
        or an outdated generation, from these rows read in this request."""
        if not has_request_context() or "_principal_done" in g:
            return
        g._principal_done = True
        header = request.headers.get(jwt_config.header_name, "")
        prefix = f"{jwt_config.header_type} " if jwt_config.header_type else ""
        if not prefix or not header.startswith(prefix):
            return
        pk = _claimed_subject(header[len(prefix):].strip())
        if pk is None:
            return
        self._load_principal(pk)

    def _load_principal(self, pk: int) -> None:
        """The user of this id with roles, groups and profile, and both revisions: one statement."""
        model = self.user_model
        revision = select(PermissionRevision.revision).where(PermissionRevision.id == 1) \
            .scalar_subquery()
        row = self.session.execute(
            select(model, UserProfile, revision.label("revision"),
                   settings_cache.revision_sql().label("settings_revision"))
            .outerjoin(UserProfile, UserProfile.user_id == model.id).where(model.id == pk)
            .options(joinedload(model.roles), joinedload(model.groups).joinedload(Group.roles))
        ).unique().first()
        if row is None:
            g.setdefault(PRINCIPAL, (pk, None, None))
            return
        remember_revision(row.revision)
        settings_cache.remember(row.settings_revision)
        # The profile is held here: the session's identity map keeps only what is referenced,
        # and sessions.generation answers from it.
        g.setdefault(PRINCIPAL, (pk, row[0], row[1]))

    # -- permission checks from the per-role cache (app/security/permissions.py) -----------
    def is_item_public(self, permission_name: str, view_name: str) -> bool:
        self.preload_principal()  # FAB's first question of an API request
        return (permission_name, view_name) in self.role_cache.of_name(self.auth_role_public)

    def get_user_roles(self, user: Any) -> list[Any]:
        if not user.is_authenticated:
            return [_PublicRole(self.role_cache.role_id(self.auth_role_public),
                                self.auth_role_public)]
        return super().get_user_roles(user)

    def _has_view_access(self, user: Any, permission_name: str, view_name: str) -> bool:
        for role in self.get_user_roles(user):
            if role.name in self.builtin_roles:
                if self._has_access_builtin_roles(role, permission_name, view_name):
                    return True
            elif (permission_name, view_name) in self.role_cache.of_role(role.id):
                return True
        return False

    def _get_user_permission_view_menus(self, user: Any, permission_name: str,
                                        view_menus_name: list[str]) -> set[str]:
        roles = self.get_user_roles(user) if user is not None else \
            [_PublicRole(self.role_cache.role_id(self.auth_role_public), self.auth_role_public)]
        result: set[str] = set()
        for role in roles:
            if role.name in self.builtin_roles:
                result.update(name for name in view_menus_name
                              if self._has_access_builtin_roles(role, permission_name, name))
            else:
                result.update(view for permission, view in self.role_cache.of_role(role.id)
                              if permission == permission_name)
        return result


def _claimed_subject(token: str) -> int | None:
    """The user id a JWT claims, unverified (a hint of whom to load; None if unreadable)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return int(claims[jwt_config.identity_claim_key])
    except Exception:  # noqa: BLE001 - a bad token is for verify_jwt_in_request to refuse
        return None


class _PublicRole:
    """What permission checks need of the public role, without loading the row."""

    def __init__(self, role_id: int | None, name: str) -> None:
        self.id, self.name = role_id, name
