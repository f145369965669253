"""The private file storage: a ``FileSystemStorage`` whose files appear whole or not at all.

Django's own storage writes straight to the final name, so a full disk or a
killed process in the middle of a write leaves a truncated file there, and a
letter PDF is looked up by its name: a half-written one would be served for
ever. Here every file is written under a temporary name in the same folder and
then published under its real name with a hard link (atomic, and it never
replaces someone else's file); a failed write removes what it wrote.
Object storage (S3) needs none of this: an object is stored whole or not at all.
"""

import errno
import os
import uuid

from django.core.files.storage import FileSystemStorage

# Files being written carry this prefix; `check_storage` reports any a crash left behind.
PARTIAL_PREFIX = ".partial-"


class AtomicFileSystemStorage(FileSystemStorage):
    def url(self, name):
        # base_url=None alone falls back to MEDIA_URL: a private file must have no URL at all.
        raise ValueError("This file is not accessible via a URL.")

    def _save(self, name: str, content) -> str:
        folder, _ = os.path.split(name)
        partial = os.path.join(folder, f"{PARTIAL_PREFIX}{uuid.uuid4().hex}").replace("\\", "/")
        try:
            partial = super()._save(partial, content)
        except BaseException:
            self._discard(partial)
            raise
        try:
            return self._publish(partial, name)
        finally:
            self._discard(partial)

    def _publish(self, partial: str, name: str) -> str:
        source = self.path(partial)
        while True:
            target = self.path(name)
            try:
                os.link(source, target)
            except FileExistsError:
                name = self.get_available_name(name)
                continue
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV):
                    raise
                # A file system without hard links: a rename is still atomic, only not exclusive.
                if os.path.exists(target):
                    name = self.get_available_name(name)
                    continue
                os.replace(source, target)
            return os.path.relpath(target, self.location).replace("\\", "/")

    def _discard(self, partial: str) -> None:
        try:
            os.unlink(self.path(partial))
        except FileNotFoundError:
            pass
