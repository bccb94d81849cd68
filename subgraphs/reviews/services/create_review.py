"""Use case: a shopper writes a review of a published product. It is published at once
(``AGORA_REVIEWS_MODERATION=post``, the default) or held PENDING until staff approve it
(``pre``)."""

from __future__ import annotations

from collections.abc import Callable

from shared.auth import ANONYMOUS, Principal
from shared.idempotency import IdempotencyError, IdempotentRequest
from subgraphs.reviews.domain.errors import ReviewError, ReviewErrorCode
from subgraphs.reviews.domain.models import Review, ReviewStatus
from subgraphs.reviews.uow import ReviewsUnitOfWork

OPERATION = "reviewCreate"  # scopes idempotency keys


async def create_review(
    uow_factory: Callable[[], ReviewsUnitOfWork],
    *,
    product_id: str,
    rating: int,
    title: str,
    body: str,
    author_name: str,
    actor: Principal = ANONYMOUS,
    idempotency_key: str | None = None,
    status: ReviewStatus = ReviewStatus.APPROVED,
) -> Review:
    """With ``idempotency_key``, a retry by the same caller with the same review returns the first
    review again instead of posting a second one."""
    review, posted = Review.write(
        product_id=product_id,
        rating=rating,
        title=title,
        body=body,
        author_name=author_name,
        customer_id=actor.id if actor.is_customer else None,
        status=status,
    )
    async with uow_factory() as uow:
        try:
            request = IdempotentRequest.of(
                idempotency_key,
                operation=OPERATION,
                caller=actor,
                data={
                    "product_id": product_id,
                    "rating": rating,
                    "title": title,
                    "body": body,
                    "author_name": author_name,
                },
            )
            replay = await uow.claim_idempotency_key(request)
        except IdempotencyError as exc:
            raise ReviewError.from_idempotency(exc) from exc
        if replay is not None:
            found = await uow.reviews.by_ids([str(replay["review_id"])])
            if not found:  # reviews are never deleted yet; moderation will need a code here
                raise RuntimeError("the review of a stored idempotency key is gone")
            await uow.commit()  # nothing to write; a rollback would expire the loaded fields
            return found[0]
        product = await uow.products.get(product_id)
        if product is None or not product.published:
            raise ReviewError(
                ReviewErrorCode.PRODUCT_NOT_FOUND, "No such product.", field="productId"
            )
        uow.reviews.add(review)
        uow.record(posted)
        await uow.commit(idempotent_response={"review_id": review.id})
    return review
