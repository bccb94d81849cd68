"""Pricing without I/O: totals arithmetic, rounding, tax with and without tax-inclusive prices,
every promotion kind, shipping rates, gift cards."""

from __future__ import annotations

from decimal import Decimal

import pytest

from subgraphs.checkout.domain.address import Address
from subgraphs.checkout.domain.pricing import (
    Offer,
    PricedLine,
    PromotionKind,
    ShippingRate,
    WeightBand,
    compute_cost,
)
from subgraphs.checkout.domain.tax import TableTaxCalculator

D = Decimal
DE = Address("A", "B", "Street 1", "Berlin", "DE", "10115")
US_CA = Address("A", "B", "Street 1", "SF", "US", "94103", province_code="CA")
NO_TAX = TableTaxCalculator({})
VAT = TableTaxCalculator({("DE", ""): D("0.19"), ("US", ""): D("0"), ("US", "CA"): D("0.0725")})


def line(
    line_id: str, price: str, quantity: int, variant: str | None = None, grams: int = 0
) -> PricedLine:
    return PricedLine(line_id, variant or line_id, quantity, D(price), grams)


def test_totals_add_up_exactly() -> None:
    cost = compute_cost(
        currency="EUR",
        lines=[line("a", "19.99", 3), line("b", "0.01", 1)],
        shipping=ShippingRate("m", "Flat", flat_amount=D("4.90")),
        address=DE,
        tax=VAT,
    )
    assert cost.subtotal == D("59.98")
    # tax per line, half-even: 59.97 x 0.19 = 11.3943 → 11.39; 0.01 x 0.19 → 0.00; 4.90 → 0.93
    assert cost.tax == D("12.32")
    assert cost.total == cost.subtotal + cost.shipping + cost.tax - cost.discounts - cost.gift_cards
    assert cost.total == D("77.20")


def test_half_even_rounding_per_line() -> None:
    rate = TableTaxCalculator({("DE", ""): D("0.5")})
    cost = compute_cost(
        currency="EUR", lines=[line("a", "0.05", 1), line("b", "0.03", 1)], address=DE, tax=rate
    )
    assert cost.tax == D("0.04")  # 0.025 → 0.02 (to even), 0.015 → 0.02 (to even)


def test_tax_included_in_prices_is_shown_not_added() -> None:
    included = TableTaxCalculator({("DE", ""): D("0.19")}, prices_include_tax=True)
    cost = compute_cost(currency="EUR", lines=[line("a", "119.00", 1)], address=DE, tax=included)
    assert cost.tax == D("19.00")
    assert cost.total == D("119.00")
    assert cost.prices_include_tax


def test_region_rate_wins_over_country_rate() -> None:
    cost = compute_cost(currency="USD", lines=[line("a", "100.00", 1)], address=US_CA, tax=VAT)
    assert cost.tax == D("7.25")
    no_region = Address("A", "B", "S", "Austin", "US", "73301", province_code="TX")
    assert (
        compute_cost(currency="USD", lines=[line("a", "100.00", 1)], address=no_region, tax=VAT).tax
        == 0
    )


def test_no_address_no_tax() -> None:
    assert compute_cost(currency="EUR", lines=[line("a", "10.00", 1)], tax=VAT).tax == 0


def test_percentage_then_fixed_and_taxed_after_discounts() -> None:
    cost = compute_cost(
        currency="EUR",
        lines=[line("a", "30.00", 1), line("b", "10.00", 1)],
        offers=[
            Offer("FIVE", PromotionKind.FIXED_AMOUNT, D("5.00")),
            Offer("TEN", PromotionKind.PERCENTAGE, D("10")),
        ],
        address=DE,
        tax=VAT,
    )
    # 10 % first: 3.00 + 1.00; then 5.00 spread 27:9 → 3.75 + 1.25
    assert cost.applied == {"TEN": D("4.00"), "FIVE": D("5.00")}
    assert cost.line_discounts == {"a": D("6.75"), "b": D("2.25")}
    assert cost.discounts == D("9.00")
    assert cost.tax == D("4.42") + D("1.47")  # 23.25 x .19 = 4.4175; 7.75 x .19 = 1.4725
    assert cost.total == D("31.00") + D("5.89")


def test_a_fixed_amount_never_exceeds_the_subtotal() -> None:
    cost = compute_cost(
        currency="EUR",
        lines=[line("a", "3.00", 1)],
        offers=[Offer("BIG", PromotionKind.FIXED_AMOUNT, D("50.00"))],
        tax=NO_TAX,
    )
    assert (cost.discounts, cost.total) == (D("3.00"), D("0.00"))


def test_buy_two_get_one_free() -> None:
    offer = Offer("B2G1", PromotionKind.BUY_X_GET_Y, D("100"), "mug", 2, 1)
    cost = compute_cost(
        currency="EUR",
        lines=[line("a", "8.50", 7, "mug"), line("b", "20.00", 3)],
        offers=[offer],
        tax=NO_TAX,
    )
    assert cost.applied["B2G1"] == D("17.00")  # 7 mugs: two groups of 3 → 2 free
    assert cost.total == D("59.50") + D("60.00") - D("17.00")


def test_free_shipping_and_free_over_threshold() -> None:
    rate = ShippingRate("m", "Flat", flat_amount=D("4.90"), free_over=D("50.00"))
    paid = compute_cost(
        currency="EUR",
        lines=[line("a", "10.00", 1)],
        offers=[Offer("SHIP", PromotionKind.FREE_SHIPPING)],
        shipping=rate,
        tax=NO_TAX,
    )
    assert (paid.shipping, paid.discounts, paid.total) == (D("4.90"), D("4.90"), D("10.00"))
    free = compute_cost(currency="EUR", lines=[line("a", "50.00", 1)], shipping=rate, tax=NO_TAX)
    assert free.shipping == 0


@pytest.mark.parametrize(
    ("grams", "expected"), [(0, "5.00"), (1000, "5.00"), (1001, "9.00"), (99_999, "15.00")]
)
def test_weight_bands(grams: int, expected: str) -> None:
    rate = ShippingRate(
        "m",
        "Parcel",
        weight_bands=(
            WeightBand(1000, D("5.00")),
            WeightBand(5000, D("9.00")),
            WeightBand(None, D("15.00")),
        ),
    )
    assert rate.price(D("10"), grams) == D(expected)
    bounded = ShippingRate("m", "Small", weight_bands=(WeightBand(1000, D("5.00")),))
    assert bounded.price(D("10"), 2000) is None


def test_gift_cards_pay_in_order_up_to_their_balance() -> None:
    cost = compute_cost(
        currency="EUR",
        lines=[line("a", "25.00", 1)],
        tax=NO_TAX,
        gift_cards=[("ONE", D("10.00")), ("TWO", D("100.00")), ("THREE", D("5.00"))],
    )
    assert cost.gift_card_use == {"ONE": D("10.00"), "TWO": D("15.00")}
    assert (cost.gift_cards, cost.total) == (D("25.00"), D("0.00"))


def test_zero_decimal_currency() -> None:
    cost = compute_cost(
        currency="JPY",
        lines=[line("a", "1000", 3)],
        offers=[Offer("P", PromotionKind.PERCENTAGE, D("12.5"))],
        tax=NO_TAX,
    )
    assert cost.discounts == D("375")
    assert cost.total == D("2625")
