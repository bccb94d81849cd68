"""Pieces of the engines that the conformance suite reaches only indirectly."""

from __future__ import annotations

from dataclasses import replace

import pytest

from shared.settings import SettingsError, load_settings
from subgraphs.search.adapters.postgres_engine import edit_distance
from subgraphs.search.adapters.tantivy_engine import TantivyEngine, facet_columns
from subgraphs.search.domain.query import SearchRequest
from subgraphs.search.settings import load_search_settings
from tests.search.support import catalog


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("oxford", "oxfrod", 1),
        ("trousers", "trxusexs", 2),
        ("boots", "bots", 1),
        ("silk", "slk", 1),
    ],
)
def test_edit_distance_counts_a_transposition_once(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b, 2) == distance


def test_edit_distance_stops_past_its_limit() -> None:
    assert edit_distance("shirt", "trousers", 1) == 2


def test_facet_columns_are_single_valued_slots() -> None:
    values, groups = facet_columns(catalog()[7])
    assert values["c0"] == "apparel"
    assert groups["c0"] == "category"
    assert sorted(g for g in groups.values() if g == "attributes.size") == ["attributes.size"] * 2
    assert values["r"] == "1"
    assert values["s"] == "true"


async def test_cached_facets_are_dropped_on_commit() -> None:
    engine = TantivyEngine()
    await engine.upsert_many(catalog())
    await engine.commit()
    request = SearchRequest("shirt", limit=0)
    before = {f.name: f for f in (await engine.search(request)).facets}
    await engine.upsert_many([replace(catalog()[0], category_ids=("cat-new",))])
    await engine.commit()
    after = {f.name: f for f in (await engine.search(request)).facets}
    assert "cat-new" not in {v.value for v in before["category"].values}
    assert "cat-new" in {v.value for v in after["category"].values}
    await engine.close()


def test_the_postgres_backend_needs_postgresql() -> None:
    settings = load_settings({"AGORA_ENV": "test"})
    with pytest.raises(SettingsError):
        load_search_settings(settings, {"AGORA_SEARCH_BACKEND": "postgres"})
