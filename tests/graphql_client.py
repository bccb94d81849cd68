"""Run GraphQL documents against one subgraph's ASGI app in process, signed like the router.

Every request is signed with the subgraph's ``AGORA_ROUTER_SECRET`` and carries the identity of
``principal`` (anonymous by default), exactly as the router forwards a verified caller.
"""

from __future__ import annotations

from typing import Any

import httpx
import orjson

from shared.app import SubgraphApp
from shared.auth import ANONYMOUS, Permission, Principal, signed_headers
from shared.settings import DEV_ROUTER_SECRET

STAFF = Principal.staff("staff-test", frozenset(Permission), name="Test Staff")
"""Staff with every permission, MFA passed."""


def customer(customer_id: str = "customer-test") -> Principal:
    return Principal.customer(customer_id)


def staff(*permissions: Permission, mfa: bool = True, staff_id: str = "staff-test") -> Principal:
    return Principal.staff(staff_id, permissions, mfa=mfa)


class SubgraphClient:
    """POSTs documents to ``/graphql`` of a subgraph app through httpx's ASGI transport."""

    def __init__(self, app: SubgraphApp, *, principal: Principal = ANONYMOUS) -> None:
        self.app = app
        self.principal = principal
        self.secret = app.infra.settings.router_secret
        self._client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app.asgi), base_url="http://subgraph.test"
        )

    async def post(
        self,
        payload: dict[str, Any],
        *,
        principal: Principal | None = None,
        headers: dict[str, str] | None = None,
        sign: bool = True,
    ) -> httpx.Response:
        """The raw response to one signed POST (``sign=False`` sends it unsigned)."""
        body = orjson.dumps(payload)
        sent = {"content-type": "application/json"}
        if sign:
            sent |= signed_headers(self.secret, principal or self.principal, body)
        sent |= headers or {}
        return await self._client.post("/graphql", content=body, headers=sent)

    async def execute(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        principal: Principal | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        response = await self.post(
            {"query": query, "variables": variables or {}}, principal=principal, headers=headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def aclose(self) -> None:
        await self._client.aclose()


async def signed_post(
    http: httpx.AsyncClient,
    path: str,
    payload: dict[str, Any],
    *,
    principal: Principal = ANONYMOUS,
    secret: str = DEV_ROUTER_SECRET,
) -> httpx.Response:
    """POST a GraphQL payload to ``path`` on any client, signed like the router."""
    body = orjson.dumps(payload)
    headers = {"content-type": "application/json", **signed_headers(secret, principal, body)}
    return await http.post(path, content=body, headers=headers)
