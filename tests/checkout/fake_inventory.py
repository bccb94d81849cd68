"""A fake inventory subgraph built from its internal API contract (ASGI, signed requests only).

POST /internal/reservations {reservation_id, owner, lines: [{variant_id, quantity}], ttl_seconds}
  → 200 {reservation_id, status: "RESERVED", expires_at, lines} | 409 INSUFFICIENT_STOCK (nothing
  reserved); the same reservation_id again returns the first reservation.
POST /internal/reservations/{id}/commit | /release; POST /internal/availability {variant_ids}.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

from shared.auth import IDENTITY_HEADER, SIGNATURE_HEADER, decode_identity, verify_signature


@dataclass
class FakeInventory:
    secret: str
    stock: dict[str, int] = field(default_factory=dict)
    reservations: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    callers: list[str] = field(default_factory=list)
    fail_next: int = 0  # answer 503 to this many next requests

    @property
    def app(self) -> Starlette:
        """Mounted at /inventory, as the subgraph host mounts each subgraph under its name."""
        routes = [
            Route("/internal/reservations", self.reserve, methods=["POST"]),
            Route("/internal/reservations/{rid}/{action}", self.finish, methods=["POST"]),
            Route("/internal/availability", self.availability, methods=["POST"]),
        ]
        return Starlette(routes=[Mount("/inventory", routes=routes)])

    async def _check(self, request: Request) -> tuple[dict[str, Any] | None, JSONResponse | None]:
        body = await request.body()
        identity = request.headers.get(IDENTITY_HEADER, "")
        if not verify_signature(self.secret, request.headers.get(SIGNATURE_HEADER), identity, body):
            return None, JSONResponse({"error": {"code": "UNSIGNED_REQUEST"}}, status_code=401)
        principal = decode_identity(identity)
        self.callers.append(f"{principal.kind}:{principal.id}")
        self.calls.append(request.url.path)
        if self.fail_next:
            self.fail_next -= 1
            return None, JSONResponse({"error": {"code": "UNAVAILABLE"}}, status_code=503)
        return orjson.loads(body or b"{}"), None

    def reserved(self, variant_id: str) -> int:
        return sum(
            line["quantity"]
            for r in self.reservations.values()
            if r["status"] in ("RESERVED", "COMMITTED")
            for line in r["lines"]
            if line["variant_id"] == variant_id
        )

    def available(self, variant_id: str) -> int:
        return self.stock.get(variant_id, 0) - self.reserved(variant_id)

    async def reserve(self, request: Request) -> JSONResponse:
        body, refused = await self._check(request)
        if refused is not None:
            return refused
        assert body is not None
        rid = body["reservation_id"]
        if rid in self.reservations:
            return JSONResponse(self.reservations[rid])
        short = [
            {"variant_id": x["variant_id"], "requested": x["quantity"], "available": max(a, 0)}
            for x in body["lines"]
            if (a := self.available(x["variant_id"])) < x["quantity"]
        ]
        if short:
            return JSONResponse(
                {"error": {"code": "INSUFFICIENT_STOCK", "lines": short}}, status_code=409
            )
        expires = datetime.now(UTC) + timedelta(seconds=body["ttl_seconds"])
        self.reservations[rid] = {
            "reservation_id": rid,
            "status": "RESERVED",
            "owner": body["owner"],
            "expires_at": expires.isoformat(),
            "lines": body["lines"],
        }
        return JSONResponse(self.reservations[rid])

    async def finish(self, request: Request) -> JSONResponse:
        _, refused = await self._check(request)
        if refused is not None:
            return refused
        rid, action = request.path_params["rid"], request.path_params["action"]
        reservation = self.reservations.get(rid)
        if reservation is None:
            return JSONResponse({"error": {"code": "NOT_FOUND"}}, status_code=404)
        reservation["status"] = "COMMITTED" if action == "commit" else "RELEASED"
        return JSONResponse(reservation)

    async def availability(self, request: Request) -> JSONResponse:
        body, refused = await self._check(request)
        if refused is not None:
            return refused
        assert body is not None
        return JSONResponse(
            {
                "variants": [
                    {
                        "variant_id": v,
                        "available": max(self.available(v), 0),
                        "in_stock": self.available(v) > 0,
                        "backorder_eta": None,
                    }
                    for v in body["variant_ids"]
                ]
            }
        )
