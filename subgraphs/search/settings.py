"""Settings of the search subgraph (``AGORA_SEARCH_*``, ``AGORA_MEILISEARCH_*``), read once.

They live here, not in ``shared.settings``, because only this subgraph reads them.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from shared.settings import Settings, SettingsError

Backend = Literal["tantivy", "meilisearch", "postgres"]
BACKENDS: tuple[Backend, ...] = ("tantivy", "meilisearch", "postgres")


@dataclass(frozen=True, slots=True)
class SearchSettings:
    backend: Backend = "tantivy"
    index_dir: Path | None = None
    """Where tantivy keeps its index; None keeps it in RAM (tests)."""
    commit_interval: float = 0.25
    meilisearch_url: str | None = None
    meilisearch_key: str | None = None
    meilisearch_index: str = "products"


def load_search_settings(
    settings: Settings, environ: Mapping[str, str] | None = None
) -> SearchSettings:
    env = os.environ if environ is None else environ
    problems: list[str] = []
    meili_url = env.get("AGORA_MEILISEARCH_URL") or None
    raw_backend = (env.get("AGORA_SEARCH_BACKEND") or "").lower()
    backend: Backend = "meilisearch" if meili_url else "tantivy"
    if raw_backend:
        if raw_backend in BACKENDS:
            backend = raw_backend
        else:
            problems.append(
                f"AGORA_SEARCH_BACKEND={raw_backend!r} must be one of {', '.join(BACKENDS)}"
            )
    if backend == "meilisearch" and not meili_url:
        problems.append("AGORA_SEARCH_BACKEND=meilisearch needs AGORA_MEILISEARCH_URL")
    if backend == "postgres" and settings.database_for("search").is_sqlite:
        problems.append("AGORA_SEARCH_BACKEND=postgres needs the search database on PostgreSQL")
    interval = 0.25
    raw_interval = env.get("AGORA_SEARCH_COMMIT_INTERVAL")
    if raw_interval:
        try:
            interval = float(raw_interval)
        except ValueError:
            problems.append(f"AGORA_SEARCH_COMMIT_INTERVAL={raw_interval!r} is not a number")
        else:
            if not (math.isfinite(interval) and 0 < interval <= 1):
                problems.append("AGORA_SEARCH_COMMIT_INTERVAL must be over 0 and at most 1 s")
    if problems:
        raise SettingsError(problems)
    return SearchSettings(
        backend=backend,
        index_dir=None if settings.env == "test" else settings.data_dir / "search" / "tantivy",
        commit_interval=interval,
        meilisearch_url=meili_url,
        meilisearch_key=env.get("AGORA_MEILISEARCH_KEY") or None,
        meilisearch_index=env.get("AGORA_MEILISEARCH_INDEX") or "products",
    )
