"""Staff read the shop's set-up: shipping zones, methods, tax rates (MANAGE_SHIPPING) and
promotions, gift cards (MANAGE_DISCOUNTS); nobody else does."""

from __future__ import annotations

from decimal import Decimal

from shared.auth import SYSTEM, Permission
from subgraphs.checkout.domain.pricing import PromotionKind
from subgraphs.checkout.services import setup
from tests.checkout.support import CheckoutUow, Shop
from tests.graphql_client import SubgraphClient, customer, staff

SHIPPING = """{ shippingZones { id name countries }
  shippingMethods { id zoneId name rateKind flatAmount freeOver }
  taxRates { country region rate } }"""
PROMOTIONS = """query($first: Int!, $after: String) { promotions(first: $first, after: $after)
  { code kind value usedCount usageLimit } }"""
GIFT_CARD = "query($code: String!) { giftCard(code: $code) { code balance initial currency } }"


async def test_shipping_staff_read_zones_methods_and_rates(
    client: SubgraphClient, shop: Shop
) -> None:
    result = await client.execute(SHIPPING, principal=staff(Permission.MANAGE_SHIPPING))
    assert "errors" not in result, result
    data = result["data"]
    assert [z["id"] for z in data["shippingZones"]] == [shop.zone_id]
    assert set(data["shippingZones"][0]["countries"]) >= {"DE", "FR", "NL"}
    methods = {m["id"]: m for m in data["shippingMethods"]}
    assert set(methods) == {shop.flat_id, shop.weight_id}
    assert Decimal(methods[shop.flat_id]["flatAmount"]) == Decimal("4.90")
    assert {"country": "DE", "region": "", "rate": "0.19"} in [
        {**r, "rate": str(Decimal(r["rate"]).normalize())} for r in data["taxRates"]
    ]
    for who in (customer("alice"), staff(Permission.MANAGE_DISCOUNTS), None):
        refused = await client.execute(SHIPPING, principal=who)
        assert refused["data"] is None
        assert refused["errors"][0]["extensions"]["code"] in {"FORBIDDEN", "UNAUTHENTICATED"}


async def test_discount_staff_page_through_promotions_and_look_up_gift_cards(
    client: SubgraphClient, checkout_uow: CheckoutUow
) -> None:
    for code in ("CCC", "AAA", "BBB"):
        await setup.create_promotion(
            checkout_uow,
            data=setup.PromotionInput(
                code=code, name=code, kind=PromotionKind.PERCENTAGE, value=Decimal(5)
            ),
            actor=SYSTEM,
        )
    await setup.create_gift_card(
        checkout_uow, code="GIFT-9999-ABCD", amount=Decimal("25.00"), currency="EUR", actor=SYSTEM
    )
    boss = staff(Permission.MANAGE_DISCOUNTS)
    first = await client.execute(PROMOTIONS, {"first": 2}, principal=boss)
    assert [p["code"] for p in first["data"]["promotions"]] == ["AAA", "BBB"]
    rest = await client.execute(PROMOTIONS, {"first": 2, "after": "BBB"}, principal=boss)
    assert [p["code"] for p in rest["data"]["promotions"]] == ["CCC"]
    card = await client.execute(GIFT_CARD, {"code": "gift-9999-abcd"}, principal=boss)
    assert card["data"]["giftCard"] == {
        "code": "GIFT-9999-ABCD",
        "balance": "25.00",
        "initial": "25.00",
        "currency": "EUR",
    }
    missing = await client.execute(GIFT_CARD, {"code": "NOPE"}, principal=boss)
    assert missing["data"]["giftCard"] is None
    refused = await client.execute(PROMOTIONS, {"first": 2}, principal=customer("alice"))
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
