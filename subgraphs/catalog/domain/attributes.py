"""Product types and their typed attributes: what values a product of a type may carry.

Values travel and are stored as strings (``{"colour": ["Navy"], "weight": ["1.5"]}``); each kind
checks and normalises them: NUMBER to a canonical decimal, BOOLEAN to ``true``/``false``, CHOICE
to one of the allowed values (matched case-insensitively, stored as declared).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from subgraphs.catalog.domain.errors import CatalogError, CatalogErrorCode

MAX_ATTRIBUTES = 50
MAX_VALUES = 20
MAX_VALUE_LENGTH = 500
MAX_CHOICES = 200
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}


class AttributeKind(StrEnum):
    TEXT = "TEXT"
    NUMBER = "NUMBER"
    BOOLEAN = "BOOLEAN"
    CHOICE = "CHOICE"


@dataclass(frozen=True, slots=True)
class AttributeSpec:
    """One attribute of a product type: its kind, allowed values (CHOICE), whether required and
    whether a product may carry several values."""

    name: str
    kind: AttributeKind
    choices: tuple[str, ...] = ()
    required: bool = False
    multiple: bool = False

    def __post_init__(self) -> None:
        if not self.name.strip() or len(self.name) > 100:
            raise CatalogError(
                CatalogErrorCode.INVALID, "An attribute name has 1 to 100 characters.", field="name"
            )
        if self.kind == AttributeKind.CHOICE:
            if not self.choices or len(self.choices) > MAX_CHOICES:
                raise CatalogError(
                    CatalogErrorCode.INVALID,
                    f"A CHOICE attribute lists 1 to {MAX_CHOICES} allowed values.",
                    field="choices",
                )
            if len({c.casefold() for c in self.choices}) != len(self.choices):
                raise CatalogError(
                    CatalogErrorCode.DUPLICATE, "Allowed values must be unique.", field="choices"
                )
        elif self.choices:
            raise CatalogError(
                CatalogErrorCode.INVALID,
                "Only CHOICE attributes list allowed values.",
                field="choices",
            )

    def normalise(self, raw: str) -> str:
        """``raw`` checked against the kind, in its canonical form; CatalogError otherwise."""
        value = raw.strip()
        field = f"attributes.{self.name}"
        if not value or len(value) > MAX_VALUE_LENGTH:
            raise CatalogError(
                CatalogErrorCode.INVALID_ATTRIBUTE,
                f"{self.name}: a value has 1 to {MAX_VALUE_LENGTH} characters.",
                field=field,
            )
        if self.kind == AttributeKind.NUMBER:
            try:
                number = Decimal(value)
            except InvalidOperation:
                number = Decimal("NaN")
            if not number.is_finite():
                raise CatalogError(
                    CatalogErrorCode.INVALID_ATTRIBUTE,
                    f"{self.name}: {value!r} is not a number.",
                    field=field,
                )
            text = format(number.normalize(), "f")
            return "0" if text in {"-0", "0"} else text
        if self.kind == AttributeKind.BOOLEAN:
            lowered = value.lower()
            if lowered in _TRUE:
                return "true"
            if lowered in _FALSE:
                return "false"
            raise CatalogError(
                CatalogErrorCode.INVALID_ATTRIBUTE,
                f"{self.name}: {value!r} is not true or false.",
                field=field,
            )
        if self.kind == AttributeKind.CHOICE:
            for choice in self.choices:
                if choice.casefold() == value.casefold():
                    return choice
            raise CatalogError(
                CatalogErrorCode.INVALID_ATTRIBUTE,
                f"{self.name}: {value!r} is not one of {', '.join(self.choices)}.",
                field=field,
            )
        return value


@dataclass(frozen=True, slots=True)
class ProductTypeSpec:
    """A product type's attributes, by name; validates a product's attribute values."""

    name: str
    attributes: tuple[AttributeSpec, ...] = ()

    def __post_init__(self) -> None:
        if len(self.attributes) > MAX_ATTRIBUTES:
            raise CatalogError(
                CatalogErrorCode.INVALID,
                f"A product type has at most {MAX_ATTRIBUTES} attributes.",
                field="attributes",
            )
        names = [a.name.casefold() for a in self.attributes]
        if len(set(names)) != len(names):
            raise CatalogError(
                CatalogErrorCode.DUPLICATE,
                "Attribute names must be unique within a type.",
                field="attributes",
            )

    def validate(self, values: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
        """The values normalised, in the type's attribute order; CatalogError on the first
        unknown attribute, bad value, missing required value or extra value."""
        by_name = {a.name.casefold(): a for a in self.attributes}
        given: dict[str, list[str]] = {}
        for name, raw_values in values.items():
            spec = by_name.get(name.strip().casefold())
            if spec is None:
                raise CatalogError(
                    CatalogErrorCode.INVALID_ATTRIBUTE,
                    f"{self.name} has no attribute {name!r}.",
                    field=f"attributes.{name}",
                )
            cleaned = [spec.normalise(v) for v in raw_values if v.strip()]
            cleaned = list(dict.fromkeys(cleaned))  # drop repeats, keep order
            if len(cleaned) > (MAX_VALUES if spec.multiple else 1):
                raise CatalogError(
                    CatalogErrorCode.INVALID_ATTRIBUTE,
                    f"{spec.name} takes "
                    + (f"at most {MAX_VALUES} values." if spec.multiple else "one value."),
                    field=f"attributes.{spec.name}",
                )
            if cleaned:
                given[spec.name] = cleaned
        for spec in self.attributes:
            if spec.required and spec.name not in given:
                raise CatalogError(
                    CatalogErrorCode.REQUIRED,
                    f"{spec.name} is required for a {self.name}.",
                    field=f"attributes.{spec.name}",
                )
        return {a.name: given[a.name] for a in self.attributes if a.name in given}


def untyped_attributes(values: Mapping[str, Sequence[str]]) -> None:
    """A product without a type carries no attributes."""
    if any(v for v in values.values()):
        raise CatalogError(
            CatalogErrorCode.INVALID_ATTRIBUTE,
            "Give the product a type before attribute values.",
            field="attributes",
        )
