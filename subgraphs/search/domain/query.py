"""A search as the engines receive it, checked; and what they answer.

Facets are disjunctive (as in Algolia and Meilisearch): the counts of one facet group are
computed with the filters of every *other* group, so choosing "red" still shows how many
"blue" there are. ``Filters.without(group)`` gives those filters.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum

from shared.pagination import MAX_PAGE_SIZE, PaginationError, decode_cursor, encode_cursor
from subgraphs.search.domain.errors import SearchError, SearchErrorCode

MAX_QUERY_LENGTH = 200
MAX_OFFSET = 10_000
MAX_FILTER_VALUES = 100
DEFAULT_PAGE_SIZE = 20
CATEGORY = "category"
PRICE = "price"
IN_STOCK = "inStock"
RATING = "rating"
ATTRIBUTE_PREFIX = "attributes."


class Sort(StrEnum):
    RELEVANCE = "RELEVANCE"
    PRICE_ASC = "PRICE_ASC"
    PRICE_DESC = "PRICE_DESC"
    NEWEST = "NEWEST"
    RATING = "RATING"


@dataclass(frozen=True, slots=True)
class Filters:
    """Values within a group are OR-ed; groups are AND-ed."""

    category_ids: tuple[str, ...] = ()
    attributes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    in_stock: bool | None = None
    rating_min: float | None = None

    def groups(self) -> list[str]:
        """The facet groups these filters restrict."""
        found = []
        if self.category_ids:
            found.append(CATEGORY)
        found.extend(ATTRIBUTE_PREFIX + name for name, _ in self.attributes)
        if self.price_min is not None or self.price_max is not None:
            found.append(PRICE)
        if self.in_stock is not None:
            found.append(IN_STOCK)
        if self.rating_min is not None:
            found.append(RATING)
        return found

    def without(self, group: str) -> Filters:
        """These filters less those of ``group`` (for that group's facet counts)."""
        if group == CATEGORY:
            return replace(self, category_ids=())
        if group == PRICE:
            return replace(self, price_min=None, price_max=None)
        if group == IN_STOCK:
            return replace(self, in_stock=None)
        if group == RATING:
            return replace(self, rating_min=None)
        name = group.removeprefix(ATTRIBUTE_PREFIX)
        return replace(self, attributes=tuple((n, v) for n, v in self.attributes if n != name))


@dataclass(frozen=True, slots=True)
class SearchRequest:
    text: str
    filters: Filters = field(default_factory=Filters)
    sort: Sort = Sort.RELEVANCE
    offset: int = 0
    limit: int = DEFAULT_PAGE_SIZE
    facets: bool = True


@dataclass(frozen=True, slots=True)
class FacetValue:
    value: str
    count: int


@dataclass(frozen=True, slots=True)
class Facet:
    name: str
    values: list[FacetValue]


@dataclass(frozen=True, slots=True)
class SearchResult:
    """``product_ids`` is the page (at most ``limit``); ``total`` counts every match."""

    total: int
    product_ids: list[str]
    facets: list[Facet] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A completion: a product's name (with its id), or a category or brand term (no id)."""

    text: str
    product_id: str | None = None


def facet_order(facets: list[Facet]) -> list[Facet]:
    """Stable output: groups by name, values by count (desc) then value."""
    return [
        Facet(f.name, sorted(f.values, key=lambda v: (-v.count, v.value)))
        for f in sorted(facets, key=lambda f: f.name)
    ]


# -- cursors: [offset of the next item, id of the last item seen] ---------------------------------
def encode_search_cursor(offset: int, product_id: str) -> str:
    return encode_cursor([offset, product_id])


def decode_search_cursor(cursor: str) -> tuple[int, str]:
    try:
        values = decode_cursor(cursor)
    except PaginationError as exc:
        raise SearchError(
            SearchErrorCode.INVALID_CURSOR, "after is not a valid cursor", field="after"
        ) from exc
    match values:
        case [int(offset), str(product_id)] if 0 < offset <= MAX_OFFSET:
            return offset, product_id
    raise SearchError(SearchErrorCode.INVALID_CURSOR, "after is not a valid cursor", field="after")


def _check_filters(filters: Filters) -> None:
    if filters.price_min is not None and filters.price_min < 0:
        raise SearchError(
            SearchErrorCode.INVALID_PRICE_RANGE, "priceMin cannot be negative.", field="priceMin"
        )
    if (
        filters.price_min is not None
        and filters.price_max is not None
        and filters.price_min > filters.price_max
    ):
        raise SearchError(
            SearchErrorCode.INVALID_PRICE_RANGE,
            "priceMin must not be greater than priceMax.",
            field="priceMin",
        )
    if filters.rating_min is not None and not 0 <= filters.rating_min <= 5:
        raise SearchError(SearchErrorCode.INVALID_RATING, "ratingMin is 0 to 5.", field="ratingMin")
    values = len(filters.category_ids) + sum(len(v) for _, v in filters.attributes)
    if values > MAX_FILTER_VALUES:
        raise SearchError(
            SearchErrorCode.TOO_MANY_FILTERS,
            f"At most {MAX_FILTER_VALUES} filter values.",
            field="filters",
        )


def build_request(
    text: str,
    *,
    first: int | None,
    after: str | None,
    filters: Filters,
    sort: Sort,
    facets: bool = True,
) -> SearchRequest:
    """A checked request, or ``SearchError`` naming the field at fault."""
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchError(
            SearchErrorCode.QUERY_TOO_LONG,
            f"query is at most {MAX_QUERY_LENGTH} characters.",
            field="query",
        )
    size = DEFAULT_PAGE_SIZE if first is None else first
    if not 0 <= size <= MAX_PAGE_SIZE:
        raise SearchError(
            SearchErrorCode.INVALID_FIRST,
            f"first must be between 0 and {MAX_PAGE_SIZE}",
            field="first",
        )
    offset = decode_search_cursor(after)[0] if after else 0
    _check_filters(filters)
    return SearchRequest(
        text=text.strip(),
        filters=filters,
        sort=sort,
        offset=offset,
        limit=size,
        facets=facets,
    )
