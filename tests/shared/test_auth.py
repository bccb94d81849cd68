"""Who is calling: forwarded identities, router signatures, permissions that need MFA."""

from __future__ import annotations

import base64

import orjson
import pytest

from shared.auth import (
    ANONYMOUS,
    SIGNATURE_TOLERANCE_SECONDS,
    InvalidIdentity,
    Permission,
    PermissionDenied,
    Principal,
    decode_identity,
    encode_identity,
    principal_from_claims,
    require,
    sign,
    signed_headers,
    verify_signature,
)

SECRET = "s" * 32
NOW = 1_800_000_000.0


def test_staff_permissions_count_only_after_mfa() -> None:
    with_mfa = Principal.staff("s-1", [Permission.MANAGE_PRODUCTS], mfa=True)
    without_mfa = Principal.staff("s-1", [Permission.MANAGE_PRODUCTS], mfa=False)

    assert with_mfa.has(Permission.MANAGE_PRODUCTS)
    assert not with_mfa.has(Permission.MANAGE_ORDERS)
    assert not without_mfa.has(Permission.MANAGE_PRODUCTS)
    assert without_mfa.effective_permissions == frozenset()
    with pytest.raises(PermissionDenied, match="needs the MANAGE_PRODUCTS permission") as caught:
        require(without_mfa, Permission.MANAGE_PRODUCTS)
    assert caught.value.permission is Permission.MANAGE_PRODUCTS


def test_customers_and_services_never_hold_staff_permissions() -> None:
    forged = Principal(kind="customer", id="c-1", permissions=frozenset(Permission), mfa=True)

    assert not forged.has(Permission.MANAGE_CUSTOMERS)
    assert not Principal.service("checkout").has(Permission.MANAGE_ORDERS)
    with pytest.raises(PermissionDenied):
        require(ANONYMOUS, Permission.MANAGE_REVIEWS)


def test_object_ownership_is_by_customer_id() -> None:
    alice = Principal.customer("c-alice")

    assert alice.is_customer_id("c-alice")
    assert not alice.is_customer_id("c-bob")
    assert not alice.is_customer_id(None)
    assert not Principal.staff("c-alice", Permission).is_customer_id("c-alice")
    assert not ANONYMOUS.is_customer_id(None)


@pytest.mark.parametrize(
    "principal",
    [
        Principal.customer("c-1", session_id="fam-1", name="Ada"),
        Principal.staff("s-1", [Permission.MANAGE_STAFF, Permission.HANDLE_PAYMENTS], mfa=True),
        Principal.staff("s-2", [], mfa=False),
        Principal.service("checkout"),
    ],
)
def test_an_identity_round_trips(principal: Principal) -> None:
    assert decode_identity(encode_identity(principal)) == principal


def test_an_empty_identity_is_anonymous() -> None:
    assert decode_identity("") == ANONYMOUS
    assert decode_identity(None) == ANONYMOUS


def test_claims_a_customer_cannot_hold_are_dropped_and_unknown_permissions_ignored() -> None:
    customer = principal_from_claims(
        {"typ": "customer", "sub": "c-1", "perms": ["MANAGE_STAFF"], "mfa": True}
    )
    staff = principal_from_claims(
        {"typ": "staff", "sub": "s-1", "perms": ["MANAGE_STAFF", "ROOT"], "mfa": "yes"}
    )

    assert customer.permissions == frozenset()
    assert staff.permissions == frozenset({Permission.MANAGE_STAFF})
    assert staff.mfa is False  # only the JSON literal true counts


@pytest.mark.parametrize(
    "value",
    [
        "not base64 !",
        base64.urlsafe_b64encode(b"[1, 2]").decode(),
        base64.urlsafe_b64encode(b"{not json").decode(),
        base64.urlsafe_b64encode(orjson.dumps({"typ": "root", "sub": "x"})).decode(),
        base64.urlsafe_b64encode(orjson.dumps({"typ": "staff"})).decode(),
        base64.urlsafe_b64encode(orjson.dumps({"typ": "staff", "sub": "s", "perms": "X"})).decode(),
        "A" * 10_000,
    ],
)
def test_a_malformed_identity_is_refused(value: str) -> None:
    with pytest.raises(InvalidIdentity):
        decode_identity(value)


def test_a_signature_verifies_for_the_same_identity_and_body_only() -> None:
    identity = encode_identity(Principal.customer("c-1"))
    header = sign(SECRET, identity, b'{"query":"{ me }"}', now=NOW)

    assert verify_signature(SECRET, header, identity, b'{"query":"{ me }"}', now=NOW)
    assert not verify_signature(SECRET, header, identity, b'{"query":"{ me } "}', now=NOW)
    other = encode_identity(Principal.customer("c-2"))
    assert not verify_signature(SECRET, header, other, b'{"query":"{ me }"}', now=NOW)
    assert not verify_signature("t" * 32, header, identity, b'{"query":"{ me }"}', now=NOW)


@pytest.mark.parametrize(
    "skew", [SIGNATURE_TOLERANCE_SECONDS + 1, -SIGNATURE_TOLERANCE_SECONDS - 1]
)
def test_a_stale_or_future_signature_is_refused(skew: int) -> None:
    header = sign(SECRET, "", b"{}", now=NOW)

    assert verify_signature(SECRET, header, "", b"{}", now=NOW + SIGNATURE_TOLERANCE_SECONDS)
    assert not verify_signature(SECRET, header, "", b"{}", now=NOW + skew)


@pytest.mark.parametrize(
    "header", [None, "", "t=abc,v1=00", "v1=00", f"t={int(NOW)}", f"t={int(NOW)},v1=", "garbage"]
)
def test_a_malformed_signature_header_is_refused(header: str | None) -> None:
    assert not verify_signature(SECRET, header, "", b"{}", now=NOW)


def test_signed_headers_carry_identity_and_signature() -> None:
    body = b'{"query":"{ __typename }"}'
    headers = signed_headers(SECRET, Principal.customer("c-9"), body, now=NOW)
    anonymous = signed_headers(SECRET, ANONYMOUS, body, now=NOW)

    assert decode_identity(headers["x-agora-identity"]) == Principal.customer("c-9")
    assert verify_signature(
        SECRET, headers["x-agora-signature"], headers["x-agora-identity"], body, now=NOW
    )
    assert anonymous["x-agora-identity"] == ""
    assert verify_signature(SECRET, anonymous["x-agora-signature"], "", body, now=NOW)
