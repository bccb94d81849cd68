"""The reviews subgraph's only SQL. Repositories (async, in units of work) never commit;
readers (sync, inside ``Database.read``) serve GraphQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Table, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlmodel import col

from shared.pagination import Page, PageRequest, PaginationError, encode_cursor
from shared.sql import upsert, view_columns
from subgraphs.reviews.domain.models import (
    KnownProduct,
    ProductRating,
    RatingView,
    Review,
    ReviewStatus,
    ReviewView,
)

_ratings: Table = ProductRating.__table__  # type: ignore[attr-defined]
_known: Table = KnownProduct.__table__  # type: ignore[attr-defined]


def _cursor(review: ReviewView) -> str:
    return encode_cursor([review.created_at.isoformat(), review.id])


def _page(rows: list[ReviewView], request: PageRequest) -> Page[ReviewView]:
    items = rows[: request.first]
    return Page(
        items=items,
        cursors=[_cursor(r) for r in items],
        has_next_page=len(rows) > request.first,
        has_previous_page=request.after is not None,
    )


class ReviewRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, review: Review) -> None:
        self.session.add(review)

    async def by_ids(self, ids: Sequence[str]) -> list[Review]:
        statement = select(Review).where(col(Review.id).in_(list(ids)))
        return list((await self.session.execute(statement)).scalars())

    async def of_customer(self, customer_id: str) -> list[Review]:
        statement = (
            select(Review)
            .where(col(Review.customer_id) == customer_id)
            .order_by(col(Review.created_at), col(Review.id))
        )
        return list((await self.session.execute(statement)).scalars())

    async def get_for_update(self, review_id: str) -> Review | None:
        statement = select(Review).where(col(Review.id) == review_id).with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def unlink_customer(self, customer_id: str, *, author_name: str) -> None:
        """Keep the reviews, drop who wrote them (GDPR erasure)."""
        await self.session.execute(
            update(Review)
            .where(col(Review.customer_id) == customer_id)
            .values(customer_id=None, author_name=author_name)
        )


_reviews: Table = Review.__table__  # type: ignore[attr-defined]


_REVIEW_COLUMNS = view_columns(_reviews, ReviewView)


class ReviewReader:
    """Reads for GraphQL, inside ``Database.read``: plain views, no ORM state."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def by_ids(self, ids: Sequence[str]) -> list[ReviewView]:
        statement = select(*_REVIEW_COLUMNS).where(_reviews.c.id.in_(list(ids)))
        return [ReviewView(*row) for row in self.session.execute(statement).all()]

    def first_pages(self, product_ids: Sequence[str], first: int) -> dict[str, Page[ReviewView]]:
        """The newest ``first`` reviews of each product, in one statement (window function)."""
        c = _reviews.c
        request = PageRequest(first=first)
        rank = (
            func.row_number()
            .over(partition_by=c.product_id, order_by=(c.created_at.desc(), c.id.desc()))
            .label("rank")
        )
        ranked = (
            select(_reviews, rank)
            .where(c.product_id.in_(list(product_ids)), c.status == ReviewStatus.APPROVED.value)
            .subquery()
        )
        statement = (
            select(*(ranked.c[column.name] for column in _REVIEW_COLUMNS))
            .where(ranked.c.rank <= first + 1)
            .order_by(ranked.c.product_id, ranked.c.rank)
        )
        grouped: dict[str, list[ReviewView]] = {pid: [] for pid in product_ids}
        for row in self.session.execute(statement):
            grouped[row.product_id].append(ReviewView(*row))
        return {pid: _page(rows, request) for pid, rows in grouped.items()}

    def page_after(self, product_id: str, request: PageRequest) -> Page[ReviewView]:
        """A later page of one product's reviews (keyset on created_at, id; newest first)."""
        c = _reviews.c
        statement = select(*_REVIEW_COLUMNS).where(
            c.product_id == product_id, c.status == ReviewStatus.APPROVED.value
        )
        if request.after is not None:
            created_at, review_id = _created_id(request.after)
            statement = statement.where(
                or_(c.created_at < created_at, and_(c.created_at == created_at, c.id < review_id))
            )
        statement = statement.order_by(c.created_at.desc(), c.id.desc()).limit(request.first + 1)
        return _page([ReviewView(*row) for row in self.session.execute(statement).all()], request)

    def counts(self, product_ids: Sequence[str]) -> dict[str, int]:
        c = _reviews.c
        statement = (
            select(c.product_id, func.count())
            .where(c.product_id.in_(list(product_ids)), c.status == ReviewStatus.APPROVED.value)
            .group_by(c.product_id)
        )
        return {pid: int(n) for pid, n in self.session.execute(statement).all()}

    def by_status(self, status: str, request: PageRequest) -> Page[ReviewView]:
        """Reviews in a moderation status, oldest first (the moderation queue)."""
        c = _reviews.c
        statement = select(*_REVIEW_COLUMNS).where(c.status == status)
        if request.after is not None:
            created_at, review_id = _created_id(request.after)
            statement = statement.where(
                or_(c.created_at > created_at, and_(c.created_at == created_at, c.id > review_id))
            )
        statement = statement.order_by(c.created_at, c.id).limit(request.first + 1)
        return _page([ReviewView(*row) for row in self.session.execute(statement).all()], request)

    def ratings(self, product_ids: Sequence[str]) -> list[RatingView]:
        statement = select(_ratings).where(_ratings.c.product_id.in_(list(product_ids)))
        return [
            RatingView(product_id=row["product_id"], count=row["count"], total=row["total"])
            for row in self.session.execute(statement).mappings()
        ]


def _created_id(values: list[object]) -> tuple[datetime, str]:
    try:
        created, review_id = values
        assert isinstance(created, str)
        assert isinstance(review_id, str)
        return datetime.fromisoformat(created), review_id
    except (ValueError, AssertionError, TypeError) as exc:
        raise PaginationError("after is not a valid cursor", field="after") from exc


class RatingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_rating(self, product_id: str, rating: int, sign: int = 1) -> None:
        """Count one more rating (``sign`` -1: one less): a single atomic upsert, safe under
        concurrent consumers."""
        dialect = self.session.get_bind().dialect.name
        await self.session.execute(
            upsert(
                dialect,
                _ratings,
                {"product_id": product_id, "count": sign, "total": sign * rating},
                key=["product_id"],
                set_={
                    "count": _ratings.c.count + sign,
                    "total": _ratings.c.total + sign * rating,
                },
            )
        )


class KnownProductRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, product_id: str) -> KnownProduct | None:
        return await self.session.get(KnownProduct, product_id)

    async def remember(
        self, product_id: str, *, name: str, published: bool, as_of: datetime
    ) -> None:
        """Keep the newest state of a product; an older event arriving late changes nothing."""
        dialect = self.session.get_bind().dialect.name
        await self.session.execute(
            upsert(
                dialect,
                _known,
                {"product_id": product_id, "name": name, "published": published, "as_of": as_of},
                key=["product_id"],
                set_={"name": name, "published": published, "as_of": as_of},
                where=_known.c.as_of < as_of,
            )
        )
