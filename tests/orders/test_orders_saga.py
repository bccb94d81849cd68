"""The orders side of the purchase saga, fed over the in-process bus: an order from
CheckoutCompleted (once), paid only by a captured payment, cancelled by a failed one, stock
allocations recorded, the confirmation queued once; late or duplicate events change nothing."""

from __future__ import annotations

import asyncio

from shared.app import SubgraphApp
from shared.bus.memory import InMemoryEventBus
from shared.events import Envelope
from tests.orders.support import OrdersUow, completed, outbox, payment, queued, state


async def test_a_completed_checkout_places_one_numbered_pending_order(
    orders: SubgraphApp, orders_uow: OrdersUow, bus: InMemoryEventBus
) -> None:
    event = completed()
    order_id = str(event.payload["order_id"])
    await bus.publish(event)
    await bus.publish(event)  # redelivered
    await bus.publish(
        Envelope(type="CheckoutCompleted", source="checkout", payload=dict(event.payload))
    )  # the same checkout as another event: still one order

    s = await state(orders_uow, order_id)
    assert (s["status"], s["payment_status"], s["number"]) == ("PENDING", "PENDING", "1001")
    (placed,) = await outbox(orders, "OrderPlaced")
    assert placed["order_id"] == order_id
    assert placed["total"] == "63.55"
    assert placed["payment"] == {"gateway": "simulator", "token": "tok_success"}
    assert placed["reservation_id"] == f"res-{order_id}"
    assert placed["order_token_hash"] == event.payload["order_token_hash"]


async def test_order_numbers_are_unique_under_concurrency(
    orders: SubgraphApp, orders_uow: OrdersUow, bus: InMemoryEventBus
) -> None:
    events = [completed() for _ in range(12)]
    await asyncio.gather(*(bus.publish(e) for e in events))
    numbers = [(await state(orders_uow, str(e.payload["order_id"])))["number"] for e in events]
    assert sorted(numbers) == [str(n) for n in range(1001, 1013)]
    assert await bus.dead_letters("orders") == []


async def test_only_a_captured_payment_makes_an_order_paid(
    orders: SubgraphApp, orders_uow: OrdersUow, bus: InMemoryEventBus
) -> None:
    event = completed()
    order_id = str(event.payload["order_id"])
    await bus.publish(event)
    await bus.publish(payment("PaymentAuthorized", order_id, amount="63.55"))
    assert (await state(orders_uow, order_id))["status"] == "PENDING"

    captured = payment("PaymentCaptured", order_id, amount="63.55", provider_reference="sim_1")
    await bus.publish(captured)
    await bus.publish(captured)

    s = await state(orders_uow, order_id)
    assert (s["status"], s["payment_status"], s["paid_amount"]) == ("PAID", "PAID", "63.55")
    (paid,) = await outbox(orders, "OrderPaid")
    assert (paid["reservation_id"], paid["amount"]) == (f"res-{order_id}", "63.55")
    (mail,) = await queued(orders)
    assert mail["kind"] == "order_confirmation"
    assert mail["recipient"] == "ada@example.com"
    assert "#1001" in mail["subject"]


async def test_a_failed_payment_cancels_and_a_late_failure_or_capture_never_pays(
    orders: SubgraphApp, orders_uow: OrdersUow, bus: InMemoryEventBus
) -> None:
    event = completed()
    order_id = str(event.payload["order_id"])
    await bus.publish(event)
    await bus.publish(
        payment("PaymentFailed", order_id, code="DECLINED", message="Declined", retryable=False)
    )
    s = await state(orders_uow, order_id)
    assert (s["status"], s["cancel_reason"], s["payment_code"]) == (
        "CANCELLED",
        "PAYMENT_FAILED",
        "DECLINED",
    )
    (cancelled,) = await outbox(orders, "OrderCancelled")
    assert (cancelled["reason"], cancelled["payment_code"], cancelled["paid"]) == (
        "PAYMENT_FAILED",
        "DECLINED",
        False,
    )
    assert cancelled["cart_id"] == f"cart-{order_id}"

    # A capture arriving after the cancellation (a race) is refunded, never "paid".
    await bus.publish(payment("PaymentCaptured", order_id, amount="63.55"))
    s = await state(orders_uow, order_id)
    assert s["status"] == "CANCELLED"
    (refund,) = await outbox(orders, "RefundRequested")
    assert refund["amount"] == "63.55"
    assert await outbox(orders, "OrderPaid") == []
    assert await queued(orders) == []


async def test_a_zero_total_paid_by_gift_card_is_paid_at_once(
    orders: SubgraphApp, orders_uow: OrdersUow, bus: InMemoryEventBus
) -> None:
    event = completed(total="0.00")
    await bus.publish(event)
    s = await state(orders_uow, str(event.payload["order_id"]))
    assert (s["status"], s["payment_status"]) == ("PAID", "NOT_REQUIRED")
    assert len(await outbox(orders, "OrderPaid")) == 1


async def test_stock_allocations_and_failures_are_recorded(
    orders: SubgraphApp, orders_uow: OrdersUow, bus: InMemoryEventBus
) -> None:
    event = completed()
    order_id = str(event.payload["order_id"])
    await bus.publish(event)
    await bus.publish(payment("PaymentCaptured", order_id, amount="63.55"))
    allocations = [
        {"variant_id": "shirt-m", "warehouse_id": "wh-a", "quantity": 2},
        {"variant_id": "mug", "warehouse_id": "wh-b", "quantity": 1},
    ]
    await bus.publish(
        Envelope(
            type="StockCommitted",
            source="inventory",
            payload={"reservation_id": f"res-{order_id}", "owner": "x", "allocations": allocations},
        )
    )
    s = await state(orders_uow, order_id)
    assert s["stock_committed"] is True
    assert s["allocations"] == allocations

    other = completed()
    await bus.publish(other)
    other_id = str(other.payload["order_id"])
    await bus.publish(
        Envelope(
            type="StockCommitFailed",
            source="inventory",
            payload={"reservation_id": "r", "order_id": other_id, "reason": "RESERVATION_EXPIRED"},
        )
    )
    assert (await state(orders_uow, other_id))["stock_issue"] == "RESERVATION_EXPIRED"


async def test_events_for_unknown_orders_are_dropped_not_dead_lettered(
    orders: SubgraphApp, bus: InMemoryEventBus
) -> None:
    await bus.publish(payment("PaymentCaptured", "no-such-order", amount="1.00"))
    assert await bus.dead_letters("orders") == []
