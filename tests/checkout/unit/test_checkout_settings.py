"""Checkout's own settings: the inventory URL defaults to the embedded host's mount, wildcard
bind addresses are called on loopback, bad values fail with the variable's name."""

from __future__ import annotations

import pytest

from shared.settings import SettingsError, load_settings
from subgraphs.checkout.settings import CheckoutSettings

BASE = {"AGORA_ENV": "test"}


def test_the_default_inventory_url_is_the_embedded_host_mount() -> None:
    local = CheckoutSettings.load(load_settings(BASE), {})
    # `make up`: one host process on 127.0.0.1:4001 mounts every subgraph under /<name>
    assert local.inventory_url == "http://127.0.0.1:4001/inventory"
    assert local.cart_sweep_interval == 300


def test_the_default_follows_the_host_port_the_launcher_gives() -> None:
    settings = load_settings(BASE | {"AGORA_SUBGRAPHS_PORT": "5101"})
    assert CheckoutSettings.load(settings, {}).inventory_url == "http://127.0.0.1:5101/inventory"


@pytest.mark.parametrize(
    ("bind", "url"),
    [
        ("0.0.0.0", "http://127.0.0.1:4001/inventory"),
        ("::", "http://[::1]:4001/inventory"),
        ("::1", "http://[::1]:4001/inventory"),
        ("10.0.0.5", "http://10.0.0.5:4001/inventory"),
    ],
)
def test_wildcard_binds_are_called_on_loopback(bind: str, url: str) -> None:
    settings = load_settings(BASE | {"AGORA_SUBGRAPHS_HOST": bind})
    assert CheckoutSettings.load(settings, {}).inventory_url == url


def test_an_explicit_url_wins_and_bad_values_fail_by_name() -> None:
    settings = load_settings(BASE)
    given = {"AGORA_CHECKOUT_INVENTORY_URL": "http://inventory:4001/inventory"}
    assert (
        CheckoutSettings.load(settings, given).inventory_url
        == given["AGORA_CHECKOUT_INVENTORY_URL"]
    )
    with pytest.raises(SettingsError, match="AGORA_CHECKOUT_CART_SWEEP_INTERVAL"):
        CheckoutSettings.load(settings, {"AGORA_CHECKOUT_CART_SWEEP_INTERVAL": "0"})
    with pytest.raises(SettingsError, match="AGORA_CHECKOUT_COMPLETION_TIMEOUT"):
        CheckoutSettings.load(settings, {"AGORA_CHECKOUT_COMPLETION_TIMEOUT": "soon"})
    with pytest.raises(SettingsError, match="AGORA_CHECKOUT_RESERVATION_TTL"):
        CheckoutSettings.load(settings, {"AGORA_CHECKOUT_RESERVATION_TTL": "90.5"})
    tuned = CheckoutSettings.load(settings, {"AGORA_CHECKOUT_COMPLETION_TIMEOUT": "3"})
    assert (tuned.completion_timeout, tuned.reservation_ttl) == (3.0, 900)
