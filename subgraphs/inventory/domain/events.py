"""Events the inventory subgraph publishes. Payloads are a public contract (see README)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from shared.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class StockReserved(DomainEvent):
    event_type: ClassVar[str] = "StockReserved"
    reservation_id: str
    owner: str
    expires_at: str
    lines: list[dict[str, Any]]  # {variant_id, quantity, backordered}

    def payload(self) -> dict[str, Any]:
        # Already plain JSON values; skips the generic asdict/JSON round trip (a hot path).
        return {
            "reservation_id": self.reservation_id,
            "owner": self.owner,
            "expires_at": self.expires_at,
            "lines": [dict(line) for line in self.lines],
        }


@dataclass(frozen=True, kw_only=True)
class StockCommitted(DomainEvent):
    """The reserved units left the shelf; ``allocations`` are ``{variant_id, warehouse_id,
    quantity}`` (where each order line ships from)."""

    event_type: ClassVar[str] = "StockCommitted"
    reservation_id: str
    owner: str
    allocations: list[dict[str, Any]]


@dataclass(frozen=True, kw_only=True)
class StockCommitFailed(DomainEvent):
    """A paid order's reservation could not be committed (it expired and the shelf no longer
    has the units, or it is unknown): staff must act (refund or backorder)."""

    event_type: ClassVar[str] = "StockCommitFailed"
    reservation_id: str
    order_id: str
    reason: str  # RESERVATION_EXPIRED | RESERVATION_NOT_FOUND | RESERVATION_RELEASED


@dataclass(frozen=True, kw_only=True)
class StockReturned(DomainEvent):
    """Units came back to the shelf: a paid order cancelled before shipment (CANCELLATION) or
    a customer's return received (RETURN)."""

    event_type: ClassVar[str] = "StockReturned"
    reference: str  # the reservation id or the return id
    kind: str
    lines: list[dict[str, Any]]  # {variant_id, warehouse_id, quantity}


@dataclass(frozen=True, kw_only=True)
class StockReleased(DomainEvent):
    event_type: ClassVar[str] = "StockReleased"
    reservation_id: str
    owner: str
    reason: str  # RELEASED (by the caller) or EXPIRED (by the sweeper)


@dataclass(frozen=True, kw_only=True)
class StockChanged(DomainEvent):
    """What search needs to show a variant as in stock or not."""

    event_type: ClassVar[str] = "StockChanged"
    variant_id: str
    available: int


@dataclass(frozen=True, kw_only=True)
class StockLow(DomainEvent):
    event_type: ClassVar[str] = "StockLow"
    variant_id: str
    available: int
    threshold: int


@dataclass(frozen=True, kw_only=True)
class BackInStock(DomainEvent):
    event_type: ClassVar[str] = "BackInStock"
    variant_id: str
    available: int


def availability_events(
    variant_id: str, *, before: int, after: int, threshold: int
) -> list[DomainEvent]:
    """What a change of a variant's availability tells the world: ``StockChanged`` always (when
    it changed), ``StockLow`` when it falls to the threshold or below, ``BackInStock`` when it
    rises from nothing."""
    if before == after:
        return []
    events: list[DomainEvent] = [StockChanged(variant_id=variant_id, available=after)]
    if after <= threshold < before:
        events.append(StockLow(variant_id=variant_id, available=after, threshold=threshold))
    if before <= 0 < after:
        events.append(BackInStock(variant_id=variant_id, available=after))
    return events
