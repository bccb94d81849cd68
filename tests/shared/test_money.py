"""Money: ISO 4217 codes, minor units, Decimal only, same-currency arithmetic."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shared.money import MINOR_UNITS, Money, MoneyError, parse_amount


@pytest.mark.parametrize(
    ("currency", "digits"), [("EUR", 2), ("USD", 2), ("JPY", 0), ("KWD", 3), ("CLF", 4)]
)
def test_minor_units_follow_iso_4217(currency: str, digits: int) -> None:
    assert MINOR_UNITS[currency] == digits


@pytest.mark.parametrize("currency", ["EURO", "XYZ", "eur", "", "BTC"])
def test_unknown_currency_codes_are_refused(currency: str) -> None:
    with pytest.raises(MoneyError, match="ISO 4217"):
        Money(Decimal("1.00"), currency)


def test_of_upper_cases_the_currency_code() -> None:
    assert Money.of("3.50", "eur") == Money(Decimal("3.50"), "EUR")


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("10", "EUR", "10.00"),
        ("10.5", "EUR", "10.50"),
        (7, "USD", "7.00"),
        (Decimal("1e2"), "EUR", "100.00"),
        ("1500", "JPY", "1500"),
        ("1.0000", "JPY", "1"),
        ("1.5", "KWD", "1.500"),
        ("-2.25", "EUR", "-2.25"),
    ],
)
def test_of_quantizes_to_the_minor_units(
    amount: str | int | Decimal, currency: str, expected: str
) -> None:
    money = Money.of(amount, currency)

    assert str(money.amount) == expected
    assert money.currency == currency


@pytest.mark.parametrize(
    ("amount", "currency"), [("1.5", "JPY"), ("0.001", "EUR"), ("1.2345", "KWD")]
)
def test_too_many_decimals_are_refused_not_rounded(amount: str, currency: str) -> None:
    with pytest.raises(MoneyError, match="more decimals"):
        Money.of(amount, currency)


def test_direct_construction_checks_decimals_too() -> None:
    with pytest.raises(MoneyError, match="more decimals than JPY"):
        Money(Decimal("1.5"), "JPY")
    assert Money(Decimal("1.500"), "KWD").amount == Decimal("1.5")


def test_floats_are_refused() -> None:
    with pytest.raises(MoneyError, match="float"):
        Money.of(0.1, "EUR")  # type: ignore[arg-type]
    with pytest.raises(MoneyError, match="float"):
        parse_amount(2.5)  # type: ignore[arg-type]
    with pytest.raises(MoneyError, match="finite Decimal"):
        Money(0.5, "EUR")  # type: ignore[arg-type]


@pytest.mark.parametrize("amount", ["abc", "", "1,50", "NaN", "Infinity", "-inf", "sNaN"])
def test_amounts_that_are_not_finite_decimals_are_refused(amount: str) -> None:
    with pytest.raises(MoneyError):
        Money.of(amount, "EUR")


@pytest.mark.parametrize("amount", ["1e30", "12345678901234567890123456789"])
def test_amounts_too_large_for_the_decimal_context_are_money_errors(amount: str) -> None:
    with pytest.raises(MoneyError, match="too large"):
        Money.of(amount, "EUR")


def test_addition_and_subtraction_in_one_currency() -> None:
    a = Money.of("10.10", "EUR")
    b = Money.of("0.95", "EUR")

    assert a + b == Money.of("11.05", "EUR")
    assert b - a == Money.of("-9.15", "EUR")
    assert (b - a).is_negative
    assert not (a - b).is_negative


def test_times_multiplies_by_a_quantity() -> None:
    assert Money.of("19.99", "USD").times(3) == Money.of("59.97", "USD")
    assert Money.of("0.125", "KWD").times(0) == Money.of("0", "KWD")


def test_arithmetic_refuses_mixed_currencies() -> None:
    eur = Money.of("1", "EUR")
    usd = Money.of("1", "USD")

    with pytest.raises(MoneyError, match="cannot combine EUR with USD"):
        _ = eur + usd
    with pytest.raises(MoneyError, match="cannot combine EUR with USD"):
        _ = eur - usd


def test_money_is_immutable_and_compares_by_value() -> None:
    money = Money.of("5", "EUR")

    assert money == Money(Decimal("5"), "EUR")
    assert money != Money.of("5", "USD")
    with pytest.raises(AttributeError):
        money.amount = Decimal("6")  # type: ignore[misc]
