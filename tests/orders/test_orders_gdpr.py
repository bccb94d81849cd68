"""GDPR for orders: the export lists the customer's orders; erasure keeps what tax law needs
(number, lines, amounts) and replaces the person everywhere — state, event stream, queued mail."""

from __future__ import annotations

from shared.app import SubgraphApp
from shared.bus.memory import InMemoryEventBus
from shared.events import dumps
from subgraphs.orders.services.personal_data import anonymize_customer, collect_personal_data
from tests.orders.support import OrdersUow, completed, payment, queued, state


async def test_erasure_keeps_the_invoice_and_forgets_the_person(
    orders: SubgraphApp, orders_uow: OrdersUow, bus: InMemoryEventBus
) -> None:
    event = completed(customer_id="cust-9")
    order_id = str(event.payload["order_id"])
    await bus.publish(event)
    await bus.publish(payment("PaymentCaptured", order_id, amount="63.55"))
    other = completed(customer_id="cust-10")
    await bus.publish(other)

    async with orders_uow() as uow:
        exported = await collect_personal_data(uow, "cust-9")
        await uow.commit()
    (mine,) = exported["orders"]
    assert (mine["id"], mine["email"], mine["total"]) == (order_id, "ada@example.com", "63.55")

    async with orders_uow() as uow:
        await anonymize_customer(uow, "cust-9")
        await uow.commit()

    s = await state(orders_uow, order_id)
    assert s["email"] == "erased"
    assert s["shipping_address"]["city"] == "erased"
    assert s["shipping_address"]["country_code"] == "DE"  # tax needs the country
    assert (s["number"], s["total"], s["status"]) == ("1001", "63.55", "PAID")
    assert len(s["lines"]) == 2
    async with orders_uow() as uow:
        stream = dumps([dict(e.data) for e in await uow.orders.events(order_id)])
        await uow.commit()
    assert "ada@example.com" not in stream
    assert "Unter den Linden" not in stream
    assert all(
        m["recipient"] == "erased" for m in await queued(orders) if m["order_id"] == order_id
    )
    untouched = await state(orders_uow, str(other.payload["order_id"]))
    assert untouched["email"] == "ada@example.com"
