"""Image processing with Pillow: checks an upload by its content and makes responsive renditions.

The file's name and declared type are ignored: Pillow must recognise JPEG, PNG or WebP in the
bytes. A decompression bomb (a small file that decodes to a huge bitmap) is refused from the
header, before any pixel is decoded. Metadata (EXIF: camera, GPS position…) is not copied to the
renditions; the EXIF orientation is applied to the pixels first so nothing appears rotated.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from subgraphs.catalog.domain.errors import CatalogError, CatalogErrorCode

SIZES = (160, 320, 640, 1280)
"""Widths of the renditions (never wider than the original)."""
MAX_PIXELS = 40_000_000
ACCEPTED = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp"}
CONTENT_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp"}


@dataclass(frozen=True, slots=True)
class Rendition:
    size: int
    """The nominal width (160…1280) the rendition answers for."""
    format: str
    width: int
    height: int
    data: bytes

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    def key(self, digest: str) -> str:
        """Content-addressed storage name: a new upload never overwrites another's files."""
        return f"images/{digest[:2]}/{digest}/{self.size}.{EXTENSIONS[self.format]}"


@dataclass(frozen=True, slots=True)
class ProcessedImage:
    digest: str
    """SHA-256 of the uploaded bytes."""
    format: str
    width: int
    height: int
    renditions: tuple[Rendition, ...]


def _invalid(message: str) -> CatalogError:
    return CatalogError(CatalogErrorCode.UNSUPPORTED_FILE_TYPE, message, field="image")


def _open(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(ACCEPTED))
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _invalid("The file is not a JPEG, PNG or WebP image.") from None
    except (OSError, ValueError, SyntaxError):
        raise _invalid("The image is damaged.") from None
    width, height = image.size
    if width <= 0 or height <= 0 or width * height > MAX_PIXELS:
        raise CatalogError(
            CatalogErrorCode.IMAGE_TOO_MANY_PIXELS,
            f"The image has more than {MAX_PIXELS // 1_000_000} million pixels.",
            field="image",
        )
    return image


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "jpeg":
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True, progressive=True)
    elif fmt == "png":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "WEBP", quality=80, method=4)
    return out.getvalue()


def process_image(data: bytes) -> ProcessedImage:
    """Renditions at every size in WebP and in the original format (for browsers without WebP),
    stripped of metadata. Raises CatalogError for anything but a sane JPEG, PNG or WebP."""
    image = _open(data)
    fmt = ACCEPTED[str(image.format)]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
            image = ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombWarning):
        raise _invalid("The image is damaged.") from None
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert(
            "RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB"
        )
    image.info.clear()  # EXIF, XMP, ICC comments: nothing of the camera's travels on
    width, height = image.size
    renditions: list[Rendition] = []
    for size in SIZES:
        target = min(size, width)
        resized = (
            image
            if target == width
            else image.resize(
                (target, max(1, round(height * target / width))), Image.Resampling.LANCZOS
            )
        )
        for out_fmt in dict.fromkeys(("webp", fmt)):
            renditions.append(
                Rendition(
                    size=size,
                    format=out_fmt,
                    width=resized.width,
                    height=resized.height,
                    data=_encode(resized, out_fmt),
                )
            )
        if target == width:
            break  # larger sizes would only repeat the original
    return ProcessedImage(
        digest=hashlib.sha256(data).hexdigest(),
        format=fmt,
        width=width,
        height=height,
        renditions=tuple(renditions),
    )
