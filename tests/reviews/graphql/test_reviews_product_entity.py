"""``Product.reviews`` and ``Product.rating`` through ``_entities``, as the router asks for them:
newest first, cursor pagination without gaps or duplicates, totalCount, limits."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from shared.app import SubgraphApp
from subgraphs.catalog.domain.models import Product
from tests.catalog.support import CatalogUow
from tests.graphql_client import SubgraphClient
from tests.reviews.support import ReviewsUow, drain, published_product, write_review

PRODUCT_REVIEWS = """
query ProductReviews($representations: [_Any!]!, $first: Int, $after: String) {
  _entities(representations: $representations) {
    ... on Product {
      id
      reviews(first: $first, after: $after) {
        edges { cursor node { id title rating product { id } } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        totalCount
      }
      rating { average count }
    }
  }
}
"""

# Only the field under test: when it fails, graphql-core answers without waiting for siblings'
# DataLoader batches (they finish in the background), which could outlive the test's engine.
PRODUCT_REVIEWS_ONLY = """
query ProductReviewsOnly($representations: [_Any!]!, $first: Int, $after: String) {
  _entities(representations: $representations) {
    ... on Product { reviews(first: $first, after: $after) { edges { cursor } totalCount } }
  }
}
"""


def ref(product_id: str) -> dict[str, str]:
    return {"__typename": "Product", "id": product_id}


async def reviews_page(
    client: SubgraphClient, product_id: str, *, first: int | None = None, after: str | None = None
) -> dict[str, Any]:
    variables: dict[str, Any] = {"representations": [ref(product_id)], "after": after}
    if first is not None:  # omitted here; an explicit null means the default too (tested below)
        variables["first"] = first
    result = await client.execute(PRODUCT_REVIEWS, variables)
    assert "errors" not in result, result
    connection: dict[str, Any] = result["data"]["_entities"][0]["reviews"]
    return connection


@pytest.fixture
async def reviewed(
    catalog: SubgraphApp,
    reviews: SubgraphApp,
    catalog_uow: CatalogUow,
    reviews_uow: ReviewsUow,
) -> tuple[Product, list[str]]:
    """A product with 7 reviews (titles 'review 0' … 'review 6', oldest first), and another
    product with reviews of its own, which must never show up."""
    product = await published_product(catalog, catalog_uow, "Oxford Shirt")
    other = await published_product(catalog, catalog_uow, "Mug")
    ids = []
    for i in range(7):
        ids.append((await write_review(reviews_uow, product.id, title=f"review {i}")).id)
        await write_review(reviews_uow, other.id, title=f"other {i}")
    await drain(reviews)
    return product, ids


async def test_reviews_come_newest_first_with_their_total(
    client: SubgraphClient, reviewed: tuple[Product, list[str]]
) -> None:
    product, ids = reviewed

    page = await reviews_page(client, product.id, first=100)

    assert [edge["node"]["id"] for edge in page["edges"]] == ids[::-1]
    assert [edge["node"]["title"] for edge in page["edges"]][:2] == ["review 6", "review 5"]
    assert {edge["node"]["product"]["id"] for edge in page["edges"]} == {product.id}
    assert page["totalCount"] == 7
    assert page["pageInfo"]["hasNextPage"] is False


@pytest.mark.parametrize("page_size", [1, 2, 3, 7])
async def test_walking_the_pages_lists_every_review_once(
    client: SubgraphClient, reviewed: tuple[Product, list[str]], page_size: int
) -> None:
    product, ids = reviewed

    seen: list[str] = []
    after: str | None = None
    while True:
        page = await reviews_page(client, product.id, first=page_size, after=after)
        seen += [edge["node"]["id"] for edge in page["edges"]]
        assert page["totalCount"] == 7
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        assert len(page["edges"]) <= page_size
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
        assert after == page["edges"][-1]["cursor"]

    assert seen == ids[::-1]


async def test_first_defaults_to_ten(
    catalog: SubgraphApp,
    reviews: SubgraphApp,
    catalog_uow: CatalogUow,
    reviews_uow: ReviewsUow,
    client: SubgraphClient,
) -> None:
    product = await published_product(catalog, catalog_uow, "Oxford Shirt")
    for i in range(11):
        await write_review(reviews_uow, product.id, title=f"review {i}")

    page = await reviews_page(client, product.id)

    assert len(page["edges"]) == 10
    assert page["pageInfo"]["hasNextPage"] is True

    explicit_null = await client.execute(
        PRODUCT_REVIEWS, {"representations": [ref(product.id)], "first": None}
    )
    assert len(explicit_null["data"]["_entities"][0]["reviews"]["edges"]) == 10


async def test_a_product_without_reviews_has_an_empty_page_and_a_zero_rating(
    catalog: SubgraphApp, catalog_uow: CatalogUow, reviews: SubgraphApp, client: SubgraphClient
) -> None:
    product = await published_product(catalog, catalog_uow, "Unreviewed")

    result = await client.execute(PRODUCT_REVIEWS, {"representations": [ref(product.id)]})

    assert result == {
        "data": {
            "_entities": [
                {
                    "id": product.id,
                    "reviews": {
                        "edges": [],
                        "pageInfo": {
                            "hasNextPage": False,
                            "hasPreviousPage": False,
                            "startCursor": None,
                            "endCursor": None,
                        },
                        "totalCount": 0,
                    },
                    "rating": {"average": "0", "count": 0},
                }
            ]
        }
    }


async def test_several_products_in_one_request_each_get_their_own_reviews(
    client: SubgraphClient, reviewed: tuple[Product, list[str]]
) -> None:
    product, ids = reviewed

    result = await client.execute(
        PRODUCT_REVIEWS,
        {"representations": [ref(product.id), ref("unknown"), ref(product.id)], "first": 2},
    )

    first, unknown, again = result["data"]["_entities"]
    assert [edge["node"]["id"] for edge in first["reviews"]["edges"]] == ids[:-3:-1]
    assert unknown["reviews"]["edges"] == []
    assert unknown["rating"] == {"average": "0", "count": 0}
    assert again == first


@pytest.mark.parametrize("first", [101, -1])
async def test_first_out_of_range_is_a_bad_user_input(
    client: SubgraphClient, reviewed: tuple[Product, list[str]], first: int
) -> None:
    product, _ = reviewed

    result = await client.execute(
        PRODUCT_REVIEWS_ONLY, {"representations": [ref(product.id)], "first": first}
    )

    assert [e["extensions"]["code"] for e in result["errors"]] == ["BAD_USER_INPUT"]
    assert result["errors"][0]["extensions"]["field"] == "first"


@pytest.mark.parametrize(
    "after",
    [
        "garbage!",
        base64.urlsafe_b64encode(b"[1]").decode(),  # a list, but not (created_at, id)
        base64.urlsafe_b64encode(b'["yesterday", "x"]').decode(),
    ],
)
async def test_a_cursor_we_did_not_issue_is_a_bad_user_input(
    client: SubgraphClient, reviewed: tuple[Product, list[str]], after: str
) -> None:
    product, _ = reviewed

    result = await client.execute(
        PRODUCT_REVIEWS_ONLY, {"representations": [ref(product.id)], "first": 2, "after": after}
    )

    assert [e["extensions"]["code"] for e in result["errors"]] == ["BAD_USER_INPUT"]
    assert result["errors"][0]["extensions"]["field"] == "after"
