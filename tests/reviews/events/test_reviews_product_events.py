"""ProductUpserted (catalog) → the products reviews may be written for.

The reviews subgraph keeps the newest state of each product it heard of; an older event that
arrives late (redelivery, another partition) must not bring back an older state.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared.app import SubgraphApp
from shared.auth import SYSTEM
from shared.bus.memory import InMemoryEventBus
from shared.events import Envelope
from subgraphs.catalog.domain.models import ProductStatus
from subgraphs.catalog.services.update_product import ProductChanges, update_product
from subgraphs.reviews.domain.errors import ReviewError, ReviewErrorCode
from subgraphs.reviews.domain.models import KnownProduct
from tests.catalog.support import CatalogUow
from tests.reviews.support import ReviewsUow, drain, published_product, write_review

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def upserted(product_id: str, *, status: str, name: str, at: datetime) -> Envelope:
    return Envelope(
        type="ProductUpserted",
        source="catalog",
        key=product_id,
        occurred_at=at,
        payload={
            "product_id": product_id,
            "slug": "linen-shirt",
            "name": name,
            "status": status,
            "price_amount": "10.00",
            "currency": "EUR",
            "category_id": None,
        },
    )


async def known(reviews: SubgraphApp, product_id: str) -> KnownProduct | None:
    async with reviews.infra.database.session() as session:
        return await session.get(KnownProduct, product_id)


async def accepts_reviews(reviews_uow: ReviewsUow, product_id: str) -> bool:
    try:
        await write_review(reviews_uow, product_id)
    except ReviewError as error:
        code = error.code
    else:
        return True
    assert code == ReviewErrorCode.PRODUCT_NOT_FOUND
    return False


@pytest.mark.usefixtures("reviews")
async def test_a_product_unpublished_in_the_catalog_no_longer_takes_reviews(
    catalog: SubgraphApp, catalog_uow: CatalogUow, reviews_uow: ReviewsUow
) -> None:
    product = await published_product(catalog, catalog_uow, "Oxford Shirt")
    assert await accepts_reviews(reviews_uow, product.id)

    await update_product(
        catalog_uow,
        product_id=product.id,
        changes=ProductChanges(status=ProductStatus.DRAFT),
        actor=SYSTEM,
    )
    assert await accepts_reviews(reviews_uow, product.id)  # not relayed yet: still published
    await drain(catalog)

    assert not await accepts_reviews(reviews_uow, product.id)


async def test_a_late_published_event_does_not_republish_a_product(
    reviews: SubgraphApp, reviews_uow: ReviewsUow, bus: InMemoryEventBus
) -> None:
    await bus.publish(upserted("p1", status="DRAFT", name="Newer", at=T0 + timedelta(minutes=5)))
    await bus.publish(upserted("p1", status="PUBLISHED", name="Older", at=T0))

    state = await known(reviews, "p1")
    assert state is not None
    assert (state.published, state.name) == (False, "Newer")
    assert not await accepts_reviews(reviews_uow, "p1")


async def test_a_late_draft_event_does_not_unpublish_a_product(
    reviews: SubgraphApp, reviews_uow: ReviewsUow, bus: InMemoryEventBus
) -> None:
    await bus.publish(
        upserted("p1", status="PUBLISHED", name="Newer", at=T0 + timedelta(seconds=1))
    )
    await bus.publish(upserted("p1", status="DRAFT", name="Older", at=T0))

    state = await known(reviews, "p1")
    assert state is not None
    assert (state.published, state.name) == (True, "Newer")
    assert await accepts_reviews(reviews_uow, "p1")


async def test_events_in_order_each_take_effect(
    reviews: SubgraphApp, reviews_uow: ReviewsUow, bus: InMemoryEventBus
) -> None:
    await bus.publish(upserted("p1", status="DRAFT", name="First", at=T0))
    assert not await accepts_reviews(reviews_uow, "p1")

    await bus.publish(upserted("p1", status="PUBLISHED", name="Second", at=T0 + timedelta(1)))
    assert await accepts_reviews(reviews_uow, "p1")

    await bus.publish(upserted("p1", status="DRAFT", name="Third", at=T0 + timedelta(2)))
    assert not await accepts_reviews(reviews_uow, "p1")
    state = await known(reviews, "p1")
    assert state is not None
    assert state.name == "Third"


async def test_a_redelivered_product_event_is_applied_once(
    reviews: SubgraphApp, bus: InMemoryEventBus
) -> None:
    first = upserted("p1", status="PUBLISHED", name="Linen Shirt", at=T0)

    await bus.publish(first)
    await bus.publish(first)

    state = await known(reviews, "p1")
    assert state is not None
    assert state.published
    assert await bus.dead_letters("reviews") == []
