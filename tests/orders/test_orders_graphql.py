"""Orders through GraphQL: who reads an order (customer, guest with token, staff; nobody else,
also through ``_entities``), the staff list, fulfillment split per warehouse through delivery,
cancellation and address rules, returns and refunds, the audit trail, the projection rebuilt
from the events."""

from __future__ import annotations

import asyncio
from typing import Any

from shared.app import SubgraphApp
from shared.auth import Permission
from shared.bus.memory import InMemoryEventBus
from shared.events import Envelope
from subgraphs.orders.domain.order import fold
from subgraphs.orders.services.rebuild import rebuild_projection
from tests.graphql_client import STAFF, SubgraphClient, customer, staff
from tests.orders.support import TOKEN, OrdersUow, completed, outbox, payment, state
from tests.support.bola import OwnedQuery, assert_owner_only

ORDER_FIELDS = """id number status paymentStatus email canCancel
  total { amount currencyCode } paid { amount } refunded { amount }
  lines { variant { id } quantity unitPrice { amount } }
  fulfillments { id status warehouseId trackingNumber trackingUrl carrier lines { variant { id } quantity } }
  returns { id status refundAmount { amount } }
  refunds { amount { amount } status }
  shippingAddress { city postalCode countryCode }
  cancelReason paymentFailure { code message }"""
ORDER = f"query($id: ID!, $token: String) {{ order(id: $id, token: $token) {{ {ORDER_FIELDS} }} }}"
HISTORY = "query($id: ID!) { order(id: $id) { history { version type actor } notes { text } } }"
ORDERS = """query($first: Int, $after: String, $filter: OrderFilter) {
  orders(first: $first, after: $after, filter: $filter) {
    totalCount edges { node { id number status } } pageInfo { hasNextPage endCursor } } }"""
MY_ORDERS = """query($r: [_Any!]!) { _entities(representations: $r) {
  ... on Customer { orders(first: 10) { totalCount edges { node { id number } } } } } }"""
ERRORS = "userErrors { field code message }"
CANCEL = f"mutation($id: ID!, $token: String) {{ orderCancel(orderId: $id, token: $token) {{ order {{ status }} {ERRORS} }} }}"
ADDRESS = f"""mutation($id: ID!, $a: OrderAddressInput!, $token: String) {{
  orderShippingAddressUpdate(orderId: $id, address: $a, token: $token) {{ order {{ shippingAddress {{ city }} }} {ERRORS} }} }}"""
FULFIL = f"""mutation($id: ID!, $lines: [ItemQuantityInput!]) {{ fulfillmentCreate(orderId: $id, lines: $lines) {{
  order {{ {ORDER_FIELDS} }} {ERRORS} }} }}"""
SHIP = f"""mutation($id: ID!, $f: ID!) {{ fulfillmentShip(orderId: $id, fulfillmentId: $f) {{
  order {{ {ORDER_FIELDS} }} {ERRORS} }} }}"""
PICK = f"mutation($id: ID!, $f: ID!) {{ fulfillmentPick(orderId: $id, fulfillmentId: $f) {{ order {{ status }} {ERRORS} }} }}"
DELIVER = f"""mutation($id: ID!, $f: ID!) {{ fulfillmentDeliver(orderId: $id, fulfillmentId: $f) {{
  order {{ {ORDER_FIELDS} }} {ERRORS} }} }}"""
RETURN = f"""mutation($id: ID!, $lines: [ItemQuantityInput!]!, $token: String) {{
  returnRequest(orderId: $id, lines: $lines, reason: "too small", token: $token) {{ returnId order {{ status }} {ERRORS} }} }}"""
APPROVE = f"mutation($id: ID!, $r: ID!) {{ returnApprove(orderId: $id, returnId: $r) {{ order {{ status }} {ERRORS} }} }}"
RECEIVE = f"mutation($id: ID!, $r: ID!) {{ returnReceive(orderId: $id, returnId: $r, restock: true) {{ order {{ {ORDER_FIELDS} }} {ERRORS} }} }}"
REFUND = f"""mutation($id: ID!, $amount: String!, $key: String) {{
  orderRefund(orderId: $id, amount: $amount, reason: "goodwill", idempotencyKey: $key) {{ order {{ refunds {{ amount {{ amount }} status }} }} {ERRORS} }} }}"""
NOTE = f'mutation($id: ID!) {{ orderNoteAdd(orderId: $id, note: "called the customer") {{ order {{ id }} {ERRORS} }} }}'
BERLIN = {
    "firstName": "Ada",
    "lastName": "Lovelace",
    "address1": "Friedrichstr. 5",
    "city": "Berlin-Mitte",
    "postalCode": "10117",
    "countryCode": "DE",
}


