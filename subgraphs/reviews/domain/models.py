"""Reviews tables and their rules."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from sqlalchemy import Column, Index
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from shared.db import new_metadata
from shared.messaging_tables import define_messaging_tables
from shared.sql import UtcDateTime
from subgraphs.reviews.domain.errors import ReviewError, ReviewErrorCode
from subgraphs.reviews.domain.events import ReviewPosted

metadata = new_metadata()
messaging = define_messaging_tables(metadata)
MAX_TITLE = 120
MAX_BODY = 5000
MAX_AUTHOR = 80
MAX_NOTE = 500
ERASED_AUTHOR = "Former customer"


class ReviewStatus(StrEnum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"


class ReviewsTable(SQLModel, registry=registry(metadata=metadata)):
    """Base of the reviews subgraph's tables."""


def now() -> datetime:
    return datetime.now(UTC)


class Review(ReviewsTable, table=True):
    __tablename__ = "reviews"
    __table_args__ = (Index("ix_reviews_product_created", "product_id", "created_at", "id"),)

    id: str = Field(default_factory=lambda: str(uuid.uuid4()), primary_key=True, max_length=36)
    product_id: str = Field(max_length=36)
    rating: int
    title: str = Field(max_length=MAX_TITLE)
    body: str = ""
    author_name: str = Field(max_length=MAX_AUTHOR)
    customer_id: str | None = Field(default=None, max_length=36, index=True)
    """The signed-in customer who wrote it (personal data: unlinked when they erase their account)."""
    created_at: datetime = Field(
        default_factory=now, sa_column=Column(UtcDateTime(), nullable=False)
    )
    status: str = Field(default=ReviewStatus.APPROVED.value, max_length=12, index=True)
    moderated_at: datetime | None = Field(
        default=None, sa_column=Column(UtcDateTime(), nullable=True)
    )
    moderated_by: str | None = Field(default=None, max_length=80)
    moderation_note: str = Field(default="", max_length=500)

    @classmethod
    def write(
        cls,
        *,
        product_id: str,
        rating: int,
        title: str,
        body: str,
        author_name: str,
        customer_id: str | None = None,
        status: ReviewStatus = ReviewStatus.APPROVED,
    ) -> tuple[Review, ReviewPosted]:
        """A new review, checked, and the event that records it."""
        if not 1 <= rating <= 5:
            raise ReviewError(ReviewErrorCode.INVALID, "Rating is 1 to 5 stars.", field="rating")
        title = " ".join(title.split())
        if not title:
            raise ReviewError(ReviewErrorCode.REQUIRED, "Give the review a title.", field="title")
        if len(title) > MAX_TITLE:
            raise ReviewError(
                ReviewErrorCode.INVALID, f"Title is at most {MAX_TITLE} characters.", field="title"
            )
        body = body.strip()
        if len(body) > MAX_BODY:
            raise ReviewError(
                ReviewErrorCode.INVALID, f"Review is at most {MAX_BODY} characters.", field="body"
            )
        author_name = " ".join(author_name.split())
        if not author_name:
            raise ReviewError(ReviewErrorCode.REQUIRED, "Give your name.", field="authorName")
        if len(author_name) > MAX_AUTHOR:
            raise ReviewError(
                ReviewErrorCode.INVALID,
                f"Name is at most {MAX_AUTHOR} characters.",
                field="authorName",
            )
        review = cls(
            product_id=product_id,
            rating=rating,
            title=title,
            body=body,
            author_name=author_name,
            customer_id=customer_id,
            status=status.value,
        )
        return review, ReviewPosted(
            review_id=review.id,
            product_id=product_id,
            rating=rating,
            title=title,
            body=body,
            author_name=author_name,
            created_at=review.created_at.isoformat(),
            status=status.value,
        )


@dataclass(frozen=True, slots=True)
class ReviewView:
    """A review as read for display: a plain row, no ORM state (review lists are hot)."""

    id: str
    product_id: str
    rating: int
    title: str
    body: str
    author_name: str
    created_at: datetime
    status: str
    customer_id: str | None


@dataclass(frozen=True, slots=True)
class RatingView:
    """A product's rating aggregate as read for display."""

    product_id: str
    count: int
    total: int

    @property
    def average(self) -> Decimal:
        return average_rating(self.total, self.count)


def average_rating(total: int, count: int) -> Decimal:
    """Mean of the stars, 2 decimals, half up; 0 when there are none."""
    if count == 0:
        return Decimal("0")
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class ProductRating(ReviewsTable, table=True):
    """The rating aggregate of one product, maintained by the ReviewPosted consumer."""

    __tablename__ = "product_ratings"

    product_id: str = Field(primary_key=True, max_length=36)
    count: int = 0
    total: int = 0

    @property
    def average(self) -> Decimal:
        return average_rating(self.total, self.count)


class KnownProduct(ReviewsTable, table=True):
    """Products reviews may be written for, learnt from the catalog's ProductUpserted events."""

    __tablename__ = "known_products"

    product_id: str = Field(primary_key=True, max_length=36)
    name: str = Field(max_length=250)
    published: bool = False
    as_of: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
