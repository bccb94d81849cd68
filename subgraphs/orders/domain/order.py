"""The Order aggregate, event-sourced.

Every change is an event appended to the order's stream with the next version (``Recorded``);
the current state is ``fold(events)`` — a plain JSON-able dict, so the projection table stores it
as is and ``rebuild`` recomputes it from the stream at any time. Commands (methods of ``Order``)
check the rules against the state, then record events; ``apply`` is the only code that changes
state, and it never refuses (an event is a fact).

Status (``OrderStatus``) follows from the state: PENDING until a captured payment (or a total
of zero), PAID, PARTIALLY_FULFILLED / FULFILLED as units ship, DELIVERED when every shipment
arrived, CANCELLED. The payment status is kept beside it. An order is never PAID without a
PaymentCaptured (or nothing to pay).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum
from typing import Any

from subgraphs.orders.domain.errors import OrderError, OrderErrorCode

ZERO = Decimal("0")
CENT = Decimal("0.01")


class OrderStatus(StrEnum):
    PENDING = "PENDING"
    PAID = "PAID"
    PARTIALLY_FULFILLED = "PARTIALLY_FULFILLED"
    FULFILLED = "FULFILLED"
    DELIVERED = "DELIVERED"
    CANCELLED = "CANCELLED"


class PaymentStatus(StrEnum):
    PENDING = "PENDING"
    ACTION_REQUIRED = "ACTION_REQUIRED"
    AUTHORIZED = "AUTHORIZED"
    PAID = "PAID"
    PARTIALLY_REFUNDED = "PARTIALLY_REFUNDED"
    REFUNDED = "REFUNDED"
    FAILED = "FAILED"
    VOIDED = "VOIDED"
    NOT_REQUIRED = "NOT_REQUIRED"


class FulfillmentStatus(StrEnum):
    ALLOCATED = "ALLOCATED"
    PICKED = "PICKED"
    SHIPPED = "SHIPPED"
    DELIVERED = "DELIVERED"


class ReturnStatus(StrEnum):
    REQUESTED = "REQUESTED"
    APPROVED = "APPROVED"
    DENIED = "DENIED"
    RECEIVED = "RECEIVED"
    REFUNDED = "REFUNDED"


class CancelReason(StrEnum):
    PAYMENT_FAILED = "PAYMENT_FAILED"
    CUSTOMER = "CUSTOMER"
    STAFF = "STAFF"


SHIPPED_STATES = {FulfillmentStatus.SHIPPED, FulfillmentStatus.DELIVERED}


@dataclass(frozen=True, slots=True)
class Recorded:
    """One event of an order's stream."""

    type: str
    data: Mapping[str, Any]
    version: int
    actor: str
    at: datetime


def new_id() -> str:
    return str(uuid.uuid4())


def money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_EVEN)


def _empty(order_id: str) -> dict[str, Any]:
    return {
        "id": order_id,
        "number": "",
        "version": 0,
        "status": OrderStatus.PENDING.value,
        "payment_status": PaymentStatus.PENDING.value,
        "lines": [],
        "fulfillments": [],
        "returns": [],
        "refunds": [],
        "allocations": [],
        "notes": [],
        "disputes": [],
        "paid_amount": "0.00",
        "refunded_amount": "0.00",
        "payment": {},
        "stock_committed": False,
        "stock_issue": None,
        "cancel_reason": None,
        "payment_code": None,
        "payment_message": None,
    }


# ------------------------------------------------------------------------------------------------
# apply: event → state (pure; never refuses)


def _placed(s: dict[str, Any], d: Mapping[str, Any], e: Recorded) -> None:
    s.update(
        {
            key: d.get(key)
            for key in (
                "number",
                "checkout_id",
                "cart_id",
                "customer_id",
                "email",
                "token_hash",
                "reservation_id",
                "currency",
                "shipping_address",
                "shipping_method",
                "subtotal",
                "shipping_amount",
                "tax",
                "prices_include_tax",
                "discounts",
                "discount_codes",
                "gift_cards",
                "total",
            )
        }
    )
    s["gateway"] = d.get("gateway")
    s["lines"] = [dict(line) for line in d.get("lines", [])]
    s["placed_at"] = e.at.isoformat()
    if money(d.get("total", 0)) == ZERO:
        s["payment_status"] = PaymentStatus.NOT_REQUIRED.value
        s["paid_at"] = e.at.isoformat()


def _set(key: str, value: Any) -> Any:
    def apply(s: dict[str, Any], d: Mapping[str, Any], e: Recorded) -> None:
        s[key] = value(d, e) if callable(value) else value

    return apply


