"""The image upload mutation (GraphQL multipart request, Strawberry's ``Upload`` scalar).

The file is read in chunks and refused as soon as it passes the size limit, so an oversized
upload never sits whole in memory."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from shared.auth import Permission
from shared.graphql.arguments import IdempotencyKey
from shared.graphql.permissions import HasPermission, requires
from subgraphs.catalog.domain.errors import CatalogError, CatalogErrorCode
from subgraphs.catalog.graphql.context import CatalogContext
from subgraphs.catalog.graphql.dataloaders import ProductByIdLoader
from subgraphs.catalog.graphql.inputs import ProductImageUploadInput
from subgraphs.catalog.graphql.media_types import ProductImage
from subgraphs.catalog.graphql.payloads import ProductImageUploadPayload, ProductUserError
from subgraphs.catalog.graphql.types import Product
from subgraphs.catalog.services.manage_images import delete_image, reorder_images
from subgraphs.catalog.services.upload_image import too_large, upload_image

MANAGE_PRODUCTS = requires(HasPermission(Permission.MANAGE_PRODUCTS))
CHUNK = 256 * 1024


async def read_upload(upload: Any, max_bytes: int) -> bytes:
    """The uploaded bytes, at most ``max_bytes`` (FILE_TOO_LARGE beyond)."""
    if not hasattr(upload, "read"):
        raise CatalogError(CatalogErrorCode.REQUIRED, "Send the image as a file.", field="image")
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            chunk = await upload.read(CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise too_large(max_bytes)
            chunks.append(chunk)
    finally:
        await upload.close()  # the request's spooled temporary file
    return b"".join(chunks)


@strawberry.type
class ImageMutations:
    @strawberry.mutation(
        description="Upload a product image (JPEG, PNG or WebP, checked by content; metadata "
        "removed; stored in several sizes) (MANAGE_PRODUCTS).",
        extensions=MANAGE_PRODUCTS,
    )
    async def product_image_upload(
        self,
        info: Info[CatalogContext, None],
        input: ProductImageUploadInput,
        idempotency_key: IdempotencyKey = None,
    ) -> ProductImageUploadPayload:
        settings = info.context.settings()
        try:
            data = await read_upload(input.image, settings.max_upload_bytes)
            image = await upload_image(
                info.context.unit_of_work(),
                info.context.image_storage(),
                product_id=str(input.product_id),
                data=data,
                alt=input.alt,
                actor=info.context.principal,
                max_bytes=settings.max_upload_bytes,
                idempotency_key=idempotency_key,
            )
        except CatalogError as exc:
            return ProductImageUploadPayload(
                image=None, product=None, user_errors=[ProductUserError.from_domain(exc)]
            )
        product = await info.context.loaders.get(ProductByIdLoader).load(image.product_id)
        return ProductImageUploadPayload(
            image=ProductImage.from_model(image),
            product=Product.from_model(product) if product else None,
            user_errors=[],
        )


async def _product_payload(info: Info[CatalogContext, None], work: Any) -> ProductImagesPayload:
    try:
        product_id = await work
    except CatalogError as exc:
        return ProductImagesPayload(product=None, user_errors=[ProductUserError.from_domain(exc)])
    loader = info.context.loaders.get(ProductByIdLoader)
    loader.clear(product_id)
    product = await loader.load(product_id)
    return ProductImagesPayload(
        product=Product.from_model(product) if product else None, user_errors=[]
    )


@strawberry.type(description="The product with its images as they are now, or why not.")
class ProductImagesPayload:
    product: Product | None
    user_errors: list[ProductUserError]


@strawberry.type
class ImageManagementMutations:
    @strawberry.mutation(
        description="Remove a product image (its files go once no product uses them) "
        "(MANAGE_PRODUCTS).",
        extensions=MANAGE_PRODUCTS,
    )
    async def product_image_delete(
        self, info: Info[CatalogContext, None], image_id: strawberry.ID
    ) -> ProductImagesPayload:
        return await _product_payload(
            info,
            delete_image(
                info.context.unit_of_work(),
                info.context.image_storage(),
                image_id=str(image_id),
                actor=info.context.principal,
            ),
        )

    @strawberry.mutation(
        description="Put a product's images in a new order: every image id once, first shown "
        "first (MANAGE_PRODUCTS).",
        extensions=MANAGE_PRODUCTS,
    )
    async def product_images_reorder(
        self,
        info: Info[CatalogContext, None],
        product_id: strawberry.ID,
        image_ids: list[strawberry.ID],
    ) -> ProductImagesPayload:
        return await _product_payload(
            info,
            reorder_images(
                info.context.unit_of_work(),
                product_id=str(product_id),
                image_ids=[str(i) for i in image_ids],
                actor=info.context.principal,
            ),
        )
