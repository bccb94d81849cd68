"""Catalog events → stored documents → the index: freshness, deletes, drafts, late events."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from shared.bus.memory import InMemoryEventBus
from shared.events import Envelope
from subgraphs.search.app import SearchSubgraphApp
from subgraphs.search.domain.query import Filters, SearchRequest
from tests.search.support import T0, deleted, upserted


async def found(search: SearchSubgraphApp, text: str, **filters: object) -> list[str]:
    assert search.engine is not None
    request = SearchRequest(text, filters=Filters(**filters), facets=False)  # type: ignore[arg-type]
    return (await search.engine.search(request)).product_ids


async def flush(search: SearchSubgraphApp) -> None:
    assert search.indexer is not None
    await search.indexer.flush()


async def test_an_upsert_is_searchable_once_the_indexer_commits(
    search: SearchSubgraphApp, bus: InMemoryEventBus
) -> None:
    await bus.publish(upserted("p1", "Linen Shirt"))
    assert await found(search, "linen") == []  # stored, not yet committed to the index
    await flush(search)
    assert await found(search, "linen") == ["p1"]


async def test_the_running_indexer_commits_within_its_interval(
    search: SearchSubgraphApp, bus: InMemoryEventBus
) -> None:
    assert search.indexer is not None
    await search.indexer.start()
    try:
        await bus.publish(upserted("p1", "Linen Shirt"))
        for _ in range(100):  # no timing assertion: wait for the commit, whenever it comes
            if await found(search, "linen"):
                break
            await asyncio.sleep(search.indexer.interval / 2)
        assert await found(search, "linen") == ["p1"]
        assert search.indexer.pending == 0
    finally:
        await search.indexer.stop()


async def test_a_delete_removes_the_product(
    search: SearchSubgraphApp, bus: InMemoryEventBus
) -> None:
    await bus.publish(upserted("p1", "Linen Shirt"))
    await bus.publish(deleted("p1", at=T0 + timedelta(seconds=1)))
    await flush(search)
    assert await found(search, "linen") == []
    await bus.publish(upserted("p1", "Linen Shirt", at=T0))  # a late, older upsert
    await flush(search)
    assert await found(search, "linen") == []


async def test_a_draft_leaves_the_index(search: SearchSubgraphApp, bus: InMemoryEventBus) -> None:
    await bus.publish(upserted("p1", "Linen Shirt"))
    await flush(search)
    await bus.publish(upserted("p1", "Linen Shirt", status="DRAFT", at=T0 + timedelta(1)))
    await flush(search)
    assert await found(search, "linen") == []


async def test_an_older_event_arriving_late_is_ignored(
    search: SearchSubgraphApp, bus: InMemoryEventBus
) -> None:
    await bus.publish(upserted("p1", "Hemp Shirt", at=T0 + timedelta(minutes=5)))
    await bus.publish(upserted("p1", "Linen Shirt", at=T0))
    await flush(search)
    assert await found(search, "hemp") == ["p1"]
    assert await found(search, "linen") == []


async def test_the_full_contract_is_indexed(
    search: SearchSubgraphApp, bus: InMemoryEventBus
) -> None:
    await bus.publish(
        upserted(
            "p1",
            "Linen Shirt",
            price="30.00",
            category_id="c-shirts",
            category_ids=["c-shirts", "c-apparel"],
            category_names=["Shirts", "Apparel"],
            attributes={"color": ["red"], "brand": ["Acme"]},
            variants=[
                {"variant_id": "v1", "sku": "LS-RED-M", "price_amount": "25.00", "name": "M"},
                {"variant_id": "v2", "sku": "LS-RED-L", "price_amount": "35.00", "name": "L"},
            ],
        )
    )
    await flush(search)
    assert await found(search, "apparel", category_ids=("c-apparel",)) == ["p1"]
    assert await found(search, "ls-red-l") == ["p1"]
    assert await found(search, "", price_max=25) == ["p1"]  # the lowest variant price


async def test_older_payloads_without_the_new_fields_are_indexed(
    search: SearchSubgraphApp, bus: InMemoryEventBus
) -> None:
    payload = {
        "product_id": "p1",
        "slug": "linen-shirt",
        "name": "Linen Shirt",
        "status": "PUBLISHED",
        "price_amount": "10.00",
        "currency": "EUR",
        "category_id": "c1",
    }
    await bus.publish(Envelope(type="ProductUpserted", source="catalog", payload=payload))
    await flush(search)
    assert await found(search, "linen", category_ids=("c1",)) == ["p1"]


async def test_price_stock_and_rating_events_update_the_document(
    search: SearchSubgraphApp, bus: InMemoryEventBus
) -> None:
    await bus.publish(
        upserted("p1", "Linen Shirt", variants=[{"variant_id": "v1", "price_amount": "10.00"}])
    )
    later = T0 + timedelta(minutes=1)
    await bus.publish(
        Envelope(
            type="PriceChanged",
            source="catalog",
            occurred_at=later,
            payload={
                "product_id": "p1",
                "variant_id": "v1",
                "old_amount": "10.00",
                "old_currency": "EUR",
                "new_amount": "80.00",
                "new_currency": "EUR",
            },
        )
    )
    await bus.publish(
        Envelope(
            type="StockChanged",
            source="inventory",
            occurred_at=later,
            payload={"variant_id": "v1", "available": 0},
        )
    )
    await bus.publish(
        Envelope(
            type="ReviewPosted",
            source="reviews",
            payload={"review_id": "r1", "product_id": "p1", "rating": 4},
        )
    )
    await flush(search)
    assert await found(search, "", price_min=50) == ["p1"]
    assert await found(search, "", in_stock=False) == ["p1"]
    assert await found(search, "", rating_min=4.0) == ["p1"]


async def test_reindex_rebuilds_the_index_from_the_table(
    search: SearchSubgraphApp, bus: InMemoryEventBus
) -> None:
    from subgraphs.search.services.reindex import reindex

    for i in range(5):
        await bus.publish(upserted(f"p{i}", f"Linen Shirt {i}"))
    await bus.publish(upserted("d1", "Linen Draft", status="DRAFT"))
    assert search.engine is not None
    assert search.reader is not None
    progress: list[tuple[int, int]] = []
    done = await reindex(
        search.reader, search.engine, batch=2, progress=lambda d, t: progress.append((d, t))
    )
    assert done == 5
    assert progress[-1] == (5, 5)
    assert len(await found(search, "linen")) == 5
