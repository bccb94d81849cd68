"""Use case: import products from a file's records — all or nothing.

Every record is checked (the same rules as ``productCreate``, plus slug and SKU collisions with
the catalog and within the file). Any rejected record means nothing is written, unless
``skip_invalid``: then the valid ones are. The report names each rejected row, field, message
and code. Valid products are written in batches inside one transaction, with one
ProductUpserted each through the outbox.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from shared.auth import Permission, Principal, require
from subgraphs.catalog.adapters.catalog_files import FileRowError
from subgraphs.catalog.domain.errors import CatalogError, CatalogErrorCode
from subgraphs.catalog.domain.models import ProductStatus, product_type_spec, unique_slug
from subgraphs.catalog.services.bulk_insert import CatalogLookups, bulk_insert
from subgraphs.catalog.services.product_input import (
    NewProduct,
    NewVariant,
    PreparedProduct,
    prepare,
)
from subgraphs.catalog.uow import CatalogUnitOfWork

BATCH = 1_000


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    field: str
    message: str
    code: str


@dataclass
class ImportReport:
    imported: int = 0
    valid: int = 0
    """Rows that passed every check (imported unless a dry run or another row failed)."""
    rejected: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.rejected


def _text(record: Mapping[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _variants(raw: object) -> list[NewVariant]:
    if not isinstance(raw, list):
        raise CatalogError(CatalogErrorCode.INVALID, "variants is a list.", field="variants")
    variants = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or not isinstance(item.get("sku"), str):
            raise CatalogError(
                CatalogErrorCode.INVALID,
                "A variant is an object with a sku.",
                field=f"variants.{i}",
            )
        options = item.get("options") or {}
        weight = item.get("weight_grams")
        if not isinstance(options, dict) or (weight is not None and not isinstance(weight, int)):
            raise CatalogError(
                CatalogErrorCode.INVALID,
                "options is an object and weight_grams an integer.",
                field=f"variants.{i}",
            )
        variants.append(
            NewVariant(
                sku=item["sku"],
                options={str(k): str(v) for k, v in options.items()},
                price_amount=_text(item, "price"),
                compare_at_amount=_text(item, "compare_at_price"),
                weight_grams=weight,
            )
        )
    return variants


def _attributes(raw: object) -> dict[str, list[str]]:
    if not isinstance(raw, dict):
        raise CatalogError(CatalogErrorCode.INVALID, "attributes is an object.", field="attributes")
    return {
        str(k): [str(x) for x in v] if isinstance(v, list) else [str(v)] for k, v in raw.items()
    }


class _Checker:
    def __init__(self, uow: CatalogUnitOfWork, lookups: CatalogLookups) -> None:
        self.uow = uow
        self.lookups = lookups

    async def load(self) -> None:
        self.category_ids = await self.uow.categories.slugs()
        self.types = {t.name.casefold(): t for t in await self.uow.product_types.all()}
        self.slugs = await self.uow.products.all_slugs()
        self.skus = await self.uow.products.all_skus()

    def check(self, record: Mapping[str, Any]) -> PreparedProduct:
        category = _text(record, "category")
        if category is not None and category not in self.category_ids:
            raise CatalogError(CatalogErrorCode.NOT_FOUND, "No such category.", field="category")
        type_name = _text(record, "product_type")
        product_type = self.types.get(type_name.casefold()) if type_name else None
        if type_name and product_type is None:
            raise CatalogError(
                CatalogErrorCode.NOT_FOUND, "No such product type.", field="product_type"
            )
        status = (_text(record, "status") or "DRAFT").upper()
        if status not in ProductStatus.__members__:
            raise CatalogError(
                CatalogErrorCode.INVALID, "status is DRAFT or PUBLISHED.", field="status"
            )
        data = NewProduct(
            name=_text(record, "name") or "",
            slug=_text(record, "slug"),
            description=str(record.get("description") or ""),
            status=ProductStatus(status),
            price_amount=_text(record, "price") or "",
            currency=(_text(record, "currency") or "").upper(),
            compare_at_amount=_text(record, "compare_at_price"),
            category_id=self.category_ids[category] if category else None,
            product_type_id=product_type.id if product_type else None,
            attributes=_attributes(record.get("attributes") or {}),
            vendor_id=_text(record, "vendor_id"),
            seo_title=_text(record, "seo_title"),
            seo_description=_text(record, "seo_description"),
            variants=_variants(record.get("variants") or []),
        )
        spec = (
            product_type_spec(product_type.name, product_type.attributes) if product_type else None
        )
        prepared = prepare(data, spec)
        product = prepared.product
        if prepared.slug_given:
            if product.slug in self.slugs:
                raise CatalogError(CatalogErrorCode.DUPLICATE, "This slug is taken.", field="slug")
        else:
            product.slug = unique_slug(product.slug, self.slugs)
        taken = [v.sku for v in prepared.variants if v.sku in self.skus]
        if taken:
            raise CatalogError(
                CatalogErrorCode.DUPLICATE,
                f"SKU already in use: {', '.join(taken)}",
                field="variants",
            )
        self.slugs.add(product.slug)
        self.skus.update(v.sku for v in prepared.variants)
        return prepared


async def import_products(
    uow_factory: Callable[[], CatalogUnitOfWork],
    *,
    records: Iterable[tuple[int, Mapping[str, Any] | FileRowError]],
    actor: Principal,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """``progress(n)`` is called as rows are checked and written (n rows at a time)."""
    require(actor, Permission.MANAGE_PRODUCTS)
    report = ImportReport(dry_run=dry_run)
    async with uow_factory() as uow:
        lookups = await CatalogLookups.load(uow)
        checker = _Checker(uow, lookups)
        await checker.load()
        valid: list[PreparedProduct] = []
        for number, record in records:
            if isinstance(record, FileRowError):
                report.rejected.append(
                    RowError(number, record.field, str(record), CatalogErrorCode.INVALID.value)
                )
            else:
                try:
                    valid.append(checker.check(record))
                except CatalogError as exc:
                    report.rejected.append(
                        RowError(number, exc.field or "", exc.message, exc.code.value)
                    )
            if progress is not None:
                progress(1)
        report.valid = len(valid)
        if dry_run or (report.rejected and not skip_invalid):
            return report
        for start in range(0, len(valid), BATCH):
            await bulk_insert(uow, valid[start : start + BATCH], lookups)
        await uow.commit()
        report.imported = len(valid)
    return report
