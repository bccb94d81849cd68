"""Settings of the payments subgraph (``AGORA_PAYMENTS_*``, ``AGORA_STRIPE_*``,
``AGORA_PAYPAL_*``), read once at start; bad values fail fast, all reported together.

The simulator is on by default and refused in production unless ``AGORA_PAYMENTS_SIMULATOR=true``
(a shop must not take fake payments by accident). Stripe is on when ``AGORA_STRIPE_API_KEY`` is
set (its webhooks need ``AGORA_STRIPE_WEBHOOK_SECRET``); PayPal when ``AGORA_PAYPAL_CLIENT_ID``
and ``AGORA_PAYPAL_SECRET`` are.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from shared.settings import Settings, SettingsError


@dataclass(frozen=True, slots=True)
class PaymentsSettings:
    simulator: bool = True
    stripe_api_key: str | None = None
    stripe_webhook_secret: str | None = None
    stripe_publishable_key: str | None = None
    stripe_api_base: str = "https://api.stripe.com"
    paypal_client_id: str | None = None
    paypal_secret: str | None = None
    paypal_base_url: str = "https://api-m.sandbox.paypal.com"
    paypal_webhook_id: str | None = None
    timeout: float = 10.0
    attempts: int = 3
    breaker_threshold: int = 5
    breaker_window: float = 5.0
    breaker_cooldown: float = 30.0
    fraud_limit: Decimal = Decimal("10000")
    interval: float = 1.0

    @classmethod
    def load(cls, settings: Settings, environ: Mapping[str, str] | None = None) -> PaymentsSettings:
        env = os.environ if environ is None else environ
        problems: list[str] = []

        def number(key: str, default: float, lo: float, hi: float) -> float:
            raw = env.get(key)
            if not raw:
                return default
            try:
                value = float(raw)
            except ValueError:
                value = float("nan")
            if not lo <= value <= hi:
                problems.append(f"{key}={raw!r} must be {lo:g} to {hi:g}")
                return default
            return value

        raw_sim = env.get("AGORA_PAYMENTS_SIMULATOR")
        simulator = (
            (raw_sim or "").lower() in {"1", "true", "yes"}
            if raw_sim
            else not settings.is_production
        )
        if raw_sim and raw_sim.lower() not in {"1", "true", "yes", "0", "false", "no"}:
            problems.append(f"AGORA_PAYMENTS_SIMULATOR={raw_sim!r} must be true or false")
        fraud = Decimal("10000")
        raw_fraud = env.get("AGORA_PAYMENTS_FRAUD_LIMIT")
        if raw_fraud:
            try:
                fraud = Decimal(raw_fraud)
                if not fraud.is_finite() or fraud <= 0:
                    raise InvalidOperation
            except InvalidOperation:
                problems.append(
                    f"AGORA_PAYMENTS_FRAUD_LIMIT={raw_fraud!r} must be a positive amount"
                )
                fraud = Decimal("10000")
        if bool(env.get("AGORA_PAYPAL_CLIENT_ID")) != bool(env.get("AGORA_PAYPAL_SECRET")):
            problems.append("AGORA_PAYPAL_CLIENT_ID and AGORA_PAYPAL_SECRET go together")
        result = cls(
            simulator=simulator,
            stripe_api_key=env.get("AGORA_STRIPE_API_KEY") or None,
            stripe_webhook_secret=env.get("AGORA_STRIPE_WEBHOOK_SECRET") or None,
            stripe_publishable_key=env.get("AGORA_STRIPE_PUBLISHABLE_KEY") or None,
            stripe_api_base=env.get("AGORA_STRIPE_API_BASE") or "https://api.stripe.com",
            paypal_client_id=env.get("AGORA_PAYPAL_CLIENT_ID") or None,
            paypal_secret=env.get("AGORA_PAYPAL_SECRET") or None,
            paypal_base_url=env.get("AGORA_PAYPAL_BASE_URL") or "https://api-m.sandbox.paypal.com",
            paypal_webhook_id=env.get("AGORA_PAYPAL_WEBHOOK_ID") or None,
            timeout=number("AGORA_PAYMENTS_TIMEOUT", 10.0, 0.1, 60),
            attempts=int(number("AGORA_PAYMENTS_ATTEMPTS", 3, 1, 10)),
            breaker_threshold=int(number("AGORA_PAYMENTS_BREAKER_THRESHOLD", 5, 1, 1000)),
            breaker_window=number("AGORA_PAYMENTS_BREAKER_WINDOW", 5.0, 0.1, 600),
            breaker_cooldown=number("AGORA_PAYMENTS_BREAKER_COOLDOWN", 30.0, 0.1, 3600),
            fraud_limit=fraud,
            interval=number("AGORA_PAYMENTS_INTERVAL", 1.0, 0.01, 60),
        )
        if problems:
            raise SettingsError(problems)
        return result
