"""Accounts mutations: parse, authorize, call one use case, map the result or its errors."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shared.auth import Permission
from shared.graphql.arguments import IdempotencyKey
from shared.graphql.permissions import HasPermission, IsAuthenticated, requires
from subgraphs.accounts.domain.errors import AccountError
from subgraphs.accounts.domain.models import User
from subgraphs.accounts.graphql.context import AccountsContext
from subgraphs.accounts.graphql.inputs import (
    AccountAddressDeleteInput,
    AccountAddressUpdateInput,
    AccountConfirmEmailChangeInput,
    AccountDeleteInput,
    AccountMfaEnrollConfirmInput,
    AccountRegisterInput,
    AccountRequestEmailChangeInput,
    AccountSetDefaultAddressInput,
    AccountUpdateInput,
    AddressInput,
    PermissionGroupCreateInput,
    PermissionGroupUpdateInput,
    RefreshTokenInput,
    RequestPasswordResetInput,
    SetPasswordInput,
    StaffCreateInput,
    TokenCreateInput,
)
from subgraphs.accounts.graphql.payloads import (
    AccountAddressPayload,
    AccountMfaEnrollConfirmPayload,
    AccountMfaEnrollStartPayload,
    AccountPayload,
    AccountRegisterPayload,
    AccountRequestPayload,
    DataExportPayload,
    PermissionGroupPayload,
    StaffCreatePayload,
    TokenCreatePayload,
    TokenRevokePayload,
    errors_of,
)
from subgraphs.accounts.graphql.types import (
    Address,
    Customer,
    DataExport,
    PermissionGroup,
    StaffUser,
)
from subgraphs.accounts.services.create_token import create_token
from subgraphs.accounts.services.data_export import request_data_export
from subgraphs.accounts.services.delete_account import delete_account
from subgraphs.accounts.services.email_change import confirm_email_change, request_email_change
from subgraphs.accounts.services.manage_addresses import (
    create_address,
    delete_address,
    set_default_address,
    update_address,
)
from subgraphs.accounts.services.manage_staff import create_group, create_staff, update_group
from subgraphs.accounts.services.mfa_enrolment import confirm_mfa_enrolment, start_mfa_enrolment
from subgraphs.accounts.services.password_reset import request_password_reset, set_password
from subgraphs.accounts.services.refresh_token import refresh_token, revoke_token
from subgraphs.accounts.services.register import register
from subgraphs.accounts.services.update_account import update_account

Ctx = Info[AccountsContext, None]
SIGNED_IN = requires(IsAuthenticated())


def _customer_or_none(info: Ctx, model: User) -> Customer | None:
    return None if model.is_staff else Customer.from_model(model)


@strawberry.type(name="Mutation")
class AccountsMutation:
    @strawberry.mutation(
        description="Register a customer account (answer never tells if it existed)."
    )
    async def account_register(
        self, info: Ctx, input: AccountRegisterInput, idempotency_key: IdempotencyKey = None
    ) -> AccountRegisterPayload:
        try:
            await register(
                info.context.unit_of_work(),
                info.context.accounts(),
                email=input.email,
                password=input.password,
                first_name=input.first_name,
                last_name=input.last_name,
                actor=info.context.principal,
                idempotency_key=idempotency_key,
            )
        except AccountError as exc:
            return AccountRegisterPayload(customer=None, user_errors=errors_of(exc))
        return AccountRegisterPayload(customer=None, user_errors=[])

    @strawberry.mutation(description="Sign in: a JWT access token (15 min) and a refresh token.")
    async def token_create(self, info: Ctx, input: TokenCreateInput) -> TokenCreatePayload:
        try:
            pair = await create_token(
                info.context.unit_of_work(),
                info.context.accounts(),
                email=input.email,
                password=input.password,
                otp=input.otp,
                client_ip=info.context.client_ip,
            )
        except AccountError as exc:
            return TokenCreatePayload(
                access_token=None, refresh_token=None, user_errors=errors_of(exc)
            )
        return TokenCreatePayload(
            access_token=pair.access_token, refresh_token=pair.refresh_token, user_errors=[]
        )

    @strawberry.mutation(description="Exchange a refresh token for new tokens (it is used up).")
    async def token_refresh(self, info: Ctx, input: RefreshTokenInput) -> TokenCreatePayload:
        try:
            pair = await refresh_token(
                info.context.unit_of_work(), info.context.accounts(), token=input.refresh_token
            )
        except AccountError as exc:
            return TokenCreatePayload(
                access_token=None, refresh_token=None, user_errors=errors_of(exc)
            )
        return TokenCreatePayload(
            access_token=pair.access_token, refresh_token=pair.refresh_token, user_errors=[]
        )

    @strawberry.mutation(description="Sign out: end the session of a refresh token.")
    async def token_revoke(self, info: Ctx, input: RefreshTokenInput) -> TokenRevokePayload:
        await revoke_token(
            info.context.unit_of_work(), info.context.accounts(), token=input.refresh_token
        )
        return TokenRevokePayload(user_errors=[])

    @strawberry.mutation(
        description="Update the signed-in account's profile.", extensions=SIGNED_IN
    )
    async def account_update(self, info: Ctx, input: AccountUpdateInput) -> AccountPayload:
        try:
            user = await update_account(
                info.context.unit_of_work(),
                info.context.accounts(),
                actor=info.context.principal,
                first_name=input.first_name,
                last_name=input.last_name,
            )
        except AccountError as exc:
            return AccountPayload(customer=None, user_errors=errors_of(exc))
        return AccountPayload(customer=_customer_or_none(info, user), user_errors=[])

    @strawberry.mutation(description="Add an address to the address book.", extensions=SIGNED_IN)
    async def account_address_create(
        self, info: Ctx, input: AddressInput, idempotency_key: IdempotencyKey = None
    ) -> AccountAddressPayload:
        try:
            address = await create_address(
                info.context.unit_of_work(),
                actor=info.context.principal,
                data=input.data(),
                idempotency_key=idempotency_key,
            )
        except AccountError as exc:
            return AccountAddressPayload(address=None, customer=None, user_errors=errors_of(exc))
        return AccountAddressPayload(
            address=Address.from_model(address), customer=None, user_errors=[]
        )

    @strawberry.mutation(description="Change an address of the book.", extensions=SIGNED_IN)
    async def account_address_update(
        self, info: Ctx, input: AccountAddressUpdateInput
    ) -> AccountAddressPayload:
        try:
            address = await update_address(
                info.context.unit_of_work(),
                actor=info.context.principal,
                address_id=str(input.id),
                data=input.address.data(),
            )
        except AccountError as exc:
            return AccountAddressPayload(address=None, customer=None, user_errors=errors_of(exc))
        return AccountAddressPayload(
            address=Address.from_model(address), customer=None, user_errors=[]
        )

    @strawberry.mutation(description="Remove an address from the book.", extensions=SIGNED_IN)
    async def account_address_delete(
        self, info: Ctx, input: AccountAddressDeleteInput
    ) -> AccountAddressPayload:
        try:
            await delete_address(
                info.context.unit_of_work(), actor=info.context.principal, address_id=str(input.id)
            )
        except AccountError as exc:
            return AccountAddressPayload(address=None, customer=None, user_errors=errors_of(exc))
        return AccountAddressPayload(address=None, customer=None, user_errors=[])

    @strawberry.mutation(
        description="Choose the default shipping or billing address.", extensions=SIGNED_IN
    )
    async def account_set_default_address(
        self, info: Ctx, input: AccountSetDefaultAddressInput
    ) -> AccountAddressPayload:
        try:
            user = await set_default_address(
                info.context.unit_of_work(),
                actor=info.context.principal,
                address_id=str(input.id),
                address_type=input.type,
            )
        except AccountError as exc:
            return AccountAddressPayload(address=None, customer=None, user_errors=errors_of(exc))
        return AccountAddressPayload(
            address=None, customer=_customer_or_none(info, user), user_errors=[]
        )

    @strawberry.mutation(
        description="Mail a confirmation token to a new email address.", extensions=SIGNED_IN
    )
    async def account_request_email_change(
        self, info: Ctx, input: AccountRequestEmailChangeInput
    ) -> AccountRequestPayload:
        try:
            await request_email_change(
                info.context.unit_of_work(),
                info.context.accounts(),
                actor=info.context.principal,
                new_email=input.new_email,
                password=input.password,
            )
        except AccountError as exc:
            return AccountRequestPayload(user_errors=errors_of(exc))
        return AccountRequestPayload(user_errors=[])

    @strawberry.mutation(
        description="Confirm the new email with its token (as the account that asked).",
        extensions=SIGNED_IN,
    )
    async def account_confirm_email_change(
        self, info: Ctx, input: AccountConfirmEmailChangeInput
    ) -> AccountPayload:
        try:
            user = await confirm_email_change(
                info.context.unit_of_work(),
                info.context.accounts(),
                actor=info.context.principal,
                token=input.token,
            )
        except AccountError as exc:
            return AccountPayload(customer=None, user_errors=errors_of(exc))
        return AccountPayload(customer=_customer_or_none(info, user), user_errors=[])

    @strawberry.mutation(description="Mail a password reset link (same answer for any email).")
    async def request_password_reset(
        self, info: Ctx, input: RequestPasswordResetInput
    ) -> AccountRequestPayload:
        await request_password_reset(
            info.context.unit_of_work(), info.context.accounts(), email=input.email
        )
        return AccountRequestPayload(user_errors=[])

    @strawberry.mutation(description="Set a new password with a reset token.")
    async def set_password(self, info: Ctx, input: SetPasswordInput) -> AccountRequestPayload:
        try:
            await set_password(
                info.context.unit_of_work(),
                info.context.accounts(),
                token=input.token,
                password=input.password,
            )
        except AccountError as exc:
            return AccountRequestPayload(user_errors=errors_of(exc))
        return AccountRequestPayload(user_errors=[])

    @strawberry.mutation(description="Start TOTP enrolment.", extensions=SIGNED_IN)
    async def account_mfa_enroll_start(self, info: Ctx) -> AccountMfaEnrollStartPayload:
        try:
            enrolment = await start_mfa_enrolment(
                info.context.unit_of_work(), actor=info.context.principal
            )
        except AccountError as exc:
            return AccountMfaEnrollStartPayload(
                secret=None, otpauth_uri=None, user_errors=errors_of(exc)
            )
        return AccountMfaEnrollStartPayload(
            secret=enrolment.secret, otpauth_uri=enrolment.otpauth_uri, user_errors=[]
        )

    @strawberry.mutation(description="Turn TOTP on with a first code.", extensions=SIGNED_IN)
    async def account_mfa_enroll_confirm(
        self, info: Ctx, input: AccountMfaEnrollConfirmInput
    ) -> AccountMfaEnrollConfirmPayload:
        try:
            codes = await confirm_mfa_enrolment(
                info.context.unit_of_work(),
                info.context.accounts(),
                actor=info.context.principal,
                code=input.code,
            )
        except AccountError as exc:
            return AccountMfaEnrollConfirmPayload(recovery_codes=None, user_errors=errors_of(exc))
        return AccountMfaEnrollConfirmPayload(recovery_codes=codes, user_errors=[])

    @strawberry.mutation(
        description="Create a staff member (MANAGE_STAFF).",
        extensions=requires(HasPermission(Permission.MANAGE_STAFF)),
    )
    async def staff_create(
        self, info: Ctx, input: StaffCreateInput, idempotency_key: IdempotencyKey = None
    ) -> StaffCreatePayload:
        try:
            user = await create_staff(
                info.context.unit_of_work(),
                info.context.accounts(),
                actor=info.context.principal,
                email=input.email,
                password=input.password,
                first_name=input.first_name,
                last_name=input.last_name,
                group_ids=[str(g) for g in input.group_ids],
                idempotency_key=idempotency_key,
            )
        except AccountError as exc:
            return StaffCreatePayload(staff_user=None, user_errors=errors_of(exc))
        return StaffCreatePayload(staff_user=StaffUser.from_model(user), user_errors=[])

    @strawberry.mutation(
        description="Create a permission group (MANAGE_STAFF; only permissions you hold).",
        extensions=requires(HasPermission(Permission.MANAGE_STAFF)),
    )
    async def permission_group_create(
        self, info: Ctx, input: PermissionGroupCreateInput, idempotency_key: IdempotencyKey = None
    ) -> PermissionGroupPayload:
        try:
            group = await create_group(
                info.context.unit_of_work(),
                info.context.accounts(),
                actor=info.context.principal,
                name=input.name,
                permissions=list(input.permissions),
                member_ids=[str(m) for m in input.member_ids],
                idempotency_key=idempotency_key,
            )
        except AccountError as exc:
            return PermissionGroupPayload(permission_group=None, user_errors=errors_of(exc))
        return PermissionGroupPayload(
            permission_group=PermissionGroup.from_model(group), user_errors=[]
        )

    @strawberry.mutation(
        description="Rename a group, change its permissions, add or remove members (MANAGE_STAFF).",
        extensions=requires(HasPermission(Permission.MANAGE_STAFF)),
    )
    async def permission_group_update(
        self, info: Ctx, input: PermissionGroupUpdateInput
    ) -> PermissionGroupPayload:
        try:
            group = await update_group(
                info.context.unit_of_work(),
                info.context.accounts(),
                actor=info.context.principal,
                group_id=str(input.id),
                name=input.name,
                permissions=list(input.permissions) if input.permissions is not None else None,
                add_member_ids=[str(m) for m in input.add_member_ids],
                remove_member_ids=[str(m) for m in input.remove_member_ids],
            )
        except AccountError as exc:
            return PermissionGroupPayload(permission_group=None, user_errors=errors_of(exc))
        return PermissionGroupPayload(
            permission_group=PermissionGroup.from_model(group), user_errors=[]
        )

    @strawberry.mutation(
        description="Start an export of all my personal data (GDPR).", extensions=SIGNED_IN
    )
    async def my_data_export(
        self, info: Ctx, idempotency_key: IdempotencyKey = None
    ) -> DataExportPayload:
        try:
            export = await request_data_export(
                info.context.unit_of_work(),
                info.context.accounts(),
                actor=info.context.principal,
                idempotency_key=idempotency_key,
            )
        except AccountError as exc:
            return DataExportPayload(data_export=None, user_errors=errors_of(exc))
        return DataExportPayload(data_export=DataExport.from_model(export), user_errors=[])

    @strawberry.mutation(description="Erase my account (GDPR).", extensions=SIGNED_IN)
    async def account_delete(self, info: Ctx, input: AccountDeleteInput) -> AccountRequestPayload:
        try:
            await delete_account(
                info.context.unit_of_work(),
                info.context.accounts(),
                actor=info.context.principal,
                password=input.password,
            )
        except AccountError as exc:
            return AccountRequestPayload(user_errors=errors_of(exc))
        return AccountRequestPayload(user_errors=[])