def _payment_action(s: dict[str, Any], d: Mapping[str, Any], e: Recorded) -> None:
    s["payment_status"] = PaymentStatus.ACTION_REQUIRED.value
    s["payment"] = {
        **s["payment"],
        "payment_id": d.get("payment_id"),
        "action_type": d.get("action_type"),
        "action_url": d.get("action_url"),
    }


def _authorized(s: dict[str, Any], d: Mapping[str, Any], e: Recorded) -> None:
    s["payment_status"] = PaymentStatus.AUTHORIZED.value
    s["payment"] = {**s["payment"], "payment_id": d.get("payment_id"), "action_url": None}


def _paid(s: dict[str, Any], d: Mapping[str, Any], e: Recorded) -> None:
    s["payment_status"] = PaymentStatus.PAID.value
    s["paid_amount"] = str(money(d.get("amount", 0)))
    s["paid_at"] = e.at.isoformat()
    s["payment"] = {
        **s["payment"],
        "payment_id": d.get("payment_id"),
        "provider_reference": d.get("provider_reference"),
        "action_url": None,
    }


def _payment_failed(s: dict[str, Any], d: Mapping[str, Any], e: Recorded) -> None:
    s["payment_status"] = PaymentStatus.FAILED.value
    s["payment_code"] = d.get("code")
    s["payment_message"] = d.get("message")


def _cancelled(s: dict[str, Any], d: Mapping[str, Any], e: Recorded) -> None:
    s["cancelled"] = True
    s["cancel_reason"] = d.get("reason")
    s["cancelled_at"] = e.at.isoformat()


def _voided(s: dict[str, Any], d: Mapping[str, Any], e: Recorded) -> None:
    if s["payment_status"] in (PaymentStatus.AUTHORIZED, PaymentStatus.ACTION_REQUIRED):
        s["payment_status"] = PaymentStatus.VOIDED.value


def _address(s: dict[str, Any], d: Mapping[str, Any], e: Recorded) -> None:
    s["shipping_address"] = dict(d["address"])


def _stock_committed(s: dict[str, Any], d: Mapping[str, Any], e: Recorded) -> None:
    s["stock_committed"] = True
    s["allocations"] = [dict(a) for a in d.get("allocations", [])]


def _fulfillment_created(s: dict[str, Any], d: Mapping[str, Any], e: Recorded) -> None:
    s["fulfillments"].append(
        {
            "id": d["fulfillment_id"],
            "warehouse_id": d.get("warehouse_id"),
            "status": FulfillmentStatus.ALLOCATED.value,
            "lines": [dict(x) for x in d["lines"]],
            "created_at": e.at.isoformat(),
            "carrier": None,
            "tracking_number": None,
            "tracking_url": None,
        }
    )


def _fulfillment(status: FulfillmentStatus) -> Any:
    def apply(s: dict[str, Any], d: Mapping[str, Any], e: Recorded) -> None:
        for f in s["fulfillments"]:
            if f["id"] == d["fulfillment_id"]:
                f["status"] = status.value
                f[f"{status.value.lower()}_at"] = e.at.isoformat()
                for key in ("carrier", "tracking_number", "tracking_url"):
                    if key in d:
                        f[key] = d[key]

    return apply


def _return_requested(s: dict[str, Any], d: Mapping[str, Any], e: Recorded) -> None:
    s["returns"].append(
        {
            "id": d["return_id"],
            "status": ReturnStatus.REQUESTED.value,
            "lines": [dict(x) for x in d["lines"]],
            "reason": d.get("reason", ""),
            "requested_at": e.at.isoformat(),
            "refund_amount": None,
            "refund_id": None,
            "note": None,
        }
    )


def _return(status: ReturnStatus) -> Any:
    def apply(s: dict[str, Any], d: Mapping[str, Any], e: Recorded) -> None:
        for r in s["returns"]:
            if r["id"] == d["return_id"]:
                r["status"] = status.value
                for key in ("refund_amount", "refund_id", "note", "restock"):
                    if key in d:
                        r[key] = d[key]

    return apply


def _refund_requested(s: dict[str, Any], d: Mapping[str, Any], e: Recorded) -> None:
    s["refunds"].append(
        {
            "id": d["refund_id"],
            "amount": d["amount"],
            "reason": d.get("reason", ""),
            "status": "PENDING",
            "requested_at": e.at.isoformat(),
            "return_id": d.get("return_id"),
        }
    )


