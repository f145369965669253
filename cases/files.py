"""Private files: serving them, saving a row with its file, and checking that
the stored files and the rows naming them agree. (The storage backend that
writes a file whole or not at all is cases/storage.py.)

Serving: the one helper every view that sends a stored file uses,
after it has checked who may see it (evidence for the owner and for staff,
letter PDFs and bundles, the data export, the admin's previews).

Browsers may show a few types inline, and only where the caller asks for a
preview; everything else is a download, so an uploaded HTML or SVG file can
never run in our origin. Every file is sent with ``nosniff``, ``no-store`` and a
policy of its own that loads nothing and runs nothing.
"""

import re
from collections.abc import Iterator

from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest

from .models import Evidence, Letter, private_storage
from .storage import PARTIAL_PREFIX

IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
PDF_TYPES = frozenset({"application/pdf"})
# The only types a browser may ever show inline.
SAFE_INLINE_TYPES = IMAGE_TYPES | PDF_TYPES

# Types we checked by content (evidence) or made ourselves (letters, the export):
# a download keeps its type so a phone opens it in the right app; any other type
# becomes application/octet-stream.
KNOWN_TYPES = SAFE_INLINE_TYPES | {"image/heic", "audio/mpeg", "audio/mp4", "audio/amr", "application/zip"}

# A file is content, never a page: it loads nothing, runs nothing (sandbox), and
# only our own pages may frame it (the admin previews).
# The header is set here, so Django's CSP middleware leaves it as it is.
FILE_CSP = "default-src 'none'; img-src 'self'; frame-ancestors 'self'; sandbox"
# Chrome shows a PDF through an internal <embed> with inline styles, which a
# stricter policy (or a sandbox) blanks (crbug.com/271452): a PDF shown inline
# is only kept from being framed by others. PDFs are inline only where a
# caller asks for it (the reviewers' preview); users download theirs.
INLINE_PDF_CSP = "frame-ancestors 'self'"


def _open(source):
    """A binary handle on a FieldFile, a name in private storage, or an open file."""
    try:
        if isinstance(source, FieldFile):
            if not source.name:
                raise Http404
            return source.open("rb")
        if isinstance(source, str):
            if not source:
                raise Http404
            return private_storage().open(source, "rb")
    except FileNotFoundError:
        raise Http404 from None
    return source


def serve_private_file(
    request: HttpRequest, source, filename: str, content_type: str, *, inline: frozenset[str] = IMAGE_TYPES
) -> FileResponse:
    """A response sending ``source`` as ``filename``; it never reveals where the file is stored.

    ``inline``: the types the caller wants shown in the browser (a preview); of
    those, only ``SAFE_INLINE_TYPES`` are. Pass ``frozenset()`` for a download.
    """
    handle = _open(source)
    content_type = (content_type or "").split(";")[0].strip().lower()
    show_inline = content_type in inline and content_type in SAFE_INLINE_TYPES
    response = FileResponse(
        handle,
        as_attachment=not show_inline,
        filename=filename,
        content_type=content_type if content_type in KNOWN_TYPES else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Content-Security-Policy"] = INLINE_PDF_CSP if show_inline and content_type in PDF_TYPES else FILE_CSP
    return response


# --- Do the files in private storage and the rows that name them agree? ---------
#
# ``orphaned_files`` lists stored files no row accounts for (a crash after a
# write, a leftover partial write); ``dangling_rows`` lists rows naming a file
# that is not there. Both should always be empty; the crash tests and
# ``manage.py check_storage`` ask them.
#
# A letter's PDFs are a cache keyed by content: ``letters/<case>/<hash>-<draft|final>[-bundle].pdf``
# belongs to any letter version of that case with that content hash, whether or
# not ``Letter.pdf`` names it yet.

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
