"""Use case: staff create a collection — manual (an ordered list of products) or rule-based
(materialised now over every product, then kept current by every product write)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from shared.auth import Permission, Principal, require
from subgraphs.catalog.domain.collections import CollectionKind, CollectionRule, CollectionRules
from subgraphs.catalog.domain.errors import CatalogError, CatalogErrorCode
from subgraphs.catalog.domain.models import (
    Collection,
    check_description,
    check_name,
    check_slug,
    slugify,
)
from subgraphs.catalog.repository import category_chain
from subgraphs.catalog.services.idempotent import claim
from subgraphs.catalog.uow import CatalogUnitOfWork

OPERATION = "collectionCreate"
BATCH = 1_000


async def materialise(uow: CatalogUnitOfWork, collection: Collection) -> int:
    """Every product matching the collection's rules becomes a member; returns how many."""
    rules = collection.rule_set
    parents = await uow.categories.parents()
    tree = {c: (p, "") for c, p in parents.items()}
    members: list[str] = []
    after: str | None = None
    while True:
        ids = await uow.products.all_ids(after=after, limit=BATCH)
        if not ids:
            break
        for product in await uow.products.by_ids(ids):
            chain = category_chain(product.category_id, tree) if product.category_id else []
            if rules.matches(product.facts(frozenset(c for c, _ in chain))):
                members.append(product.id)
        after = ids[-1]
    await uow.collections.set_products(collection.id, sorted(members))
    return len(members)


async def check_products(uow: CatalogUnitOfWork, product_ids: Sequence[str]) -> list[str]:
    ids = list(dict.fromkeys(product_ids))
    found = {p.id for p in await uow.products.by_ids(ids)} if ids else set()
    missing = [i for i in ids if i not in found]
    if missing:
        raise CatalogError(
            CatalogErrorCode.NOT_FOUND, f"No such product: {missing[0]}", field="productIds"
        )
    return ids


async def create_collection(
    uow_factory: Callable[[], CatalogUnitOfWork],
    *,
    name: str,
    actor: Principal,
    slug: str | None = None,
    description: str = "",
    product_ids: Sequence[str] = (),
    rules: Sequence[CollectionRule] = (),
    idempotency_key: str | None = None,
) -> Collection:
    """Rules make it rule-based; otherwise it is manual with ``product_ids`` in order."""
    require(actor, Permission.MANAGE_PRODUCTS)
    name = check_name(name)
    slug = check_slug(slug) if slug else slugify(name)
    description = check_description(description)
    if rules and product_ids:
        raise CatalogError(
            CatalogErrorCode.INVALID,
            "A collection has rules or a list of products, not both.",
            field="rules",
        )
    rule_set = CollectionRules.of(rules) if rules else None
    async with uow_factory() as uow:
        replay = await claim(
            uow,
            idempotency_key,
            operation=OPERATION,
            actor=actor,
            data={
                "name": name,
                "slug": slug,
                "products": list(product_ids),
                "rules": rule_set.to_json() if rule_set else [],
            },
        )
        if replay is not None:
            found = await uow.collections.get(str(replay["collection_id"]))
            if found is None:
                raise CatalogError(CatalogErrorCode.NOT_FOUND, "No such collection.")
            await uow.commit()
            return found
        if await uow.collections.slug_taken(slug):
            raise CatalogError(CatalogErrorCode.DUPLICATE, "This slug is taken.", field="slug")
        for i, rule in enumerate(rule_set.rules if rule_set else ()):
            if rule.category_id and await uow.categories.get(rule.category_id) is None:
                raise CatalogError(
                    CatalogErrorCode.NOT_FOUND, "No such category.", field=f"rules.{i}"
                )
        collection = Collection(
            name=name,
            slug=slug,
            description=description,
            kind=(CollectionKind.RULES if rule_set else CollectionKind.MANUAL).value,
            rules=rule_set.to_json() if rule_set else [],
        )
        uow.collections.add(collection)
        await uow.session.flush()
        if rule_set:
            await materialise(uow, collection)
        else:
            await uow.collections.set_products(
                collection.id, await check_products(uow, product_ids)
            )
        await uow.commit(idempotent_response={"collection_id": collection.id})
    return collection
