"""Review moderation: with AGORA_REVIEWS_MODERATION=pre a review waits (seen only by its author
and staff), staff approve or reject it (and change their mind), the rating counts only while a
review is approved — here and in search, whatever the order the events arrive in."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from shared.app import SubgraphApp
from shared.auth import Permission
from shared.bus.memory import InMemoryEventBus
from shared.events import Envelope
from subgraphs.reviews.domain.models import ProductRating
from subgraphs.search.domain.models import search_ratings
from tests.catalog.support import CatalogUow
from tests.conftest import SubgraphFactory
from tests.graphql_client import SubgraphClient, customer, staff
from tests.reviews.support import drain, published_product

CREATE = """mutation($input: ReviewCreateInput!) { reviewCreate(input: $input) {
  review { id status } userErrors { code } } }"""
REVIEW = "query($id: ID!) { review(id: $id) { id status title } }"
PRODUCT = """query($r: [_Any!]!) { _entities(representations: $r) {
  ... on Product { reviews(first: 10) { totalCount edges { node { id } } } rating { count average } } } }"""
QUEUE = "{ reviewsForModeration(first: 10) { edges { node { id status } } } }"
MODERATE = """mutation($id: ID!, $approve: Boolean!) { reviewModerate(reviewId: $id, approve: $approve,
  note: "checked") { review { id status } userErrors { code } } }"""
MODERATOR = staff(Permission.MANAGE_REVIEWS)


@pytest.fixture
async def held(
    make_subgraph: SubgraphFactory, catalog: SubgraphApp, monkeypatch: pytest.MonkeyPatch
) -> SubgraphApp:
    monkeypatch.setenv("AGORA_REVIEWS_MODERATION", "pre")
    return await make_subgraph("reviews")


async def product_view(client: SubgraphClient, product_id: str) -> dict[str, Any]:
    result = await client.execute(PRODUCT, {"r": [{"__typename": "Product", "id": product_id}]})
    (view,) = result["data"]["_entities"]
    return dict(view)


async def test_pre_moderation_holds_reviews_until_staff_approve(
    held: SubgraphApp, catalog: SubgraphApp, catalog_uow: CatalogUow
) -> None:
    product = await published_product(catalog, catalog_uow, "Loom")
    await drain(catalog, held)
    client = SubgraphClient(held)
    try:
        author = customer("c-ada")
        made = await client.execute(
            CREATE,
            {"input": {"productId": product.id, "rating": 4, "title": "Nice", "authorName": "Ada"}},
            principal=author,
        )
        review = made["data"]["reviewCreate"]["review"]
        assert review["status"] == "PENDING"
        await drain(held)
        seen = await product_view(client, product.id)
        assert seen["reviews"]["totalCount"] == 0
        assert seen["rating"]["count"] == 0
        assert (await client.execute(REVIEW, {"id": review["id"]}))["data"]["review"] is None
        mine = await client.execute(REVIEW, {"id": review["id"]}, principal=author)
        assert mine["data"]["review"]["status"] == "PENDING"
        queue = await client.execute(QUEUE, principal=MODERATOR)
        assert [e["node"]["id"] for e in queue["data"]["reviewsForModeration"]["edges"]] == [
            review["id"]
        ]
        refused = await client.execute(
            MODERATE, {"id": review["id"], "approve": True}, principal=author
        )
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"

        approved = await client.execute(
            MODERATE, {"id": review["id"], "approve": True}, principal=MODERATOR
        )
        assert approved["data"]["reviewModerate"]["review"]["status"] == "APPROVED"
        await drain(held)
        seen = await product_view(client, product.id)
        assert (seen["reviews"]["totalCount"], seen["rating"]["count"]) == (1, 1)

        await client.execute(MODERATE, {"id": review["id"], "approve": False}, principal=MODERATOR)
        await client.execute(MODERATE, {"id": review["id"], "approve": False}, principal=MODERATOR)
        await drain(held)
        seen = await product_view(client, product.id)
        assert (seen["reviews"]["totalCount"], seen["rating"]["count"]) == (0, 0)
        assert (await client.execute(REVIEW, {"id": review["id"]}))["data"]["review"] is None

        await client.execute(MODERATE, {"id": review["id"], "approve": True}, principal=MODERATOR)
        await drain(held)
        seen = await product_view(client, product.id)
        assert (seen["rating"]["count"], seen["rating"]["average"]) == (1, "4.00")
        missing = await client.execute(
            MODERATE, {"id": "nope", "approve": True}, principal=MODERATOR
        )
        assert missing["data"]["reviewModerate"]["userErrors"][0]["code"] == "NOT_FOUND"
    finally:
        await client.aclose()


def moderated(review: str, previous: str, status: str, at: str) -> Envelope:
    return Envelope(
        type="ReviewModerated",
        source="reviews",
        key=review,
        payload={
            "review_id": review,
            "product_id": "p1",
            "rating": 5,
            "status": status,
            "previous_status": previous,
            "moderated_at": at,
        },
    )


async def test_ratings_follow_moderation_in_any_order(
    reviews: SubgraphApp, make_subgraph: SubgraphFactory, bus: InMemoryEventBus
) -> None:
    search = await make_subgraph("search")
    events = [
        moderated("r1", "PENDING", "APPROVED", "2026-11-22T10:00:00+00:00"),
        moderated("r1", "APPROVED", "REJECTED", "2026-11-22T10:05:00+00:00"),
        moderated("r1", "REJECTED", "APPROVED", "2026-11-22T10:10:00+00:00"),
        moderated("r2", "PENDING", "REJECTED", "2026-11-22T10:01:00+00:00"),
    ]
    for event in reversed(events):  # newest first: deltas still add up
        await bus.publish(event)
    await bus.publish(events[0])  # a redelivery changes nothing
    async with reviews.infra.database.session() as session:
        aggregate = await session.get(ProductRating, "p1")
    assert aggregate is not None
    assert (aggregate.count, aggregate.total) == (1, 5)
    async with search.infra.database.session() as session:
        row = (
            (
                await session.execute(
                    select(search_ratings).where(search_ratings.c.product_id == "p1")
                )
            )
            .mappings()
            .one()
        )
    assert (row["count"], row["total"]) == (1, 5)
