"""Reviews subscriptions, fed by the bus (every process sees them): the public feed of published
reviews, and the moderation queue for staff."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping
from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from shared.auth import Permission
from shared.graphql.permissions import HasPermission, requires
from subgraphs.reviews.domain.models import ReviewStatus
from subgraphs.reviews.graphql.context import ReviewsContext
from subgraphs.reviews.graphql.dataloaders import ReviewByIdLoader
from subgraphs.reviews.graphql.types import Review


def _posted(payload: Mapping[str, Any]) -> Review:
    return Review(
        id=strawberry.ID(str(payload["review_id"])),
        rating=int(payload["rating"]),
        title=str(payload["title"]),
        body=str(payload["body"]),
        author_name=str(payload["author_name"]),
        created_at=datetime.fromisoformat(str(payload["created_at"])),
        status=ReviewStatus(str(payload.get("status") or "APPROVED")),
        product_id=str(payload["product_id"]),
    )


@strawberry.type(name="Subscription")
class ReviewsSubscription:
    @strawberry.subscription(
        description="Reviews as they are published (posted, or approved by moderation), of one "
        "product or of all."
    )
    async def review_posted(
        self, info: Info[ReviewsContext, None], product_id: strawberry.ID | None = None
    ) -> AsyncGenerator[Review, None]:
        async for envelope in info.context.event_bus().listen(["ReviewPosted", "ReviewModerated"]):
            payload = envelope.payload
            if product_id is not None and payload["product_id"] != str(product_id):
                continue
            if envelope.type == "ReviewPosted":
                if payload.get("status", "APPROVED") == ReviewStatus.APPROVED:
                    yield _posted(payload)
                continue
            if payload["status"] != ReviewStatus.APPROVED:
                continue
            loader = info.context.loaders.get(ReviewByIdLoader)
            loader.clear(str(payload["review_id"]))
            model = await loader.load(str(payload["review_id"]))
            if model is not None:
                yield Review.from_model(model)

    @strawberry.subscription(
        extensions=requires(HasPermission(Permission.MANAGE_REVIEWS)),
        description="New reviews awaiting moderation (staff with MANAGE_REVIEWS).",
    )
    async def review_moderation_queue(
        self, info: Info[ReviewsContext, None]
    ) -> AsyncGenerator[Review, None]:
        async for envelope in info.context.event_bus().listen(["ReviewPosted"]):
            if envelope.payload.get("status") == ReviewStatus.PENDING:
                yield _posted(envelope.payload)
