"""The accounts subgraph: customers, staff, sessions and keys, MFA, addresses, audit, GDPR."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import redis.asyncio
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.websockets import WebSocket

from shared.app import SubgraphApp
from shared.bus.base import EventBus
from shared.graphql.context import request_fields
from shared.settings import Settings
from shared.wiring import SubgraphInfra
from subgraphs.accounts.adapters.mailer import LocalOutboxMailer, Mailer, SendGridMailer
from subgraphs.accounts.adapters.redis_throttle import RedisFailureLimiter
from subgraphs.accounts.domain.models import messaging, metadata
from subgraphs.accounts.domain.passwords import Argon2Parameters, Passwords
from subgraphs.accounts.events.handlers import HANDLERS
from subgraphs.accounts.graphql.context import AccountsContext, client_ip
from subgraphs.accounts.graphql.schema import create_schema
from subgraphs.accounts.services.runtime import AccountsRuntime
from subgraphs.accounts.services.signing_keys import KeyRing
from subgraphs.accounts.services.throttle import FailureLimiter, MemoryFailureLimiter
from subgraphs.accounts.settings import AccountsSettings, load_accounts_settings
from subgraphs.accounts.uow import AccountsUnitOfWork

NAME = "accounts"
JWKS_MAX_AGE = 300


def mail_directory(settings: Settings) -> Path:
    return settings.data_dir / "mail"


def build_mailer(settings: Settings, accounts: AccountsSettings) -> Mailer:
    if accounts.sendgrid_api_key:
        return SendGridMailer(accounts.sendgrid_api_key, sender=accounts.mail_from)
    return LocalOutboxMailer(mail_directory(settings), sender=accounts.mail_from)


def create_subgraph(
    settings: Settings,
    bus: EventBus,
    *,
    accounts_settings: AccountsSettings | None = None,
    mailer: Mailer | None = None,
) -> SubgraphApp:
    accounts = accounts_settings or load_accounts_settings()
    infra = SubgraphInfra.build(
        NAME,
        settings,
        bus,
        tables=messaging,
        metadata=metadata,
        migrations=Path(__file__).parent / "migrations",
    )
    uow = partial(infra.unit_of_work, AccountsUnitOfWork)
    infra.consume(HANDLERS, uow)
    runtime = AccountsRuntime(
        settings=accounts,
        passwords=Passwords(
            Argon2Parameters(
                memory_kib=accounts.argon2_memory_kib, time_cost=accounts.argon2_time_cost
            )
        ),
        keys=KeyRing(uow, infra.database, max_age=accounts.signing_key_max_age),
        mailer=mailer or build_mailer(settings, accounts),
        ip_failures=_ip_limiter(settings, accounts),
    )

    async def context(request: Request | WebSocket) -> AccountsContext:
        return AccountsContext(
            **request_fields(request, settings, infra.database),
            database=infra.database,
            uow=uow,
            runtime=runtime,
            client_ip=client_ip(request),
        )

    async def jwks(request: Request) -> JSONResponse:
        document = await runtime.keys.jwks(runtime.clock())
        return JSONResponse(
            document,
            headers={"Cache-Control": f"public, max-age={JWKS_MAX_AGE}"},
            media_type="application/jwk-set+json",
        )

    async def close_limiter() -> None:
        if isinstance(runtime.ip_failures, RedisFailureLimiter):
            await runtime.ip_failures.redis.aclose()

    app = SubgraphApp(
        schema=create_schema(settings),
        context_getter=context,
        infra=infra,
        routes=[Route("/.well-known/jwks.json", jwks, methods=["GET"])],
        on_stop=[close_limiter],
    )
    app.runtime = runtime  # type: ignore[attr-defined]  # read back with runtime_of (tests)
    return app


def _ip_limiter(settings: Settings, accounts: AccountsSettings) -> FailureLimiter:
    """Failed sign-ins per client IP: shared by every replica through Redis when configured."""
    if settings.redis_url:
        client = redis.asyncio.from_url(settings.redis_url)
        return RedisFailureLimiter(client, accounts.login_ip_failures)
    return MemoryFailureLimiter(accounts.login_ip_failures)


def runtime_of(app: SubgraphApp) -> AccountsRuntime:
    """The use cases' runtime of an accounts app (tests swap its clock, read its mail)."""
    runtime = getattr(app, "runtime", None)
    if not isinstance(runtime, AccountsRuntime):
        raise TypeError(f"{app.name} is not the accounts subgraph")
    return runtime
