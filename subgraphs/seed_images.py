"""Demo product photos for the seeded shop: drawn, deterministic, through the real image pipeline.

Each published demo product gets one 640 x 640 PNG (a two-colour gradient with the product's
initials) uploaded with the catalog's ``upload_image`` use case, so the demo storefront shows
real thumbnails, srcsets and cache headers without shipping image files in the repository.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Sequence

from PIL import Image, ImageDraw, ImageFont

from shared.auth import SYSTEM
from subgraphs.catalog.adapters.storage import ImageStorage
from subgraphs.catalog.services.upload_image import upload_image
from subgraphs.catalog.uow import CatalogUnitOfWork

SIZE = 640
PALETTE = [
    ((31, 41, 55), (75, 85, 99)),
    ((30, 64, 175), (96, 165, 250)),
    ((6, 95, 70), (52, 211, 153)),
    ((146, 64, 14), (251, 191, 36)),
    ((136, 19, 55), (244, 114, 182)),
    ((67, 56, 202), (165, 180, 252)),
    ((120, 53, 15), (217, 119, 6)),
]


def demo_photo(name: str) -> bytes:
    """A PNG for ``name``: the same name always draws the same picture."""
    digest = hashlib.sha256(name.encode()).digest()
    top, bottom = PALETTE[digest[0] % len(PALETTE)]
    image = Image.new("RGB", (SIZE, SIZE))
    draw = ImageDraw.Draw(image)
    for y in range(SIZE):
        t = y / (SIZE - 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (SIZE, y)], fill=colour)
    inset = 96 + digest[1] % 48
    draw.ellipse([inset, inset, SIZE - inset, SIZE - inset], outline=(255, 255, 255), width=6)
    initials = "".join(word[0] for word in name.split()[:2]).upper() or "A"
    font = ImageFont.load_default(size=180)
    draw.text((SIZE / 2, SIZE / 2), initials, fill=(255, 255, 255), font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


async def seed_photos(
    uow_factory: Callable[[], CatalogUnitOfWork],
    storage: ImageStorage,
    products: Sequence[tuple[str, str]],
    *,
    max_bytes: int,
) -> int:
    """Upload one photo per ``(product_id, name)``; returns how many were uploaded."""
    for product_id, name in products:
        await upload_image(
            uow_factory,
            storage,
            product_id=product_id,
            data=demo_photo(name),
            alt=name,
            actor=SYSTEM,
            max_bytes=max_bytes,
        )
    return len(products)
