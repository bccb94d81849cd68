"""The payments subgraph: event-sourced payments, providers (simulator, Stripe, PayPal) behind
retries and a circuit breaker, the processor, provider webhooks."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import stripe
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.websockets import WebSocket

from shared.app import SubgraphApp
from shared.bus.base import EventBus
from shared.graphql.context import request_fields
from shared.settings import Settings
from shared.wiring import SubgraphInfra
from subgraphs.payments.adapters.paypal import PayPalProvider
from subgraphs.payments.adapters.resilience import (
    ResilientProvider,
    RetryPolicy,
    SlidingWindowBreaker,
)
from subgraphs.payments.adapters.simulator import SimulatorProvider
from subgraphs.payments.adapters.stripe_provider import StripeProvider
from subgraphs.payments.domain.models import messaging, metadata
from subgraphs.payments.domain.provider import AmountLimitFraudCheck, PaymentProvider
from subgraphs.payments.events.handlers import HANDLERS
from subgraphs.payments.graphql.context import PaymentsContext
from subgraphs.payments.graphql.schema import create_schema
from subgraphs.payments.services.processor import PaymentProcessor
from subgraphs.payments.services.webhooks import handle_paypal_event, handle_stripe_event
from subgraphs.payments.settings import PaymentsSettings
from subgraphs.payments.uow import PaymentsUnitOfWork

NAME = "payments"
log = logging.getLogger(__name__)
MAX_WEBHOOK_BYTES = 256 * 1024


def build_providers(
    local: PaymentsSettings, simulator: SimulatorProvider | None
) -> dict[str, PaymentProvider]:
    raw: dict[str, PaymentProvider] = {}
    if simulator is not None:
        raw["simulator"] = simulator
    if local.stripe_api_key:
        raw["stripe"] = StripeProvider(
            local.stripe_api_key, api_base=local.stripe_api_base, timeout=local.timeout
        )
    if local.paypal_client_id and local.paypal_secret:
        raw["paypal"] = PayPalProvider(
            local.paypal_client_id,
            local.paypal_secret,
            base_url=local.paypal_base_url,
            timeout=local.timeout,
        )
    return {
        name: ResilientProvider(
            provider,
            SlidingWindowBreaker(
                name,
                threshold=local.breaker_threshold,
                window=local.breaker_window,
                cooldown=local.breaker_cooldown,
            ),
            RetryPolicy(attempts=local.attempts, timeout=local.timeout),
        )
        for name, provider in raw.items()
    }


def create_subgraph(settings: Settings, bus: EventBus) -> SubgraphApp:
    local = PaymentsSettings.load(settings)
    infra = SubgraphInfra.build(
        NAME,
        settings,
        bus,
        tables=messaging,
        metadata=metadata,
        migrations=Path(__file__).parent / "migrations",
    )
    uow = partial(infra.unit_of_work, PaymentsUnitOfWork)
    simulator = SimulatorProvider(infra.database) if local.simulator else None
    providers = build_providers(local, simulator)
    processor = PaymentProcessor(
        uow, providers, AmountLimitFraudCheck(local.fraud_limit), interval=local.interval
    )

    def woken_uow() -> PaymentsUnitOfWork:
        """A unit of work whose every commit wakes the processor (and the relay on events)."""
        work = PaymentsUnitOfWork(
            infra.database, infra.tables, source=NAME, on_commit=infra.relay.wake
        )
        work.after_commit = processor.wake
        return work

    infra.consume(HANDLERS, woken_uow)

    async def context(request: Request | WebSocket) -> PaymentsContext:
        return PaymentsContext(
            **request_fields(request, settings, infra.database),
            database=infra.database,
            uow=woken_uow,
            providers=providers,
            wake=processor.wake,
            publishable_keys={"stripe": local.stripe_publishable_key},
        )

    async def stripe_webhook(request: Request) -> JSONResponse:
        if local.stripe_webhook_secret is None:
            return JSONResponse({"error": "stripe webhooks are not configured"}, status_code=404)
        body = await request.body()
        if len(body) > MAX_WEBHOOK_BYTES:
            return JSONResponse({"error": "too large"}, status_code=413)
        try:
            event = stripe.Webhook.construct_event(
                body, request.headers.get("stripe-signature"), local.stripe_webhook_secret, 300
            )
        except (stripe.SignatureVerificationError, ValueError):
            return JSONResponse({"error": "invalid signature"}, status_code=400)
        outcome = await handle_stripe_event(woken_uow, event.to_dict(), datetime.now(UTC))
        return JSONResponse({"received": True, "outcome": outcome})

    async def paypal_webhook(request: Request) -> JSONResponse:
        paypal = providers.get("paypal")
        if paypal is None or local.paypal_webhook_id is None:
            return JSONResponse({"error": "paypal webhooks are not configured"}, status_code=404)
        body = await request.body()
        if len(body) > MAX_WEBHOOK_BYTES:
            return JSONResponse({"error": "too large"}, status_code=413)
        try:
            event = await request.json()
        except ValueError:
            return JSONResponse({"error": "malformed"}, status_code=400)
        inner = paypal.inner if isinstance(paypal, ResilientProvider) else paypal
        assert isinstance(inner, PayPalProvider)
        headers = {k.lower(): v for k, v in request.headers.items()}
        if not await inner.verify_webhook(headers, event, local.paypal_webhook_id):
            return JSONResponse({"error": "invalid signature"}, status_code=400)
        outcome = await handle_paypal_event(woken_uow, event, datetime.now(UTC))
        return JSONResponse({"received": True, "outcome": outcome})

    async def close_providers() -> None:
        for provider in providers.values():
            inner = provider.inner if isinstance(provider, ResilientProvider) else provider
            if isinstance(inner, PayPalProvider):
                await inner.aclose()

    app = SubgraphApp(
        schema=create_schema(settings),
        context_getter=context,
        infra=infra,
        routes=[
            Route("/webhooks/stripe", stripe_webhook, methods=["POST"]),
            Route("/webhooks/paypal", paypal_webhook, methods=["POST"]),
        ],
        on_start=[processor.start],
        on_stop=[close_providers, processor.stop],
    )
    app.processor = processor  # type: ignore[attr-defined]  # tests and commands drive it
    app.simulator = simulator  # type: ignore[attr-defined]
    return app
