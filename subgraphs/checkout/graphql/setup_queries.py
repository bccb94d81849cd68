"""Staff queries: what the shop's shipping, tax and promotion set-up is (the admin reads these).
MANAGE_SHIPPING for zones, methods and tax; MANAGE_DISCOUNTS for promotions and gift cards."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shared.auth import Permission
from shared.graphql.permissions import HasPermission, requires
from subgraphs.checkout.graphql.context import CheckoutContext
from subgraphs.checkout.graphql.payloads import (
    GiftCard,
    Promotion,
    ShippingMethod,
    ShippingZone,
    TaxRate,
)
from subgraphs.checkout.graphql.setup_mutations import (
    gift_card_view,
    promotion_view,
    shipping_method_view,
)

Ctx = Info[CheckoutContext, None]
SHIPPING = requires(HasPermission(Permission.MANAGE_SHIPPING))
DISCOUNTS = requires(HasPermission(Permission.MANAGE_DISCOUNTS))
MAX_PAGE = 100


@strawberry.type
class SetupQuery:
    @strawberry.field(extensions=SHIPPING, description="Every shipping zone, by name.")
    async def shipping_zones(self, info: Ctx) -> list[ShippingZone]:
        async with info.context.unit_of_work()() as uow:
            return [
                ShippingZone(id=strawberry.ID(z.id), name=z.name, countries=list(z.countries))
                for z in await uow.shipping.zones()
            ]

    @strawberry.field(extensions=SHIPPING, description="Every shipping method, by name.")
    async def shipping_methods(self, info: Ctx) -> list[ShippingMethod]:
        async with info.context.unit_of_work()() as uow:
            return [shipping_method_view(m) for m in await uow.shipping.methods()]

    @strawberry.field(
        extensions=SHIPPING, description="Every tax rate (region empty: the country's own)."
    )
    async def tax_rates(self, info: Ctx) -> list[TaxRate]:
        async with info.context.unit_of_work()() as uow:
            rates = await uow.taxes.rates()
        return [
            TaxRate(country=country, region=region, rate=rate)
            for (country, region), rate in sorted(rates.items())
        ]

    @strawberry.field(
        extensions=DISCOUNTS,
        description="Promotions by code, `first` (≤ 100) after the code `after`.",
    )
    async def promotions(
        self, info: Ctx, first: int = 50, after: str | None = None
    ) -> list[Promotion]:
        async with info.context.unit_of_work()() as uow:
            found = await uow.promotions.listing(
                first=max(1, min(first, MAX_PAGE)), after_code=after
            )
            return [promotion_view(p) for p in found]

    @strawberry.field(extensions=DISCOUNTS, description="A gift card by its code.")
    async def gift_card(self, info: Ctx, code: str) -> GiftCard | None:
        async with info.context.unit_of_work()() as uow:
            card = await uow.promotions.gift_card(code.strip().upper())
            return None if card is None else gift_card_view(card)
