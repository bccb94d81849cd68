"""Variants generated from options: every combination of the option values (size x colour),
each with a SKU built from a prefix and the values."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from subgraphs.catalog.domain.errors import CatalogError, CatalogErrorCode

MAX_VARIANTS = 100
MAX_SKU = 64
_NOT_SKU = re.compile(r"[^A-Z0-9]+")


@dataclass(frozen=True, slots=True)
class OptionValues:
    """One option and the values it takes, e.g. size: S, M, L."""

    name: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GeneratedVariant:
    sku: str
    options: dict[str, str]

    @property
    def name(self) -> str:
        return " / ".join(self.options.values())


def sku_part(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_SKU.sub("-", ascii_text.upper()).strip("-")


def check_sku(sku: str, field: str) -> str:
    cleaned = sku.strip()
    if not cleaned or len(cleaned) > MAX_SKU:
        raise CatalogError(
            CatalogErrorCode.INVALID, f"A SKU has 1 to {MAX_SKU} characters.", field=field
        )
    return cleaned


def generate_variants(sku_prefix: str, options: Sequence[OptionValues]) -> list[GeneratedVariant]:
    """Every combination of the options' values, in the order given (first option slowest).

    SKUs are ``PREFIX-VALUE1-VALUE2`` in upper case; values of an option must be unique and the
    combinations at most ``MAX_VARIANTS``.
    """
    prefix = sku_part(sku_prefix)
    if not prefix:
        raise CatalogError(CatalogErrorCode.REQUIRED, "Give a SKU prefix.", field="skuPrefix")
    if not options:
        raise CatalogError(CatalogErrorCode.REQUIRED, "Give at least one option.", field="options")
    names = [o.name.strip() for o in options]
    if any(not n for n in names) or len({n.casefold() for n in names}) != len(names):
        raise CatalogError(
            CatalogErrorCode.INVALID, "Option names are required and unique.", field="options"
        )
    cleaned: list[list[str]] = []
    for i, option in enumerate(options):
        values = [v.strip() for v in option.values if v.strip()]
        if not values or len({sku_part(v) for v in values}) != len(values):
            raise CatalogError(
                CatalogErrorCode.INVALID,
                f"{option.name}: give distinct values.",
                field=f"options.{i}.values",
            )
        cleaned.append(values)
    total = 1
    for values in cleaned:
        total *= len(values)
    if total > MAX_VARIANTS:
        raise CatalogError(
            CatalogErrorCode.INVALID,
            f"{total} combinations; at most {MAX_VARIANTS} variants.",
            field="options",
        )
    generated = []
    for combination in itertools.product(*cleaned):
        sku = "-".join([prefix, *(sku_part(v) for v in combination)])
        generated.append(
            GeneratedVariant(
                sku=check_sku(sku[:MAX_SKU].rstrip("-"), "skuPrefix"),
                options=dict(zip(names, combination, strict=True)),
            )
        )
    if len({g.sku for g in generated}) != len(generated):
        raise CatalogError(
            CatalogErrorCode.DUPLICATE, "The generated SKUs collide; shorten them.", field="options"
        )
    return generated
