"""Request-scoped batch loaders of the inventory subgraph; each batch is one ``Database.read``."""

from __future__ import annotations

from collections.abc import Sequence

from shared.graphql.dataloaders import DatabaseLoader
from subgraphs.inventory.domain.models import Availability, WarehouseView
from subgraphs.inventory.repository import InventoryReader


class AvailabilityLoader(DatabaseLoader[str, Availability]):
    """Availability of many variants: one statement per batch."""

    async def batch_load_fn(self, keys: Sequence[str]) -> list[Availability]:
        found = await self.database.read(lambda s: InventoryReader(s).availability(keys))
        return [found[k] for k in keys]


class WarehouseByIdLoader(DatabaseLoader[str, WarehouseView | None]):
    async def batch_load_fn(self, keys: Sequence[str]) -> list[WarehouseView | None]:
        rows = await self.database.read(lambda s: InventoryReader(s).warehouses_by_ids(keys))
        found = {w.id: w for w in rows}
        return [found.get(k) for k in keys]
