"""MotCua's FAB security manager: shared limiter, cached role permissions, one-query users."""
from __future__ import annotations

from typing import Any

from flask import Flask
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.sqla.models import Group
from flask_limiter import Limiter
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import limiter
from app.security.permissions import RoleCache


class MotCuaSecurityManager(SecurityManager):
    """FAB's SQLA security manager with MotCua's extensions."""

    def __init__(self, appbuilder: Any) -> None:
        super().__init__(appbuilder)
        self.role_cache = RoleCache()

    def create_limiter(self, app: Flask) -> Limiter:
        """Use the application's one limiter so FAB's and ours share storage."""
        limiter.init_app(app)
        return limiter

    # -- users: one query with their roles and groups (FAB lazy-loads both) -----------------
    def get_user_by_id(self, pk: Any) -> Any:
        model = self.user_model
        return self.session.scalars(select(model).where(model.id == pk).options(
            joinedload(model.roles), joinedload(model.groups).joinedload(Group.roles))
        ).unique().first()

    # -- permission checks from the per-role cache (app/security/permissions.py) -----------
    def is_item_public(self, permission_name: str, view_name: str) -> bool:
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


class _PublicRole:
    """What permission checks need of the public role, without loading the row."""

    def __init__(self, role_id: int | None, name: str) -> None:
        self.id, self.name = role_id, name
