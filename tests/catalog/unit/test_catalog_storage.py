"""Image storage contracts: the local directory and S3 (PutObject as documented, checked with
botocore's Stubber — no S3 server can run here)."""

from __future__ import annotations

import os
from pathlib import Path

import boto3
import pytest
from botocore.stub import Stubber

from subgraphs.catalog.adapters.storage import (
    CACHE_CONTROL,
    LocalImageStorage,
    S3ImageStorage,
    StorageError,
)


async def test_local_storage_writes_serves_by_url_and_deletes(tmp_path: Path) -> None:
    storage = LocalImageStorage(tmp_path, "/catalog/media/")

    await storage.put("images/ab/abc/160.webp", b"RIFF", "image/webp")

    assert (tmp_path / "images/ab/abc/160.webp").read_bytes() == b"RIFF"
    assert storage.url("images/ab/abc/160.webp") == "/catalog/media/images/ab/abc/160.webp"
    assert os.listdir(tmp_path) == ["images"]  # no temporary file left
    await storage.delete("images/ab/abc/160.webp")
    assert not (tmp_path / "images/ab/abc/160.webp").exists()


@pytest.mark.parametrize("key", ["../escape.webp", "/abs.webp", "a//b.webp", ""])
async def test_local_storage_refuses_keys_outside_its_directory(tmp_path: Path, key: str) -> None:
    with pytest.raises(StorageError):
        await LocalImageStorage(tmp_path, "/m").put(key, b"x", "image/webp")


def s3() -> tuple[S3ImageStorage, Stubber]:
    client = boto3.client(
        "s3",
        region_name="eu-west-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    return S3ImageStorage(client, "agora-media", "https://cdn.example/agora-media"), Stubber(client)


async def test_s3_put_sends_the_documented_putobject_parameters() -> None:
    storage, stubber = s3()
    stubber.add_response(
        "put_object",
        {"ETag": '"etag"'},
        {
            "Bucket": "agora-media",
            "Key": "images/ab/abc/640.webp",
            "Body": b"RIFF....WEBP",
            "ContentType": "image/webp",
            "CacheControl": CACHE_CONTROL,
        },
    )
    with stubber:
        await storage.put("images/ab/abc/640.webp", b"RIFF....WEBP", "image/webp")
    stubber.assert_no_pending_responses()
    assert storage.url("images/ab/abc/640.webp") == (
        "https://cdn.example/agora-media/images/ab/abc/640.webp"
    )


async def test_s3_errors_become_storage_errors() -> None:
    storage, stubber = s3()
    stubber.add_client_error("put_object", service_error_code="AccessDenied", http_status_code=403)
    stubber.add_client_error(
        "delete_object", service_error_code="NoSuchBucket", http_status_code=404
    )
    with stubber:
        with pytest.raises(StorageError, match="AccessDenied"):
            await storage.put("images/x/y/160.webp", b"x", "image/webp")
        with pytest.raises(StorageError):
            await storage.delete("images/x/y/160.webp")


async def test_s3_delete_names_the_bucket_and_key() -> None:
    storage, stubber = s3()
    stubber.add_response(
        "delete_object", {}, {"Bucket": "agora-media", "Key": "images/x/y/160.webp"}
    )
    with stubber:
        await storage.delete("images/x/y/160.webp")
    stubber.assert_no_pending_responses()
