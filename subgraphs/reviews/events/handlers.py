"""What the reviews subgraph does with events. Registered in ``HANDLERS``; each is idempotent
because ``shared.consumer.idempotent`` claims the inbox row in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping

from shared.consumer import EventHandler
from shared.events import Envelope
from subgraphs.reviews.uow import ReviewsUnitOfWork


async def count_rating(uow: ReviewsUnitOfWork, envelope: Envelope) -> None:
    """ReviewPosted → the product's rating aggregate counts one more rating."""
    await uow.ratings.add_rating(
        str(envelope.payload["product_id"]), int(envelope.payload["rating"])
    )


async def remember_product(uow: ReviewsUnitOfWork, envelope: Envelope) -> None:
    """ProductUpserted (catalog) → reviews may be written for published products."""
    payload = envelope.payload
    await uow.products.remember(
        str(payload["product_id"]),
        name=str(payload["name"]),
        published=payload["status"] == "PUBLISHED",
        as_of=envelope.occurred_at,
    )


HANDLERS: Mapping[str, EventHandler[ReviewsUnitOfWork]] = {
    "ReviewPosted": count_rating,
    "ProductUpserted": remember_product,
}
