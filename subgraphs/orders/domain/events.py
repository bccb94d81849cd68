"""Events the orders subgraph publishes (its public contract; README has the table). They are
the saga's messages to payments, inventory and checkout; the order's own history is its event
stream (``order_events``), which is richer and private."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from shared.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class OrderPlaced(DomainEvent):
    """A new order awaits payment: payments charges ``total`` with ``payment``."""

    event_type: ClassVar[str] = "OrderPlaced"
    order_id: str
    number: str
    checkout_id: str
    cart_id: str
    customer_id: str | None
    email: str
    order_token_hash: str
    reservation_id: str
    total: str
    currency: str
    payment: dict[str, Any] | None
    lines: list[dict[str, Any]]
    placed_at: str


@dataclass(frozen=True, kw_only=True)
class OrderPaid(DomainEvent):
    """The payment was captured (or nothing was due): inventory commits the reservation."""

    event_type: ClassVar[str] = "OrderPaid"
    order_id: str
    number: str
    reservation_id: str
    payment_id: str | None
    amount: str
    currency: str
    customer_id: str | None
    email: str
    paid_at: str


@dataclass(frozen=True, kw_only=True)
class OrderCancelled(DomainEvent):
    """Inventory gives the stock back, payments voids or refunds, checkout gives back codes and
    (after a failed payment) reopens the cart."""

    event_type: ClassVar[str] = "OrderCancelled"
    order_id: str
    number: str
    checkout_id: str
    cart_id: str
    customer_id: str | None
    reservation_id: str
    reason: str
    payment_code: str | None
    paid: bool
    lines: list[dict[str, Any]]
    cancelled_at: str


@dataclass(frozen=True, kw_only=True)
class RefundRequested(DomainEvent):
    event_type: ClassVar[str] = "RefundRequested"
    refund_id: str
    order_id: str
    amount: str
    currency: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class OrderShipped(DomainEvent):
    event_type: ClassVar[str] = "OrderShipped"
    order_id: str
    fulfillment_id: str
    warehouse_id: str | None
    carrier: str
    tracking_number: str
    lines: list[dict[str, Any]]


@dataclass(frozen=True, kw_only=True)
class OrderDelivered(DomainEvent):
    event_type: ClassVar[str] = "OrderDelivered"
    order_id: str
    fulfillment_id: str


@dataclass(frozen=True, kw_only=True)
class ReturnApproved(DomainEvent):
    event_type: ClassVar[str] = "ReturnApproved"
    return_id: str
    order_id: str
    lines: list[dict[str, Any]]


@dataclass(frozen=True, kw_only=True)
class ReturnReceived(DomainEvent):
    """Inventory restocks the lines marked ``restock``."""

    event_type: ClassVar[str] = "ReturnReceived"
    return_id: str
    order_id: str
    lines: list[dict[str, Any]]
