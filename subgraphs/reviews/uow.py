"""The reviews subgraph's unit of work."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from shared.uow import UnitOfWork
from subgraphs.reviews.repository import KnownProductRepository, RatingRepository, ReviewRepository


class ReviewsUnitOfWork(UnitOfWork):
    reviews: ReviewRepository
    ratings: RatingRepository
    products: KnownProductRepository

    def open_repositories(self, session: AsyncSession) -> None:
        self.reviews = ReviewRepository(session)
        self.ratings = RatingRepository(session)
        self.products = KnownProductRepository(session)
