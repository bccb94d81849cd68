"""The demo seed makes a shop that can really be bought from: every seeded variant is stocked
in the default warehouse, checkout knows the products (through ProductUpserted on the seed's
bus), ships to a few countries with a flat and a free-over-threshold method, taxes them, and
takes WELCOME10. A second run adds nothing; quantities follow from the SKUs."""

from __future__ import annotations

from functools import partial

from sqlalchemy import func, select

from shared.bus.memory import InMemoryEventBus
from shared.settings import Settings
from subgraphs import registry
from subgraphs.catalog.uow import CatalogUnitOfWork
from subgraphs.commands import migrate
from subgraphs.inventory.repository import stock
from subgraphs.seed import seed_demo
from subgraphs.seed_shop import FREE_OVER, TAX_RATES, catalog_variants, units_for
from tests.checkout.support import CODES, COMPLETE, new_cart, ok
from tests.integration.support import Shop

PRODUCTS = 13  # one per leaf category: sized and unsized products, one draft
FR_ADDRESS = {
    "firstName": "Marie",
    "lastName": "Curie",
    "address1": "1 rue Pierre et Marie Curie",
    "city": "Paris",
    "postalCode": "75005",
    "countryCode": "FR",
}
DELIVERY = """
query($id: ID!) { cart(id: $id) { deliveryOptions { id title amount { amount } } } }"""
ADDRESS = """
mutation($cartId: ID!, $address: MailingAddressInput!) {
  checkoutShippingAddressUpdate(cartId: $cartId, shippingAddress: $address) {
    cart { id } userErrors { field message code } } }"""


async def _row_counts(settings: Settings) -> dict[str, int]:
    """Rows of every table of every subgraph, by ``subgraph.table``."""
    counts: dict[str, int] = {}
    for app in registry.build(settings, InMemoryEventBus()):
        async with app.infra.database.session() as session:
            for table in app.infra.metadata.sorted_tables:
                total = (await session.execute(select(func.count()).select_from(table))).scalar()
                counts[f"{app.name}.{table.name}"] = int(total or 0)
        await app.stop()
    return counts


async def test_the_seeded_shop_is_stocked_and_a_second_seed_adds_nothing(
    settings: Settings,
) -> None:
    await migrate(settings, only=None)
    assert await seed_demo(settings, products=PRODUCTS) == 0
    before = await _row_counts(settings)

    assert await seed_demo(settings, products=PRODUCTS) == 0

    assert await _row_counts(settings) == before
    assert before["checkout.shipping_zones"] == 1
    assert before["checkout.shipping_methods"] == 2
    assert before["checkout.tax_rates"] == len(TAX_RATES)
    assert before["checkout.promotions"] == 1
    assert before["inventory.warehouses"] == 1
    assert before["checkout.catalog_variants"] == before["catalog.product_variants"]
    assert before["search.outbox"] >= 0  # search was on the seed's bus (no crash, no lock left)


async def test_every_seeded_variant_can_be_bought(shop: Shop, settings: Settings) -> None:
    await migrate(settings, only=None)  # reviews and search too
    assert await seed_demo(settings, products=PRODUCTS) == 0
    variants = await catalog_variants(partial(shop.catalog.infra.unit_of_work, CatalogUnitOfWork))
    assert variants
    async with shop.inventory.infra.database.session() as session:
        rows = (await session.execute(select(stock.c.variant_id, stock.c.on_hand))).all()
    on_hand = dict(rows)
    assert {vid: on_hand.get(vid) for vid, _ in variants} == {
        vid: units_for(sku) for vid, sku in variants
    }

    # AG-00001 is the draft (every 25th product); AG-00002 is published
    await _buy(shop, next(vid for vid, sku in variants if sku.startswith("AG-00002-")))


async def _buy(shop: Shop, variant_id: str) -> None:
    """A guest buys 3 of a seeded variant with WELCOME10, shipped to France."""
    client = shop.checkout_client
    before = await shop.levels(variant_id)
    cart = await new_cart(client, [(variant_id, 3)])
    coded = await ok(client, CODES, {"cartId": cart["id"], "codes": ["WELCOME10"]})
    assert coded["cart"]["discountCodes"][0]["applicable"] is True
    assert (await ok(client, ADDRESS, {"cartId": cart["id"], "address": FR_ADDRESS}))[
        "userErrors"
    ] == []
    options = (await ok(client, DELIVERY, {"id": cart["id"]}))["deliveryOptions"]
    assert len(options) == 2
    subtotal = sum(float(line["totalPrice"]["amount"]) for line in cart["lines"])
    cheapest = min(options, key=lambda o: float(o["amount"]["amount"]))
    if subtotal * 0.9 >= float(FREE_OVER):
        assert cheapest["amount"]["amount"] == "0.00"
    cart = await shop.ready_for_payment(cart["id"], cheapest["id"])
    assert float(cart["cost"]["taxAmount"]["amount"]) > 0  # French VAT
    done = await ok(client, COMPLETE, {"cartId": cart["id"], "key": "seeded-buy"})
    assert done["userErrors"] == []
    after = await shop.levels(variant_id)
    assert after["available"] == before["available"] - 3


async def test_seed_catalog_without_products_still_sets_up_the_shop(settings: Settings) -> None:
    await migrate(settings, only=None)
    assert await seed_demo(settings, products=0) == 0
    counts = await _row_counts(settings)
    assert counts["inventory.stock"] == 0
    assert counts["checkout.promotions"] == 1
