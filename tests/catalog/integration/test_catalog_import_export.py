"""Bulk import and export: a file with a bad row imports nothing and the report names the row,
field and code; valid files import with one ProductUpserted each; export → import round trips;
seeding writes products, variants and events in bulk."""

from __future__ import annotations

import io
import json
from typing import Any

from shared.app import SubgraphApp
from shared.auth import SYSTEM
from subgraphs.catalog.adapters.catalog_files import read_records, write_records
from subgraphs.catalog.domain.attributes import AttributeKind, AttributeSpec
from subgraphs.catalog.services.create_product_type import create_product_type
from subgraphs.catalog.services.delete_product import delete_product
from subgraphs.catalog.services.export_products import export_products
from subgraphs.catalog.services.import_products import RowError, import_products
from subgraphs.catalog.services.seed_catalog import seed_catalog
from tests.catalog.support import CatalogUow, Tree, outbox_events, row_counts

GOOD = {
    "name": "Oxford Shirt",
    "price": "49.90",
    "currency": "EUR",
    "compare_at_price": "59.90",
    "status": "PUBLISHED",
    "category": "shirts",
    "product_type": "Shirt",
    "attributes": {"material": ["cotton"]},
    "variants": [
        {"sku": "OX-M", "options": {"size": "M"}, "weight_grams": 300},
        {"sku": "OX-L", "options": {"size": "L"}, "price": "54.90"},
    ],
}


async def shirt_type(uow: CatalogUow) -> None:
    await create_product_type(
        uow,
        name="Shirt",
        attributes=[
            AttributeSpec(
                "material", AttributeKind.CHOICE, choices=("Cotton", "Linen"), required=True
            )
        ],
        actor=SYSTEM,
    )


def jsonl(*records: dict[str, Any]) -> io.StringIO:
    return io.StringIO("".join(json.dumps(r) + "\n" for r in records))


async def run_import(uow: CatalogUow, text: io.StringIO, **options: Any) -> Any:
    return await import_products(uow, records=read_records(text, "jsonl"), actor=SYSTEM, **options)


async def test_a_file_with_one_bad_row_imports_nothing_and_reports_each_row(
    catalog: SubgraphApp, catalog_uow: CatalogUow, tree: Tree
) -> None:
    await shirt_type(catalog_uow)
    text = jsonl(
        GOOD,
        {**GOOD, "name": "Linen Shirt", "price": "-1", "variants": []},
        {**GOOD, "name": "Silk Shirt", "attributes": {"material": ["silk"]}, "variants": []},
        {**GOOD, "name": "Twin", "variants": [{"sku": "OX-M"}]},
        {**GOOD, "name": "Lost", "category": "nowhere", "variants": []},
    )
    text = io.StringIO(text.getvalue() + "{not json\n")

    report = await run_import(catalog_uow, text)

    assert report.imported == 0
    assert report.rejected == [
        RowError(2, "price", "A price cannot be negative.", "INVALID"),
        RowError(
            3,
            "attributes.material",
            "material: 'silk' is not one of Cotton, Linen.",
            "INVALID_ATTRIBUTE",
        ),
        RowError(4, "variants", "SKU already in use: OX-M", "DUPLICATE"),
        RowError(5, "category", "No such category.", "NOT_FOUND"),
        RowError(6, "line", report.rejected[-1].message, "INVALID"),
    ]
    assert (await row_counts(catalog)).products == 0
    assert await outbox_events(catalog) == []


async def test_skip_invalid_imports_the_valid_rows_with_their_events(
    catalog: SubgraphApp, catalog_uow: CatalogUow, tree: Tree
) -> None:
    await shirt_type(catalog_uow)

    report = await run_import(
        catalog_uow,
        jsonl(GOOD, {**GOOD, "name": "", "variants": []}, {**GOOD, "variants": []}),
        skip_invalid=True,
    )

    assert report.imported == 2
    assert [(e.row, e.field, e.code) for e in report.rejected] == [(2, "name", "REQUIRED")]
    events = await outbox_events(catalog)
    assert [(t, p["slug"]) for t, p in events] == [
        ("ProductUpserted", "oxford-shirt"),
        ("ProductUpserted", "oxford-shirt-2"),  # a derived slug gets a suffix
    ]
    first = events[0][1]
    assert first["category_names"] == ["Shirts", "Clothing"]
    assert first["product_type"] == "Shirt"
    assert first["attributes"] == {"material": ["Cotton"]}
    assert first["compare_at_amount"] == "59.90"
    assert [(v["sku"], v["price_amount"], v["weight_grams"]) for v in first["variants"]] == [
        ("OX-M", None, 300),
        ("OX-L", "54.90", None),
    ]


async def test_a_dry_run_checks_and_writes_nothing(
    catalog: SubgraphApp, catalog_uow: CatalogUow, tree: Tree
) -> None:
    await shirt_type(catalog_uow)

    report = await run_import(catalog_uow, jsonl(GOOD), dry_run=True)

    assert report.ok
    assert report.dry_run
    assert (await row_counts(catalog)).products == 0


async def test_export_then_import_round_trips_in_csv_and_jsonl(
    catalog: SubgraphApp, catalog_uow: CatalogUow, tree: Tree
) -> None:
    await shirt_type(catalog_uow)
    plain = {**GOOD, "name": "Plain", "product_type": None, "attributes": {}, "variants": []}
    assert (await run_import(catalog_uow, jsonl(GOOD, plain))).ok
    exported = [r async for r in export_products(catalog_uow, actor=SYSTEM)]

    for fmt in ("csv", "jsonl"):
        buffer = io.StringIO()
        assert write_records(buffer, fmt, exported) == 2
        for record in exported:  # empty the catalog, then bring the file back in
            async with catalog_uow() as uow:
                product = await uow.products.get_by_slug(record["slug"])
                assert product is not None
                await delete_product(catalog_uow, product_id=product.id, actor=SYSTEM)
        buffer.seek(0)
        report = await import_products(catalog_uow, records=read_records(buffer, fmt), actor=SYSTEM)

        assert report.ok, report.rejected
        again = [r async for r in export_products(catalog_uow, actor=SYSTEM)]
        assert sorted(again, key=lambda r: r["slug"]) == sorted(exported, key=lambda r: r["slug"])


async def test_seeding_writes_products_variants_and_events_in_bulk(
    catalog: SubgraphApp, catalog_uow: CatalogUow
) -> None:
    written = await seed_catalog(catalog_uow, products=30, actor=SYSTEM, seed=3)

    counts = await row_counts(catalog)
    assert written == counts.products == counts.outbox == 30
    assert counts.variants > 30
    events = await outbox_events(catalog)
    payload = events[0][1]
    assert payload["category_ids"]
    assert payload["product_type"] in {"Apparel", "Goods"}
    assert payload["attributes"]["material"]
    # Deterministic: a second catalog seeded the same way has the same names.
    assert await seed_catalog(catalog_uow, products=0, actor=SYSTEM) == 0
