"""Battery item 6 for every registered subgraph: only callers holding the router's secret get in."""

from __future__ import annotations

import httpx
import orjson
import pytest

from shared.auth import ANONYMOUS, IDENTITY_HEADER, Principal, encode_identity, signed_headers
from subgraphs import registry
from tests.conftest import SubgraphFactory

QUERY = orjson.dumps({"query": "{ __typename }"})


def _headers(**extra: str) -> dict[str, str]:
    return {"content-type": "application/json", **extra}


@pytest.mark.parametrize("name", sorted(registry.SUBGRAPHS))
async def test_a_subgraph_refuses_what_the_router_did_not_sign(
    make_subgraph: SubgraphFactory, name: str
) -> None:
    app = await make_subgraph(name)
    secret = app.infra.settings.router_secret
    staff = encode_identity(Principal.staff("s-1", []))
    forged = signed_headers("not-the-router-secret-" + "x" * 20, ANONYMOUS, QUERY)
    swapped = {**signed_headers(secret, ANONYMOUS, QUERY), IDENTITY_HEADER: staff}
    transport = httpx.ASGITransport(app=app.asgi)
    async with httpx.AsyncClient(transport=transport, base_url="http://subgraph") as http:
        unsigned = await http.post("/graphql", content=QUERY, headers=_headers())
        wrong_secret = await http.post("/graphql", content=QUERY, headers=_headers(**forged))
        identity_swapped = await http.post("/graphql", content=QUERY, headers=_headers(**swapped))
        signed = await http.post(
            "/graphql", content=QUERY, headers=_headers(**signed_headers(secret, ANONYMOUS, QUERY))
        )
        health = await http.get("/healthz")

    for refused in (unsigned, wrong_secret, identity_swapped):
        assert refused.status_code == 401
        assert refused.json()["errors"][0]["extensions"]["code"] == "UNSIGNED_REQUEST"
    assert signed.json() == {"data": {"__typename": "Query"}}
    assert health.status_code == 200  # probes stay public
