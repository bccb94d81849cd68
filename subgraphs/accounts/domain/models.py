"""Accounts tables and their rules: users (customers and staff), addresses, credentials,
permission groups, the audit log and data exports."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, Integer, Text
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from shared.auth import Permission
from shared.db import new_metadata
from shared.messaging_tables import define_messaging_tables
from shared.sql import UtcDateTime
from subgraphs.accounts.domain.countries import COUNTRY_CODES
from subgraphs.accounts.domain.errors import AccountError, AccountErrorCode

metadata = new_metadata()
messaging = define_messaging_tables(metadata)

LOCK_THRESHOLD = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCK_DURATION = timedelta(minutes=15)
MAX_NAME = 100
MAX_ADDRESSES = 20


class AccountsTable(SQLModel, registry=registry(metadata=metadata)):
    """Base of the accounts subgraph's tables."""


def now() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())


def _ts(*, nullable: bool = False) -> Any:
    if nullable:
        return Field(default=None, sa_column=Column(UtcDateTime(), nullable=True))
    return Field(default_factory=now, sa_column=Column(UtcDateTime(), nullable=False))


def clean_name(value: str | None, field: str) -> str:
    name = " ".join((value or "").split())
    if len(name) > MAX_NAME:
        raise AccountError(AccountErrorCode.INVALID, f"At most {MAX_NAME} characters.", field=field)
    return name


