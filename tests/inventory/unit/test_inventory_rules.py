"""Inventory rules without I/O: lines, availability events, settings."""

from __future__ import annotations

import pytest

from shared.settings import SettingsError
from subgraphs.inventory.domain.errors import InventoryError, InventoryErrorCode
from subgraphs.inventory.domain.events import availability_events
from subgraphs.inventory.domain.models import Availability, LineRequest, check_code, check_lines
from subgraphs.inventory.settings import InventorySettings, load_inventory_settings


def test_lines_are_sorted_by_variant_so_rows_lock_in_one_order() -> None:
    lines = [LineRequest("b", 1), LineRequest("a", 2), LineRequest("c", 3)]
    assert [line.variant_id for line in check_lines(lines)] == ["a", "b", "c"]


def test_one_line_per_variant() -> None:
    with pytest.raises(InventoryError) as refused:
        check_lines([LineRequest("a", 1), LineRequest("a", 2)])
    assert refused.value.code == InventoryErrorCode.DUPLICATE


def test_at_most_100_lines() -> None:
    with pytest.raises(InventoryError):
        check_lines([LineRequest(f"v{i}", 1) for i in range(101)])


def test_warehouse_codes_are_upper_case() -> None:
    assert check_code(" ber-1 ") == "BER-1"
    with pytest.raises(InventoryError):
        check_code("no spaces")


@pytest.mark.parametrize(
    ("before", "after", "types"),
    [
        (10, 10, []),
        (10, 8, ["StockChanged"]),
        (8, 5, ["StockChanged", "StockLow"]),
        (5, 4, ["StockChanged"]),  # already low: told once
        (0, 3, ["StockChanged", "BackInStock"]),
        (3, 9, ["StockChanged"]),
        (1, 0, ["StockChanged"]),
    ],
)
def test_availability_events(before: int, after: int, types: list[str]) -> None:
    events = availability_events("v", before=before, after=after, threshold=5)
    assert [e.event_type for e in events] == types


def test_backorderable_variants_are_in_stock_without_units() -> None:
    assert Availability("v", 0, allow_backorder=True).in_stock
    assert not Availability("v", 0).in_stock
    assert Availability("v", 1).in_stock


def test_settings_defaults_and_overrides() -> None:
    assert load_inventory_settings({}) == InventorySettings()
    assert InventorySettings().reservation_ttl_seconds == 15 * 60
    custom = load_inventory_settings(
        {"AGORA_INVENTORY_RESERVATION_TTL_SECONDS": "60", "AGORA_INVENTORY_SWEEP_INTERVAL": "0.5"}
    )
    assert (custom.reservation_ttl_seconds, custom.sweep_interval) == (60, 0.5)


def test_bad_settings_fail_fast_with_every_problem() -> None:
    with pytest.raises(SettingsError) as error:
        load_inventory_settings(
            {
                "AGORA_INVENTORY_RESERVATION_TTL_SECONDS": "0",
                "AGORA_INVENTORY_SWEEP_INTERVAL": "soon",
            }
        )
    assert len(error.value.problems) == 2
