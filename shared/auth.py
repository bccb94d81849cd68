"""Who is calling: the principal of a request, the permissions it holds, and how it got here.

Zero trust between router and subgraphs: the router verifies the caller's access token (a JWT
the accounts subgraph signs, checked against its JWKS) and forwards the caller's identity in the
``x-agora-identity`` header. Every request to a subgraph carries ``x-agora-signature``,
``t=<unix seconds>,v1=<hex HMAC-SHA256>`` over ``"<t>.<identity>.<raw body>"`` with the secret
``AGORA_ROUTER_SECRET`` that only the router and the subgraphs know. A subgraph refuses, with
HTTP 401, a request whose signature is missing, wrong or older than five minutes
(``shared.middleware.RouterSignatureMiddleware``). WebSocket connections (subscriptions) carry
the same two values in the ``connection_init`` payload, signed over the body
``graphql-transport-ws``.

Subgraphs that call each other synchronously (checkout → inventory) sign the same way with a
``service`` principal (``signed_headers``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

import orjson

IDENTITY_HEADER = "x-agora-identity"
SIGNATURE_HEADER = "x-agora-signature"
SIGNATURE_TOLERANCE_SECONDS = 300
WEBSOCKET_SIGNED_BODY = b"graphql-transport-ws"
MAX_IDENTITY_BYTES = 8_192

PrincipalKind = Literal["anonymous", "customer", "staff", "service"]
_KINDS: tuple[PrincipalKind, ...] = ("anonymous", "customer", "staff", "service")


class Permission(StrEnum):
    """Named staff permissions (grouped into permission groups by the accounts subgraph)."""

    MANAGE_PRODUCTS = "MANAGE_PRODUCTS"
    MANAGE_ORDERS = "MANAGE_ORDERS"
    MANAGE_STAFF = "MANAGE_STAFF"
    MANAGE_REVIEWS = "MANAGE_REVIEWS"
    HANDLE_PAYMENTS = "HANDLE_PAYMENTS"
    MANAGE_CUSTOMERS = "MANAGE_CUSTOMERS"
    MANAGE_INVENTORY = "MANAGE_INVENTORY"
    MANAGE_DISCOUNTS = "MANAGE_DISCOUNTS"
    MANAGE_SHIPPING = "MANAGE_SHIPPING"
    VIEW_AUDIT_LOG = "VIEW_AUDIT_LOG"


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller. Staff permissions count only when the session passed MFA (``mfa``)."""

    kind: PrincipalKind = "anonymous"
    id: str | None = None
    name: str | None = None
    permissions: frozenset[Permission] = field(default_factory=frozenset)
    mfa: bool = False
    session_id: str | None = None

    @classmethod
    def customer(
        cls, customer_id: str, *, session_id: str | None = None, name: str | None = None
    ) -> Principal:
        return cls(kind="customer", id=customer_id, name=name, session_id=session_id)

    @classmethod
    def staff(
        cls,
        staff_id: str,
        permissions: Iterable[Permission] = (),
        *,
        mfa: bool = True,
        session_id: str | None = None,
        name: str | None = None,
    ) -> Principal:
        return cls(
            kind="staff",
            id=staff_id,
            name=name,
            permissions=frozenset(permissions),
            mfa=mfa,
            session_id=session_id,
        )

    @classmethod
    def service(cls, name: str) -> Principal:
        """Another subgraph calling synchronously (e.g. checkout reserving stock)."""
        return cls(kind="service", id=name, name=name)

    @property
    def is_authenticated(self) -> bool:
        return self.kind != "anonymous"

    @property
    def is_staff(self) -> bool:
        return self.kind == "staff"

    @property
    def is_customer(self) -> bool:
        return self.kind == "customer"

    @property
    def is_service(self) -> bool:
        return self.kind == "service"

    @property
    def effective_permissions(self) -> frozenset[Permission]:
        """What this caller may do: nothing staff-only unless it is staff who passed MFA."""
        return self.permissions if self.is_staff and self.mfa else frozenset()

    def has(self, permission: Permission) -> bool:
        return permission in self.effective_permissions

    def is_customer_id(self, customer_id: str | None) -> bool:
        """True when this caller is the customer ``customer_id`` (object-level authorization)."""
        return self.is_customer and customer_id is not None and self.id == customer_id


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


# --------------------------------------------------------------------------------------------
# Identity: the claims the router forwards (the same names as in the access token).


