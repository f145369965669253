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

from .models import Evidence, Letter, private_storage
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


def orphaned_files() -> list[str]:
    evidence = set(Evidence.objects.values_list("file", flat=True))
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

    The file is stored first (``FieldFile.save``, as the field's ``pre_save`` would
    before the INSERT); if the INSERT (or anything else in the save) fails, the
    stored file is removed, so no file outlives the row that was meant to name it.
    Call it outside a longer transaction: a rollback after this returns cannot be
    seen here.
    """
    fieldfile = getattr(instance, field)
    fieldfile.save(fieldfile.name, fieldfile.file, save=False)
    try:
        with transaction.atomic():
            instance.save()
    except BaseException:
        fieldfile.storage.delete(fieldfile.name)
        raise
