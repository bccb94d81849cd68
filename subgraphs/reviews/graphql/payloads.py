"""Reviews mutation payloads."""

from __future__ import annotations

import strawberry

from shared.graphql.types import UserError
from subgraphs.reviews.domain.errors import ReviewError, ReviewErrorCode
from subgraphs.reviews.graphql.types import Review

ReviewErrorCodeEnum = strawberry.enum(
    ReviewErrorCode, name="ReviewErrorCode", description="Why a review mutation refused its input."
)


@strawberry.type(description="A problem with a review mutation's input.")
class ReviewUserError(UserError):
    code: ReviewErrorCodeEnum  # type: ignore[valid-type]

    @classmethod
    def from_domain(cls, error: ReviewError) -> ReviewUserError:
        return cls(
            field=[error.field] if error.field else None, message=error.message, code=error.code
        )


@strawberry.type(description="The posted review, or why it was not posted.")
class ReviewCreatePayload:
    review: Review | None
    user_errors: list[ReviewUserError]
