"""Permission checks for resolvers: authenticated, staff with a named permission."""

from __future__ import annotations

from typing import Any

from strawberry.extensions.field_extension import FieldExtension
from strawberry.permission import BasePermission, PermissionExtension
from strawberry.types import Info

from shared.auth import Permission, Principal
from shared.graphql.errors import Forbidden, NotAuthenticated


def _principal(info: Info[Any, Any]) -> Principal:
    principal = getattr(info.context, "principal", None)
    if not isinstance(principal, Principal):
        raise RuntimeError("the request context carries no principal")
    return principal


class IsAuthenticated(BasePermission):
    message = NotAuthenticated().args[0]

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        if not _principal(info).is_authenticated:
            raise NotAuthenticated()
        return True


class HasPermission(BasePermission):
    """Staff holding ``permission``. Unauthenticated callers get UNAUTHENTICATED, others FORBIDDEN."""

    def __init__(self, permission: Permission) -> None:
        self.permission = permission

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        principal = _principal(info)
        if not principal.is_authenticated:
            raise NotAuthenticated()
        if principal.is_staff and self.permission in principal.permissions and not principal.mfa:
            raise Forbidden(
                f"This needs the {self.permission.value} permission, which staff hold only "
                "after multi-factor authentication."
            )
        if not principal.has(self.permission):
            raise Forbidden(f"This needs the {self.permission.value} permission.")
        return True


def requires(*permissions: BasePermission) -> list[FieldExtension]:
    """Field extensions for ``@strawberry.field(extensions=requires(HasPermission(...)))``.

    Directives are off so permissions do not leak into the composed SDL.
    """
    return [PermissionExtension(permissions=list(permissions), use_directives=False)]
