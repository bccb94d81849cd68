"""Money: a Decimal amount in an ISO 4217 currency. Arithmetic in Decimal, never float."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

# ISO 4217 active codes and their minor units (digits after the decimal point).
_ZERO = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_THREE = "BHD IQD JOD KWD LYD OMR TND"
_FOUR = "CLF UYW"
_TWO = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN "
    "BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP "
    "GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK "
    "LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK "
    "NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP "
    "STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER "
    "ZAR ZMW ZWG"
)
MINOR_UNITS: dict[str, int] = {
    **dict.fromkeys(_TWO.split(), 2),
    **dict.fromkeys(_ZERO.split(), 0),
    **dict.fromkeys(_THREE.split(), 3),
    **dict.fromkeys(_FOUR.split(), 4),
}


class MoneyError(ValueError):
    """An amount or currency that cannot be money."""


def parse_amount(value: str | int | Decimal) -> Decimal:
    """A finite Decimal from a string or int (floats are refused: they cannot hold cents exactly)."""
    if isinstance(value, float):
        raise MoneyError("money amounts must not be floats")
    try:
        amount = Decimal(value)
    except (InvalidOperation, ValueError) as exc:
        raise MoneyError(f"{value!r} is not a decimal amount") from exc
    if not amount.is_finite():
        raise MoneyError(f"{value!r} is not a finite amount")
    return amount


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if self.currency not in MINOR_UNITS:
            raise MoneyError(f"{self.currency!r} is not an ISO 4217 currency code")
        if not isinstance(self.amount, Decimal) or not self.amount.is_finite():
            raise MoneyError("amount must be a finite Decimal")
        exponent = self.amount.as_tuple().exponent
        assert isinstance(exponent, int)
        if -exponent > MINOR_UNITS[self.currency]:
            raise MoneyError(
                f"{self.amount} has more decimals than {self.currency} allows "
                f"({MINOR_UNITS[self.currency]})"
            )

    @classmethod
    def of(cls, amount: str | int | Decimal, currency: str) -> Money:
        """Money from user input, normalized to the currency's minor units."""
        currency = currency.upper()
        if currency not in MINOR_UNITS:
            raise MoneyError(f"{currency!r} is not an ISO 4217 currency code")
        parsed = parse_amount(amount)
        quantum = Decimal(1).scaleb(-MINOR_UNITS[currency])
        try:
            quantized = parsed.quantize(quantum, rounding=ROUND_HALF_EVEN)
        except InvalidOperation as exc:  # more digits than the decimal context holds
            raise MoneyError(f"{amount} is too large an amount") from exc
        if parsed != quantized:
            raise MoneyError(f"{amount} has more decimals than {currency} allows")
        return cls(quantized, currency)

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise MoneyError(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def times(self, quantity: int) -> Money:
        return Money(self.amount * quantity, self.currency)

    @property
    def is_negative(self) -> bool:
        return self.amount < 0
