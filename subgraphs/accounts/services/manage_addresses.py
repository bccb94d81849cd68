"""Use cases of the address book: create, update, delete, choose the default shipping or
billing address. Only the owner reaches an address; another's id answers NOT_FOUND."""

from __future__ import annotations

from collections.abc import Callable

from shared.auth import ANONYMOUS, Principal
from shared.idempotency import IdempotencyError, IdempotentRequest
from subgraphs.accounts.domain.errors import AccountError, AccountErrorCode
from subgraphs.accounts.domain.models import (
    MAX_ADDRESSES,
    Address,
    AddressType,
    User,
    clean_address,
)
from subgraphs.accounts.uow import AccountsUnitOfWork

OPERATION_CREATE = "accountAddressCreate"


def _not_found() -> AccountError:
    return AccountError(AccountErrorCode.NOT_FOUND, "No such address.", field="id")


async def _owner(uow: AccountsUnitOfWork, actor: Principal) -> User:
    user = await uow.users.get(actor.id or "") if actor.is_authenticated else None
    if user is None or user.is_deleted:
        raise AccountError(AccountErrorCode.NOT_FOUND, "No such account.")
    return user


async def _owned(uow: AccountsUnitOfWork, actor: Principal, address_id: str) -> Address:
    address = await uow.addresses.get(address_id)
    if address is None or address.user_id != actor.id:
        raise _not_found()
    return address


async def create_address(
    uow_factory: Callable[[], AccountsUnitOfWork],
    *,
    actor: Principal = ANONYMOUS,
    data: dict[str, str | None],
    idempotency_key: str | None = None,
) -> Address:
    cleaned = clean_address(data)
    async with uow_factory() as uow:
        try:
            request = IdempotentRequest.of(
                idempotency_key, operation=OPERATION_CREATE, caller=actor, data=cleaned
            )
            replay = await uow.claim_idempotency_key(request)
        except IdempotencyError as exc:
            raise AccountError.from_idempotency(exc) from exc
        if replay is not None:
            found = await uow.addresses.get(str(replay["address_id"]))
            await uow.commit()
            if found is None:
                raise _not_found()  # created, then deleted
            return found
        user = await _owner(uow, actor)
        if await uow.addresses.count(user.id) >= MAX_ADDRESSES:
            raise AccountError(
                AccountErrorCode.TOO_MANY, f"An address book holds at most {MAX_ADDRESSES}."
            )
        address = Address.model_validate({**cleaned, "user_id": user.id})
        uow.addresses.add(address)
        if user.default_shipping_address_id is None:
            user.default_shipping_address_id = address.id
        if user.default_billing_address_id is None:
            user.default_billing_address_id = address.id
        await uow.commit(idempotent_response={"address_id": address.id})
    return address


async def update_address(
    uow_factory: Callable[[], AccountsUnitOfWork],
    *,
    actor: Principal,
    address_id: str,
    data: dict[str, str | None],
) -> Address:
    async with uow_factory() as uow:
        address = await _owned(uow, actor, address_id)
        merged = {**address.as_data(), **{k: v for k, v in data.items() if v is not None}}
        for name, value in clean_address(merged).items():
            setattr(address, name, value)
        await uow.commit()
    return address


async def delete_address(
    uow_factory: Callable[[], AccountsUnitOfWork], *, actor: Principal, address_id: str
) -> None:
    async with uow_factory() as uow:
        address = await _owned(uow, actor, address_id)
        user = await _owner(uow, actor)
        if user.default_shipping_address_id == address.id:
            user.default_shipping_address_id = None
        if user.default_billing_address_id == address.id:
            user.default_billing_address_id = None
        await uow.addresses.delete(address)
        await uow.commit()


async def set_default_address(
    uow_factory: Callable[[], AccountsUnitOfWork],
    *,
    actor: Principal,
    address_id: str,
    address_type: AddressType,
) -> User:
    async with uow_factory() as uow:
        address = await _owned(uow, actor, address_id)
        user = await _owner(uow, actor)
        if address_type == AddressType.SHIPPING:
            user.default_shipping_address_id = address.id
        else:
            user.default_billing_address_id = address.id
        await uow.commit()
    return user
