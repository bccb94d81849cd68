"""Tax calculation behind the ``TaxCalculator`` interface.

``TableTaxCalculator`` uses rates by country and region (a region's own rate wins over its
country's; none means 0). With ``prices_include_tax`` (a shop setting) prices already hold the
tax: it is shown (``amount - amount / (1 + rate)``) but not added to the total; otherwise it is
``amount x rate`` and added. Tax is computed per taxable amount (each line after its
discounts, and shipping after a shipping discount) and rounded to the currency's minor unit with
ROUND_HALF_EVEN per amount; the total tax is the sum of the rounded amounts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from subgraphs.checkout.domain.address import Address
from subgraphs.checkout.domain.money import round_money

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class TaxResult:
    items: list[Decimal]
    shipping: Decimal
    prices_include_tax: bool
    rate: Decimal

    @property
    def total(self) -> Decimal:
        return sum(self.items, ZERO) + self.shipping


class TaxCalculator(Protocol):
    """What pricing needs from a tax engine (a table here; a tax service could implement it)."""

    @property
    def prices_include_tax(self) -> bool: ...

    def calculate(
        self,
        *,
        items: Sequence[Decimal],
        shipping: Decimal,
        address: Address | None,
        currency: str,
    ) -> TaxResult: ...


@dataclass(frozen=True)
class TableTaxCalculator:
    """Rates keyed by ``(country, region)``; region ``""`` is the country's default rate."""

    rates: Mapping[tuple[str, str], Decimal]
    prices_include_tax: bool = False

    def rate_for(self, address: Address | None) -> Decimal:
        if address is None:
            return ZERO
        country = address.country_code
        region = address.province_code.upper()
        if region and (country, region) in self.rates:
            return self.rates[(country, region)]
        return self.rates.get((country, ""), ZERO)

    def _tax(self, amount: Decimal, rate: Decimal, currency: str) -> Decimal:
        if rate == ZERO or amount <= ZERO:
            return round_money(ZERO, currency)
        if self.prices_include_tax:
            return round_money(amount - amount / (1 + rate), currency)
        return round_money(amount * rate, currency)

    def calculate(
        self,
        *,
        items: Sequence[Decimal],
        shipping: Decimal,
        address: Address | None,
        currency: str,
    ) -> TaxResult:
        rate = self.rate_for(address)
        return TaxResult(
            items=[self._tax(a, rate, currency) for a in items],
            shipping=self._tax(shipping, rate, currency),
            prices_include_tax=self.prices_include_tax,
            rate=rate,
        )
