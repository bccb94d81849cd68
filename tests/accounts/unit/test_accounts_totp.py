"""TOTP codes: valid within one step of drift, never twice for the same time step."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp

from subgraphs.accounts.domain import mfa

T0 = datetime(2026, 11, 22, 12, 0, 10, tzinfo=UTC)


def test_a_code_matches_its_step_and_one_either_side() -> None:
    secret = mfa.new_secret()
    code = pyotp.TOTP(secret).at(T0)
    step = int(T0.timestamp()) // 30

    assert mfa.matching_step(secret, code, now=T0, last_step=None) == step
    assert mfa.matching_step(secret, code, now=T0 + timedelta(seconds=30), last_step=None) == step
    assert mfa.matching_step(secret, code, now=T0 + timedelta(seconds=90), last_step=None) is None
    assert mfa.matching_step(secret, "12345", now=T0, last_step=None) is None
    assert mfa.matching_step(secret, "abcdef", now=T0, last_step=None) is None


def test_a_used_step_and_older_ones_never_match_again() -> None:
    secret = mfa.new_secret()
    code = pyotp.TOTP(secret).at(T0)
    step = mfa.matching_step(secret, code, now=T0, last_step=None)

    assert mfa.matching_step(secret, code, now=T0, last_step=step) is None
    earlier = pyotp.TOTP(secret).at(T0 - timedelta(seconds=30))
    assert mfa.matching_step(secret, earlier, now=T0, last_step=step) is None


def test_recovery_codes_are_ten_distinct_and_hashed_stably() -> None:
    codes = mfa.new_recovery_codes()
    assert len(set(codes)) == 10
    assert all(mfa.looks_like_recovery_code(c) for c in codes)
    assert mfa.hash_code(codes[0]) == mfa.hash_code(f" {codes[0].upper()} ")
