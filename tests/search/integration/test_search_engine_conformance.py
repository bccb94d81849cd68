"""The behaviour every search backend must have, run against each one that runs here."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from subgraphs.search.adapters.engine import SearchEngine
from subgraphs.search.domain.query import (
    ATTRIBUTE_PREFIX,
    CATEGORY,
    IN_STOCK,
    RATING,
    Filters,
    SearchRequest,
    Sort,
)
from tests.search.support import catalog


async def ids(engine: SearchEngine, text: str, **kwargs: object) -> list[str]:
    result = await engine.search(SearchRequest(text, limit=100, facets=False, **kwargs))  # type: ignore[arg-type]
    return result.product_ids


async def test_an_exact_name_match_ranks_first(engine: SearchEngine) -> None:
    assert (await ids(engine, "Linen Shirt"))[0] == "p000"
    assert (await ids(engine, "oxford shirt"))[0] == "p001"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("oxfrod", "p001"),  # transposition, 6 letters
        ("swaeter", "p002"),
        ("bots", "p004"),  # 4 letters: one typo allowed
        ("trxusexs", "p003"),  # 8 letters: two typos allowed
        ("lether boots", "p004"),
    ],
)
async def test_typos_are_forgiven(engine: SearchEngine, typed: str, expected: str) -> None:
    assert expected in await ids(engine, typed)


async def test_short_words_need_to_be_exact(engine: SearchEngine) -> None:
    assert await ids(engine, "sulk") != []  # 4 letters: silk with one typo
    assert await ids(engine, "slk") == []  # 3 letters: no typo allowed, no prefix of a word


@pytest.mark.parametrize(("typed", "expected"), [("lea", "p004"), ("oxford sh", "p001")])
async def test_the_last_word_is_completed(engine: SearchEngine, typed: str, expected: str) -> None:
    assert expected in await ids(engine, typed)


async def test_every_word_must_match(engine: SearchEngine) -> None:
    found = await ids(engine, "linen boots")
    assert found == []


async def test_words_match_other_text_than_the_name(engine: SearchEngine) -> None:
    assert set(await ids(engine, "northwind scarf")) == {
        d.product_id
        for d in catalog()
        if d.name.startswith("Silk Scarf") and d.product_id[-1] in "02468"
    }
    assert await ids(engine, "sku-0007") == ["p007"]


async def test_facet_counts_equal_the_totals_of_the_filtered_searches(engine: SearchEngine) -> None:
    filters = Filters(attributes=(("color", ("red",)),), category_ids=("cat-0",), in_stock=True)
    result = await engine.search(SearchRequest("shirt", filters=filters, limit=0))
    assert result.total > 0
    facets = {f.name: {v.value: v.count for v in f.values} for f in result.facets}
    assert set(facets) >= {
        CATEGORY,
        IN_STOCK,
        RATING,
        "price",
        "attributes.color",
        "attributes.size",
    }
    for value, count in facets["attributes.color"].items():
        narrowed = replace(filters, attributes=(("color", (value,)),))
        assert count == (await engine.search(SearchRequest("shirt", filters=narrowed))).total
    for value, count in facets[CATEGORY].items():
        narrowed = replace(filters, category_ids=(value,))
        assert count == (await engine.search(SearchRequest("shirt", filters=narrowed))).total
    for value, count in facets[IN_STOCK].items():
        narrowed = replace(filters, in_stock=value == "true")
        assert count == (await engine.search(SearchRequest("shirt", filters=narrowed))).total
    for value, count in facets[RATING].items():
        narrowed = replace(filters, rating_min=float(value))
        assert count == (await engine.search(SearchRequest("shirt", filters=narrowed))).total
    for value, count in facets[ATTRIBUTE_PREFIX + "size"].items():
        narrowed = replace(filters, attributes=(*filters.attributes, ("size", (value,))))
        assert count == (await engine.search(SearchRequest("shirt", filters=narrowed))).total
    assert sum(facets["price"].values()) == result.total


async def test_filters_narrow_and_or_within_a_group(engine: SearchEngine) -> None:
    red_or_blue = Filters(attributes=(("color", ("red", "blue")),))
    red = Filters(attributes=(("color", ("red",)),))
    blue = Filters(attributes=(("color", ("blue",)),))
    total = (await engine.search(SearchRequest("", filters=red_or_blue))).total
    assert (
        total
        == (await engine.search(SearchRequest("", filters=red))).total
        + (await engine.search(SearchRequest("", filters=blue))).total
    )
    cheap = await engine.search(
        SearchRequest("", filters=Filters(price_min=Decimal(10), price_max=Decimal(50)), limit=100)
    )
    prices = {d.product_id: d.price for d in catalog()}
    assert cheap.total == sum(1 for p in prices.values() if 10 <= p <= 50)
    assert all(10 <= prices[p] <= 50 for p in cheap.product_ids)


@pytest.mark.parametrize("sort", list(Sort))
async def test_pages_are_complete_and_never_repeat(engine: SearchEngine, sort: Sort) -> None:
    seen: list[str] = []
    offset = 0
    while True:
        page = await engine.search(
            SearchRequest("", sort=sort, offset=offset, limit=7, facets=False)
        )
        seen.extend(page.product_ids)
        offset += 7
        if offset >= page.total:
            break
    assert len(seen) == len(set(seen)) == len(catalog())
    again = await engine.search(SearchRequest("", sort=sort, limit=100, facets=False))
    assert again.product_ids == seen


async def test_sorts_order_by_their_key(engine: SearchEngine) -> None:
    docs = {d.product_id: d for d in catalog()}
    asc = await ids(engine, "", sort=Sort.PRICE_ASC)
    assert [docs[p].price for p in asc] == sorted(d.price for d in docs.values())
    desc = await ids(engine, "", sort=Sort.RATING)
    assert [docs[p].rating for p in desc] == sorted((d.rating for d in docs.values()), reverse=True)
    newest = await ids(engine, "", sort=Sort.NEWEST)
    assert newest[0] == "p059"


async def test_upserts_and_deletes_show_after_commit(engine: SearchEngine) -> None:
    renamed = replace(catalog()[0], name="Hemp Shirt")
    await engine.upsert_many([renamed])
    await engine.delete_many(["p001", "unknown"])
    await engine.commit()
    assert await ids(engine, "hemp") == ["p000"]
    assert "p001" not in await ids(engine, "oxford")
    assert await engine.count() == len(catalog()) - 1
    await engine.clear()
    assert await engine.count() == 0


async def test_suggestions_complete_names_then_terms(engine: SearchEngine) -> None:
    found = await engine.suggest("oxf", 5)
    assert found
    assert all(s.text.startswith("Oxford Shirt") and s.product_id for s in found)
    terms = await engine.suggest("acm", 5)
    assert [(s.text.lower(), s.product_id) for s in terms] == [("acme", None)]
    assert await engine.suggest("zzz", 5) == []
