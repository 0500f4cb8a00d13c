"""Uploading a seed file as `make import` does: what it returns names the object S3 stored, the
version an S3 event carries, whether it went up in one PUT or in parts."""

import os
from pathlib import Path
from typing import Any

import boto3
import pytest

from local.stack import upload

MIB = 1024 * 1024


@pytest.fixture
def s3(aws: None) -> Any:
    client = boto3.client("s3")
    client.create_bucket(Bucket="versioned")
    client.put_bucket_versioning(Bucket="versioned", VersioningConfiguration={"Status": "Enabled"})
    client.create_bucket(Bucket="plain")
    return client


@pytest.mark.parametrize(("size", "parts"), [(3 * MIB, 1), (11 * MIB, 3)])
def test_the_upload_names_the_version_s3_stored(
    s3: Any, tmp_path: Path, size: int, parts: int
) -> None:
    client = s3
    book = tmp_path / "book.json"
    book.write_bytes(os.urandom(size))
    client.put_object(Bucket="versioned", Key="book.json", Body=b"an earlier upload")

    version = upload.upload(client, book, "versioned", "book.json", part_size=5 * MIB)

    stored = client.get_object(Bucket="versioned", Key="book.json", VersionId=version)
    assert stored["Body"].read() == book.read_bytes()
    assert client.head_object(Bucket="versioned", Key="book.json")["VersionId"] == version
    assert stored["ETag"].strip('"').endswith(f"-{parts}") == (parts > 1)


def test_in_a_bucket_without_versions_the_etag_names_the_upload(s3: Any, tmp_path: Path) -> None:
    client = s3
    book = tmp_path / "book.json"
    book.write_bytes(b'{"clients": []}')

    named = upload.upload(client, book, "plain", "book.json")

    assert named == client.head_object(Bucket="plain", Key="book.json")["ETag"].strip('"')
