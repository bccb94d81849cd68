"""``create_review`` on the real database: a review of a product the catalog published is
stored with its ReviewPosted in the outbox; any other product is refused and nothing is written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from shared.app import SubgraphApp
from subgraphs.catalog.domain.models import ProductStatus
from subgraphs.reviews.domain.errors import ReviewError, ReviewErrorCode
from subgraphs.reviews.domain.models import ProductRating, Review
from tests.catalog.support import CatalogUow, make_product, outbox_events
from tests.reviews.support import ReviewsUow, drain, published_product, write_review


async def review_rows(reviews: SubgraphApp) -> int:
    async with reviews.infra.database.session() as session:
        return await session.scalar(select(func.count()).select_from(Review)) or 0


async def test_a_review_of_a_published_product_is_stored_with_its_event(
    catalog: SubgraphApp, reviews: SubgraphApp, catalog_uow: CatalogUow, reviews_uow: ReviewsUow
) -> None:
    product = await published_product(catalog, catalog_uow, "Oxford Shirt")

    review = await write_review(
        reviews_uow, product.id, rating=4, title=" Good  fit ", body=" Soft. ", author_name="Ben"
    )

    async with reviews.infra.database.session() as session:
        stored = await session.get(Review, review.id)
        aggregate = await session.get(ProductRating, product.id)
    assert stored is not None
    assert (stored.product_id, stored.rating, stored.title, stored.body, stored.author_name) == (
        product.id,
        4,
        "Good fit",
        "Soft.",
        "Ben",
    )
    assert aggregate is None  # the rating is the consumer's job, after the relay
    [(event_type, payload)] = await outbox_events(reviews)
    assert event_type == "ReviewPosted"
    assert {k: v for k, v in payload.items() if k != "created_at"} == {
        "review_id": review.id,
        "product_id": product.id,
        "rating": 4,
        "title": "Good fit",
        "body": "Soft.",
        "author_name": "Ben",
        "status": "APPROVED",
    }


async def test_an_unknown_product_is_refused_and_nothing_is_written(
    reviews: SubgraphApp, reviews_uow: ReviewsUow
) -> None:
    with pytest.raises(ReviewError) as caught:
        await write_review(reviews_uow, "no-such-product")

    assert (caught.value.code, caught.value.field) == (
        ReviewErrorCode.PRODUCT_NOT_FOUND,
        "productId",
    )
    assert await review_rows(reviews) == 0
    assert await outbox_events(reviews) == []


async def test_a_draft_product_is_refused(
    catalog: SubgraphApp, reviews: SubgraphApp, catalog_uow: CatalogUow, reviews_uow: ReviewsUow
) -> None:
    draft = await published_product(catalog, catalog_uow, "Secret", status=ProductStatus.DRAFT)

    with pytest.raises(ReviewError) as caught:
        await write_review(reviews_uow, draft.id)

    assert caught.value.code == ReviewErrorCode.PRODUCT_NOT_FOUND
    assert await review_rows(reviews) == 0


async def test_a_product_is_unknown_until_the_catalog_relay_runs(
    catalog: SubgraphApp, reviews: SubgraphApp, catalog_uow: CatalogUow, reviews_uow: ReviewsUow
) -> None:
    product = await make_product(catalog_uow, "Fresh Product")

    with pytest.raises(ReviewError) as caught:
        await write_review(reviews_uow, product.id)
    assert caught.value.code == ReviewErrorCode.PRODUCT_NOT_FOUND

    assert await drain(catalog) == 1
    await write_review(reviews_uow, product.id)
    assert await review_rows(reviews) == 1


async def test_invalid_input_for_a_known_product_writes_nothing(
    catalog: SubgraphApp, reviews: SubgraphApp, catalog_uow: CatalogUow, reviews_uow: ReviewsUow
) -> None:
    product = await published_product(catalog, catalog_uow, "Oxford Shirt")

    with pytest.raises(ReviewError) as caught:
        await write_review(reviews_uow, product.id, rating=6)

    assert caught.value.code == ReviewErrorCode.INVALID
    assert await review_rows(reviews) == 0
    assert await outbox_events(reviews) == []
