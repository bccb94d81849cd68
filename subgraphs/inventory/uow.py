"""The inventory subgraph's unit of work."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from shared.uow import UnitOfWork
from subgraphs.inventory.repository import (
    ItemRepository,
    MovementRepository,
    ReservationRepository,
    StockRepository,
    WarehouseRepository,
)


class InventoryUnitOfWork(UnitOfWork):
    stock: StockRepository
    items: ItemRepository
    warehouses: WarehouseRepository
    reservations: ReservationRepository
    movements: MovementRepository

    def open_repositories(self, session: AsyncSession) -> None:
        self.stock = StockRepository(session)
        self.items = ItemRepository(session)
        self.warehouses = WarehouseRepository(session)
        self.reservations = ReservationRepository(session)
        self.movements = MovementRepository(session)
