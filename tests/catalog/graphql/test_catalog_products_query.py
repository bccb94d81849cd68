"""``products`` and ``product`` in process: keyset pagination, filters, and who sees drafts."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from shared.auth import Principal
from subgraphs.catalog.domain.models import Product, ProductStatus
from tests.catalog.support import CatalogUow, Tree, make_product
from tests.graphql_client import STAFF, SubgraphClient

PRODUCTS = """
query Products($first: Int, $after: String, $filter: ProductFilterInput) {
  products(first: $first, after: $after, filter: $filter) {
    edges { cursor node { id name slug status } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    totalCount
  }
}
"""
PRODUCT_NAMES = """
query ProductNames($filter: ProductFilterInput) {
  products(first: 100, filter: $filter) { edges { node { name } } }
}
"""
PRODUCT = """
query Product($id: ID, $slug: String) {
  product(id: $id, slug: $slug) { id name slug status price { amount currencyCode } }
}
"""


async def products(
    client: SubgraphClient,
    *,
    first: int | None = None,
    after: str | None = None,
    filter: dict[str, Any] | None = None,
    principal: Principal | None = None,
) -> dict[str, Any]:
    result = await client.execute(
        PRODUCTS, {"first": first, "after": after, "filter": filter}, principal=principal
    )
    assert "errors" not in result, result
    connection: dict[str, Any] = result["data"]["products"]
    return connection


async def names(
    client: SubgraphClient, filter: dict[str, Any], principal: Principal | None = None
) -> list[str]:
    result = await client.execute(PRODUCT_NAMES, {"filter": filter}, principal=principal)
    assert "errors" not in result, result
    return [edge["node"]["name"] for edge in result["data"]["products"]["edges"]]


def error_code(result: dict[str, Any]) -> str:
    assert result.get("errors"), result
    code: str = result["errors"][0]["extensions"]["code"]
    return code


# --- pagination -----------------------------------------------------------------------------


@pytest.fixture
async def shelf(catalog_uow: CatalogUow) -> list[Product]:
    """23 published products, several sharing a name (the id breaks ties), and 2 drafts."""
    published = [
        await make_product(catalog_uow, f"Item {i % 5}", slug=f"item-{i}") for i in range(23)
    ]
    for i in range(2):
        await make_product(catalog_uow, f"Item {i}", slug=f"draft-{i}", status=ProductStatus.DRAFT)
    return published


@pytest.mark.parametrize("page_size", [1, 4, 23, 100])
async def test_walking_every_page_lists_each_product_once_in_a_stable_order(
    client: SubgraphClient, shelf: list[Product], page_size: int
) -> None:
    everything = await products(client, first=100)
    expected = [edge["node"]["id"] for edge in everything["edges"]]

    seen: list[str] = []
    after: str | None = None
    pages = 0
    while True:
        page = await products(client, first=page_size, after=after)
        pages += 1
        seen += [edge["node"]["id"] for edge in page["edges"]]
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        assert page["totalCount"] == 23
        if page["edges"]:
            assert page["pageInfo"]["startCursor"] == page["edges"][0]["cursor"]
            assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    assert seen == expected
    assert len(set(seen)) == len(seen) == 23
    assert set(seen) == {p.id for p in shelf}
    assert pages == -(-23 // page_size)
    listed_names = [edge["node"]["name"] for edge in everything["edges"]]
    assert listed_names == sorted(listed_names)


async def test_a_product_added_before_the_cursor_does_not_shift_the_next_pages(
    client: SubgraphClient, catalog_uow: CatalogUow, shelf: list[Product]
) -> None:
    expected = [edge["node"]["id"] for edge in (await products(client, first=100))["edges"]]
    first_page = await products(client, first=10)

    await make_product(catalog_uow, "Aardvark Mug")  # sorts before every listed name
    rest = []
    after = first_page["pageInfo"]["endCursor"]
    while after is not None:
        page = await products(client, first=10, after=after)
        rest += [edge["node"]["id"] for edge in page["edges"]]
        after = page["pageInfo"]["endCursor"] if page["pageInfo"]["hasNextPage"] else None

    assert [edge["node"]["id"] for edge in first_page["edges"]] + rest == expected


async def test_first_zero_gives_an_empty_page(client: SubgraphClient, shelf: list[Product]) -> None:
    page = await products(client, first=0)

    assert page["edges"] == []
    assert page["pageInfo"]["hasNextPage"] is True


async def test_first_defaults_to_twenty(client: SubgraphClient, shelf: list[Product]) -> None:
    page = await products(client)

    assert len(page["edges"]) == 20
    assert page["pageInfo"]["hasNextPage"] is True


@pytest.mark.parametrize("first", [101, -1])
async def test_first_out_of_range_is_a_bad_user_input(client: SubgraphClient, first: int) -> None:
    result = await client.execute(PRODUCTS, {"first": first})

    assert error_code(result) == "BAD_USER_INPUT"
    assert result["errors"][0]["extensions"]["field"] == "first"


@pytest.mark.parametrize(
    "after",
    [
        "garbage!",
        "%%%",
        base64.urlsafe_b64encode(b"{}").decode(),  # JSON, but not a list
        base64.urlsafe_b64encode(b"[1]").decode(),  # a list, but not (name, id)
        base64.urlsafe_b64encode(b'["a", 2]').decode(),
    ],
)
async def test_a_cursor_we_did_not_issue_is_a_bad_user_input(
    client: SubgraphClient, shelf: list[Product], after: str
) -> None:
    result = await client.execute(PRODUCTS, {"first": 5, "after": after})

    assert error_code(result) == "BAD_USER_INPUT"
    assert result["errors"][0]["extensions"]["field"] == "after"


# --- filters ----------------------------------------------------------------------------------


@pytest.fixture
async def filed(catalog_uow: CatalogUow, tree: Tree) -> None:
    await make_product(catalog_uow, "Denim Jacket", category=tree.clothing)
    await make_product(catalog_uow, "Oxford Shirt", category=tree.shirts)
    await make_product(catalog_uow, "Pique Polo", category=tree.polos)
    await make_product(catalog_uow, "Chinos", category=tree.trousers)
    await make_product(catalog_uow, "Linen SHIRT Dress", category=tree.trousers)
    await make_product(catalog_uow, "Teapot", category=tree.home)
    await make_product(catalog_uow, "100% Cotton Towel", category=tree.home)
    await make_product(catalog_uow, "Tea_Towel", category=tree.home)
    await make_product(catalog_uow, "Unfiled Shirt")
    await make_product(catalog_uow, "Draft Shirt", category=tree.shirts, status=ProductStatus.DRAFT)


@pytest.mark.usefixtures("filed")
async def test_a_category_filter_includes_its_subcategories_by_default(
    client: SubgraphClient, tree: Tree
) -> None:
    assert await names(client, {"categoryId": tree.clothing.id}) == [
        "Chinos",
        "Denim Jacket",
        "Linen SHIRT Dress",
        "Oxford Shirt",
        "Pique Polo",
    ]
    assert await names(client, {"categorySlug": "shirts"}) == ["Oxford Shirt", "Pique Polo"]


@pytest.mark.usefixtures("filed")
async def test_a_category_filter_can_leave_out_subcategories(
    client: SubgraphClient, tree: Tree
) -> None:
    only_clothing = {"categoryId": tree.clothing.id, "includeSubcategories": False}
    only_shirts = {"categorySlug": "shirts", "includeSubcategories": False}

    assert await names(client, only_clothing) == ["Denim Jacket"]
    assert await names(client, only_shirts) == ["Oxford Shirt"]


@pytest.mark.usefixtures("filed")
@pytest.mark.parametrize("filter", [{"categoryId": "nope"}, {"categorySlug": "nope"}])
async def test_an_unknown_category_lists_nothing(
    client: SubgraphClient, filter: dict[str, Any]
) -> None:
    assert await names(client, filter) == []


@pytest.mark.usefixtures("filed")
@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("shirt", ["Linen SHIRT Dress", "Oxford Shirt", "Unfiled Shirt"]),
        ("  SHIRT  ", ["Linen SHIRT Dress", "Oxford Shirt", "Unfiled Shirt"]),
        ("tea", ["Tea_Towel", "Teapot"]),
        ("%", ["100% Cotton Towel"]),
        ("_", ["Tea_Towel"]),
        ("no such thing", []),
        ("", None),  # blank: no search at all
    ],
)
async def test_search_matches_words_in_the_name_ignoring_case(
    client: SubgraphClient, search: str, expected: list[str] | None
) -> None:
    found = await names(client, {"search": search})

    if expected is None:
        assert len(found) == 9
    else:
        assert found == expected


@pytest.mark.usefixtures("filed")
async def test_search_and_category_combine(client: SubgraphClient, tree: Tree) -> None:
    assert await names(client, {"search": "shirt", "categoryId": tree.clothing.id}) == [
        "Linen SHIRT Dress",
        "Oxford Shirt",
    ]


async def test_a_search_over_200_characters_is_a_bad_user_input(client: SubgraphClient) -> None:
    result = await client.execute(PRODUCTS, {"filter": {"search": "x" * 201}})

    assert error_code(result) == "BAD_USER_INPUT"


# --- drafts -------------------------------------------------------------------------------------


@pytest.fixture
async def draft_and_published(catalog_uow: CatalogUow) -> tuple[Product, Product]:
    draft = await make_product(catalog_uow, "Secret Sneaker", status=ProductStatus.DRAFT)
    published = await make_product(catalog_uow, "Public Sneaker")
    return draft, published


async def test_drafts_are_not_listed_for_anyone_by_default(
    client: SubgraphClient, draft_and_published: tuple[Product, Product]
) -> None:
    assert await names(client, {}) == ["Public Sneaker"]
    assert await names(client, {}, principal=STAFF) == ["Public Sneaker"]


async def test_staff_list_drafts_by_asking_for_them(
    client: SubgraphClient, draft_and_published: tuple[Product, Product]
) -> None:
    assert await names(client, {"status": ["DRAFT"]}, principal=STAFF) == ["Secret Sneaker"]
    assert await names(client, {"status": ["DRAFT", "PUBLISHED"]}, principal=STAFF) == [
        "Public Sneaker",
        "Secret Sneaker",
    ]


@pytest.mark.parametrize("statuses", [["DRAFT"], ["DRAFT", "PUBLISHED"]])
async def test_anonymous_callers_asking_for_drafts_are_forbidden(
    client: SubgraphClient, draft_and_published: tuple[Product, Product], statuses: list[str]
) -> None:
    result = await client.execute(PRODUCTS, {"filter": {"status": statuses}})

    assert error_code(result) == "FORBIDDEN"
    assert result["data"] is None


async def test_anonymous_callers_may_ask_for_published_products_explicitly(
    client: SubgraphClient, draft_and_published: tuple[Product, Product]
) -> None:
    assert await names(client, {"status": ["PUBLISHED"]}) == ["Public Sneaker"]


async def test_a_draft_by_id_or_slug_is_null_for_anonymous_and_shown_to_staff(
    client: SubgraphClient, draft_and_published: tuple[Product, Product]
) -> None:
    draft, _ = draft_and_published

    for variables in ({"id": draft.id}, {"slug": draft.slug}):
        anonymous = await client.execute(PRODUCT, variables)
        staff = await client.execute(PRODUCT, variables, principal=STAFF)
        assert anonymous == {"data": {"product": None}}
        assert staff["data"]["product"]["id"] == draft.id
        assert staff["data"]["product"]["status"] == "DRAFT"


# --- one product ----------------------------------------------------------------------------


async def test_a_product_is_found_by_slug_and_by_id(
    client: SubgraphClient, catalog_uow: CatalogUow
) -> None:
    product = await make_product(catalog_uow, "Canvas Tote", price="24.5", currency="USD")
    expected = {
        "id": product.id,
        "name": "Canvas Tote",
        "slug": "canvas-tote",
        "status": "PUBLISHED",
        "price": {"amount": "24.50", "currencyCode": "USD"},
    }

    assert await client.execute(PRODUCT, {"slug": "canvas-tote"}) == {"data": {"product": expected}}
    assert await client.execute(PRODUCT, {"id": product.id}) == {"data": {"product": expected}}


async def test_an_unknown_product_is_null(client: SubgraphClient) -> None:
    assert await client.execute(PRODUCT, {"slug": "nope"}) == {"data": {"product": None}}
    assert await client.execute(PRODUCT, {"id": "nope"}) == {"data": {"product": None}}


@pytest.mark.parametrize("variables", [{}, {"id": "x", "slug": "y"}])
async def test_a_product_needs_exactly_one_of_id_and_slug(
    client: SubgraphClient, variables: dict[str, str]
) -> None:
    assert error_code(await client.execute(PRODUCT, variables)) == "BAD_USER_INPUT"
