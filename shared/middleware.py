"""ASGI middleware for every subgraph: request id, server span, log context, metrics, access log."""

from __future__ import annotations

import logging
import re
import time
import uuid

import orjson
import structlog
from opentelemetry import trace
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.auth import (
    IDENTITY_HEADER,
    SIGNATURE_HEADER,
    InvalidIdentity,
    decode_identity,
    verify_signature,
)
from shared.metrics import HTTP_LATENCY, HTTP_REQUESTS
from shared.tracing import current_ids, extract_context, tracer

log = logging.getLogger("agora.access")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestContextMiddleware:
    """Binds ``request_id``, ``trace_id`` and ``subgraph`` to every log line of a request."""

    def __init__(self, app: ASGIApp, *, subgraph: str) -> None:
        self.app = app
        self.subgraph = subgraph

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        supplied = headers.get("x-request-id", "")
        request_id = supplied if _REQUEST_ID.fullmatch(supplied) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        path = scope.get("path", "")
        kind = trace.SpanKind.SERVER
        with tracer().start_as_current_span(
            f"{scope['type']} {path}", context=extract_context(headers), kind=kind
        ):
            trace_id, span_id = current_ids()
            with structlog.contextvars.bound_contextvars(
                request_id=request_id, trace_id=trace_id, span_id=span_id, subgraph=self.subgraph
            ):
                if scope["type"] == "websocket":
                    await self.app(scope, receive, send)
                    return
                await self._http(scope, receive, send, request_id)

    async def _http(self, scope: Scope, receive: Receive, send: Send, request_id: str) -> None:
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            method = scope.get("method", "")
            HTTP_REQUESTS.labels(self.subgraph, method, str(status)).inc()
            HTTP_LATENCY.labels(self.subgraph).observe(elapsed)
            log.info(
                "request",
                extra={
                    "method": method,
                    "path": scope.get("path", ""),
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                },
            )


_UNSIGNED = orjson.dumps(
    {
        "errors": [
            {
                "message": "Subgraphs accept only requests signed by the router.",
                "extensions": {"code": "UNSIGNED_REQUEST"},
            }
        ]
    }
)
_TOO_LARGE = orjson.dumps(
    {"errors": [{"message": "Request body too large.", "extensions": {"code": "BODY_TOO_LARGE"}}]}
)


class RouterSignatureMiddleware:
    """Lets through to ``/graphql`` and ``/internal/...`` only requests the router or a peer
    service signed.

    The verified caller is put in ``scope["state"]["principal"]``. WebSocket upgrades pass: their
    ``connection_init`` payload is verified by the GraphQL view (``SubgraphGraphQL.on_ws_connect``).
    Other routes (health, JWKS, media) are public and untouched.
    """

    def __init__(self, app: ASGIApp, *, secret: str, max_body_bytes: int = 2_000_000) -> None:
        self.app = app
        self.secret = secret
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not (path.endswith("/graphql") or "/internal/" in path):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                await _reply(send, 413, _TOO_LARGE)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        identity = headers.get(IDENTITY_HEADER, "")
        if not verify_signature(self.secret, headers.get(SIGNATURE_HEADER), identity, body):
            log.warning("unsigned subgraph request refused", extra={"path": scope.get("path")})
            await _reply(send, 401, _UNSIGNED)
            return
        try:
            principal = decode_identity(identity)
        except InvalidIdentity:
            await _reply(send, 401, _UNSIGNED)
            return
        scope.setdefault("state", {})["principal"] = principal
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _reply(send: Send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
