"""STYLE habit 4: the router's ``_entities`` batch costs the same SQL statements for 5 products
as for 20 — first pages of reviews (one windowed statement), review counts and ratings each come
from one request-scoped DataLoader batch. Resolving per product would make the count grow."""

from __future__ import annotations

import pytest

from shared.app import SubgraphApp
from subgraphs.catalog.domain.models import Product
from tests.catalog.support import CatalogUow, make_product
from tests.graphql_client import SubgraphClient
from tests.reviews.support import ReviewsUow, drain, write_review
from tests.sql_counting import counting_sql

PRODUCTS_REVIEWS_AND_RATINGS = """
query ProductsReviewsAndRatings($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Product {
      reviews(first: 3) { edges { node { rating title } } totalCount }
      rating { average count }
    }
  }
}
"""
# first pages of reviews (window function) · review counts (GROUP BY) · rating aggregates (IN)
STATEMENTS_PER_BATCH = 3


@pytest.fixture
async def seeded(
    catalog: SubgraphApp,
    reviews: SubgraphApp,
    catalog_uow: CatalogUow,
    reviews_uow: ReviewsUow,
) -> list[Product]:
    """24 published products with 1 to 5 reviews each, ratings counted."""
    products = [await make_product(catalog_uow, f"Product {i:02d}") for i in range(24)]
    await drain(catalog)
    for i, product in enumerate(products):
        for j in range(1 + i % 5):
            await write_review(reviews_uow, product.id, rating=1 + (i + j) % 5, title=f"r{j}")
    await drain(reviews)
    return products


async def test_an_entities_batch_costs_the_same_statements_for_5_and_for_20_products(
    reviews: SubgraphApp, client: SubgraphClient, seeded: list[Product]
) -> None:
    counted: dict[int, list[str]] = {}
    for n in (5, 20):
        representations = [{"__typename": "Product", "id": p.id} for p in seeded[:n]]
        with counting_sql(reviews.infra.database) as statements:
            result = await client.execute(
                PRODUCTS_REVIEWS_AND_RATINGS, {"representations": representations}
            )
        assert "errors" not in result, result
        entities = result["data"]["_entities"]
        assert len(entities) == n
        for i, entity in enumerate(entities):
            assert entity["reviews"]["totalCount"] == 1 + i % 5
            assert len(entity["reviews"]["edges"]) == min(3, 1 + i % 5)
            assert entity["rating"]["count"] == 1 + i % 5
        counted[n] = statements

    assert len(counted[5]) == len(counted[20]) == STATEMENTS_PER_BATCH, counted
