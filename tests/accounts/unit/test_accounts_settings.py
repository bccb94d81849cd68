"""The accounts subgraph's own settings: defaults, parsing, and refusals that fail fast."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.settings import SettingsError
from subgraphs.accounts.settings import load_accounts_settings


def test_defaults() -> None:
    settings = load_accounts_settings({})
    assert settings.signing_key_max_age == timedelta(days=30)
    assert (settings.argon2_memory_kib, settings.argon2_time_cost) == (19 * 1024, 2)
    assert settings.sendgrid_api_key is None


def test_values_are_read() -> None:
    settings = load_accounts_settings(
        {
            "AGORA_SIGNING_KEY_MAX_AGE_HOURS": "12",
            "AGORA_ARGON2_MEMORY_KIB": "65536",
            "AGORA_SENDGRID_API_KEY": "SG.x",
            "AGORA_PUBLIC_URL": "https://shop.example/",
        }
    )
    assert settings.signing_key_max_age == timedelta(hours=12)
    assert settings.argon2_memory_kib == 65536
    assert settings.sendgrid_api_key == "SG.x"
    assert settings.public_url == "https://shop.example"


def test_weak_argon2_and_placeholders_are_refused_at_once() -> None:
    with pytest.raises(SettingsError) as caught:
        load_accounts_settings(
            {
                "AGORA_ARGON2_MEMORY_KIB": "1024",
                "AGORA_ARGON2_TIME_COST": "one",
                "AGORA_SENDGRID_API_KEY": "CHANGE_ME",
            }
        )
    assert len(caught.value.problems) == 3
