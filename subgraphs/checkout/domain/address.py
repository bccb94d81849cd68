"""Shipping addresses and their validation per country (required fields, postal code formats).

Countries with a known format are checked strictly; any other ISO 3166-1 alpha-2 code is
accepted with a free-form postal code. Whether a country can be shipped to at all is a matter
of shipping zones (``services``), not of this module.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from subgraphs.checkout.domain.errors import CartError, CartErrorCode, CartErrors

MAX_FIELD = 120


@dataclass(frozen=True, slots=True)
class CountryRules:
    postal_code: re.Pattern[str] | None
    postal_example: str
    region_required: bool = False


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


COUNTRY_RULES: Mapping[str, CountryRules] = {
    "US": CountryRules(_p(r"\d{5}(-\d{4})?"), "94103 or 94103-1234", region_required=True),
    "CA": CountryRules(
        _p(r"[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d"),
        "K1A 0B1",
        region_required=True,
    ),
    "GB": CountryRules(_p(r"(GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})"), "SW1A 1AA"),
    "DE": CountryRules(_p(r"\d{5}"), "10115"),
    "FR": CountryRules(_p(r"\d{5}"), "75008"),
    "NL": CountryRules(_p(r"[1-9]\d{3} ?[A-Z]{2}"), "1012 AB"),
    "PL": CountryRules(_p(r"\d{2}-\d{3}"), "00-950"),
    "JP": CountryRules(_p(r"\d{3}-?\d{4}"), "100-0001", region_required=True),
    "AU": CountryRules(_p(r"\d{4}"), "2000", region_required=True),
}
_COUNTRY = re.compile(r"[A-Z]{2}")


@dataclass(frozen=True, slots=True)
class Address:
    first_name: str
    last_name: str
    address1: str
    city: str
    country_code: str
    postal_code: str = ""
    address2: str = ""
    province_code: str = ""
    company: str = ""
    phone: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Address:
        return cls(**{k: str(v) for k, v in data.items() if k in cls.__dataclass_fields__})


def _clean(value: str | None) -> str:
    return " ".join((value or "").split())


def validate_address(raw: Mapping[str, str | None], *, path: tuple[str, ...] = ()) -> Address:
    """A clean ``Address`` or ``CartErrors`` naming every bad field (camelCase, under ``path``)."""
    values = {name: _clean(raw.get(name)) for name in Address.__dataclass_fields__}
    errors: list[CartError] = []

    def fail(field: str, code: CartErrorCode, message: str) -> None:
        errors.append(CartError(code, message, field=[*path, field]))

    country = values["country_code"].upper()
    values["country_code"] = country
    for name, label in (
        ("first_name", "firstName"),
        ("last_name", "lastName"),
        ("address1", "address1"),
        ("city", "city"),
    ):
        if not values[name]:
            fail(label, CartErrorCode.REQUIRED, f"{label} is required.")
    for name, value in values.items():
        if len(value) > MAX_FIELD:
            fail(_camel(name), CartErrorCode.INVALID, f"At most {MAX_FIELD} characters.")
    if not country:
        fail("countryCode", CartErrorCode.REQUIRED, "countryCode is required.")
    elif not _COUNTRY.fullmatch(country):
        fail("countryCode", CartErrorCode.INVALID, "countryCode is an ISO 3166-1 alpha-2 code.")
    rules = COUNTRY_RULES.get(country)
    if rules is not None:
        postal = values["postal_code"].upper()
        values["postal_code"] = postal
        if not postal:
            fail("postalCode", CartErrorCode.REQUIRED, "postalCode is required.")
        elif rules.postal_code is not None and not rules.postal_code.fullmatch(postal):
            fail(
                "postalCode",
                CartErrorCode.INVALID_POSTAL_CODE,
                f"Not a valid postal code for {country} (e.g. {rules.postal_example}).",
            )
        if rules.region_required and not values["province_code"]:
            fail("provinceCode", CartErrorCode.REQUIRED, f"provinceCode is required in {country}.")
    if errors:
        raise CartErrors(errors)
    return Address(**values)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
