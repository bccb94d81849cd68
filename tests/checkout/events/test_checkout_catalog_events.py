"""Catalog events → checkout's catalog_variants: monotonic (late events change nothing),
applied once, variants withdrawn, prices changed."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from shared.app import SubgraphApp
from shared.bus.memory import InMemoryEventBus
from shared.events import Envelope
from subgraphs.checkout.domain.models import CatalogVariant
from tests.checkout.support import T0, upserted


async def variant(app: SubgraphApp, variant_id: str) -> CatalogVariant | None:
    async with app.infra.database.session() as session:
        return await session.get(CatalogVariant, variant_id)


async def test_a_late_event_does_not_bring_back_an_older_state(
    checkout: SubgraphApp, bus: InMemoryEventBus
) -> None:
    await bus.publish(upserted("p", [("v", "12.00", 100)], at=T0 + timedelta(minutes=5)))
    await bus.publish(upserted("p", [("v", "10.00", 100)], status="DRAFT", at=T0))
    found = await variant(checkout, "v")
    assert found is not None
    assert (found.price_amount, found.available) == (Decimal("12.00"), True)


async def test_events_without_variants_are_skipped(
    checkout: SubgraphApp, bus: InMemoryEventBus
) -> None:
    event = upserted("p", [])
    payload = {k: v for k, v in event.payload.items() if k != "variants"}
    await bus.publish(Envelope(type="ProductUpserted", source="catalog", payload=payload))
    assert await variant(checkout, "p") is None
    assert await bus.dead_letters("checkout") == []


async def test_deleted_products_and_dropped_variants_stop_being_sold(
    checkout: SubgraphApp, bus: InMemoryEventBus
) -> None:
    await bus.publish(upserted("p", [("a", "1.00", 0), ("b", "1.00", 0)], at=T0))
    await bus.publish(upserted("p", [("a", "1.00", 0)], at=T0 + timedelta(1)))
    dropped = await variant(checkout, "b")
    assert dropped is not None
    assert not dropped.available
    await bus.publish(
        Envelope(
            type="ProductDeleted",
            source="catalog",
            payload={"product_id": "p"},
            occurred_at=T0 + timedelta(2),
        )
    )
    gone = await variant(checkout, "a")
    assert gone is not None
    assert not gone.available


async def test_price_changed_updates_the_variants_once(
    checkout: SubgraphApp, bus: InMemoryEventBus
) -> None:
    await bus.publish(upserted("p", [("a", "1.00", 0)], at=T0))
    change = Envelope(
        type="PriceChanged",
        source="catalog",
        occurred_at=T0 + timedelta(1),
        payload={
            "product_id": "p",
            "old_amount": "1.00",
            "old_currency": "EUR",
            "new_amount": "2.50",
            "new_currency": "EUR",
        },
    )
    await bus.publish(change)
    await bus.publish(change)
    found = await variant(checkout, "a")
    assert found is not None
    assert found.price_amount == Decimal("2.50")
    assert await bus.dead_letters("checkout") == []
