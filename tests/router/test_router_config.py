"""Router (Hive Gateway) configuration and offline composition.

Needs only node and router/node_modules (``npm ci`` in router/); no subgraph runs. The SDL
below is a hand-written stand-in for what the subgraphs export, kept tiny on purpose.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
ROUTER = REPO / "router"
COMPOSE = ROUTER / "compose.mjs"
START = ROUTER / "start.mjs"

LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])\n'

CATALOG_SDL = (
    LINK
    + """
type Query {
  products: [Product!]!
  node: Node
}

type Product @key(fields: "id") {
  id: ID!
  name: String!
}

type Node {
  id: ID!
  child: Node
}

type Subscription {
  ticks: Int!
}
"""
)

REVIEWS_SDL = (
    LINK
    + """
type Query {
  latestReview: Review
}

type Review {
  body: String!
}

type Product @key(fields: "id") {
  id: ID!
  reviews: [Review!]!
}
"""
)

# `Product.name` is defined in catalog too and is not @shareable: composition must fail.
REVIEWS_CONFLICTING_SDL = REVIEWS_SDL.replace(
    "  reviews: [Review!]!\n", "  reviews: [Review!]!\n  name: String!\n"
)


def _node() -> str:
    node = shutil.which("node")
    assert node, "node is required for the router tests (Node 20+)"
    assert (ROUTER / "node_modules").is_dir(), "run `npm ci` in router/ first"
    return node


def _compose(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_node(), str(COMPOSE), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=REPO,
    )


def _write_sdl(directory: Path, **sdl: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in sdl.items():
        (directory / f"{name}.graphql").write_text(text, encoding="utf-8")
    return directory


def test_compose_fails_on_non_shareable_field_defined_twice(tmp_path: Path) -> None:
    schema_dir = _write_sdl(
        tmp_path / "schema", catalog=CATALOG_SDL, reviews=REVIEWS_CONFLICTING_SDL
    )

    check = _compose("--check", "--schema-dir", str(schema_dir))
    write = _compose("--schema-dir", str(schema_dir))

    for result in (check, write):
        assert result.returncode == 1, result.stderr
        assert "INVALID_FIELD_SHARING" in result.stderr
        assert "Product.name" in result.stderr
    assert not (schema_dir / "supergraph.graphql").exists()


def test_compose_writes_supergraph_and_check_detects_drift(tmp_path: Path) -> None:
    schema_dir = _write_sdl(tmp_path / "schema", catalog=CATALOG_SDL, reviews=REVIEWS_SDL)

    assert (
        _compose("--check", "--schema-dir", str(schema_dir)).returncode == 1
    )  # nothing committed yet

    written = _compose("--schema-dir", str(schema_dir))
    assert written.returncode == 0, written.stderr
    supergraph = (schema_dir / "supergraph.graphql").read_text(encoding="utf-8")
    assert (
        'CATALOG @join__graph(name: "catalog", url: "http://127.0.0.1:4001/catalog/graphql")'
        in supergraph
    )
    assert (
        'REVIEWS @join__graph(name: "reviews", url: "http://127.0.0.1:4001/reviews/graphql")'
        in supergraph
    )

    check = _compose("--check", "--schema-dir", str(schema_dir))
    assert check.returncode == 0, check.stderr

    _write_sdl(
        schema_dir,
        reviews=REVIEWS_SDL.replace("body: String!", "body: String!\n  stars: Int!"),
    )
    drift = _compose("--check", "--schema-dir", str(schema_dir))
    assert drift.returncode == 1
    assert "out of date" in drift.stderr
    assert (schema_dir / "supergraph.graphql").read_text(
        encoding="utf-8"
    ) == supergraph  # --check never writes


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _gateway(tmp_path: Path, **extra_env: str) -> Iterator[str]:
    """Start the router on a free port with a supergraph composed into tmp_path; yield its base URL."""
    schema_dir = _write_sdl(tmp_path / "schema", catalog=CATALOG_SDL, reviews=REVIEWS_SDL)
    composed = _compose("--schema-dir", str(schema_dir))
    assert composed.returncode == 0, composed.stderr

    port = _free_port()
    env = {
        **os.environ,
        "AGORA_ROUTER_HOST": "127.0.0.1",
        "AGORA_ROUTER_PORT": str(port),
        "AGORA_ROUTER_SUPERGRAPH": str(schema_dir / "supergraph.graphql"),
        "AGORA_SUBGRAPHS_URL": f"http://127.0.0.1:{_free_port()}",  # nothing listens there
        **extra_env,
    }
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "router.log"
    with log_path.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            [_node(), str(START)],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        with httpx.Client(timeout=2) as client:
            while True:
                assert proc.poll() is None, (
                    f"router exited early:\n{log_path.read_text(encoding='utf-8')}"
                )
                try:
                    if client.get(f"{base}/healthcheck").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, (
                    f"router not ready:\n{log_path.read_text(encoding='utf-8')}"
                )
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


def _post(
    client: httpx.Client, base: str, query: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    return client.post(f"{base}/graphql", json={"query": query}, headers=headers)


def test_gateway_serves_health_metrics_and_enforces_limits(tmp_path: Path) -> None:
    with _gateway(tmp_path) as base, httpx.Client(timeout=10) as client:
        assert client.get(f"{base}/healthcheck").status_code == 200
        assert client.get(f"{base}/readiness").status_code == 200

        ok = _post(client, base, "{ __typename }", headers={"x-request-id": "test-req-1"})
        assert ok.json() == {"data": {"__typename": "Query"}}
        assert ok.headers["x-request-id"] == "test-req-1"
        generated = _post(client, base, "{ __typename }")
        assert generated.headers["x-request-id"]  # generated when absent

        metrics = client.get(f"{base}/metrics")
        assert metrics.status_code == 200
        assert "graphql_envelop_request" in metrics.text

        with client.stream(
            "GET", f"{base}/graphql", headers={"accept": "text/html"}
        ) as lab:  # ~20 MB page
            assert lab.status_code == 200
            assert "text/html" in lab.headers["content-type"]

        def nested(depth: int) -> str:  # `node` is level 1, each `child` one more
            return "{ node { " + "child { " * (depth - 2) + "id" + " }" * (depth - 2) + " } }"

        # Rejected before any subgraph is called (none is running): the errors are the limits'.
        assert "depth limit of 15" in _post(client, base, nested(16)).text
        assert "depth limit" not in _post(client, base, nested(15)).text
        aliases = "{ " + " ".join(f"a{i}: latestReview {{ body }}" for i in range(31)) + " }"
        assert "Aliases limit of 30" in _post(client, base, aliases).text
        in_fragment = (
            "{ ...F } fragment F on Query { "
            + " ".join(f"a{i}: latestReview {{ body }}" for i in range(31))
            + " }"
        )
        assert "Aliases limit of 30" in _post(client, base, in_fragment).text
        tokens = "{ " + " ".join(["__typename"] * 10_001) + " }"
        assert "Token limit of 10000" in _post(client, base, tokens).text

        batch = client.post(
            f"{base}/graphql",
            json=[{"query": "{ __typename }"}, {"query": "{ __typename }"}],
        )
        assert "Batching is not supported" in batch.text

        big = json.dumps({"query": "{ __typename }", "variables": {"pad": "x" * 2_000_001}})
        too_big = client.post(
            f"{base}/graphql", content=big, headers={"content-type": "application/json"}
        )
        assert too_big.status_code == 413

        csrf = client.get(f"{base}/graphql", params={"query": "{ __typename }"})
        assert csrf.status_code == 403
        assert "CSRF" in csrf.text

        suggestion = _post(client, base, "{ latestReviw { body } }").text
        assert "Did you mean" in suggestion  # development defaults: suggestions on


def test_gateway_production_switches_hide_introspection_suggestions_and_laboratory(
    tmp_path: Path,
) -> None:
    env = {"AGORA_ROUTER_INTROSPECTION": "false", "AGORA_ROUTER_GRAPHIQL": "false"}
    with _gateway(tmp_path, **env) as base, httpx.Client(timeout=10) as client:
        introspection = _post(client, base, "{ __schema { queryType { name } } }").text
        assert "introspection has been disabled" in introspection
        suggestion = _post(client, base, "{ latestReviw { body } }").text
        assert "Did you mean" not in suggestion
        assert "[Suggestion hidden]" in suggestion
        assert client.get(f"{base}/graphql", headers={"accept": "text/html"}).status_code != 200
        assert _post(client, base, "{ __typename }").json() == {"data": {"__typename": "Query"}}
