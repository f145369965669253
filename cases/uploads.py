"""Uploads too large to keep in memory spool to the private storage's own folder.

Django's default handler writes them to the system's temporary folder, where a
worker killed mid-upload leaves the partial file for nobody to find. Here they go
to ``<private storage>/.uploads/`` (same file system and permissions as the
evidence itself); ``files.orphaned_files`` lists whatever is left there, so
``manage.py check_storage`` reports it and ``--delete-orphans`` removes it.
With object storage there is no such folder: they spool to this machine's
``FILE_UPLOAD_TEMP_DIR`` (the system's temporary folder unless set; give the web
service a private one that is emptied when it restarts, docs/deploy.md §7).
"""

import os
import tempfile

from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler

from .models import private_storage

UPLOADS_FOLDER = ".uploads"


def upload_folder() -> str | None:
    try:
        folder = os.path.join(private_storage().path(""), UPLOADS_FOLDER)
    except NotImplementedError:  # object storage: no folder of its own
        return settings.FILE_UPLOAD_TEMP_DIR
    os.makedirs(folder, mode=0o700, exist_ok=True)
    return folder


class PrivateTemporaryUploadedFile(TemporaryUploadedFile):
    def __init__(self, name, content_type, size, charset, content_type_extra=None):
        # The user's name is only kept as an attribute: the spooled file's own name is ours.
        file = tempfile.NamedTemporaryFile(prefix="upload-", suffix=".part", dir=upload_folder())
        super(TemporaryUploadedFile, self).__init__(file, name, content_type, size, charset, content_type_extra)


class PrivateTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    def new_file(self, *args, **kwargs):
        super(TemporaryFileUploadHandler, self).new_file(*args, **kwargs)
        self.file = PrivateTemporaryUploadedFile(self.file_name, self.content_type, 0, self.charset,
                                                 self.content_type_extra)
