"""The embedded engine: tantivy (Rust, in process). Measured the fastest here (PERFORMANCE.md).

One writer per process; writes are buffered by tantivy and published by ``commit`` (the indexer
commits at most every ``commit_interval``). The index lives on disk under
``AGORA_DATA_DIR/search/tantivy``, or in RAM when no path is given (tests, benchmarks).

Relevance: every query word must match (in the name, or else in the description, categories,
attributes, SKUs); a word matches exactly, with typos (edit distance 1 from 4 letters, 2 from 8),
and the last word also as a prefix. Exact words score above typos, the name above other text, and
a name equal to the whole query above everything. Ties are broken by a stable hash of the
product id (``id_order``), never by where the document sits in the index.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import tantivy

from subgraphs.search.domain.document import SearchDocument, normalize, tokens
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

ATTR_SEP = "\x1f"
TIE_WINDOW = 64  # extra hits read past a page so equal sort keys are ordered by id
FACET_SIZE = 1000
NAME_BOOST = 3.0
EXACT_BOOST = 2.0
EXACT_NAME_BOOST = 50.0
_MUST = tantivy.Occur.Must
_SHOULD = tantivy.Occur.Should


def id_order(product_id: str) -> int:
    """A stable 63-bit number per product id: the last sort key of every search."""
    return int.from_bytes(hashlib.blake2b(product_id.encode(), digest_size=8).digest()) >> 1


def _count(result: tantivy.SearchResult) -> int:
    """The total of a search run with ``count=True`` (missing from the type stubs)."""
    return int(getattr(result, "count", 0) or 0)


def typo_distance(word: str) -> int:
    """Typos allowed in a word: none in numbers (SKUs, sizes), as Meilisearch does."""
    if any(c.isdigit() for c in word):
        return 0
    return 2 if len(word) >= 8 else 1 if len(word) >= 4 else 0


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_unsigned_field("id_order", fast=True)
    builder.add_text_field("name", stored=True)
    builder.add_text_field("name_exact", tokenizer_name="raw")
    builder.add_text_field("text")
    builder.add_text_field("categories", tokenizer_name="raw", fast=True)
    builder.add_text_field("attrs", tokenizer_name="raw", fast=True)
    builder.add_text_field("price_bucket", tokenizer_name="raw", fast=True)
    builder.add_text_field("in_stock", tokenizer_name="raw", fast=True)
    builder.add_text_field("rating_bucket", tokenizer_name="raw", fast=True)
    builder.add_text_field("terms", tokenizer_name="raw", stored=True)
    builder.add_float_field("price", indexed=True, fast=True)
    builder.add_float_field("rating", indexed=True, fast=True)
    builder.add_integer_field("updated", indexed=True, fast=True)
    return builder.build()


class TantivyEngine:
    name = "tantivy"

    def __init__(self, path: Path | None = None, *, heap_bytes: int = 64_000_000) -> None:
        self.schema = _schema()
        if path is not None:
            path.mkdir(parents=True, exist_ok=True)
            self.index = tantivy.Index(self.schema, path=str(path), reuse=True)
        else:
            self.index = tantivy.Index(self.schema)
        self.writer = self.index.writer(heap_bytes, 1)
        self.index.reload()
        self.searcher = self.index.searcher()

    # -- writes ----------------------------------------------------------------------------------
    def _document(self, doc: SearchDocument) -> tantivy.Document:
        text = " ".join(
            [
                doc.description,
                " ".join(doc.category_names),
                doc.product_type,
                " ".join(v for values in doc.attributes.values() for v in values),
                " ".join(doc.skus),
            ]
        )
        fields: dict[str, Any] = {
            "id": doc.product_id,
            "id_order": id_order(doc.product_id),
            "name": doc.name,
            "name_exact": normalize(doc.name),
            "text": text,
            "categories": list(doc.category_ids),
            "attrs": [f"{k}{ATTR_SEP}{v}" for k, values in doc.attributes.items() for v in values],
            "price_bucket": doc.price_bucket,
            "in_stock": "true" if doc.in_stock else "false",
            "rating_bucket": doc.rating_buckets,
            "terms": [normalize(t) for t in doc.brand_terms],
            "price": float(doc.price),
            "rating": float(doc.rating),
            "updated": int(doc.updated_at.timestamp() * 1_000_000),
        }
        return tantivy.Document.from_dict(fields, self.schema)

    async def upsert_many(self, documents: Sequence[SearchDocument]) -> None:
        for doc in documents:
            self.writer.delete_documents_by_term("id", doc.product_id)
            self.writer.add_document(self._document(doc))

    async def delete_many(self, product_ids: Sequence[str]) -> None:
        for product_id in product_ids:
            self.writer.delete_documents_by_term("id", product_id)

    async def commit(self) -> None:
        self.writer.commit()
        self.index.reload()
        self.searcher = self.index.searcher()

    async def clear(self) -> None:
        self.writer.delete_all_documents()
        await self.commit()

    async def count(self) -> int:
        return int(self.searcher.num_docs)

    async def close(self) -> None:
        self.writer.wait_merging_threads()

    # -- queries ---------------------------------------------------------------------------------
    def _word(self, word: str, *, last: bool) -> tantivy.Query:
        schema = self.schema
        options: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for field, boost in (("name", NAME_BOOST), ("text", 1.0)):
            exact = tantivy.Query.term_query(schema, field, word)
            options.append((_SHOULD, tantivy.Query.boost_query(exact, boost * EXACT_BOOST)))
            distance = typo_distance(word)
            if distance:
                fuzzy = tantivy.Query.fuzzy_term_query(schema, field, word, distance=distance)
                options.append((_SHOULD, tantivy.Query.boost_query(fuzzy, boost * 0.5)))
            if last:
                prefix = tantivy.Query.fuzzy_term_query(schema, field, word, 0, True, True)
                options.append((_SHOULD, tantivy.Query.boost_query(prefix, boost * 0.5)))
        return tantivy.Query.boolean_query(options)

    def _text(self, text: str) -> tantivy.Query | None:
        words = tokens(text)
        if not words:
            return None
        clauses = [(_MUST, self._word(w, last=i == len(words) - 1)) for i, w in enumerate(words)]
        matched = tantivy.Query.boolean_query(clauses)
        exact = tantivy.Query.term_query(self.schema, "name_exact", normalize(text))
        return tantivy.Query.boolean_query(
            [(_MUST, matched), (_SHOULD, tantivy.Query.boost_query(exact, EXACT_NAME_BOOST))]
        )

    def _filters(self, filters: Filters) -> list[tantivy.Query]:
        schema = self.schema
        found: list[tantivy.Query] = []
        if filters.category_ids:
            found.append(tantivy.Query.term_set_query(schema, "categories", filters.category_ids))
        for name, values in filters.attributes:
            terms = [f"{name}{ATTR_SEP}{v}" for v in values]
            found.append(tantivy.Query.term_set_query(schema, "attrs", terms))
        if filters.price_min is not None or filters.price_max is not None:
            found.append(
                tantivy.Query.range_query(
                    schema,
                    "price",
                    tantivy.FieldType.Float,
                    float(filters.price_min) if filters.price_min is not None else -1.0,
                    float(filters.price_max) if filters.price_max is not None else 1e18,
                )
            )
        if filters.in_stock is not None:
            value = "true" if filters.in_stock else "false"
            found.append(tantivy.Query.term_query(schema, "in_stock", value))
        if filters.rating_min is not None:
            found.append(
                tantivy.Query.range_query(
                    schema, "rating", tantivy.FieldType.Float, float(filters.rating_min), 1e9
                )
            )
        return found

    def _query(self, text: tantivy.Query | None, filters: Filters) -> tantivy.Query:
        clauses = [(_MUST, q) for q in self._filters(filters)]
        if text is not None:
            clauses.append((_MUST, text))
        if not clauses:
            return tantivy.Query.all_query()
        if len(clauses) == 1:
            return clauses[0][1]
        return tantivy.Query.boolean_query(clauses)

    def _page(self, query: tantivy.Query, request: SearchRequest) -> tuple[int, list[str]]:
        searcher = self.searcher
        window = request.offset + request.limit + TIE_WINDOW
        order_field, descending = {
            Sort.RELEVANCE: (None, True),
            Sort.PRICE_ASC: ("price", False),
            Sort.PRICE_DESC: ("price", True),
            Sort.NEWEST: ("updated", True),
            Sort.RATING: ("rating", True),
        }[request.sort]
        if order_field is None:
            result = searcher.search(query, window, count=True)
        else:
            order = tantivy.Order.Desc if descending else tantivy.Order.Asc
            result = searcher.search(
                query, window, count=True, order_by_field=order_field, order=order
            )
        hits = result.hits
        if not hits or request.limit == 0:
            return _count(result), []
        tie = searcher.fast_field_values("id_order", [address for _, address in hits])
        sign = -1 if descending else 1
        ranked = sorted(
            zip(hits, tie, strict=True),
            key=lambda h: (sign * round(float(h[0][0]), 4), h[1]),
        )
        page = ranked[request.offset : request.offset + request.limit]
        ids = [str(searcher.doc(address)["id"][0]) for (_, address), _ in page]
        return _count(result), ids

    # -- facets ----------------------------------------------------------------------------------
    @staticmethod
    def _aggregation(groups: Sequence[str]) -> dict[str, Any]:
        aggs: dict[str, Any] = {}
        for group in groups:
            field = {
                CATEGORY: "categories",
                PRICE: "price_bucket",
                IN_STOCK: "in_stock",
                RATING: "rating_bucket",
            }.get(group, "attrs")
            aggs[field] = {"terms": {"field": field, "size": FACET_SIZE}}
        return aggs

    @staticmethod
    def _facets(result: dict[str, Any], groups: Sequence[str]) -> list[Facet]:
        facets: list[Facet] = []
        attrs: dict[str, list[FacetValue]] = {}
        for bucket in result.get("attrs", {}).get("buckets", []):
            name, _, value = str(bucket["key"]).partition(ATTR_SEP)
            attrs.setdefault(ATTRIBUTE_PREFIX + name, []).append(
                FacetValue(value, int(bucket["doc_count"]))
            )
        fields = {
            CATEGORY: "categories",
            PRICE: "price_bucket",
            IN_STOCK: "in_stock",
            RATING: "rating_bucket",
        }
        for group in groups:
            if group in fields:
                buckets = result.get(fields[group], {}).get("buckets", [])
                values = [FacetValue(str(b["key"]), int(b["doc_count"])) for b in buckets]
                facets.append(Facet(group, values))
            elif group == ATTRIBUTE_PREFIX:  # every attribute not filtered on
                facets.extend(Facet(n, v) for n, v in attrs.items())
            else:
                facets.append(Facet(group, attrs.get(group, [])))
        return facets

    def _all_facets(self, text: tantivy.Query | None, filters: Filters) -> list[Facet]:
        active = filters.groups()
        shared = [g for g in (CATEGORY, PRICE, IN_STOCK, RATING) if g not in active]
        shared.append(ATTRIBUTE_PREFIX)
        query = self._query(text, filters)
        found = self._facets(self.searcher.aggregate(query, self._aggregation(shared)), shared)
        active_attrs = {g for g in active if g.startswith(ATTRIBUTE_PREFIX)}
        found = [f for f in found if f.name not in active_attrs]
        for group in active:
            own = self._query(text, filters.without(group))
            found.extend(
                self._facets(self.searcher.aggregate(own, self._aggregation([group])), [group])
            )
        return facet_order(found)

    async def search(self, request: SearchRequest) -> SearchResult:
        text = self._text(request.text)
        total, ids = self._page(self._query(text, request.filters), request)
        facets = self._all_facets(text, request.filters) if request.facets else []
        return SearchResult(total=total, product_ids=ids, facets=facets)

    async def suggest(self, prefix: str, limit: int) -> list[Suggestion]:
        words = tokens(prefix)
        if not words or limit <= 0:
            return []
        schema = self.schema
        clauses = [
            (_MUST, tantivy.Query.term_query(schema, "name", w))
            if i < len(words) - 1
            else (_MUST, tantivy.Query.fuzzy_term_query(schema, "name", w, 0, True, True))
            for i, w in enumerate(words)
        ]
        searcher = self.searcher
        hits = searcher.search(tantivy.Query.boolean_query(clauses), limit, count=False).hits
        found: list[Suggestion] = []
        for _, address in hits:
            doc = searcher.doc(address)
            found.append(Suggestion(text=str(doc["name"][0]), product_id=str(doc["id"][0])))
        if len(found) < limit:
            terms = searcher.terms_with_prefix("terms", normalize(prefix), limit=limit)
            found.extend(Suggestion(text=term) for term, _ in terms[: limit - len(found)])
        return found
