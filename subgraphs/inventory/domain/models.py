"""Inventory tables and their rules.

``stock`` holds one row per (variant, warehouse): ``on_hand`` units on the shelf, ``reserved`` of
them promised to carts; ``available = on_hand - reserved``. The database itself refuses a row with
``reserved < 0`` or ``reserved > on_hand`` (CHECK constraints) — the last line of defence behind
the conditional updates of ``repository.StockRepository``.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, Index
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from shared.db import new_metadata
from shared.messaging_tables import define_messaging_tables
from shared.sql import UtcDateTime
from subgraphs.inventory.domain.errors import InventoryError, InventoryErrorCode

metadata = new_metadata()
messaging = define_messaging_tables(metadata)

MAX_NAME = 120
MAX_CODE = 40
MAX_REASON = 500
MAX_ID = 100  # reservation ids and owners are chosen by the caller
MAX_LINES = 100
MAX_QUANTITY = 1_000_000
MAX_ON_HAND = 1_000_000_000
DEFAULT_LOW_STOCK_THRESHOLD = 5
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]*$")
_ID = re.compile(r"^[A-Za-z0-9._:-]+$")


class InventoryTable(SQLModel, registry=registry(metadata=metadata)):
    """Base of the inventory subgraph's tables."""


def now() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())


class ReservationStatus(StrEnum):
    RESERVED = "RESERVED"
    COMMITTED = "COMMITTED"
    RELEASED = "RELEASED"
    EXPIRED = "EXPIRED"
    RETURNED = "RETURNED"  # committed, then the order was cancelled before shipment


class MovementKind(StrEnum):
    ADJUSTMENT = "ADJUSTMENT"  # staff counted, received or wrote off stock
    SALE = "SALE"  # a committed reservation left the shelf
    CANCELLATION = "CANCELLATION"  # a paid order cancelled before shipment: units back
    RETURN = "RETURN"  # a customer's return received and restocked


class Warehouse(InventoryTable, table=True):
    __tablename__ = "warehouses"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    code: str = Field(max_length=MAX_CODE, unique=True)
    name: str = Field(max_length=MAX_NAME)
    priority: int = Field(default=100, description="Lower is allocated first.")
    active: bool = True
    created_at: datetime = Field(
        default_factory=now, sa_column=Column(UtcDateTime(), nullable=False)
    )


class Stock(InventoryTable, table=True):
    __tablename__ = "stock"
    __table_args__ = (
        CheckConstraint("reserved >= 0", name="reserved_not_negative"),
        CheckConstraint("on_hand >= reserved", name="reserved_within_on_hand"),
    )

    variant_id: str = Field(primary_key=True, max_length=36)
    warehouse_id: str = Field(primary_key=True, foreign_key="warehouses.id", max_length=36)
    on_hand: int = 0
    reserved: int = 0


class InventoryItem(InventoryTable, table=True):
    """Per-variant settings: backorders and the low-stock threshold."""

    __tablename__ = "inventory_items"

    variant_id: str = Field(primary_key=True, max_length=36)
    allow_backorder: bool = False
    backorder_eta: date | None = None
    low_stock_threshold: int = DEFAULT_LOW_STOCK_THRESHOLD


class Reservation(InventoryTable, table=True):
    __tablename__ = "reservations"
    __table_args__ = (Index("ix_reservations_status_expires", "status", "expires_at"),)

    id: str = Field(primary_key=True, max_length=MAX_ID)
    owner: str = Field(max_length=MAX_ID)
    caller: str = Field(max_length=60)
    request_hash: str = Field(max_length=64)
    status: str = Field(max_length=12)
    created_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    expires_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    finished_at: datetime | None = Field(
        default=None, sa_column=Column(UtcDateTime(), nullable=True)
    )


class ReservationLine(InventoryTable, table=True):
    __tablename__ = "reservation_lines"

    reservation_id: str = Field(primary_key=True, foreign_key="reservations.id", max_length=MAX_ID)
    variant_id: str = Field(primary_key=True, max_length=36)
    quantity: int
    backordered: int = 0


class ReservationAllocation(InventoryTable, table=True):
    __tablename__ = "reservation_allocations"

    reservation_id: str = Field(primary_key=True, foreign_key="reservations.id", max_length=MAX_ID)
    variant_id: str = Field(primary_key=True, max_length=36)
    warehouse_id: str = Field(primary_key=True, max_length=36)
    quantity: int


