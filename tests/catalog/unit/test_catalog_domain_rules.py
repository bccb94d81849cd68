"""The catalog's invariants, without I/O: name, slug, description and price checks, slugify,
price changes as events, and who may see a product."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from shared.auth import ANONYMOUS, SYSTEM, Permission, Principal
from shared.money import Money
from subgraphs.catalog.domain.errors import CatalogError, CatalogErrorCode
from subgraphs.catalog.domain.events import PriceChanged, ProductUpserted
from subgraphs.catalog.domain.models import (
    MAX_DESCRIPTION,
    MAX_NAME,
    Product,
    ProductStatus,
    check_description,
    check_name,
    check_price,
    check_slug,
    slugify,
)
from subgraphs.catalog.graphql.types import can_see


def product(
    *, price: str = "10.00", currency: str = "EUR", status: ProductStatus = ProductStatus.DRAFT
) -> Product:
    return Product(
        slug="linen-shirt",
        name="Linen Shirt",
        status=status,
        price_amount=Decimal(price),
        currency=currency,
    )


# --- name ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given_name", "expected"),
    [
        ("Linen Shirt", "Linen Shirt"),
        ("  Linen \t\n Shirt  ", "Linen Shirt"),
        ("x" * MAX_NAME, "x" * MAX_NAME),
    ],
)
def test_a_name_is_trimmed_and_its_whitespace_collapsed(given_name: str, expected: str) -> None:
    assert check_name(given_name) == expected


@pytest.mark.parametrize("blank", ["", "   ", "\t\n"])
def test_a_blank_name_is_required(blank: str) -> None:
    with pytest.raises(CatalogError) as caught:
        check_name(blank)
    assert (caught.value.code, caught.value.field) == (CatalogErrorCode.REQUIRED, "name")


def test_a_name_longer_than_the_limit_is_invalid_on_the_field_given() -> None:
    with pytest.raises(CatalogError) as caught:
        check_name("x" * (MAX_NAME + 1), field="variants.0.name")
    assert (caught.value.code, caught.value.field) == (CatalogErrorCode.INVALID, "variants.0.name")


# --- slug ---------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["a", "linen-shirt", "tee-2024", "x" * 120])
def test_a_well_formed_slug_is_kept(slug: str) -> None:
    assert check_slug(slug) == slug


@pytest.mark.parametrize(
    "slug",
    [
        "",
        "Linen-Shirt",
        "linen shirt",
        "linen--shirt",
        "-linen",
        "linen-",
        "linen_shirt",
        "é",
        "x" * 121,
    ],
)
def test_a_malformed_slug_is_invalid(slug: str) -> None:
    with pytest.raises(CatalogError) as caught:
        check_slug(slug)
    assert (caught.value.code, caught.value.field) == (CatalogErrorCode.INVALID, "slug")


# --- description ----------------------------------------------------------------------------


def test_a_description_up_to_the_limit_is_kept() -> None:
    assert check_description("d" * MAX_DESCRIPTION) == "d" * MAX_DESCRIPTION


def test_a_description_over_the_limit_is_invalid() -> None:
    with pytest.raises(CatalogError) as caught:
        check_description("d" * (MAX_DESCRIPTION + 1))
    assert (caught.value.code, caught.value.field) == (CatalogErrorCode.INVALID, "description")


# --- price ----------------------------------------------------------------------------------


@pytest.mark.parametrize("amount", ["0", "0.00", "19.99", "1000000"])
def test_a_price_of_zero_or_more_is_kept(amount: str) -> None:
    price = Money.of(amount, "EUR")
    assert check_price(price) == price


def test_a_negative_price_is_invalid_on_the_field_given() -> None:
    with pytest.raises(CatalogError) as caught:
        check_price(Money.of("-0.01", "EUR"), field="variants.2.price")
    assert (caught.value.code, caught.value.field) == (
        CatalogErrorCode.INVALID,
        "variants.2.price",
    )


# --- slugify --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Linen Shirt", "linen-shirt"),
        ("  Crème Brûlée, 2 pack!  ", "creme-brulee-2-pack"),
        ("T-Shirt -- XL", "t-shirt-xl"),
        ("日本語", ""),
        ("!!!", ""),
    ],
)
def test_slugify_makes_lowercase_ascii_words_joined_by_single_hyphens(
    text: str, expected: str
) -> None:
    assert slugify(text) == expected


def test_slugify_cuts_a_long_name_to_a_valid_slug() -> None:
    slug = slugify("a" * 119 + " b" + " c" * 50)

    assert len(slug) <= 120
    assert check_slug(slug) == slug


@hypothesis_settings(database=None, max_examples=300, deadline=None)
@given(st.text(max_size=300) | st.text(alphabet="aZ9 -é!", min_size=110, max_size=300))
def test_slugify_gives_a_valid_slug_or_nothing(text: str) -> None:
    slug = slugify(text)

    assert slug == "" or check_slug(slug) == slug


# --- price changes ----------------------------------------------------------------------------


@pytest.mark.parametrize("same", ["10", "10.0", "10.00"])
def test_setting_the_same_price_records_nothing(same: str) -> None:
    linen = product(price="10.00")

    assert linen.change_price(Money.of(same, "EUR")) is None
    assert linen.price == Money.of("10.00", "EUR")


def test_a_new_amount_changes_the_price_and_records_price_changed() -> None:
    linen = product(price="10.00")

    event = linen.change_price(Money.of("12.50", "EUR"))

    assert event == PriceChanged(
        product_id=linen.id,
        old_amount="10.00",
        old_currency="EUR",
        new_amount="12.50",
        new_currency="EUR",
    )
    assert linen.price == Money.of("12.50", "EUR")


def test_a_new_currency_with_the_same_number_is_a_price_change() -> None:
    linen = product(price="10.00", currency="EUR")

    event = linen.change_price(Money.of("10.00", "USD"))

    assert event is not None
    assert (event.old_currency, event.new_currency) == ("EUR", "USD")
    assert (linen.price_amount, linen.currency) == (Decimal("10.00"), "USD")


def test_upserted_carries_the_products_public_state() -> None:
    linen = product(price="10.5", status=ProductStatus.PUBLISHED)

    assert linen.upserted() == ProductUpserted(
        product_id=linen.id,
        slug="linen-shirt",
        name="Linen Shirt",
        status="PUBLISHED",
        price_amount="10.50",
        currency="EUR",
        category_id=None,
    )


# --- who sees what --------------------------------------------------------------------------

PRODUCT_MANAGER = Principal(
    kind="staff", id="s1", permissions=frozenset({Permission.MANAGE_PRODUCTS})
)
ORDER_CLERK = Principal(kind="staff", id="s2", permissions=frozenset({Permission.MANAGE_ORDERS}))
CUSTOMER = Principal(kind="customer", id="c1")


@pytest.mark.parametrize("principal", [ANONYMOUS, CUSTOMER, ORDER_CLERK, PRODUCT_MANAGER, SYSTEM])
def test_everyone_sees_a_published_product(principal: Principal) -> None:
    assert can_see(principal, product(status=ProductStatus.PUBLISHED))


@pytest.mark.parametrize(
    ("principal", "sees"),
    [
        (ANONYMOUS, False),
        (CUSTOMER, False),
        (ORDER_CLERK, False),
        (PRODUCT_MANAGER, True),
        (SYSTEM, True),
    ],
)
def test_only_who_manages_products_sees_a_draft(principal: Principal, sees: bool) -> None:
    assert can_see(principal, product(status=ProductStatus.DRAFT)) is sees
