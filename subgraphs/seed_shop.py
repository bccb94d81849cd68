"""The demo shop's commerce set-up, so the seeded catalog can really be bought from: stock for
every catalog variant in one default warehouse (inventory), a shipping zone with a flat and a
free-over-threshold method, tax rates for its countries, and the promotion code ``WELCOME10``
(checkout).

Each part goes through its subgraph's own use cases with ``SYSTEM`` as the actor. Each is
idempotent — a second run adds nothing and never resets stock that buyers have taken — and
deterministic (quantities derive from the SKU). Only offline commands import this module.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from shared.auth import SYSTEM
from subgraphs.catalog.uow import CatalogUnitOfWork
from subgraphs.checkout.domain.pricing import PromotionKind
from subgraphs.checkout.services import setup
from subgraphs.checkout.uow import CheckoutUnitOfWork
from subgraphs.inventory.repository import InventoryReader
from subgraphs.inventory.services.adjust_stock import StockAdjustment, adjust_stock
from subgraphs.inventory.services.create_warehouse import create_warehouse
from subgraphs.inventory.settings import InventorySettings
from subgraphs.inventory.uow import InventoryUnitOfWork

WAREHOUSE_CODE = "MAIN"
ZONE_NAME = "Europe"
CURRENCY = "EUR"
TAX_RATES: dict[str, Decimal] = {  # standard VAT rates
    "AT": Decimal("0.20"),
    "BE": Decimal("0.21"),
    "DE": Decimal("0.19"),
    "FR": Decimal("0.20"),
    "NL": Decimal("0.21"),
}
FLAT_METHOD = "Standard"
FLAT_AMOUNT = Decimal("4.90")
FREE_METHOD = "Tracked, free over 60 EUR"
FREE_AMOUNT = Decimal("6.90")
FREE_OVER = Decimal("60.00")
PROMOTION_CODE = "WELCOME10"
PROMOTION_PERCENT = Decimal(10)
PAGE = 500


def units_for(sku: str) -> int:
    """A deterministic 10 to 50 units per SKU."""
    return 10 + zlib.crc32(sku.encode()) % 41


@dataclass(frozen=True, slots=True)
class ShopSeeded:
    warehouse_created: bool
    variants_stocked: int
    zone_created: bool
    methods_created: int
    tax_rates_set: int
    promotion_created: bool

    @property
    def added(self) -> bool:
        return bool(
            self.warehouse_created
            or self.variants_stocked
            or self.zone_created
            or self.methods_created
            or self.tax_rates_set
            or self.promotion_created
        )


async def catalog_variants(catalog_uow: Callable[[], CatalogUnitOfWork]) -> list[tuple[str, str]]:
    """Every catalog variant as (id, sku), drafts' too, in product then variant order."""
    found: list[tuple[str, str]] = []
    after: str | None = None
    async with catalog_uow() as uow:
        while ids := await uow.products.all_ids(after=after, limit=PAGE):
            found += [(v.id, v.sku) for v in await uow.products.variants_of_many(ids)]
            after = ids[-1]
    return found


async def stock_variants(
    inventory_uow: Callable[[], InventoryUnitOfWork],
    settings: InventorySettings,
    variants: list[tuple[str, str]],
) -> tuple[bool, int]:
    """The default warehouse and stock of every variant it holds no row for yet: (whether the
    warehouse was created, how many variants were stocked)."""
    async with inventory_uow() as uow:
        existing = await uow.session.run_sync(lambda s: InventoryReader(s).warehouses())
    warehouse = next((w for w in existing if w.code == WAREHOUSE_CODE), None)
    created = warehouse is None
    if warehouse is None:
        warehouse = await create_warehouse(
            inventory_uow,
            code=WAREHOUSE_CODE,
            name="Main warehouse",
            priority=10,
            actor=SYSTEM,
            idempotency_key="seed:warehouse",
        )
    stocked = 0
    for start in range(0, len(variants), PAGE):
        page = variants[start : start + PAGE]
        ids = [variant_id for variant_id, _ in page]
        held = await _held(inventory_uow, ids, warehouse.id)
        for variant_id, sku in page:
            if variant_id in held:
                continue  # stocked before: never reset what buyers took
            await adjust_stock(
                inventory_uow,
                adjustment=StockAdjustment(
                    variant_id=variant_id,
                    warehouse_id=warehouse.id,
                    reason="demo seed",
                    set_on_hand=units_for(sku),
                ),
                actor=SYSTEM,
                settings=settings,
                idempotency_key=f"seed:stock:{variant_id}",
            )
            stocked += 1
    return created, stocked


async def _held(
    inventory_uow: Callable[[], InventoryUnitOfWork], ids: list[str], warehouse_id: str
) -> set[str]:
    """Which of these variants have a stock row in the warehouse."""
    async with inventory_uow() as uow:
        levels = await uow.session.run_sync(lambda s: InventoryReader(s).stock_levels(ids))
    return {level.variant_id for level in levels if level.warehouse_id == warehouse_id}


async def set_up_checkout(
    checkout_uow: Callable[[], CheckoutUnitOfWork],
) -> tuple[bool, int, int, bool]:
    """Zone, methods, tax rates and the promotion, each only if missing: (zone created,
    methods created, tax rates set, promotion created)."""
    async with checkout_uow() as uow:
        zone = next((z for z in await uow.shipping.zones() if z.name == ZONE_NAME), None)
        methods = {m.name for m in await uow.shipping.methods() if zone and m.zone_id == zone.id}
        rates = await uow.taxes.rates()
        promotion = await uow.promotions.by_code(PROMOTION_CODE)
    zone_created = zone is None
    if zone is None:
        zone = await setup.create_shipping_zone(
            checkout_uow, name=ZONE_NAME, countries=sorted(TAX_RATES), actor=SYSTEM
        )
    methods_created = 0
    if FLAT_METHOD not in methods:
        await setup.create_shipping_method(
            checkout_uow,
            zone_id=zone.id,
            name=FLAT_METHOD,
            currency=CURRENCY,
            flat_amount=FLAT_AMOUNT,
            actor=SYSTEM,
        )
        methods_created += 1
    if FREE_METHOD not in methods:
        await setup.create_shipping_method(
            checkout_uow,
            zone_id=zone.id,
            name=FREE_METHOD,
            currency=CURRENCY,
            flat_amount=FREE_AMOUNT,
            free_over=FREE_OVER,
            actor=SYSTEM,
        )
        methods_created += 1
    rates_set = 0
    for country, rate in TAX_RATES.items():
        if (country, "") not in rates:  # a rate staff changed stays as they set it
            await setup.set_tax_rate(
                checkout_uow, country=country, region="", rate=rate, actor=SYSTEM
            )
            rates_set += 1
    if promotion is None:
        await setup.create_promotion(
            checkout_uow,
            data=setup.PromotionInput(
                code=PROMOTION_CODE,
                name="Welcome: 10 % off",
                kind=PromotionKind.PERCENTAGE,
                value=PROMOTION_PERCENT,
            ),
            actor=SYSTEM,
        )
    return zone_created, methods_created, rates_set, promotion is None
