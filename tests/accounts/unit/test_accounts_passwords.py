"""Emails, the password policy and argon2id parameters (no I/O)."""

from __future__ import annotations

import pytest
from argon2 import extract_parameters

from subgraphs.accounts.domain.errors import AccountError, AccountErrorCode
from subgraphs.accounts.domain.passwords import (
    Argon2Parameters,
    Passwords,
    check_password_policy,
    email_key,
    normalize_email,
)


def test_emails_are_trimmed_nfkc_and_the_domain_lowercased() -> None:
    assert normalize_email("  Ada@EXAMPLE.Com ") == "Ada@example.com"
    assert normalize_email("ａｄａ@example.com") == "ada@example.com"  # fullwidth → ASCII (NFKC)
    assert email_key("Ada@example.com") == email_key("ada@EXAMPLE.com")


@pytest.mark.parametrize(
    "raw", ["", "ada", "ada@", "@example.com", "a b@example.com", "ada@example"]
)
def test_what_cannot_be_an_address_is_refused(raw: str) -> None:
    with pytest.raises(AccountError) as caught:
        normalize_email(raw)
    assert caught.value.code == AccountErrorCode.INVALID_EMAIL


def test_password_policy() -> None:
    check_password_policy("long enough", email="ada@example.com")
    for password, code in [
        ("short", AccountErrorCode.PASSWORD_TOO_SHORT),
        ("ADA@example.com", AccountErrorCode.PASSWORD_TOO_SIMILAR),
        ("adalovelace", None),
        ("x" * 257, AccountErrorCode.INVALID),
    ]:
        if code is None:
            check_password_policy(password, email="ada@example.com")
            continue
        with pytest.raises(AccountError) as caught:
            check_password_policy(password, email="ada@example.com")
        assert caught.value.code == code
    with pytest.raises(AccountError):
        check_password_policy("adalovelace", email="adalovelace@example.com")  # the local part


def test_hashes_are_argon2id_at_or_above_the_owasp_floor() -> None:
    stored = Passwords().hash("correct horse battery")

    parameters = extract_parameters(stored)
    assert stored.startswith("$argon2id$")
    assert parameters.memory_cost >= 19 * 1024
    assert parameters.time_cost >= 2
    assert parameters.parallelism == 1
    print(
        f"argon2id m={parameters.memory_cost} KiB t={parameters.time_cost} p={parameters.parallelism}"
    )


def test_parameters_below_the_floor_are_refused() -> None:
    with pytest.raises(ValueError, match="OWASP"):
        Argon2Parameters(memory_kib=4096)
    with pytest.raises(ValueError, match="OWASP"):
        Argon2Parameters(time_cost=1)


def test_verify_and_rehash_when_parameters_grow() -> None:
    old = Passwords()
    stored = old.hash("correct horse battery")
    stronger = Passwords(Argon2Parameters(memory_kib=32 * 1024, time_cost=3))

    assert stronger.verify(stored, "correct horse battery")
    assert not stronger.verify(stored, "wrong")
    assert not stronger.verify(None, "correct horse battery")  # unknown account: dummy hash
    assert not old.needs_rehash(stored)
    assert stronger.needs_rehash(stored)
