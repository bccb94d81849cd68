"""Reviews queries."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from subgraphs.reviews.graphql.context import ReviewsContext
from subgraphs.reviews.graphql.dataloaders import ReviewByIdLoader
from subgraphs.reviews.graphql.types import Review


@strawberry.type(name="Query")
class ReviewsQuery:
    @strawberry.field(description="One review by id.")
    async def review(self, info: Info[ReviewsContext, None], id: strawberry.ID) -> Review | None:
        model = await info.context.loaders.get(ReviewByIdLoader).load(str(id))
        return Review.from_model(model) if model else None
