"""Serving private files: only from views that have checked ownership.

Browsers may show a few types inline (a PDF, a photo); everything else is a
download, so an uploaded HTML or SVG file can never run in our origin.
"""

from django.http import FileResponse, Http404, HttpRequest
from django.utils.csp import CSP

SAFE_INLINE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png", "image/webp"})

# A file is content, never a page: it loads nothing and runs nothing. Our own
# pages may frame a PDF or a photo for a preview; no other site may.
FILE_CSP = {
    "default-src": [CSP.NONE],
    "img-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "object-src": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
}


def serve_private_file(
    request: HttpRequest, fieldfile, filename: str, content_type: str, *, inline: bool = True
) -> FileResponse:
    """A response for ``fieldfile`` named ``filename``; never reveals where it is stored."""
    if not fieldfile or not fieldfile.name:
        raise Http404
    try:
        handle = fieldfile.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = (content_type or "").split(";")[0].strip().lower()
    show_inline = inline and content_type in SAFE_INLINE_TYPES
    response = FileResponse(
        handle,
        as_attachment=not show_inline,
        filename=filename,
        content_type=content_type if show_inline else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    if show_inline:
        response["X-Frame-Options"] = "SAMEORIGIN"
    response._csp_config = FILE_CSP
    return response
