"""Reviews input types."""

from __future__ import annotations

import strawberry


@strawberry.input(description="A new review.")
class ReviewCreateInput:
    product_id: strawberry.ID
    rating: int = strawberry.field(description="1 to 5 stars.")
    title: str
    author_name: str = strawberry.field(description="Shown with the review.")
    body: str = ""
