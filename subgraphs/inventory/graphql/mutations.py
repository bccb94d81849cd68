"""Inventory mutations (staff): parse, authorize, call one use case, map result or userErrors."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shared.auth import Permission
from shared.graphql.arguments import IdempotencyKey
from shared.graphql.permissions import HasPermission, requires
from subgraphs.inventory.domain.errors import InventoryError
from subgraphs.inventory.graphql.context import InventoryContext
from subgraphs.inventory.graphql.inputs import (
    InventoryItemUpdateInput,
    StockAdjustInput,
    WarehouseCreateInput,
)
from subgraphs.inventory.graphql.payloads import (
    InventoryItem,
    InventoryItemUpdatePayload,
    InventoryUserError,
    StockAdjustPayload,
    WarehouseCreatePayload,
)
from subgraphs.inventory.graphql.types import StockLevel, Warehouse
from subgraphs.inventory.services.adjust_stock import StockAdjustment, adjust_stock
from subgraphs.inventory.services.create_warehouse import create_warehouse
from subgraphs.inventory.services.update_item import update_item

MANAGE_INVENTORY = requires(HasPermission(Permission.MANAGE_INVENTORY))


@strawberry.type(name="Mutation")
class InventoryMutation:
    @strawberry.mutation(
        description="Open a warehouse (MANAGE_INVENTORY).", extensions=MANAGE_INVENTORY
    )
    async def warehouse_create(
        self,
        info: Info[InventoryContext, None],
        input: WarehouseCreateInput,
        idempotency_key: IdempotencyKey = None,
    ) -> WarehouseCreatePayload:
        try:
            warehouse = await create_warehouse(
                info.context.unit_of_work(),
                code=input.code,
                name=input.name,
                priority=input.priority,
                active=input.active,
                actor=info.context.principal,
                idempotency_key=idempotency_key,
            )
        except InventoryError as exc:
            return WarehouseCreatePayload(
                warehouse=None, user_errors=[InventoryUserError.from_domain(exc)]
            )
        return WarehouseCreatePayload(warehouse=Warehouse.from_view(warehouse), user_errors=[])

    @strawberry.mutation(
        description="Change on-hand stock by a delta or to a counted figure, with a reason kept "
        "in the ledger (MANAGE_INVENTORY).",
        extensions=MANAGE_INVENTORY,
    )
    async def stock_adjust(
        self,
        info: Info[InventoryContext, None],
        input: StockAdjustInput,
        idempotency_key: IdempotencyKey = None,
    ) -> StockAdjustPayload:
        try:
            level = await adjust_stock(
                info.context.unit_of_work(),
                adjustment=StockAdjustment(
                    variant_id=str(input.variant_id),
                    warehouse_id=str(input.warehouse_id),
                    reason=input.reason,
                    delta=input.delta,
                    set_on_hand=input.set_on_hand,
                ),
                actor=info.context.principal,
                settings=info.context.inventory_settings(),
                idempotency_key=idempotency_key,
            )
        except InventoryError as exc:
            return StockAdjustPayload(
                stock_level=None, user_errors=[InventoryUserError.from_domain(exc)]
            )
        return StockAdjustPayload(stock_level=StockLevel.from_view(level), user_errors=[])

    @strawberry.mutation(
        description="Set a variant's backorder policy and low-stock threshold (MANAGE_INVENTORY).",
        extensions=MANAGE_INVENTORY,
    )
    async def inventory_item_update(
        self, info: Info[InventoryContext, None], input: InventoryItemUpdateInput
    ) -> InventoryItemUpdatePayload:
        try:
            item = await update_item(
                info.context.unit_of_work(),
                variant_id=str(input.variant_id),
                allow_backorder=input.allow_backorder,
                backorder_eta=input.backorder_eta,
                low_stock_threshold=input.low_stock_threshold,
                actor=info.context.principal,
            )
        except InventoryError as exc:
            return InventoryItemUpdatePayload(
                item=None, user_errors=[InventoryUserError.from_domain(exc)]
            )
        return InventoryItemUpdatePayload(
            item=InventoryItem(
                variant_id=input.variant_id,
                allow_backorder=item.allow_backorder,
                backorder_eta=item.backorder_eta,
                low_stock_threshold=item.low_stock_threshold,
            ),
            user_errors=[],
        )