def _refund_succeeded(s: dict[str, Any], d: Mapping[str, Any], e: Recorded) -> None:
    refund_id = d.get("refund_id")
    known = next((r for r in s["refunds"] if refund_id and r["id"] == refund_id), None)
    if known is None:  # refunded outside Agora (the provider's dashboard)
        known = {
            "id": refund_id or new_id(),
            "amount": str(money(d["amount"])),
            "reason": "refunded at the payment provider",
            "status": "PENDING",
            "requested_at": e.at.isoformat(),
            "return_id": None,
        }
        s["refunds"].append(known)
    known["status"] = "SUCCEEDED"
    known["succeeded_at"] = e.at.isoformat()
    refunded = money(s["refunded_amount"]) + money(d["amount"])
    s["refunded_amount"] = str(refunded)
    paid = money(s["paid_amount"])
    s["payment_status"] = (
        PaymentStatus.REFUNDED.value if refunded >= paid else PaymentStatus.PARTIALLY_REFUNDED.value
    )
    for r in s["returns"]:
        if r.get("refund_id") == refund_id and refund_id:
            r["status"] = ReturnStatus.REFUNDED.value


def _refund_failed(s: dict[str, Any], d: Mapping[str, Any], e: Recorded) -> None:
    for r in s["refunds"]:
        if r["id"] == d.get("refund_id"):
            r["status"] = "FAILED"
            r["failure"] = d.get("message") or d.get("code")


def _note(s: dict[str, Any], d: Mapping[str, Any], e: Recorded) -> None:
    s["notes"].append({"text": d["text"], "actor": e.actor, "at": e.at.isoformat()})


def _dispute(s: dict[str, Any], d: Mapping[str, Any], e: Recorded) -> None:
    s["disputes"].append({k: d.get(k) for k in ("dispute_id", "amount", "reason", "status")})


APPLY: dict[str, Any] = {
    "OrderPlaced": _placed,
    "PaymentActionRequired": _payment_action,
    "PaymentAuthorized": _authorized,
    "OrderPaid": _paid,
    "PaymentFailed": _payment_failed,
    "PaymentVoided": _voided,
    "OrderCancelled": _cancelled,
    "ShippingAddressChanged": _address,
    "StockCommitted": _stock_committed,
    "StockCommitFailed": _set("stock_issue", lambda d, e: d.get("reason") or "STOCK_COMMIT_FAILED"),
    "FulfillmentCreated": _fulfillment_created,
    "FulfillmentPicked": _fulfillment(FulfillmentStatus.PICKED),
    "FulfillmentShipped": _fulfillment(FulfillmentStatus.SHIPPED),
    "FulfillmentDelivered": _fulfillment(FulfillmentStatus.DELIVERED),
    "ReturnRequested": _return_requested,
    "ReturnApproved": _return(ReturnStatus.APPROVED),
    "ReturnDenied": _return(ReturnStatus.DENIED),
    "ReturnReceived": _return(ReturnStatus.RECEIVED),
    "RefundRequested": _refund_requested,
    "RefundSucceeded": _refund_succeeded,
    "RefundFailed": _refund_failed,
    "NoteAdded": _note,
    "DisputeOpened": _dispute,
    "ConfirmationQueued": _set("confirmation_queued", True),
}


def _derive_status(s: dict[str, Any]) -> str:
    if s.get("cancelled"):
        return OrderStatus.CANCELLED.value
    if s["payment_status"] not in (
        PaymentStatus.PAID,
        PaymentStatus.NOT_REQUIRED,
        PaymentStatus.PARTIALLY_REFUNDED,
        PaymentStatus.REFUNDED,
    ):
        return OrderStatus.PENDING.value
    ordered = sum(int(x["quantity"]) for x in s["lines"])
    shipped = [f for f in s["fulfillments"] if f["status"] in SHIPPED_STATES]
    units = sum(int(x["quantity"]) for f in shipped for x in f["lines"])
    if units == 0:
        return OrderStatus.PAID.value
    if units < ordered:
        return OrderStatus.PARTIALLY_FULFILLED.value
    if all(f["status"] == FulfillmentStatus.DELIVERED for f in shipped):
        return OrderStatus.DELIVERED.value
    return OrderStatus.FULFILLED.value


def apply(state: dict[str, Any], event: Recorded) -> dict[str, Any]:
    handler = APPLY.get(event.type)
    if handler is not None:
        handler(state, event.data, event)
    state["version"] = event.version
    state["updated_at"] = event.at.isoformat()
    state["status"] = _derive_status(state)
    return state


def fold(order_id: str, events: Iterable[Recorded]) -> dict[str, Any]:
    state = _empty(order_id)
    for event in events:
        state = apply(state, event)
    return state


# ------------------------------------------------------------------------------------------------
# commands


