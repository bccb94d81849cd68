"""ReviewPosted → the rating aggregate, through outbox, relay, bus and the idempotent consumer.

The rating is eventually consistent: a review is visible at once, its star counts only after the
reviews relay publishes its ReviewPosted. These tests make that moment explicit.
"""

from __future__ import annotations

from sqlalchemy import func, select, update

from shared.app import SubgraphApp
from shared.bus.memory import InMemoryEventBus
from shared.events import Envelope
from tests.catalog.support import CatalogUow
from tests.graphql_client import SubgraphClient
from tests.reviews.support import (
    ReviewsUow,
    drain,
    published_product,
    rating_of,
    write_review,
)

NO_RATING = {"average": "0", "count": 0}


async def test_the_rating_changes_only_after_the_relay_publishes_the_review(
    catalog: SubgraphApp,
    reviews: SubgraphApp,
    catalog_uow: CatalogUow,
    reviews_uow: ReviewsUow,
    client: SubgraphClient,
) -> None:
    product = await published_product(catalog, catalog_uow, "Oxford Shirt")
    await write_review(reviews_uow, product.id, rating=4)
    await write_review(reviews_uow, product.id, rating=5)

    assert await rating_of(client, product.id) == NO_RATING  # the events wait in the outbox

    assert await drain(reviews) == 2

    assert await rating_of(client, product.id) == {"average": "4.50", "count": 2}


async def test_ratings_of_products_are_kept_apart(
    catalog: SubgraphApp,
    reviews: SubgraphApp,
    catalog_uow: CatalogUow,
    reviews_uow: ReviewsUow,
    client: SubgraphClient,
) -> None:
    shirt = await published_product(catalog, catalog_uow, "Oxford Shirt")
    mug = await published_product(catalog, catalog_uow, "Mug")
    for stars in (5, 4, 4):
        await write_review(reviews_uow, shirt.id, rating=stars)
    await write_review(reviews_uow, mug.id, rating=1)

    await drain(reviews)

    assert await rating_of(client, shirt.id) == {"average": "4.33", "count": 3}
    assert await rating_of(client, mug.id) == {"average": "1.00", "count": 1}


async def test_the_same_event_delivered_twice_counts_once(
    catalog: SubgraphApp,
    reviews: SubgraphApp,
    catalog_uow: CatalogUow,
    reviews_uow: ReviewsUow,
    client: SubgraphClient,
    bus: InMemoryEventBus,
) -> None:
    product = await published_product(catalog, catalog_uow, "Oxford Shirt")
    review = await write_review(reviews_uow, product.id, rating=2)
    posted = Envelope(
        type="ReviewPosted",
        source="reviews",
        key=review.id,
        payload={
            "review_id": review.id,
            "product_id": product.id,
            "rating": 2,
            "title": review.title,
            "body": review.body,
            "author_name": review.author_name,
            "created_at": review.created_at.isoformat(),
        },
    )

    await bus.publish(posted)
    await bus.publish(posted)

    assert await rating_of(client, product.id) == {"average": "2.00", "count": 1}
    assert await bus.dead_letters("reviews") == []


async def test_an_outbox_row_published_again_after_a_crash_counts_once(
    catalog: SubgraphApp,
    reviews: SubgraphApp,
    catalog_uow: CatalogUow,
    reviews_uow: ReviewsUow,
    client: SubgraphClient,
) -> None:
    """The relay crashed after publishing but before marking the row: the row is published
    again and the consumer's inbox drops the duplicate."""
    product = await published_product(catalog, catalog_uow, "Oxford Shirt")
    await write_review(reviews_uow, product.id, rating=3)
    assert await drain(reviews) == 1
    outbox = reviews.infra.tables.outbox
    async with reviews.infra.database.session() as session, session.begin():
        await session.execute(update(outbox).values(published_at=None, claimed_until=None))

    assert await drain(reviews) == 1

    assert await rating_of(client, product.id) == {"average": "3.00", "count": 1}
    inbox = reviews.infra.tables.inbox
    async with reviews.infra.database.session() as session:
        claimed = await session.scalar(
            select(func.count())
            .select_from(inbox)
            .where(inbox.c.consumer == "reviews:ReviewPosted")
        )
    assert claimed == 1


async def test_a_product_with_no_reviews_has_a_zero_rating(
    catalog: SubgraphApp, reviews: SubgraphApp, catalog_uow: CatalogUow, client: SubgraphClient
) -> None:
    product = await published_product(catalog, catalog_uow, "Unreviewed")

    assert await rating_of(client, product.id) == NO_RATING
    assert await rating_of(client, "never-heard-of-it") == NO_RATING
