"""Use case: fill the catalog with N deterministic products (a seeded RNG) for demos and
benchmarks: a category tree, product types with typed attributes, products with attribute
values and size x colour variants — written in batches with their outbox events."""

from __future__ import annotations

import random
from collections.abc import Callable

from shared.auth import Permission, Principal, require
from subgraphs.catalog.domain.attributes import AttributeKind, AttributeSpec, ProductTypeSpec
from subgraphs.catalog.domain.events import ProductUpserted
from subgraphs.catalog.domain.models import (
    Category,
    ProductStatus,
    ProductType,
    attribute_json,
    new_id,
    now,
    slugify,
)
from subgraphs.catalog.domain.variants import OptionValues, generate_variants
from subgraphs.catalog.repository import category_chain
from subgraphs.catalog.services.bulk_insert import CatalogLookups, insert_rows
from subgraphs.catalog.services.product_input import NewProduct, prepare
from subgraphs.catalog.uow import CatalogUnitOfWork

BATCH = 2_000
TREE: dict[str, list[str]] = {
    "Clothing": ["T-Shirts", "Hoodies", "Jackets"],
    "Footwear": ["Sneakers", "Boots"],
    "Home": ["Kitchen", "Lighting", "Textiles"],
    "Outdoor": ["Camping", "Cycling"],
    "Accessories": ["Bags", "Watches", "Sunglasses"],
}
COLOURS = ("Black", "Navy", "Olive", "Sand", "Rust")
SIZES = ("S", "M", "L", "XL")
MATERIALS = ("Cotton", "Wool", "Linen", "Leather", "Steel", "Recycled polyester")
ADJECTIVES = (
    "Classic", "Organic", "Urban", "Alpine", "Coastal", "Nordic", "Vintage", "Everyday",
    "Summit", "Meadow", "Harbor", "Canyon", "Midnight", "Solar", "Granite", "Willow",
)  # fmt: skip
NOUNS = ("Tee", "Hoodie", "Parka", "Runner", "Boot", "Pan", "Lamp", "Blanket", "Tent", "Helmet",
         "Backpack", "Watch", "Aviators", "Jersey", "Cushion", "Stove")  # fmt: skip
TYPES = {
    "Apparel": ProductTypeSpec(
        name="Apparel",
        attributes=(
            AttributeSpec("material", AttributeKind.CHOICE, choices=MATERIALS, required=True),
            AttributeSpec("colour", AttributeKind.CHOICE, choices=COLOURS, multiple=True),
            AttributeSpec("organic", AttributeKind.BOOLEAN),
        ),
    ),
    "Goods": ProductTypeSpec(
        name="Goods",
        attributes=(
            AttributeSpec("material", AttributeKind.CHOICE, choices=MATERIALS),
            AttributeSpec("weight_kg", AttributeKind.NUMBER),
            AttributeSpec("care", AttributeKind.TEXT),
        ),
    ),
}
SIZED = {"Clothing", "Footwear"}


async def _structure(uow: CatalogUnitOfWork) -> tuple[list[tuple[Category, bool]], dict[str, str]]:
    """The leaves (with whether their products are sized) and type ids, created if missing."""
    slugs = await uow.categories.slugs()
    leaves: list[tuple[Category, bool]] = []
    for position, (root_name, children) in enumerate(TREE.items()):
        root_id = slugs.get(slugify(root_name))
        if root_id is None:
            root = Category(name=root_name, slug=slugify(root_name), position=position)
            uow.categories.add(root)
            await uow.session.flush()
            root_id = root.id
        for child_position, child_name in enumerate(children):
            child_id = slugs.get(slugify(child_name))
            child = await uow.categories.get(child_id) if child_id else None
            if child is None:
                child = Category(
                    name=child_name,
                    slug=slugify(child_name),
                    parent_id=root_id,
                    position=child_position,
                )
                uow.categories.add(child)
            leaves.append((child, root_name in SIZED))
    types: dict[str, str] = {}
    for name, spec in TYPES.items():
        found = await uow.product_types.by_name(name)
        if found is None:
            found = ProductType(name=name, attributes=[attribute_json(a) for a in spec.attributes])
            uow.product_types.add(found)
        types[name] = found.id
    await uow.session.flush()
    return leaves, types