@dataclass
class Order:
    """An order loaded from its events; commands append new ones to ``pending``."""

    id: str
    state: dict[str, Any]
    version: int
    pending: list[Recorded] = field(default_factory=list)

    @classmethod
    def load(cls, order_id: str, events: list[Recorded]) -> Order:
        return cls(order_id, fold(order_id, events), events[-1].version if events else 0)

    @property
    def exists(self) -> bool:
        return self.version > 0

    @property
    def status(self) -> OrderStatus:
        return OrderStatus(self.state["status"])

    @property
    def payment_status(self) -> PaymentStatus:
        return PaymentStatus(self.state["payment_status"])

    def record(self, type_: str, data: Mapping[str, Any], *, actor: str, at: datetime) -> Recorded:
        event = Recorded(type=type_, data=dict(data), version=self.version + 1, actor=actor, at=at)
        self.state = apply(self.state, event)
        self.version = event.version
        self.pending.append(event)
        return event

    # -- rules ----------------------------------------------------------------------------------

    @property
    def shipped_any(self) -> bool:
        return any(f["status"] in SHIPPED_STATES for f in self.state["fulfillments"])

    def can_cancel(self) -> bool:
        return self.status in (OrderStatus.PENDING, OrderStatus.PAID) and not self.shipped_any

    def require_changeable(self, what: str) -> None:
        if self.status == OrderStatus.CANCELLED:
            raise OrderError(OrderErrorCode.INVALID_STATE, f"A cancelled order cannot {what}.")
        if self.shipped_any:
            raise OrderError(OrderErrorCode.ALREADY_SHIPPED, f"Shipped orders cannot {what}.")

    def ordered(self) -> dict[str, int]:
        totals: dict[str, int] = defaultdict(int)
        for line in self.state["lines"]:
            totals[str(line["variant_id"])] += int(line["quantity"])
        return dict(totals)

    def in_fulfillments(self) -> dict[str, int]:
        totals: dict[str, int] = defaultdict(int)
        for f in self.state["fulfillments"]:
            for line in f["lines"]:
                totals[str(line["variant_id"])] += int(line["quantity"])
        return dict(totals)

    def unfulfilled(self) -> dict[str, int]:
        taken = self.in_fulfillments()
        return {v: q - taken.get(v, 0) for v, q in self.ordered().items() if q > taken.get(v, 0)}

    def shipped_units(self) -> dict[str, int]:
        totals: dict[str, int] = defaultdict(int)
        for f in self.state["fulfillments"]:
            if f["status"] in SHIPPED_STATES:
                for line in f["lines"]:
                    totals[str(line["variant_id"])] += int(line["quantity"])
        return dict(totals)

    def returnable(self) -> dict[str, int]:
        """Shipped units not yet in a (non-denied) return."""
        shipped = self.shipped_units()
        for r in self.state["returns"]:
            if r["status"] != ReturnStatus.DENIED:
                for line in r["lines"]:
                    shipped[str(line["variant_id"])] = shipped.get(
                        str(line["variant_id"]), 0
                    ) - int(line["quantity"])
        return {v: q for v, q in shipped.items() if q > 0}

    def refundable(self) -> Decimal:
        pending = sum(
            (money(r["amount"]) for r in self.state["refunds"] if r["status"] == "PENDING"), ZERO
        )
        return money(self.state["paid_amount"]) - money(self.state["refunded_amount"]) - pending

    def unit_paid(self, variant_id: str) -> Decimal:
        """What one unit of the variant cost the shopper, after its discounts and with its tax."""
        lines = [x for x in self.state["lines"] if str(x["variant_id"]) == variant_id]
        if not lines:
            return ZERO
        quantity = sum(int(x["quantity"]) for x in lines)
        net = sum(
            (money(x["total"]) - money(x.get("discount") or 0) for x in lines), ZERO
        ) / Decimal(quantity)
        if not self.state.get("prices_include_tax"):
            base = sum(
                (money(x["total"]) - money(x.get("discount") or 0) for x in self.state["lines"]),
                ZERO,
            )
            if base > 0:
                net += net * (money(self.state.get("tax") or 0) / base)
        return net

    def find_fulfillment(self, fulfillment_id: str) -> dict[str, Any]:
        for f in self.state["fulfillments"]:
            if f["id"] == fulfillment_id:
                return dict(f)
        raise OrderError(OrderErrorCode.NOT_FOUND, "No such fulfillment.", field="fulfillmentId")

    def find_return(self, return_id: str) -> dict[str, Any]:
        for r in self.state["returns"]:
            if r["id"] == return_id:
                return dict(r)
        raise OrderError(OrderErrorCode.NOT_FOUND, "No such return.", field="returnId")
