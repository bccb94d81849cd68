"""The internal, signed HTTP contract checkout calls synchronously (see README, "Internal API").

Only service principals (``Principal.service(name)``, verified by the signature middleware) may
call; anyone else gets 403. Bad input is 400 with a code; nothing here returns a stack trace.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from shared.auth import ANONYMOUS, Principal
from shared.db import Database
from subgraphs.inventory.domain.errors import InventoryError, InventoryErrorCode
from subgraphs.inventory.domain.models import Availability, LineRequest, ReservationView
from subgraphs.inventory.repository import InventoryReader
from subgraphs.inventory.services.commit_reservation import commit_reservation
from subgraphs.inventory.services.release_reservation import release_reservation
from subgraphs.inventory.services.reservation_batcher import ReservationBatcher
from subgraphs.inventory.settings import InventorySettings
from subgraphs.inventory.uow import InventoryUnitOfWork

log = logging.getLogger(__name__)
MAX_AVAILABILITY_IDS = 500
_STATUS = {
    InventoryErrorCode.INSUFFICIENT_STOCK: 409,
    InventoryErrorCode.RESERVATION_EXPIRED: 409,
    InventoryErrorCode.RESERVATION_COMMITTED: 409,
    InventoryErrorCode.IDEMPOTENCY_KEY_REUSED: 422,
    InventoryErrorCode.RESERVATION_NOT_FOUND: 404,
    InventoryErrorCode.NOT_FOUND: 404,
}


class BadRequest(Exception):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _json(data: object, status: int = 200) -> Response:
    return Response(orjson.dumps(data), status_code=status, media_type="application/json")


def _error(code: str, message: str, status: int, **extra: Any) -> Response:
    return _json({"error": {"code": code, "message": message, **extra}}, status)


def _from_domain(error: InventoryError) -> Response:
    extra: dict[str, Any] = {"field": error.field} if error.field else {}
    if error.shortages:
        extra["lines"] = [
            {"variant_id": s.variant_id, "requested": s.requested, "available": s.available}
            for s in error.shortages
        ]
    return _error(error.code.value, error.message, _STATUS.get(error.code, 400), **extra)


async def _body(request: Request) -> dict[str, Any]:
    try:
        body = orjson.loads(await request.body())
    except orjson.JSONDecodeError:
        raise BadRequest("The body is not JSON.") from None
    if not isinstance(body, dict):
        raise BadRequest("The body is a JSON object.")
    return body


def _str(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str):
        raise BadRequest(f"{key} is a string.", key)
    return value


def _int(value: object, key: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise BadRequest(f"{key} is an integer.", key)
    return value


def _lines(body: dict[str, Any]) -> list[LineRequest]:
    raw = body.get("lines")
    if not isinstance(raw, list):
        raise BadRequest("lines is a list.", "lines")
    lines = []
    for item in raw:
        if not isinstance(item, dict):
            raise BadRequest("Each line is an object.", "lines")
        lines.append(
            LineRequest(
                variant_id=_str(item, "variant_id"), quantity=_int(item.get("quantity"), "quantity")
            )
        )
    return lines


def _eta(availability: Availability) -> str | None:
    eta = availability.backorder_eta
    return eta.isoformat() if availability.allow_backorder and eta is not None else None


def reservation_json(view: ReservationView) -> dict[str, Any]:
    return {
        "reservation_id": view.id,
        "owner": view.owner,
        "status": view.status.value,
        "expires_at": view.expires_at.isoformat(),
        "lines": [
            {
                "variant_id": line.variant_id,
                "quantity": line.quantity,
                "allocations": [
                    {"warehouse_id": a.warehouse_id, "quantity": a.quantity}
                    for a in line.allocations
                ],
                "backordered": line.backordered,
            }
            for line in view.lines
        ],
    }


Handler = Callable[[Request, Principal], Awaitable[Response]]


def _guarded(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """Service principals only; domain errors and bad input become coded JSON answers."""

    async def endpoint(request: Request) -> Response:
        principal = request.scope.get("state", {}).get("principal", ANONYMOUS)
        if not isinstance(principal, Principal) or not principal.is_service:
            return _error("FORBIDDEN", "Only peer services may call the internal API.", 403)
        try:
            return await handler(request, principal)
        except BadRequest as exc:
            extra = {"field": exc.field} if exc.field else {}
            return _error("BAD_REQUEST", exc.message, 400, **extra)
        except InventoryError as exc:
            return _from_domain(exc)

    return endpoint


def internal_routes(
    uow_factory: Callable[[], InventoryUnitOfWork],
    database: Database,
    settings: InventorySettings,
    batcher: ReservationBatcher,
) -> list[Route]:
    async def reserve(request: Request, principal: Principal) -> Response:
        body = await _body(request)
        ttl = body.get("ttl_seconds")
        view = await batcher.reserve(
            reservation_id=_str(body, "reservation_id"),
            owner=_str(body, "owner"),
            lines=_lines(body),
            ttl_seconds=None if ttl is None else _int(ttl, "ttl_seconds"),
            caller=principal.id or "service",
        )
        return _json(reservation_json(view))

    async def commit(request: Request, principal: Principal) -> Response:
        status = await commit_reservation(
            uow_factory,
            reservation_id=request.path_params["reservation_id"],
            caller=principal.id or "service",
            settings=settings,
        )
        return _json(
            {"reservation_id": request.path_params["reservation_id"], "status": status.value}
        )

    async def release(request: Request, principal: Principal) -> Response:
        await release_reservation(
            uow_factory, reservation_id=request.path_params["reservation_id"], settings=settings
        )
        return _json(
            {"reservation_id": request.path_params["reservation_id"], "status": "RELEASED"}
        )

    async def availability(request: Request, principal: Principal) -> Response:
        body = await _body(request)
        ids = body.get("variant_ids")
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise BadRequest("variant_ids is a list of strings.", "variant_ids")
        if len(ids) > MAX_AVAILABILITY_IDS:
            raise BadRequest(f"At most {MAX_AVAILABILITY_IDS} variant ids.", "variant_ids")
        unique = list(dict.fromkeys(ids))
        found = await database.read(lambda s: InventoryReader(s).availability(unique))
        return _json(
            {
                "variants": [
                    {
                        "variant_id": v,
                        "available": max(found[v].available, 0),
                        "in_stock": found[v].in_stock,
                        "backorder_eta": _eta(found[v]),
                    }
                    for v in unique
                ]
            }
        )

    return [
        Route("/internal/reservations", _guarded(reserve), methods=["POST"]),
        Route("/internal/reservations/{reservation_id}/commit", _guarded(commit), methods=["POST"]),
        Route(
            "/internal/reservations/{reservation_id}/release", _guarded(release), methods=["POST"]
        ),
        Route("/internal/availability", _guarded(availability), methods=["POST"]),
    ]
