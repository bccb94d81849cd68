"""Search queries: ``search`` and ``searchSuggestions``. Both are public (anonymous shoppers
search) and only ever see published products."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shared.graphql.errors import PublicError
from shared.graphql.selection import selects
from shared.graphql.types import PageInfo
from subgraphs.search.domain.errors import SearchError
from subgraphs.search.domain.query import CATEGORY, Sort, build_request, encode_search_cursor
from subgraphs.search.graphql.context import SearchContext
from subgraphs.search.graphql.inputs import SearchFilters
from subgraphs.search.graphql.types import (
    FacetValueCount,
    Product,
    SearchEdge,
    SearchFacet,
    SearchResults,
    SearchSort,
    SearchSuggestion,
)
from subgraphs.search.services.search_products import search_products, suggest


def _public(error: SearchError) -> PublicError:
    return PublicError(error.message, code=error.code.value, field=error.field)


@strawberry.type(name="Query")
class SearchQuery:
    @strawberry.field(
        description="Published products matching the words (typos tolerated, the last word "
        "completed), filtered, sorted, one page at a time (first ≤ 100), with facet counts."
    )
    async def search(
        self,
        info: Info[SearchContext, None],
        query: str,
        first: int | None = 20,
        after: str | None = None,
        filters: SearchFilters | None = None,
        sort: SearchSort = Sort.RELEVANCE,  # type: ignore[valid-type]
    ) -> SearchResults:
        try:
            request = build_request(
                query,
                first=first,
                after=after,
                filters=filters.to_domain() if filters else SearchFilters().to_domain(),
                sort=Sort(sort),
                facets=selects(info, "facets"),
            )
        except SearchError as exc:
            raise _public(exc) from exc
        result = await search_products(info.context.search_engine(), request)
        edges = [
            SearchEdge(
                cursor=encode_search_cursor(request.offset + i + 1, product_id),
                node=Product(id=strawberry.ID(product_id)),
            )
            for i, product_id in enumerate(result.product_ids)
        ]
        category_values = [v.value for f in result.facets if f.name == CATEGORY for v in f.values]
        names = (
            await info.context.category_labels().names(category_values) if category_values else {}
        )
        return SearchResults(
            total_count=result.total,
            edges=edges,
            page_info=PageInfo(
                has_next_page=request.offset + len(edges) < result.total and bool(edges),
                has_previous_page=request.offset > 0,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            facets=[
                SearchFacet(
                    name=f.name,
                    values=[
                        FacetValueCount(
                            value=v.value,
                            count=v.count,
                            label=names.get(v.value, v.value) if f.name == CATEGORY else v.value,
                        )
                        for v in f.values
                    ],
                )
                for f in result.facets
            ],
        )

    @strawberry.field(
        description="Completions for a search box: product names (with the product), then "
        "category and brand terms (first ≤ 20)."
    )
    async def search_suggestions(
        self, info: Info[SearchContext, None], prefix: str, first: int = 5
    ) -> list[SearchSuggestion]:
        found = await suggest(info.context.search_engine(), prefix, first)
        return [
            SearchSuggestion(
                text=s.text,
                product=Product(id=strawberry.ID(s.product_id)) if s.product_id else None,
            )
            for s in found
        ]
