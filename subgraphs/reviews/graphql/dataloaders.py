"""Request-scoped batch loaders of the reviews subgraph; each batch is one ``Database.read``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.orm import Session

from shared.graphql.dataloaders import DatabaseLoader
from shared.pagination import Page, PageRequest, PaginationError
from subgraphs.reviews.domain.models import RatingView, ReviewView
from subgraphs.reviews.repository import ReviewReader

# (product id, first, after cursor as the client sent it): hashable, unlike a PageRequest
ReviewsPageKey = tuple[str, int, str | None]


def _read_pages(
    session: Session, keys: Sequence[ReviewsPageKey]
) -> dict[ReviewsPageKey, Page[ReviewView] | PaginationError]:
    first_pages: dict[int, list[str]] = defaultdict(list)
    for product_id, first, after in keys:
        if after is None:
            first_pages[first].append(product_id)
    reader = ReviewReader(session)
    found: dict[ReviewsPageKey, Page[ReviewView] | PaginationError] = {}
    for first, product_ids in first_pages.items():
        for product_id, page in reader.first_pages(product_ids, first).items():
            found[(product_id, first, None)] = page
    for key in keys:
        if key not in found:
            product_id, first, after = key
            try:
                found[key] = reader.page_after(product_id, PageRequest.parse(first, after))
            except PaginationError as exc:  # fails this key only, not the batch
                found[key] = exc
    return found


class ReviewsPageLoader(DatabaseLoader[ReviewsPageKey, Page[ReviewView]]):
    """A page of reviews per (product, page request). First pages of many products come from
    one statement; later pages (with a cursor) are read one by one, in the same read."""

    async def batch_load_fn(self, keys: Sequence[ReviewsPageKey]) -> list[Page[ReviewView]]:
        found = await self.database.read(lambda s: _read_pages(s, keys))
        return [found[k] for k in keys]  # type: ignore[misc]  # aiodataloader raises exceptions


class ReviewCountLoader(DatabaseLoader[str, int]):
    async def batch_load_fn(self, keys: Sequence[str]) -> list[int]:
        counts = await self.database.read(lambda s: ReviewReader(s).counts(keys))
        return [counts.get(k, 0) for k in keys]


class RatingLoader(DatabaseLoader[str, RatingView | None]):
    async def batch_load_fn(self, keys: Sequence[str]) -> list[RatingView | None]:
        ratings = await self.database.read(lambda s: ReviewReader(s).ratings(keys))
        found = {r.product_id: r for r in ratings}
        return [found.get(k) for k in keys]


class ReviewByIdLoader(DatabaseLoader[str, ReviewView | None]):
    async def batch_load_fn(self, keys: Sequence[str]) -> list[ReviewView | None]:
        reviews = await self.database.read(lambda s: ReviewReader(s).by_ids(keys))
        found = {r.id: r for r in reviews}
        return [found.get(k) for k in keys]
