"""Reviews queries."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shared.auth import Permission
from shared.graphql.errors import PublicError
from shared.graphql.permissions import HasPermission, requires
from shared.graphql.types import Connection
from shared.pagination import PageRequest, PaginationError
from subgraphs.reviews.domain.models import ReviewStatus
from subgraphs.reviews.graphql.context import ReviewsContext
from subgraphs.reviews.graphql.dataloaders import ReviewByIdLoader
from subgraphs.reviews.graphql.types import Review, ReviewStatusEnum, can_see
from subgraphs.reviews.repository import ReviewReader


@strawberry.type(name="Query")
class ReviewsQuery:
    @strawberry.field(description="One review by id.")
    async def review(self, info: Info[ReviewsContext, None], id: strawberry.ID) -> Review | None:
        model = await info.context.loaders.get(ReviewByIdLoader).load(str(id))
        if model is None or not can_see(model, info.context.principal):
            return None
        return Review.from_model(model)

    @strawberry.field(
        extensions=requires(HasPermission(Permission.MANAGE_REVIEWS)),
        description="The moderation queue: reviews in a status (PENDING by default), oldest first.",
    )
    async def reviews_for_moderation(
        self,
        info: Info[ReviewsContext, None],
        status: ReviewStatusEnum = ReviewStatus.PENDING,  # type: ignore[valid-type]
        first: int | None = 20,
        after: str | None = None,
    ) -> Connection[Review]:
        try:
            request = PageRequest.parse(first, after)
            page = await info.context.db().read(
                lambda s: ReviewReader(s).by_status(str(ReviewStatus(status).value), request)
            )
        except PaginationError as exc:
            raise PublicError(str(exc), code="BAD_USER_INPUT", field=exc.field) from exc
        return Connection.from_page(page, Review.from_model)
