"""What payments resolvers see on ``info.context``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from shared.db import Database
from shared.graphql.context import RequestContext
from subgraphs.payments.domain.provider import PaymentProvider
from subgraphs.payments.uow import PaymentsUnitOfWork


@dataclass
class PaymentsContext(RequestContext):
    database: Database | None = None
    uow: Callable[[], PaymentsUnitOfWork] | None = None
    providers: Mapping[str, PaymentProvider] = field(default_factory=dict)
    wake: Callable[[], None] | None = None
    publishable_keys: Mapping[str, str | None] = field(default_factory=dict)

    def db(self) -> Database:
        assert self.database is not None
        return self.database

    def unit_of_work(self) -> Callable[[], PaymentsUnitOfWork]:
        assert self.uow is not None
        return self.uow
