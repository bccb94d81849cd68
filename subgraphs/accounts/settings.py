"""Settings only the accounts subgraph reads (``AGORA_*``), read once into a frozen object.

They live here rather than in ``shared.settings`` because no other subgraph needs them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from shared.settings import SettingsError

PLACEHOLDER = "CHANGE_ME"


@dataclass(frozen=True, slots=True)
class AccountsSettings:
    signing_key_max_age: timedelta = timedelta(days=30)
    """A new signing key after this age (``AGORA_SIGNING_KEY_MAX_AGE_HOURS``)."""
    argon2_memory_kib: int = 19 * 1024
    argon2_time_cost: int = 2
    sendgrid_api_key: str | None = None
    mail_from: str = "Agora <no-reply@agora.local>"
    public_url: str = "http://127.0.0.1:3000"
    """Where links in emails point (``AGORA_PUBLIC_URL``): the storefront."""
    login_ip_failures: int = 50
    """Failed sign-ins per client IP per 15 minutes before the IP is refused for a while."""


def _int(env: Mapping[str, str], key: str, default: int, problems: list[str], lo: int) -> int:
    raw = env.get(key)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        problems.append(f"{key}={raw!r} is not an integer")
        return default
    if value < lo:
        problems.append(f"{key}={value} must be at least {lo}")
    return value


def load_accounts_settings(environ: Mapping[str, str] | None = None) -> AccountsSettings:
    env: Mapping[str, str] = os.environ if environ is None else environ
    problems: list[str] = []
    settings = AccountsSettings(
        signing_key_max_age=timedelta(
            hours=_int(env, "AGORA_SIGNING_KEY_MAX_AGE_HOURS", 24 * 30, problems, 1)
        ),
        argon2_memory_kib=_int(env, "AGORA_ARGON2_MEMORY_KIB", 19 * 1024, problems, 19 * 1024),
        argon2_time_cost=_int(env, "AGORA_ARGON2_TIME_COST", 2, problems, 2),
        sendgrid_api_key=env.get("AGORA_SENDGRID_API_KEY") or None,
        mail_from=env.get("AGORA_MAIL_FROM") or "Agora <no-reply@agora.local>",
        public_url=(env.get("AGORA_PUBLIC_URL") or "http://127.0.0.1:3000").rstrip("/"),
        login_ip_failures=_int(env, "AGORA_LOGIN_IP_FAILURES", 50, problems, 1),
    )
    if settings.sendgrid_api_key == PLACEHOLDER:
        problems.append("AGORA_SENDGRID_API_KEY is still the placeholder CHANGE_ME: set the key")
    if problems:
        raise SettingsError(problems)
    return settings
