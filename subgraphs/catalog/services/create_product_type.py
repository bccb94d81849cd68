"""Use case: staff define a product type and its typed attributes."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from shared.auth import Permission, Principal, require
from subgraphs.catalog.domain.attributes import AttributeSpec, ProductTypeSpec
from subgraphs.catalog.domain.errors import CatalogError, CatalogErrorCode
from subgraphs.catalog.domain.models import ProductType, attribute_json, check_name
from subgraphs.catalog.services.idempotent import claim
from subgraphs.catalog.uow import CatalogUnitOfWork

OPERATION = "productTypeCreate"


async def create_product_type(
    uow_factory: Callable[[], CatalogUnitOfWork],
    *,
    name: str,
    attributes: Sequence[AttributeSpec],
    actor: Principal,
    idempotency_key: str | None = None,
) -> ProductType:
    require(actor, Permission.MANAGE_PRODUCTS)
    spec = ProductTypeSpec(name=check_name(name), attributes=tuple(attributes))
    async with uow_factory() as uow:
        replay = await claim(
            uow,
            idempotency_key,
            operation=OPERATION,
            actor=actor,
            data={"name": spec.name, "attributes": [attribute_json(a) for a in attributes]},
        )
        if replay is not None:
            found = await uow.product_types.get(str(replay["product_type_id"]))
            if found is None:
                raise CatalogError(CatalogErrorCode.NOT_FOUND, "No such product type.")
            await uow.commit()
            return found
        if await uow.product_types.by_name(spec.name) is not None:
            raise CatalogError(
                CatalogErrorCode.DUPLICATE, "A product type has this name.", field="name"
            )
        product_type = ProductType(
            name=spec.name, attributes=[attribute_json(a) for a in spec.attributes]
        )
        uow.product_types.add(product_type)
        await uow.commit(idempotent_response={"product_type_id": product_type.id})
    return product_type
