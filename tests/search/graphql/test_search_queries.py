"""``search`` and ``searchSuggestions`` through GraphQL: public, paginated by cursor, facets,
clear errors for bad input, and Product references the router completes from the catalog."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from shared.bus.memory import InMemoryEventBus
from subgraphs.search.app import SearchSubgraphApp
from subgraphs.search.services.category_labels import CategoryLabels
from tests.graphql_client import SubgraphClient, customer
from tests.search.support import T0, upserted

SEARCH = """
query Search($q: String!, $first: Int, $after: String, $filters: SearchFilters, $sort: SearchSort) {
  search(query: $q, first: $first, after: $after, filters: $filters, sort: $sort) {
    totalCount
    edges { cursor node { id } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
    facets { name values { value count label } }
  }
}
"""
SUGGEST = """
query Suggest($prefix: String!) { searchSuggestions(prefix: $prefix) { text product { id } } }
"""
ENTITIES = """
query E($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id } } }
"""


@pytest.fixture
async def indexed(search: SearchSubgraphApp, bus: InMemoryEventBus) -> SearchSubgraphApp:
    for i in range(25):
        color = "red" if i % 2 else "blue"
        await bus.publish(
            upserted(
                f"p{i:02d}",
                f"Linen Shirt {i}",
                price=f"{10 + i}.00",
                attributes={"color": [color]},
                category_ids=["c1"],
                category_names=["Shirts"],
            )
        )
    await bus.publish(upserted("d1", "Linen Draft", status="DRAFT"))
    assert search.indexer is not None
    await search.indexer.flush()
    return search


async def run(client: SubgraphClient, **variables: Any) -> dict[str, Any]:
    result = await client.execute(SEARCH, variables)
    assert "errors" not in result, result
    data: dict[str, Any] = result["data"]["search"]
    return data


@pytest.mark.usefixtures("indexed")
async def test_anyone_can_search_published_products(client: SubgraphClient) -> None:
    data = await run(client, q="linen", first=5)
    assert data["totalCount"] == 25  # not the draft
    assert len(data["edges"]) == 5
    assert data["pageInfo"]["hasNextPage"] is True
    signed_in = await client.execute(SEARCH, {"q": "linen"}, principal=customer("c1"))
    assert signed_in["data"]["search"]["totalCount"] == 25


@pytest.mark.usefixtures("indexed")
async def test_cursors_walk_every_result_once(client: SubgraphClient) -> None:
    seen: list[str] = []
    after = None
    while True:
        data = await run(client, q="linen", first=7, after=after, sort="PRICE_ASC")
        seen.extend(e["node"]["id"] for e in data["edges"])
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]
    assert seen == [f"p{i:02d}" for i in range(25)]


@pytest.mark.usefixtures("indexed")
async def test_facets_are_disjunctive(client: SubgraphClient) -> None:
    data = await run(
        client, q="linen", filters={"attributes": [{"name": "color", "values": ["red"]}]}
    )
    assert data["totalCount"] == 12
    facets = {f["name"]: {v["value"]: v["count"] for v in f["values"]} for f in data["facets"]}
    assert facets["attributes.color"] == {"red": 12, "blue": 13}
    assert facets["category"] == {"c1": 12}
    labels = {f["name"]: {v["value"]: v["label"] for v in f["values"]} for f in data["facets"]}
    assert labels["category"] == {"c1": "Shirts"}  # the category's name
    assert labels["attributes.color"] == {"red": "red", "blue": "blue"}


@pytest.mark.usefixtures("indexed")
async def test_category_labels_follow_the_newest_product_event(
    search: SearchSubgraphApp, bus: InMemoryEventBus
) -> None:
    assert search.reader is not None
    now = [0.0]
    labels = CategoryLabels(search.reader, ttl=30, clock=lambda: now[0])
    assert await labels.names(["c1", "nope"]) == {"c1": "Shirts"}
    late = T0 + timedelta(hours=1)
    await bus.publish(
        upserted("p00", "Linen Shirt 0", category_ids=["c1"], category_names=["Tops"], at=late)
    )
    await bus.publish(  # older than what is stored: ignored
        upserted("p01", "Linen Shirt 1", category_ids=["c1"], category_names=["Old"], at=T0)
    )
    assert await labels.names(["c1"]) == {"c1": "Shirts"}  # cached for ttl seconds
    now[0] = 31.0
    assert await labels.names(["c1"]) == {"c1": "Tops"}


@pytest.mark.usefixtures("indexed")
async def test_suggestions_name_products(client: SubgraphClient) -> None:
    result = await client.execute(SUGGEST, {"prefix": "line"})
    suggestions = result["data"]["searchSuggestions"]
    assert len(suggestions) == 5
    assert all(s["text"].startswith("Linen Shirt") and s["product"]["id"] for s in suggestions)


async def test_products_resolve_as_references(client: SubgraphClient) -> None:
    result = await client.execute(ENTITIES, {"r": [{"__typename": "Product", "id": "p1"}]})
    assert result["data"]["_entities"] == [{"id": "p1"}]


@pytest.mark.parametrize(
    ("variables", "code", "field"),
    [
        ({"first": 101}, "INVALID_FIRST", "first"),
        ({"first": -1}, "INVALID_FIRST", "first"),
        ({"after": "not-a-cursor"}, "INVALID_CURSOR", "after"),
        ({"after": "WyJ4Il0"}, "INVALID_CURSOR", "after"),  # ["x"]: decodes, not ours
        ({"filters": {"priceMin": "50", "priceMax": "10"}}, "INVALID_PRICE_RANGE", "priceMin"),
        ({"filters": {"ratingMin": 7}}, "INVALID_RATING", "ratingMin"),
        ({"q": "x" * 201}, "QUERY_TOO_LONG", "query"),
    ],
)
async def test_bad_input_is_a_clear_error(
    client: SubgraphClient, variables: dict[str, Any], code: str, field: str
) -> None:
    result = await client.execute(SEARCH, {"q": "linen", **variables})
    assert result["data"] is None
    [error] = result["errors"]
    assert error["extensions"] == {"code": code, "field": field}
    assert "Unexpected" not in error["message"]
