"""Rounding of amounts to a currency's minor unit: ROUND_HALF_EVEN (banker's rounding)."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

from shared.money import MINOR_UNITS


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-MINOR_UNITS[currency])


def round_money(amount: Decimal, currency: str) -> Decimal:
    """``amount`` rounded half-even to ``currency``'s minor unit (0.125 EUR → 0.12)."""
    return amount.quantize(quantum(currency), rounding=ROUND_HALF_EVEN)


def to_minor(amount: Decimal, currency: str) -> int:
    return int(round_money(amount, currency).scaleb(MINOR_UNITS[currency]))


def from_minor(value: int, currency: str) -> Decimal:
    return round_money(Decimal(value).scaleb(-MINOR_UNITS[currency]), currency)
