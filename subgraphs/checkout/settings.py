"""Settings of the checkout subgraph only (prefix ``AGORA_CHECKOUT_``), read once at start.

``AGORA_CHECKOUT_INVENTORY_URL``: base URL of the inventory subgraph's internal API (default
``http://{AGORA_SUBGRAPHS_HOST}:{AGORA_SUBGRAPHS_PORT}/inventory``, the embedded host);
``AGORA_CHECKOUT_INVENTORY_TIMEOUT`` seconds per attempt (default 2);
``AGORA_CHECKOUT_RESERVATION_TTL`` seconds a completed checkout's stock stays reserved awaiting
payment (default 900); ``AGORA_CHECKOUT_CART_SWEEP_INTERVAL`` seconds between sweeps of expired
guest carts (default 300); ``AGORA_CHECKOUT_COMPLETION_TIMEOUT`` seconds after which a completion
that has not finished counts as crashed and a retry with its key takes over (default 30).

The default inventory URL is the embedded host's (``make up``: every subgraph under ``/<name>``
on one port). A wildcard bind address (``0.0.0.0``, ``::``) is where the host listens, not an
address to call: the URL then names the loopback address instead.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from shared.settings import Settings, SettingsError

PREFIX = "AGORA_CHECKOUT_"


@dataclass(frozen=True, slots=True)
class CheckoutSettings:
    inventory_url: str
    inventory_timeout: float = 2.0
    reservation_ttl: int = 900
    cart_sweep_interval: float = 300.0
    completion_timeout: float = 30.0

    @classmethod
    def load(cls, settings: Settings, environ: Mapping[str, str] | None = None) -> CheckoutSettings:
        env = os.environ if environ is None else environ
        problems: list[str] = []
        url = env.get(PREFIX + "INVENTORY_URL") or embedded_inventory_url(settings)
        if not url.startswith(("http://", "https://")):
            problems.append(f"{PREFIX}INVENTORY_URL={url!r} must start with http:// or https://")

        def number(key: str, default: float, lo: float, hi: float, unit: str) -> float:
            raw = env.get(PREFIX + key)
            if not raw:
                return default
            try:
                value = float(raw)
            except ValueError:
                value = float("nan")
            if not lo <= value <= hi:  # NaN fails too
                problems.append(f"{PREFIX}{key}={raw!r} must be {lo:g} to {hi:g} {unit}")
                return default
            return value

        timeout = number("INVENTORY_TIMEOUT", 2.0, 0.001, 30, "seconds")
        ttl = number("RESERVATION_TTL", 900, 60, 86_400, "seconds")
        sweep = number("CART_SWEEP_INTERVAL", 300.0, 1, 86_400, "seconds")
        completion = number("COMPLETION_TIMEOUT", 30.0, 1, 600, "seconds")
        if ttl != int(ttl):
            problems.append(f"{PREFIX}RESERVATION_TTL must be whole seconds")
        if problems:
            raise SettingsError(problems)
        return cls(
            inventory_url=url,
            inventory_timeout=timeout,
            reservation_ttl=int(ttl),
            cart_sweep_interval=sweep,
            completion_timeout=completion,
        )


def embedded_inventory_url(settings: Settings) -> str:
    """Inventory as mounted by the embedded subgraph host (``shared.host``: ``/<name>``)."""
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(  # noqa: S104 - mapped away
        settings.subgraphs_host, settings.subgraphs_host
    )
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 literal in a URL
    return f"http://{host}:{settings.subgraphs_port}/inventory"
