"""Process settings, read once from the environment (prefix ``AGORA_``) into a frozen object.

Every problem found is reported at once, in one ``SettingsError`` that names the variable, the
value it had and what was expected, so a misconfigured deployment fails at start, not later.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal, TypeVar

PREFIX = "AGORA_"
_T = TypeVar("_T", bound=str)
Environment = Literal["development", "test", "production"]
LogFormat = Literal["json", "console"]
_ENVIRONMENTS: tuple[Environment, ...] = ("development", "test", "production")
_LOG_FORMATS: tuple[LogFormat, ...] = ("json", "console")
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
_DB_URL_PREFIXES = ("sqlite+aiosqlite://", "postgresql+asyncpg://")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,30}$")
DEV_ROUTER_SECRET = "agora-development-router-secret-not-for-production"  # noqa: S105 - refused in production
MIN_ROUTER_SECRET_LENGTH = 32


class SettingsError(ValueError):
    """Raised when the environment does not describe a runnable configuration."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"Invalid Agora settings ({len(problems)} problem(s)):\n{lines}")


@dataclass(frozen=True, slots=True)
class DatabaseConfig:
    """Where one subgraph keeps its data: a SQLAlchemy async URL and, on PostgreSQL, a schema."""

    url: str
    schema: str | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a process of Agora needs to know about its environment."""

    env: Environment = "development"
    data_dir: Path = Path(".agora")
    database_url: str | None = None
    database_urls: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    database_schema_prefix: str = ""
    redis_url: str | None = None
    subgraphs_host: str = "127.0.0.1"
    subgraphs_port: int = 4001
    router_port: int = 4000
    web_port: int = 3000
    log_level: str = "INFO"
    log_format: LogFormat = "json"
    router_secret: str = DEV_ROUTER_SECRET
    relay_interval: float = 0.2
    idempotency_ttl_hours: int = 24
    outbox_retention_hours: int = 168
    db_pool_size: int = 10
    sqlite_read_threads: int = 0
    graphql_max_depth: int = 20
    graphql_max_tokens: int = 10_000
    graphql_max_aliases: int = 100

    def database_for(self, subgraph: str) -> DatabaseConfig:
        """The database of one subgraph: its own URL, else its own schema on the shared server
        (named ``<prefix><subgraph>``), else its own SQLite file under the data directory."""
        if subgraph in self.database_urls:
            return DatabaseConfig(self.database_urls[subgraph])
        if self.database_url is not None:
            return DatabaseConfig(self.database_url, schema=self.database_schema_prefix + subgraph)
        return DatabaseConfig(f"sqlite+aiosqlite:///{self.data_dir / (subgraph + '.db')}")

    @property
    def is_production(self) -> bool:
        return self.env == "production"


def _int(
    environ: Mapping[str, str], key: str, default: int, problems: list[str], lo: int, hi: int
) -> int:
    raw = environ.get(PREFIX + key)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        problems.append(f"{PREFIX}{key}={raw!r} is not an integer")
        return default
    if not lo <= value <= hi:
        problems.append(f"{PREFIX}{key}={value} must be between {lo} and {hi}")
    return value


def _float(environ: Mapping[str, str], key: str, default: float, problems: list[str]) -> float:
    raw = environ.get(PREFIX + key)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        problems.append(f"{PREFIX}{key}={raw!r} is not a number")
        return default
    if not (math.isfinite(value) and value > 0):
        problems.append(f"{PREFIX}{key}={raw!r} must be a positive, finite number")
    return value


def _choice(
    environ: Mapping[str, str], key: str, choices: tuple[_T, ...], default: _T, problems: list[str]
) -> _T:
    raw = environ.get(PREFIX + key)
    if raw is None or raw == "":
        return default
    for choice in choices:
        if raw.lower() == choice.lower():
            return choice
    problems.append(f"{PREFIX}{key}={raw!r} must be one of {', '.join(choices)}")
    return default


def _db_url(key: str, raw: str, problems: list[str]) -> str:
    if raw.startswith("postgresql://") or raw.startswith("postgres://"):
        return "postgresql+asyncpg://" + raw.split("://", 1)[1]
    if not raw.startswith(_DB_URL_PREFIXES):
        problems.append(
            f"{key}={raw!r} must start with one of {', '.join(_DB_URL_PREFIXES)} (or postgresql://)"
        )
    return raw


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read the settings from ``environ`` (default: the process environment). Call once at start."""
    env_map: Mapping[str, str] = os.environ if environ is None else environ
    problems: list[str] = []
    env = _choice(env_map, "ENV", _ENVIRONMENTS, "development", problems)

    database_url = env_map.get(PREFIX + "DATABASE_URL") or None
    if database_url is not None:
        database_url = _db_url(PREFIX + "DATABASE_URL", database_url, problems)
    database_urls: dict[str, str] = {}
    for key, raw in env_map.items():
        match = re.fullmatch(PREFIX + r"([A-Z][A-Z0-9_]*)_DATABASE_URL", key)
        if match and raw:
            name = match.group(1).lower()
            if not _NAME.match(name):
                problems.append(f"{key}: {name!r} is not a valid subgraph name")
            database_urls[name] = _db_url(key, raw, problems)

    schema_prefix = env_map.get(PREFIX + "DATABASE_SCHEMA_PREFIX", "")
    if schema_prefix and not _NAME.match(schema_prefix):
        problems.append(
            f"{PREFIX}DATABASE_SCHEMA_PREFIX={schema_prefix!r} must be lowercase letters, digits, _"
        )
    redis_url = env_map.get(PREFIX + "REDIS_URL") or None
    if redis_url is not None and not redis_url.startswith(("redis://", "rediss://", "unix://")):
        problems.append(
            f"{PREFIX}REDIS_URL={redis_url!r} must start with redis://, rediss:// or unix://"
        )

    router_secret = env_map.get(PREFIX + "ROUTER_SECRET") or DEV_ROUTER_SECRET
    if len(router_secret) < MIN_ROUTER_SECRET_LENGTH:
        problems.append(
            f"{PREFIX}ROUTER_SECRET must be at least {MIN_ROUTER_SECRET_LENGTH} characters"
        )
    if env == "production":
        if router_secret == DEV_ROUTER_SECRET:
            problems.append(
                f"{PREFIX}ENV=production needs {PREFIX}ROUTER_SECRET (a random secret shared "
                "with the router), not the development default"
            )
        if database_url is None and not database_urls:
            problems.append(f"{PREFIX}ENV=production needs {PREFIX}DATABASE_URL (PostgreSQL)")
        elif any(u.startswith("sqlite") for u in [database_url or "", *database_urls.values()]):
            problems.append(f"{PREFIX}ENV=production needs PostgreSQL, not SQLite")

    settings = Settings(
        env=env,
        data_dir=Path(env_map.get(PREFIX + "DATA_DIR") or ".agora").expanduser(),
        database_url=database_url,
        database_urls=MappingProxyType(database_urls),
        database_schema_prefix=schema_prefix,
        redis_url=redis_url,
        subgraphs_host=env_map.get(PREFIX + "SUBGRAPHS_HOST") or "127.0.0.1",
        subgraphs_port=_int(env_map, "SUBGRAPHS_PORT", 4001, problems, 1, 65535),
        router_port=_int(env_map, "ROUTER_PORT", 4000, problems, 1, 65535),
        web_port=_int(env_map, "WEB_PORT", 3000, problems, 1, 65535),
        log_level=_choice(env_map, "LOG_LEVEL", _LOG_LEVELS, "INFO", problems),
        log_format=_choice(env_map, "LOG_FORMAT", _LOG_FORMATS, "json", problems),
        router_secret=router_secret,
        relay_interval=_float(env_map, "RELAY_INTERVAL", 0.2, problems),
        idempotency_ttl_hours=_int(env_map, "IDEMPOTENCY_TTL_HOURS", 24, problems, 1, 24 * 365),
        outbox_retention_hours=_int(env_map, "OUTBOX_RETENTION_HOURS", 168, problems, 1, 24 * 365),
        db_pool_size=_int(env_map, "DB_POOL_SIZE", 10, problems, 1, 200),
        sqlite_read_threads=_int(env_map, "SQLITE_READ_THREADS", 0, problems, 0, 32),
        graphql_max_depth=_int(env_map, "GRAPHQL_MAX_DEPTH", 20, problems, 2, 100),
        graphql_max_tokens=_int(env_map, "GRAPHQL_MAX_TOKENS", 10_000, problems, 100, 1_000_000),
        graphql_max_aliases=_int(env_map, "GRAPHQL_MAX_ALIASES", 100, problems, 1, 10_000),
    )
    if problems:
        raise SettingsError(problems)
    return settings
