"""Rules without I/O: typed attributes, variants from options, collection rules, category
cycles, slug suffixes, compare-at prices."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shared.money import Money
from subgraphs.catalog.domain.attributes import AttributeKind, AttributeSpec, ProductTypeSpec
from subgraphs.catalog.domain.collections import (
    CollectionRule,
    CollectionRules,
    ProductFacts,
    RuleKind,
)
from subgraphs.catalog.domain.errors import CatalogError, CatalogErrorCode
from subgraphs.catalog.domain.models import check_compare_at, unique_slug, would_cycle
from subgraphs.catalog.domain.variants import OptionValues, generate_variants

SHIRT = ProductTypeSpec(
    name="Shirt",
    attributes=(
        AttributeSpec("material", AttributeKind.CHOICE, choices=("Cotton", "Linen"), required=True),
        AttributeSpec("weight", AttributeKind.NUMBER),
        AttributeSpec("organic", AttributeKind.BOOLEAN),
        AttributeSpec("care", AttributeKind.TEXT),
        AttributeSpec("colour", AttributeKind.CHOICE, choices=("Navy", "Sand"), multiple=True),
    ),
)


def code_of(error: pytest.ExceptionInfo[CatalogError]) -> tuple[CatalogErrorCode, str | None]:
    return error.value.code, error.value.field


def test_values_are_normalised_by_kind_in_the_types_order() -> None:
    values = SHIRT.validate(
        {
            "organic": ["Yes"],
            "Material": ["linen"],
            "weight": ["1.50"],
            "care": [" Wash cold "],
            "colour": ["sand", "NAVY", "Sand"],
        }
    )

    assert values == {
        "material": ["Linen"],
        "weight": ["1.5"],
        "organic": ["true"],
        "care": ["Wash cold"],
        "colour": ["Sand", "Navy"],
    }


@pytest.mark.parametrize(
    ("values", "code", "field"),
    [
        ({"material": ["Silk"]}, CatalogErrorCode.INVALID_ATTRIBUTE, "attributes.material"),
        (
            {"material": ["Cotton"], "weight": ["heavy"]},
            CatalogErrorCode.INVALID_ATTRIBUTE,
            "attributes.weight",
        ),
        (
            {"material": ["Cotton"], "weight": ["NaN"]},
            CatalogErrorCode.INVALID_ATTRIBUTE,
            "attributes.weight",
        ),
        (
            {"material": ["Cotton"], "organic": ["maybe"]},
            CatalogErrorCode.INVALID_ATTRIBUTE,
            "attributes.organic",
        ),
        (
            {"material": ["Cotton", "Linen"]},
            CatalogErrorCode.INVALID_ATTRIBUTE,
            "attributes.material",
        ),
        (
            {"material": ["Cotton"], "fit": ["slim"]},
            CatalogErrorCode.INVALID_ATTRIBUTE,
            "attributes.fit",
        ),
        ({"care": ["Wash cold"]}, CatalogErrorCode.REQUIRED, "attributes.material"),
    ],
    ids=[
        "not-a-choice",
        "not-a-number",
        "nan",
        "not-a-boolean",
        "two-values",
        "unknown",
        "required",
    ],
)
def test_values_that_break_the_type_are_refused(
    values: dict[str, list[str]], code: CatalogErrorCode, field: str
) -> None:
    with pytest.raises(CatalogError) as error:
        SHIRT.validate(values)

    assert code_of(error) == (code, field)


def test_a_choice_attribute_needs_unique_allowed_values() -> None:
    with pytest.raises(CatalogError) as error:
        AttributeSpec("size", AttributeKind.CHOICE, choices=("M", "m"))
    assert code_of(error) == (CatalogErrorCode.DUPLICATE, "choices")
    with pytest.raises(CatalogError):
        AttributeSpec("size", AttributeKind.CHOICE)
    with pytest.raises(CatalogError):
        AttributeSpec("note", AttributeKind.TEXT, choices=("a",))


def test_variants_are_every_combination_with_skus_from_the_values() -> None:
    variants = generate_variants(
        "ox shirt",
        [OptionValues("size", ("S", "M")), OptionValues("colour", ("Navy", "Bleu ciel"))],
    )

    assert [(v.sku, v.options, v.name) for v in variants] == [
        ("OX-SHIRT-S-NAVY", {"size": "S", "colour": "Navy"}, "S / Navy"),
        ("OX-SHIRT-S-BLEU-CIEL", {"size": "S", "colour": "Bleu ciel"}, "S / Bleu ciel"),
        ("OX-SHIRT-M-NAVY", {"size": "M", "colour": "Navy"}, "M / Navy"),
        ("OX-SHIRT-M-BLEU-CIEL", {"size": "M", "colour": "Bleu ciel"}, "M / Bleu ciel"),
    ]


@pytest.mark.parametrize(
    "options",
    [
        [],
        [OptionValues("size", ())],
        [OptionValues("size", ("M", "m"))],
        [OptionValues("size", ("S",)), OptionValues("Size", ("M",))],
        [OptionValues("a", tuple("abcdefghijk")), OptionValues("b", tuple("abcdefghijk"))],
    ],
    ids=["none", "no-values", "same-sku-part", "same-option-twice", "over-100"],
)
def test_bad_options_generate_nothing(options: list[OptionValues]) -> None:
    with pytest.raises(CatalogError):
        generate_variants("OX", options)


FACTS = ProductFacts(
    attributes={"colour": ["Navy", "Sand"]},
    price=Money.of("49.90", "EUR"),
    category_ids=frozenset({"shirts", "clothing"}),
)


@pytest.mark.parametrize(
    ("rules", "matches"),
    [
        ([CollectionRule(RuleKind.ATTRIBUTE_EQUALS, attribute="Colour", value="sand")], True),
        ([CollectionRule(RuleKind.ATTRIBUTE_EQUALS, attribute="colour", value="Rust")], False),
        ([CollectionRule(RuleKind.PRICE_BELOW, value="50")], True),
        ([CollectionRule(RuleKind.PRICE_BELOW, value="49.90")], False),
        ([CollectionRule(RuleKind.CATEGORY, category_id="clothing")], True),
        (
            [
                CollectionRule(RuleKind.CATEGORY, category_id="clothing"),
                CollectionRule(RuleKind.PRICE_BELOW, value="20"),
            ],
            False,
        ),
    ],
)
def test_collection_rules_all_must_match(rules: list[CollectionRule], matches: bool) -> None:
    assert CollectionRules.of(rules).matches(FACTS) is matches


def test_rules_survive_their_json_form_and_bad_rules_are_refused() -> None:
    rules = CollectionRules.of([CollectionRule(RuleKind.PRICE_BELOW, value="20")])
    assert CollectionRules.from_json(rules.to_json()) == rules
    assert not CollectionRules.from_json([]).matches(FACTS)
    for bad in (
        CollectionRule(RuleKind.PRICE_BELOW, value="-1"),
        CollectionRule(RuleKind.PRICE_BELOW, value="cheap"),
        CollectionRule(RuleKind.ATTRIBUTE_EQUALS, attribute="colour"),
        CollectionRule(RuleKind.CATEGORY),
    ):
        with pytest.raises(CatalogError):
            CollectionRules.of([bad])


def test_a_category_cannot_move_under_itself_or_its_descendants() -> None:
    parents: dict[str, str | None] = {"root": None, "a": "root", "b": "a", "other": None}

    assert would_cycle("a", "a", parents)
    assert would_cycle("a", "b", parents)
    assert not would_cycle("b", "other", parents)
    assert not would_cycle("a", None, parents)


def test_a_taken_slug_gets_the_first_free_suffix() -> None:
    assert unique_slug("tee", set()) == "tee"
    assert unique_slug("tee", {"tee", "tee-2"}) == "tee-3"
    assert len(unique_slug("x" * 120, {"x" * 120})) == 120


def test_a_compare_at_price_is_above_the_price_in_its_currency() -> None:
    price = Money.of("10.00", "EUR")
    assert check_compare_at(Money.of("12", "EUR"), price, "f") == Money.of(Decimal("12"), "EUR")
    for bad in (Money.of("10", "EUR"), Money.of("12", "USD")):
        with pytest.raises(CatalogError):
            check_compare_at(bad, price, "f")
