"""The catalog's own settings: media storage and upload limits, read from ``AGORA_*`` variables
when the subgraph is built (never at import time) and frozen."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from shared.settings import Settings, SettingsError

DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class CatalogSettings:
    media_dir: Path
    media_url: str
    """Public URL prefix of stored images (``/catalog/media`` when served by the subgraph)."""
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None
    s3_region: str | None = None
    s3_access_key_id: str | None = None
    s3_secret_access_key: str | None = None


def load_catalog_settings(
    settings: Settings, environ: Mapping[str, str] | None = None
) -> CatalogSettings:
    env = os.environ if environ is None else environ
    raw_max = env.get("AGORA_MEDIA_MAX_BYTES") or str(DEFAULT_MAX_UPLOAD_BYTES)
    if not raw_max.isdigit() or int(raw_max) <= 0:
        raise SettingsError([f"AGORA_MEDIA_MAX_BYTES must be a positive integer, not {raw_max!r}"])
    bucket = env.get("AGORA_S3_BUCKET") or None
    default_url = "/catalog/media"
    if bucket:
        endpoint = (env.get("AGORA_S3_ENDPOINT_URL") or "").rstrip("/")
        default_url = f"{endpoint}/{bucket}" if endpoint else f"https://{bucket}.s3.amazonaws.com"
    return CatalogSettings(
        media_dir=Path(env.get("AGORA_MEDIA_DIR") or settings.data_dir / "media"),
        media_url=(env.get("AGORA_MEDIA_URL") or default_url).rstrip("/"),
        max_upload_bytes=int(raw_max),
        s3_bucket=bucket,
        s3_endpoint_url=env.get("AGORA_S3_ENDPOINT_URL") or None,
        s3_region=env.get("AGORA_S3_REGION") or None,
        s3_access_key_id=env.get("AGORA_S3_ACCESS_KEY_ID") or None,
        s3_secret_access_key=env.get("AGORA_S3_SECRET_ACCESS_KEY") or None,
    )
