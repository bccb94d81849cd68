"""``productImageUpload`` as a GraphQL multipart request (signed like the router would sign it),
the files it stores, ``GET /catalog/media/...`` and what a refused file leaves behind: nothing."""

from __future__ import annotations

import io
import json
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from shared.app import SubgraphApp
from shared.auth import Principal, signed_headers
from subgraphs.catalog.uow import CatalogUnitOfWork
from tests.catalog.support import CatalogUow, make_product, outbox_events
from tests.conftest import SubgraphFactory
from tests.graphql_client import STAFF, customer

UPLOAD = """
mutation U($input: ProductImageUploadInput!) {
  productImageUpload(input: $input) {
    image { alt width height originalFormat thumbnail small medium large
            url(size: LARGE, format: ORIGINAL) srcset }
    product { images { alt } }
    userErrors { field message code }
  }
}
"""


def jpeg(size: tuple[int, int] = (900, 600)) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


async def upload(
    app: SubgraphApp, product_id: str, data: bytes, filename: str, principal: Principal = STAFF
) -> dict[str, Any]:
    operations = {
        "query": UPLOAD,
        "variables": {"input": {"productId": product_id, "image": None, "alt": "A shirt"}},
    }
    request = httpx.Request(
        "POST",
        "http://subgraph.test/graphql",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.image"]}),
        },
        files={"0": (filename, data, "image/jpeg")},
    )
    body = request.read()
    headers = dict(request.headers) | signed_headers(
        app.infra.settings.router_secret, principal, body
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app.asgi), base_url="http://subgraph.test"
    ) as client:
        response = await client.post("/graphql", content=body, headers=headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def stored_files(app: SubgraphApp) -> list[Path]:
    return sorted(p for p in (app.infra.settings.data_dir / "media").rglob("*") if p.is_file())


async def test_an_upload_stores_renditions_served_with_immutable_caching(
    catalog: SubgraphApp, catalog_uow: CatalogUow
) -> None:
    product = await make_product(catalog_uow, "Oxford Shirt")

    result = await upload(catalog, product.id, jpeg(), "shirt.jpg")

    payload = result["data"]["productImageUpload"]
    assert payload["userErrors"] == []
    image = payload["image"]
    assert (image["width"], image["height"], image["originalFormat"]) == (900, 600, "jpeg")
    assert image["thumbnail"].endswith("/160.webp")
    assert image["large"].endswith("/1280.webp")
    assert image["url"].endswith("/1280.jpg")
    assert image["srcset"].count("w,") == 3
    assert payload["product"]["images"] == [{"alt": "A shirt"}]
    assert len(stored_files(catalog)) == 8  # 4 sizes x (WebP + JPEG)

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=catalog.asgi), base_url="http://subgraph.test"
    ) as client:
        path = image["thumbnail"].removeprefix("/catalog")
        served = await client.get(path)  # public: no signature
        missing = await client.get("/media/images/00/none/160.webp")
        escape = await client.get("/media/../catalog.db")
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/webp"
    assert served.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert not Image.open(io.BytesIO(served.content)).getexif()
    assert missing.status_code == 404
    assert escape.status_code == 404

    upserted = [p for t, p in await outbox_events(catalog) if t == "ProductUpserted"]
    assert upserted[-1]["image_url"] == "/catalog/media/" + path.removeprefix("/media/").replace(
        "160.webp", "320.webp"
    )


async def test_a_disguised_file_is_refused_and_stores_nothing(
    catalog: SubgraphApp, catalog_uow: CatalogUow
) -> None:
    product = await make_product(catalog_uow, "Oxford Shirt")

    result = await upload(catalog, product.id, b"MZ\x90\x00 an executable", "shirt.jpg")

    payload = result["data"]["productImageUpload"]
    assert payload["image"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
        (["image"], "UNSUPPORTED_FILE_TYPE")
    ]
    assert stored_files(catalog) == []


async def test_a_file_over_the_limit_is_refused(
    make_subgraph: SubgraphFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGORA_MEDIA_MAX_BYTES", "100000")
    app = await make_subgraph("catalog")
    product = await make_product(partial(app.infra.unit_of_work, CatalogUnitOfWork), "Shirt")

    result = await upload(app, product.id, jpeg() + b"\x00" * 100_000, "big.jpg")

    errors = result["data"]["productImageUpload"]["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [(["image"], "FILE_TOO_LARGE")]
    assert stored_files(app) == []


async def test_a_body_over_the_upload_limit_never_reaches_graphql(
    make_subgraph: SubgraphFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The catalog accepts bodies up to its upload limit plus the multipart envelope (64 KiB)."""
    monkeypatch.setenv("AGORA_MEDIA_MAX_BYTES", "100000")
    app = await make_subgraph("catalog")
    product = await make_product(partial(app.infra.unit_of_work, CatalogUnitOfWork), "Shirt")

    with pytest.raises(AssertionError, match="BODY_TOO_LARGE"):
        await upload(app, product.id, b"\xff\xd8" + b"\x00" * 300_000, "big.jpg")
    assert stored_files(app) == []


async def test_a_body_larger_than_other_subgraphs_accept_reaches_the_upload_checks(
    catalog: SubgraphApp, catalog_uow: CatalogUow
) -> None:
    """3 MB is over the 2 MB every other subgraph takes, under the catalog's 10 MB."""
    product = await make_product(catalog_uow, "Oxford Shirt")

    result = await upload(catalog, product.id, b"\xff\xd8" + b"\x00" * 3_000_000, "big.jpg")

    errors = result["data"]["productImageUpload"]["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [(["image"], "UNSUPPORTED_FILE_TYPE")]
    assert stored_files(catalog) == []


async def test_only_staff_who_manage_products_upload(
    catalog: SubgraphApp, catalog_uow: CatalogUow
) -> None:
    product = await make_product(catalog_uow, "Oxford Shirt")

    result = await upload(catalog, product.id, jpeg(), "shirt.jpg", principal=customer("c1"))

    assert result["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert stored_files(catalog) == []
