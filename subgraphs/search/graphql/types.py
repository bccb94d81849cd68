"""Search GraphQL types; ``Product`` is the catalog's entity (only its id is resolved here)."""

from __future__ import annotations

import strawberry

from shared.graphql.types import PageInfo
from subgraphs.search.domain.query import Sort

SearchSort = strawberry.enum(Sort, name="SearchSort", description="How results are ordered.")


@strawberry.federation.type(keys=["id"], description="A product, as the search subgraph knows it.")
class Product:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Product:
        # Search holds no data of its own for a product: the router asks the catalog for the
        # rest, so a reference resolves to itself without a read.
        return cls(id=id)


@strawberry.type(description="One hit with its cursor.")
class SearchEdge:
    cursor: str
    node: Product


@strawberry.type(description="A value of a facet and how many results have it.")
class FacetValueCount:
    value: str = strawberry.field(
        description="Category id, attribute value, price bucket (e.g. 25-50, 1000-*), "
        "true/false for inStock, or a star threshold (4 = 4 stars and up) for rating."
    )
    count: int
    label: str = strawberry.field(
        description="What to show: the category's name for the category facet, else the value."
    )


@strawberry.type(
    description="Counts per value of one facet, computed with the filters of the other facets "
    "(choosing a value keeps the others' counts visible)."
)
class SearchFacet:
    name: str = strawberry.field(
        description="category, price, inStock, rating, or attributes.<name>."
    )
    values: list[FacetValueCount]


@strawberry.type(description="A page of search results, their total and facets.")
class SearchResults:
    total_count: int = strawberry.field(description="Number of matching products.")
    edges: list[SearchEdge]
    page_info: PageInfo
    facets: list[SearchFacet]


@strawberry.type(description="A completion of what the shopper typed.")
class SearchSuggestion:
    text: str
    product: Product | None = strawberry.field(
        description="The product whose name this is; null for category and brand terms."
    )
