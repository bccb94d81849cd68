"""``create_product`` on the real database: rows and the ProductUpserted event commit together;
a refused input writes nothing at all."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from shared.app import SubgraphApp
from shared.auth import ANONYMOUS, SYSTEM, Permission, PermissionDenied, Principal
from subgraphs.catalog.domain.errors import CatalogError, CatalogErrorCode
from subgraphs.catalog.domain.models import Product, ProductStatus, ProductVariant
from subgraphs.catalog.services.create_product import NewProduct, NewVariant, create_product
from tests.catalog.support import (
    CatalogUow,
    Tree,
    make_product,
    outbox_events,
    row_counts,
    without_extras,
)

ORDER_CLERK = Principal.staff("s2", [Permission.MANAGE_ORDERS])


def new_product(**changes: object) -> NewProduct:
    fields: dict[str, object] = {
        "name": "Oxford Shirt",
        "price_amount": "49.90",
        "currency": "EUR",
        "variants": [NewVariant(sku="OX-S"), NewVariant(sku="OX-M")],
    }
    fields.update(changes)
    return NewProduct(**fields)  # type: ignore[arg-type]


async def test_a_product_is_stored_with_its_variants_and_its_event(
    catalog: SubgraphApp, catalog_uow: CatalogUow, tree: Tree
) -> None:
    data = NewProduct(
        name="  Oxford   Shirt ",
        price_amount="49.9",
        currency="eur",
        description="Button-down collar.",
        status=ProductStatus.PUBLISHED,
        category_id=tree.shirts.id,
        variants=[
            NewVariant(sku="OX-BLU-M", options={"colour": "Blue", "size": "M"}),
            NewVariant(
                sku="OX-BLU-L", options={"colour": "Blue", "size": "L"}, price_amount="54.9"
            ),
        ],
    )

    created = await create_product(catalog_uow, data=data, actor=SYSTEM)

    async with catalog.infra.database.session() as session:
        stored = await session.get(Product, created.id)
        variants = list(
            (
                await session.execute(
                    select(ProductVariant)
                    .where(ProductVariant.product_id == created.id)
                    .order_by(ProductVariant.position)
                )
            ).scalars()
        )
    assert stored is not None
    assert (stored.name, stored.slug, stored.status, stored.category_id) == (
        "Oxford Shirt",
        "oxford-shirt",
        ProductStatus.PUBLISHED,
        tree.shirts.id,
    )
    assert (stored.price_amount, stored.currency) == (Decimal("49.90"), "EUR")
    assert [(v.sku, v.name, v.options, v.price_amount, v.position) for v in variants] == [
        ("OX-BLU-M", "Blue / M", {"colour": "Blue", "size": "M"}, None, 0),
        ("OX-BLU-L", "Blue / L", {"colour": "Blue", "size": "L"}, Decimal("54.90"), 1),
    ]
    assert without_extras(await outbox_events(catalog)) == [
        (
            "ProductUpserted",
            {
                "product_id": created.id,
                "slug": "oxford-shirt",
                "name": "Oxford Shirt",
                "status": "PUBLISHED",
                "price_amount": "49.90",
                "currency": "EUR",
                "category_id": tree.shirts.id,
            },
        )
    ]


async def test_an_explicit_slug_is_used_instead_of_the_name(catalog_uow: CatalogUow) -> None:
    created = await create_product(
        catalog_uow, data=new_product(slug="ox-shirt-2", variants=[]), actor=SYSTEM
    )

    assert created.slug == "ox-shirt-2"


async def test_a_product_defaults_to_draft(catalog_uow: CatalogUow) -> None:
    created = await create_product(catalog_uow, data=new_product(variants=[]), actor=SYSTEM)

    assert created.status == ProductStatus.DRAFT


REFUSED: list[tuple[str, dict[str, object], CatalogErrorCode, str]] = [
    ("duplicate slug", {"slug": "taken"}, CatalogErrorCode.DUPLICATE, "slug"),
    (
        "SKU of another product",
        {"variants": [NewVariant(sku="NEW-1"), NewVariant(sku="TAKEN-SKU")]},
        CatalogErrorCode.DUPLICATE,
        "variants",
    ),
    (
        "SKU twice in the input",
        {"variants": [NewVariant(sku="TWIN"), NewVariant(sku="TWIN")]},
        CatalogErrorCode.DUPLICATE,
        "variants",
    ),
    (
        "blank SKU",
        {"variants": [NewVariant(sku="OK"), NewVariant(sku="  ")]},
        CatalogErrorCode.INVALID,
        "variants.1.sku",
    ),
    (
        "unknown category",
        {"category_id": "no-such-category"},
        CatalogErrorCode.NOT_FOUND,
        "categoryId",
    ),
    ("unknown currency", {"currency": "EUX"}, CatalogErrorCode.INVALID, "price"),
    ("not an amount", {"price_amount": "ten"}, CatalogErrorCode.INVALID, "price"),
    ("negative price", {"price_amount": "-1.00"}, CatalogErrorCode.INVALID, "price"),
    ("too many decimals", {"price_amount": "9.999"}, CatalogErrorCode.INVALID, "price"),
    (
        "decimals in yen",
        {"price_amount": "100.5", "currency": "JPY"},
        CatalogErrorCode.INVALID,
        "price",
    ),
    (
        "variant price with too many decimals",
        {"variants": [NewVariant(sku="V1", price_amount="1.001")]},
        CatalogErrorCode.INVALID,
        "variants.0.price",
    ),
    (
        "negative variant price",
        {"variants": [NewVariant(sku="V1"), NewVariant(sku="V2", price_amount="-5")]},
        CatalogErrorCode.INVALID,
        "variants.1.price",
    ),
    ("blank name", {"name": "   "}, CatalogErrorCode.REQUIRED, "name"),
    ("malformed slug", {"slug": "Not A Slug"}, CatalogErrorCode.INVALID, "slug"),
    ("name without a slug in it", {"name": "!!!"}, CatalogErrorCode.INVALID, "slug"),
    (
        "too many variants",
        {"variants": [NewVariant(sku=f"MANY-{i}") for i in range(101)]},
        CatalogErrorCode.INVALID,
        "variants",
    ),
]


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [pytest.param(changes, code, field, id=case) for case, changes, code, field in REFUSED],
)
async def test_refused_input_raises_a_coded_error_and_writes_nothing(
    catalog: SubgraphApp,
    catalog_uow: CatalogUow,
    changes: dict[str, object],
    code: CatalogErrorCode,
    field: str,
) -> None:
    await make_product(catalog_uow, "Taken", slug="taken", skus=["TAKEN-SKU"])
    before = await row_counts(catalog)

    with pytest.raises(CatalogError) as caught:
        await create_product(catalog_uow, data=new_product(**changes), actor=SYSTEM)

    assert (caught.value.code, caught.value.field) == (code, field)
    assert await row_counts(catalog) == before


@pytest.mark.parametrize("principal", [ANONYMOUS, ORDER_CLERK], ids=["anonymous", "order-clerk"])
async def test_only_who_manages_products_may_create_one(
    catalog: SubgraphApp, catalog_uow: CatalogUow, principal: Principal
) -> None:
    before = await row_counts(catalog)

    with pytest.raises(PermissionDenied) as caught:
        await create_product(catalog_uow, data=new_product(), actor=principal)

    assert caught.value.permission == Permission.MANAGE_PRODUCTS
    assert await row_counts(catalog) == before
