"""``reviewCreate`` with ``idempotencyKey``: a retry replays the first review (one row, one
ReviewPosted), other input with the key is IDEMPOTENCY_KEY_REUSED, keys belong to their caller,
a malformed key is a user error, and concurrent retries post one review."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from shared.app import SubgraphApp
from shared.auth import Principal
from subgraphs.catalog.domain.models import Product
from subgraphs.reviews.domain.models import Review
from tests.catalog.support import CatalogUow, outbox_events
from tests.graphql_client import STAFF, SubgraphClient
from tests.reviews.support import published_product

REVIEW_CREATE = """
mutation ReviewCreate($input: ReviewCreateInput!, $key: String) {
  reviewCreate(input: $input, idempotencyKey: $key) {
    review { id rating title body authorName createdAt product { id } }
    userErrors { field message code }
  }
}
"""
KEY = "b7e1c3f4-2a9d-4c8e-8f61-5d0a9e3b2c17"


@pytest.fixture
async def product(catalog: SubgraphApp, reviews: SubgraphApp, catalog_uow: CatalogUow) -> Product:
    return await published_product(catalog, catalog_uow, "Oxford Shirt")


async def post(
    client: SubgraphClient,
    product: Product,
    key: str | None,
    *,
    principal: Principal | None = None,
    **changes: Any,
) -> dict[str, Any]:
    review = {"productId": product.id, "rating": 5, "title": "Love it", "authorName": "Ada"}
    result = await client.execute(
        REVIEW_CREATE, {"input": {**review, **changes}, "key": key}, principal=principal
    )
    assert "errors" not in result, result
    payload: dict[str, Any] = result["data"]["reviewCreate"]
    return payload


async def review_rows(reviews: SubgraphApp) -> int:
    async with reviews.infra.database.session() as session:
        return await session.scalar(select(func.count()).select_from(Review)) or 0


def same_review(first: dict[str, Any], retry: dict[str, Any]) -> bool:
    """Equal reviews; ``createdAt`` as the same instant: on SQLite a review read back has lost
    its UTC offset (the read path's business, not idempotency's)."""

    def instant(text: str) -> datetime:
        parsed = datetime.fromisoformat(text)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

    def rest(review: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in review.items() if k != "createdAt"}

    return rest(first) == rest(retry) and instant(first["createdAt"]) == instant(retry["createdAt"])


def codes(payload: dict[str, Any]) -> list[tuple[list[str] | None, str]]:
    return [(e["field"], e["code"]) for e in payload["userErrors"]]


async def test_a_retried_review_returns_the_first_one(
    reviews: SubgraphApp, client: SubgraphClient, product: Product
) -> None:
    first = await post(client, product, KEY)
    retry = await post(client, product, KEY)

    assert first["userErrors"] == retry["userErrors"] == []
    assert same_review(first["review"], retry["review"])
    assert await review_rows(reviews) == 1
    assert [t for t, _ in await outbox_events(reviews)] == ["ReviewPosted"]


async def test_the_key_with_another_review_is_refused(
    reviews: SubgraphApp, client: SubgraphClient, product: Product
) -> None:
    await post(client, product, KEY)

    other = await post(client, product, KEY, rating=1)

    assert other["review"] is None
    assert codes(other) == [(["idempotencyKey"], "IDEMPOTENCY_KEY_REUSED")]
    assert await review_rows(reviews) == 1
    assert len(await outbox_events(reviews)) == 1


async def test_the_same_key_of_two_callers_posts_two_reviews(
    reviews: SubgraphApp, client: SubgraphClient, product: Product
) -> None:
    anonymous = await post(client, product, KEY)
    staff = await post(client, product, KEY, principal=STAFF)

    assert anonymous["userErrors"] == staff["userErrors"] == []
    assert anonymous["review"]["id"] != staff["review"]["id"]
    assert await review_rows(reviews) == 2


async def test_refused_input_does_not_use_the_key_up(
    reviews: SubgraphApp, client: SubgraphClient, product: Product
) -> None:
    refused = await post(client, product, KEY, title="   ")
    assert codes(refused) == [(["title"], "REQUIRED")]

    again = await post(client, product, KEY, title="   ")  # the same input: refused again
    assert codes(again) == [(["title"], "REQUIRED")]
    fixed = await post(client, product, KEY)

    assert fixed["userErrors"] == []
    assert await review_rows(reviews) == 1


@pytest.mark.parametrize(
    "key",
    ["", "k" * 256, "ключ", "tab\tkey"],
    ids=["empty", "too-long", "non-ascii", "control-character"],
)
async def test_a_malformed_key_is_a_user_error(
    reviews: SubgraphApp, client: SubgraphClient, product: Product, key: str
) -> None:
    payload = await post(client, product, key)

    assert payload["review"] is None
    assert codes(payload) == [(["idempotencyKey"], "INVALID")]
    assert await review_rows(reviews) == 0
    assert await outbox_events(reviews) == []


async def test_without_a_key_a_repeated_review_is_posted_again(
    reviews: SubgraphApp, client: SubgraphClient, product: Product
) -> None:
    await post(client, product, None)
    await post(client, product, None)

    assert await review_rows(reviews) == 2


async def test_concurrent_retries_post_one_review(
    reviews: SubgraphApp, client: SubgraphClient, product: Product
) -> None:
    payloads = await asyncio.gather(*(post(client, product, KEY) for _ in range(10)))

    assert all(p["userErrors"] == [] for p in payloads), payloads
    assert all(same_review(payloads[0]["review"], p["review"]) for p in payloads)
    assert await review_rows(reviews) == 1
    assert [t for t, _ in await outbox_events(reviews)] == ["ReviewPosted"]