class User(AccountsTable, table=True):
    """A customer or a staff member (``is_staff``): one sign-in, one password, one MFA setup."""

    __tablename__ = "users"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    email: str = Field(max_length=254)
    email_key: str = Field(max_length=254, unique=True)
    password_hash: str | None = Field(default=None, max_length=255)
    first_name: str = Field(default="", max_length=MAX_NAME)
    last_name: str = Field(default="", max_length=MAX_NAME)
    is_staff: bool = False
    mfa_secret: str | None = Field(default=None, max_length=64)
    mfa_pending_secret: str | None = Field(default=None, max_length=64)
    mfa_last_step: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    failed_logins: int = 0
    first_failed_at: datetime | None = _ts(nullable=True)
    locked_until: datetime | None = _ts(nullable=True)
    default_shipping_address_id: str | None = Field(default=None, max_length=36)
    default_billing_address_id: str | None = Field(default=None, max_length=36)
    password_changed_at: datetime = _ts()
    created_at: datetime = _ts()
    updated_at: datetime = _ts()
    deleted_at: datetime | None = _ts(nullable=True)

    @property
    def mfa_enabled(self) -> bool:
        return self.mfa_secret is not None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def is_locked(self, at: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > at

    def record_failed_login(self, at: datetime) -> None:
        """Five failures within 15 minutes lock the account for 15 minutes. Failures while
        locked do not extend the lock: an attacker can delay a victim, never lock them out."""
        if self.is_locked(at):
            return
        if self.first_failed_at is None or at - self.first_failed_at >= FAILURE_WINDOW:
            self.failed_logins = 0
            self.first_failed_at = at
        self.failed_logins += 1
        if self.failed_logins >= LOCK_THRESHOLD:
            self.locked_until = at + LOCK_DURATION
            self.failed_logins = 0
            self.first_failed_at = None

    def clear_failures(self) -> None:
        self.failed_logins = 0
        self.first_failed_at = None
        self.locked_until = None

    def change_password(self, password_hash: str, at: datetime) -> None:
        self.password_hash = password_hash
        self.password_changed_at = at
        self.updated_at = at
        self.clear_failures()


class AddressType(StrEnum):
    SHIPPING = "SHIPPING"
    BILLING = "BILLING"


ADDRESS_FIELDS = (
    "first_name",
    "last_name",
    "company",
    "street1",
    "street2",
    "city",
    "postal_code",
    "country_code",
    "country_area",
    "phone",
)
_ADDRESS_LIMITS = {
    "first_name": MAX_NAME,
    "last_name": MAX_NAME,
    "company": 120,
    "street1": 200,
    "street2": 200,
    "city": 100,
    "postal_code": 20,
    "country_code": 2,
    "country_area": 100,
    "phone": 32,
}
_ADDRESS_REQUIRED = ("first_name", "last_name", "street1", "city", "country_code")
_GRAPHQL_NAMES = {
    "first_name": "firstName",
    "last_name": "lastName",
    "postal_code": "postalCode",
    "country_code": "countryCode",
    "country_area": "countryArea",
}


def clean_address(data: Mapping[str, str | None]) -> dict[str, str]:
    """Trimmed fields, required ones present, lengths bounded, an ISO 3166-1 alpha-2 country."""
    cleaned: dict[str, str] = {}
    for name in ADDRESS_FIELDS:
        graphql_name = _GRAPHQL_NAMES.get(name, name)
        value = " ".join((data.get(name) or "").split())
        if name in _ADDRESS_REQUIRED and not value:
            raise AccountError(
                AccountErrorCode.REQUIRED, "This field is required.", field=graphql_name
            )
        if len(value) > _ADDRESS_LIMITS[name]:
            raise AccountError(
                AccountErrorCode.INVALID,
                f"At most {_ADDRESS_LIMITS[name]} characters.",
                field=graphql_name,
            )
        cleaned[name] = value
    cleaned["country_code"] = cleaned["country_code"].upper()
    if cleaned["country_code"] not in COUNTRY_CODES:
        raise AccountError(
            AccountErrorCode.INVALID,
            "Use an ISO 3166-1 alpha-2 country code, e.g. DE.",
            field="countryCode",
        )
    return cleaned


class Address(AccountsTable, table=True):
    __tablename__ = "addresses"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    user_id: str = Field(foreign_key="users.id", index=True, max_length=36)
    first_name: str = Field(max_length=MAX_NAME)
    last_name: str = Field(max_length=MAX_NAME)
    company: str = Field(default="", max_length=120)
    street1: str = Field(max_length=200)
    street2: str = Field(default="", max_length=200)
    city: str = Field(max_length=100)
    postal_code: str = Field(default="", max_length=20)
    country_code: str = Field(max_length=2)
    country_area: str = Field(default="", max_length=100)
    phone: str = Field(default="", max_length=32)
    created_at: datetime = _ts()

    def as_data(self) -> dict[str, str]:
        return {"id": self.id, **{name: getattr(self, name) for name in ADDRESS_FIELDS}}


class RefreshToken(AccountsTable, table=True):
    """One refresh token of a session (``family_id``, the access token's ``sid``). Rotated on
    use; presenting a rotated one again revokes the whole family (it was stolen)."""

    __tablename__ = "refresh_tokens"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    token_hash: str = Field(max_length=64, unique=True)
    family_id: str = Field(max_length=36, index=True)
    user_id: str = Field(foreign_key="users.id", index=True, max_length=36)
    mfa: bool = False
    created_at: datetime = _ts()
    expires_at: datetime = _ts()
    used_at: datetime | None = _ts(nullable=True)
    revoked_at: datetime | None = _ts(nullable=True)


class TokenPurpose(StrEnum):
    PASSWORD_RESET = "PASSWORD_RESET"  # noqa: S105 - a purpose
    EMAIL_CHANGE = "EMAIL_CHANGE"


class OneTimeToken(AccountsTable, table=True):
    """A password-reset or email-change token, stored hashed, bound to one account (and, for
    an email change, to the new address)."""

    __tablename__ = "one_time_tokens"

    token_hash: str = Field(primary_key=True, max_length=64)
    purpose: TokenPurpose = Field(max_length=16)
    user_id: str = Field(foreign_key="users.id", index=True, max_length=36)
    new_email: str | None = Field(default=None, max_length=254)
    created_at: datetime = _ts()
    expires_at: datetime = _ts()
    used_at: datetime | None = _ts(nullable=True)


class RecoveryCode(AccountsTable, table=True):
    __tablename__ = "recovery_codes"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    user_id: str = Field(foreign_key="users.id", index=True, max_length=36)
    code_hash: str = Field(max_length=64)
    used_at: datetime | None = _ts(nullable=True)


class SigningKey(AccountsTable, table=True):
    """An ES256 key pair. The newest signs; a replaced one (``retired_at``) stays published
    until every token it signed has expired."""

    __tablename__ = "signing_keys"

    kid: str = Field(primary_key=True, max_length=64)
    private_pem: str = Field(sa_column=Column(Text, nullable=False))
    public_jwk: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = _ts()
    retired_at: datetime | None = _ts(nullable=True)


class PermissionGroup(AccountsTable, table=True):
    __tablename__ = "permission_groups"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    name: str = Field(max_length=MAX_NAME, unique=True)
    permissions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = _ts()

    @property
    def permission_set(self) -> frozenset[Permission]:
        known = {p.value for p in Permission}
        return frozenset(Permission(p) for p in self.permissions if p in known)


class GroupMember(AccountsTable, table=True):
    __tablename__ = "permission_group_members"

    group_id: str = Field(foreign_key="permission_groups.id", primary_key=True, max_length=36)
    user_id: str = Field(foreign_key="users.id", primary_key=True, max_length=36, index=True)


class AuditEntry(AccountsTable, table=True):
    """One line of the append-only audit log; ``hash`` covers the entry and the previous hash."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_target", "target_type", "target_id"),)

    seq: int | None = Field(
        default=None,
        sa_column=Column(
            BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
        ),
    )
    occurred_at: datetime = _ts()
    actor: str = Field(max_length=120)
    action: str = Field(max_length=80)
    target_type: str = Field(max_length=40)
    target_id: str = Field(max_length=64)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AuditHead(AccountsTable, table=True):
    """The chain's tip (one row): updating it first serializes appends on both databases and
    lets verification notice a truncated tail."""

    __tablename__ = "audit_head"

    id: int = Field(default=1, primary_key=True)
    last_seq: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    last_hash: str = Field(default="0" * 64, max_length=64)


class ExportStatus(StrEnum):
    PENDING = "PENDING"
    READY = "READY"


class DataExport(AccountsTable, table=True):
    __tablename__ = "data_exports"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    customer_id: str = Field(max_length=36, index=True)
    status: ExportStatus = Field(default=ExportStatus.PENDING, max_length=16)
    parts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    document: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    created_at: datetime = _ts()
    completed_at: datetime | None = _ts(nullable=True)
