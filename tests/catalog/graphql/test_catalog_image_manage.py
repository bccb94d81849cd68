"""Staff remove and reorder product images: the product is re-published with its new first
image; a removed image's files go once no product uses them; bad lists and strangers refused."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from shared.app import SubgraphApp
from tests.catalog.graphql.test_catalog_image_upload import jpeg, stored_files, upload
from tests.catalog.support import CatalogUow, make_product, outbox_events
from tests.graphql_client import STAFF, SubgraphClient, customer

IMAGES = "query($id: ID!) { product(id: $id) { images { id alt width small } } }"
DELETE = """mutation($id: ID!) { productImageDelete(imageId: $id) {
  product { images { id } } userErrors { field code } } }"""
REORDER = """mutation($p: ID!, $ids: [ID!]!) { productImagesReorder(productId: $p, imageIds: $ids) {
  product { images { id } } userErrors { field code } } }"""


def coloured(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (size[0] % 255, 20, 40)).save(out, "JPEG")
    return out.getvalue()


async def images(client: SubgraphClient, product_id: str) -> list[dict[str, Any]]:
    result = await client.execute(IMAGES, {"id": product_id}, principal=STAFF)
    found: list[dict[str, Any]] = result["data"]["product"]["images"]
    return found


async def test_staff_reorder_and_delete_images(
    catalog: SubgraphApp, catalog_uow: CatalogUow
) -> None:
    product = await make_product(catalog_uow, "Oxford Shirt")
    for size in ((900, 600), (800, 600), (700, 600)):
        result = await upload(catalog, product.id, coloured(size), "shirt.jpg")
        assert result["data"]["productImageUpload"]["userErrors"] == []
    client = SubgraphClient(catalog)
    try:
        first, second, third = [i["id"] for i in await images(client, product.id)]
        reordered = await client.execute(
            REORDER, {"p": product.id, "ids": [third, first, second]}, principal=STAFF
        )
        assert [
            i["id"] for i in reordered["data"]["productImagesReorder"]["product"]["images"]
        ] == [
            third,
            first,
            second,
        ]
        upserted = [p for t, p in await outbox_events(catalog) if t == "ProductUpserted"]
        shown = (await images(client, product.id))[0]["small"]
        assert upserted[-1]["image_url"] == shown  # search now shows the new first image
        bad = await client.execute(
            REORDER, {"p": product.id, "ids": [third, first]}, principal=STAFF
        )
        assert bad["data"]["productImagesReorder"]["userErrors"] == [
            {"field": ["imageIds"], "code": "INVALID"}
        ]
        dup = await client.execute(
            REORDER, {"p": product.id, "ids": [third, third, first]}, principal=STAFF
        )
        assert dup["data"]["productImagesReorder"]["userErrors"][0]["code"] == "INVALID"

        files_before = len(stored_files(catalog))
        deleted = await client.execute(DELETE, {"id": third}, principal=STAFF)
        assert [i["id"] for i in deleted["data"]["productImageDelete"]["product"]["images"]] == [
            first,
            second,
        ]
        assert len(stored_files(catalog)) == files_before - 8  # its 4 sizes x 2 formats
        gone = await client.execute(DELETE, {"id": third}, principal=STAFF)
        assert gone["data"]["productImageDelete"]["userErrors"][0]["code"] == "NOT_FOUND"
        refused = await client.execute(DELETE, {"id": first}, principal=customer("c1"))
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    finally:
        await client.aclose()


async def test_a_file_shared_by_two_products_stays_until_the_last_goes(
    catalog: SubgraphApp, catalog_uow: CatalogUow
) -> None:
    one = await make_product(catalog_uow, "Shirt One")
    two = await make_product(catalog_uow, "Shirt Two")
    data = jpeg()
    await upload(catalog, one.id, data, "a.jpg")
    await upload(catalog, two.id, data, "a.jpg")
    client = SubgraphClient(catalog)
    try:
        (image_one,) = await images(client, one.id)
        (image_two,) = await images(client, two.id)
        await client.execute(DELETE, {"id": image_one["id"]}, principal=STAFF)
        assert len(stored_files(catalog)) == 8  # still used by the other product
        await client.execute(DELETE, {"id": image_two["id"]}, principal=STAFF)
        assert stored_files(catalog) == []
    finally:
        await client.aclose()
