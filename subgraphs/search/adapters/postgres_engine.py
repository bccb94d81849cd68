"""The PostgreSQL full-text engine (``AGORA_SEARCH_BACKEND=postgres``): no extra server.

The index is the ``search_index`` table in the search subgraph's own schema (migration 0002):
a ``tsvector`` per product with weights — name A, categories and attributes B, description,
product type and SKUs C — searched with GIN. Text is split into words as the other engines do
(``tokens``), and the ``simple`` configuration is used (no stemming, no stop words), so every
engine matches the same words.

Matching: every word must match; a word matches itself, its typos (edit distance 1 from 4
letters, 2 from 8, none with digits — looked up in ``search_words``, through a pg_trgm index when
the extension is there, then checked exactly in Python), and the last word also as a prefix
(``word:*``). Ranking: a name equal to the whole query first, then ``ts_rank`` of the exact words
(twice) plus ``ts_rank`` of all forms, weights A > B > C; ties by ``id_order`` (a stable hash of
the id). Facets: ``GROUP BY`` over the matching rows, one query per disjunctive group, all in one
statement. Writes are buffered and applied in one transaction by ``commit``.

Limits (measured, see the README): ranked prefix queries of short prefixes score every row that
matches, so they cost far more than in tantivy at 100k rows.
"""

# SQL here is assembled from constants, column names and generated parameter names only; every
# value a caller sends is a bound parameter (see _Where.add).
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.types import Text

from subgraphs.search.adapters.tantivy_engine import ATTR_SEP, id_order, typo_distance
from subgraphs.search.domain.document import RATING_THRESHOLDS, SearchDocument, normalize, tokens
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

TRIGRAM_THRESHOLD = 0.15  # candidates only: the edit distance is checked exactly afterwards
MAX_TYPO_CANDIDATES = 200
_ORDER = {
    Sort.PRICE_ASC: "price ASC",
    Sort.PRICE_DESC: "price DESC",
    Sort.NEWEST: "updated DESC",
    Sort.RATING: "rating DESC",
}
_UPSERT = text(
    """
    INSERT INTO search_index (product_id, id_order, name, name_exact, document, category_ids,
        attrs, price, price_bucket, in_stock, rating, updated, terms)
    VALUES (:product_id, :id_order, :name, :name_exact,
        setweight(to_tsvector('simple', :a), 'A') || setweight(to_tsvector('simple', :b), 'B')
        || setweight(to_tsvector('simple', :c), 'C'),
        :category_ids, :attrs, :price, :price_bucket, :in_stock, :rating, :updated, :terms)
    ON CONFLICT (product_id) DO UPDATE SET id_order = excluded.id_order, name = excluded.name,
        name_exact = excluded.name_exact, document = excluded.document,
        category_ids = excluded.category_ids, attrs = excluded.attrs, price = excluded.price,
        price_bucket = excluded.price_bucket, in_stock = excluded.in_stock,
        rating = excluded.rating, updated = excluded.updated, terms = excluded.terms
    """
).bindparams(
    bindparam("category_ids", type_=ARRAY(Text)),
    bindparam("attrs", type_=ARRAY(Text)),
    bindparam("terms", type_=ARRAY(Text)),
)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a transposition counts 1, as in tantivy), capped."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _row(doc: SearchDocument) -> dict[str, Any]:
    values = [v for vs in doc.attributes.values() for v in vs]
    return {
        "product_id": doc.product_id,
        "id_order": id_order(doc.product_id),
        "name": doc.name,
        "name_exact": normalize(doc.name),
        "a": " ".join(tokens(doc.name)),
        "b": " ".join(tokens(" ".join([*doc.category_names, *values]))),
        "c": " ".join(tokens(" ".join([doc.description, doc.product_type, *doc.skus]))),
        "category_ids": list(doc.category_ids),
        "attrs": [f"{k}{ATTR_SEP}{v}" for k, vs in doc.attributes.items() for v in vs],
        "price": float(doc.price),
        "price_bucket": doc.price_bucket,
        "in_stock": doc.in_stock,
        "rating": float(doc.rating),
        "updated": int(doc.updated_at.timestamp() * 1_000_000),
        "terms": [normalize(t) for t in doc.brand_terms],
    }


