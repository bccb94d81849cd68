"""Request-scoped batch loaders of the reviews subgraph."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from shared.graphql.dataloaders import DatabaseLoader
from shared.pagination import Page, PageRequest, PaginationError
from subgraphs.reviews.domain.models import ProductRating, Review
from subgraphs.reviews.repository import RatingRepository, ReviewRepository

# (product id, first, after cursor as the client sent it): hashable, unlike a PageRequest
ReviewsPageKey = tuple[str, int, str | None]


class ReviewsPageLoader(DatabaseLoader[ReviewsPageKey, Page[Review]]):
    """A page of reviews per (product, page request). First pages of many products come from
    one statement; later pages (with a cursor) are read one by one."""

    async def batch_load_fn(self, keys: Sequence[ReviewsPageKey]) -> list[Page[Review]]:
        first_pages: dict[int, list[str]] = defaultdict(list)
        for product_id, first, after in keys:
            if after is None:
                first_pages[first].append(product_id)
        found: dict[ReviewsPageKey, Page[Review] | PaginationError] = {}
        async with self.database.session() as session:
            repo = ReviewRepository(session)
            for first, product_ids in first_pages.items():
                pages = await repo.first_pages(product_ids, first)
                for product_id, page in pages.items():
                    found[(product_id, first, None)] = page
            for key in keys:
                if key not in found:
                    product_id, first, after = key
                    try:
                        request = PageRequest.parse(first, after)
                        found[key] = await repo.page_after(product_id, request)
                    except PaginationError as exc:  # fails this key only, not the batch
                        found[key] = exc
        return [found[k] for k in keys]  # type: ignore[misc]  # aiodataloader raises exceptions


class ReviewCountLoader(DatabaseLoader[str, int]):
    async def batch_load_fn(self, keys: Sequence[str]) -> list[int]:
        async with self.database.session() as session:
            counts = await ReviewRepository(session).counts(keys)
        return [counts.get(k, 0) for k in keys]


class RatingLoader(DatabaseLoader[str, ProductRating | None]):
    async def batch_load_fn(self, keys: Sequence[str]) -> list[ProductRating | None]:
        async with self.database.session() as session:
            found = {r.product_id: r for r in await RatingRepository(session).by_product_ids(keys)}
        return [found.get(k) for k in keys]


class ReviewByIdLoader(DatabaseLoader[str, Review | None]):
    async def batch_load_fn(self, keys: Sequence[str]) -> list[Review | None]:
        async with self.database.session() as session:
            found = {r.id: r for r in await ReviewRepository(session).by_ids(keys)}
        return [found.get(k) for k in keys]
