"""Use case: staff open a warehouse (stock can then be kept in it)."""

from __future__ import annotations

from collections.abc import Callable

from shared.auth import Permission, Principal, require
from shared.idempotency import IdempotencyError, IdempotentRequest
from subgraphs.inventory.domain.errors import InventoryError, InventoryErrorCode
from subgraphs.inventory.domain.models import Warehouse, WarehouseView, check_code, check_name
from subgraphs.inventory.uow import InventoryUnitOfWork

OPERATION = "warehouseCreate"
MAX_PRIORITY = 1_000_000


async def create_warehouse(
    uow_factory: Callable[[], InventoryUnitOfWork],
    *,
    code: str,
    name: str,
    priority: int = 100,
    active: bool = True,
    actor: Principal,
    idempotency_key: str | None = None,
) -> WarehouseView:
    require(actor, Permission.MANAGE_INVENTORY)
    code, name = check_code(code), check_name(name)
    if not 0 <= priority <= MAX_PRIORITY:
        raise InventoryError(
            InventoryErrorCode.INVALID, f"Priority is 0 to {MAX_PRIORITY}.", field="priority"
        )
    async with uow_factory() as uow:
        try:
            request = IdempotentRequest.of(
                idempotency_key,
                operation=OPERATION,
                caller=actor,
                data={"code": code, "name": name, "priority": priority, "active": active},
            )
            replay = await uow.claim_idempotency_key(request)
        except IdempotencyError as exc:
            raise InventoryError.from_idempotency(exc) from exc
        if replay is not None:
            found = await uow.warehouses.get(str(replay["warehouse_id"]))
            assert found is not None
            return _view(found)
        if await uow.warehouses.code_taken(code):
            raise InventoryError(
                InventoryErrorCode.DUPLICATE, "A warehouse has this code.", field="code"
            )
        warehouse = Warehouse(code=code, name=name, priority=priority, active=active)
        uow.warehouses.add(warehouse)
        await uow.commit(idempotent_response={"warehouse_id": warehouse.id})
        return _view(warehouse)


def _view(warehouse: Warehouse) -> WarehouseView:
    return WarehouseView(
        id=warehouse.id,
        code=warehouse.code,
        name=warehouse.name,
        priority=warehouse.priority,
        active=warehouse.active,
    )
