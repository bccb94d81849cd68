"""A small helper to run GraphQL documents against one subgraph's ASGI app in process."""

from __future__ import annotations

from typing import Any

import httpx

from shared.app import SubgraphApp

STAFF = {"authorization": "Bearer dev-staff-token"}


class SubgraphClient:
    """POSTs documents to ``/graphql`` of a subgraph app through httpx's ASGI transport."""

    def __init__(self, app: SubgraphApp) -> None:
        self.app = app
        self._client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app.asgi), base_url="http://subgraph.test"
        )

    async def execute(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        response = await self._client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers or {}
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def aclose(self) -> None:
        await self._client.aclose()
