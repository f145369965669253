"""Serving private files: the one helper every view that sends a stored file uses,
after it has checked who may see it (evidence for the owner and for staff,
letter PDFs and bundles, the data export, the admin's previews).

Browsers may show a few types inline, and only where the caller asks for a
preview; everything else is a download, so an uploaded HTML or SVG file can
never run in our origin. Every file is sent with ``nosniff``, ``no-store`` and a
policy of its own that loads nothing and runs nothing.
"""

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest

from .models import private_storage

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
