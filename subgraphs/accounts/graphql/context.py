"""What accounts resolvers see on ``info.context``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.websockets import WebSocket

from shared.db import Database
from shared.graphql.context import RequestContext
from subgraphs.accounts.graphql.dataloaders import CustomerReadAudit
from subgraphs.accounts.services.runtime import AccountsRuntime
from subgraphs.accounts.uow import AccountsUnitOfWork


def client_ip(request: Request | WebSocket) -> str:
    """The caller's IP: the first ``x-forwarded-for`` entry (set by the router, which is the
    only peer a subgraph accepts, since requests are signed), else the TCP peer."""
    forwarded = request.headers.get("x-forwarded-for", "")
    first = forwarded.split(",", 1)[0].strip()
    if first:
        return first[:64]
    return request.client.host if request.client else ""


@dataclass
class AccountsContext(RequestContext):
    database: Database | None = None
    uow: Callable[[], AccountsUnitOfWork] | None = None
    runtime: AccountsRuntime | None = None
    client_ip: str = ""

    def unit_of_work(self) -> Callable[[], AccountsUnitOfWork]:
        assert self.uow is not None
        return self.uow

    def accounts(self) -> AccountsRuntime:
        assert self.runtime is not None
        return self.runtime

    async def audit_customer_read(self, customer_id: str) -> None:
        """Record that this (staff) caller read a customer; batched per request."""
        audit = self.extra.get("customer_read_audit")
        if audit is None:
            audit = CustomerReadAudit(self.unit_of_work(), self.accounts(), self.principal)
            self.extra["customer_read_audit"] = audit
        await audit.load(customer_id)
