"""Accounts mutation payloads."""

from __future__ import annotations

import strawberry

from shared.graphql.types import UserError
from subgraphs.accounts.domain.errors import AccountError, AccountErrorCode
from subgraphs.accounts.graphql.types import (
    Address,
    Customer,
    DataExport,
    PermissionGroup,
    StaffUser,
)

AccountErrorCodeEnum = strawberry.enum(
    AccountErrorCode, name="AccountErrorCode", description="Why an accounts mutation refused."
)


@strawberry.type(description="A problem with an accounts mutation's input.")
class AccountUserError(UserError):
    code: AccountErrorCodeEnum  # type: ignore[valid-type]

    @classmethod
    def from_domain(cls, error: AccountError) -> AccountUserError:
        return cls(
            field=[error.field] if error.field else None, message=error.message, code=error.code
        )


def errors_of(error: AccountError) -> list[AccountUserError]:
    return [AccountUserError.from_domain(error)]


@strawberry.type(
    description="Registration answer. `customer` is always null: the answer must not tell "
    "whether the email already had an account (check the inbox, then sign in)."
)
class AccountRegisterPayload:
    customer: Customer | None
    user_errors: list[AccountUserError]


@strawberry.type(description="A new session: a 15-minute access token and a refresh token.")
class TokenCreatePayload:
    access_token: str | None
    refresh_token: str | None
    user_errors: list[AccountUserError]


@strawberry.type(description="The session ended (or the token was unknown).")
class TokenRevokePayload:
    user_errors: list[AccountUserError]


@strawberry.type(description="The updated account.")
class AccountPayload:
    customer: Customer | None
    user_errors: list[AccountUserError]


@strawberry.type(description="The created or updated address.")
class AccountAddressPayload:
    address: Address | None
    customer: Customer | None
    user_errors: list[AccountUserError]


@strawberry.type(description="Done, or why not. Deliberately says nothing more.")
class AccountRequestPayload:
    user_errors: list[AccountUserError]


@strawberry.type(description="The secret to add to an authenticator app.")
class AccountMfaEnrollStartPayload:
    secret: str | None
    otpauth_uri: str | None
    user_errors: list[AccountUserError]


@strawberry.type(description="MFA is on. Keep the recovery codes: they are shown once.")
class AccountMfaEnrollConfirmPayload:
    recovery_codes: list[str] | None
    user_errors: list[AccountUserError]


@strawberry.type(description="The new staff member.")
class StaffCreatePayload:
    staff_user: StaffUser | None
    user_errors: list[AccountUserError]


@strawberry.type(description="The permission group.")
class PermissionGroupPayload:
    permission_group: PermissionGroup | None
    user_errors: list[AccountUserError]


@strawberry.type(description="The export, PENDING until every holder has answered.")
class DataExportPayload:
    data_export: DataExport | None
    user_errors: list[AccountUserError]
