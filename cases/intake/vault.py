"""Checks on an uploaded evidence file before it is stored.

The type is decided by the file's content (puremagic), never by its name or the
browser's claim; images must open in Pillow within a pixel limit; PDFs must
open in pypdf. Each check raises ``Rejected`` with a message for the user.
"""

import hashlib
import io
import os
import unicodedata
import warnings
from dataclasses import dataclass

import puremagic
from django.conf import settings
from django.utils.translation import gettext as _
import pillow_heif
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError

# Sniffed extension -> the content type we store and serve.
ACCEPTED_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".jfif": "image/jpeg", ".jpe": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".heic": "image/heic", ".heif": "image/heic",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4", ".f4a": "audio/mp4",
    ".amr": "audio/amr",
}
PILLOW_TYPES = {"image/jpeg", "image/png", "image/webp", "image/heic"}
# iPhones save photos as HEIC: Pillow opens and verifies them through pillow-heif (libheif).
pillow_heif.register_heif_opener()
# What is shown in the browser and what is downloaded: cases.files.serve_private_file.
# A phone photo is 12–50 million pixels; anything far beyond is a decompression bomb.
MAX_IMAGE_PIXELS = 80_000_000
SNIFF_BYTES = 8192
# A long bank statement runs to a few hundred pages; more is not evidence anyone will read,
# and it would swell the evidence bundle (and overflow Evidence.pages).
MAX_PDF_PAGES = 1000


class Rejected(Exception):
    pass


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    sha256: str
    size: int
    pages: int | None
    original_name: str


def clean_filename(name: str) -> str:
    """The last part of whatever path the browser sent, without control characters."""
    name = (name or "").replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    if len(name) > 200:
        stem, ext = os.path.splitext(name)
        name = stem[: 200 - len(ext[:20])] + ext[:20]
    return name or "file"


def sniff(head: bytes) -> str | None:
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):  # an MP3 frame without an ID3 tag
        return "audio/mpeg"
    try:
        matches = puremagic.magic_string(head)
    except puremagic.PureError:
        return None
    for match in matches:
        if match.extension.lower() in ACCEPTED_TYPES:
            return ACCEPTED_TYPES[match.extension.lower()]
    return None


def _check_image(data: io.BytesIO) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(data) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise Rejected(_("This image is too large in pixels to check safely. Please send a smaller photo or a screenshot."))
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Rejected(_("This image is too large in pixels to check safely. Please send a smaller photo or a screenshot.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise Rejected(_("This image seems damaged: it could not be opened.")) from None


def _count_pages(reader: PdfReader) -> int:
    """Walk the page tree, giving up past MAX_PDF_PAGES: pypdf's own count reads
    every page object first, which a small file with tens of thousands of pages
    makes take seconds. Loops in the tree count as damage."""
    count = 0
    seen: set[int] = set()
    stack = [reader.trailer["/Root"].get_object()["/Pages"]]
    while stack:
        ref = stack.pop()
        key = getattr(ref, "idnum", None)
        if key is not None:
            if key in seen:
                raise ValueError("a loop in the page tree")
            seen.add(key)
        node = ref.get_object()
        if "/Kids" in node:
            stack.extend(reversed(node["/Kids"].get_object()))
            if len(seen) > 4 * MAX_PDF_PAGES:
                raise TooManyPages
        else:
            count += 1
            if count > MAX_PDF_PAGES:
                raise TooManyPages
    return count


class TooManyPages(Exception):
    pass


def _pdf_pages(data: io.BytesIO) -> int:
    try:
        reader = PdfReader(data)
        if reader.is_encrypted:
            raise Rejected(_("This PDF is protected by a password. Please upload a copy without a password."))
        pages = _count_pages(reader)
        if pages == 0:
            raise ValueError("no pages")
        return pages
    except Rejected:
        raise
    except TooManyPages:
        raise Rejected(
            _("This PDF has more than %(limit)s pages. Please upload only the pages that matter for your case.")
            % {"limit": MAX_PDF_PAGES}
        ) from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError):
        raise Rejected(_("This PDF seems damaged: it could not be opened.")) from None


def check_upload(upload, used_bytes: int) -> CheckedFile:
    """Validate an UploadedFile for a case that already stores ``used_bytes``."""
    size = upload.size or 0
    if size == 0:
        raise Rejected(_("The file is empty."))
    limit = settings.EVIDENCE_MAX_FILE_BYTES
    if size > limit:
        raise Rejected(
            _("The file is %(size)s MB; the limit is %(limit)s MB per file.")
            % {"size": f"{size / 1048576:.1f}", "limit": f"{limit / 1048576:.0f}"}
        )
    quota = settings.EVIDENCE_CASE_QUOTA_BYTES
    if used_bytes + size > quota:
        raise Rejected(
            _("This case already stores %(used)s MB of evidence; the limit is %(quota)s MB. Delete files you do not need first.")
            % {"used": f"{used_bytes / 1048576:.1f}", "quota": f"{quota / 1048576:.0f}"}
        )
    digest = hashlib.sha256()
    buffer = io.BytesIO()
    for chunk in upload.chunks():
        digest.update(chunk)
        buffer.write(chunk)
    buffer.seek(0)
    content_type = sniff(buffer.getvalue()[:SNIFF_BYTES])
    if content_type is None:
        raise Rejected(_("This kind of file is not accepted. Please upload a PDF, a photo (JPEG, PNG, HEIC, WebP) or a recording (MP3, M4A, AMR)."))
    pages = None
    if content_type in PILLOW_TYPES:
        _check_image(buffer)
    elif content_type == "application/pdf":
        pages = _pdf_pages(buffer)
    upload.seek(0)
    return CheckedFile(content_type, digest.hexdigest(), size, pages, clean_filename(upload.name))
