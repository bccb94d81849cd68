"""The cost of a cart: subtotal, shipping, tax, discounts, gift cards and total, in Decimal.

    total = subtotal + shipping + tax (only when prices exclude it) - discounts - gift cards

Every amount is rounded to the currency's minor unit with ROUND_HALF_EVEN per line (a line's
discount, a line's tax), then summed: the parts always add up to the total exactly.

Promotions apply in a fixed order: buy-X-get-Y, then percentages (of what is left of each
line), then fixed amounts (spread over lines in proportion to what is left, the last line
taking the remainder), then free shipping. Item discounts never exceed the subtotal. Shipping
is priced on the subtotal after item discounts (for "free over" thresholds) and the cart's
weight. Gift cards pay what is left, in the order given, each up to its balance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from subgraphs.checkout.domain.address import Address
from subgraphs.checkout.domain.money import round_money
from subgraphs.checkout.domain.tax import TaxCalculator

ZERO = Decimal(0)
HUNDRED = Decimal(100)


class PromotionKind(StrEnum):
    PERCENTAGE = "PERCENTAGE"
    FIXED_AMOUNT = "FIXED_AMOUNT"
    FREE_SHIPPING = "FREE_SHIPPING"
    BUY_X_GET_Y = "BUY_X_GET_Y"


_ORDER = {
    PromotionKind.BUY_X_GET_Y: 0,
    PromotionKind.PERCENTAGE: 1,
    PromotionKind.FIXED_AMOUNT: 2,
    PromotionKind.FREE_SHIPPING: 3,
}


@dataclass(frozen=True, slots=True)
class PricedLine:
    line_id: str
    variant_id: str
    quantity: int
    unit_price: Decimal
    weight_grams: int = 0

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass(frozen=True, slots=True)
class Offer:
    """An applicable promotion as pricing sees it. ``value`` is a percentage (PERCENTAGE, and
    the share off the Y items of BUY_X_GET_Y, 100 = free) or an amount (FIXED_AMOUNT)."""

    code: str
    kind: PromotionKind
    value: Decimal = ZERO
    buy_variant_id: str | None = None
    buy_quantity: int = 0
    get_quantity: int = 0


@dataclass(frozen=True, slots=True)
class WeightBand:
    up_to_grams: int | None  # None: no upper bound
    amount: Decimal


@dataclass(frozen=True, slots=True)
class ShippingRate:
    """A shipping method's rate: flat, or by weight bands (the first band the weight fits);
    free when the discounted subtotal reaches ``free_over``."""

    method_id: str
    name: str
    flat_amount: Decimal | None = None
    weight_bands: tuple[WeightBand, ...] = ()
    free_over: Decimal | None = None

    def price(self, subtotal: Decimal, weight_grams: int) -> Decimal | None:
        """The rate, or None when no band fits the weight (method not available)."""
        if self.free_over is not None and subtotal >= self.free_over:
            return ZERO
        if self.weight_bands:
            for band in self.weight_bands:
                if band.up_to_grams is None or weight_grams <= band.up_to_grams:
                    return band.amount
            return None
        return self.flat_amount if self.flat_amount is not None else ZERO


@dataclass
class CartCost:
    currency: str
    subtotal: Decimal
    shipping: Decimal
    tax: Decimal
    discounts: Decimal
    gift_cards: Decimal
    total: Decimal
    prices_include_tax: bool
    line_discounts: dict[str, Decimal] = field(default_factory=dict)
    applied: dict[str, Decimal] = field(default_factory=dict)
    gift_card_use: dict[str, Decimal] = field(default_factory=dict)


def _spread(amount: Decimal, bases: list[Decimal], currency: str) -> list[Decimal]:
    """``amount`` split over ``bases`` in proportion, each part rounded half-even, the last
    non-zero base taking the remainder (so the parts add up to ``amount``)."""
    whole = sum(bases, ZERO)
    parts = [ZERO] * len(bases)
    if whole <= ZERO:
        return parts
    last = max(i for i, b in enumerate(bases) if b > ZERO)
    given = ZERO
    for i, base in enumerate(bases):
        if i == last:
            parts[i] = amount - given
        elif base > ZERO:
            parts[i] = min(round_money(amount * base / whole, currency), base)
            given += parts[i]
    return parts


def compute_cost(
    *,
    currency: str,
    lines: Sequence[PricedLine],
    offers: Sequence[Offer] = (),
    shipping: ShippingRate | None = None,
    address: Address | None = None,
    tax: TaxCalculator,
    gift_cards: Sequence[tuple[str, Decimal]] = (),
) -> CartCost:
    subtotal = sum((line.total for line in lines), ZERO)
    left = [line.total for line in lines]  # what is left of each line after discounts
    applied: dict[str, Decimal] = {}
    free_shipping: str | None = None
    for offer in sorted(offers, key=lambda o: _ORDER[o.kind]):
        taken = [ZERO] * len(lines)
        if offer.kind is PromotionKind.BUY_X_GET_Y:
            group = offer.buy_quantity + offer.get_quantity
            for i, line in enumerate(lines):
                if group <= 0 or line.variant_id != offer.buy_variant_id:
                    continue
                free_units = (line.quantity // group) * offer.get_quantity
                off = round_money(free_units * line.unit_price * offer.value / HUNDRED, currency)
                taken[i] = min(off, left[i])
        elif offer.kind is PromotionKind.PERCENTAGE:
            taken = [round_money(a * offer.value / HUNDRED, currency) for a in left]
        elif offer.kind is PromotionKind.FIXED_AMOUNT:
            amount = min(round_money(offer.value, currency), sum(left, ZERO))
            taken = _spread(amount, left, currency)
        else:
            free_shipping = offer.code
            continue
        left = [a - t for a, t in zip(left, taken, strict=True)]
        applied[offer.code] = round_money(sum(taken, ZERO), currency)
    item_discounts = subtotal - sum(left, ZERO)

    weight = sum(line.weight_grams * line.quantity for line in lines)
    shipping_amount = ZERO
    if shipping is not None:
        shipping_amount = shipping.price(subtotal - item_discounts, weight) or ZERO
    shipping_discount = shipping_amount if free_shipping is not None else ZERO
    if free_shipping is not None:
        applied[free_shipping] = round_money(shipping_discount, currency)
    taxes = tax.calculate(
        items=left, shipping=shipping_amount - shipping_discount, address=address, currency=currency
    )
    discounts = item_discounts + shipping_discount
    due = subtotal + shipping_amount - discounts
    if not taxes.prices_include_tax:
        due += taxes.total
    gift_card_use: dict[str, Decimal] = {}
    for code, balance in gift_cards:
        use = min(balance, due)
        if use > ZERO:
            gift_card_use[code] = round_money(use, currency)
            due -= use
    line_discounts = {
        line.line_id: round_money(line.total - remaining, currency)
        for line, remaining in zip(lines, left, strict=True)
    }

    def r(amount: Decimal) -> Decimal:  # exact already: only fixes the exponent (5.0000 → 5.00)
        return round_money(amount, currency)

    return CartCost(
        currency=currency,
        subtotal=r(subtotal),
        shipping=r(shipping_amount),
        tax=r(taxes.total),
        discounts=r(discounts),
        gift_cards=r(sum(gift_card_use.values(), ZERO)),
        total=r(due),
        prices_include_tax=taxes.prices_include_tax,
        line_discounts=line_discounts,
        applied=applied,
        gift_card_use=gift_card_use,
    )
