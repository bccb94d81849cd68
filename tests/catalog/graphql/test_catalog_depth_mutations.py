"""The deeper catalog through GraphQL: product types and attribute errors, publish/unpublish
and draft visibility, delete, variant generation, categories (cycle check), collections,
permissions, idempotency, and the events' contract fields."""

from __future__ import annotations

from typing import Any

import pytest

from shared.app import SubgraphApp
from shared.auth import Permission
from tests.catalog.support import Tree, outbox_events
from tests.graphql_client import STAFF, SubgraphClient, customer, staff

TYPE_CREATE = """
mutation T($input: ProductTypeCreateInput!) {
  productTypeCreate(input: $input) {
    productType { id name attributes { name kind choices required multiple } }
    userErrors { field message code }
  }
}
"""
PRODUCT_CREATE = """
mutation C($input: ProductCreateInput!, $key: String) {
  productCreate(input: $input, idempotencyKey: $key) {
    product {
      id slug status seoTitle vendorId
      compareAtPrice { amount currencyCode }
      productType { name }
      attributes { name values }
      variants { sku name options { name value } }
    }
    userErrors { field message code }
  }
}
"""
PUBLISH = """
mutation P($id: ID!) { productPublish(input: {id: $id}) {
  product { id status } userErrors { field code } } }
"""
UNPUBLISH = """
mutation U($id: ID!) { productUnpublish(input: {id: $id}) {
  product { id status } userErrors { field code } } }
"""
DELETE = """
mutation D($id: ID!) { productDelete(input: {id: $id}) {
  product { id slug } userErrors { field code } } }
"""
PRODUCT = "query Q($id: ID!) { product(id: $id) { id status } }"
GENERATE = """
mutation G($input: ProductVariantsGenerateInput!) { productVariantsGenerate(input: $input) {
  product { variants { sku } } userErrors { field code } } }
"""
CATEGORY_MOVE = """
mutation M($input: CategoryMoveInput!) { categoryMove(input: $input) {
  category { id parent { slug } } userErrors { field code } } }
"""
CATEGORY_CREATE = """
mutation N($input: CategoryCreateInput!) { categoryCreate(input: $input) {
  category { slug parent { slug } } userErrors { field code } } }
"""
COLLECTION_CREATE = """
mutation K($input: CollectionCreateInput!) { collectionCreate(input: $input) {
  collection { id slug kind products(first: 10) { edges { node { slug } } } }
  userErrors { field code } } }
"""
COLLECTION = """
query L($slug: String!) { collection(slug: $slug) {
  kind products(first: 10) { edges { node { slug } } } } }
"""


async def shirt_type(client: SubgraphClient) -> str:
    result = await client.execute(
        TYPE_CREATE,
        {
            "input": {
                "name": "Shirt",
                "attributes": [
                    {
                        "name": "material",
                        "kind": "CHOICE",
                        "choices": ["Cotton", "Linen"],
                        "required": True,
                    },
                    {"name": "colour", "kind": "TEXT"},
                ],
            }
        },
        principal=STAFF,
    )
    payload = result["data"]["productTypeCreate"]
    assert payload["userErrors"] == []
    return str(payload["productType"]["id"])


async def create(client: SubgraphClient, **fields: Any) -> dict[str, Any]:
    variables = {
        "input": {
            "name": "Oxford Shirt",
            "price": {"amount": "49.90", "currencyCode": "EUR"},
            **fields,
        }
    }
    result = await client.execute(PRODUCT_CREATE, variables, principal=STAFF)
    assert "errors" not in result, result
    payload: dict[str, Any] = result["data"]["productCreate"]
    return payload


