"""Letter versions and their PDFs.

``generate`` freezes a kind's snapshot of the case into a Letter version;
``ensure_pdf`` renders a version's PDF once per content hash and variant (draft
or final) and keeps it in private storage, so the same content is never
rendered twice.
"""

import hashlib
import io
import logging
import os
import re
from functools import cache, lru_cache
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .. import audit
from ..models import Evidence, Letter, private_storage
from .compact_fonts import compact_fonts, renumber_glyphs
from .context import build_snapshot, case_for_letters, chosen_proposal
from .kinds import KINDS, Missing

logger = logging.getLogger(__name__)

# Counts real WeasyPrint renders in this process: the cache test and the bench read it.
RENDER_COUNT = 0

# URLs inside letter HTML resolve against this made-up origin; the fetcher below
# serves our own static files for it and refuses everything else, so nothing in
# a letter (user text included) can make the renderer read files or the network.
BASE_URL = "https://letter.invalid/"


class LetterTooLong(Exception):
    """The laid-out letter has more pages than ``LETTER_MAX_PAGES``: it is not printed."""

    def __init__(self, pages: int, limit: int):
        super().__init__(f"{pages} pages, limit {limit}")
        self.pages = pages
        self.limit = limit

    def __reduce__(self):  # it crosses from the render's child process to the worker
        return (LetterTooLong, (self.pages, self.limit))


class MissingData(Exception):
    def __init__(self, missing: list[Missing]):
        super().__init__(", ".join(str(m.what) for m in missing))
        self.missing = missing


def render_html(snapshot: dict, *, final: bool) -> str:
    """The letter as HTML, from its snapshot only: preview and PDF share it."""
    return render_to_string(KINDS[snapshot["kind"]].template, {"s": snapshot, "final": final})


def content_hash_of(html: str) -> str:
    return hashlib.sha256(html.encode()).hexdigest()


def generate(case, slug: str, by=None) -> Letter:
    """The current Letter version of ``slug`` for ``case``, made from the case as it is now.

    Same content as the latest version: that version is returned unchanged. A
    latest version still in draft is refreshed in place; one that was submitted,
    approved, sent or sent back is never touched: a new version follows it.
    """
    kind = KINDS[slug]
    case = case_for_letters(case.pk)
    missing = kind.missing(case)
    if missing:
        raise MissingData(missing)
    snapshot = build_snapshot(case, kind)
    html = render_html(snapshot, final=False)
    digest = content_hash_of(html)
    proposal = chosen_proposal(case)
    with transaction.atomic():
        latest = Letter.objects.select_for_update().filter(case=case, kind=slug).order_by("-version").first()
        if latest is not None and latest.content_hash == digest:
            return latest
        fields = {"snapshot": snapshot, "html": html, "content_hash": digest, "proposal": proposal, "pdf": "",
                  "generated_by": by}
        if latest is not None and latest.status == Letter.Status.DRAFT:
            old_hash = latest.content_hash
            for name, value in fields.items():
                setattr(latest, name, value)
            latest.created_at = timezone.now()
            latest.save(update_fields=[*fields, "created_at"])
            letter = latest
            # The refreshed draft's old PDFs would otherwise stay in storage with no row for them.
            transaction.on_commit(lambda: drop_unowned_pdfs(case.pk, old_hash))
        else:
            letter = Letter.objects.create(
                case=case, kind=slug, version=(latest.version + 1) if latest else 1, **fields
            )
        audit.record(by, "letter_generated", case=case, target=f"letter:{letter.pk}", kind=slug,
                     version=letter.version)
    return letter


# Exactly what letters/base.html prints for a draft. User text is escaped, so it
# can never contain this markup.
WATERMARK = '<div class="watermark" aria-hidden="true">草稿</div>'


def html_for(letter: Letter) -> str:
    """The HTML of this version as it prints now: the HTML frozen when it was
    generated, without the draft mark once the letter is final."""
    if not letter.is_final:
        return letter.html
    if WATERMARK in letter.html:
        return letter.html.replace(WATERMARK, "", 1)
    return render_html(letter.snapshot, final=True)


