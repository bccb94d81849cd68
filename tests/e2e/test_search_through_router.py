"""A shopper finds the seeded products through the router: by keyword, with a typo, by prefix,
narrowed by facets, with thumbnails — and a product staff create shows up within moments."""

from __future__ import annotations

import time
from typing import Any

import httpx

from subgraphs.launcher import Platform

SEARCH = """
query Find($q: String!, $filters: SearchFilters, $first: Int) {
  search(query: $q, first: $first, filters: $filters) {
    totalCount
    edges { node { id name images { thumbnail } } }
    facets { name values { value count } }
  }
}
"""
SUGGEST = (
    "query($p: String!) { searchSuggestions(prefix: $p, first: 5) { text product { id name } } }"
)
PRODUCT_CREATE = """
mutation Create($input: ProductCreateInput!) {
  productCreate(input: $input) { product { id } userErrors { field code } }
}
"""


def gql(
    platform: Platform, query: str, variables: dict[str, Any], headers: dict[str, str] | None = None
) -> dict[str, Any]:
    response = httpx.post(
        platform.router_url,
        json={"query": query, "variables": variables},
        headers=headers or {},
        timeout=30,
    )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body["data"]


def search(platform: Platform, q: str, **variables: Any) -> dict[str, Any]:
    found: dict[str, Any] = gql(platform, SEARCH, {"q": q, "first": 10, **variables})["search"]
    return found


def a_seeded_name(platform: Platform) -> str:
    """A published product's name as the catalog lists it (the seed is deterministic)."""
    data = gql(platform, "{ products(first: 1) { edges { node { name } } } }", {})
    name: str = data["products"]["edges"][0]["node"]["name"]
    return name


def test_keyword_typo_and_prefix_find_a_seeded_product(platform: Platform) -> None:
    name = a_seeded_name(platform)  # e.g. "Aurora Kettle 001"
    noun = name.split()[1]
    typo = noun[:2] + ("x" if noun[2] != "x" else "y") + noun[3:]  # one letter wrong
    prefix = noun[:4]

    by_name = search(platform, name)
    by_typo = search(platform, typo)
    by_prefix = search(platform, prefix)

    assert by_name["edges"][0]["node"]["name"] == name  # an exact name ranks first
    assert by_typo["totalCount"] > 0
    assert any(noun in e["node"]["name"] for e in by_typo["edges"])
    assert any(noun in e["node"]["name"] for e in by_prefix["edges"])
    suggestions = gql(platform, SUGGEST, {"p": name[:6]})["searchSuggestions"]
    assert any(s["product"] and s["product"]["name"].startswith(name[:6]) for s in suggestions)


def test_facet_counts_match_the_filtered_totals_and_hits_have_thumbnails(
    platform: Platform,
) -> None:
    noun = a_seeded_name(platform).split()[1]
    everything = search(platform, noun)
    [category] = [f for f in everything["facets"] if f["name"] == "category"]
    top = max(category["values"], key=lambda v: v["count"])

    narrowed = search(platform, noun, filters={"categoryIds": [top["value"]]})

    assert narrowed["totalCount"] == top["count"]
    assert narrowed["totalCount"] <= everything["totalCount"]
    thumbnails = [image["thumbnail"] for e in everything["edges"] for image in e["node"]["images"]]
    assert thumbnails, "seeded products carry photos"
    first = httpx.get(platform.host_url + thumbnails[0], timeout=10)
    assert first.status_code == 200
    assert first.headers["content-type"] == "image/webp"
    assert "immutable" in first.headers["cache-control"]


def test_a_new_product_is_searchable_within_moments(
    platform: Platform, staff: dict[str, str]
) -> None:
    created = gql(
        platform,
        PRODUCT_CREATE,
        {
            "input": {
                "name": "Zephyrine Teapot",
                "price": {"amount": "31.00", "currencyCode": "EUR"},
                "status": "PUBLISHED",
            }
        },
        staff,
    )["productCreate"]
    assert created["userErrors"] == []
    started = time.monotonic()
    while not search(platform, "zephyrine")["totalCount"]:
        assert time.monotonic() - started < 10, "not searchable after 10 s"
        time.sleep(0.05)
    [hit] = search(platform, "zephyrine")["edges"]
    assert hit["node"]["id"] == created["product"]["id"]
