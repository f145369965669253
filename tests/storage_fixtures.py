"""The private storage seen from outside the app: a folder, or a bucket on the
S3-protocol server that .ci/run starts (``moto_server``; TEST_S3_ENDPOINT_URL names it).

Tests marked ``storage`` run once per kind (``conftest.pytest_generate_tests``) and
look at what is stored through ``media``: the same questions (which files are there,
what is in one) answered by the folder or by the bucket, never by our own storage
classes, so a test cannot pass by asking the code it checks.
"""

import os
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

STORAGE_KINDS = ("files", "s3")
S3_ENDPOINT = os.environ.get("TEST_S3_ENDPOINT_URL", "")
# moto accepts any credentials; a real service would get them from the environment.
S3_CREDENTIALS = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
S3_REGION = "us-east-1"


class StoredMedia:
    """What is in the private storage: names relative to its root, their bytes."""

    def names(self) -> list[str]:
        raise NotImplementedError

    def read(self, name: str) -> bytes:
        raise NotImplementedError

    def put(self, name: str, data: bytes) -> None:
        """A file the app did not store (a crash's leftover, another feature's file)."""
        raise NotImplementedError

    def remove(self, name: str) -> None:
        raise NotImplementedError

    def exists(self, name: str) -> bool:
        return name in self.names()


class FolderMedia(StoredMedia):
    def __init__(self, root: Path):
        self.root = root

    def names(self) -> list[str]:
        return sorted(str(p.relative_to(self.root)) for p in self.root.rglob("*") if p.is_file())

    def read(self, name: str) -> bytes:
        return (self.root / name).read_bytes()

    def put(self, name: str, data: bytes) -> None:
        (self.root / name).parent.mkdir(parents=True, exist_ok=True)
        (self.root / name).write_bytes(data)

    def remove(self, name: str) -> None:
        (self.root / name).unlink()


class BucketMedia(StoredMedia):
    def __init__(self, client, bucket: str):
        self.client = client
        self.bucket = bucket

    def options(self) -> dict:
        """The storage's OPTIONS, as the settings build them from S3_* variables."""
        return {"bucket_name": self.bucket, "endpoint_url": S3_ENDPOINT, "region_name": S3_REGION,
                "access_key": S3_CREDENTIALS["aws_access_key_id"],
                "secret_key": S3_CREDENTIALS["aws_secret_access_key"]}

    def names(self) -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", ()))

    def read(self, name: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=name)["Body"].read()

    def put(self, name: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=name, Body=data)

    def remove(self, name: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=name)

    def unfinished_uploads(self) -> list[str]:
        """Multipart uploads begun and neither completed nor aborted."""
        return [u["Key"] for u in self.client.list_multipart_uploads(Bucket=self.bucket).get("Uploads", ())]

    def empty(self) -> None:
        for key in self.unfinished_uploads():
            for upload in self.client.list_multipart_uploads(Bucket=self.bucket, Prefix=key).get("Uploads", ()):
                self.client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload["UploadId"])
        for name in self.names():
            self.remove(name)


def s3_client():
    import boto3

    return boto3.client("s3", endpoint_url=S3_ENDPOINT, region_name=S3_REGION, **S3_CREDENTIALS)


@contextmanager
def new_bucket():
    """A bucket of its own for one test, emptied and removed afterwards."""
    if not S3_ENDPOINT:
        pytest.skip("no S3-protocol server: .ci/run starts one and sets TEST_S3_ENDPOINT_URL")
    client = s3_client()
    bucket = BucketMedia(client, f"neg-test-{uuid.uuid4().hex[:16]}")
    client.create_bucket(Bucket=bucket.bucket)
    try:
        yield bucket
    finally:
        bucket.empty()
        client.delete_bucket(Bucket=bucket.bucket)
