"""Inventory queries (staff): warehouses, stock levels, the movements ledger."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shared.auth import Permission
from shared.graphql.errors import PublicError
from shared.graphql.permissions import HasPermission, requires
from subgraphs.inventory.graphql.context import InventoryContext
from subgraphs.inventory.graphql.types import StockLevel, StockMovement, Warehouse
from subgraphs.inventory.repository import InventoryReader

MANAGE_INVENTORY = requires(HasPermission(Permission.MANAGE_INVENTORY))
MAX_VARIANTS = 100
MAX_MOVEMENTS = 100


@strawberry.type(name="Query")
class InventoryQuery:
    @strawberry.field(
        description="Every warehouse, by allocation priority (MANAGE_INVENTORY).",
        extensions=MANAGE_INVENTORY,
    )
    async def warehouses(self, info: Info[InventoryContext, None]) -> list[Warehouse]:
        database = info.context.database
        assert database is not None
        views = await database.read(lambda s: InventoryReader(s).warehouses())
        return [Warehouse.from_view(v) for v in views]

    @strawberry.field(
        description=f"Stock of these variants in every warehouse (at most {MAX_VARIANTS} ids; MANAGE_INVENTORY).",
        extensions=MANAGE_INVENTORY,
    )
    async def stock_levels(
        self, info: Info[InventoryContext, None], variant_ids: list[strawberry.ID]
    ) -> list[StockLevel]:
        if len(variant_ids) > MAX_VARIANTS:
            raise PublicError(
                f"At most {MAX_VARIANTS} variant ids.", code="BAD_USER_INPUT", field="variantIds"
            )
        ids = list(dict.fromkeys(str(v) for v in variant_ids))
        database = info.context.database
        assert database is not None
        views = await database.read(lambda s: InventoryReader(s).stock_levels(ids))
        return [StockLevel.from_view(v) for v in views]

    @strawberry.field(
        description=f"The newest changes of a variant's on-hand stock (first ≤ {MAX_MOVEMENTS}; MANAGE_INVENTORY).",
        extensions=MANAGE_INVENTORY,
    )
    async def stock_movements(
        self, info: Info[InventoryContext, None], variant_id: strawberry.ID, first: int = 20
    ) -> list[StockMovement]:
        if not 1 <= first <= MAX_MOVEMENTS:
            raise PublicError(
                f"first is 1 to {MAX_MOVEMENTS}.", code="BAD_USER_INPUT", field="first"
            )
        database = info.context.database
        assert database is not None
        rows = await database.read(lambda s: InventoryReader(s).movements(str(variant_id), first))
        return [
            StockMovement(
                variant_id=strawberry.ID(r["variant_id"]),
                warehouse_id=strawberry.ID(r["warehouse_id"]),
                kind=r["kind"],
                delta=r["delta"],
                on_hand_after=r["on_hand_after"],
                reason=r["reason"],
                actor=r["actor"],
                reference=r["reference"],
                created_at=r["created_at"],
            )
            for r in rows
        ]
