"""The router verifies access tokens against the JWKS and signs what it forwards to subgraphs.

A stand-in upstream (a thread with http.server) serves the accounts JWKS and the `reviews`
subgraph of the tiny supergraph of test_router_config; it checks every request's signature with
``shared.auth`` — the same code the real subgraphs run — and answers with the identity it got.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

from shared.auth import (
    IDENTITY_HEADER,
    SIGNATURE_HEADER,
    Permission,
    Principal,
    decode_identity,
    verify_signature,
)
from tests.router.test_router_config import _gateway

SECRET = "router-test-secret-" + "x" * 20
KEY = ec.generate_private_key(ec.SECP256R1())
OTHER_KEY = ec.generate_private_key(ec.SECP256R1())
LATEST = "{ latestReview { body } }"


class Upstream:
    """Records what reached the subgraph and whether the router signed it."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        jwk = json.loads(ECAlgorithm.to_jwk(KEY.public_key()))
        self.jwks = {"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "ES256"}]}


def _handler(upstream: Upstream) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def _json(self, status: int, payload: object) -> None:
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if self.path == "/accounts/.well-known/jwks.json":
                self._json(200, upstream.jwks)
            elif self.path == "/catalog/media/images/ab/abc/160.webp":
                self.send_response(200)
                self.send_header("content-type", "image/webp")
                self.send_header("cache-control", "public, max-age=31536000, immutable")
                self.send_header("content-length", "4")
                self.send_header("x-internal", "not for clients")
                self.end_headers()
                self.wfile.write(b"RIFF")
            else:
                self._json(404, {})

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            identity = self.headers.get(IDENTITY_HEADER, "")
            signed = verify_signature(SECRET, self.headers.get(SIGNATURE_HEADER), identity, body)
            upstream.requests.append(
                {
                    "signed": signed,
                    "principal": decode_identity(identity) if signed else None,
                    "authorization": self.headers.get("authorization"),
                }
            )
            if not signed:
                self._json(401, {"errors": [{"message": "unsigned"}]})
                return
            self._json(200, {"data": {"latestReview": {"body": "ok"}}})

    return Handler


@pytest.fixture(scope="module")
def upstream() -> Iterator[tuple[Upstream, int]]:
    state = Upstream()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state, server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def router(
    upstream: tuple[Upstream, int], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    _, port = upstream
    env = {"AGORA_SUBGRAPHS_URL": f"http://127.0.0.1:{port}", "AGORA_ROUTER_SECRET": SECRET}
    with _gateway(tmp_path_factory.mktemp("router-auth"), **env) as base:
        yield base


def token(claims: dict[str, Any], *, key: ec.EllipticCurvePrivateKey = KEY, kid: str = "k1") -> str:
    now = int(time.time())
    payload = {"iss": "agora-accounts", "aud": "agora", "iat": now, "exp": now + 600, **claims}
    return jwt.encode(payload, key, algorithm="ES256", headers={"kid": kid})


def ask(base: str, authorization: str | None = None) -> httpx.Response:
    headers = {"authorization": authorization} if authorization else {}
    return httpx.post(f"{base}/graphql", json={"query": LATEST}, headers=headers, timeout=15)


def test_an_anonymous_request_is_signed_without_identity(
    router: str, upstream: tuple[Upstream, int]
) -> None:
    state, _ = upstream
    state.requests.clear()

    response = ask(router)

    assert response.json() == {"data": {"latestReview": {"body": "ok"}}}
    assert state.requests == [{"signed": True, "principal": Principal(), "authorization": None}]


def test_a_verified_customer_reaches_the_subgraph_as_that_customer_without_the_token(
    router: str, upstream: tuple[Upstream, int]
) -> None:
    state, _ = upstream
    state.requests.clear()

    response = ask(router, f"Bearer {token({'sub': 'c-1', 'typ': 'customer', 'sid': 'f-1'})}")

    assert response.status_code == 200, response.text
    [seen] = state.requests
    assert seen["signed"]
    assert seen["authorization"] is None
    assert seen["principal"] == Principal.customer("c-1", session_id="f-1")


def test_staff_claims_are_forwarded_with_mfa_and_permissions(
    router: str, upstream: tuple[Upstream, int]
) -> None:
    state, _ = upstream
    state.requests.clear()
    claims = {"sub": "s-1", "typ": "staff", "mfa": True, "perms": ["MANAGE_STAFF"]}

    assert ask(router, f"Bearer {token(claims)}").status_code == 200

    [seen] = state.requests
    assert seen["principal"] == Principal.staff("s-1", [Permission.MANAGE_STAFF], mfa=True)


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param(
            lambda: f"Bearer {token({'sub': 'c-1', 'typ': 'customer', 'exp': 1})}", id="expired"
        ),
        pytest.param(
            lambda: f"Bearer {token({'sub': 'c-1', 'typ': 'customer'}, key=OTHER_KEY)}",
            id="wrong-key",
        ),
        pytest.param(
            lambda: f"Bearer {token({'sub': 'c-1', 'typ': 'customer'}, kid='k9')}",
            id="unknown-kid",
        ),
        pytest.param(
            lambda: f"Bearer {token({'sub': 'c-1', 'typ': 'customer', 'aud': 'elsewhere'})}",
            id="wrong-audience",
        ),
        pytest.param(
            lambda: f"Bearer {token({'sub': 'c-1', 'typ': 'service'})}", id="service-kind"
        ),
        pytest.param(lambda: "Bearer not-a-jwt", id="garbage"),
        pytest.param(lambda: "Basic dXNlcjpwYXNz", id="basic"),
    ],
)
def test_an_invalid_token_is_refused_before_any_subgraph_is_called(
    router: str, upstream: tuple[Upstream, int], authorization: Any
) -> None:
    state, _ = upstream
    state.requests.clear()

    response = ask(router, authorization())

    assert response.status_code == 401
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert state.requests == []


def test_responses_carry_security_headers(router: str) -> None:
    response = ask(router)

    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_the_router_refuses_to_start_in_production_with_the_development_secret(
    tmp_path: Path,
) -> None:
    with pytest.raises(AssertionError, match="AGORA_ROUTER_SECRET"):  # noqa: SIM117
        with _gateway(tmp_path, AGORA_ENV="production"):
            pass


def test_product_images_are_served_through_the_router_origin(router: str) -> None:
    base = router.removesuffix("/graphql")
    image = httpx.get(f"{base}/catalog/media/images/ab/abc/160.webp", timeout=10)
    assert image.status_code == 200
    assert image.content == b"RIFF"
    assert image.headers["content-type"] == "image/webp"
    assert image.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert "x-internal" not in image.headers
    assert httpx.get(f"{base}/catalog/media/images/none.webp", timeout=10).status_code == 404
    assert httpx.get(f"{base}/catalog/media/%2e%2e/catalog.db", timeout=10).status_code == 404
    assert httpx.post(f"{base}/catalog/media/images/ab/abc/160.webp", timeout=10).status_code == 404
