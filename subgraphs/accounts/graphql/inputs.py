"""Accounts input types."""

from __future__ import annotations

import strawberry

from subgraphs.accounts.graphql.types import AddressTypeEnum, PermissionEnum


@strawberry.input(description="A new customer account.")
class AccountRegisterInput:
    email: str
    password: str = strawberry.field(description="At least 8 characters, not the email.")
    first_name: str | None = None
    last_name: str | None = None


@strawberry.input(description="Sign in: email, password and, with MFA on, a TOTP or recovery code.")
class TokenCreateInput:
    email: str
    password: str
    otp: str | None = strawberry.field(
        default=None, description="A 6-digit TOTP code or a recovery code (xxxxxxxx-xxxxxxxx)."
    )


@strawberry.input(description="A refresh token to exchange or revoke.")
class RefreshTokenInput:
    refresh_token: str


@strawberry.input(description="Profile changes; omitted fields stay as they are.")
class AccountUpdateInput:
    first_name: str | None = None
    last_name: str | None = None


@strawberry.input(description="An address of the address book.")
class AddressInput:
    first_name: str | None = None
    last_name: str | None = None
    company: str | None = None
    street1: str | None = None
    street2: str | None = None
    city: str | None = None
    postal_code: str | None = None
    country_code: str | None = strawberry.field(default=None, description="ISO 3166-1 alpha-2.")
    country_area: str | None = None
    phone: str | None = None

    def data(self) -> dict[str, str | None]:
        return {
            "first_name": self.first_name,
            "last_name": self.last_name,
            "company": self.company,
            "street1": self.street1,
            "street2": self.street2,
            "city": self.city,
            "postal_code": self.postal_code,
            "country_code": self.country_code,
            "country_area": self.country_area,
            "phone": self.phone,
        }


@strawberry.input(description="Changes to one address; omitted fields stay as they are.")
class AccountAddressUpdateInput:
    id: strawberry.ID
    address: AddressInput


@strawberry.input(description="The address to remove.")
class AccountAddressDeleteInput:
    id: strawberry.ID


@strawberry.input(description="Make an address the default of a type.")
class AccountSetDefaultAddressInput:
    id: strawberry.ID
    type: AddressTypeEnum  # type: ignore[valid-type]


@strawberry.input(description="Ask to move the account to a new email address.")
class AccountRequestEmailChangeInput:
    new_email: str
    password: str = strawberry.field(description="The current password, to confirm it is you.")


@strawberry.input(description="The token mailed to the new address.")
class AccountConfirmEmailChangeInput:
    token: str


@strawberry.input(description="Whose password to reset.")
class RequestPasswordResetInput:
    email: str


@strawberry.input(description="A new password with the token from the reset email.")
class SetPasswordInput:
    token: str
    password: str


@strawberry.input(description="The first code from the authenticator app.")
class AccountMfaEnrollConfirmInput:
    code: str


@strawberry.input(description="A new staff member.")
class StaffCreateInput:
    email: str
    password: str
    first_name: str | None = None
    last_name: str | None = None
    group_ids: list[strawberry.ID] = strawberry.field(default_factory=list)


@strawberry.input(description="A new permission group.")
class PermissionGroupCreateInput:
    name: str
    permissions: list[PermissionEnum]  # type: ignore[valid-type]
    member_ids: list[strawberry.ID] = strawberry.field(default_factory=list)


@strawberry.input(description="Changes to a permission group and its members.")
class PermissionGroupUpdateInput:
    id: strawberry.ID
    name: str | None = None
    permissions: list[PermissionEnum] | None = None  # type: ignore[valid-type]
    add_member_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    remove_member_ids: list[strawberry.ID] = strawberry.field(default_factory=list)


@strawberry.input(description="Erase the account: confirm with the password.")
class AccountDeleteInput:
    password: str
