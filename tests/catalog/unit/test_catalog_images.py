"""Image processing: type checked by content, decompression bombs refused from the header,
metadata removed, renditions never upscaled."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from subgraphs.catalog.adapters.images import MAX_PIXELS, SIZES, process_image
from subgraphs.catalog.domain.errors import CatalogError, CatalogErrorCode


def encoded(fmt: str, size: tuple[int, int] = (800, 600), **save: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt, **save)
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x0112] = 1  # Orientation
    exif.get_ifd(0x8825)[2] = (48.0, 51.0, 24.0)  # GPSLatitude
    return encoded("JPEG", exif=exif.tobytes())


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_accepted_formats_get_webp_and_original_renditions(fmt: str) -> None:
    processed = process_image(encoded(fmt))

    original = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp"}[fmt]
    assert processed.format == original
    assert (processed.width, processed.height) == (800, 600)
    sizes = {(r.size, r.format, r.width) for r in processed.renditions}
    assert {
        (160, "webp", 160),
        (320, "webp", 320),
        (640, "webp", 640),
        (1280, "webp", 800),
    } <= sizes
    assert (160, original, 160) in sizes
    for rendition in processed.renditions:
        assert Image.open(io.BytesIO(rendition.data)).format == rendition.format.upper()
        assert rendition.key(processed.digest).startswith(f"images/{processed.digest[:2]}/")


def test_a_small_image_is_never_upscaled() -> None:
    processed = process_image(encoded("PNG", (100, 50)))

    assert {(r.size, r.width, r.height) for r in processed.renditions} == {(160, 100, 50)}
    assert SIZES[0] == 160


def test_exif_and_gps_are_removed() -> None:
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif()  # the test image does carry EXIF

    for rendition in process_image(original).renditions:
        image = Image.open(io.BytesIO(rendition.data))
        assert not image.getexif()
        assert "exif" not in image.info


@pytest.mark.parametrize(
    "data",
    [
        b"GIF89a" + encoded("GIF")[6:],
        b"%PDF-1.7 definitely not a picture",
        encoded("BMP"),
        encoded("JPEG")[:200],
        b"",
    ],
    ids=["gif", "pdf", "bmp", "truncated-jpeg", "empty"],
)
def test_anything_else_is_refused_whatever_its_name(data: bytes) -> None:
    with pytest.raises(CatalogError) as error:
        process_image(data)

    assert error.value.code == CatalogErrorCode.UNSUPPORTED_FILE_TYPE
    assert error.value.field == "image"


def test_a_decompression_bomb_is_refused_before_decoding() -> None:
    side = int(MAX_PIXELS**0.5) + 100  # just over the limit; 1-bit, so the test stays cheap
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, "PNG")
    bomb = out.getvalue()
    assert len(bomb) < 1_000_000

    with pytest.raises(CatalogError) as error:
        process_image(bomb)

    assert error.value.code == CatalogErrorCode.IMAGE_TOO_MANY_PIXELS
