"""A letter version's PDF: ``ensure_pdf`` renders it with WeasyPrint once per
content hash and variant (draft or final) and keeps it in private storage, so
the same content is never rendered twice.
"""

import os
import re
from functools import cache, lru_cache
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.base import ContentFile

from ..models import Letter
from .bundle import bundle_parts, load_libraries, merge_bundle
from .compact_fonts import compact_fonts, renumber_glyphs
from .stored import drop_unowned_pdfs, html_for, pdf_name, storage

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
    """A static stylesheet parsed once per process (not on every render), until the file changes."""
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
    with compact_fonts() as compact:
        laid_out = document.render(font_config=font_config(), stylesheets=stylesheets, full_fonts=False)
        # Checked after layout and before drawing, the costly half: hundreds of pages of one
        # case's log would tie up the worker and print nothing anyone reads (issue 16).
        limit = settings.LETTER_MAX_PAGES
        if len(laid_out.pages) > limit:
            raise LetterTooLong(len(laid_out.pages), limit)
        return laid_out.write_pdf(finisher=renumber_glyphs if compact else None, stylesheets=stylesheets,
                                  full_fonts=False)


def _store(name: str, data: bytes) -> str:
    """Store complete bytes under ``name`` (the storage publishes a file whole or not at all)."""
    saved = storage().save(name, ContentFile(data))
    if saved != name:  # rendered concurrently by another worker: keep theirs
        storage().delete(saved)
    return name


def _here(func, *args):
    return func(*args)


def ensure_pdf(letter: Letter, *, bundle: bool = False, within=None) -> str:
    """The storage name of this version's PDF, rendering it only if no PDF with
    the same content hash and variant exists yet.

    The PDF is rendered whole in memory, then stored, and only then does the
    Letter row name it: a failure on the way stores nothing and changes no row.
    If the version was refreshed or deleted while rendering, the new file is
    dropped again rather than left without a row. ``within(func, *args)`` runs the
    costly work, the letter's render or the bundle's merge: here, unless the worker runs
    it within its time and memory limits (``letters.render_worker.within_limits``).
    """
    within = within or _here
    name = pdf_name(letter, bundle=bundle)
    if not storage().exists(name):
        if bundle:
            with storage().open(ensure_pdf(letter, within=within), "rb") as fh:
                index = fh.read()
            load_libraries()
            data = within(merge_bundle, index, bundle_parts(letter))
        else:
            data = within(render_pdf, html_for(letter))
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
