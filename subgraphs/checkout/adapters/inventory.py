"""Stock, from the inventory subgraph's internal signed HTTP API (the contract in README).

``InventoryGateway`` is what services need; ``HttpInventory`` speaks the contract through
``shared.service_client.ServiceClient`` (signed, timeout, retries, circuit breaker). Every call
is idempotent: a reservation is named by the caller (``reservation_id``), so a retried reserve
cannot reserve twice, and commit and release of one id are safe to repeat.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from shared.service_client import ServiceClient, ServiceUnavailable
from subgraphs.checkout.domain.errors import StockShortage


@dataclass(frozen=True, slots=True)
class StockLine:
    variant_id: str
    quantity: int


@dataclass(frozen=True, slots=True)
class Availability:
    variant_id: str
    available: int
    in_stock: bool
    backorder_eta: str | None = None


class InsufficientStock(Exception):
    """Nothing was reserved: these lines lack stock."""

    def __init__(self, shortages: Sequence[StockShortage]) -> None:
        super().__init__(f"insufficient stock for {len(shortages)} line(s)")
        self.shortages = list(shortages)


class InventoryGateway(Protocol):
    async def reserve(
        self, *, reservation_id: str, owner: str, lines: Sequence[StockLine], ttl_seconds: int
    ) -> str: ...

    async def commit(self, reservation_id: str) -> None: ...

    async def release(self, reservation_id: str) -> None: ...

    async def availability(self, variant_ids: Sequence[str]) -> dict[str, Availability]: ...


class InventoryProtocolError(ServiceUnavailable):
    """The peer answered something the contract does not allow."""


class HttpInventory:
    def __init__(self, client: ServiceClient) -> None:
        self.client = client

    async def reserve(
        self, *, reservation_id: str, owner: str, lines: Sequence[StockLine], ttl_seconds: int
    ) -> str:
        response = await self.client.post(
            "/internal/reservations",
            {
                "reservation_id": reservation_id,
                "owner": owner,
                "lines": [{"variant_id": x.variant_id, "quantity": x.quantity} for x in lines],
                "ttl_seconds": ttl_seconds,
            },
            idempotent=True,
        )
        body = _json(response.json())
        if response.status_code == 409:
            error = _json(body.get("error"))
            if error.get("code") == "INSUFFICIENT_STOCK":
                raise InsufficientStock(
                    [
                        StockShortage(
                            variant_id=str(line["variant_id"]),
                            requested=int(line["requested"]),
                            available=int(line["available"]),
                        )
                        for line in error.get("lines", [])
                    ]
                )
        if response.status_code != 200 or body.get("status") != "RESERVED":
            raise InventoryProtocolError("inventory", f"reserve answered {response.status_code}")
        return str(body.get("reservation_id", reservation_id))

    async def _finish(self, reservation_id: str, action: str) -> None:
        response = await self.client.post(
            f"/internal/reservations/{reservation_id}/{action}", {}, idempotent=True
        )
        if response.status_code not in (200, 204):
            raise InventoryProtocolError("inventory", f"{action} answered {response.status_code}")

    async def commit(self, reservation_id: str) -> None:
        await self._finish(reservation_id, "commit")

    async def release(self, reservation_id: str) -> None:
        await self._finish(reservation_id, "release")

    async def availability(self, variant_ids: Sequence[str]) -> dict[str, Availability]:
        if not variant_ids:
            return {}
        response = await self.client.post(
            "/internal/availability", {"variant_ids": list(variant_ids)}, idempotent=True
        )
        if response.status_code != 200:
            raise InventoryProtocolError(
                "inventory", f"availability answered {response.status_code}"
            )
        found: dict[str, Availability] = {}
        for item in _json(response.json()).get("variants", []):
            eta = item.get("backorder_eta")
            found[str(item["variant_id"])] = Availability(
                variant_id=str(item["variant_id"]),
                available=int(item["available"]),
                in_stock=bool(item["in_stock"]),
                backorder_eta=str(eta) if eta is not None else None,
            )
        return found


def _json(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