async def ok(client: SubgraphClient, query: str, variables: dict[str, Any], **kw: Any) -> Any:
    result = await client.execute(query, variables, **kw)
    assert "errors" not in result, result
    (value,) = result["data"].values()
    return value


async def paid_order(
    bus: InMemoryEventBus, *, customer_id: str | None = None, allocations: bool = True
) -> str:
    event = completed(customer_id=customer_id)
    order_id = str(event.payload["order_id"])
    await bus.publish(event)
    await bus.publish(payment("PaymentCaptured", order_id, amount="63.55"))
    if allocations:
        await bus.publish(
            Envelope(
                type="StockCommitted",
                source="inventory",
                payload={
                    "reservation_id": f"res-{order_id}",
                    "owner": "x",
                    "allocations": [
                        {"variant_id": "shirt-m", "warehouse_id": "wh-a", "quantity": 1},
                        {"variant_id": "shirt-m", "warehouse_id": "wh-b", "quantity": 1},
                        {"variant_id": "mug", "warehouse_id": "wh-b", "quantity": 1},
                    ],
                },
            )
        )
    return order_id


async def test_only_the_customer_a_token_holder_and_staff_read_an_order(
    orders: SubgraphApp, client: SubgraphClient, bus: InMemoryEventBus
) -> None:
    order_id = await paid_order(bus, customer_id="cust-1")
    await assert_owner_only(
        client,
        typename="Order",
        object_id=order_id,
        owner=customer("cust-1"),
        selection="id number",
        queries=[OwnedQuery(ORDER, {"id": order_id}, ("order",))],
    )
    mine = await ok(client, ORDER, {"id": order_id}, principal=customer("cust-1"))
    assert (mine["status"], mine["number"], mine["total"]["amount"]) == ("PAID", "1001", "63.55")
    by_staff = await ok(client, ORDER, {"id": order_id}, principal=staff(Permission.MANAGE_ORDERS))
    assert by_staff["id"] == order_id

    guest_id = await paid_order(bus)
    assert (await ok(client, ORDER, {"id": guest_id, "token": TOKEN}))["id"] == guest_id
    assert await ok(client, ORDER, {"id": guest_id, "token": "wrong"}) is None
    assert await ok(client, ORDER, {"id": guest_id}) is None
    entities = await client.execute(
        "query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id } } }",
        {"r": [{"__typename": "Order", "id": guest_id}]},
    )
    assert entities["data"]["_entities"] == [None]  # a token never travels in a reference


