"""A cart priced for display and for completion: lines, codes, shipping options, problems
known without inventory (price changed, product unavailable) and the cost."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from subgraphs.checkout.domain.address import Address
from subgraphs.checkout.domain.models import (
    Cart,
    CartLine,
    CatalogVariant,
    GiftCard,
    Promotion,
    RateKind,
    ShippingMethod,
    ShippingZone,
    now,
)
from subgraphs.checkout.domain.money import from_minor, round_money
from subgraphs.checkout.domain.pricing import (
    CartCost,
    Offer,
    PricedLine,
    PromotionKind,
    ShippingRate,
    WeightBand,
    compute_cost,
)
from subgraphs.checkout.domain.tax import TableTaxCalculator

DEFAULT_CURRENCY = "EUR"


class CodeStatus(StrEnum):
    APPLICABLE = "APPLICABLE"
    NOT_FOUND = "NOT_FOUND"
    INACTIVE = "INACTIVE"
    NOT_STARTED = "NOT_STARTED"
    EXPIRED = "EXPIRED"
    USAGE_LIMIT_REACHED = "USAGE_LIMIT_REACHED"
    CUSTOMER_USAGE_LIMIT_REACHED = "CUSTOMER_USAGE_LIMIT_REACHED"
    CURRENCY_MISMATCH = "CURRENCY_MISMATCH"
    NO_BALANCE = "NO_BALANCE"


class ProblemCode(StrEnum):
    OUT_OF_STOCK = "OUT_OF_STOCK"
    INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK"
    PRICE_CHANGED = "PRICE_CHANGED"
    PRODUCT_UNAVAILABLE = "PRODUCT_UNAVAILABLE"


@dataclass(frozen=True, slots=True)
class Problem:
    code: ProblemCode
    line_id: str
    variant_id: str
    message: str


@dataclass
class CartContext:
    """What pricing a cart needs, read in one go (``CartReader.contexts``)."""

    cart: Cart
    lines: list[CartLine]
    variants: Mapping[str, CatalogVariant]
    promotions: Mapping[str, Promotion]
    promotion_uses: Mapping[str, int]
    gift_cards: Mapping[str, GiftCard]
    zones: list[ShippingZone]
    methods: list[ShippingMethod]
    tax_rates: Mapping[tuple[str, str], Decimal]
    prices_include_tax: bool


@dataclass(frozen=True, slots=True)
class LineView:
    id: str
    variant_id: str
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    price_at_add: Decimal
    total: Decimal
    discount: Decimal
    available: bool


@dataclass(frozen=True, slots=True)
class CodeView:
    code: str
    status: CodeStatus
    amount: Decimal

    @property
    def applicable(self) -> bool:
        return self.status is CodeStatus.APPLICABLE


@dataclass(frozen=True, slots=True)
class ShippingOption:
    method_id: str
    name: str
    amount: Decimal


@dataclass
class CartView:
    cart: Cart
    currency: str
    lines: list[LineView]
    discount_codes: list[CodeView]
    gift_cards: list[CodeView]
    shipping_options: list[ShippingOption]
    selected_method: ShippingOption | None
    address: Address | None
    cost: CartCost
    problems: list[Problem] = field(default_factory=list)
    promotions: dict[str, Promotion] = field(default_factory=dict)

    @property
    def total_quantity(self) -> int:
        return sum(line.quantity for line in self.lines)


def promotion_status(
    promotion: Promotion | None, *, currency: str, uses_by_customer: int, at: datetime
) -> CodeStatus:
    if promotion is None:
        return CodeStatus.NOT_FOUND
    if not promotion.active:
        return CodeStatus.INACTIVE
    if promotion.starts_at is not None and at < promotion.starts_at:
        return CodeStatus.NOT_STARTED
    if promotion.ends_at is not None and at >= promotion.ends_at:
        return CodeStatus.EXPIRED
    if promotion.usage_limit is not None and promotion.used_count >= promotion.usage_limit:
        return CodeStatus.USAGE_LIMIT_REACHED
    if (
        promotion.usage_limit_per_customer is not None
        and uses_by_customer >= promotion.usage_limit_per_customer
    ):
        return CodeStatus.CUSTOMER_USAGE_LIMIT_REACHED
    if promotion.currency is not None and promotion.currency != currency:
        return CodeStatus.CURRENCY_MISMATCH
    return CodeStatus.APPLICABLE


def gift_card_status(card: GiftCard | None, *, currency: str, at: datetime) -> CodeStatus:
    if card is None:
        return CodeStatus.NOT_FOUND
    if not card.active:
        return CodeStatus.INACTIVE
    if card.expires_at is not None and at >= card.expires_at:
        return CodeStatus.EXPIRED
    if card.currency != currency:
        return CodeStatus.CURRENCY_MISMATCH
    if card.balance_minor <= 0:
        return CodeStatus.NO_BALANCE
    return CodeStatus.APPLICABLE


def shipping_rate(method: ShippingMethod, currency: str) -> ShippingRate:
    bands: tuple[WeightBand, ...] = ()
    if method.rate_kind == RateKind.WEIGHT:
        bands = tuple(
            WeightBand(
                up_to_grams=None if b.get("up_to_grams") is None else int(b["up_to_grams"]),
                amount=round_money(Decimal(str(b["amount"])), currency),
            )
            for b in method.weight_bands
        )
    return ShippingRate(
        method_id=method.id,
        name=method.name,
        flat_amount=None
        if method.flat_amount is None
        else round_money(Decimal(method.flat_amount), currency),
        weight_bands=bands,
        free_over=None if method.free_over is None else Decimal(method.free_over),
    )


def methods_for(ctx: CartContext, country: str | None, currency: str) -> list[ShippingMethod]:
    if country is None:
        return []
    zone_ids = {z.id for z in ctx.zones if country in z.countries}
    return [m for m in ctx.methods if m.zone_id in zone_ids and m.currency == currency]


def price_cart(ctx: CartContext, *, at: datetime | None = None) -> CartView:
    """Price ``ctx``'s cart at ``at``: only applicable codes count; problems known here."""
    at = at or now()
    cart = ctx.cart
    currency = cart.currency or DEFAULT_CURRENCY
    lines: list[LineView] = []
    priced: list[PricedLine] = []
    problems: list[Problem] = []
    for line in ctx.lines:
        variant = ctx.variants.get(line.variant_id)
        available = variant is not None and variant.available and variant.currency == currency
        unit = (
            round_money(Decimal(variant.price_amount), currency)
            if variant is not None
            else round_money(Decimal(line.price_at_add), currency)
        )
        at_add = round_money(Decimal(line.price_at_add), currency)
        if not available:
            problems.append(
                Problem(
                    ProblemCode.PRODUCT_UNAVAILABLE,
                    line.id,
                    line.variant_id,
                    "This product is no longer sold.",
                )
            )
        elif unit != at_add:
            problems.append(
                Problem(
                    ProblemCode.PRICE_CHANGED,
                    line.id,
                    line.variant_id,
                    f"The price changed from {at_add} to {unit} {currency} since it was added.",
                )
            )
        if available:
            assert variant is not None
            priced.append(
                PricedLine(
                    line_id=line.id,
                    variant_id=line.variant_id,
                    quantity=line.quantity,
                    unit_price=unit,
                    weight_grams=variant.weight_grams,
                )
            )
        lines.append(
            LineView(
                id=line.id,
                variant_id=line.variant_id,
                sku=variant.sku if variant else "",
                name=variant.display_name if variant else "",
                quantity=line.quantity,
                unit_price=unit,
                price_at_add=at_add,
                total=unit * line.quantity,
                discount=Decimal(0),
                available=available,
            )
        )
    code_status: list[tuple[str, CodeStatus]] = []
    offers: list[Offer] = []
    for code in cart.discount_codes:
        promotion = ctx.promotions.get(code)
        status = promotion_status(
            promotion,
            currency=currency,
            uses_by_customer=ctx.promotion_uses.get(promotion.id, 0) if promotion else 0,
            at=at,
        )
        code_status.append((code, status))
        if status is CodeStatus.APPLICABLE and promotion is not None:
            offers.append(
                Offer(
                    code=code,
                    kind=PromotionKind(promotion.kind),
                    value=Decimal(promotion.value),
                    buy_variant_id=promotion.buy_variant_id,
                    buy_quantity=promotion.buy_quantity,
                    get_quantity=promotion.get_quantity,
                )
            )
    address = Address.from_dict(cart.shipping_address) if cart.shipping_address else None
    methods = methods_for(ctx, address.country_code if address else None, currency)
    subtotal = sum((p.total for p in priced), Decimal(0))
    weight = sum(p.weight_grams * p.quantity for p in priced)
    options = []
    for method in methods:
        amount = shipping_rate(method, currency).price(subtotal, weight)
        if amount is not None:
            options.append(ShippingOption(method.id, method.name, round_money(amount, currency)))
    selected = next((o for o in options if o.method_id == cart.shipping_method_id), None)
    selected_method = next((m for m in methods if m.id == cart.shipping_method_id), None)
    gift_status = [
        (code, gift_card_status(ctx.gift_cards.get(code), currency=currency, at=at))
        for code in cart.gift_card_codes
    ]
    cost = compute_cost(
        currency=currency,
        lines=priced,
        offers=offers,
        shipping=shipping_rate(selected_method, currency)
        if selected is not None and selected_method
        else None,
        address=address,
        tax=TableTaxCalculator(ctx.tax_rates, ctx.prices_include_tax),
        gift_cards=[
            (code, from_minor(ctx.gift_cards[code].balance_minor, currency))
            for code, status in gift_status
            if status is CodeStatus.APPLICABLE
        ],
    )
    if selected is not None:
        selected = ShippingOption(selected.method_id, selected.name, cost.shipping)
    lines = [
        LineView(
            id=v.id,
            variant_id=v.variant_id,
            sku=v.sku,
            name=v.name,
            quantity=v.quantity,
            unit_price=v.unit_price,
            price_at_add=v.price_at_add,
            total=v.total,
            discount=cost.line_discounts.get(v.id, Decimal(0)),
            available=v.available,
        )
        for v in lines
    ]
    zero = round_money(Decimal(0), currency)
    return CartView(
        cart=cart,
        currency=currency,
        lines=lines,
        discount_codes=[
            CodeView(code, status, cost.applied.get(code, zero)) for code, status in code_status
        ],
        gift_cards=[
            CodeView(code, status, cost.gift_card_use.get(code, zero))
            for code, status in gift_status
        ],
        shipping_options=options,
        selected_method=selected,
        address=address,
        cost=cost,
        problems=problems,
        promotions={c: p for c, p in ctx.promotions.items() if c in cart.discount_codes},
    )
