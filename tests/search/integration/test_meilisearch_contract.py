"""The Meilisearch adapter against Meilisearch's documented HTTP API.

No Meilisearch server can be installed here, so the official client's requests are checked
against the API reference (index creation, settings, documents, multi-search, tasks) and
answered with responses shaped like the documented ones. The official client speaks
``requests``, so the ``responses`` library (the ``requests`` counterpart of respx) records them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import responses

from subgraphs.search.adapters.meilisearch_engine import INDEX_SETTINGS, MeilisearchEngine
from subgraphs.search.domain.query import Filters, SearchRequest, Sort
from tests.search.support import catalog

URL = "http://meili.test:7700"
KEY = "master-key"


def task_info(uid: int, kind: str) -> dict[str, Any]:
    return {
        "taskUid": uid,
        "indexUid": "products",
        "status": "enqueued",
        "type": kind,
        "enqueuedAt": "2026-01-01T12:00:00.000000Z",
    }


def task(uid: int) -> dict[str, Any]:
    return {
        "uid": uid,
        "indexUid": "products",
        "status": "succeeded",
        "type": "documentAdditionOrUpdate",
        "enqueuedAt": "2026-01-01T12:00:00.000000Z",
        "startedAt": "2026-01-01T12:00:00.100000Z",
        "finishedAt": "2026-01-01T12:00:00.200000Z",
        "duration": "PT0.1S",
    }


@pytest.fixture
def api() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.post(f"{URL}/indexes", json=task_info(1, "indexCreation"), status=202)
        mock.patch(
            f"{URL}/indexes/products/settings", json=task_info(2, "settingsUpdate"), status=202
        )
        mock.post(
            f"{URL}/indexes/products/documents",
            json=task_info(3, "documentAdditionOrUpdate"),
            status=202,
        )
        mock.post(
            f"{URL}/indexes/products/documents/delete",
            json=task_info(4, "documentDeletion"),
            status=202,
        )
        for uid in (1, 2, 3, 4):
            mock.get(f"{URL}/tasks/{uid}", json=task(uid))
        yield mock


def sent(api: responses.RequestsMock, method: str, path: str) -> list[Any]:
    return [
        json.loads(call.request.body or b"null")
        for call in api.calls
        if call.request.method == method and call.request.path_url.split("?")[0] == path
    ]


async def test_documents_are_sent_with_settings_and_waited_for(api: responses.RequestsMock) -> None:
    engine = MeilisearchEngine(URL, KEY)
    await engine.upsert_many(catalog(3))
    await engine.delete_many(["p009"])
    await engine.commit()

    assert sent(api, "POST", "/indexes") == [{"uid": "products", "primaryKey": "id"}]
    [settings] = sent(api, "PATCH", "/indexes/products/settings")
    assert settings == INDEX_SETTINGS
    assert settings["typoTolerance"]["minWordSizeForTypos"] == {"oneTypo": 4, "twoTypos": 8}
    assert settings["rankingRules"][-1] == "id_order:asc"
    [documents] = sent(api, "POST", "/indexes/products/documents")
    assert [d["id"] for d in documents] == ["p000", "p001", "p002"]
    assert documents[1]["attributes"]["color"] == ["blue"]
    assert documents[1]["price_bucket"] == "10-25"
    assert sent(api, "POST", "/indexes/products/documents/delete") == [{"filter": 'id IN ["p009"]'}]
    assert {c.request.path_url for c in api.calls if c.request.method == "GET"} >= {
        "/tasks/3",
        "/tasks/4",
    }
    assert all(c.request.headers["Authorization"] == f"Bearer {KEY}" for c in api.calls)


async def test_a_search_is_one_multi_search_with_disjunctive_facets(
    api: responses.RequestsMock,
) -> None:
    api.post(
        f"{URL}/multi-search",
        json={
            "results": [
                {
                    "indexUid": "products",
                    "hits": [{"id": "p003"}, {"id": "p000"}],
                    "query": "shirt",
                    "processingTimeMs": 1,
                    "limit": 2,
                    "offset": 0,
                    "estimatedTotalHits": 7,
                    "facetDistribution": {
                        "category_ids": {"apparel": 7},
                        "price_bucket": {"0-10": 3, "10-25": 4},
                        "attributes.size": {"M": 5},
                    },
                },
                {
                    "indexUid": "products",
                    "hits": [],
                    "query": "shirt",
                    "processingTimeMs": 1,
                    "limit": 0,
                    "offset": 0,
                    "estimatedTotalHits": 20,
                    "facetDistribution": {"attributes.color": {"red": 7, "blue": 13}},
                },
            ]
        },
    )
    engine = MeilisearchEngine(URL, KEY)
    filters = Filters(attributes=(("color", ("red",)),), price_max=None)
    result = await engine.search(
        SearchRequest("shirt", filters=filters, sort=Sort.PRICE_ASC, limit=2)
    )

    [body] = sent(api, "POST", "/multi-search")
    main, color = body["queries"]
    assert main["q"] == "shirt"
    assert main["filter"] == [['attributes.color = "red"']]
    assert main["sort"] == ["price:asc", "id_order:asc"]
    assert (main["offset"], main["limit"]) == (0, 2)
    assert "attributes" in main["facets"]
    assert color["filter"] == []  # its own filter left out: disjunctive
    assert color["facets"] == ["attributes.color"]
    assert color["limit"] == 0
    assert result.total == 7
    assert result.product_ids == ["p003", "p000"]
    facets = {f.name: {v.value: v.count for v in f.values} for f in result.facets}
    assert facets["attributes.color"] == {"red": 7, "blue": 13}
    assert facets["price"] == {"0-10": 3, "10-25": 4}
    assert facets["attributes.size"] == {"M": 5}
