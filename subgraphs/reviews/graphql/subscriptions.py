"""Reviews subscriptions: live events for the admin, fed by the bus (every process sees them)."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry
from strawberry.types import Info

from subgraphs.reviews.graphql.context import ReviewsContext
from subgraphs.reviews.graphql.types import Review


@strawberry.type(name="Subscription")
class ReviewsSubscription:
    @strawberry.subscription(description="Reviews as they are posted, of one product or of all.")
    async def review_posted(
        self, info: Info[ReviewsContext, None], product_id: strawberry.ID | None = None
    ) -> AsyncGenerator[Review, None]:
        async for envelope in info.context.event_bus().listen(["ReviewPosted"]):
            payload = envelope.payload
            if product_id is not None and payload["product_id"] != str(product_id):
                continue
            yield Review(
                id=strawberry.ID(str(payload["review_id"])),
                rating=int(payload["rating"]),
                title=str(payload["title"]),
                body=str(payload["body"]),
                author_name=str(payload["author_name"]),
                created_at=datetime.fromisoformat(str(payload["created_at"])),
                product_id=str(payload["product_id"]),
            )
