"""Request-scoped batch loaders of the accounts subgraph; each batch is one ``Database.read``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

from aiodataloader import DataLoader

from shared.auth import Principal
from shared.graphql.dataloaders import DatabaseLoader
from subgraphs.accounts.domain.models import Address, PermissionGroup, User
from subgraphs.accounts.repository import AccountsReader
from subgraphs.accounts.services.delete_account import record_customer_access
from subgraphs.accounts.services.runtime import AccountsRuntime
from subgraphs.accounts.uow import AccountsUnitOfWork


class UserByIdLoader(DatabaseLoader[str, User | None]):
    async def batch_load_fn(self, keys: Sequence[str]) -> list[User | None]:
        users = await self.database.read(lambda s: AccountsReader(s).users(keys))
        found = {u.id: u for u in users}
        return [found.get(k) for k in keys]


class AddressByIdLoader(DatabaseLoader[str, Address | None]):
    async def batch_load_fn(self, keys: Sequence[str]) -> list[Address | None]:
        rows = await self.database.read(lambda s: AccountsReader(s).addresses(keys))
        found = {a.id: a for a in rows}
        return [found.get(k) for k in keys]


class AddressesByUserLoader(DatabaseLoader[str, list[Address]]):
    async def batch_load_fn(self, keys: Sequence[str]) -> list[list[Address]]:
        rows = await self.database.read(lambda s: AccountsReader(s).addresses_of(keys))
        grouped: dict[str, list[Address]] = defaultdict(list)
        for address in rows:
            grouped[address.user_id].append(address)
        return [grouped.get(k, []) for k in keys]


class MembersByGroupLoader(DatabaseLoader[str, list[User]]):
    async def batch_load_fn(self, keys: Sequence[str]) -> list[list[User]]:
        def read(reader: AccountsReader) -> dict[str, list[User]]:
            links = reader.members(keys)
            users = {u.id: u for u in reader.users(sorted({m.user_id for m in links}))}
            grouped: dict[str, list[User]] = defaultdict(list)
            for link in links:
                if link.user_id in users:
                    grouped[link.group_id].append(users[link.user_id])
            return grouped

        grouped = await self.database.read(lambda s: read(AccountsReader(s)))
        return [grouped.get(k, []) for k in keys]


class GroupsByUserLoader(DatabaseLoader[str, list[PermissionGroup]]):
    async def batch_load_fn(self, keys: Sequence[str]) -> list[list[PermissionGroup]]:
        def read(reader: AccountsReader) -> dict[str, list[PermissionGroup]]:
            links = reader.memberships(keys)
            groups = {g.id: g for g in reader.groups(sorted({m.group_id for m in links}))}
            grouped: dict[str, list[PermissionGroup]] = defaultdict(list)
            for link in links:
                grouped[link.user_id].append(groups[link.group_id])
            return grouped

        grouped = await self.database.read(lambda s: read(AccountsReader(s)))
        return [grouped.get(k, []) for k in keys]


class CustomerReadAudit(DataLoader[str, None]):
    """Staff reads of customers in one request are audited in one transaction (a batch)."""

    def __init__(
        self,
        uow_factory: Callable[[], AccountsUnitOfWork],
        runtime: AccountsRuntime,
        principal: Principal,
    ) -> None:
        super().__init__()
        self._uow = uow_factory
        self._runtime = runtime
        self._principal = principal

    async def batch_load_fn(self, keys: Sequence[str]) -> list[None]:
        await record_customer_access(
            self._uow, self._runtime, actor=self._principal, customer_ids=list(keys)
        )
        return [None] * len(keys)
