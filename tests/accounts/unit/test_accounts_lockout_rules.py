"""The lockout rule on the ``User`` aggregate (no I/O): 5 failures in 15 minutes lock for 15."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from subgraphs.accounts.domain.models import User

T0 = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def user() -> User:
    return User(email="ada@example.com", email_key="ada@example.com")


def test_five_failures_within_the_window_lock_for_fifteen_minutes() -> None:
    u = user()
    for minute in range(4):
        u.record_failed_login(T0 + timedelta(minutes=minute))
    assert not u.is_locked(T0 + timedelta(minutes=4))

    u.record_failed_login(T0 + timedelta(minutes=4))

    assert u.is_locked(T0 + timedelta(minutes=4))
    assert u.is_locked(T0 + timedelta(minutes=18, seconds=59))
    assert not u.is_locked(T0 + timedelta(minutes=19))


def test_failures_spread_over_more_than_the_window_never_lock() -> None:
    u = user()
    for i in range(20):
        u.record_failed_login(T0 + timedelta(minutes=4 * i))
    assert u.locked_until is None


def test_failures_during_a_lock_do_not_extend_it() -> None:
    u = user()
    for _ in range(5):
        u.record_failed_login(T0)
    until = u.locked_until
    for minute in range(1, 15):
        u.record_failed_login(T0 + timedelta(minutes=minute))
    assert u.locked_until == until


def test_success_clears_the_count() -> None:
    u = user()
    for _ in range(4):
        u.record_failed_login(T0)
    u.clear_failures()
    u.record_failed_login(T0)
    assert not u.is_locked(T0)
    assert u.failed_logins == 1
