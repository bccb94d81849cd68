"""``selects``: whether the current field's selection asks for a name, through fragments too."""

from __future__ import annotations

import pytest
import strawberry
from strawberry.types import Info

from shared.graphql.schema import build_schema
from shared.graphql.selection import selects
from shared.settings import load_settings
from tests.graphql_client import SubgraphClient
from tests.sql_counting import counting_sql


@strawberry.type
class Child:
    total: int = 1


@strawberry.type
class Probe:
    total: int
    total_selected: bool
    child_total_selected: bool
    child: Child


@strawberry.type
class Query:
    @strawberry.field
    def probe(self, info: Info[None, None]) -> Probe:
        return Probe(
            total=7,
            total_selected=selects(info, "total"),
            child_total_selected=selects(info, "child", "total"),
            child=Child(),
        )

    @strawberry.field
    def asks(self, info: Info[None, None], name: str) -> bool:
        return selects(info, name)


schema = build_schema(settings=load_settings({}), query=Query)

DIRECT = "{ probe { totalSelected total } }"
NOT_SELECTED = "{ probe { totalSelected } }"
ONLY_NESTED = "{ probe { totalSelected child { total } } }"
INLINE_FRAGMENT = "{ probe { totalSelected ... on Probe { total } } }"
NAMED_FRAGMENT = "{ probe { ...Counts totalSelected } } fragment Counts on Probe { total }"
NESTED_FRAGMENTS = """
{ probe { totalSelected ...Outer } }
fragment Outer on Probe { ... on Probe { ...Inner } }
fragment Inner on Probe { total }
"""
ALIASED = "{ probe { totalSelected howMany: total } }"


@pytest.mark.parametrize(
    ("document", "total_selected"),
    [
        (DIRECT, True),
        (NOT_SELECTED, False),
        (ONLY_NESTED, False),
        (INLINE_FRAGMENT, True),
        (NAMED_FRAGMENT, True),
        (NESTED_FRAGMENTS, True),
        (ALIASED, True),
    ],
    ids=["direct", "absent", "only-deeper", "inline", "named", "nested-fragments", "aliased"],
)
async def test_selects(document: str, total_selected: bool) -> None:
    result = await schema.execute(document)

    assert result.errors is None
    assert result.data is not None
    assert result.data["probe"]["totalSelected"] is total_selected


CHILD_TOTAL = "{ probe { childTotalSelected child { total } } }"
CHILD_WITHOUT_TOTAL = "{ probe { childTotalSelected total child { __typename } } }"
CHILD_TOTAL_IN_FRAGMENTS = """
{ probe { childTotalSelected ...WithChild } }
fragment WithChild on Probe { child { ... on Child { total } } }
"""
TOTAL_BUT_NO_CHILD = "{ probe { childTotalSelected total } }"


@pytest.mark.parametrize(
    ("document", "selected"),
    [
        (CHILD_TOTAL, True),
        (CHILD_WITHOUT_TOTAL, False),
        (CHILD_TOTAL_IN_FRAGMENTS, True),
        (TOTAL_BUT_NO_CHILD, False),
    ],
    ids=["nested", "child-without-total", "nested-in-fragments", "no-child"],
)
async def test_selects_follows_a_path(document: str, selected: bool) -> None:
    result = await schema.execute(document)

    assert result.errors is None
    assert result.data is not None
    assert result.data["probe"]["childTotalSelected"] is selected


async def test_selects_is_false_for_a_leaf_field() -> None:
    result = await schema.execute('{ asks(name: "anything") }')

    assert result.data == {"asks": False}


TOTAL_COUNT_IN_FRAGMENT = """
query { products { ...Counted edges { node { id } } } }
fragment Counted on ProductConnection { totalCount }
"""
WITHOUT_TOTAL_COUNT = "{ products { edges { node { id } } } }"


async def test_the_catalog_counts_rows_only_when_total_count_is_selected(
    catalog_client: SubgraphClient,
) -> None:
    database = catalog_client.app.infra.database
    with counting_sql(database) as with_count:
        counted = await catalog_client.execute(TOTAL_COUNT_IN_FRAGMENT)
    with counting_sql(database) as without_count:
        uncounted = await catalog_client.execute(WITHOUT_TOTAL_COUNT)

    assert counted["data"]["products"] == {"totalCount": 0, "edges": []}
    assert uncounted["data"]["products"] == {"edges": []}
    assert len(with_count) == len(without_count) + 1
    assert any("count(" in s.lower() for s in with_count)
    assert not any("count(" in s.lower() for s in without_count)
