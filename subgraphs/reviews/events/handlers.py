"""What the reviews subgraph does with events. Registered in ``HANDLERS``; each is idempotent
because ``shared.consumer.idempotent`` claims the inbox row in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.consumer import EventHandler
from shared.events import Envelope
from shared.gdpr import gdpr_handlers
from subgraphs.reviews.domain.models import ERASED_AUTHOR
from subgraphs.reviews.services.moderate_review import rating_delta
from subgraphs.reviews.uow import ReviewsUnitOfWork


async def count_rating(uow: ReviewsUnitOfWork, envelope: Envelope) -> None:
    """ReviewPosted → the product's rating aggregate counts one more rating, if the review is
    published (a PENDING one counts once approved)."""
    if envelope.payload.get("status", "APPROVED") != "APPROVED":
        return
    await uow.ratings.add_rating(
        str(envelope.payload["product_id"]), int(envelope.payload["rating"])
    )


async def recount_rating(uow: ReviewsUnitOfWork, envelope: Envelope) -> None:
    """ReviewModerated → the rating is added when a review becomes APPROVED, taken off when an
    APPROVED one is rejected (deltas: right in any order of delivery)."""
    payload = envelope.payload
    sign = rating_delta(str(payload["previous_status"]), str(payload["status"]))
    if sign:
        await uow.ratings.add_rating(str(payload["product_id"]), int(payload["rating"]), sign)


async def remember_product(uow: ReviewsUnitOfWork, envelope: Envelope) -> None:
    """ProductUpserted (catalog) → reviews may be written for published products."""
    payload = envelope.payload
    await uow.products.remember(
        str(payload["product_id"]),
        name=str(payload["name"]),
        published=payload["status"] == "PUBLISHED",
        as_of=envelope.occurred_at,
    )


async def collect_personal_data(uow: ReviewsUnitOfWork, customer_id: str) -> dict[str, Any]:
    """DataExportRequested (accounts) → the reviews the customer wrote."""
    reviews = await uow.reviews.of_customer(customer_id)
    return {
        "reviews": [
            {
                "id": r.id,
                "product_id": r.product_id,
                "rating": r.rating,
                "title": r.title,
                "body": r.body,
                "author_name": r.author_name,
                "created_at": r.created_at.isoformat(),
            }
            for r in reviews
        ]
    }


async def anonymize_customer(uow: ReviewsUnitOfWork, customer_id: str) -> None:
    """CustomerDeleted (accounts) → reviews stay (text, rating) without the author's link or name."""
    await uow.reviews.unlink_customer(customer_id, author_name=ERASED_AUTHOR)


HANDLERS: Mapping[str, EventHandler[ReviewsUnitOfWork]] = {
    "ReviewPosted": count_rating,
    "ReviewModerated": recount_rating,
    "ProductUpserted": remember_product,
    **gdpr_handlers("reviews", collect=collect_personal_data, anonymize=anonymize_customer),
}
