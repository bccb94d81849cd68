"""Use cases of staff administration (MANAGE_STAFF): staff accounts and permission groups.

A staff member grants only permissions they hold themselves (no escalation through groups),
and every change is written to the audit log in the same transaction.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Sequence

from shared.auth import Permission, Principal, require
from shared.idempotency import IdempotencyError, IdempotentRequest
from subgraphs.accounts.domain.errors import AccountError, AccountErrorCode
from subgraphs.accounts.domain.events import StaffChanged
from subgraphs.accounts.domain.models import PermissionGroup, User, clean_name
from subgraphs.accounts.domain.passwords import check_password_policy, email_key, normalize_email
from subgraphs.accounts.services import audit
from subgraphs.accounts.services.runtime import AccountsRuntime
from subgraphs.accounts.uow import AccountsUnitOfWork


def _claim_error(exc: IdempotencyError) -> AccountError:
    return AccountError.from_idempotency(exc)


def _grantable(actor: Principal, permissions: Iterable[Permission]) -> list[str]:
    wanted = sorted({p.value for p in permissions})
    missing = [p for p in wanted if not actor.has(Permission(p))]
    if missing:
        raise AccountError(
            AccountErrorCode.PERMISSION_NOT_HELD,
            f"You cannot grant permissions you do not hold: {', '.join(missing)}.",
            field="permissions",
        )
    return wanted


async def _staff_members(uow: AccountsUnitOfWork, ids: Sequence[str], field: str) -> list[User]:
    members = []
    for user_id in ids:
        user = await uow.users.get(user_id)
        if user is None or not user.is_staff or user.is_deleted:
            raise AccountError(
                AccountErrorCode.NOT_FOUND, f"No staff member {user_id}.", field=field
            )
        members.append(user)
    return members


async def create_staff(
    uow_factory: Callable[[], AccountsUnitOfWork],
    runtime: AccountsRuntime,
    *,
    actor: Principal,
    email: str,
    password: str,
    first_name: str | None = None,
    last_name: str | None = None,
    group_ids: Sequence[str] = (),
    idempotency_key: str | None = None,
) -> User:
    require(actor, Permission.MANAGE_STAFF)
    address = normalize_email(email)
    check_password_policy(password, email=address)
    first, last = clean_name(first_name, "firstName"), clean_name(last_name, "lastName")
    password_hash = await asyncio.to_thread(runtime.passwords.hash, password)
    at = runtime.clock()
    async with uow_factory() as uow:
        try:
            request = IdempotentRequest.of(
                idempotency_key,
                operation="staffCreate",
                caller=actor,
                data={"email": address, "first": first, "last": last, "groups": list(group_ids)},
            )
            replay = await uow.claim_idempotency_key(request)
        except IdempotencyError as exc:
            raise _claim_error(exc) from exc
        if replay is not None:
            found = await uow.users.get(str(replay["user_id"]))
            await uow.commit()
            assert found is not None
            return found
        if await uow.users.by_email_key(email_key(address)) is not None:
            raise AccountError(
                AccountErrorCode.EMAIL_TAKEN, "This email has an account.", field="email"
            )
        user = User(
            email=address,
            email_key=email_key(address),
            password_hash=password_hash,
            first_name=first,
            last_name=last,
            is_staff=True,
            password_changed_at=at,
            created_at=at,
            updated_at=at,
        )
        uow.users.add(user)
        await uow.session.flush()
        for group_id in group_ids:
            group = await uow.groups.get(group_id)
            if group is None:
                raise AccountError(AccountErrorCode.NOT_FOUND, "No such group.", field="groupIds")
            _grantable(actor, group.permission_set)
            await uow.groups.add_member(group.id, user.id)
        uow.record(StaffChanged(staff_id=user.id, action="created"))
        await audit.record(
            uow,
            actor=actor,
            action="staff.created",
            target_type="User",
            target_id=user.id,
            at=at,
            details={"email": address, "group_ids": list(group_ids)},
        )
        await uow.commit(idempotent_response={"user_id": user.id})
    return user


async def create_group(
    uow_factory: Callable[[], AccountsUnitOfWork],
    runtime: AccountsRuntime,
    *,
    actor: Principal,
    name: str,
    permissions: Sequence[Permission],
    member_ids: Sequence[str] = (),
    idempotency_key: str | None = None,
) -> PermissionGroup:
    require(actor, Permission.MANAGE_STAFF)
    clean = clean_name(name, "name")
    if not clean:
        raise AccountError(AccountErrorCode.REQUIRED, "Name the group.", field="name")
    granted = _grantable(actor, permissions)
    at = runtime.clock()
    async with uow_factory() as uow:
        try:
            request = IdempotentRequest.of(
                idempotency_key,
                operation="permissionGroupCreate",
                caller=actor,
                data={"name": clean, "permissions": granted, "members": sorted(member_ids)},
            )
            replay = await uow.claim_idempotency_key(request)
        except IdempotencyError as exc:
            raise _claim_error(exc) from exc
        if replay is not None:
            found = await uow.groups.get(str(replay["group_id"]))
            await uow.commit()
            assert found is not None
            return found
        if await uow.groups.by_name(clean) is not None:
            raise AccountError(AccountErrorCode.NAME_TAKEN, "A group has this name.", field="name")
        group = PermissionGroup(name=clean, permissions=granted, created_at=at)
        uow.groups.add(group)
        await uow.session.flush()
        for member in await _staff_members(uow, member_ids, "memberIds"):
            await uow.groups.add_member(group.id, member.id)
        await audit.record(
            uow,
            actor=actor,
            action="permission_group.created",
            target_type="PermissionGroup",
            target_id=group.id,
            at=at,
            details={"name": clean, "permissions": granted, "member_ids": list(member_ids)},
        )
        await uow.commit(idempotent_response={"group_id": group.id})
    return group


async def update_group(
    uow_factory: Callable[[], AccountsUnitOfWork],
    runtime: AccountsRuntime,
    *,
    actor: Principal,
    group_id: str,
    name: str | None = None,
    permissions: Sequence[Permission] | None = None,
    add_member_ids: Sequence[str] = (),
    remove_member_ids: Sequence[str] = (),
) -> PermissionGroup:
    require(actor, Permission.MANAGE_STAFF)
    at = runtime.clock()
    async with uow_factory() as uow:
        group = await uow.groups.get(group_id)
        if group is None:
            raise AccountError(AccountErrorCode.NOT_FOUND, "No such group.", field="id")
        changes: dict[str, object] = {}
        if name is not None:
            clean = clean_name(name, "name")
            if not clean:
                raise AccountError(AccountErrorCode.REQUIRED, "Name the group.", field="name")
            other = await uow.groups.by_name(clean)
            if other is not None and other.id != group.id:
                raise AccountError(
                    AccountErrorCode.NAME_TAKEN, "A group has this name.", field="name"
                )
            group.name = clean
            changes["name"] = clean
        if permissions is not None:
            # Changing a group's permissions needs every permission it had and will have.
            _grantable(actor, [*group.permission_set, *permissions])
            group.permissions = sorted({p.value for p in permissions})
            changes["permissions"] = group.permissions
        if add_member_ids or remove_member_ids:
            _grantable(actor, group.permission_set)
        for member in await _staff_members(uow, add_member_ids, "addMemberIds"):
            await uow.groups.add_member(group.id, member.id)
        for user_id in remove_member_ids:
            await uow.groups.remove_member(group.id, user_id)
        changes |= {"added": list(add_member_ids), "removed": list(remove_member_ids)}
        await audit.record(
            uow,
            actor=actor,
            action="permission_group.updated",
            target_type="PermissionGroup",
            target_id=group.id,
            at=at,
            details=changes,
        )
        await uow.commit()
    return group
