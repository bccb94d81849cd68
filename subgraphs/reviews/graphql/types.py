"""Reviews GraphQL types; ``Product`` is the catalog's entity, extended with reviews and rating."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry.types import Info

from shared.auth import Permission, Principal
from shared.graphql.dataloaders import then
from shared.graphql.errors import PublicError
from shared.graphql.selection import selects
from shared.graphql.types import Connection
from shared.pagination import PageRequest, PaginationError
from subgraphs.reviews.domain.models import RatingView, ReviewStatus, ReviewView
from subgraphs.reviews.domain.models import Review as ReviewModel
from subgraphs.reviews.graphql.context import ReviewsContext
from subgraphs.reviews.graphql.dataloaders import (
    RatingLoader,
    ReviewByIdLoader,
    ReviewCountLoader,
    ReviewsPageLoader,
)

REVIEWS_PAGE_SIZE = 10
ReviewStatusEnum = strawberry.enum(ReviewStatus, name="ReviewStatus", description="Moderation.")


def can_see(model: ReviewModel | ReviewView, principal: Principal) -> bool:
    """Published reviews to all; others to staff with MANAGE_REVIEWS and to their author."""
    if model.status == ReviewStatus.APPROVED:
        return True
    if principal.has(Permission.MANAGE_REVIEWS):
        return True
    return model.customer_id is not None and principal.is_customer_id(model.customer_id)


@strawberry.federation.type(keys=["id"], description="A shopper's review of a product.")
class Review:
    id: strawberry.ID
    rating: int = strawberry.field(description="1 to 5 stars.")
    title: str
    body: str
    author_name: str
    created_at: datetime
    status: ReviewStatusEnum = strawberry.field(  # type: ignore[valid-type]
        description="PENDING until approved when the shop moderates first; REJECTED is shown "
        "to nobody but staff and the author."
    )
    product_id: strawberry.Private[str]
    customer_id: strawberry.Private[str | None] = None

    @classmethod
    def from_model(cls, model: ReviewModel | ReviewView) -> Review:
        return cls(
            id=strawberry.ID(model.id),
            rating=model.rating,
            title=model.title,
            body=model.body,
            author_name=model.author_name,
            created_at=model.created_at,
            status=ReviewStatus(model.status),
            product_id=model.product_id,
            customer_id=model.customer_id,
        )

    @strawberry.field(description="The reviewed product.")
    def product(self) -> Product:
        return Product(id=strawberry.ID(self.product_id))

    @classmethod
    async def resolve_reference(
        cls, info: Info[ReviewsContext, None], id: strawberry.ID
    ) -> Review | None:
        model = await info.context.loaders.get(ReviewByIdLoader).load(str(id))
        return cls.from_model(model) if model and can_see(model, info.context.principal) else None


@strawberry.type(description="The rating summary of a product.")
class Rating:
    average: Decimal = strawberry.field(description="Mean of the stars, 2 decimals; 0 when none.")
    count: int = strawberry.field(description="Number of ratings.")

    @classmethod
    def of(cls, aggregate: RatingView | None) -> Rating:
        if aggregate is None:
            return cls(average=Decimal("0"), count=0)
        return cls(average=aggregate.average, count=aggregate.count)


@strawberry.federation.type(keys=["id"], description="A product, as the reviews subgraph knows it.")
class Product:
    id: strawberry.ID

    @strawberry.field(description="Reviews, newest first (first ≤ 100).")
    async def reviews(
        self,
        info: Info[ReviewsContext, None],
        first: int | None = REVIEWS_PAGE_SIZE,
        after: str | None = None,
    ) -> Connection[Review]:
        try:
            request = PageRequest.parse(first, after, default=REVIEWS_PAGE_SIZE)
        except PaginationError as exc:
            raise PublicError(str(exc), code="BAD_USER_INPUT", field=exc.field) from exc
        key = (str(self.id), request.first, after or None)
        try:
            page = await info.context.loaders.get(ReviewsPageLoader).load(key)
        except PaginationError as exc:  # a cursor that decodes but is not one of ours
            raise PublicError(str(exc), code="BAD_USER_INPUT", field=exc.field) from exc
        total = (
            await info.context.loaders.get(ReviewCountLoader).load(str(self.id))
            if selects(info, "totalCount")
            else None
        )
        return Connection.from_page(page, Review.from_model, total_count=total)

    @strawberry.field(description="Average stars and number of ratings.")
    def rating(self, info: Info[ReviewsContext, None]) -> Rating:
        loaded = info.context.loaders.get(RatingLoader).load(str(self.id))
        return then(loaded, Rating.of)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Product:
        return cls(id=id)
