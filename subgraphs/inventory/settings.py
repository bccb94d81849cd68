"""Settings of the inventory subgraph, read once from ``AGORA_INVENTORY_*`` variables.

``shared.settings`` holds what every subgraph needs; these are the inventory's own. Read in
``create_subgraph`` (never at import), frozen, and every problem reported at once.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass

from shared.settings import PREFIX, SettingsError

_PREFIX = PREFIX + "INVENTORY_"
MAX_TTL_SECONDS = 24 * 3600


@dataclass(frozen=True, slots=True)
class InventorySettings:
    reservation_ttl_seconds: int = 15 * 60
    """How long a reservation holds stock unless the caller gives its own ``ttl_seconds``."""
    sweep_interval: float = 5.0
    """Seconds between two passes of the sweeper that releases expired reservations."""
    sweep_batch: int = 200
    """Expired reservations released per pass at most (each in its own transaction)."""
    conflict_retries: int = 5
    """Attempts of a use case when the database reports a deadlock or serialization failure."""
    batch_max: int = 128
    """Reservations that may share one transaction (group commit; see reservation_batcher)."""
    batch_lanes: int = 2
    """Transactions of batched reservations running at once."""


def load_inventory_settings(environ: Mapping[str, str] | None = None) -> InventorySettings:
    env = os.environ if environ is None else environ
    problems: list[str] = []
    defaults = InventorySettings()

    def integer(key: str, default: int, lo: int, hi: int) -> int:
        raw = env.get(_PREFIX + key)
        if raw is None or raw == "":
            return default
        try:
            value = int(raw)
        except ValueError:
            problems.append(f"{_PREFIX}{key}={raw!r} is not an integer")
            return default
        if not lo <= value <= hi:
            problems.append(f"{_PREFIX}{key}={value} must be between {lo} and {hi}")
        return value

    raw_interval = env.get(_PREFIX + "SWEEP_INTERVAL")
    interval = defaults.sweep_interval
    if raw_interval:
        try:
            interval = float(raw_interval)
        except ValueError:
            problems.append(f"{_PREFIX}SWEEP_INTERVAL={raw_interval!r} is not a number")
        else:
            if not (math.isfinite(interval) and interval > 0):
                problems.append(f"{_PREFIX}SWEEP_INTERVAL={raw_interval!r} must be positive")
    settings = InventorySettings(
        reservation_ttl_seconds=integer(
            "RESERVATION_TTL_SECONDS", defaults.reservation_ttl_seconds, 1, MAX_TTL_SECONDS
        ),
        sweep_interval=interval,
        sweep_batch=integer("SWEEP_BATCH", defaults.sweep_batch, 1, 10_000),
        conflict_retries=integer("CONFLICT_RETRIES", defaults.conflict_retries, 1, 50),
        batch_max=integer("BATCH_MAX", defaults.batch_max, 1, 1000),
        batch_lanes=integer("BATCH_LANES", defaults.batch_lanes, 1, 32),
    )
    if problems:
        raise SettingsError(problems)
    return settings