class InvalidIdentity(ValueError):
    """The identity header or connection parameter is not a well-formed identity."""


def identity_claims(principal: Principal) -> dict[str, Any]:
    """The claims of ``principal`` as the router forwards them (and access tokens carry them)."""
    claims: dict[str, Any] = {"typ": principal.kind}
    if principal.id is not None:
        claims["sub"] = principal.id
    if principal.name is not None:
        claims["name"] = principal.name
    if principal.permissions:
        claims["perms"] = sorted(p.value for p in principal.permissions)
    if principal.mfa:
        claims["mfa"] = True
    if principal.session_id is not None:
        claims["sid"] = principal.session_id
    return claims


def principal_from_claims(claims: Mapping[str, Any]) -> Principal:
    """A principal from forwarded claims. Unknown permission names are ignored, not trusted."""
    kind = claims.get("typ", "anonymous")
    if kind not in _KINDS:
        raise InvalidIdentity(f"unknown principal kind {kind!r}")
    if kind == "anonymous":
        return ANONYMOUS
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise InvalidIdentity("an authenticated identity needs a subject")
    raw_perms = claims.get("perms", [])
    if not isinstance(raw_perms, list):
        raise InvalidIdentity("perms must be a list")
    known = {p.value for p in Permission}
    permissions = frozenset(Permission(p) for p in raw_perms if p in known)
    name = claims.get("name")
    session = claims.get("sid")
    return Principal(
        kind=kind,
        id=subject,
        name=name if isinstance(name, str) else None,
        permissions=permissions if kind == "staff" else frozenset(),
        mfa=claims.get("mfa") is True,
        session_id=session if isinstance(session, str) else None,
    )


def encode_identity(principal: Principal) -> str:
    """The ``x-agora-identity`` value: base64url (no padding) of the claims as JSON."""
    raw = orjson.dumps(identity_claims(principal), option=orjson.OPT_SORT_KEYS)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode_identity(value: str | None) -> Principal:
    """The principal an ``x-agora-identity`` value names; an empty value is anonymous."""
    if not value:
        return ANONYMOUS
    if len(value) > MAX_IDENTITY_BYTES:
        raise InvalidIdentity("identity too large")
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        claims = orjson.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise InvalidIdentity("identity is not base64url JSON") from exc
    if not isinstance(claims, dict):
        raise InvalidIdentity("identity is not a JSON object")
    return principal_from_claims(claims)


# --------------------------------------------------------------------------------------------
# Signatures: HMAC-SHA256 over timestamp, identity and body.


def _mac(secret: str, timestamp: int, identity: str, body: bytes) -> str:
    message = f"{timestamp}.{identity}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign(secret: str, identity: str, body: bytes, *, now: float | None = None) -> str:
    """The ``x-agora-signature`` value for one request."""
    timestamp = int(time.time() if now is None else now)
    return f"t={timestamp},v1={_mac(secret, timestamp, identity, body)}"


def verify_signature(
    secret: str,
    header: str | None,
    identity: str,
    body: bytes,
    *,
    now: float | None = None,
    tolerance: int = SIGNATURE_TOLERANCE_SECONDS,
) -> bool:
    """Constant-time check of a signature header; stale or future timestamps fail."""
    if not header or not secret:
        return False
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    timestamp_raw, given = parts.get("t", ""), parts.get("v1", "")
    if not timestamp_raw.isdigit() or not given:
        return False
    timestamp = int(timestamp_raw)
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        return False
    return hmac.compare_digest(_mac(secret, timestamp, identity, body), given)


def signed_headers(
    secret: str, principal: Principal, body: bytes, *, now: float | None = None
) -> dict[str, str]:
    """Headers that make a request to a subgraph come from the router (or a peer service)."""
    identity = encode_identity(principal) if principal.is_authenticated else ""
    return {IDENTITY_HEADER: identity, SIGNATURE_HEADER: sign(secret, identity, body, now=now)}


def websocket_params(
    secret: str, principal: Principal, *, now: float | None = None
) -> dict[str, str]:
    """The ``connection_init`` payload entries that authenticate a subscription connection."""
    identity = encode_identity(principal) if principal.is_authenticated else ""
    return {
        "identity": identity,
        "signature": sign(secret, identity, WEBSOCKET_SIGNED_BODY, now=now),
    }


SYSTEM = Principal.staff("system", frozenset(Permission), mfa=True, name="System")
"""Offline commands run by an operator (seed, import): never built from a request."""
