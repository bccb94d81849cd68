"""Staff mutations: shipping zones and methods, tax (MANAGE_SHIPPING); promotions and gift
cards (MANAGE_DISCOUNTS)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry.types import Info

from shared.auth import Permission
from shared.graphql.permissions import HasPermission, requires
from subgraphs.checkout.domain import models
from subgraphs.checkout.domain.errors import AdminError
from subgraphs.checkout.domain.money import from_minor
from subgraphs.checkout.graphql.context import CheckoutContext
from subgraphs.checkout.graphql.inputs import PromotionCreateInput, ShippingMethodCreateInput
from subgraphs.checkout.graphql.payloads import (
    CheckoutAdminUserError,
    GiftCard,
    GiftCardPayload,
    Promotion,
    PromotionPayload,
    ShippingMethod,
    ShippingMethodPayload,
    ShippingZone,
    ShippingZonePayload,
    TaxRate,
    TaxRatePayload,
    TaxSettingsPayload,
)
from subgraphs.checkout.services import setup

Ctx = Info[CheckoutContext, None]
SHIPPING = requires(HasPermission(Permission.MANAGE_SHIPPING))
DISCOUNTS = requires(HasPermission(Permission.MANAGE_DISCOUNTS))


def _err(exc: AdminError) -> list[CheckoutAdminUserError]:
    return [CheckoutAdminUserError.from_domain(exc)]


def promotion_view(p: models.Promotion) -> Promotion:
    return Promotion(
        id=strawberry.ID(p.id),
        code=p.code,
        name=p.name,
        kind=str(p.kind),
        value=Decimal(p.value),
        used_count=p.used_count,
        usage_limit=p.usage_limit,
        usage_limit_per_customer=p.usage_limit_per_customer,
        starts_at=p.starts_at,
        ends_at=p.ends_at,
    )


def shipping_method_view(method: models.ShippingMethod) -> ShippingMethod:
    return ShippingMethod(
        id=strawberry.ID(method.id),
        zone_id=strawberry.ID(method.zone_id),
        name=method.name,
        currency=method.currency,
        rate_kind=str(method.rate_kind),
        flat_amount=method.flat_amount,
        free_over=method.free_over,
    )


def gift_card_view(card: models.GiftCard) -> GiftCard:
    return GiftCard(
        code=card.code,
        currency=card.currency,
        balance=from_minor(card.balance_minor, card.currency),
        initial=from_minor(card.initial_minor, card.currency),
    )


@strawberry.type
class SetupMutation:
    @strawberry.mutation(extensions=SHIPPING, description="Create a shipping zone (countries).")
    async def shipping_zone_create(
        self, info: Ctx, name: str, countries: list[str]
    ) -> ShippingZonePayload:
        try:
            zone = await setup.create_shipping_zone(
                info.context.unit_of_work(),
                name=name,
                countries=countries,
                actor=info.context.principal,
            )
        except AdminError as exc:
            return ShippingZonePayload(shipping_zone=None, user_errors=_err(exc))
        return ShippingZonePayload(
            shipping_zone=ShippingZone(
                id=strawberry.ID(zone.id), name=zone.name, countries=zone.countries
            ),
            user_errors=[],
        )

    @strawberry.mutation(extensions=SHIPPING, description="Create a shipping method in a zone.")
    async def shipping_method_create(
        self, info: Ctx, input: ShippingMethodCreateInput
    ) -> ShippingMethodPayload:
        try:
            method = await setup.create_shipping_method(
                info.context.unit_of_work(),
                zone_id=str(input.zone_id),
                name=input.name,
                currency=input.currency,
                flat_amount=input.flat_amount,
                weight_bands=[
                    setup.BandInput(b.up_to_grams, b.amount) for b in input.weight_bands or []
                ],
                free_over=input.free_over,
                actor=info.context.principal,
            )
        except AdminError as exc:
            return ShippingMethodPayload(shipping_method=None, user_errors=_err(exc))
        return ShippingMethodPayload(shipping_method=shipping_method_view(method), user_errors=[])

    @strawberry.mutation(
        extensions=SHIPPING, description="Set the tax rate of a country or region (0.2 = 20 %)."
    )
    async def tax_rate_set(
        self, info: Ctx, country: str, rate: Decimal, region: str = ""
    ) -> TaxRatePayload:
        try:
            stored = await setup.set_tax_rate(
                info.context.unit_of_work(),
                country=country,
                region=region,
                rate=rate,
                actor=info.context.principal,
            )
        except AdminError as exc:
            return TaxRatePayload(tax_rate=None, user_errors=_err(exc))
        return TaxRatePayload(
            tax_rate=TaxRate(country=stored.country, region=stored.region, rate=stored.rate),
            user_errors=[],
        )

    @strawberry.mutation(
        extensions=SHIPPING, description="Whether catalog prices already include tax."
    )
    async def shop_tax_settings_update(
        self, info: Ctx, prices_include_tax: bool
    ) -> TaxSettingsPayload:
        value = await setup.set_prices_include_tax(
            info.context.unit_of_work(), value=prices_include_tax, actor=info.context.principal
        )
        return TaxSettingsPayload(prices_include_tax=value, user_errors=[])

    @strawberry.mutation(extensions=DISCOUNTS, description="Create a promotion code.")
    async def promotion_create(self, info: Ctx, input: PromotionCreateInput) -> PromotionPayload:
        try:
            promotion = await setup.create_promotion(
                info.context.unit_of_work(),
                data=setup.PromotionInput(
                    code=input.code,
                    name=input.name,
                    kind=input.kind,
                    value=input.value,
                    currency=input.currency,
                    buy_variant_id=str(input.buy_variant_id) if input.buy_variant_id else None,
                    buy_quantity=input.buy_quantity,
                    get_quantity=input.get_quantity,
                    starts_at=input.starts_at,
                    ends_at=input.ends_at,
                    usage_limit=input.usage_limit,
                    usage_limit_per_customer=input.usage_limit_per_customer,
                ),
                actor=info.context.principal,
            )
        except AdminError as exc:
            return PromotionPayload(promotion=None, user_errors=_err(exc))
        return PromotionPayload(promotion=promotion_view(promotion), user_errors=[])

    @strawberry.mutation(extensions=DISCOUNTS, description="Issue a gift card.")
    async def gift_card_create(
        self,
        info: Ctx,
        code: str,
        amount: Decimal,
        currency: str,
        expires_at: datetime | None = None,
    ) -> GiftCardPayload:
        try:
            card = await setup.create_gift_card(
                info.context.unit_of_work(),
                code=code,
                amount=amount,
                currency=currency,
                expires_at=expires_at,
                actor=info.context.principal,
            )
        except AdminError as exc:
            return GiftCardPayload(gift_card=None, user_errors=_err(exc))
        return GiftCardPayload(gift_card=gift_card_view(card), user_errors=[])
