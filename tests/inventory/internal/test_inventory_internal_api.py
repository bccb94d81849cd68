"""The internal contract checkout calls (README, "Internal API"): signed, service principals
only, every answer a documented status and code."""

from __future__ import annotations

from typing import Any

import pytest

from shared.app import SubgraphApp
from shared.auth import Permission, Principal
from tests.graphql_client import STAFF, customer
from tests.inventory.support import (
    InternalClient,
    InventoryUow,
    backorderable,
    put_stock,
    warehouse,
)

RESERVE = "/internal/reservations"


def body(reservation_id: str = "r1", **lines: int) -> dict[str, Any]:
    return {
        "reservation_id": reservation_id,
        "owner": "cart-1",
        "lines": [{"variant_id": v, "quantity": q} for v, q in (lines or {"v1": 2}).items()],
        "ttl_seconds": None,
    }


@pytest.fixture
async def stocked(inventory_uow: InventoryUow) -> str:
    wh = await warehouse(inventory_uow, "A")
    await put_stock(inventory_uow, "v1", wh, 5)
    return wh


async def test_reserve_commit_release_happy_path(internal: InternalClient, stocked: str) -> None:
    reserved = await internal.post(RESERVE, body())
    assert reserved.status_code == 200, reserved.text
    answer = reserved.json()
    assert answer["reservation_id"] == "r1"
    assert answer["status"] == "RESERVED"
    assert answer["expires_at"].endswith("+00:00")
    assert answer["lines"] == [
        {
            "variant_id": "v1",
            "quantity": 2,
            "allocations": [{"warehouse_id": stocked, "quantity": 2}],
            "backordered": 0,
        }
    ]
    assert (await internal.post(RESERVE, body())).json() == answer  # retry: same answer

    for _ in range(2):
        committed = await internal.post(f"{RESERVE}/r1/commit")
        assert committed.status_code == 200
        assert committed.json()["status"] == "COMMITTED"

    await internal.post(RESERVE, body("r2"))
    for _ in range(2):
        released = await internal.post(f"{RESERVE}/r2/release")
        assert released.status_code == 200
        assert released.json()["status"] == "RELEASED"
    expired = await internal.post(f"{RESERVE}/r2/commit")
    assert expired.status_code == 409
    assert expired.json()["error"]["code"] == "RESERVATION_EXPIRED"


async def test_insufficient_stock_is_409_with_every_short_line(
    internal: InternalClient, stocked: str
) -> None:
    response = await internal.post(RESERVE, body(v1=6, v9=1))
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "INSUFFICIENT_STOCK"
    assert error["lines"] == [
        {"variant_id": "v1", "requested": 6, "available": 5},
        {"variant_id": "v9", "requested": 1, "available": 0},
    ]


async def test_reused_id_with_other_lines_is_422(internal: InternalClient, stocked: str) -> None:
    assert (await internal.post(RESERVE, body(v1=1))).status_code == 200
    response = await internal.post(RESERVE, body(v1=2))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"reservation_id": 5, "owner": "c", "lines": []},
        {"reservation_id": "r", "owner": "c", "lines": "v1"},
        {"reservation_id": "r", "owner": "c", "lines": [{"variant_id": "v1", "quantity": "2"}]},
        {"reservation_id": "r", "owner": "c", "lines": [{"variant_id": "v1", "quantity": True}]},
        {"reservation_id": "r", "owner": "c", "lines": [{"variant_id": "v1", "quantity": 0}]},
        {"reservation_id": "r", "owner": "c", "lines": []},
        {"reservation_id": "r" * 101, "owner": "c", "lines": [{"variant_id": "v", "quantity": 1}]},
        {
            "reservation_id": "r",
            "owner": "c",
            "lines": [{"variant_id": "v", "quantity": 1}],
            "ttl_seconds": 0,
        },
        [1, 2],
    ],
)
async def test_bad_input_is_400_with_a_code(internal: InternalClient, payload: object) -> None:
    response = await internal.post(RESERVE, payload)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] in {"BAD_REQUEST", "INVALID", "REQUIRED"}


async def test_a_body_that_is_not_json_is_400(internal: InternalClient) -> None:
    response = await internal.post(RESERVE, raw=b"{not json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "BAD_REQUEST"


async def test_unknown_reservation_is_404(internal: InternalClient) -> None:
    response = await internal.post(f"{RESERVE}/nope/commit")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "RESERVATION_NOT_FOUND"


@pytest.mark.parametrize(
    "principal",
    [customer("c1"), STAFF, Principal.staff("s", [Permission.MANAGE_INVENTORY]), Principal()],
    ids=["customer", "staff", "inventory-staff", "anonymous"],
)
@pytest.mark.parametrize(
    "path", [RESERVE, f"{RESERVE}/r1/commit", f"{RESERVE}/r1/release", "/internal/availability"]
)
async def test_only_services_may_call(
    internal: InternalClient, stocked: str, principal: Principal, path: str
) -> None:
    response = await internal.post(path, body(), principal=principal)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "FORBIDDEN"


async def test_unsigned_calls_are_401(internal: InternalClient, inventory: SubgraphApp) -> None:
    response = await internal.post(RESERVE, body(), sign=False)
    assert response.status_code == 401


async def test_availability(
    internal: InternalClient, inventory_uow: InventoryUow, stocked: str
) -> None:
    await backorderable(inventory_uow, "v2", "2026-12-24")
    await internal.post(RESERVE, body(v1=2))

    response = await internal.post("/internal/availability", {"variant_ids": ["v1", "v2", "v3"]})

    assert response.status_code == 200
    assert response.json() == {
        "variants": [
            {"variant_id": "v1", "available": 3, "in_stock": True, "backorder_eta": None},
            {"variant_id": "v2", "available": 0, "in_stock": True, "backorder_eta": "2026-12-24"},
            {"variant_id": "v3", "available": 0, "in_stock": False, "backorder_eta": None},
        ]
    }
    bad = await internal.post("/internal/availability", {"variant_ids": "v1"})
    assert bad.status_code == 400
