"""Search input types."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from subgraphs.search.domain.query import Filters


@strawberry.input(description="Products having any of these values of one attribute.")
class AttributeFilter:
    name: str = strawberry.field(description="Attribute name, e.g. color.")
    values: list[str] = strawberry.field(description="Any of these values (OR).")


@strawberry.input(
    description="Narrow a search. Values within a filter are OR-ed; filters are AND-ed."
)
class SearchFilters:
    category_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="In any of these categories (or their subcategories)."
    )
    attributes: list[AttributeFilter] | None = strawberry.field(
        default=None, description="Attribute values, e.g. color red or blue."
    )
    price_min: Decimal | None = strawberry.field(
        default=None, description="Lowest price, inclusive."
    )
    price_max: Decimal | None = strawberry.field(
        default=None, description="Highest price, inclusive."
    )
    in_stock: bool | None = strawberry.field(default=None, description="Only (not) in stock.")
    rating_min: float | None = strawberry.field(
        default=None, description="Average rating at least this (0 to 5)."
    )

    def to_domain(self) -> Filters:
        attributes: dict[str, list[str]] = {}
        for item in self.attributes or []:
            attributes.setdefault(item.name, []).extend(item.values)
        return Filters(
            category_ids=tuple(dict.fromkeys(str(c) for c in self.category_ids or [])),
            attributes=tuple(
                (name, tuple(dict.fromkeys(values)))
                for name, values in sorted(attributes.items())
                if values
            ),
            price_min=self.price_min,
            price_max=self.price_max,
            in_stock=self.in_stock,
            rating_min=self.rating_min,
        )
