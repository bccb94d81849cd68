"""TOTP (RFC 6238) with replay protection, and single-use recovery codes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp

ISSUER = "Agora"
STEP_SECONDS = 30
VALID_WINDOW = 1  # one step either side: clocks drift
RECOVERY_CODES = 10


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def matching_step(secret: str, code: str, *, now: datetime, last_step: int | None) -> int | None:
    """The time step ``code`` is valid for, or None. A step at or before ``last_step`` (already
    used) never matches again: a code is accepted once, even inside its window."""
    code = code.strip().replace(" ", "")
    if not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def new_recovery_codes() -> list[str]:
    return [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _ in range(RECOVERY_CODES)]


def looks_like_recovery_code(code: str) -> bool:
    return "-" in code.strip()


def hash_code(code: str) -> str:
    """Recovery codes and opaque tokens are long and random: SHA-256 is enough to store them."""
    return hashlib.sha256(code.strip().lower().encode()).hexdigest()