def _product(
    rng: random.Random, index: int, leaf: Category, sized: bool, types: dict[str, str]
) -> NewProduct:
    name = (
        f"{ADJECTIVES[index % len(ADJECTIVES)]} {NOUNS[rng.randrange(len(NOUNS))]} {index + 1:06d}"
    )
    cents = rng.randrange(900, 29900)
    price = f"{cents / 100:.2f}"
    on_sale = rng.random() < 0.2
    colours = tuple(rng.sample(COLOURS, 2))
    material = rng.choice(MATERIALS)
    attributes: dict[str, list[str]]
    if sized:
        attributes = {"material": [material], "colour": list(colours)}
        if rng.random() < 0.3:
            attributes["organic"] = ["true"]
    else:
        attributes = {"material": [material], "weight_kg": [f"{rng.randrange(1, 500) / 10}"]}
    return NewProduct(
        name=name,
        price_amount=price,
        currency="EUR",
        compare_at_amount=f"{cents * 5 // 4 / 100:.2f}" if on_sale else None,
        description=f"The {name.lower()}: made to last, designed in Agora's studio.",
        status=ProductStatus.PUBLISHED if index % 25 else ProductStatus.DRAFT,
        category_id=leaf.id,
        product_type_id=types["Apparel" if sized else "Goods"],
        attributes=attributes,
        option_values=(
            (OptionValues("colour", colours), OptionValues("size", SIZES[:3]))
            if sized
            else (OptionValues("colour", colours),)
        ),
        sku_prefix=f"AG-{index + 1:06d}",
        seo_title=name[:70],
    )


async def seed_catalog(
    uow_factory: Callable[[], CatalogUnitOfWork],
    *,
    products: int,
    actor: Principal,
    seed: int = 7,
    events: bool = True,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Adds ``products`` products after those already there (numbering continues, so SKUs and
    slugs stay unique); returns how many were written."""
    require(actor, Permission.MANAGE_PRODUCTS)
    async with uow_factory() as uow:
        leaves, types = await _structure(uow)
        await uow.commit()
    async with uow_factory() as uow:
        start = len(await uow.products.all_slugs())
        lookups = await CatalogLookups.load(uow)
    specs = {type_id: TYPES[name] for name, type_id in types.items()}
    rng = random.Random(seed + start)  # noqa: S311 - demo data, not secrets
    type_names = {type_id: name for name, type_id in types.items()}
    written = 0
    for batch_start in range(start, start + products, BATCH):
        batch_end = min(batch_start + BATCH, start + products)
        product_rows: list[dict[str, object]] = []
        variant_rows: list[dict[str, object]] = []
        upserted: list[ProductUpserted] = []
        for index in range(batch_start, batch_end):
            leaf, sized = leaves[index % len(leaves)]
            data = _product(rng, index, leaf, sized, types)
            if index < start + len(TYPES) * len(leaves):
                prepare(data, specs[data.product_type_id or ""])  # the generator keeps the rules
            chain = category_chain(leaf.id, lookups.tree)
            product, variants, event = _rows(data, chain, type_names)
            product_rows.append(product)
            variant_rows.extend(variants)
            upserted.append(event)
        async with uow_factory() as uow:
            await insert_rows(uow, product_rows, variant_rows)
            if events:
                uow.record(*upserted)
            await uow.commit()
        written += len(product_rows)
        if progress is not None:
            progress(len(product_rows))
    return written


def _rows(
    data: NewProduct, chain: list[tuple[str, str]], type_names: dict[str, str]
) -> tuple[dict[str, object], list[dict[str, object]], ProductUpserted]:
    """Rows and event of a generated product, built as plain dicts: ORM objects cost ~0.3 ms
    each, which would take minutes at 100,000 products with four variants each."""
    product_id = new_id()
    at = now()
    slug = slugify(data.name)
    product: dict[str, object] = {
        "id": product_id,
        "slug": slug,
        "name": data.name,
        "description": data.description,
        "status": data.status.value,
        "price_amount": data.price_amount,
        "currency": data.currency,
        "category_id": data.category_id,
        "created_at": at,
        "updated_at": at,
        "compare_at_amount": data.compare_at_amount,
        "product_type_id": data.product_type_id,
        "vendor_id": None,
        "seo_title": data.seo_title,
        "seo_description": None,
        "attributes": dict(data.attributes),
    }
    variants: list[dict[str, object]] = []
    payloads: list[dict[str, object]] = []
    for position, generated in enumerate(
        generate_variants(data.sku_prefix or "", data.option_values)
    ):
        variant_id = new_id()
        variants.append(
            {
                "id": variant_id,
                "product_id": product_id,
                "sku": generated.sku,
                "name": generated.name,
                "options": generated.options,
                "price_amount": None,
                "position": position,
                "compare_at_amount": None,
                "weight_grams": None,
            }
        )
        payloads.append(
            {
                "variant_id": variant_id,
                "sku": generated.sku,
                "name": generated.name,
                "price_amount": None,
                "compare_at_amount": None,
                "currency": data.currency,
                "options": generated.options,
                "weight_grams": None,
            }
        )
    event = ProductUpserted(
        product_id=product_id,
        slug=slug,
        name=data.name,
        status=data.status.value,
        price_amount=data.price_amount,
        currency=data.currency,
        category_id=data.category_id,
        description=data.description,
        category_ids=[c for c, _ in chain],
        category_names=[n for _, n in chain],
        product_type=type_names.get(data.product_type_id or ""),
        attributes={k: list(v) for k, v in data.attributes.items()},
        compare_at_amount=data.compare_at_amount,
        variants=payloads,
        seo_title=data.seo_title,
        updated_at=at.isoformat(),
    )
    return product, variants, event
