"""GraphQL types of product images: responsive URLs a storefront puts in ``<img srcset>``."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry

from subgraphs.catalog.domain.models import ImageView
from subgraphs.catalog.domain.models import ProductImage as ImageModel


@strawberry.enum(description="Nominal widths of an image's renditions.")
class ImageSize(Enum):
    THUMBNAIL = 160
    SMALL = 320
    MEDIUM = 640
    LARGE = 1280


@strawberry.enum(description="Encoding of a rendition: WebP, or the uploaded format (fallback).")
class ImageFormat(Enum):
    WEBP = "webp"
    ORIGINAL = "original"


@strawberry.type(description="An image of a product, in several sizes (never upscaled).")
class ProductImage:
    id: strawberry.ID
    alt: str = strawberry.field(description="Text alternative for screen readers.")
    width: int = strawberry.field(description="Width of the uploaded image, in pixels.")
    height: int = strawberry.field(description="Height of the uploaded image, in pixels.")
    original_format: str = strawberry.field(description="jpeg, png or webp.")
    renditions: strawberry.Private[list[dict[str, Any]]]

    @classmethod
    def from_model(cls, model: ImageView | ImageModel) -> ProductImage:
        return cls(
            id=strawberry.ID(model.id),
            alt=model.alt,
            width=model.width,
            height=model.height,
            original_format=model.format,
            renditions=list(model.renditions),
        )

    def _of(self, fmt: ImageFormat) -> list[dict[str, Any]]:
        wanted = "webp" if fmt == ImageFormat.WEBP else self.original_format
        return sorted(
            (r for r in self.renditions if r["format"] == wanted), key=lambda r: int(r["size"])
        )

    @strawberry.field(
        description="URL of the rendition of a size (the largest there is if the image is smaller)."
    )
    def url(
        self, size: ImageSize = ImageSize.MEDIUM, format: ImageFormat = ImageFormat.WEBP
    ) -> str:
        return self._url(size, format)

    def _url(self, size: ImageSize, fmt: ImageFormat = ImageFormat.WEBP) -> str:
        renditions = self._of(fmt)
        fitting = [r for r in renditions if int(r["size"]) <= size.value] or renditions[:1]
        return str(fitting[-1]["url"])

    @strawberry.field(description="160 px wide WebP.")
    def thumbnail(self) -> str:
        return self._url(ImageSize.THUMBNAIL)

    @strawberry.field(description="320 px wide WebP.")
    def small(self) -> str:
        return self._url(ImageSize.SMALL)

    @strawberry.field(description="640 px wide WebP.")
    def medium(self) -> str:
        return self._url(ImageSize.MEDIUM)

    @strawberry.field(description="1280 px wide WebP.")
    def large(self) -> str:
        return self._url(ImageSize.LARGE)

    @strawberry.field(description="Every rendition of a format as an HTML srcset ('url 320w, …').")
    def srcset(self, format: ImageFormat = ImageFormat.WEBP) -> str:
        return ", ".join(f"{r['url']} {r['width']}w" for r in self._of(format))
