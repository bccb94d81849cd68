"""The embedded engine: tantivy (Rust, in process). Measured the fastest here (PERFORMANCE.md).

One writer per process; writes are buffered by tantivy and published by ``commit`` (the indexer
commits at most every ``commit_interval``). The index lives on disk under
``AGORA_DATA_DIR/search/tantivy``, or in RAM when no path is given (tests, benchmarks).

Relevance: every query word must match (in the name, or else in the description, categories,
attributes, SKUs); a word matches exactly, with typos (edit distance 1 from 4 letters, 2 from 8),
and the last word also as a prefix. Exact words score above typos, the name above other text, and
a name equal to the whole query above everything. Ties are broken by a stable hash of the
product id (``id_order``), never by where the document sits in the index.

Speed (measured with ``make bench-search``, see the README): facet counts are read from
*single-valued* fast columns — one JSON fast field ``facet`` whose paths are slots (``c0``,
``c1`` … for categories, ``a<hash>_0``, ``a<hash>_1`` … per attribute value, ``p`` price bucket,
``s`` stock, ``r`` rating floor) — because tantivy's terms aggregation over a multi-valued column
costs ~5x a single-valued one. Counts stay exact. The facets of a (query, filters) pair are
cached until the next commit (pages 2, 3 … of a search reuse them). Page ids come from a
``id_order → id`` map instead of loading stored documents.
"""

from __future__ import annotations

import hashlib
import math
from collections import OrderedDict
from collections.abc import Iterable, Sequence
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
FACET_CACHE = 1024  # (query, filters) pairs whose facets are kept until the next commit
RATING_THRESHOLDS = (4, 3, 2, 1)
_MUST = tantivy.Occur.Must
_SHOULD = tantivy.Occur.Should


def id_order(product_id: str) -> int:
    """A stable 63-bit number per product id: the last sort key of every search."""
    return int.from_bytes(hashlib.blake2b(product_id.encode(), digest_size=8).digest()) >> 1


def _count(result: tantivy.SearchResult) -> int:
    """The total of a search run with ``count=True`` (missing from the type stubs)."""
    return int(getattr(result, "count", 0) or 0)


def attribute_slot(name: str) -> str:
    """The JSON path prefix of an attribute's facet columns (names may hold any character)."""
    return "a" + hashlib.blake2b(name.encode(), digest_size=6).hexdigest()


def facet_columns(doc: SearchDocument) -> tuple[dict[str, str], dict[str, str]]:
    """The document's single-valued facet columns, and the group of each column path."""
    values: dict[str, str] = {}
    groups: dict[str, str] = {}
    for i, category in enumerate(doc.category_ids):
        values[f"c{i}"] = category
        groups[f"c{i}"] = CATEGORY
    for name, attribute_values in doc.attributes.items():
        slot = attribute_slot(name)
        for i, value in enumerate(attribute_values):
            values[f"{slot}_{i}"] = value
            groups[f"{slot}_{i}"] = ATTRIBUTE_PREFIX + name
    values["p"] = doc.price_bucket
    values["s"] = "true" if doc.in_stock else "false"
    values["r"] = str(min(5, max(0, math.floor(doc.rating))))
    groups.update(p=PRICE, s=IN_STOCK, r=RATING)
    return values, groups


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
    builder.add_text_field("categories", tokenizer_name="raw")
    builder.add_text_field("attrs", tokenizer_name="raw")
    builder.add_text_field("in_stock", tokenizer_name="raw")
    builder.add_json_field("facet", tokenizer_name="raw", fast=True)
    builder.add_text_field("facet_paths", tokenizer_name="raw")
    builder.add_text_field("terms", tokenizer_name="raw", stored=True)
    builder.add_float_field("price", indexed=True, fast=True)
    builder.add_float_field("rating", indexed=True, fast=True)
    builder.add_integer_field("updated", indexed=True, fast=True)
    return builder.build()