async def test_a_typed_product_with_generated_variants(client: SubgraphClient) -> None:
    type_id = await shirt_type(client)

    payload = await create(
        client,
        productTypeId=type_id,
        attributes=[
            {"name": "material", "values": ["linen"]},
            {"name": "colour", "values": ["Navy"]},
        ],
        variantOptions=[
            {"name": "size", "values": ["S", "M"]},
            {"name": "colour", "values": ["Navy"]},
        ],
        skuPrefix="OX",
        compareAtPrice={"amount": "59.90", "currencyCode": "EUR"},
        seoTitle="Oxford shirt in linen",
        vendorId="vendor-1",
    )

    assert payload["userErrors"] == []
    product = payload["product"]
    assert product["productType"] == {"name": "Shirt"}
    assert product["attributes"] == [
        {"name": "material", "values": ["Linen"]},
        {"name": "colour", "values": ["Navy"]},
    ]
    assert [v["sku"] for v in product["variants"]] == ["OX-S-NAVY", "OX-M-NAVY"]
    assert product["compareAtPrice"] == {"amount": "59.90", "currencyCode": "EUR"}
    assert (product["seoTitle"], product["vendorId"]) == ("Oxford shirt in linen", "vendor-1")


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        (
            {"attributes": [{"name": "material", "values": ["silk"]}]},
            (["attributes", "material"], "INVALID_ATTRIBUTE"),
        ),
        ({"attributes": []}, (["attributes", "material"], "REQUIRED")),
        (
            {"compareAtPrice": {"amount": "10", "currencyCode": "EUR"}},
            (["compareAtPrice"], "INVALID"),
        ),
    ],
    ids=["not-a-choice", "required-missing", "compare-at-below-price"],
)
async def test_values_breaking_the_type_are_user_errors(
    client: SubgraphClient, fields: dict[str, Any], error: tuple[list[str], str]
) -> None:
    type_id = await shirt_type(client)
    payload = await create(
        client,
        productTypeId=type_id,
        **{"attributes": [{"name": "material", "values": ["Cotton"]}], **fields},
    )

    assert payload["product"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [error]


async def test_a_derived_slug_gets_a_suffix_and_a_given_one_is_refused(
    client: SubgraphClient,
) -> None:
    first = await create(client)
    second = await create(client)
    given = await create(client, slug="oxford-shirt")

    assert (first["product"]["slug"], second["product"]["slug"]) == (
        "oxford-shirt",
        "oxford-shirt-2",
    )
    assert [(e["field"], e["code"]) for e in given["userErrors"]] == [(["slug"], "DUPLICATE")]


async def test_publish_unpublish_and_delete_with_their_events(
    catalog: SubgraphApp, client: SubgraphClient
) -> None:
    product_id = (await create(client))["product"]["id"]
    assert (await client.execute(PRODUCT, {"id": product_id}))["data"]["product"] is None

    published = await client.execute(PUBLISH, {"id": product_id}, principal=STAFF)
    assert published["data"]["productPublish"]["product"]["status"] == "PUBLISHED"
    assert (await client.execute(PRODUCT, {"id": product_id}))["data"]["product"] == {
        "id": product_id,
        "status": "PUBLISHED",
    }
    await client.execute(UNPUBLISH, {"id": product_id}, principal=STAFF)
    assert (await client.execute(PRODUCT, {"id": product_id}))["data"]["product"] is None
    deleted = await client.execute(DELETE, {"id": product_id}, principal=STAFF)
    assert deleted["data"]["productDelete"]["product"]["slug"] == "oxford-shirt"
    again = await client.execute(DELETE, {"id": product_id}, principal=STAFF)
    assert again["data"]["productDelete"]["userErrors"] == [{"field": ["id"], "code": "NOT_FOUND"}]

    events = await outbox_events(catalog)
    assert [(t, p.get("status")) for t, p in events] == [
        ("ProductUpserted", "DRAFT"),
        ("ProductUpserted", "PUBLISHED"),
        ("ProductUpserted", "DRAFT"),
        ("ProductDeleted", None),
    ]
    assert events[-1][1] == {"product_id": product_id}
    contract = {
        "product_id", "slug", "name", "status", "price_amount", "currency", "category_id",
        "description", "category_ids", "category_names", "product_type", "vendor_id",
        "attributes", "image_url", "compare_at_amount", "variants", "updated_at",
    }  # fmt: skip
    assert contract <= set(events[0][1])


@pytest.mark.parametrize(
    "principal",
    [customer("c1"), staff(Permission.MANAGE_ORDERS), staff(Permission.MANAGE_PRODUCTS, mfa=False)],
    ids=["customer", "other-permission", "no-mfa"],
)
@pytest.mark.parametrize(
    ("document", "variables"),
    [
        (PUBLISH, {"id": "x"}),
        (DELETE, {"id": "x"}),
        (TYPE_CREATE, {"input": {"name": "T"}}),
        (CATEGORY_CREATE, {"input": {"name": "C"}}),
        (COLLECTION_CREATE, {"input": {"name": "K"}}),
    ],
    ids=["publish", "delete", "type", "category", "collection"],
)
async def test_staff_mutations_need_manage_products(
    client: SubgraphClient, principal: Any, document: str, variables: dict[str, Any]
) -> None:
    result = await client.execute(document, variables, principal=principal)

    assert result["data"] is None
    assert result["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_variants_are_generated_once_per_combination(client: SubgraphClient) -> None:
    product_id = (await create(client))["product"]["id"]
    variables = {
        "input": {
            "productId": product_id,
            "skuPrefix": "OX",
            "options": [{"name": "size", "values": ["S", "M"]}],
        }
    }

    first = await client.execute(GENERATE, variables, principal=STAFF)
    variables["input"]["options"][0]["values"] = ["S", "M", "L"]
    second = await client.execute(GENERATE, variables, principal=STAFF)

    assert [v["sku"] for v in first["data"]["productVariantsGenerate"]["product"]["variants"]] == [
        "OX-S",
        "OX-M",
    ]
    assert [v["sku"] for v in second["data"]["productVariantsGenerate"]["product"]["variants"]] == [
        "OX-S",
        "OX-M",
        "OX-L",
    ]


async def test_categories_are_created_and_never_moved_under_themselves(
    client: SubgraphClient, tree: Tree
) -> None:
    created = await client.execute(
        CATEGORY_CREATE,
        {"input": {"name": "Linen Shirts", "parentId": tree.shirts.id}},
        principal=STAFF,
    )
    assert created["data"]["categoryCreate"]["category"] == {
        "slug": "linen-shirts",
        "parent": {"slug": "shirts"},
    }

    cycle = await client.execute(
        CATEGORY_MOVE,
        {"input": {"id": tree.clothing.id, "parentId": tree.polos.id}},
        principal=STAFF,
    )
    moved = await client.execute(
        CATEGORY_MOVE, {"input": {"id": tree.polos.id, "parentId": tree.home.id}}, principal=STAFF
    )
    to_root = await client.execute(CATEGORY_MOVE, {"input": {"id": tree.polos.id}}, principal=STAFF)

    assert cycle["data"]["categoryMove"]["userErrors"] == [
        {"field": ["parentId"], "code": "CATEGORY_CYCLE"}
    ]
    assert moved["data"]["categoryMove"]["category"]["parent"] == {"slug": "home"}
    assert to_root["data"]["categoryMove"]["category"]["parent"] is None


async def test_manual_and_rule_based_collections(client: SubgraphClient, tree: Tree) -> None:
    cheap = (
        await create(
            client,
            name="Cheap Tee",
            price={"amount": "9.00", "currencyCode": "EUR"},
            status="PUBLISHED",
            categoryId=tree.polos.id,
        )
    )["product"]["id"]
    dear = (
        await create(client, name="Dear Coat", status="PUBLISHED", categoryId=tree.trousers.id)
    )["product"]["id"]
    draft = (
        await create(
            client,
            name="Draft Tee",
            price={"amount": "5.00", "currencyCode": "EUR"},
            categoryId=tree.polos.id,
        )
    )["product"]["id"]

    manual = await client.execute(
        COLLECTION_CREATE,
        {"input": {"name": "Picks", "productIds": [dear, cheap, draft]}},
        principal=STAFF,
    )
    rules = await client.execute(
        COLLECTION_CREATE,
        {
            "input": {
                "name": "Bargain shirts",
                "rules": [
                    {"kind": "PRICE_BELOW", "value": "20"},
                    {"kind": "CATEGORY", "categoryId": tree.shirts.id},
                ],
            }
        },
        principal=STAFF,
    )
    assert manual["data"]["collectionCreate"]["userErrors"] == []
    assert rules["data"]["collectionCreate"]["collection"]["kind"] == "RULES"

    def slugs(result: dict[str, Any]) -> list[str]:
        return [e["node"]["slug"] for e in result["data"]["collection"]["products"]["edges"]]

    assert slugs(await client.execute(COLLECTION, {"slug": "picks"})) == ["dear-coat", "cheap-tee"]
    assert slugs(await client.execute(COLLECTION, {"slug": "picks"}, principal=STAFF)) == [
        "dear-coat",
        "cheap-tee",
        "draft-tee",
    ]
    assert slugs(await client.execute(COLLECTION, {"slug": "bargain-shirts"})) == ["cheap-tee"]
    # Materialised on change: a new matching product joins at once (rule members by id).
    await create(
        client,
        name="New Polo",
        price={"amount": "12.00", "currencyCode": "EUR"},
        status="PUBLISHED",
        categoryId=tree.polos.id,
    )
    found = slugs(await client.execute(COLLECTION, {"slug": "bargain-shirts"}))
    assert sorted(found) == ["cheap-tee", "new-polo"]


async def test_an_idempotent_create_replays_without_a_second_event(
    catalog: SubgraphApp, client: SubgraphClient
) -> None:
    variables = {
        "input": {"name": "Tee", "price": {"amount": "9.00", "currencyCode": "EUR"}},
        "key": "k-1",
    }
    first = await client.execute(PRODUCT_CREATE, variables, principal=STAFF)
    again = await client.execute(PRODUCT_CREATE, variables, principal=STAFF)
    other = await client.execute(
        PRODUCT_CREATE,
        {**variables, "input": {**variables["input"], "name": "Other"}},
        principal=STAFF,
    )

    assert (
        again["data"]["productCreate"]["product"]["id"]
        == first["data"]["productCreate"]["product"]["id"]
    )
    assert other["data"]["productCreate"]["userErrors"][0]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert len(await outbox_events(catalog)) == 1
