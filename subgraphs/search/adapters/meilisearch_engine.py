"""Meilisearch, through its official Python client, for production deployments.

Settings pushed once (``configure``): searchable attributes (name first), filterable and
sortable attributes, typo tolerance (1 typo from 4 letters, 2 from 8), ranking rules ending in a
sort on ``id_order`` (the stable tie-break), synonyms. Writes are tasks: ``commit`` waits for the
ones sent since the last commit. Disjunctive facets run as one multi-search: the page with the
facets nobody filters on, plus one query per filtered facet group without its own filter.

The client is synchronous (``requests``); calls run in a worker thread. No Meilisearch server
can be installed on the development machines: the adapter is tested against the documented HTTP
API (recorded requests and responses), not a live server.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

import meilisearch

from subgraphs.search.adapters.tantivy_engine import id_order
from subgraphs.search.domain.document import SearchDocument
from subgraphs.search.domain.query import (
    ATTRIBUTE_PREFIX,
    CATEGORY,
    IN_STOCK,
    PRICE,
    RATING,
    Facet,
    FacetValue,
    Filters,
    SearchRequest,
    SearchResult,
    Sort,
    Suggestion,
    facet_order,
)

FIELDS = {
    CATEGORY: "category_ids",
    PRICE: "price_bucket",
    IN_STOCK: "in_stock",
    RATING: "rating_buckets",
}
SORTS = {
    Sort.RELEVANCE: [],
    Sort.PRICE_ASC: ["price:asc"],
    Sort.PRICE_DESC: ["price:desc"],
    Sort.NEWEST: ["updated:desc"],
    Sort.RATING: ["rating:desc"],
}
INDEX_SETTINGS: dict[str, Any] = {
    "searchableAttributes": [
        "name",
        "category_names",
        "brand",
        "attribute_values",
        "description",
        "skus",
    ],
    "filterableAttributes": [
        "id",
        "category_ids",
        "category_names",
        "attributes",
        "price",
        "price_bucket",
        "in_stock",
        "rating",
        "rating_buckets",
    ],
    "sortableAttributes": ["price", "updated", "rating", "id_order"],
    "rankingRules": [
        "words",
        "typo",
        "proximity",
        "attribute",
        "sort",
        "exactness",
        "id_order:asc",
    ],
    "typoTolerance": {"enabled": True, "minWordSizeForTypos": {"oneTypo": 4, "twoTypos": 8}},
    "faceting": {"maxValuesPerFacet": 1000},
    "pagination": {"maxTotalHits": 10_000},
    "synonyms": {
        "tee": ["t-shirt"],
        "t-shirt": ["tee"],
        "sneakers": ["trainers"],
        "trainers": ["sneakers"],
    },
}


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def filter_expression(filters: Filters) -> list[str | list[str]]:
    """Meilisearch's filter array: inner lists are OR-ed, the outer list AND-ed."""
    found: list[str | list[str]] = []
    if filters.category_ids:
        found.append([f"category_ids = {_quote(c)}" for c in filters.category_ids])
    for name, values in filters.attributes:
        found.append([f"attributes.{name} = {_quote(v)}" for v in values])
    if filters.price_min is not None:
        found.append(f"price >= {filters.price_min}")
    if filters.price_max is not None:
        found.append(f"price <= {filters.price_max}")
    if filters.in_stock is not None:
        found.append(f"in_stock = {'true' if filters.in_stock else 'false'}")
    if filters.rating_min is not None:
        found.append(f"rating >= {filters.rating_min}")
    return found


def to_meili(doc: SearchDocument) -> dict[str, Any]:
    return {
        "id": doc.product_id,
        "id_order": id_order(doc.product_id),
        "name": doc.name,
        "description": doc.description,
        "category_ids": list(doc.category_ids),
        "category_names": list(doc.category_names),
        "brand": list(doc.attributes.get("brand", ())),
        "attributes": {k: list(v) for k, v in doc.attributes.items()},
        "attribute_values": [v for values in doc.attributes.values() for v in values],
        "skus": list(doc.skus),
        "price": float(doc.price),
        "price_bucket": doc.price_bucket,
        "in_stock": doc.in_stock,
        "rating": doc.rating,
        "rating_buckets": doc.rating_buckets,
        "updated": int(doc.updated_at.timestamp()),
    }


def _facet_names(groups: Sequence[str]) -> list[str]:
    names = []
    for group in groups:
        if group == ATTRIBUTE_PREFIX:
            names.append("attributes")
        elif group.startswith(ATTRIBUTE_PREFIX):
            names.append("attributes." + group.removeprefix(ATTRIBUTE_PREFIX))
        else:
            names.append(FIELDS[group])
    return names