class TantivyEngine:
    name = "tantivy"

    def __init__(
        self,
        path: Path | None = None,
        *,
        heap_bytes: int = 128_000_000,
        threads: int = 2,
        facet_cache: int = FACET_CACHE,
    ) -> None:
        self.schema = _schema()
        if path is not None:
            path.mkdir(parents=True, exist_ok=True)
            self.index = tantivy.Index(self.schema, path=str(path), reuse=True)
        else:
            self.index = tantivy.Index(self.schema)
        self.writer = self.index.writer(heap_bytes, threads)
        self._facet_cache_size = facet_cache
        self._facet_cache: OrderedDict[tuple[str, Filters], list[Facet]] = OrderedDict()
        self._ids: dict[int, str] = {}  # id_order -> product id (saves loading stored docs)
        self._paths: dict[str, str] | None = None  # facet column path -> group, None: unread
        self._new_paths: dict[str, str] = {}
        self._fresh: set[str] | None = None  # ids added since clear(): no delete needed
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
        order = id_order(doc.product_id)
        self._ids[order] = doc.product_id
        facet, groups = facet_columns(doc)
        paths = [f"{path}{ATTR_SEP}{group}" for path, group in groups.items()]
        for path, group in groups.items():
            if self._paths is None or path not in self._paths:
                self._new_paths[path] = group
        fields: dict[str, Any] = {
            "id": doc.product_id,
            "id_order": order,
            "name": doc.name,
            "name_exact": normalize(doc.name),
            "text": text,
            "categories": list(doc.category_ids),
            "attrs": [f"{k}{ATTR_SEP}{v}" for k, values in doc.attributes.items() for v in values],
            "in_stock": facet["s"],
            "facet": facet,
            "facet_paths": paths,
            "terms": [normalize(t) for t in doc.brand_terms],
            "price": float(doc.price),
            "rating": float(doc.rating),
            "updated": int(doc.updated_at.timestamp() * 1_000_000),
        }
        return tantivy.Document.from_dict(fields, self.schema)

    async def upsert_many(self, documents: Sequence[SearchDocument]) -> None:
        fresh = self._fresh
        for doc in documents:
            if fresh is None or doc.product_id in fresh:
                self.writer.delete_documents_by_term("id", doc.product_id)
            else:  # the index was cleared and has not seen this id since: nothing to replace
                fresh.add(doc.product_id)
            self.writer.add_document(self._document(doc))

    async def delete_many(self, product_ids: Sequence[str]) -> None:
        for product_id in product_ids:
            self.writer.delete_documents_by_term("id", product_id)
            if self._fresh is not None:
                self._fresh.discard(product_id)

    async def commit(self) -> None:
        self.writer.commit()
        self.index.reload()
        self.searcher = self.index.searcher()
        self._fresh = None
        self._facet_cache.clear()
        if self._paths is not None:
            self._paths.update(self._new_paths)
        self._new_paths = {}

    async def clear(self) -> None:
        self.writer.delete_all_documents()
        await self.commit()
        self._fresh = set()
        self._ids.clear()

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
        # filters score nothing: constant scores spare BM25 over every filtered document
        clauses = [(_MUST, tantivy.Query.const_score_query(q, 0.0)) for q in self._filters(filters)]
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
        if not hits or request.limit == 0 or request.offset >= len(hits):
            return _count(result), []
        tie = searcher.fast_field_values("id_order", [address for _, address in hits])
        sign = -1 if descending else 1
        ranked = sorted(
            zip(hits, tie, strict=True),
            key=lambda h: (sign * round(float(h[0][0]), 4), h[1]),
        )
        page = ranked[request.offset : request.offset + request.limit]
        known = self._ids
        ids = []
        for (_, address), order_key in page:
            product_id = known.get(int(order_key or 0))
            if product_id is None:  # an index opened from disk: read it once, then remember it
                product_id = str(searcher.doc(address)["id"][0])
                known[int(order_key or 0)] = product_id
            ids.append(product_id)
        return _count(result), ids

    # -- facets ----------------------------------------------------------------------------------
    def _facet_paths(self) -> dict[str, str]:
        """Every facet column path with its group (read from the index once, then kept)."""
        if self._paths is None:
            found: dict[str, str] = {}
            for term, _ in self.searcher.terms_with_prefix("facet_paths", "", limit=1_000_000):
                path, _, group = str(term).partition(ATTR_SEP)
                found[path] = group
            self._paths = found
        return self._paths

    def _count_columns(
        self, query: tantivy.Query, paths: Iterable[tuple[str, str]]
    ) -> dict[str, dict[str, int]]:
        """Counts by value of each group, summed over the group's columns, in one aggregation."""
        aggregation: dict[str, Any] = {}
        group_of: dict[str, str] = {}
        for i, (path, group) in enumerate(paths):
            aggregation[f"f{i}"] = {"terms": {"field": f"facet.{path}", "size": FACET_SIZE}}
            group_of[f"f{i}"] = group
        counts: dict[str, dict[str, int]] = {}
        if not aggregation:
            return counts
        result = self.searcher.aggregate(query, aggregation)
        for key, group in group_of.items():
            values = counts.setdefault(group, {})
            for bucket in result.get(key, {}).get("buckets", []):
                value = str(bucket["key"])
                values[value] = values.get(value, 0) + int(bucket["doc_count"])
        return counts

    @staticmethod
    def _facet(group: str, values: dict[str, int]) -> Facet:
        if group == RATING:  # columns hold the rating's floor; the facet counts "t stars & up"
            values = {
                str(t): n
                for t in RATING_THRESHOLDS
                if (n := sum(c for v, c in values.items() if int(v) >= t))
            }
        return Facet(group, [FacetValue(v, c) for v, c in values.items() if c])

    def _all_facets(self, words: str, text: tantivy.Query | None, filters: Filters) -> list[Facet]:
        key = (words, filters)
        cached = self._facet_cache.get(key)
        if cached is not None:
            self._facet_cache.move_to_end(key)
            return cached
        paths = self._facet_paths()
        active = filters.groups()
        shared = [(p, g) for p, g in paths.items() if g not in active]
        counts = self._count_columns(self._query(text, filters), shared)
        for group in (CATEGORY, PRICE, IN_STOCK, RATING):
            if group not in active:
                counts.setdefault(group, {})
        for group in active:
            own = [(p, g) for p, g in paths.items() if g == group]
            found = self._count_columns(self._query(text, filters.without(group)), own)
            counts[group] = found.get(group, {})
        facets = facet_order([self._facet(g, v) for g, v in counts.items()])
        if self._facet_cache_size:
            self._facet_cache[key] = facets
            if len(self._facet_cache) > self._facet_cache_size:
                self._facet_cache.popitem(last=False)
        return facets

    async def search(self, request: SearchRequest) -> SearchResult:
        text = self._text(request.text)
        total, ids = self._page(self._query(text, request.filters), request)
        if request.facets:
            words = " ".join(tokens(request.text))
            facets = self._all_facets(words, text, request.filters)
        else:
            facets = []
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
