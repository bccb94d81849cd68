"""Accounts GraphQL types. ``Customer`` and ``Address`` are entities other subgraphs extend;
both authorize in ``resolve_reference`` (owner, or staff with MANAGE_CUSTOMERS)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from shared.auth import Permission, Principal
from subgraphs.accounts.domain.models import Address as AddressModel
from subgraphs.accounts.domain.models import (
    AddressType,
    ExportStatus,
    User,
)
from subgraphs.accounts.domain.models import (
    AuditEntry as AuditEntryModel,
)
from subgraphs.accounts.domain.models import (
    DataExport as DataExportModel,
)
from subgraphs.accounts.domain.models import (
    PermissionGroup as PermissionGroupModel,
)
from subgraphs.accounts.graphql.context import AccountsContext
from subgraphs.accounts.graphql.dataloaders import (
    AddressByIdLoader,
    AddressesByUserLoader,
    GroupsByUserLoader,
    MembersByGroupLoader,
    UserByIdLoader,
)

PermissionEnum = strawberry.enum(
    Permission, name="PermissionEnum", description="A staff permission."
)
AddressTypeEnum = strawberry.enum(
    AddressType, name="AddressTypeEnum", description="Which default an address is."
)
ExportStatusEnum = strawberry.enum(
    ExportStatus, name="DataExportStatus", description="Whether every holder has answered."
)


def may_read_customer(principal: Principal, customer_id: str) -> bool:
    """Object-level authorization: the customer themself, or staff with MANAGE_CUSTOMERS."""
    return principal.is_customer_id(customer_id) or principal.has(Permission.MANAGE_CUSTOMERS)


@strawberry.federation.type(keys=["id"], description="A postal address of a customer's book.")
class Address:
    id: strawberry.ID
    first_name: str
    last_name: str
    company: str
    street1: str
    street2: str
    city: str
    postal_code: str
    country_code: str = strawberry.field(description="ISO 3166-1 alpha-2, e.g. DE.")
    country_area: str = strawberry.field(description="State, province or region.")
    phone: str

    @classmethod
    def from_model(cls, model: AddressModel) -> Address:
        return cls(
            id=strawberry.ID(model.id),
            first_name=model.first_name,
            last_name=model.last_name,
            company=model.company,
            street1=model.street1,
            street2=model.street2,
            city=model.city,
            postal_code=model.postal_code,
            country_code=model.country_code,
            country_area=model.country_area,
            phone=model.phone,
        )

    @classmethod
    async def resolve_reference(
        cls, info: Info[AccountsContext, None], id: strawberry.ID
    ) -> Address | None:
        model = await info.context.loaders.get(AddressByIdLoader).load(str(id))
        if model is None or not may_read_customer(info.context.principal, model.user_id):
            return None
        return cls.from_model(model)


@strawberry.federation.type(keys=["id"], description="A shopper's account.")
class Customer:
    id: strawberry.ID
    email: str
    first_name: str
    last_name: str
    created_at: datetime
    mfa_enabled: bool = strawberry.field(description="Whether sign-in asks for a TOTP code.")
    default_shipping_address_id: strawberry.Private[str | None]
    default_billing_address_id: strawberry.Private[str | None]

    @classmethod
    def from_model(cls, model: User) -> Customer:
        return cls(
            id=strawberry.ID(model.id),
            email=model.email,
            first_name=model.first_name,
            last_name=model.last_name,
            created_at=model.created_at,
            mfa_enabled=model.mfa_enabled,
            default_shipping_address_id=model.default_shipping_address_id,
            default_billing_address_id=model.default_billing_address_id,
        )

    @strawberry.field(description="The address book, oldest first.")
    async def addresses(self, info: Info[AccountsContext, None]) -> list[Address]:
        rows = await info.context.loaders.get(AddressesByUserLoader).load(str(self.id))
        return [Address.from_model(a) for a in rows]

    @strawberry.field(description="Where orders ship by default.")
    async def default_shipping_address(self, info: Info[AccountsContext, None]) -> Address | None:
        return await _address(info, self.default_shipping_address_id)

    @strawberry.field(description="Where invoices go by default.")
    async def default_billing_address(self, info: Info[AccountsContext, None]) -> Address | None:
        return await _address(info, self.default_billing_address_id)

    @classmethod
    async def resolve_reference(
        cls, info: Info[AccountsContext, None], id: strawberry.ID
    ) -> Customer | None:
        if not may_read_customer(info.context.principal, str(id)):
            return None
        model = await info.context.loaders.get(UserByIdLoader).load(str(id))
        if model is None or model.is_staff or model.is_deleted:
            return None
        if info.context.principal.is_staff:  # staff reading personal data is audited
            await info.context.audit_customer_read(model.id)
        return cls.from_model(model)


async def _address(info: Info[AccountsContext, None], address_id: str | None) -> Address | None:
    if address_id is None:
        return None
    model = await info.context.loaders.get(AddressByIdLoader).load(address_id)
    return Address.from_model(model) if model else None


@strawberry.type(description="A staff member.")
class StaffUser:
    id: strawberry.ID
    email: str
    first_name: str
    last_name: str
    mfa_enabled: bool

    @classmethod
    def from_model(cls, model: User) -> StaffUser:
        return cls(
            id=strawberry.ID(model.id),
            email=model.email,
            first_name=model.first_name,
            last_name=model.last_name,
            mfa_enabled=model.mfa_enabled,
        )

    @strawberry.field(description="The groups this staff member belongs to.")
    async def permission_groups(self, info: Info[AccountsContext, None]) -> list[PermissionGroup]:
        groups = await info.context.loaders.get(GroupsByUserLoader).load(str(self.id))
        return [PermissionGroup.from_model(g) for g in groups]


@strawberry.type(description="The signed-in staff member and what they may do right now.")
class StaffSession:
    staff: StaffUser
    permissions: list[str] = strawberry.field(
        description="Effective permissions: none until the session passed MFA."
    )
    mfa: bool = strawberry.field(description="Whether this session passed MFA.")


@strawberry.type(description="A named set of permissions given to its staff members.")
class PermissionGroup:
    id: strawberry.ID
    name: str
    permissions: list[PermissionEnum]  # type: ignore[valid-type]

    @classmethod
    def from_model(cls, model: PermissionGroupModel) -> PermissionGroup:
        return cls(
            id=strawberry.ID(model.id),
            name=model.name,
            permissions=sorted(model.permission_set),
        )

    @strawberry.field(description="Staff members of the group.")
    async def members(self, info: Info[AccountsContext, None]) -> list[StaffUser]:
        users = await info.context.loaders.get(MembersByGroupLoader).load(str(self.id))
        return [StaffUser.from_model(u) for u in users]


@strawberry.type(description="One entry of the append-only, hash-chained audit log.")
class AuditEntry:
    seq: int
    occurred_at: datetime
    actor: str = strawberry.field(description="kind:id of who did it.")
    action: str
    target_type: str
    target_id: str
    details: JSON
    prev_hash: str
    hash: str

    @classmethod
    def from_model(cls, model: AuditEntryModel) -> AuditEntry:
        details: Any = model.details
        return cls(
            seq=model.seq or 0,
            occurred_at=model.occurred_at,
            actor=model.actor,
            action=model.action,
            target_type=model.target_type,
            target_id=model.target_id,
            details=details,
            prev_hash=model.prev_hash,
            hash=model.hash,
        )


@strawberry.type(description="A copy of a customer's personal data from every subgraph.")
class DataExport:
    id: strawberry.ID
    status: ExportStatusEnum  # type: ignore[valid-type]
    created_at: datetime
    completed_at: datetime | None
    document: JSON | None = strawberry.field(
        description="The whole export as one JSON document, once READY."
    )
    url: str | None = strawberry.field(
        description="A download link when exports are kept in object storage; null in the "
        "embedded default, where the document is returned inline."
    )

    @classmethod
    def from_model(cls, model: DataExportModel) -> DataExport:
        document: Any = model.document
        return cls(
            id=strawberry.ID(model.id),
            status=model.status,
            created_at=model.created_at,
            completed_at=model.completed_at,
            document=document if model.status == ExportStatus.READY else None,
            url=None,
        )
