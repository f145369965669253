"""Do the files in private storage and the rows that name them agree?

``orphaned_files`` lists stored files no row accounts for (a crash after a
write, a leftover partial write); ``dangling_rows`` lists rows naming a file
that is not there. Both should always be empty; the crash tests and
``manage.py check_storage`` ask them.

A letter's PDFs are a cache keyed by content: ``letters/<case>/<hash>-<draft|final>[-bundle].pdf``
belongs to any letter version of that case with that content hash, whether or
not ``Letter.pdf`` names it yet.
"""

import re
from collections.abc import Iterator

from django.db import models, transaction

from .models import Evidence, Letter, PendingUpload, private_storage
from .storage import PARTIAL_PREFIX

LETTER_PDF = re.compile(r"^letters/(?P<case>\d+)/(?P<hash>[0-9a-f]{64})-(?:draft|final)(?:-bundle)?\.pdf$")


def stored_files(storage=None) -> Iterator[str]:
    """Every file name in the storage, walking its folders."""
    storage = storage or private_storage()
    folders = [""]
    while folders:
        folder = folders.pop()
        try:
            dirs, files = storage.listdir(folder)
        except FileNotFoundError:
            continue
        prefix = f"{folder}/" if folder else ""
        folders.extend(prefix + name for name in dirs)
        yield from (prefix + name for name in files)


def interrupted_uploads() -> list[str]:
    """Files of uploads whose request died between storing the file and inserting its row."""
    return sorted(PendingUpload.objects.values_list("name", flat=True))


def orphaned_files() -> list[str]:
    evidence = set(Evidence.objects.values_list("file", flat=True)) | set(interrupted_uploads())
    letter_pdfs = set(Letter.objects.exclude(pdf="").values_list("pdf", flat=True))
    letter_contents = {(str(case), digest) for case, digest in Letter.objects.values_list("case_id", "content_hash")}
    orphans = []
    for name in stored_files():
        if name.rsplit("/", 1)[-1].startswith(PARTIAL_PREFIX):
            orphans.append(name)
        elif name in evidence or name in letter_pdfs:
            continue
        elif (match := LETTER_PDF.match(name)) and (match["case"], match["hash"]) in letter_contents:
            continue
        else:
            orphans.append(name)
    return sorted(orphans)


def dangling_rows() -> list[str]:
    """``"evidence:<id> <name>"`` / ``"letter:<id> <name>"`` for each row whose file is missing."""
    storage = private_storage()
    rows = [(f"evidence:{pk}", name) for pk, name in Evidence.objects.values_list("pk", "file")]
    rows += [(f"letter:{pk}", name) for pk, name in Letter.objects.exclude(pdf="").values_list("pk", "pdf")]
    return [f"{row} {name}" for row, name in rows if not name or not storage.exists(name)]


def save_with_file(instance: models.Model, field: str = "file") -> None:
    """Save a new row whose file field holds an upload not stored yet.

    The field's ``pre_save`` stores the file before the INSERT; if the INSERT
    (or anything else in the save) fails, the stored file is removed, so no file
    outlives the row that was meant to name it. Call it outside a longer
    transaction: a rollback after this returns cannot be seen here.
    """
    fieldfile = getattr(instance, field)
    stored_before = fieldfile._committed
    try:
        with transaction.atomic():
            instance.save()
    except BaseException:
        fieldfile = getattr(instance, field)
        if not stored_before and fieldfile._committed and fieldfile.name:
            fieldfile.storage.delete(fieldfile.name)
        raise


def save_upload(instance: models.Model, field: str = "file", *, inside=None) -> None:
    """Store a new row's uploaded file, then insert the row, so that no kill leaves a file unknown.

    1. a ``PendingUpload`` row names the file (committed on its own, before the file exists);
    2. the file is stored under that name;
    3. one transaction runs ``inside()`` (a lock and limit checks, say), inserts the row and
       deletes the pending row.
    An exception removes the file and the pending row again; a killed process leaves the pending
    row naming its file (``interrupted_uploads``). Call it outside any transaction.
    """
    fieldfile = getattr(instance, field)
    content = fieldfile.file
    name = fieldfile.field.generate_filename(instance, fieldfile.name)
    pending = PendingUpload.objects.create(name=name)
    stored = None
    try:
        stored = fieldfile.storage.save(name, content, max_length=fieldfile.field.max_length)
        if stored != name:  # the storage chose another name: the journal follows
            PendingUpload.objects.filter(pk=pending.pk).update(name=stored)
        fieldfile.name = stored
        fieldfile._committed = True
        with transaction.atomic():
            if inside is not None:
                inside()
            instance.save()
            PendingUpload.objects.filter(pk=pending.pk).delete()
    except BaseException:
        if stored:
            fieldfile.storage.delete(stored)
        PendingUpload.objects.filter(pk=pending.pk).delete()
        raise
