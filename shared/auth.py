"""Who is calling: the principal of a request and the permissions it holds.

Until the accounts subgraph issues real tokens, development and test processes accept one
dev-only staff identity: ``Authorization: Bearer <AGORA_DEV_STAFF_TOKEN>`` (default
``dev-staff-token``). Production settings refuse that token, so it cannot exist there.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from shared.settings import Settings


class Permission(StrEnum):
    """Named staff permissions (grouped into permission groups by the accounts subgraph)."""

    MANAGE_PRODUCTS = "MANAGE_PRODUCTS"
    MANAGE_ORDERS = "MANAGE_ORDERS"
    MANAGE_STAFF = "MANAGE_STAFF"
    MANAGE_REVIEWS = "MANAGE_REVIEWS"
    HANDLE_PAYMENTS = "HANDLE_PAYMENTS"
    MANAGE_CUSTOMERS = "MANAGE_CUSTOMERS"


@dataclass(frozen=True, slots=True)
class Principal:
    kind: str = "anonymous"  # anonymous | customer | staff
    id: str | None = None
    name: str | None = None
    permissions: frozenset[Permission] = field(default_factory=frozenset)

    @property
    def is_authenticated(self) -> bool:
        return self.kind != "anonymous"

    @property
    def is_staff(self) -> bool:
        return self.kind == "staff"

    def has(self, permission: Permission) -> bool:
        return permission in self.permissions


class PermissionDenied(Exception):
    """A use case was called by a principal without the permission it needs."""

    def __init__(self, permission: Permission) -> None:
        super().__init__(f"This needs the {permission.value} permission.")
        self.permission = permission


def require(principal: Principal, permission: Permission) -> None:
    """Defence in depth for use cases: the GraphQL layer checks first, services check again."""
    if not principal.has(permission):
        raise PermissionDenied(permission)


ANONYMOUS = Principal()
DEV_STAFF = Principal(
    kind="staff", id="dev-staff", name="Development Staff", permissions=frozenset(Permission)
)


def principal_from_headers(headers: Mapping[str, str], settings: Settings) -> Principal:
    """The caller of a request. Only the dev staff token is understood until real tokens exist."""
    authorization = headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return ANONYMOUS
    expected = settings.dev_staff_token
    if expected and not settings.is_production and hmac.compare_digest(token, expected):
        return DEV_STAFF
    return ANONYMOUS