class StockMovement(InventoryTable, table=True):
    """The ledger: every change of ``on_hand``, who made it and why."""

    __tablename__ = "stock_movements"
    __table_args__ = (Index("ix_stock_movements_variant", "variant_id", "seq"),)

    seq: int | None = Field(default=None, primary_key=True)
    variant_id: str = Field(max_length=36)
    warehouse_id: str = Field(max_length=36)
    kind: str = Field(max_length=20)
    delta: int
    on_hand_after: int
    reason: str = Field(max_length=MAX_REASON)
    actor: str = Field(max_length=120)
    reference: str | None = Field(default=None, max_length=MAX_ID)
    created_at: datetime = Field(
        default_factory=now, sa_column=Column(UtcDateTime(), nullable=False)
    )


# ------------------------------------------------------------------------------------------------
# Plain views (reads for GraphQL and answers of use cases)


@dataclass(frozen=True, slots=True)
class WarehouseView:
    id: str
    code: str
    name: str
    priority: int
    active: bool


@dataclass(frozen=True, slots=True)
class StockLevelView:
    variant_id: str
    warehouse_id: str
    on_hand: int
    reserved: int

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


@dataclass(frozen=True, slots=True)
class Availability:
    """What a shopper may buy of a variant now, over every active warehouse."""

    variant_id: str
    available: int
    allow_backorder: bool = False
    backorder_eta: date | None = None

    @property
    def in_stock(self) -> bool:
        return self.available > 0 or self.allow_backorder


@dataclass(frozen=True, slots=True)
class LineRequest:
    variant_id: str
    quantity: int


@dataclass(frozen=True, slots=True)
class Allocation:
    warehouse_id: str
    quantity: int


@dataclass(frozen=True, slots=True)
class ReservedLine:
    variant_id: str
    quantity: int
    allocations: tuple[Allocation, ...]
    backordered: int


@dataclass(frozen=True, slots=True)
class ReservationView:
    id: str
    owner: str
    status: ReservationStatus
    expires_at: datetime
    lines: tuple[ReservedLine, ...]


# ------------------------------------------------------------------------------------------------
# Rules


def check_code(code: str) -> str:
    code = code.strip().upper()
    if not code:
        raise InventoryError(
            InventoryErrorCode.REQUIRED, "Give the warehouse a code.", field="code"
        )
    if len(code) > MAX_CODE or not _CODE.match(code):
        raise InventoryError(
            InventoryErrorCode.INVALID,
            f"A code is 1 to {MAX_CODE} letters, digits, '-' or '_'.",
            field="code",
        )
    return code


def check_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise InventoryError(
            InventoryErrorCode.REQUIRED, "Give the warehouse a name.", field="name"
        )
    if len(name) > MAX_NAME:
        raise InventoryError(
            InventoryErrorCode.INVALID, f"A name is at most {MAX_NAME} characters.", field="name"
        )
    return name


def check_reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if not reason:
        raise InventoryError(
            InventoryErrorCode.REQUIRED, "Say why the stock changes.", field="reason"
        )
    if len(reason) > MAX_REASON:
        raise InventoryError(
            InventoryErrorCode.INVALID,
            f"A reason is at most {MAX_REASON} characters.",
            field="reason",
        )
    return reason


def check_identifier(value: str, field: str) -> str:
    """Caller-chosen ids (reservation id, owner, variant id): 1 to 100 safe characters."""
    if not 1 <= len(value) <= MAX_ID or not _ID.match(value):
        raise InventoryError(
            InventoryErrorCode.INVALID,
            f"{field} is 1 to {MAX_ID} letters, digits or . _ : -",
            field=field,
        )
    return value


def check_lines(lines: list[LineRequest]) -> list[LineRequest]:
    """Lines of a reservation: 1 to 100, one per variant, positive quantities. Returned sorted by
    variant id: every transaction locks stock rows in the same order (no deadlock cycles)."""
    if not lines:
        raise InventoryError(
            InventoryErrorCode.REQUIRED, "Reserve at least one line.", field="lines"
        )
    if len(lines) > MAX_LINES:
        raise InventoryError(
            InventoryErrorCode.INVALID, f"At most {MAX_LINES} lines.", field="lines"
        )
    seen: set[str] = set()
    for line in lines:
        check_identifier(line.variant_id, "variant_id")
        if not 1 <= line.quantity <= MAX_QUANTITY:
            raise InventoryError(
                InventoryErrorCode.INVALID,
                f"A quantity is 1 to {MAX_QUANTITY}.",
                field="quantity",
            )
        if line.variant_id in seen:
            raise InventoryError(
                InventoryErrorCode.DUPLICATE,
                "One line per variant; add the quantities.",
                field="lines",
            )
        seen.add(line.variant_id)
    return sorted(lines, key=lambda line: line.variant_id)
