"""Accounts queries."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shared.auth import Permission
from shared.graphql.errors import PublicError
from shared.graphql.permissions import HasPermission, IsAuthenticated, requires
from shared.graphql.types import Connection
from shared.pagination import PageRequest, PaginationError
from subgraphs.accounts.graphql.context import AccountsContext
from subgraphs.accounts.graphql.dataloaders import UserByIdLoader
from subgraphs.accounts.graphql.types import (
    AuditEntry,
    Customer,
    DataExport,
    PermissionGroup,
    StaffSession,
    StaffUser,
)
from subgraphs.accounts.repository import AccountsReader


@strawberry.type(name="Query")
class AccountsQuery:
    @strawberry.field(description="The signed-in customer (null for anyone else).")
    async def me(self, info: Info[AccountsContext, None]) -> Customer | None:
        principal = info.context.principal
        if not principal.is_customer or principal.id is None:
            return None
        model = await info.context.loaders.get(UserByIdLoader).load(principal.id)
        if model is None or model.is_deleted or model.is_staff:
            return None
        return Customer.from_model(model)

    @strawberry.field(
        description="The signed-in staff member, their effective permissions and MFA state "
        "(null for anyone else): what an admin shows and enables."
    )
    async def me_staff(self, info: Info[AccountsContext, None]) -> StaffSession | None:
        principal = info.context.principal
        if not principal.is_staff or principal.id is None:
            return None
        model = await info.context.loaders.get(UserByIdLoader).load(principal.id)
        if model is None or model.is_deleted or not model.is_staff:
            return None
        return StaffSession(
            staff=StaffUser.from_model(model),
            permissions=sorted(p.value for p in principal.effective_permissions),
            mfa=principal.mfa,
        )

    @strawberry.field(
        description="A customer by id (staff with MANAGE_CUSTOMERS; every read is audited).",
        extensions=requires(HasPermission(Permission.MANAGE_CUSTOMERS)),
    )
    async def customer(
        self, info: Info[AccountsContext, None], id: strawberry.ID
    ) -> Customer | None:
        model = await info.context.loaders.get(UserByIdLoader).load(str(id))
        if model is None or model.is_deleted or model.is_staff:
            return None
        await info.context.audit_customer_read(model.id)
        return Customer.from_model(model)

    @strawberry.field(
        description="A data export of the signed-in customer (only its owner sees it).",
        extensions=requires(IsAuthenticated()),
    )
    async def data_export(
        self, info: Info[AccountsContext, None], id: strawberry.ID
    ) -> DataExport | None:
        database = info.context.database
        assert database is not None
        export = await database.read(lambda s: AccountsReader(s).export(str(id)))
        if export is None or not info.context.principal.is_customer_id(export.customer_id):
            return None
        return DataExport.from_model(export)

    @strawberry.field(
        description="The audit log, newest first (VIEW_AUDIT_LOG).",
        extensions=requires(HasPermission(Permission.VIEW_AUDIT_LOG)),
    )
    async def audit_log(
        self, info: Info[AccountsContext, None], first: int | None = 20, after: str | None = None
    ) -> Connection[AuditEntry]:
        database = info.context.database
        assert database is not None
        try:
            request = PageRequest.parse(first, after)
            page = await database.read(lambda s: AccountsReader(s).audit_page(request))
        except PaginationError as exc:
            raise PublicError(str(exc), code="BAD_USER_INPUT", field=exc.field) from exc
        return Connection.from_page(page, AuditEntry.from_model)

    @strawberry.field(
        description="Every permission group (MANAGE_STAFF).",
        extensions=requires(HasPermission(Permission.MANAGE_STAFF)),
    )
    async def permission_groups(self, info: Info[AccountsContext, None]) -> list[PermissionGroup]:
        database = info.context.database
        assert database is not None
        groups = await database.read(lambda s: AccountsReader(s).groups())
        return [PermissionGroup.from_model(g) for g in groups]
