"""Use case: staff add a category to the tree (a root, or under a parent)."""

from __future__ import annotations

from collections.abc import Callable

from shared.auth import Permission, Principal, require
from subgraphs.catalog.domain.errors import CatalogError, CatalogErrorCode
from subgraphs.catalog.domain.models import Category, check_name, check_slug, slugify
from subgraphs.catalog.services.idempotent import claim
from subgraphs.catalog.uow import CatalogUnitOfWork

OPERATION = "categoryCreate"


async def create_category(
    uow_factory: Callable[[], CatalogUnitOfWork],
    *,
    name: str,
    actor: Principal,
    slug: str | None = None,
    parent_id: str | None = None,
    position: int = 0,
    idempotency_key: str | None = None,
) -> Category:
    require(actor, Permission.MANAGE_PRODUCTS)
    name = check_name(name)
    slug = check_slug(slug) if slug else slugify(name)
    if not slug:
        raise CatalogError(CatalogErrorCode.INVALID, "Give the category a slug.", field="slug")
    async with uow_factory() as uow:
        replay = await claim(
            uow,
            idempotency_key,
            operation=OPERATION,
            actor=actor,
            data={"name": name, "slug": slug, "parent": parent_id, "position": position},
        )
        if replay is not None:
            found = await uow.categories.get(str(replay["category_id"]))
            if found is None:
                raise CatalogError(CatalogErrorCode.NOT_FOUND, "No such category.")
            await uow.commit()
            return found
        if parent_id is not None and await uow.categories.get(parent_id) is None:
            raise CatalogError(CatalogErrorCode.NOT_FOUND, "No such parent.", field="parentId")
        if await uow.categories.slug_taken(slug):
            raise CatalogError(CatalogErrorCode.DUPLICATE, "This slug is taken.", field="slug")
        category = Category(name=name, slug=slug, parent_id=parent_id, position=position)
        uow.categories.add(category)
        await uow.commit(idempotent_response={"category_id": category.id})
    return category
