"""Use case: a shopper writes a review of a published product."""

from __future__ import annotations

from collections.abc import Callable

from subgraphs.reviews.domain.errors import ReviewError, ReviewErrorCode
from subgraphs.reviews.domain.models import Review
from subgraphs.reviews.uow import ReviewsUnitOfWork


async def create_review(
    uow_factory: Callable[[], ReviewsUnitOfWork],
    *,
    product_id: str,
    rating: int,
    title: str,
    body: str,
    author_name: str,
) -> Review:
    review, posted = Review.write(
        product_id=product_id, rating=rating, title=title, body=body, author_name=author_name
    )
    async with uow_factory() as uow:
        product = await uow.products.get(product_id)
        if product is None or not product.published:
            raise ReviewError(
                ReviewErrorCode.PRODUCT_NOT_FOUND, "No such product.", field="productId"
            )
        uow.reviews.add(review)
        uow.record(posted)
        await uow.commit()
    return review
