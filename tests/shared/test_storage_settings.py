"""PRIVATE_STORAGE and the S3_* variables become STORAGES (docs/deploy.md §7); a wrong value stops the start."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOW = ("import json; from negotiator import settings as s; "
        "print(json.dumps({k: s.STORAGES[k] for k in ('default', 'private')}, default=str))")


def _settings(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("S3_", "PRIVATE_"))}
    return subprocess.run([sys.executable, "-c", SHOW], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=60)


def test_files_are_kept_in_a_folder_by_default():
    result = _settings()
    assert result.returncode == 0, result.stderr
    storages = json.loads(result.stdout)
    assert storages["private"]["BACKEND"] == "cases.storage.AtomicFileSystemStorage"
    assert storages["default"] == storages["private"]


def test_s3_reads_the_bucket_and_connection_from_the_environment():
    result = _settings(PRIVATE_STORAGE="s3", S3_BUCKET="negotiator-private",
                       S3_ENDPOINT_URL="https://oss-cn-shenzhen.aliyuncs.com", S3_REGION="cn-shenzhen",
                       S3_ACCESS_KEY_ID="id", S3_SECRET_ACCESS_KEY="secret", S3_PREFIX="/negotiator/",
                       S3_ADDRESSING_STYLE="virtual", S3_SERVER_SIDE_ENCRYPTION="AES256")
    assert result.returncode == 0, result.stderr
    storages = json.loads(result.stdout)
    private = storages["private"]
    assert private["BACKEND"] == "cases.object_storage.PrivateS3Storage"
    assert private["OPTIONS"] == {
        "bucket_name": "negotiator-private", "endpoint_url": "https://oss-cn-shenzhen.aliyuncs.com",
        "region_name": "cn-shenzhen", "access_key": "id", "secret_key": "secret", "location": "negotiator",
        "addressing_style": "virtual", "object_parameters": {"ServerSideEncryption": "AES256"},
    }
    assert storages["default"] == private


def test_s3_without_credentials_leaves_them_to_boto3_and_asks_for_no_encryption():
    result = _settings(PRIVATE_STORAGE="s3", S3_BUCKET="negotiator-private")
    assert result.returncode == 0, result.stderr
    options = json.loads(result.stdout)["private"]["OPTIONS"]
    assert options["access_key"] is None and options["secret_key"] is None and options["endpoint_url"] is None
    assert options["object_parameters"] == {}


def test_s3_without_a_bucket_refuses_to_start():
    result = _settings(PRIVATE_STORAGE="s3")
    assert result.returncode != 0
    assert "PRIVATE_STORAGE=s3 needs S3_BUCKET" in result.stderr


def test_an_unknown_storage_refuses_to_start():
    result = _settings(PRIVATE_STORAGE="nfs")
    assert result.returncode != 0
    assert "PRIVATE_STORAGE must be files or s3, not 'nfs'" in result.stderr
