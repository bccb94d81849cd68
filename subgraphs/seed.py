"""A deterministic demo shop that can really be bought from: a category tree, products with
variants, reviews, stock, shipping, tax and a welcome promotion code.

Goes through the subgraphs' own use cases, with every subgraph on one in-process bus (so events
flow exactly as in production: checkout, reviews and search learn products from
ProductUpserted, search learns stock from StockChanged, ratings come from ReviewPosted). Each
part runs only when missing — the catalog only when it is empty, stock only for variants
without any, shipping, tax and the promotion only if absent — so ``make up`` can call it every
time and a second run adds nothing (``subgraphs/seed_shop.py``).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from functools import partial

from shared.app import SubgraphApp
from shared.auth import SYSTEM
from shared.bus.memory import InMemoryEventBus
from shared.settings import Settings
from subgraphs import registry
from subgraphs.catalog.app import create_storage
from subgraphs.catalog.domain.models import Category, ProductStatus
from subgraphs.catalog.services.create_product import NewProduct, NewVariant, create_product
from subgraphs.catalog.settings import load_catalog_settings
from subgraphs.catalog.uow import CatalogUnitOfWork
from subgraphs.checkout.uow import CheckoutUnitOfWork
from subgraphs.inventory.settings import load_inventory_settings
from subgraphs.inventory.uow import InventoryUnitOfWork
from subgraphs.reviews.services.create_review import create_review
from subgraphs.reviews.uow import ReviewsUnitOfWork
from subgraphs.seed_images import seed_photos
from subgraphs.seed_shop import ShopSeeded, catalog_variants, set_up_checkout, stock_variants

TREE: dict[str, list[str]] = {
    "Clothing": ["T-Shirts", "Hoodies", "Jackets"],
    "Footwear": ["Sneakers", "Boots"],
    "Home": ["Kitchen", "Lighting", "Textiles"],
    "Outdoor": ["Camping", "Cycling"],
    "Accessories": ["Bags", "Watches", "Sunglasses"],
}
NOUNS: dict[str, list[str]] = {
    "T-Shirts": ["Tee", "Crew Neck Tee", "Pocket Tee"],
    "Hoodies": ["Hoodie", "Zip Hoodie", "Sweatshirt"],
    "Jackets": ["Parka", "Rain Jacket", "Bomber Jacket"],
    "Sneakers": ["Runner", "Court Sneaker", "Trail Shoe"],
    "Boots": ["Chelsea Boot", "Hiking Boot", "Work Boot"],
    "Kitchen": ["Chef Knife", "Cast Iron Pan", "Espresso Cup"],
    "Lighting": ["Desk Lamp", "Pendant Light", "Lantern"],
    "Textiles": ["Throw Blanket", "Linen Towel", "Cushion"],
    "Camping": ["Tent", "Sleeping Bag", "Camp Stove"],
    "Cycling": ["Bike Helmet", "Saddle Bag", "Cycling Jersey"],
    "Bags": ["Backpack", "Tote", "Weekender"],
    "Watches": ["Field Watch", "Diver Watch", "Chronograph"],
    "Sunglasses": ["Aviators", "Wayfarers", "Round Sunglasses"],
}
ADJECTIVES = [
    "Classic",
    "Organic",
    "Urban",
    "Alpine",
    "Coastal",
    "Nordic",
    "Vintage",
    "Everyday",
    "Summit",
    "Meadow",
    "Harbor",
    "Canyon",
    "Midnight",
    "Solar",
    "Granite",
    "Willow",
]
PHOTOS = 48  # published demo products that get a drawn photo (≈ 0.2 s each through the pipeline)
COLOURS = ["Black", "Navy", "Olive", "Sand", "Rust"]
SIZES = ["S", "M", "L", "XL"]
SIZED = {"Clothing", "Footwear"}  # roots whose products come in sizes
FIRST_NAMES = ["Ada", "Ben", "Chloé", "Dmitri", "Elif", "Farah", "Goran", "Hana", "Ines", "Jonas"]
TITLES = {
    1: ["Disappointing", "Fell apart quickly"],
    2: ["Not great", "Expected more"],
    3: ["Decent", "Does the job"],
    4: ["Very good", "Would buy again"],
    5: ["Excellent!", "Love it"],
}


async def _drain(subgraphs: list[SubgraphApp]) -> None:
    """Relay every outbox until nothing is left (the in-process bus delivers synchronously)."""
    while sum([await s.infra.relay.run_once() for s in subgraphs]):
        pass


async def seed_demo(settings: Settings, *, products: int, seed: int = 7) -> int:
    bus = InMemoryEventBus()
    subgraphs = registry.build(settings, bus)
    by_name = {s.name: s for s in subgraphs}
    try:
        catalog_uow = partial(by_name["catalog"].infra.unit_of_work, CatalogUnitOfWork)
        reviews_uow = partial(by_name["reviews"].infra.unit_of_work, ReviewsUnitOfWork)
        seeded, published = await _seed_catalog(catalog_uow, reviews_uow, subgraphs, products, seed)
        catalog_settings = load_catalog_settings(settings)
        photos = await seed_photos(
            catalog_uow,
            create_storage(catalog_settings),
            published[:PHOTOS],
            max_bytes=catalog_settings.max_upload_bytes,
        )
        if photos:
            seeded = f"{seeded}, {photos} product photos"
        shop = await seed_shop(
            catalog_uow,
            partial(by_name["inventory"].infra.unit_of_work, InventoryUnitOfWork),
            partial(by_name["checkout"].infra.unit_of_work, CheckoutUnitOfWork),
        )
        await _drain(subgraphs)
        if seeded is None and not shop.added:
            print("demo data already present: nothing to seed")
        else:
            print(
                f"seeded {seeded or 'no new catalog (present)'}; stocked {shop.variants_stocked} "
                f"variants; {shop.methods_created} shipping methods, {shop.tax_rates_set} tax "
                f"rates{', promotion WELCOME10' if shop.promotion_created else ''}"
            )
        return 0
    finally:
        for subgraph in subgraphs:
            await subgraph.stop()  # never started: closes clients and engines, disposes the pool


async def seed_shop(
    catalog_uow: Callable[[], CatalogUnitOfWork],
    inventory_uow: Callable[[], InventoryUnitOfWork],
    checkout_uow: Callable[[], CheckoutUnitOfWork],
) -> ShopSeeded:
    """Stock for every catalog variant; shipping, tax and WELCOME10 in checkout (if missing)."""
    variants = await catalog_variants(catalog_uow)
    warehouse_created, stocked = await stock_variants(
        inventory_uow, load_inventory_settings(), variants
    )
    zone, methods, rates, promotion = await set_up_checkout(checkout_uow)
    return ShopSeeded(
        warehouse_created=warehouse_created,
        variants_stocked=stocked,
        zone_created=zone,
        methods_created=methods,
        tax_rates_set=rates,
        promotion_created=promotion,
    )


async def _seed_catalog(
    catalog_uow: Callable[[], CatalogUnitOfWork],
    reviews_uow: Callable[[], ReviewsUnitOfWork],
    subgraphs: list[SubgraphApp],
    products: int,
    seed: int,
) -> tuple[str | None, list[tuple[str, str]]]:
    """Categories, products (each with at least one variant) and reviews, only into an empty
    catalog: what was seeded (or None) and the published products as (id, name)."""
    async with catalog_uow() as uow:
        if await uow.categories.roots():
            return None, []
        leaves: list[Category] = []
        sized_roots: set[str] = set()
        for position, (root_name, children) in enumerate(TREE.items()):
            root = Category(name=root_name, slug=_slug(root_name), position=position)
            if root_name in SIZED:
                sized_roots.add(root.id)
            uow.categories.session.add(root)
            for child_position, child_name in enumerate(children):
                child = Category(
                    name=child_name,
                    slug=_slug(child_name),
                    parent_id=root.id,
                    position=child_position,
                )
                uow.categories.session.add(child)
                leaves.append(child)
        await uow.commit()

    rng = random.Random(seed)
    created: list[tuple[str, str]] = []
    for index in range(products):
        leaf = leaves[index % len(leaves)]
        noun = NOUNS[leaf.name][(index // len(leaves)) % len(NOUNS[leaf.name])]
        adjective = ADJECTIVES[(index * 7 + index // len(leaves)) % len(ADJECTIVES)]
        name = f"{adjective} {noun} {index + 1:03d}"
        price = f"{rng.randrange(900, 29900) / 100:.2f}"
        colours = rng.sample(COLOURS, 2)
        sku_base = f"AG-{index + 1:05d}"
        sized = leaf.parent_id in sized_roots
        variants = (
            [
                NewVariant(sku=f"{sku_base}-{c[:3].upper()}-{s}", options={"colour": c, "size": s})
                for c in colours
                for s in SIZES[:3]
            ]
            if sized
            else [
                NewVariant(sku=f"{sku_base}-{c[:3].upper()}", options={"colour": c})
                for c in colours
            ]
        )
        product = await create_product(
            catalog_uow,
            data=NewProduct(
                name=name,
                price_amount=price,
                currency="EUR",
                description=f"The {name.lower()}: made to last, designed in Agora's studio.",
                status=ProductStatus.PUBLISHED if index % 25 else ProductStatus.DRAFT,
                category_id=leaf.id,
                variants=variants,
            ),
            actor=SYSTEM,
        )
        if product.status == ProductStatus.PUBLISHED:
            created.append((product.id, product.name))
    await _drain(subgraphs)

    review_count = 0
    for product_id, _name in created:
        for _ in range(rng.randrange(0, 6)):
            rating = rng.choice([2, 3, 4, 4, 5, 5, 5, 1])
            await create_review(
                reviews_uow,
                product_id=product_id,
                rating=rating,
                title=rng.choice(TITLES[rating]),
                body="Seeded demo review.",
                author_name=rng.choice(FIRST_NAMES),
            )
            review_count += 1
    await _drain(subgraphs)
    summary = f"{len(TREE)} root categories, {products} products, {review_count} reviews"
    return summary, created


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")
