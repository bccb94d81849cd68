"""Use cases on an order by its customer (or a guest with the order's token) and by staff:
cancel, change the shipping address, fulfil (allocate → pick → ship → deliver, split per
warehouse), returns (request → approve/deny → receive → refund), refunds and notes.

Each runs ``_change``: load the order's events, check who may act, apply the command, append
the new events and the projection in one transaction. Two writers of one order collide on the
event version; the loser retries on the new state (``ATTEMPTS`` times, with a jittered backoff).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import random
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.exc import IntegrityError

from shared.auth import Permission, Principal
from shared.idempotency import IdempotencyError, IdempotentRequest
from subgraphs.orders.adapters.carrier import Carrier
from subgraphs.orders.domain.errors import OrderError, OrderErrorCode
from subgraphs.orders.domain.events import (
    OrderDelivered,
    OrderShipped,
    RefundRequested,
    ReturnApproved,
    ReturnReceived,
)
from subgraphs.orders.domain.order import (
    ZERO,
    CancelReason,
    FulfillmentStatus,
    Order,
    OrderStatus,
    PaymentStatus,
    ReturnStatus,
    money,
    new_id,
)
from subgraphs.orders.services.notify import queue_shipped
from subgraphs.orders.services.saga import cancelled_event
from subgraphs.orders.uow import OrdersUnitOfWork

UowFactory = Callable[[], OrdersUnitOfWork]
ATTEMPTS = 8
BACKOFF = 0.01  # seconds, doubled per attempt, full jitter
ADDRESS_FIELDS = (
    "first_name",
    "last_name",
    "company",
    "address1",
    "address2",
    "city",
    "province_code",
    "postal_code",
    "country_code",
    "phone",
)
MAX_NOTE = 2000


def now() -> datetime:
    return datetime.now(UTC)


def token_matches(state: Mapping[str, Any], token: str | None) -> bool:
    stored = str(state.get("token_hash") or "")
    if not token or not stored:
        return False
    return hmac.compare_digest(hashlib.sha256(token.encode()).hexdigest(), stored)


def can_read(state: Mapping[str, Any], actor: Principal, token: str | None = None) -> bool:
    """Staff with MANAGE_ORDERS, the customer who placed it, or a guest holding its token."""
    if actor.has(Permission.MANAGE_ORDERS):
        return True
    customer_id = state.get("customer_id")
    if customer_id and actor.is_customer_id(str(customer_id)):
        return True
    return token_matches(state, token)


def actor_name(actor: Principal) -> str:
    return f"{actor.kind}:{actor.id or '-'}"


@dataclass(frozen=True, slots=True)
class Access:
    """Who acts, and the guest token they hold (if any)."""

    actor: Principal
    token: str | None = None

    @property
    def is_staff(self) -> bool:
        return self.actor.has(Permission.MANAGE_ORDERS)


async def _change(
    uow_factory: UowFactory,
    order_id: str,
    access: Access,
    command: Callable[[OrdersUnitOfWork, Order, datetime], Awaitable[None]],
    *,
    staff_only: bool = False,
) -> str:
    for attempt in range(ATTEMPTS):
        try:
            async with uow_factory() as uow:
                order = await uow.orders.load(order_id)
                if not order.exists or not can_read(order.state, access.actor, access.token):
                    raise OrderError(OrderErrorCode.NOT_FOUND, "No such order.", field="orderId")
                if staff_only and not access.is_staff:
                    raise OrderError(OrderErrorCode.NOT_FOUND, "No such order.", field="orderId")
                await command(uow, order, now())
                await uow.orders.save(order)
                await uow.commit()
            return order_id
        except IntegrityError as exc:
            if attempt == ATTEMPTS - 1:
                raise OrderError(
                    OrderErrorCode.CONCURRENT_CHANGE,
                    "The order changed meanwhile; try again.",
                ) from exc
            await asyncio.sleep(random.uniform(0, BACKOFF * 2**attempt))  # noqa: S311
    raise AssertionError("unreachable")


# -- cancellation and address ---------------------------------------------------------------------


async def cancel_order(uow_factory: UowFactory, order_id: str, access: Access) -> str:
    async def command(uow: OrdersUnitOfWork, order: Order, at: datetime) -> None:
        if order.status == OrderStatus.CANCELLED:
            return  # already: the same answer
        if not order.can_cancel():
            raise OrderError(
                OrderErrorCode.NOT_CANCELLABLE,
                "Shipped orders cannot be cancelled; request a return instead.",
                field="orderId",
            )
        reason = CancelReason.STAFF if access.is_staff else CancelReason.CUSTOMER
        order.record(
            "OrderCancelled", {"reason": reason.value}, actor=actor_name(access.actor), at=at
        )
        uow.record(cancelled_event(order))

    return await _change(uow_factory, order_id, access, command)


def check_address(address: Mapping[str, Any]) -> dict[str, str]:
    clean = {key: str(address.get(key) or "").strip()[:120] for key in ADDRESS_FIELDS}
    for required in ("first_name", "last_name", "address1", "city", "postal_code", "country_code"):
        if not clean[required]:
            raise OrderError(
                OrderErrorCode.REQUIRED,
                f"{required.replace('_', ' ').capitalize()} is required.",
                field=f"address.{required}",
            )
    country = clean["country_code"].upper()
    if len(country) != 2 or not country.isalpha():
        raise OrderError(
            OrderErrorCode.INVALID, "Country is a two-letter ISO code.", field="address.countryCode"
        )
    clean["country_code"] = country
    return clean


async def change_address(
    uow_factory: UowFactory, order_id: str, access: Access, address: Mapping[str, Any]
) -> str:
    clean = check_address(address)

    async def command(uow: OrdersUnitOfWork, order: Order, at: datetime) -> None:
        order.require_changeable("change their address")
        if clean["country_code"] != str(order.state["shipping_address"].get("country_code", "")):
            raise OrderError(
                OrderErrorCode.INVALID,
                "The country decides shipping and tax: cancel and order again to ship abroad.",
                field="address.countryCode",
            )
        order.record(
            "ShippingAddressChanged", {"address": clean}, actor=actor_name(access.actor), at=at
        )

    return await _change(uow_factory, order_id, access, command)


# -- fulfillment -------------------------------------------------------------------------------------


def _lines_of(spec: Sequence[tuple[str, int]] | None, open_lines: dict[str, int]) -> dict[str, int]:
    if not spec:
        return dict(open_lines)
    wanted: dict[str, int] = {}
    for variant_id, quantity in spec:
        if quantity <= 0:
            raise OrderError(OrderErrorCode.INVALID, "Quantities are positive.", field="lines")
        wanted[variant_id] = wanted.get(variant_id, 0) + quantity
        if wanted[variant_id] > open_lines.get(variant_id, 0):
            raise OrderError(
                OrderErrorCode.QUANTITY_EXCEEDED,
                f"Only {open_lines.get(variant_id, 0)} of {variant_id} are left to fulfil.",
                field="lines",
            )
    return wanted


def _split_by_warehouse(
    order: Order, lines: dict[str, int]
) -> list[tuple[str | None, dict[str, int]]]:
    """Lines per warehouse by the stock allocations (split shipments); unallocated units go in
    a fulfillment without a warehouse."""
    left = dict(lines)
    per: dict[str | None, dict[str, int]] = {}
    already = order.in_fulfillments()
    for allocation in order.state.get("allocations", []):
        variant = str(allocation["variant_id"])
        # Units of this allocation not consumed by earlier fulfillments.
        free = int(allocation["quantity"])
        skip = min(free, already.get(variant, 0))
        already[variant] = already.get(variant, 0) - skip
        free -= skip
        take = min(free, left.get(variant, 0))
        if take > 0:
            bucket = per.setdefault(str(allocation["warehouse_id"]), {})
            bucket[variant] = bucket.get(variant, 0) + take
            left[variant] -= take
    rest = {v: q for v, q in left.items() if q > 0}
    if rest:
        per.setdefault(None, {}).update(rest)
    return list(per.items())


async def create_fulfillments(
    uow_factory: UowFactory,
    order_id: str,
    access: Access,
    *,
    lines: Sequence[tuple[str, int]] | None = None,
    warehouse_id: str | None = None,
) -> list[str]:
    created: list[str] = []

    async def command(uow: OrdersUnitOfWork, order: Order, at: datetime) -> None:
        created.clear()
        if order.status == OrderStatus.CANCELLED:
            raise OrderError(OrderErrorCode.INVALID_STATE, "The order is cancelled.")
        if order.status == OrderStatus.PENDING:
            raise OrderError(OrderErrorCode.NOT_PAID, "Fulfil orders once they are paid.")
        open_lines = order.unfulfilled()
        wanted = _lines_of(lines, open_lines)
        if not wanted:
            raise OrderError(OrderErrorCode.NOTHING_TO_FULFIL, "Everything is fulfilled already.")
        groups = [(warehouse_id, wanted)] if warehouse_id else _split_by_warehouse(order, wanted)
        for warehouse, group in groups:
            fulfillment_id = new_id()
            order.record(
                "FulfillmentCreated",
                {
                    "fulfillment_id": fulfillment_id,
                    "warehouse_id": warehouse,
                    "lines": [{"variant_id": v, "quantity": q} for v, q in sorted(group.items())],
                },
                actor=actor_name(access.actor),
                at=at,
            )
            created.append(fulfillment_id)

    await _change(uow_factory, order_id, access, command, staff_only=True)
    return created


async def advance_fulfillment(
    uow_factory: UowFactory,
    order_id: str,
    fulfillment_id: str,
    access: Access,
    to: FulfillmentStatus,
    carrier: Carrier,
    *,
    tracking_number: str | None = None,
) -> str:
    order_of = {
        FulfillmentStatus.PICKED: {FulfillmentStatus.ALLOCATED},
        FulfillmentStatus.SHIPPED: {FulfillmentStatus.ALLOCATED, FulfillmentStatus.PICKED},
        FulfillmentStatus.DELIVERED: {FulfillmentStatus.SHIPPED},
    }

    async def command(uow: OrdersUnitOfWork, order: Order, at: datetime) -> None:
        fulfillment = order.find_fulfillment(fulfillment_id)
        current = FulfillmentStatus(fulfillment["status"])
        if current == to:
            return
        if current not in order_of[to]:
            raise OrderError(
                OrderErrorCode.INVALID_STATE,
                f"A {current.value.lower()} fulfillment cannot become {to.value.lower()}.",
                field="fulfillmentId",
            )
        actor = actor_name(access.actor)
        if to == FulfillmentStatus.PICKED:
            order.record(
                "FulfillmentPicked", {"fulfillment_id": fulfillment_id}, actor=actor, at=at
            )
        elif to == FulfillmentStatus.SHIPPED:
            booking = await carrier.book(
                fulfillment_id=fulfillment_id,
                order_number=order.state["number"],
                country=str(order.state["shipping_address"].get("country_code", "")),
            )
            number = (tracking_number or "").strip()[:60] or booking.tracking_number
            order.record(
                "FulfillmentShipped",
                {
                    "fulfillment_id": fulfillment_id,
                    "carrier": booking.carrier,
                    "tracking_number": number,
                    "tracking_url": booking.tracking_url if not tracking_number else None,
                },
                actor=actor,
                at=at,
            )
            shipped = order.find_fulfillment(fulfillment_id)
            uow.record(
                OrderShipped(
                    order_id=order.id,
                    fulfillment_id=fulfillment_id,
                    warehouse_id=shipped.get("warehouse_id"),
                    carrier=booking.carrier,
                    tracking_number=number,
                    lines=list(shipped["lines"]),
                )
            )
            await queue_shipped(uow, order, shipped, at)
        else:
            order.record(
                "FulfillmentDelivered", {"fulfillment_id": fulfillment_id}, actor=actor, at=at
            )
            uow.record(OrderDelivered(order_id=order.id, fulfillment_id=fulfillment_id))

    return await _change(uow_factory, order_id, access, command, staff_only=True)


# -- returns and refunds -------------------------------------------------------------------------------


async def request_return(
    uow_factory: UowFactory,
    order_id: str,
    access: Access,
    lines: Sequence[tuple[str, int]],
    reason: str,
) -> str:
    return_id = new_id()

    async def command(uow: OrdersUnitOfWork, order: Order, at: datetime) -> None:
        returnable = order.returnable()
        if not returnable:
            raise OrderError(
                OrderErrorCode.INVALID_STATE, "Nothing shipped is left to return.", field="orderId"
            )
        wanted = _lines_of(lines, returnable)
        order.record(
            "ReturnRequested",
            {
                "return_id": return_id,
                "lines": [{"variant_id": v, "quantity": q} for v, q in sorted(wanted.items())],
                "reason": reason.strip()[:500],
            },
            actor=actor_name(access.actor),
            at=at,
        )

    await _change(uow_factory, order_id, access, command)
    return return_id


async def decide_return(
    uow_factory: UowFactory,
    order_id: str,
    return_id: str,
    access: Access,
    *,
    approve: bool,
    note: str = "",
) -> str:
    async def command(uow: OrdersUnitOfWork, order: Order, at: datetime) -> None:
        found = order.find_return(return_id)
        wanted = ReturnStatus.APPROVED if approve else ReturnStatus.DENIED
        if found["status"] == wanted:
            return
        if found["status"] != ReturnStatus.REQUESTED:
            raise OrderError(
                OrderErrorCode.INVALID_STATE, "This return was decided already.", field="returnId"
            )
        order.record(
            "ReturnApproved" if approve else "ReturnDenied",
            {"return_id": return_id, "note": note.strip()[:500]},
            actor=actor_name(access.actor),
            at=at,
        )
        if approve:
            uow.record(
                ReturnApproved(return_id=return_id, order_id=order.id, lines=list(found["lines"]))
            )

    return await _change(uow_factory, order_id, access, command, staff_only=True)


def _request_refund(
    uow: OrdersUnitOfWork,
    order: Order,
    amount: Decimal,
    reason: str,
    actor: str,
    at: datetime,
    return_id: str | None = None,
) -> str:
    refund_id = new_id()
    order.record(
        "RefundRequested",
        {"refund_id": refund_id, "amount": str(amount), "reason": reason, "return_id": return_id},
        actor=actor,
        at=at,
    )
    uow.record(
        RefundRequested(
            refund_id=refund_id,
            order_id=order.id,
            amount=str(amount),
            currency=order.state["currency"],
            reason=reason,
        )
    )
    return refund_id


async def receive_return(
    uow_factory: UowFactory, order_id: str, return_id: str, access: Access, *, restock: bool
) -> str:
    async def command(uow: OrdersUnitOfWork, order: Order, at: datetime) -> None:
        found = order.find_return(return_id)
        if found["status"] in (ReturnStatus.RECEIVED, ReturnStatus.REFUNDED):
            return
        if found["status"] != ReturnStatus.APPROVED:
            raise OrderError(
                OrderErrorCode.INVALID_STATE, "Approve the return first.", field="returnId"
            )
        value = sum(
            (order.unit_paid(str(x["variant_id"])) * int(x["quantity"]) for x in found["lines"]),
            ZERO,
        )
        amount = min(money(value), order.refundable())
        refund_id = None
        actor = actor_name(access.actor)
        if amount > ZERO:
            refund_id = _request_refund(
                uow, order, amount, f"return {return_id[:8]}", actor, at, return_id=return_id
            )
        order.record(
            "ReturnReceived",
            {
                "return_id": return_id,
                "restock": restock,
                "refund_amount": str(amount),
                "refund_id": refund_id,
            },
            actor=actor,
            at=at,
        )
        warehouses = {
            str(a["variant_id"]): a.get("warehouse_id") for a in order.state.get("allocations", [])
        }
        uow.record(
            ReturnReceived(
                return_id=return_id,
                order_id=order.id,
                lines=[
                    {
                        "variant_id": x["variant_id"],
                        "quantity": int(x["quantity"]),
                        "warehouse_id": warehouses.get(str(x["variant_id"])),
                        "restock": restock,
                    }
                    for x in found["lines"]
                ],
            )
        )

    return await _change(uow_factory, order_id, access, command, staff_only=True)


async def refund_order(
    uow_factory: UowFactory,
    order_id: str,
    access: Access,
    *,
    amount: str,
    reason: str,
    idempotency_key: str | None,
) -> str:
    """Staff refund (HANDLE_PAYMENTS): payments refunds through the provider."""
    if not access.actor.has(Permission.HANDLE_PAYMENTS):
        raise OrderError(OrderErrorCode.NOT_FOUND, "No such order.", field="orderId")
    try:
        value = money(amount)
    except (InvalidOperation, ValueError) as exc:
        raise OrderError(OrderErrorCode.INVALID, "Amount is a decimal.", field="amount") from exc
    if value <= ZERO:
        raise OrderError(OrderErrorCode.INVALID, "Refund a positive amount.", field="amount")
    try:
        request = IdempotentRequest.of(
            idempotency_key,
            operation="orderRefund",
            caller=access.actor,
            data={"order_id": order_id, "amount": str(value), "reason": reason},
        )
    except IdempotencyError as exc:
        raise OrderError(
            OrderErrorCode.IDEMPOTENCY_KEY_REUSED, str(exc), field="idempotencyKey"
        ) from exc

    async with uow_factory() as uow:
        try:
            stored = await uow.claim_idempotency_key(request)
        except IdempotencyError as exc:
            raise OrderError(
                OrderErrorCode.IDEMPOTENCY_KEY_REUSED, str(exc), field="idempotencyKey"
            ) from exc
        if stored is not None:
            await uow.commit()
            return str(stored["order_id"])
        order = await uow.orders.load(order_id)
        if not order.exists:
            raise OrderError(OrderErrorCode.NOT_FOUND, "No such order.", field="orderId")
        if order.payment_status not in (PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED):
            raise OrderError(OrderErrorCode.NOT_PAID, "Only paid orders are refunded.")
        if value > order.refundable():
            raise OrderError(
                OrderErrorCode.REFUND_EXCEEDS_PAID,
                f"At most {order.refundable()} {order.state['currency']} can be refunded.",
                field="amount",
            )
        _request_refund(
            uow, order, value, reason.strip()[:500] or "refund", actor_name(access.actor), now()
        )
        await uow.orders.save(order)
        await uow.commit(idempotent_response={"order_id": order_id} if request else None)
    return order_id


async def add_note(uow_factory: UowFactory, order_id: str, access: Access, text: str) -> str:
    clean = text.strip()
    if not clean or len(clean) > MAX_NOTE:
        raise OrderError(
            OrderErrorCode.INVALID, f"A note is 1 to {MAX_NOTE} characters.", field="note"
        )

    async def command(uow: OrdersUnitOfWork, order: Order, at: datetime) -> None:
        order.record("NoteAdded", {"text": clean}, actor=actor_name(access.actor), at=at)

    return await _change(uow_factory, order_id, access, command, staff_only=True)


def parse_lines(items: Sequence[Mapping[str, Any]] | None) -> list[tuple[str, int]] | None:
    if items is None:
        return None
    return [(str(x["variant_id"]), int(x["quantity"])) for x in items]
