"""Settings of the checkout subgraph only (prefix ``AGORA_CHECKOUT_``), read once at start.

``AGORA_CHECKOUT_INVENTORY_URL``: base URL of the inventory subgraph's internal API (default
``http://{AGORA_SUBGRAPHS_HOST}:{AGORA_SUBGRAPHS_PORT}/inventory``, the embedded host);
``AGORA_CHECKOUT_INVENTORY_TIMEOUT`` seconds per attempt (default 2);
``AGORA_CHECKOUT_RESERVATION_TTL`` seconds a completed checkout's stock stays reserved awaiting
payment (default 900).
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

    @classmethod
    def load(cls, settings: Settings, environ: Mapping[str, str] | None = None) -> CheckoutSettings:
        env = os.environ if environ is None else environ
        problems: list[str] = []
        url = env.get(PREFIX + "INVENTORY_URL") or (
            f"http://{settings.subgraphs_host}:{settings.subgraphs_port}/inventory"
        )
        if not url.startswith(("http://", "https://")):
            problems.append(f"{PREFIX}INVENTORY_URL={url!r} must start with http:// or https://")
        timeout = 2.0
        raw = env.get(PREFIX + "INVENTORY_TIMEOUT")
        if raw:
            try:
                timeout = float(raw)
                if not 0 < timeout <= 30:
                    raise ValueError
            except ValueError:
                problems.append(f"{PREFIX}INVENTORY_TIMEOUT={raw!r} must be between 0 and 30")
        ttl = 900
        raw = env.get(PREFIX + "RESERVATION_TTL")
        if raw:
            try:
                ttl = int(raw)
                if not 60 <= ttl <= 86_400:
                    raise ValueError
            except ValueError:
                problems.append(f"{PREFIX}RESERVATION_TTL={raw!r} must be 60 to 86400 seconds")
        if problems:
            raise SettingsError(problems)
        return cls(inventory_url=url, inventory_timeout=timeout, reservation_ttl=ttl)
