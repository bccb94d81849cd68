"""Address validation per country: required fields and postal code formats."""

from __future__ import annotations

import pytest

from subgraphs.checkout.domain.address import validate_address
from subgraphs.checkout.domain.errors import CartErrors

BASE = {"first_name": "Ada", "last_name": "L", "address1": "1 Road", "city": "Town"}


@pytest.mark.parametrize(
    ("country", "postal", "region"),
    [
        ("US", "94103", "CA"),
        ("US", "94103-1234", "CA"),
        ("CA", "K1A 0B1", "ON"),
        ("GB", "SW1A 1AA", ""),
        ("GB", "m1 1ae", ""),
        ("DE", "10115", ""),
        ("FR", "75008", ""),
        ("NL", "1012AB", ""),
        ("PL", "00-950", ""),
        ("JP", "100-0001", "13"),
        ("AU", "2000", "NSW"),
        ("IE", "", ""),  # no known format: postal code optional
    ],
)
def test_valid_addresses(country: str, postal: str, region: str) -> None:
    address = validate_address(
        {**BASE, "country_code": country.lower(), "postal_code": postal, "province_code": region}
    )
    assert address.country_code == country


@pytest.mark.parametrize(
    ("country", "postal"),
    [
        ("US", "9410"),
        ("CA", "123 456"),
        ("GB", "12345"),
        ("DE", "1011"),
        ("FR", "7500A"),
        ("NL", "0123 AB"),
        ("PL", "00950"),
        ("JP", "1000-001"),
        ("AU", "20000"),
    ],
)
def test_bad_postal_codes(country: str, postal: str) -> None:
    with pytest.raises(CartErrors) as caught:
        validate_address(
            {**BASE, "country_code": country, "postal_code": postal, "province_code": "X"},
            path=("shippingAddress",),
        )
    assert [(e.code, e.field) for e in caught.value.errors] == [
        ("INVALID_POSTAL_CODE", ["shippingAddress", "postalCode"])
    ]


def test_every_missing_field_is_named() -> None:
    with pytest.raises(CartErrors) as caught:
        validate_address({"country_code": "US"})
    fields = {e.field[-1] for e in caught.value.errors if e.field}
    assert fields == {"firstName", "lastName", "address1", "city", "postalCode", "provinceCode"}


def test_country_must_be_alpha_2() -> None:
    with pytest.raises(CartErrors) as caught:
        validate_address({**BASE, "country_code": "Germany"})
    assert caught.value.errors[0].code == "INVALID"
