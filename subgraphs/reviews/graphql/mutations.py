"""Reviews mutations."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shared.auth import Permission
from shared.graphql.arguments import IdempotencyKey
from shared.graphql.permissions import HasPermission, requires
from subgraphs.reviews.domain.errors import ReviewError
from subgraphs.reviews.domain.models import ReviewStatus
from subgraphs.reviews.graphql.context import ReviewsContext
from subgraphs.reviews.graphql.inputs import ReviewCreateInput
from subgraphs.reviews.graphql.payloads import ReviewCreatePayload, ReviewUserError
from subgraphs.reviews.graphql.types import Review
from subgraphs.reviews.services.create_review import create_review
from subgraphs.reviews.services.moderate_review import moderate_review


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
                status=ReviewStatus.PENDING
                if info.context.moderation == "pre"
                else ReviewStatus.APPROVED,
            )
        except ReviewError as exc:
            return ReviewCreatePayload(review=None, user_errors=[ReviewUserError.from_domain(exc)])
        return ReviewCreatePayload(review=Review.from_model(review), user_errors=[])

    @strawberry.mutation(
        extensions=requires(HasPermission(Permission.MANAGE_REVIEWS)),
        description="Approve or reject a review (also one decided before).",
    )
    async def review_moderate(
        self,
        info: Info[ReviewsContext, None],
        review_id: strawberry.ID,
        approve: bool,
        note: str = "",
    ) -> ReviewCreatePayload:
        try:
            review = await moderate_review(
                info.context.unit_of_work(),
                review_id=str(review_id),
                approve=approve,
                note=note,
                actor=info.context.principal,
            )
        except ReviewError as exc:
            return ReviewCreatePayload(review=None, user_errors=[ReviewUserError.from_domain(exc)])
        return ReviewCreatePayload(review=Review.from_model(review), user_errors=[])
