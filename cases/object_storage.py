"""The private storage on S3-compatible object storage (AWS S3, Alibaba Cloud OSS,
Tencent COS, MinIO): django-storages' S3 backend with our policy fixed here, not
in settings, so that no configuration can loosen it (docs/decisions/, "object storage").

- No URLs: a private file leaves only through a view that checks who asks
  (``cases/files.py``), as on the file system (decision 002). ``url()`` refuses,
  like ``FileSystemStorage`` with ``base_url=None``; objects carry no ACL of their
  own, so they stay as private as the bucket (block public access on it).
- Whole or not at all: an object appears only when its PUT (or the completion of
  its multipart upload) succeeds; a failed upload is aborted and leaves no object
  (the multipart parts of a killed process are invisible and removed by the
  bucket's lifecycle rule, docs/deploy.md §7). Nothing else is needed for
  ``AtomicFileSystemStorage``'s guarantee.
- Never overwrite: a name that exists gets a new one, as on the file system
  (a PDF stored twice by two workers at once is the same content).
- Failures read as the file system's: the service refusing or unreachable is an
  ``OSError``, which the upload view already answers with "could not be stored".

This module is imported only when ``PRIVATE_STORAGE=s3`` (the settings name it as
the backend), so boto3 is not loaded on a machine that keeps files on disk.
"""

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    def __init__(self, **options):
        options.update(
            file_overwrite=False,
            default_acl=None,
            querystring_auth=True,
            custom_domain=None,
            # Reading an object buffers it in memory up to this size, then on disk.
            max_memory_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE,
        )
        super().__init__(**options)

    def url(self, name, *args, **kwargs):
        raise ValueError("This file is not accessible via a URL.")

    def path(self, name):
        raise NotImplementedError("object storage has no local path")

    def save(self, name, content, max_length=None):
        # The whole save, not only the PUT: choosing a free name asks the service first.
        try:
            return super().save(name, content, max_length=max_length)
        except (BotoCoreError, ClientError) as exc:
            raise OSError(f"object storage did not store {name}: {exc}") from exc