async def test_customers_list_their_orders_and_staff_filter_every_order(
    orders: SubgraphApp, client: SubgraphClient, bus: InMemoryEventBus
) -> None:
    mine = [await paid_order(bus, customer_id="cust-2") for _ in range(3)]
    await paid_order(bus, customer_id="cust-3")
    failed = completed()
    await bus.publish(failed)
    await bus.publish(payment("PaymentFailed", str(failed.payload["order_id"]), code="DECLINED"))

    ref = {"r": [{"__typename": "Customer", "id": "cust-2"}]}
    (own,) = (await client.execute(MY_ORDERS, ref, principal=customer("cust-2")))["data"][
        "_entities"
    ]
    assert own["orders"]["totalCount"] == 3
    assert {e["node"]["id"] for e in own["orders"]["edges"]} == set(mine)
    (other,) = (await client.execute(MY_ORDERS, ref, principal=customer("cust-3")))["data"][
        "_entities"
    ]
    assert other["orders"] is None

    boss = staff(Permission.MANAGE_ORDERS)
    first = await ok(client, ORDERS, {"first": 3}, principal=boss)
    assert first["totalCount"] == 5
    assert first["pageInfo"]["hasNextPage"] is True
    rest = await ok(
        client, ORDERS, {"first": 3, "after": first["pageInfo"]["endCursor"]}, principal=boss
    )
    seen = [e["node"]["id"] for e in first["edges"] + rest["edges"]]
    assert len(set(seen)) == 5
    cancelled = await ok(client, ORDERS, {"filter": {"status": "CANCELLED"}}, principal=boss)
    assert cancelled["totalCount"] == 1
    by_number = await ok(client, ORDERS, {"filter": {"search": "#1002"}}, principal=boss)
    assert [e["node"]["number"] for e in by_number["edges"]] == ["1002"]
    refused = await client.execute(ORDERS, {}, principal=customer("cust-2"))
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_fulfilment_splits_per_warehouse_ships_and_delivers(
    orders: SubgraphApp, client: SubgraphClient, bus: InMemoryEventBus, orders_uow: OrdersUow
) -> None:
    order_id = await paid_order(bus, customer_id="cust-4")
    boss = STAFF
    fulfilled = await ok(client, FULFIL, {"id": order_id}, principal=boss)
    assert fulfilled["userErrors"] == []
    shipments = {f["warehouseId"]: f for f in fulfilled["order"]["fulfillments"]}
    assert set(shipments) == {"wh-a", "wh-b"}
    assert {(x["variant"]["id"], x["quantity"]) for x in shipments["wh-b"]["lines"]} == {
        ("shirt-m", 1),
        ("mug", 1),
    }
    again = await ok(client, FULFIL, {"id": order_id}, principal=boss)
    assert again["userErrors"][0]["code"] == "NOTHING_TO_FULFIL"

    a, b = shipments["wh-a"]["id"], shipments["wh-b"]["id"]
    assert (await ok(client, PICK, {"id": order_id, "f": a}, principal=boss))["userErrors"] == []
    shipped = await ok(client, SHIP, {"id": order_id, "f": a}, principal=boss)
    assert shipped["order"]["status"] == "PARTIALLY_FULFILLED"
    parcel = next(f for f in shipped["order"]["fulfillments"] if f["id"] == a)
    assert parcel["trackingNumber"].startswith("AG")
    assert parcel["trackingUrl"].endswith(parcel["trackingNumber"])
    early = await ok(client, DELIVER, {"id": order_id, "f": b}, principal=boss)
    assert early["userErrors"][0]["code"] == "INVALID_STATE"  # not shipped yet
    await ok(client, SHIP, {"id": order_id, "f": b}, principal=boss)
    await ok(client, DELIVER, {"id": order_id, "f": a}, principal=boss)
    done = await ok(client, DELIVER, {"id": order_id, "f": b}, principal=boss)
    assert done["order"]["status"] == "DELIVERED"
    assert len(await outbox(orders, "OrderShipped")) == 2
    assert len(await outbox(orders, "OrderDelivered")) == 2

    # No cancelling or re-addressing once shipped.
    cancel = await ok(client, CANCEL, {"id": order_id}, principal=customer("cust-4"))
    assert cancel["userErrors"][0]["code"] == "NOT_CANCELLABLE"
    moved = await ok(client, ADDRESS, {"id": order_id, "a": BERLIN}, principal=customer("cust-4"))
    assert moved["userErrors"][0]["code"] == "ALREADY_SHIPPED"
    # Staff-only operations are refused to the customer.
    refused = await client.execute(FULFIL, {"id": order_id}, principal=customer("cust-4"))
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_before_shipment_the_customer_changes_the_address_and_cancels(
    orders: SubgraphApp, client: SubgraphClient, bus: InMemoryEventBus
) -> None:
    order_id = await paid_order(bus)
    moved = await ok(client, ADDRESS, {"id": order_id, "a": BERLIN, "token": TOKEN})
    assert moved["order"]["shippingAddress"]["city"] == "Berlin-Mitte"
    abroad = await ok(
        client, ADDRESS, {"id": order_id, "a": {**BERLIN, "countryCode": "FR"}, "token": TOKEN}
    )
    assert abroad["userErrors"][0]["field"] == ["address", "countryCode"]
    stranger = await ok(client, CANCEL, {"id": order_id, "token": "nope"})
    assert stranger["userErrors"][0]["code"] == "NOT_FOUND"
    cancelled = await ok(client, CANCEL, {"id": order_id, "token": TOKEN})
    assert cancelled["order"]["status"] == "CANCELLED"
    (event,) = await outbox(orders, "OrderCancelled")
    assert (event["reason"], event["paid"]) == ("CUSTOMER", True)


