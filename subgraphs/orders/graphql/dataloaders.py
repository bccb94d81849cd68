"""Request-scoped batch loaders of the orders subgraph; each batch is one ``Database.read``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shared.graphql.dataloaders import DatabaseLoader
from subgraphs.orders.domain.order import Recorded
from subgraphs.orders.repository import OrderReader


class OrderStateLoader(DatabaseLoader[str, dict[str, Any] | None]):
    """The projected state of orders by id (None: no such order)."""

    async def batch_load_fn(self, keys: Sequence[str]) -> list[dict[str, Any] | None]:
        found = await self.database.read(lambda s: OrderReader(s).states(keys))
        return [found.get(k) for k in keys]


class OrderHistoryLoader(DatabaseLoader[str, list[Recorded]]):
    async def batch_load_fn(self, keys: Sequence[str]) -> list[list[Recorded]]:
        def read(session: Any) -> list[list[Recorded]]:
            reader = OrderReader(session)
            return [reader.history(k) for k in keys]

        return await self.database.read(read)
