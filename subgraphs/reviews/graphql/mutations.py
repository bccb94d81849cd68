"""Reviews mutations."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shared.graphql.arguments import IdempotencyKey
from subgraphs.reviews.domain.errors import ReviewError
from subgraphs.reviews.graphql.context import ReviewsContext
from subgraphs.reviews.graphql.inputs import ReviewCreateInput
from subgraphs.reviews.graphql.payloads import ReviewCreatePayload, ReviewUserError
from subgraphs.reviews.graphql.types import Review
from subgraphs.reviews.services.create_review import create_review


@strawberry.type(name="Mutation")
class ReviewsMutation:
    @strawberry.mutation(description="Write a review of a published product.")
    async def review_create(
        self,
        info: Info[ReviewsContext, None],
        input: ReviewCreateInput,
        idempotency_key: IdempotencyKey = None,
    ) -> ReviewCreatePayload:
        try:
            review = await create_review(
                info.context.unit_of_work(),
                product_id=str(input.product_id),
                rating=input.rating,
                title=input.title,
                body=input.body,
                author_name=input.author_name,
                actor=info.context.principal,
                idempotency_key=idempotency_key,
            )
        except ReviewError as exc:
            return ReviewCreatePayload(review=None, user_errors=[ReviewUserError.from_domain(exc)])
        return ReviewCreatePayload(review=Review.from_model(review), user_errors=[])