async def test_a_return_is_approved_received_and_refunded(
    orders: SubgraphApp, client: SubgraphClient, bus: InMemoryEventBus, orders_uow: OrdersUow
) -> None:
    order_id = await paid_order(bus, customer_id="cust-5")
    fulfilled = await ok(client, FULFIL, {"id": order_id}, principal=STAFF)
    for f in fulfilled["order"]["fulfillments"]:
        await ok(client, SHIP, {"id": order_id, "f": f["id"]}, principal=STAFF)
        await ok(client, DELIVER, {"id": order_id, "f": f["id"]}, principal=STAFF)

    too_many = await ok(
        client,
        RETURN,
        {"id": order_id, "lines": [{"variantId": "mug", "quantity": 2}]},
        principal=customer("cust-5"),
    )
    assert too_many["userErrors"][0]["code"] == "QUANTITY_EXCEEDED"
    asked = await ok(
        client,
        RETURN,
        {"id": order_id, "lines": [{"variantId": "shirt-m", "quantity": 1}]},
        principal=customer("cust-5"),
    )
    return_id = asked["returnId"]
    early = await ok(client, RECEIVE, {"id": order_id, "r": return_id}, principal=STAFF)
    assert early["userErrors"][0]["code"] == "INVALID_STATE"
    await ok(client, APPROVE, {"id": order_id, "r": return_id}, principal=STAFF)
    received = await ok(client, RECEIVE, {"id": order_id, "r": return_id}, principal=STAFF)
    # 20.00 net + its share of the 10.15 tax on 48.50: 20 * 10.15 / 48.50 = 4.19 → 24.19
    assert received["order"]["returns"][0]["refundAmount"]["amount"] == "24.19"
    (refund,) = await outbox(orders, "RefundRequested")
    assert refund["amount"] == "24.19"
    (back,) = await outbox(orders, "ReturnReceived")
    assert back["lines"] == [
        {"variant_id": "shirt-m", "quantity": 1, "warehouse_id": "wh-b", "restock": True}
    ]
    await bus.publish(
        payment("RefundSucceeded", order_id, refund_id=refund["refund_id"], amount="24.19")
    )
    s = await state(orders_uow, order_id)
    assert (s["payment_status"], s["refunded_amount"]) == ("PARTIALLY_REFUNDED", "24.19")
    assert s["returns"][0]["status"] == "REFUNDED"


async def test_staff_refunds_within_what_was_paid_once_per_key(
    orders: SubgraphApp, client: SubgraphClient, bus: InMemoryEventBus
) -> None:
    order_id = await paid_order(bus)
    payments_staff = staff(Permission.HANDLE_PAYMENTS, Permission.MANAGE_ORDERS)
    too_much = await ok(
        client, REFUND, {"id": order_id, "amount": "70.00"}, principal=payments_staff
    )
    assert too_much["userErrors"][0]["code"] == "REFUND_EXCEEDS_PAID"
    first = await ok(
        client, REFUND, {"id": order_id, "amount": "10.00", "key": "r1"}, principal=payments_staff
    )
    again = await ok(
        client, REFUND, {"id": order_id, "amount": "10.00", "key": "r1"}, principal=payments_staff
    )
    assert first["userErrors"] == again["userErrors"] == []
    assert len(await outbox(orders, "RefundRequested")) == 1
    reused = await ok(
        client, REFUND, {"id": order_id, "amount": "11.00", "key": "r1"}, principal=payments_staff
    )
    assert reused["userErrors"][0]["code"] == "IDEMPOTENCY_KEY_REUSED"
    refused = await client.execute(
        REFUND, {"id": order_id, "amount": "1.00"}, principal=staff(Permission.MANAGE_ORDERS)
    )
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_the_history_is_the_event_stream_for_staff_and_the_projection_rebuilds(
    orders: SubgraphApp, client: SubgraphClient, bus: InMemoryEventBus, orders_uow: OrdersUow
) -> None:
    order_id = await paid_order(bus, customer_id="cust-6")
    notes = await asyncio.gather(
        *(ok(client, NOTE, {"id": order_id}, principal=STAFF) for _ in range(4))
    )
    assert all(n["userErrors"] == [] for n in notes), notes
    seen = await ok(client, HISTORY, {"id": order_id}, principal=STAFF)
    versions = [h["version"] for h in seen["history"]]
    assert versions == list(range(1, len(versions) + 1))  # contiguous despite concurrent notes
    types = [h["type"] for h in seen["history"]]
    assert types[:4] == ["OrderPlaced", "OrderPaid", "ConfirmationQueued", "StockCommitted"]
    assert types.count("NoteAdded") == 4
    assert {h["actor"] for h in seen["history"] if h["type"] == "NoteAdded"} == {"staff:staff-test"}
    hidden = await client.execute(HISTORY, {"id": order_id}, principal=customer("cust-6"))
    assert hidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    live = await state(orders_uow, order_id)
    async with orders_uow() as uow:
        assert fold(order_id, await uow.orders.events(order_id)) == live
        await uow.commit()
    assert await rebuild_projection(orders_uow) == 1
    again = await ok(client, ORDER, {"id": order_id}, principal=STAFF)
    assert again["status"] == "PAID"
