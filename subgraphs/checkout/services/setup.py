"""Staff use cases that set checkout up: shipping zones and methods (MANAGE_SHIPPING), tax
rates and the prices-include-tax setting (MANAGE_SHIPPING), promotions and gift cards
(MANAGE_DISCOUNTS). Each checks its permission again (defence in depth)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from shared.auth import Permission, Principal, require
from shared.money import MINOR_UNITS
from subgraphs.checkout.domain.errors import AdminError, CheckoutAdminErrorCode
from subgraphs.checkout.domain.models import (
    GiftCard,
    Promotion,
    RateKind,
    ShippingMethod,
    ShippingZone,
    TaxRate,
)
from subgraphs.checkout.domain.money import round_money, to_minor
from subgraphs.checkout.domain.pricing import PromotionKind
from subgraphs.checkout.services.cart_changes import UowFactory

_COUNTRY = re.compile(r"[A-Z]{2}")
_CODE = re.compile(r"[A-Z0-9_-]{3,64}")
Code = CheckoutAdminErrorCode


def _invalid(message: str, field: str) -> AdminError:
    return AdminError(Code.INVALID, message, field=field)


def _currency(value: str, field: str = "currency") -> str:
    value = value.upper()
    if value not in MINOR_UNITS:
        raise _invalid("Not an ISO 4217 currency code.", field)
    return value


def _amount(value: Decimal, currency: str, field: str) -> Decimal:
    if not value.is_finite() or value < 0 or round_money(value, currency) != value:
        raise _invalid(f"A non-negative amount in {currency}'s minor units.", field)
    return round_money(value, currency)


async def create_shipping_zone(
    uow_factory: UowFactory, *, name: str, countries: Sequence[str], actor: Principal
) -> ShippingZone:
    require(actor, Permission.MANAGE_SHIPPING)
    name = name.strip()
    if not name:
        raise AdminError(Code.REQUIRED, "Name the zone.", field="name")
    codes = sorted({c.strip().upper() for c in countries})
    if not codes or not all(_COUNTRY.fullmatch(c) for c in codes):
        raise _invalid("Countries are ISO 3166-1 alpha-2 codes.", "countries")
    async with uow_factory() as uow:
        zone = ShippingZone(name=name, countries=codes)
        uow.shipping.add(zone)
        await uow.commit()
    return zone


@dataclass(frozen=True, slots=True)
class BandInput:
    up_to_grams: int | None
    amount: Decimal


async def create_shipping_method(
    uow_factory: UowFactory,
    *,
    zone_id: str,
    name: str,
    currency: str,
    flat_amount: Decimal | None = None,
    weight_bands: Sequence[BandInput] = (),
    free_over: Decimal | None = None,
    actor: Principal,
) -> ShippingMethod:
    require(actor, Permission.MANAGE_SHIPPING)
    currency = _currency(currency)
    if not name.strip():
        raise AdminError(Code.REQUIRED, "Name the method.", field="name")
    if (flat_amount is None) == (not weight_bands):
        raise _invalid("Give either a flat amount or weight bands.", "flatAmount")
    bands = []
    last = -1
    open_ended = False
    for i, band in enumerate(weight_bands):
        amount = _amount(band.amount, currency, f"weightBands.{i}.amount")
        if open_ended:
            raise _invalid("Only the last band may be open-ended.", f"weightBands.{i}")
        if band.up_to_grams is None:
            open_ended = True
        elif band.up_to_grams <= last:
            raise _invalid("Bands go up in weight.", f"weightBands.{i}.upToGrams")
        else:
            last = band.up_to_grams
        bands.append({"up_to_grams": band.up_to_grams, "amount": str(amount)})
    async with uow_factory() as uow:
        if await uow.shipping.zone(zone_id) is None:
            raise AdminError(Code.NOT_FOUND, "No such zone.", field="zoneId")
        method = ShippingMethod(
            zone_id=zone_id,
            name=name.strip(),
            currency=currency,
            rate_kind=RateKind.WEIGHT if bands else RateKind.FLAT,
            flat_amount=None
            if flat_amount is None
            else _amount(flat_amount, currency, "flatAmount"),
            weight_bands=bands,
            free_over=None if free_over is None else _amount(free_over, currency, "freeOver"),
        )
        uow.shipping.add(method)
        await uow.commit()
    return method


async def set_tax_rate(
    uow_factory: UowFactory, *, country: str, region: str, rate: Decimal, actor: Principal
) -> TaxRate:
    require(actor, Permission.MANAGE_SHIPPING)
    country = country.strip().upper()
    if not _COUNTRY.fullmatch(country):
        raise _invalid("An ISO 3166-1 alpha-2 code.", "country")
    if not rate.is_finite() or not Decimal(0) <= rate < 1:
        raise _invalid("A rate is a fraction from 0 to below 1 (0.2 = 20 %).", "rate")
    async with uow_factory() as uow:
        stored = await uow.taxes.set_rate(country=country, region=region.strip().upper(), rate=rate)
        await uow.commit()
    return stored


async def set_prices_include_tax(uow_factory: UowFactory, *, value: bool, actor: Principal) -> bool:
    require(actor, Permission.MANAGE_SHIPPING)
    async with uow_factory() as uow:
        await uow.taxes.set_prices_include_tax(value)
        await uow.commit()
    return value


@dataclass(frozen=True, slots=True)
class PromotionInput:
    code: str
    name: str
    kind: PromotionKind
    value: Decimal = Decimal(0)
    currency: str | None = None
    buy_variant_id: str | None = None
    buy_quantity: int = 0
    get_quantity: int = 0
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    usage_limit: int | None = None
    usage_limit_per_customer: int | None = None


def _check_promotion(data: PromotionInput) -> Promotion:
    code = data.code.strip().upper()
    if not _CODE.fullmatch(code):
        raise _invalid("3 to 64 letters, digits, - or _.", "code")
    currency = _currency(data.currency) if data.currency else None
    value = data.value
    if data.kind in (PromotionKind.PERCENTAGE, PromotionKind.BUY_X_GET_Y):
        if not Decimal(0) < value <= 100:
            raise _invalid("A percentage from above 0 to 100.", "value")
    elif data.kind is PromotionKind.FIXED_AMOUNT:
        if currency is None:
            raise AdminError(Code.REQUIRED, "A fixed amount needs a currency.", field="currency")
        if value <= 0:
            raise _invalid("A positive amount.", "value")
        value = _amount(value, currency, "value")
    if data.kind is PromotionKind.BUY_X_GET_Y and (
        not data.buy_variant_id or data.buy_quantity < 1 or data.get_quantity < 1
    ):
        raise _invalid("Buy X get Y needs a variant, X ≥ 1 and Y ≥ 1.", "buyQuantity")
    if data.starts_at and data.ends_at and data.ends_at <= data.starts_at:
        raise _invalid("The end comes after the start.", "endsAt")
    for name in ("usage_limit", "usage_limit_per_customer"):
        limit = getattr(data, name)
        if limit is not None and limit < 1:
            raise _invalid("A limit is at least 1.", name)
    return Promotion(
        code=code,
        name=data.name.strip() or code,
        kind=data.kind,
        value=value,
        currency=currency,
        buy_variant_id=data.buy_variant_id,
        buy_quantity=data.buy_quantity,
        get_quantity=data.get_quantity,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        usage_limit=data.usage_limit,
        usage_limit_per_customer=data.usage_limit_per_customer,
    )


async def create_promotion(
    uow_factory: UowFactory, *, data: PromotionInput, actor: Principal
) -> Promotion:
    require(actor, Permission.MANAGE_DISCOUNTS)
    promotion = _check_promotion(data)
    async with uow_factory() as uow:
        if await uow.promotions.by_code(promotion.code) is not None:
            raise AdminError(Code.DUPLICATE, "This code exists.", field="code")
        uow.promotions.add(promotion)
        await uow.commit()
    return promotion


async def create_gift_card(
    uow_factory: UowFactory,
    *,
    code: str,
    amount: Decimal,
    currency: str,
    expires_at: datetime | None = None,
    actor: Principal,
) -> GiftCard:
    require(actor, Permission.MANAGE_DISCOUNTS)
    code = code.strip().upper()
    if not _CODE.fullmatch(code) or len(code) < 8:
        raise _invalid("8 to 64 letters, digits, - or _.", "code")
    currency = _currency(currency)
    amount = _amount(amount, currency, "amount")
    if amount <= 0:
        raise _invalid("A positive amount.", "amount")
    async with uow_factory() as uow:
        if await uow.promotions.gift_card(code) is not None:
            raise AdminError(Code.DUPLICATE, "This code exists.", field="code")
        minor = to_minor(amount, currency)
        card = GiftCard(
            code=code,
            currency=currency,
            initial_minor=minor,
            balance_minor=minor,
            expires_at=expires_at,
        )
        uow.promotions.add(card)
        await uow.commit()
    return card
