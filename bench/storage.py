"""Private storage: what one file access costs on a folder and on object storage, side by side in one run.

Per storage: ``exists`` (what the letter page asks of a PDF: a HEAD on object storage), reading an
80 KB letter PDF back (what a download and the export do), and storing one (an upload). The folder is
``AtomicFileSystemStorage`` in a temporary directory; the bucket is ``PrivateS3Storage`` on an
S3-protocol server you start yourself, e.g.

    .venv/bin/moto_server -H 127.0.0.1 -p 5399 &
    .venv/bin/python bench/storage.py --endpoint http://127.0.0.1:5399 [--runs 30]

moto's server is a development server: its times are an upper bound, not a cloud region's. Compare
the two columns of one run; on a shared machine print the load too (it is printed). Without
``--endpoint`` only the folder is measured.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "negotiator.settings")

import django  # noqa: E402

django.setup()

from django.core.files.base import ContentFile  # noqa: E402

from cases.storage import AtomicFileSystemStorage  # noqa: E402

PDF = b"%PDF-1.7\n" + os.urandom(80 * 1024)


def _median_ms(action, runs: int) -> float:
    action()  # warm: connection pool, imports
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def measure(storage, runs: int) -> dict[str, float]:
    name = storage.save(f"letters/1/{uuid.uuid4().hex}-draft.pdf", ContentFile(PDF))

    def read():
        with storage.open(name, "rb") as fh:
            assert fh.read() == PDF

    figures = {
        "exists": _median_ms(lambda: storage.exists(name), runs),
        "read 80 KB": _median_ms(read, runs),
        "store 80 KB": _median_ms(lambda: storage.delete(storage.save(f"evidence/1/{uuid.uuid4().hex}",
                                                                      ContentFile(PDF))), runs),
    }
    storage.delete(name)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", help="an S3-protocol server, e.g. http://127.0.0.1:5399")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    columns = {}
    with tempfile.TemporaryDirectory() as folder:
        columns["folder"] = measure(AtomicFileSystemStorage(location=folder, base_url=None), args.runs)
    if args.endpoint:
        import boto3

        from cases.object_storage import PrivateS3Storage

        bucket = f"neg-bench-{uuid.uuid4().hex[:12]}"
        credentials = {"aws_access_key_id": "bench", "aws_secret_access_key": "bench"}
        client = boto3.client("s3", endpoint_url=args.endpoint, region_name="us-east-1", **credentials)
        client.create_bucket(Bucket=bucket)
        try:
            columns["bucket"] = measure(PrivateS3Storage(
                bucket_name=bucket, endpoint_url=args.endpoint, region_name="us-east-1",
                access_key="bench", secret_key="bench"), args.runs)
        finally:
            for item in client.list_objects_v2(Bucket=bucket).get("Contents", ()):
                client.delete_object(Bucket=bucket, Key=item["Key"])
            client.delete_bucket(Bucket=bucket)

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; median of {args.runs} runs, ms")
    print(f"{'operation':<14}" + "".join(f"{name:>10}" for name in columns) + ("     ratio" if len(columns) == 2 else ""))
    for operation in columns["folder"]:
        row = [columns[name][operation] for name in columns]
        ratio = f"{row[1] / row[0]:>9.0f}x" if len(row) == 2 and row[0] else ""
        print(f"{operation:<14}" + "".join(f"{value:>10.2f}" for value in row) + ratio)


if __name__ == "__main__":
    main()