# --- PDF --------------------------------------------------------------------

def _stored_name(case_id: int, content_hash: str, *, final: bool, bundle: bool) -> str:
    variant = "final" if final else "draft"
    suffix = "-bundle" if bundle else ""
    return f"letters/{case_id}/{content_hash}-{variant}{suffix}.pdf"


def pdf_name(letter: Letter, *, bundle: bool = False) -> str:
    return _stored_name(letter.case_id, letter.content_hash, final=letter.is_final, bundle=bundle)


def storage():
    return private_storage()


def pdf_ready(letter: Letter, *, bundle: bool = False) -> bool:
    return storage().exists(pdf_name(letter, bundle=bundle))


@cache
def font_config():
    """One FontConfiguration for the process: fontconfig's font list is loaded once."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def _static_path(url: str) -> str | None:
    path = urlsplit(url).path
    static_prefix = "/" + settings.STATIC_URL.lstrip("/")
    if not path.startswith(static_prefix):
        return None
    relative = path[len(static_prefix):]
    if staticfiles_storage.exists(relative):
        return staticfiles_storage.path(relative)
    return finders.find(relative)


@cache
def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith(BASE_URL) or not (path := _static_path(url)):
                raise ValueError(f"letters load only our own static files, not {url}")
            with open(path, "rb") as fh:
                body = fh.read()
            return URLFetcherResponse(url, body, {"Content-Type": "text/css"})

    # One instance: building a URLFetcher loads the system's TLS certificates (~0.1 s).
    return StaticOnlyFetcher()


# The stylesheet link letters/base.html writes (the href differs with hashed static names).
_STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" href="([^"<>]+)">')


@lru_cache(maxsize=8)
def _stylesheet(path: str, modified: int):
    """A static stylesheet parsed once (~10 ms a render otherwise), until the file changes."""
    from weasyprint import CSS

    return CSS(filename=path, url_fetcher=_fetcher())


def _take_stylesheets(html: str) -> tuple[str, list]:
    """The HTML without its links to our own stylesheets, and those stylesheets
    parsed. They are given to WeasyPrint as user stylesheets, which cascade the
    same way here: a letter has no other author styles. A link to anything else
    is left in place for the fetcher to refuse."""
    sheets = []

    def take(match):
        path = _static_path(urljoin(BASE_URL, match.group(1)))
        if path is None:
            return match.group(0)
        sheets.append(_stylesheet(path, os.stat(path).st_mtime_ns))
        return ""

    return _STYLESHEET_LINK.sub(take, html), sheets


def render_pdf(html: str) -> bytes:
    """WeasyPrint with the shared FontConfiguration; fonts are subset (HarfBuzz) and
    embedded, never in full. Title, author and language come from the HTML head."""
    global RENDER_COUNT
    from weasyprint import HTML

    RENDER_COUNT += 1
    html, stylesheets = _take_stylesheets(html)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher())
    with compact_fonts():
        laid_out = document.render(font_config=font_config(), stylesheets=stylesheets, full_fonts=False)
        # Checked after layout and before drawing, the costly half: hundreds of pages of one
        # case's log would tie up the worker and print nothing anyone reads (issue 16).
        limit = settings.LETTER_MAX_PAGES
        if len(laid_out.pages) > limit:
            raise LetterTooLong(len(laid_out.pages), limit)
        return laid_out.write_pdf(finisher=renumber_glyphs, stylesheets=stylesheets, full_fonts=False)


def _store(name: str, data: bytes) -> str:
    """Store complete bytes under ``name`` (the storage publishes a file whole or not at all)."""
    saved = storage().save(name, ContentFile(data))
    if saved != name:  # rendered concurrently by another worker: keep theirs
        storage().delete(saved)
    return name


def _names_for(case_id: int, content_hash: str) -> list[str]:
    return [_stored_name(case_id, content_hash, final=final, bundle=bundle)
            for final in (False, True) for bundle in (False, True)]


def drop_unowned_pdfs(case_id: int, content_hash: str) -> None:
    """Delete the cached PDFs of this content unless some version of the case still has it."""
    if Letter.objects.filter(case_id=case_id, content_hash=content_hash).exists():
        return
    for name in _names_for(case_id, content_hash):
        storage().delete(name)


def ensure_pdf(letter: Letter, *, bundle: bool = False, render=None) -> str:
    """The storage name of this version's PDF, rendering it only if no PDF with
    the same content hash and variant exists yet.

    The PDF is rendered whole in memory, then stored, and only then does the
    Letter row name it: a failure on the way stores nothing and changes no row.
    If the version was refreshed or deleted while rendering, the new file is
    dropped again rather than left without a row. ``render`` (html -> bytes) is
    ``render_pdf`` unless the worker runs it within limits (``cases.renders``).
    """
    render = render or render_pdf
    name = pdf_name(letter, bundle=bundle)
    if not storage().exists(name):
        if bundle:
            with storage().open(ensure_pdf(letter, render=render), "rb") as fh:
                data = evidence_bundle(fh.read(), letter)
        else:
            data = render(html_for(letter))
        _store(name, data)
    current = Letter.objects.filter(pk=letter.pk, content_hash=letter.content_hash)
    if bundle:
        still_there = current.exists()
    else:
        still_there = letter.pdf.name == name and current.exists() or current.update(pdf=name) == 1
    if not still_there:
        drop_unowned_pdfs(letter.case_id, letter.content_hash)
        raise Letter.DoesNotExist(f"letter {letter.pk} changed or was deleted while its PDF was rendered")
    if not bundle:
        letter.pdf.name = name
    return name


# --- Evidence bundle ----------------------------------------------------------

A4_POINTS = (595.28, 841.89)
PRINT_PIXELS = (2480, 3508)  # A4 at 300 dpi


def _image_pdf(data: bytes) -> bytes:
    """One A4 page holding the image, scaled to fit with a margin."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        # An A4 page at 300 dpi needs no more pixels than this; shrinking first (in the image's
        # own mode, 1 bit for a scan) keeps the RGB copy small whatever the upload's size.
        image.draft("RGB", PRINT_PIXELS)
        image.thumbnail(PRINT_PIXELS)
        image = image.convert("RGB")
        # PDF resolution so the image fits inside A4 less 2 cm on each side.
        usable_w, usable_h = (A4_POINTS[0] - 113) / 72, (A4_POINTS[1] - 113) / 72
        dpi = max(image.width / usable_w, image.height / usable_h, 72)
        out = io.BytesIO()
        image.save(out, "PDF", resolution=dpi)
    return out.getvalue()


