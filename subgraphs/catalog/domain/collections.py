"""Collections: a manual, ordered list of products, or rules every member must match.

Rule-based collections are materialised on change: whenever a product is written its
membership is recomputed with ``CollectionRules.matches`` (and a change of rules recomputes the
collection), so reading a collection is always one indexed join.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from shared.money import Money, MoneyError, parse_amount
from subgraphs.catalog.domain.errors import CatalogError, CatalogErrorCode

MAX_RULES = 10


class CollectionKind(StrEnum):
    MANUAL = "MANUAL"
    RULES = "RULES"


class RuleKind(StrEnum):
    ATTRIBUTE_EQUALS = "ATTRIBUTE_EQUALS"
    PRICE_BELOW = "PRICE_BELOW"  # base price strictly below the amount, in any currency
    CATEGORY = "CATEGORY"


@dataclass(frozen=True, slots=True)
class ProductFacts:
    """What rules look at: attribute values, base price, the category and its ancestors."""

    attributes: Mapping[str, Sequence[str]]
    price: Money
    category_ids: frozenset[str]


@dataclass(frozen=True, slots=True)
class CollectionRule:
    kind: RuleKind
    attribute: str | None = None
    value: str | None = None
    category_id: str | None = None

    def check(self, index: int) -> CollectionRule:
        field = f"rules.{index}"
        if self.kind == RuleKind.ATTRIBUTE_EQUALS and not (self.attribute and self.value):
            raise CatalogError(
                CatalogErrorCode.REQUIRED, "Give the attribute and its value.", field=field
            )
        if self.kind == RuleKind.PRICE_BELOW:
            try:
                limit = parse_amount(self.value or "")
            except MoneyError as exc:
                raise CatalogError(CatalogErrorCode.INVALID, str(exc), field=field) from exc
            if limit <= 0:
                raise CatalogError(
                    CatalogErrorCode.INVALID, "The price limit must be positive.", field=field
                )
        if self.kind == RuleKind.CATEGORY and not self.category_id:
            raise CatalogError(CatalogErrorCode.REQUIRED, "Give the category.", field=field)
        return self

    def matches(self, facts: ProductFacts) -> bool:
        if self.kind == RuleKind.ATTRIBUTE_EQUALS:
            wanted = (self.value or "").casefold()
            for name, values in facts.attributes.items():
                if name.casefold() == (self.attribute or "").casefold():
                    return any(v.casefold() == wanted for v in values)
            return False
        if self.kind == RuleKind.PRICE_BELOW:
            return facts.price.amount < Decimal(self.value or "0")
        return self.category_id in facts.category_ids

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "attribute": self.attribute,
            "value": self.value,
            "category_id": self.category_id,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CollectionRule:
        return cls(
            kind=RuleKind(data["kind"]),
            attribute=data.get("attribute"),
            value=data.get("value"),
            category_id=data.get("category_id"),
        )


@dataclass(frozen=True, slots=True)
class CollectionRules:
    """All rules must match (AND). No rules match nothing (a rule collection is never 'all')."""

    rules: tuple[CollectionRule, ...]

    @classmethod
    def of(cls, rules: Sequence[CollectionRule]) -> CollectionRules:
        if not rules or len(rules) > MAX_RULES:
            raise CatalogError(
                CatalogErrorCode.INVALID, f"Give 1 to {MAX_RULES} rules.", field="rules"
            )
        return cls(tuple(rule.check(i) for i, rule in enumerate(rules)))

    def matches(self, facts: ProductFacts) -> bool:
        return bool(self.rules) and all(rule.matches(facts) for rule in self.rules)

    def to_json(self) -> list[dict[str, Any]]:
        return [r.to_json() for r in self.rules]

    @classmethod
    def from_json(cls, data: Sequence[Mapping[str, Any]] | None) -> CollectionRules:
        return cls(tuple(CollectionRule.from_json(d) for d in data or ()))
