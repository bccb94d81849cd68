"""Where image files live: a local directory (served at ``GET /catalog/media/{path}``) or an
S3-compatible bucket. Names are content-addressed, so files are immutable and cache forever."""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path
from typing import Any, Protocol

CACHE_CONTROL = "public, max-age=31536000, immutable"


class StorageError(Exception):
    """The storage refused or failed a write; nothing usable was stored under the key."""


class ImageStorage(Protocol):
    async def put(self, key: str, data: bytes, content_type: str) -> None: ...

    async def delete(self, key: str) -> None: ...

    def url(self, key: str) -> str: ...


def _safe_key(key: str) -> str:
    parts = key.split("/")
    if not key or key.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise StorageError(f"invalid storage key {key!r}")
    return key


class LocalImageStorage:
    """Files under ``root``; writes are atomic (temporary file, then rename)."""

    def __init__(self, root: Path, base_url: str) -> None:
        self.root = root
        self.base_url = base_url.rstrip("/")

    def path(self, key: str) -> Path:
        return self.root / _safe_key(key)

    def _write(self, key: str, data: bytes) -> None:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        try:
            await asyncio.to_thread(self._write, key, data)
        except OSError as exc:
            raise StorageError(str(exc)) from exc

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self.path(key).unlink, missing_ok=True)

    def url(self, key: str) -> str:
        return f"{self.base_url}/{_safe_key(key)}"


class S3ImageStorage:
    """Objects in an S3 bucket through a boto3 ``s3`` client (built by the caller, so tests can
    stub it); calls run in a worker thread since boto3 blocks."""

    def __init__(self, client: Any, bucket: str, base_url: str) -> None:
        self.client = client
        self.bucket = bucket
        self.base_url = base_url.rstrip("/")

    def _put(self, key: str, data: bytes, content_type: str) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.put_object(
                Bucket=self.bucket,
                Key=_safe_key(key),
                Body=data,
                ContentType=content_type,
                CacheControl=CACHE_CONTROL,
            )
        except (BotoCoreError, ClientError) as exc:
            raise StorageError(str(exc)) from exc

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(self._put, key, data, content_type)

    def _delete(self, key: str) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.delete_object(Bucket=self.bucket, Key=_safe_key(key))
        except (BotoCoreError, ClientError) as exc:
            raise StorageError(str(exc)) from exc

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._delete, key)

    def url(self, key: str) -> str:
        return f"{self.base_url}/{_safe_key(key)}"


def s3_client(
    *,
    endpoint_url: str | None,
    region: str | None,
    access_key_id: str | None,
    secret_access_key: str | None,
) -> Any:
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=region,
        aws_access_key_id=access_key_id,
        aws_secret_access_key=secret_access_key,
    )