def evidence_bundle(index_pdf: bytes, letter: Letter) -> bytes:
    """The evidence index followed by every printable evidence file, in index order.

    Files are taken as they were when the index was generated: one whose content
    changed since (different SHA-256) or that was deleted is left out, not swapped.
    """
    from PIL import Image
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(index_pdf)))
    rows = [row for row in letter.snapshot.get("evidence", []) if row.get("pages")]
    files = Evidence.objects.filter(case_id=letter.case_id, pk__in=[row["id"] for row in rows]).in_bulk()
    for row in rows:
        item = files.get(row["id"])
        if item is None or item.sha256 != row["sha256"]:
            logger.warning("evidence %s changed or deleted since the index was made; left out", row["id"])
            continue
        with item.file.open("rb") as fh:
            data = fh.read()
        try:
            if item.content_type == "application/pdf":
                writer.append(PdfReader(io.BytesIO(data)))
            else:
                writer.append(PdfReader(io.BytesIO(_image_pdf(data))))
        except (PdfReadError, OSError, ValueError, Image.DecompressionBombError):
            logger.warning("evidence %s could not be added to the bundle", row["id"])
    meta = PdfReader(io.BytesIO(index_pdf)).metadata or {}
    writer.add_metadata({key: meta[key] for key in ("/Title", "/Author") if key in meta})
    writer.root_object[NameObject("/Lang")] = TextStringObject("zh-CN")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