def _words_of(doc: SearchDocument) -> set[str]:
    """Words a typo can be corrected to (letters only, 4 or more of them)."""
    values = [v for vs in doc.attributes.values() for v in vs]
    found = tokens(" ".join([doc.name, doc.description, *doc.category_names, *values]))
    return {w for w in found if typo_distance(w)}


@dataclass
class _Where:
    """A WHERE clause and its parameters, built with unique parameter names."""

    params: dict[str, Any]
    parts: list[str] = field(default_factory=list)

    def add(self, sql: str, **values: Any) -> None:
        for name, value in values.items():
            key = f"p{len(self.params)}"
            self.params[key] = value
            sql = sql.replace(f":{name}", f":{key}")
        self.parts.append(sql)

    def sql(self) -> str:
        return " AND ".join(self.parts) or "TRUE"


class PostgresEngine:
    name = "postgres"

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._upserts: dict[str, SearchDocument] = {}
        self._deletes: set[str] = set()
        self._clear = False
        self._trigram: str | bool | None = False  # schema of pg_trgm, None: absent, False: unread

    # -- writes ----------------------------------------------------------------------------------
    async def upsert_many(self, documents: Sequence[SearchDocument]) -> None:
        for doc in documents:
            self._deletes.discard(doc.product_id)
            self._upserts[doc.product_id] = doc

    async def delete_many(self, product_ids: Sequence[str]) -> None:
        for product_id in product_ids:
            self._upserts.pop(product_id, None)
            self._deletes.add(product_id)

    async def commit(self) -> None:
        upserts, deletes, clear = list(self._upserts.values()), list(self._deletes), self._clear
        self._upserts, self._deletes, self._clear = {}, set(), False
        async with self.engine.begin() as conn:
            if clear:
                await conn.execute(text("DELETE FROM search_index"))
            if deletes:
                await conn.execute(
                    text("DELETE FROM search_index WHERE product_id = ANY(:ids)").bindparams(
                        bindparam("ids", type_=ARRAY(Text))
                    ),
                    {"ids": deletes},
                )
            if upserts:
                await conn.execute(_UPSERT, [_row(d) for d in upserts])
                words = sorted(set().union(*(_words_of(d) for d in upserts)))
                if words:
                    await conn.execute(
                        text(
                            "INSERT INTO search_words (word) SELECT unnest(:words)"
                            " ON CONFLICT DO NOTHING"
                        ).bindparams(bindparam("words", type_=ARRAY(Text))),
                        {"words": words},
                    )

    async def clear(self) -> None:
        self._upserts, self._deletes, self._clear = {}, set(), True
        await self.commit()

    async def count(self) -> int:
        async with self.engine.connect() as conn:
            return int((await conn.execute(text("SELECT count(*) FROM search_index"))).scalar_one())

    async def close(self) -> None:
        """The database engine belongs to the subgraph; nothing of ours to release."""

    # -- queries ---------------------------------------------------------------------------------
    async def _trigram_schema(self, conn: AsyncConnection) -> str | None:
        if self._trigram is False:
            found = await conn.execute(
                text(
                    "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n"
                    " ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"
                )
            )
            self._trigram = found.scalar()
        return self._trigram if isinstance(self._trigram, str) else None

    async def _typos(self, conn: AsyncConnection, word: str) -> list[str]:
        distance = typo_distance(word)
        if not distance:
            return []
        bounds = {"w": word, "lo": len(word) - distance, "hi": len(word) + distance}
        schema = await self._trigram_schema(conn)
        if schema is not None:
            sql = (
                f'SELECT word FROM search_words WHERE "{schema}".similarity(word, :w) >= :t'
                " AND length(word) BETWEEN :lo AND :hi AND word OPERATOR("
                f'"{schema}".%) :w LIMIT :n'
            )
            await conn.execute(
                text(f"SET LOCAL pg_trgm.similarity_threshold = {TRIGRAM_THRESHOLD}")
            )
            bounds |= {"t": TRIGRAM_THRESHOLD}
        else:  # no pg_trgm: scan the (small) word list by length
            sql = "SELECT word FROM search_words WHERE length(word) BETWEEN :lo AND :hi LIMIT :n"
        rows = await conn.execute(text(sql), bounds | {"n": MAX_TYPO_CANDIDATES * 50})
        found = [w for (w,) in rows if w != word and edit_distance(word, w, distance) <= distance]
        return found[:MAX_TYPO_CANDIDATES]

    async def _tsqueries(self, conn: AsyncConnection, query: str) -> tuple[str, str] | None:
        """(every form, exact forms only) as ``to_tsquery`` text; words are letters and digits."""
        words = tokens(query)
        if not words:
            return None
        every, exact = [], []
        for i, word in enumerate(words):
            last = i == len(words) - 1
            forms = [word, *(await self._typos(conn, word))]
            if last:
                forms.append(f"{word}:*")
            every.append("(" + " | ".join(forms) + ")")
            exact.append(f"{word}:*" if last else word)
        return " & ".join(every), " & ".join(exact)

    @staticmethod
    def _where(match: str | None, filters: Filters, params: dict[str, Any]) -> _Where:
        where = _Where(params)
        if match is not None:
            where.parts.append("document @@ to_tsquery('simple', :every)")
        if filters.category_ids:
            where.add("category_ids && CAST(:v AS text[])", v=list(filters.category_ids))
        for name, values in filters.attributes:
            where.add(
                "attrs && CAST(:v AS text[])", v=[f"{name}{ATTR_SEP}{value}" for value in values]
            )
        if filters.price_min is not None:
            where.add("price >= :v", v=float(filters.price_min))
        if filters.price_max is not None:
            where.add("price <= :v", v=float(filters.price_max))
        if filters.in_stock is not None:
            where.add("in_stock = :v", v=filters.in_stock)
        if filters.rating_min is not None:
            where.add("rating >= :v", v=float(filters.rating_min))
        return where

    @staticmethod
    def _facet_sql(source: str, group: str) -> str:
        if group == CATEGORY:
            return (
                f"SELECT '{CATEGORY}', c, count(*) FROM {source}, unnest(category_ids) c GROUP BY c"
            )
        if group == PRICE:
            return f"SELECT '{PRICE}', price_bucket, count(*) FROM {source} GROUP BY price_bucket"
        if group == IN_STOCK:
            return f"SELECT '{IN_STOCK}', in_stock::text, count(*) FROM {source} GROUP BY in_stock"
        if group == RATING:
            return " UNION ALL ".join(
                f"SELECT '{RATING}', '{t}', count(*) FROM {source} WHERE rating >= {t}"
                for t in RATING_THRESHOLDS
            )
        return f"SELECT 'attrs', a, count(*) FROM {source}, unnest(attrs) a GROUP BY a"

    async def _facets(
        self, conn: AsyncConnection, match: str | None, filters: Filters, params: dict[str, Any]
    ) -> list[Facet]:
        active = filters.groups()
        passes = [(filters, [g for g in (CATEGORY, PRICE, IN_STOCK, RATING) if g not in active])]
        passes[0][1].append(ATTRIBUTE_PREFIX)
        passes.extend((filters.without(g), [g]) for g in active)
        ctes: list[str] = []
        selects: list[str] = []
        for i, (pass_filters, groups) in enumerate(passes):
            where = self._where(match, pass_filters, params)
            ctes.append(
                f"m{i} AS MATERIALIZED (SELECT category_ids, attrs, price_bucket, in_stock, rating"
                f" FROM search_index WHERE {where.sql()})"
            )
            selects.extend(
                f"SELECT {i} AS pass, * FROM ({self._facet_sql(f'm{i}', g)}) s{i}_{j}"
                for j, g in enumerate(groups)
            )
        sql = f"WITH {', '.join(ctes)} " + " UNION ALL ".join(selects)
        rows = (await conn.execute(text(sql), params)).all()
        found: dict[str, list[FacetValue]] = {g: [] for g in passes[0][1] if g != ATTRIBUTE_PREFIX}
        active_attrs = {g for g in active if g.startswith(ATTRIBUTE_PREFIX)}
        for pass_no, row_group, row_value, count in rows:
            if not count:
                continue
            group, value = str(row_group), str(row_value)
            if group == "attrs":
                name, _, value = value.partition(ATTR_SEP)
                group = ATTRIBUTE_PREFIX + name
                if (pass_no == 0) == (group in active_attrs):
                    continue  # an active attribute counts in its own pass only
                if pass_no and group != passes[pass_no][1][0]:
                    continue
            found.setdefault(group, []).append(FacetValue(value, int(count)))
        for group in active:
            found.setdefault(group, [])
        return facet_order([Facet(g, v) for g, v in found.items()])

    async def search(self, request: SearchRequest) -> SearchResult:
        async with self.engine.connect() as conn:
            queries = await self._tsqueries(conn, request.text)
            params: dict[str, Any] = {}
            match = None
            if queries is not None:
                match = "every"
                params |= {"every": queries[0], "exact": queries[1]}
            where = self._where(match, request.filters, params)
            total = int(
                (
                    await conn.execute(
                        text(f"SELECT count(*) FROM search_index WHERE {where.sql()}"), params
                    )
                ).scalar_one()
            )
            ids: list[str] = []
            if request.limit and request.offset < total:
                if request.sort is Sort.RELEVANCE and queries is not None:
                    params["name_exact"] = normalize(request.text)
                    order = (
                        "round(((name_exact = :name_exact)::int * 100"
                        " + 2 * ts_rank(document, to_tsquery('simple', :exact))"
                        " + ts_rank(document, to_tsquery('simple', :every)))::numeric, 4) DESC"
                    )
                else:
                    order = _ORDER.get(request.sort, "")
                order = f"{order}, id_order" if order else "id_order"
                page = await conn.execute(
                    text(
                        f"SELECT product_id FROM search_index WHERE {where.sql()}"
                        f" ORDER BY {order} LIMIT :limit OFFSET :offset"
                    ),
                    params | {"limit": request.limit, "offset": request.offset},
                )
                ids = [str(p) for (p,) in page]
            facets = (
                await self._facets(conn, match, request.filters, params) if request.facets else []
            )
        return SearchResult(total=total, product_ids=ids, facets=facets)

    async def suggest(self, prefix: str, limit: int) -> list[Suggestion]:
        words = tokens(prefix)
        if not words or limit <= 0:
            return []
        query = " & ".join([*(f"{w}:A" for w in words[:-1]), f"{words[-1]}:*A"])
        pattern = normalize(prefix).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                text(
                    "SELECT product_id, name FROM search_index"
                    " WHERE document @@ to_tsquery('simple', :q)"
                    " ORDER BY length(name), id_order LIMIT :n"
                ),
                {"q": query, "n": limit},
            )
            found = [Suggestion(text=str(name), product_id=str(pid)) for pid, name in rows]
            if len(found) < limit:
                terms = await conn.execute(
                    text(
                        "SELECT DISTINCT t FROM search_index, unnest(terms) t"
                        " WHERE t LIKE :p ORDER BY t LIMIT :n"
                    ),
                    {"p": pattern + "%", "n": limit - len(found)},
                )
                found.extend(Suggestion(text=str(t)) for (t,) in terms)
        return found
