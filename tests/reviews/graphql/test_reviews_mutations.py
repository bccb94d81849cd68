"""``reviewCreate`` in process: the review in the payload, or user errors with field and code."""

from __future__ import annotations

from typing import Any

import pytest

from shared.app import SubgraphApp
from subgraphs.catalog.domain.models import ProductStatus
from tests.catalog.support import CatalogUow, make_product, outbox_events
from tests.graphql_client import SubgraphClient
from tests.reviews.support import published_product

REVIEW_CREATE = """
mutation ReviewCreate($input: ReviewCreateInput!) {
  reviewCreate(input: $input) {
    review { id rating title body authorName createdAt product { id } }
    userErrors { field message code }
  }
}
"""
REVIEW = """
query Review($id: ID!) { review(id: $id) { id title rating } }
"""
REVIEW_ENTITIES = """
query ReviewEntities($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Review { id title } }
}
"""


def review_input(product_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "productId": product_id,
        "rating": 5,
        "title": "Love it",
        "authorName": "Ada",
        **changes,
    }


async def test_a_review_of_a_published_product_is_created(
    catalog: SubgraphApp,
    reviews: SubgraphApp,
    catalog_uow: CatalogUow,
    client: SubgraphClient,
) -> None:
    product = await published_product(catalog, catalog_uow, "Oxford Shirt")

    result = await client.execute(
        REVIEW_CREATE, {"input": review_input(product.id, body=" Fits well. ")}
    )

    payload = result["data"]["reviewCreate"]
    assert payload["userErrors"] == []
    review = payload["review"]
    assert {k: v for k, v in review.items() if k not in {"id", "createdAt"}} == {
        "rating": 5,
        "title": "Love it",
        "body": "Fits well.",
        "authorName": "Ada",
        "product": {"id": product.id},
    }
    assert [event_type for event_type, _ in await outbox_events(reviews)] == ["ReviewPosted"]
    assert await client.execute(REVIEW, {"id": review["id"]}) == {
        "data": {"review": {"id": review["id"], "title": "Love it", "rating": 5}}
    }
    found = await client.execute(
        REVIEW_ENTITIES,
        {
            "representations": [
                {"__typename": "Review", "id": review["id"]},
                {"__typename": "Review", "id": "nope"},
            ]
        },
    )
    assert found == {"data": {"_entities": [{"id": review["id"], "title": "Love it"}, None]}}


async def test_an_unknown_product_is_product_not_found(
    reviews: SubgraphApp, client: SubgraphClient
) -> None:
    result = await client.execute(REVIEW_CREATE, {"input": review_input("no-such-product")})

    assert result == {
        "data": {
            "reviewCreate": {
                "review": None,
                "userErrors": [
                    {
                        "field": ["productId"],
                        "message": "No such product.",
                        "code": "PRODUCT_NOT_FOUND",
                    }
                ],
            }
        }
    }
    assert await outbox_events(reviews) == []


async def test_a_draft_product_is_product_not_found(
    catalog: SubgraphApp, reviews: SubgraphApp, catalog_uow: CatalogUow, client: SubgraphClient
) -> None:
    draft = await published_product(catalog, catalog_uow, "Secret", status=ProductStatus.DRAFT)

    result = await client.execute(REVIEW_CREATE, {"input": review_input(draft.id)})

    assert [e["code"] for e in result["data"]["reviewCreate"]["userErrors"]] == [
        "PRODUCT_NOT_FOUND"
    ]


async def test_a_product_the_catalog_has_not_relayed_yet_is_product_not_found(
    catalog: SubgraphApp, reviews: SubgraphApp, catalog_uow: CatalogUow, client: SubgraphClient
) -> None:
    product = await make_product(catalog_uow, "Just Created")

    result = await client.execute(REVIEW_CREATE, {"input": review_input(product.id)})

    assert [e["code"] for e in result["data"]["reviewCreate"]["userErrors"]] == [
        "PRODUCT_NOT_FOUND"
    ]


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"rating": 0}, ["rating"], "INVALID"),
        ({"rating": 6}, ["rating"], "INVALID"),
        ({"title": "   "}, ["title"], "REQUIRED"),
        ({"title": "t" * 121}, ["title"], "INVALID"),
        ({"authorName": ""}, ["authorName"], "REQUIRED"),
        ({"authorName": "a" * 81}, ["authorName"], "INVALID"),
        ({"body": "b" * 5001}, ["body"], "INVALID"),
    ],
)
async def test_bad_input_is_returned_as_user_errors(
    catalog: SubgraphApp,
    reviews: SubgraphApp,
    catalog_uow: CatalogUow,
    client: SubgraphClient,
    changes: dict[str, Any],
    field: list[str],
    code: str,
) -> None:
    product = await published_product(catalog, catalog_uow, "Oxford Shirt")

    result = await client.execute(REVIEW_CREATE, {"input": review_input(product.id, **changes)})

    payload = result["data"]["reviewCreate"]
    assert payload["review"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(field, code)]
    assert await outbox_events(reviews) == []
