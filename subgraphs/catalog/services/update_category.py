"""Use case: staff rename a category or move it in the tree (never under itself).

A rename or a move changes the category names and ancestors of every product below it, so each
of those products is announced again (ProductUpserted) and its rule-based collections updated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shared.auth import Permission, Principal, require
from subgraphs.catalog.domain.errors import CatalogError, CatalogErrorCode
from subgraphs.catalog.domain.models import Category, check_name, check_slug, would_cycle
from subgraphs.catalog.services.idempotent import claim
from subgraphs.catalog.services.product_events import record_upserted
from subgraphs.catalog.uow import CatalogUnitOfWork

OPERATION = "categoryUpdate"
ROOT = ""  # ``parent_id`` meaning "make it a root"


@dataclass(frozen=True, slots=True)
class CategoryChanges:
    """None leaves a field; ``parent_id=ROOT`` moves the category to the top level."""

    name: str | None = None
    slug: str | None = None
    parent_id: str | None = None
    position: int | None = None


def _subtree(root: str, parents: dict[str, str | None]) -> list[str]:
    found = [root]
    for category_id in found:
        found.extend(c for c, p in parents.items() if p == category_id and c not in found)
    return found


async def update_category(
    uow_factory: Callable[[], CatalogUnitOfWork],
    *,
    category_id: str,
    changes: CategoryChanges,
    actor: Principal,
    idempotency_key: str | None = None,
) -> Category:
    require(actor, Permission.MANAGE_PRODUCTS)
    async with uow_factory() as uow:
        replay = await claim(
            uow,
            idempotency_key,
            operation=OPERATION,
            actor=actor,
            data={"id": category_id, "changes": changes},
        )
        category = await uow.categories.get_for_update(category_id)
        if category is None:
            raise CatalogError(CatalogErrorCode.NOT_FOUND, "No such category.", field="id")
        if replay is not None:
            await uow.commit()
            return category
        reannounce = False
        if changes.name is not None:
            name = check_name(changes.name)
            reannounce = name != category.name
            category.name = name
        if changes.slug is not None and changes.slug != category.slug:
            slug = check_slug(changes.slug)
            if await uow.categories.slug_taken(slug, except_id=category.id):
                raise CatalogError(CatalogErrorCode.DUPLICATE, "This slug is taken.", field="slug")
            category.slug = slug
        parents = await uow.categories.parents()
        if changes.parent_id is not None:
            new_parent = changes.parent_id or None
            if new_parent is not None and new_parent not in parents:
                raise CatalogError(CatalogErrorCode.NOT_FOUND, "No such parent.", field="parentId")
            if would_cycle(category.id, new_parent, parents):
                raise CatalogError(
                    CatalogErrorCode.CATEGORY_CYCLE,
                    "A category cannot move under itself or one of its descendants.",
                    field="parentId",
                )
            reannounce = reannounce or new_parent != category.parent_id
            category.parent_id = new_parent
        if changes.position is not None:
            category.position = changes.position
        if reannounce:
            await uow.session.flush()
            for product in await uow.products.in_categories(_subtree(category.id, parents)):
                await record_upserted(uow, product)
        await uow.commit(idempotent_response={"category_id": category.id})
    return category
