"""Who is calling: the dev staff token in development and test only; permissions."""

from __future__ import annotations

import pytest
from starlette.datastructures import Headers

from shared.auth import (
    ANONYMOUS,
    SYSTEM,
    Permission,
    PermissionDenied,
    Principal,
    principal_from_headers,
    require,
)
from shared.settings import SYSTEM_TOKEN_DEFAULT, Settings, load_settings

BEARER_DEV = {"authorization": f"Bearer {SYSTEM_TOKEN_DEFAULT}"}


@pytest.mark.parametrize("env", ["development", "test"])
def test_the_dev_token_is_staff_in_development_and_test(env: str) -> None:
    settings = load_settings({"AGORA_ENV": env})

    principal = principal_from_headers(BEARER_DEV, settings)

    assert principal == SYSTEM
    assert principal.is_authenticated
    assert principal.is_staff
    assert all(principal.has(p) for p in Permission)


def test_the_scheme_is_case_insensitive_and_headers_come_from_starlette() -> None:
    headers = Headers({"Authorization": f"bearer {SYSTEM_TOKEN_DEFAULT}"})

    assert principal_from_headers(headers, load_settings({})) == SYSTEM


def test_the_dev_token_is_refused_in_production_even_if_present() -> None:
    production = Settings(env="production", dev_staff_token=SYSTEM_TOKEN_DEFAULT)

    assert principal_from_headers(BEARER_DEV, production) == ANONYMOUS


def test_production_settings_from_the_environment_carry_no_dev_token() -> None:
    production = load_settings(
        {"AGORA_ENV": "production", "AGORA_DATABASE_URL": "postgresql://db/agora"}
    )

    assert principal_from_headers(BEARER_DEV, production) == ANONYMOUS


@pytest.mark.parametrize(
    "authorization",
    [
        "",
        "Bearer",
        "Bearer ",
        "Bearer wrong-token",
        f"Bearer {SYSTEM_TOKEN_DEFAULT}x",
        f"Bearer  {SYSTEM_TOKEN_DEFAULT}",
        f"Basic {SYSTEM_TOKEN_DEFAULT}",
        SYSTEM_TOKEN_DEFAULT,
    ],
)
def test_anything_but_the_exact_dev_token_is_anonymous(authorization: str) -> None:
    principal = principal_from_headers({"authorization": authorization}, load_settings({}))

    assert principal == ANONYMOUS
    assert not principal.is_authenticated


def test_no_authorization_header_is_anonymous() -> None:
    assert principal_from_headers({}, load_settings({})) == ANONYMOUS


def test_a_configured_dev_token_replaces_the_default() -> None:
    settings = load_settings({"AGORA_SYSTEM_TOKEN": "s3cret"})

    assert principal_from_headers({"authorization": "Bearer s3cret"}, settings) == SYSTEM
    assert principal_from_headers(BEARER_DEV, settings) == ANONYMOUS


def test_a_disabled_dev_token_lets_nobody_in() -> None:
    settings = load_settings({"AGORA_SYSTEM_TOKEN": ""})

    assert principal_from_headers(BEARER_DEV, settings) == ANONYMOUS
    assert principal_from_headers({"authorization": "Bearer "}, settings) == ANONYMOUS


def test_require_passes_with_the_permission_and_raises_without() -> None:
    customer = Principal(kind="customer", id="c-1")
    moderator = Principal(
        kind="staff", id="s-1", permissions=frozenset({Permission.MANAGE_REVIEWS})
    )

    require(moderator, Permission.MANAGE_REVIEWS)
    assert customer.is_authenticated
    assert not customer.is_staff
    with pytest.raises(PermissionDenied, match="needs the MANAGE_PRODUCTS permission") as caught:
        require(moderator, Permission.MANAGE_PRODUCTS)
    assert caught.value.permission is Permission.MANAGE_PRODUCTS
    with pytest.raises(PermissionDenied):
        require(customer, Permission.MANAGE_REVIEWS)
