"""The schema builder's limits, checked through a real subgraph before any resolver runs."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import pytest

from shared.app import SubgraphApp
from shared.bus.memory import InMemoryEventBus
from shared.graphql.schema import FEDERATION_VERSION
from shared.settings import Settings
from subgraphs import registry
from tests.graphql_client import SubgraphClient
from tests.sql_counting import counting_sql

MAX_DEPTH = 4
MAX_ALIASES = 3
MAX_TOKENS = 100

AT_MAX_DEPTH = "{ categories { children { children { children { id } } } } }"
TOO_DEEP = "{ categories { children { children { children { children { id } } } } } }"
TOO_DEEP_IN_FRAGMENTS = """
query { categories { ...Level1 } }
fragment Level1 on Category { children { ...Level2 } }
fragment Level2 on Category { children { children { children { id } } } }
"""
AT_MAX_ALIASES = "{ a: categories { id } b: categories { id } c: categories { id } }"
TOO_MANY_ALIASES = (
    "{ a: categories { id } b: categories { id } c: categories { id } d: categories { id } }"
)
TOO_MANY_ALIASES_IN_FRAGMENTS = """
query { ...Roots }
fragment Roots on Query { a: categories { ...Names } b: categories { ...Names } }
fragment Names on Category { n: name s: slug }
"""
WITHIN_TOKENS = "{ categories { id name slug } }"
TOO_MANY_TOKENS = "{ " + "categories { id name slug } " * 20 + "}"


@pytest.fixture
async def limited(settings: Settings, bus: InMemoryEventBus) -> AsyncIterator[SubgraphClient]:
    """The catalog with small limits, on the test's database."""
    small = dataclasses.replace(
        settings,
        graphql_max_depth=MAX_DEPTH,
        graphql_max_aliases=MAX_ALIASES,
        graphql_max_tokens=MAX_TOKENS,
    )
    app: SubgraphApp = registry.factory("catalog")(small, bus)
    await app.infra.migrate()
    client = SubgraphClient(app)
    yield client
    await client.aclose()
    await app.infra.database.dispose()


@pytest.mark.parametrize("document", [AT_MAX_DEPTH, AT_MAX_ALIASES, WITHIN_TOKENS])
async def test_documents_within_the_limits_run(limited: SubgraphClient, document: str) -> None:
    with counting_sql(limited.app.infra.database) as statements:
        result = await limited.execute(document)

    assert "errors" not in result
    assert statements  # the counter sees the resolvers' SQL


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (TOO_DEEP, f"'anonymous' exceeds maximum operation depth of {MAX_DEPTH}"),
        (TOO_DEEP_IN_FRAGMENTS, f"'anonymous' exceeds maximum operation depth of {MAX_DEPTH}"),
        (TOO_MANY_ALIASES, f"4 aliases found. Allowed: {MAX_ALIASES}"),
        (TOO_MANY_ALIASES_IN_FRAGMENTS, f"6 aliases found. Allowed: {MAX_ALIASES}"),
        (TOO_MANY_TOKENS, f"Document contains more than {MAX_TOKENS} tokens"),
    ],
    ids=["depth", "depth-in-fragments", "aliases", "aliases-in-fragments", "tokens"],
)
async def test_documents_over_a_limit_are_refused_before_any_resolver_runs(
    limited: SubgraphClient, document: str, message: str
) -> None:
    for _ in range(2):  # the parse and validation caches must not let a repeat through
        with counting_sql(limited.app.infra.database) as statements:
            result = await limited.execute(document)

        assert result["data"] is None
        [error] = result["errors"]
        assert message in error["message"]
        assert statements == []


async def test_the_default_limits_come_from_settings(catalog_client: SubgraphClient) -> None:
    deep = "{ categories { " + "children { " * 20 + "id" + " }" * 20 + " } }"

    result = await catalog_client.execute(deep)

    assert result["errors"][0]["message"] == ("'anonymous' exceeds maximum operation depth of 20")


def test_the_sdl_links_the_federation_version_the_composer_knows(catalog: SubgraphApp) -> None:
    sdl = catalog.schema.as_str()

    assert f'@link(url: "https://specs.apollo.dev/federation/v{FEDERATION_VERSION}"' in sdl
    assert 'type Product @key(fields: "id")' in sdl
