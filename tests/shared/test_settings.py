"""Settings: defaults, parsing of every variable, problems reported together, frozen."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from shared.settings import (
    SYSTEM_TOKEN_DEFAULT,
    DatabaseConfig,
    Settings,
    SettingsError,
    load_settings,
)

PG = "postgresql+asyncpg://agora@db.internal:5432/agora"


def test_defaults_from_an_empty_environment() -> None:
    settings = load_settings({})

    assert settings == Settings()
    assert settings.env == "development"
    assert not settings.is_production
    assert settings.data_dir == Path(".agora")
    assert settings.database_url is None
    assert dict(settings.database_urls) == {}
    assert settings.database_schema_prefix == ""
    assert settings.redis_url is None
    assert (settings.subgraphs_host, settings.subgraphs_port) == ("127.0.0.1", 4001)
    assert (settings.router_port, settings.web_port) == (4000, 3000)
    assert (settings.log_level, settings.log_format) == ("INFO", "json")
    assert settings.dev_staff_token == SYSTEM_TOKEN_DEFAULT
    assert settings.relay_interval == 0.2
    assert settings.db_pool_size == 10
    assert settings.graphql_max_depth == 20
    assert settings.graphql_max_tokens == 10_000
    assert settings.graphql_max_aliases == 100


def test_empty_values_mean_the_default() -> None:
    keys = ["ENV", "DATABASE_URL", "REDIS_URL", "SUBGRAPHS_PORT", "LOG_LEVEL", "RELAY_INTERVAL"]

    assert load_settings({f"AGORA_{key}": "" for key in keys}) == Settings()


def test_every_variable_is_parsed() -> None:
    settings = load_settings(
        {
            "AGORA_ENV": "Test",
            "AGORA_DATA_DIR": "/var/lib/agora",
            "AGORA_DATABASE_URL": PG,
            "AGORA_REVIEWS_DATABASE_URL": "sqlite+aiosqlite:///reviews.db",
            "AGORA_DATABASE_SCHEMA_PREFIX": "staging_",
            "AGORA_REDIS_URL": "redis://cache:6379/2",
            "AGORA_SUBGRAPHS_HOST": "0.0.0.0",
            "AGORA_SUBGRAPHS_PORT": "5001",
            "AGORA_ROUTER_PORT": "5000",
            "AGORA_WEB_PORT": "8080",
            "AGORA_LOG_LEVEL": "debug",
            "AGORA_LOG_FORMAT": "CONSOLE",
            "AGORA_SYSTEM_TOKEN": "let-me-in",
            "AGORA_RELAY_INTERVAL": "1.5",
            "AGORA_DB_POOL_SIZE": "25",
            "AGORA_SQLITE_READ_THREADS": "2",
            "AGORA_GRAPHQL_MAX_DEPTH": "12",
            "AGORA_GRAPHQL_MAX_TOKENS": "5000",
            "AGORA_GRAPHQL_MAX_ALIASES": "30",
        }
    )

    assert settings == Settings(
        env="test",
        data_dir=Path("/var/lib/agora"),
        database_url=PG,
        database_urls={"reviews": "sqlite+aiosqlite:///reviews.db"},
        database_schema_prefix="staging_",
        redis_url="redis://cache:6379/2",
        subgraphs_host="0.0.0.0",
        subgraphs_port=5001,
        router_port=5000,
        web_port=8080,
        log_level="DEBUG",
        log_format="console",
        dev_staff_token="let-me-in",
        relay_interval=1.5,
        db_pool_size=25,
        sqlite_read_threads=2,
        graphql_max_depth=12,
        graphql_max_tokens=5000,
        graphql_max_aliases=30,
    )


def test_data_dir_expands_the_home_directory() -> None:
    settings = load_settings({"AGORA_DATA_DIR": "~/agora-data"})

    assert settings.data_dir == Path.home() / "agora-data"


def test_an_empty_dev_staff_token_disables_it() -> None:
    assert load_settings({"AGORA_SYSTEM_TOKEN": ""}).dev_staff_token is None


def test_several_bad_values_are_reported_together() -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(
            {
                "AGORA_ENV": "staging",
                "AGORA_SUBGRAPHS_PORT": "http",
                "AGORA_ROUTER_PORT": "70000",
                "AGORA_LOG_LEVEL": "LOUD",
                "AGORA_LOG_FORMAT": "xml",
                "AGORA_RELAY_INTERVAL": "-1",
                "AGORA_DB_POOL_SIZE": "0",
                "AGORA_SQLITE_READ_THREADS": "-1",
                "AGORA_GRAPHQL_MAX_DEPTH": "1",
                "AGORA_DATABASE_URL": "mysql://db/agora",
                "AGORA_REDIS_URL": "memcached://cache",
                "AGORA_DATABASE_SCHEMA_PREFIX": "Bad-Prefix",
            }
        )

    error = caught.value
    named = [
        "AGORA_ENV",
        "AGORA_SUBGRAPHS_PORT",
        "AGORA_ROUTER_PORT",
        "AGORA_LOG_LEVEL",
        "AGORA_LOG_FORMAT",
        "AGORA_RELAY_INTERVAL",
        "AGORA_DB_POOL_SIZE",
        "AGORA_SQLITE_READ_THREADS",
        "AGORA_GRAPHQL_MAX_DEPTH",
        "AGORA_DATABASE_URL",
        "AGORA_REDIS_URL",
        "AGORA_DATABASE_SCHEMA_PREFIX",
    ]
    assert len(error.problems) == len(named)
    for variable in named:
        about = [p for p in error.problems if p.split("=")[0].split(" ")[0] == variable]
        assert len(about) == 1, (variable, error.problems)
        assert about[0] in str(error)
    assert "AGORA_ENV='staging' must be one of development, test, production" in error.problems
    assert "AGORA_SUBGRAPHS_PORT='http' is not an integer" in error.problems
    assert "AGORA_ROUTER_PORT=70000 must be between 1 and 65535" in error.problems
    assert f"({len(named)} problem(s))" in str(error)
    assert isinstance(error, ValueError)


@pytest.mark.parametrize("value", ["nan", "inf", "0"])
def test_relay_interval_must_be_a_positive_finite_number(value: str) -> None:
    with pytest.raises(SettingsError, match="AGORA_RELAY_INTERVAL"):
        load_settings({"AGORA_RELAY_INTERVAL": value})


def test_production_refuses_the_dev_staff_token() -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(
            {
                "AGORA_ENV": "production",
                "AGORA_DATABASE_URL": PG,
                "AGORA_SYSTEM_TOKEN": SYSTEM_TOKEN_DEFAULT,
            }
        )

    assert caught.value.problems == ["AGORA_SYSTEM_TOKEN must not be set when AGORA_ENV=production"]


def test_production_requires_a_database_url() -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings({"AGORA_ENV": "production"})

    assert len(caught.value.problems) == 1
    assert "AGORA_DATABASE_URL" in caught.value.problems[0]


def test_production_has_no_dev_staff_token_by_default() -> None:
    settings = load_settings({"AGORA_ENV": "production", "AGORA_DATABASE_URL": PG})

    assert settings.is_production
    assert settings.dev_staff_token is None


def test_production_accepts_per_subgraph_database_urls_only() -> None:
    settings = load_settings({"AGORA_ENV": "production", "AGORA_CATALOG_DATABASE_URL": PG})

    assert settings.database_url is None
    assert settings.database_for("catalog") == DatabaseConfig(PG)


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_plain_postgresql_urls_are_normalized_to_asyncpg(scheme: str) -> None:
    settings = load_settings(
        {
            "AGORA_DATABASE_URL": f"{scheme}://u:p@db:5432/agora",
            "AGORA_ORDERS_DATABASE_URL": f"{scheme}://u:p@orders-db/orders",
        }
    )

    assert settings.database_url == "postgresql+asyncpg://u:p@db:5432/agora"
    assert settings.database_urls == {"orders": "postgresql+asyncpg://u:p@orders-db/orders"}


def test_per_subgraph_database_urls_are_keyed_by_lowercase_name() -> None:
    settings = load_settings(
        {
            "AGORA_CATALOG_DATABASE_URL": "sqlite+aiosqlite:////srv/catalog.db",
            "AGORA_GIFT_CARDS_DATABASE_URL": PG,
            "AGORA_SEARCH_DATABASE_URL": "",
        }
    )

    assert settings.database_urls == {
        "catalog": "sqlite+aiosqlite:////srv/catalog.db",
        "gift_cards": PG,
    }


def test_a_bad_per_subgraph_database_url_names_its_variable() -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings({"AGORA_CATALOG_DATABASE_URL": "mysql://db/catalog"})

    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].startswith("AGORA_CATALOG_DATABASE_URL='mysql://db/catalog'")


def test_database_for_is_a_sqlite_file_under_the_data_dir() -> None:
    settings = load_settings({"AGORA_DATA_DIR": "/srv/agora"})

    config = settings.database_for("catalog")

    assert config == DatabaseConfig("sqlite+aiosqlite:////srv/agora/catalog.db", schema=None)
    assert config.is_sqlite


def test_database_for_is_a_schema_named_with_the_prefix_on_the_shared_server() -> None:
    settings = load_settings({"AGORA_DATABASE_URL": PG, "AGORA_DATABASE_SCHEMA_PREFIX": "ci_"})

    config = settings.database_for("reviews")

    assert config == DatabaseConfig(PG, schema="ci_reviews")
    assert not config.is_sqlite
    assert load_settings({"AGORA_DATABASE_URL": PG}).database_for("reviews").schema == "reviews"


def test_database_for_prefers_the_subgraphs_own_url() -> None:
    own = "postgresql+asyncpg://u@catalog-db/catalog"
    settings = load_settings({"AGORA_DATABASE_URL": PG, "AGORA_CATALOG_DATABASE_URL": own})

    assert settings.database_for("catalog") == DatabaseConfig(own, schema=None)
    assert settings.database_for("reviews") == DatabaseConfig(PG, schema="reviews")


def test_settings_are_frozen() -> None:
    settings = load_settings({})

    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.env = "production"  # type: ignore[misc]
    with pytest.raises(TypeError):
        settings.database_urls["catalog"] = PG  # type: ignore[index]


def test_production_refuses_sqlite() -> None:
    with pytest.raises(SettingsError, match="needs PostgreSQL, not SQLite"):
        load_settings({"AGORA_ENV": "production", "AGORA_DATABASE_URL": "sqlite+aiosqlite:///x.db"})
