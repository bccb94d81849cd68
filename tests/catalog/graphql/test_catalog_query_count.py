"""STYLE habit 4: the number of SQL statements of a products page does not grow with its size.

Every relation (category, variants) goes through a request-scoped DataLoader, so a page of 5
and a page of 20 products each cost the same few statements: the page, the categories and the
variants. If someone resolves a relation per product, the count for 20 jumps and this fails.
"""

from __future__ import annotations

import pytest

from shared.app import SubgraphApp
from tests.catalog.support import CatalogUow, Tree, make_product
from tests.graphql_client import SubgraphClient
from tests.sql_counting import counting_sql

PRODUCTS_WITH_RELATIONS = """
query ProductsWithRelations($first: Int!) {
  products(first: $first) {
    edges {
      node {
        id name
        price { amount }
        category { name }
        variants { sku price { amount } }
      }
    }
  }
}
"""
# the page of products · the categories of the page (one IN) · the variants of the page (one IN)
STATEMENTS_PER_PAGE = 3


@pytest.fixture
async def seeded(catalog_uow: CatalogUow, tree: Tree) -> None:
    categories = [tree.clothing, tree.shirts, tree.polos, tree.trousers, tree.home]
    for i in range(24):
        await make_product(
            catalog_uow,
            f"Product {i:02d}",
            price=f"{10 + i}.50",
            category=categories[i % len(categories)],
            skus=[f"P{i:02d}-S", f"P{i:02d}-M"],
        )


@pytest.mark.usefixtures("seeded")
async def test_a_products_page_costs_the_same_statements_for_5_and_for_20(
    catalog: SubgraphApp, client: SubgraphClient
) -> None:
    counted: dict[int, list[str]] = {}
    for first in (5, 20):
        with counting_sql(catalog.infra.database) as statements:
            result = await client.execute(PRODUCTS_WITH_RELATIONS, {"first": first})
        assert "errors" not in result, result
        edges = result["data"]["products"]["edges"]
        assert len(edges) == first
        assert all(edge["node"]["category"] is not None for edge in edges)
        assert all(len(edge["node"]["variants"]) == 2 for edge in edges)
        counted[first] = statements

    assert len(counted[5]) == len(counted[20]) == STATEMENTS_PER_PAGE, counted