def _facets(distribution: Mapping[str, Mapping[str, int]], groups: Sequence[str]) -> list[Facet]:
    by_field = {v: k for k, v in FIELDS.items()}
    facets: list[Facet] = []
    for field, counts in distribution.items():
        values = [FacetValue(str(v), int(n)) for v, n in counts.items()]
        if field in by_field:
            facets.append(Facet(by_field[field], values))
        elif field.startswith("attributes."):
            facets.append(Facet(ATTRIBUTE_PREFIX + field.removeprefix("attributes."), values))
    return facets


class MeilisearchEngine:
    name = "meilisearch"

    def __init__(
        self, url: str, api_key: str | None, *, index: str = "products", timeout: int = 5
    ) -> None:
        self.client = meilisearch.Client(url, api_key, timeout=timeout)
        self.uid = index
        self.index = self.client.index(index)
        self._tasks: list[int] = []
        self._configured = False

    async def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        return await asyncio.to_thread(fn, *args, **kwargs)

    async def configure(self) -> None:
        """Create the index (primary key ``id``) and push its settings; waits for both."""
        task = await self._call(self.client.create_index, self.uid, {"primaryKey": "id"})
        await self._call(self.client.wait_for_task, task.task_uid)
        task = await self._call(self.index.update_settings, INDEX_SETTINGS)
        await self._call(self.client.wait_for_task, task.task_uid)
        self._configured = True

    async def _ensure(self) -> None:
        if not self._configured:
            await self.configure()

    async def upsert_many(self, documents: Sequence[SearchDocument]) -> None:
        if documents:
            await self._ensure()
            task = await self._call(
                self.index.add_documents, [to_meili(d) for d in documents], "id"
            )
            self._tasks.append(task.task_uid)

    async def delete_many(self, product_ids: Sequence[str]) -> None:
        if product_ids:
            await self._ensure()
            ids = ", ".join(_quote(p) for p in product_ids)
            task = await self._call(self.index.delete_documents, filter=f"id IN [{ids}]")
            self._tasks.append(task.task_uid)

    async def commit(self) -> None:
        tasks, self._tasks = self._tasks, []
        for uid in tasks:
            await self._call(self.client.wait_for_task, uid, 5_000, 20)

    async def clear(self) -> None:
        await self._ensure()
        task = await self._call(self.index.delete_all_documents)
        await self._call(self.client.wait_for_task, task.task_uid)

    async def count(self) -> int:
        await self._ensure()
        stats = await self._call(self.index.get_stats)
        return int(stats.number_of_documents)

    async def close(self) -> None:
        return None

    def _query(
        self, request: SearchRequest, filters: Filters, facets: list[str], *, page: bool
    ) -> dict[str, Any]:
        query: dict[str, Any] = {
            "indexUid": self.uid,
            "q": request.text,
            "filter": filter_expression(filters),
            "facets": facets,
            "attributesToRetrieve": ["id"],
            "offset": request.offset if page else 0,
            "limit": request.limit if page else 0,
        }
        if SORTS[request.sort]:
            query["sort"] = [*SORTS[request.sort], "id_order:asc"]
        return query

    async def search(self, request: SearchRequest) -> SearchResult:
        await self._ensure()
        active = request.filters.groups() if request.facets else []
        shared = [g for g in (CATEGORY, PRICE, IN_STOCK, RATING) if g not in active]
        queries = [
            self._query(
                request,
                request.filters,
                _facet_names([*shared, ATTRIBUTE_PREFIX]) if request.facets else [],
                page=True,
            )
        ]
        for group in active:
            queries.append(
                self._query(
                    request, request.filters.without(group), _facet_names([group]), page=False
                )
            )
        answer = await self._call(self.client.multi_search, queries)
        results = answer["results"]
        main = results[0]
        facets: list[Facet] = []
        if request.facets:
            active_attrs = {g for g in active if g.startswith(ATTRIBUTE_PREFIX)}
            facets = [
                f
                for f in _facets(main.get("facetDistribution", {}), shared)
                if f.name not in active_attrs
            ]
            for group, result in zip(active, results[1:], strict=True):
                facets.extend(
                    f
                    for f in _facets(result.get("facetDistribution", {}), [group])
                    if f.name == group
                )
        return SearchResult(
            total=int(main.get("estimatedTotalHits", main.get("totalHits", 0))),
            product_ids=[str(hit["id"]) for hit in main.get("hits", [])],
            facets=facet_order(facets),
        )

    async def suggest(self, prefix: str, limit: int) -> list[Suggestion]:
        await self._ensure()
        result = await self._call(
            self.index.search,
            prefix,
            {
                "limit": limit,
                "attributesToRetrieve": ["id", "name"],
                "attributesToSearchOn": ["name"],
            },
        )
        found = [Suggestion(text=str(h["name"]), product_id=str(h["id"])) for h in result["hits"]]
        if len(found) < limit:
            facet = await self._call(self.index.facet_search, "category_names", prefix)
            found.extend(
                Suggestion(text=str(h["value"]))
                for h in facet.get("facetHits", [])[: limit - len(found)]
            )
        return found
