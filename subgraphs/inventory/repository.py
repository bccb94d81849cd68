"""The inventory subgraph's only SQL. Repositories (async, in units of work) never commit;
readers (sync, inside ``Database.read``) serve GraphQL.

Zero oversell rests on ``StockRepository``: stock is taken only by ONE conditional statement per
(variant, warehouse) row — ``UPDATE stock SET reserved = reserved + q WHERE … AND on_hand -
reserved >= q`` — whose row count (or RETURNING row) says whether it happened. What any earlier
read said is only a hint of how much to ask for; it never decides that stock is there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    CursorResult,
    Date,
    Integer,
    Table,
    bindparam,
    case,
    cast,
    delete,
    func,
    literal,
    select,
    type_coerce,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from shared.sql import insert_ignoring_conflicts, upsert, view_columns
from subgraphs.inventory.domain.models import (
    DEFAULT_LOW_STOCK_THRESHOLD,
    Availability,
    InventoryItem,
    Reservation,
    ReservationAllocation,
    ReservationLine,
    Stock,
    StockLevelView,
    StockMovement,
    Warehouse,
    WarehouseView,
)

stock: Table = Stock.__table__  # type: ignore[attr-defined]
warehouses: Table = Warehouse.__table__  # type: ignore[attr-defined]
items: Table = InventoryItem.__table__  # type: ignore[attr-defined]
reservations: Table = Reservation.__table__  # type: ignore[attr-defined]
lines_table: Table = ReservationLine.__table__  # type: ignore[attr-defined]
allocations_table: Table = ReservationAllocation.__table__  # type: ignore[attr-defined]
movements: Table = StockMovement.__table__  # type: ignore[attr-defined]

_WAREHOUSE_COLUMNS = view_columns(warehouses, WarehouseView)
_STOCK_COLUMNS = view_columns(stock, StockLevelView)


@dataclass(frozen=True, slots=True)
class ItemSettings:
    allow_backorder: bool = False
    backorder_eta: date | None = None
    low_stock_threshold: int = DEFAULT_LOW_STOCK_THRESHOLD


def _whole_line_statement() -> Any:
    """Take a whole line from the first active warehouse (by priority) that holds it — one
    statement, conditional on the row it updates (re-checked on the newest row version)."""
    s, w = stock.alias("s"), warehouses.alias("w")
    variant: Any = bindparam("b_variant")
    quantity: Any = bindparam("b_quantity", type_=Integer)
    first_fit = (
        select(s.c.warehouse_id)
        .join(w, w.c.id == s.c.warehouse_id)
        .where(
            s.c.variant_id == variant, w.c.active.is_(True), s.c.on_hand - s.c.reserved >= quantity
        )
        .order_by(w.c.priority, w.c.code)
        .limit(1)
        .scalar_subquery()
    )
    return (
        update(stock)
        .where(
            stock.c.variant_id == variant,
            stock.c.warehouse_id == first_fit,
            stock.c.on_hand - stock.c.reserved >= quantity,
        )
        .values(reserved=stock.c.reserved + quantity)
        .returning(stock.c.warehouse_id)
    )


def _at_row_statement() -> Any:
    """Take ``quantity`` from one given row, only if it still has them."""
    variant: Any = bindparam("b_variant")
    warehouse: Any = bindparam("b_warehouse")
    quantity: Any = bindparam("b_quantity", type_=Integer)
    return (
        update(stock)
        .where(
            stock.c.variant_id == variant,
            stock.c.warehouse_id == warehouse,
            stock.c.on_hand - stock.c.reserved >= quantity,
        )
        .values(reserved=stock.c.reserved + quantity)
        .returning(stock.c.warehouse_id)
    )


_WHOLE_LINE = _whole_line_statement()
_CLAIM = {
    "postgresql": postgresql.insert(reservations)
    .on_conflict_do_nothing()
    .returning(reservations.c.id),
    "sqlite": sqlite.insert(reservations).on_conflict_do_nothing().returning(reservations.c.id),
}
_AT_ROW = _at_row_statement()


class StockRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def take_whole_line(self, variant_id: str, quantity: int) -> str | None:
        """The fast path: the line from one warehouse (its id), or None when no single one
        holds it."""
        row = (
            await self.session.execute(
                _WHOLE_LINE, {"b_variant": variant_id, "b_quantity": quantity}
            )
        ).first()
        return None if row is None else str(row[0])

    async def take_at(self, variant_id: str, warehouse_id: str, quantity: int) -> bool:
        """Take ``quantity`` from one row; False if the row no longer has them."""
        row = (
            await self.session.execute(
                _AT_ROW,
                {"b_variant": variant_id, "b_warehouse": warehouse_id, "b_quantity": quantity},
            )
        ).first()
        return row is not None

    async def row_available(self, variant_id: str, warehouse_id: str) -> int:
        """A fresh hint for one row (0 when it does not exist)."""
        statement = select(stock.c.on_hand - stock.c.reserved).where(
            stock.c.variant_id == variant_id, stock.c.warehouse_id == warehouse_id
        )
        found = (await self.session.execute(statement)).scalar_one_or_none()
        return int(found or 0)

    async def hints(self, variant_id: str) -> list[tuple[str, int]]:
        """(warehouse, available) of the active warehouses holding some, by priority: a hint
        of where to ask, never a promise."""
        statement = (
            select(stock.c.warehouse_id, stock.c.on_hand - stock.c.reserved)
            .join(warehouses, warehouses.c.id == stock.c.warehouse_id)
            .where(
                stock.c.variant_id == variant_id,
                warehouses.c.active.is_(True),
                stock.c.on_hand - stock.c.reserved > 0,
            )
            .order_by(warehouses.c.priority, warehouses.c.code)
        )
        return [(str(w), int(a)) for w, a in (await self.session.execute(statement)).all()]

    async def available(self, variant_ids: Sequence[str]) -> dict[str, int]:
        """Available units per variant over the active warehouses (0 when none)."""
        statement = (
            select(stock.c.variant_id, func.sum(stock.c.on_hand - stock.c.reserved))
            .join(warehouses, warehouses.c.id == stock.c.warehouse_id)
            .where(stock.c.variant_id.in_(list(variant_ids)), warehouses.c.active.is_(True))
            .group_by(stock.c.variant_id)
        )
        found = {str(v): int(a) for v, a in (await self.session.execute(statement)).all()}
        return {v: found.get(v, 0) for v in variant_ids}

    async def give_back(self, allocations: Sequence[tuple[str, str, int]]) -> None:
        """Release reserved units: (variant, warehouse, quantity) each."""
        if not allocations:
            return
        statement = (
            update(stock)
            .where(stock.c.variant_id == bindparam("v"), stock.c.warehouse_id == bindparam("w"))
            .values(reserved=stock.c.reserved - bindparam("q", type_=Integer))
        )
        await self.session.execute(
            statement, [{"v": v, "w": w, "q": q} for v, w, q in sorted(allocations)]
        )

    async def ship(self, variant_id: str, warehouse_id: str, quantity: int) -> int:
        """Reserved units leave the shelf (on_hand and reserved both drop); on_hand after."""
        statement = (
            update(stock)
            .where(stock.c.variant_id == variant_id, stock.c.warehouse_id == warehouse_id)
            .values(
                on_hand=stock.c.on_hand - quantity,
                reserved=stock.c.reserved - quantity,
            )
            .returning(stock.c.on_hand)
        )
        return int((await self.session.execute(statement)).scalar_one())

    async def ensure_row(self, variant_id: str, warehouse_id: str) -> None:
        dialect = self.session.get_bind().dialect.name
        await self.session.execute(
            insert_ignoring_conflicts(
                dialect,
                stock,
                {
                    "variant_id": variant_id,
                    "warehouse_id": warehouse_id,
                    "on_hand": 0,
                    "reserved": 0,
                },
            )
        )

    async def locked_row(self, variant_id: str, warehouse_id: str) -> StockLevelView | None:
        """The row, locked until the transaction ends (PostgreSQL; SQLite's writer lock is held
        already once the transaction wrote)."""
        statement = (
            select(*_STOCK_COLUMNS)
            .where(stock.c.variant_id == variant_id, stock.c.warehouse_id == warehouse_id)
            .with_for_update()
        )
        row = (await self.session.execute(statement)).first()
        return None if row is None else StockLevelView(*row)

    async def put_back(self, variant_id: str, warehouse_id: str, quantity: int) -> int:
        """Units come back onto the shelf (a cancellation or a return); on_hand after."""
        await self.ensure_row(variant_id, warehouse_id)
        statement = (
            update(stock)
            .where(stock.c.variant_id == variant_id, stock.c.warehouse_id == warehouse_id)
            .values(on_hand=stock.c.on_hand + quantity)
            .returning(stock.c.on_hand)
        )
        return int((await self.session.execute(statement)).scalar_one())

    async def first_warehouse(self) -> str | None:
        """The active warehouse allocated first (by priority, then code)."""
        statement = (
            select(warehouses.c.id)
            .where(warehouses.c.active.is_(True))
            .order_by(warehouses.c.priority, warehouses.c.code)
            .limit(1)
        )
        found = (await self.session.execute(statement)).scalar_one_or_none()
        return None if found is None else str(found)

    async def set_on_hand(self, variant_id: str, warehouse_id: str, on_hand: int) -> bool:
        """Set on_hand, only if it stays at or above reserved."""
        result = await self.session.execute(
            update(stock)
            .where(
                stock.c.variant_id == variant_id,
                stock.c.warehouse_id == warehouse_id,
                stock.c.reserved <= on_hand,
            )
            .values(on_hand=on_hand)
        )
        assert isinstance(result, CursorResult)
        return result.rowcount == 1


class ItemRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def settings(self, variant_ids: Sequence[str]) -> dict[str, ItemSettings]:
        statement = select(
            items.c.variant_id,
            items.c.allow_backorder,
            items.c.backorder_eta,
            items.c.low_stock_threshold,
        ).where(items.c.variant_id.in_(list(variant_ids)))
        found = {
            str(row[0]): ItemSettings(bool(row[1]), row[2], int(row[3]))
            for row in (await self.session.execute(statement)).all()
        }
        return {v: found.get(v, ItemSettings()) for v in variant_ids}

    async def save(self, variant_id: str, settings: ItemSettings) -> None:
        dialect = self.session.get_bind().dialect.name
        values = {
            "allow_backorder": settings.allow_backorder,
            "backorder_eta": settings.backorder_eta,
            "low_stock_threshold": settings.low_stock_threshold,
        }
        await self.session.execute(
            upsert(
                dialect,
                items,
                {"variant_id": variant_id, **values},
                key=["variant_id"],
                set_=values,
            )
        )


class WarehouseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, warehouse: Warehouse) -> None:
        self.session.add(warehouse)

    async def get(self, warehouse_id: str) -> Warehouse | None:
        return await self.session.get(Warehouse, warehouse_id)

    async def code_taken(self, code: str) -> bool:
        statement = select(warehouses.c.id).where(warehouses.c.code == code).limit(1)
        return (await self.session.execute(statement)).first() is not None


class ReservationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim(self, values: dict[str, Any]) -> bool:
        """Insert the reservation row; False when the id exists (a concurrent insert of the same
        id waits here until the first transaction ends)."""
        dialect = self.session.get_bind().dialect.name
        result = await self.session.execute(
            insert_ignoring_conflicts(dialect, reservations, values)
        )
        assert isinstance(result, CursorResult)
        return result.rowcount == 1

    async def claim_many(self, rows: list[dict[str, Any]]) -> set[str]:
        """Insert many reservation rows in one statement; the ids that were new."""
        dialect = self.session.get_bind().dialect.name
        statement = _CLAIM[dialect]
        if len(rows) == 1:
            return {str(i) for i in (await self.session.execute(statement, rows[0])).scalars()}
        # executemany with RETURNING: one cached statement, sent as multi-row INSERTs
        return {str(i) for i in (await self.session.execute(statement, rows)).scalars()}

    async def forget(self, reservation_ids: Sequence[str]) -> None:
        """Delete reservations this transaction claimed but could not fill."""
        await self.session.execute(
            delete(reservations).where(reservations.c.id.in_(list(reservation_ids)))
        )

    async def get(self, reservation_id: str) -> Any:
        statement = select(reservations).where(reservations.c.id == reservation_id)
        return (await self.session.execute(statement)).first()

    async def add_lines(self, rows: list[dict[str, Any]]) -> None:
        await self.session.execute(lines_table.insert(), rows)

    async def add_allocations(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            await self.session.execute(allocations_table.insert(), rows)

    async def lines(self, reservation_id: str) -> list[Any]:
        statement = (
            select(lines_table.c.variant_id, lines_table.c.quantity, lines_table.c.backordered)
            .where(lines_table.c.reservation_id == reservation_id)
            .order_by(lines_table.c.variant_id)
        )
        return list((await self.session.execute(statement)).all())

    async def allocations(self, reservation_id: str) -> list[tuple[str, str, int]]:
        c = allocations_table.c
        statement = (
            select(c.variant_id, c.warehouse_id, c.quantity)
            .where(c.reservation_id == reservation_id)
            .order_by(c.variant_id, c.warehouse_id)
        )
        return [
            (str(v), str(w), int(q)) for v, w, q in (await self.session.execute(statement)).all()
        ]

    async def transition(
        self,
        reservation_id: str,
        *,
        to: str,
        at: datetime,
        unexpired: bool,
    ) -> bool:
        """RESERVED → ``to`` — one conditional statement, so it happens exactly once however
        many callers (retries, the sweeper) race for it. ``unexpired``: only before expiry."""
        c = reservations.c
        statement = update(reservations).where(c.id == reservation_id, c.status == "RESERVED")
        if unexpired:
            statement = statement.where(c.expires_at > at)
        result = await self.session.execute(statement.values(status=to, finished_at=at))
        assert isinstance(result, CursorResult)
        return result.rowcount == 1

    async def move(self, reservation_id: str, *, source: str, to: str, at: datetime) -> bool:
        """``source`` → ``to`` — one conditional statement (exactly once under races)."""
        c = reservations.c
        result = await self.session.execute(
            update(reservations)
            .where(c.id == reservation_id, c.status == source)
            .values(status=to, finished_at=at)
        )
        assert isinstance(result, CursorResult)
        return result.rowcount == 1

    async def replace_allocations(
        self, reservation_id: str, allocations: Sequence[tuple[str, str, int]]
    ) -> None:
        await self.session.execute(
            allocations_table.delete().where(allocations_table.c.reservation_id == reservation_id)
        )
        await self.add_allocations(
            [
                {
                    "reservation_id": reservation_id,
                    "variant_id": v,
                    "warehouse_id": w,
                    "quantity": q,
                }
                for v, w, q in allocations
            ]
        )

    async def expired_ids(self, at: datetime, limit: int) -> list[str]:
        c = reservations.c
        statement = (
            select(c.id)
            .where(c.status == "RESERVED", c.expires_at <= at)
            .order_by(c.expires_at)
            .limit(limit)
        )
        return [str(i) for i in (await self.session.execute(statement)).scalars()]


class MovementRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            await self.session.execute(movements.insert(), rows)


# ------------------------------------------------------------------------------------------------
# Readers for GraphQL


class InventoryReader:
    """Reads for GraphQL, inside ``Database.read``: plain views, no ORM state."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def availability(self, variant_ids: Sequence[str]) -> dict[str, Availability]:
        """Availability of many variants in ONE statement (stock sums and item settings)."""
        ids = list(variant_ids)
        from_stock = (
            select(
                stock.c.variant_id.label("variant_id"),
                (stock.c.on_hand - stock.c.reserved).label("available"),
                literal(0).label("backorder"),
                cast(literal(None), Date).label("eta"),
            )
            .join(warehouses, warehouses.c.id == stock.c.warehouse_id)
            .where(stock.c.variant_id.in_(ids), warehouses.c.active.is_(True))
        )
        from_items = select(
            items.c.variant_id,
            literal(0),
            case((items.c.allow_backorder.is_(True), 1), else_=0),
            items.c.backorder_eta,
        ).where(items.c.variant_id.in_(ids))
        both = union_all(from_stock, from_items).subquery()
        statement = select(
            both.c.variant_id,
            func.sum(both.c.available),
            func.max(both.c.backorder),
            type_coerce(func.max(both.c.eta), Date),
        ).group_by(both.c.variant_id)
        found = {
            str(v): Availability(str(v), int(a or 0), bool(b), eta)
            for v, a, b, eta in self.session.execute(statement).all()
        }
        return {v: found.get(v, Availability(v, 0)) for v in ids}

    def warehouses(self) -> list[WarehouseView]:
        statement = select(*_WAREHOUSE_COLUMNS).order_by(warehouses.c.priority, warehouses.c.code)
        return [WarehouseView(*row) for row in self.session.execute(statement).all()]

    def warehouses_by_ids(self, ids: Sequence[str]) -> list[WarehouseView]:
        statement = select(*_WAREHOUSE_COLUMNS).where(warehouses.c.id.in_(list(ids)))
        return [WarehouseView(*row) for row in self.session.execute(statement).all()]

    def stock_levels(self, variant_ids: Sequence[str]) -> list[StockLevelView]:
        statement = (
            select(*_STOCK_COLUMNS)
            .where(stock.c.variant_id.in_(list(variant_ids)))
            .order_by(stock.c.variant_id, stock.c.warehouse_id)
        )
        return [StockLevelView(*row) for row in self.session.execute(statement).all()]

    def movements(self, variant_id: str, limit: int) -> list[Any]:
        statement = (
            select(movements)
            .where(movements.c.variant_id == variant_id)
            .order_by(movements.c.seq.desc())
            .limit(limit)
        )
        return list(self.session.execute(statement).mappings().all())
