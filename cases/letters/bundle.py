"""The evidence bundle: an evidence index's PDF followed by the evidence files it lists.

Built in two halves so the costly one can run where a render runs, in the worker's
limited child (``letters.render_worker``): ``bundle_parts`` asks the database which
files go in (in the worker), ``merge_bundle`` reads and merges them and touches no
database (in the child, under the same time and memory limits as a letter).
"""

import io
import logging
from dataclasses import dataclass

from ..models import Evidence, Letter, private_storage

logger = logging.getLogger(__name__)

A4_POINTS = (595.28, 841.89)
PRINT_PIXELS = (2480, 3508)  # A4 at 300 dpi


def load_libraries() -> None:
    """Import what ``merge_bundle`` uses, Pillow's format plugins included, before the
    limited child is forked: an import that ran out of memory inside the child would fail as
    something else (Pillow reports a plugin it could not load as an unknown format, a
    ``KeyError``) instead of as the limit it reached."""
    import pypdf.generic  # noqa: F401
    from PIL import Image

    Image.init()


def _out_of_memory(exc: OSError) -> bool:
    """Pillow reports a decoder that could not allocate as an ``OSError`` ("out of memory"),
    which would otherwise read as a damaged file and be left out of the bundle quietly."""
    return "out of memory" in str(exc).lower()


@dataclass(frozen=True)
class BundlePart:
    evidence_id: int
    name: str  # in the evidence files' storage
    content_type: str


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


def bundle_parts(letter: Letter) -> list[BundlePart]:
    """The printable evidence files the index lists, in index order, as they were when the
    index was generated: one whose content changed since (different SHA-256) or that was
    deleted is left out, not swapped."""
    rows = [row for row in letter.snapshot.get("evidence", []) if row.get("pages")]
    files = Evidence.objects.filter(case_id=letter.case_id, pk__in=[row["id"] for row in rows]).in_bulk()
    parts = []
    for row in rows:
        item = files.get(row["id"])
        if item is None or item.sha256 != row["sha256"]:
            logger.warning("evidence %s changed or deleted since the index was made; left out", row["id"])
            continue
        parts.append(BundlePart(item.pk, item.file.name, item.content_type))
    return parts


def merge_bundle(index_pdf: bytes, parts: list[BundlePart]) -> bytes:
    """The index followed by each part's pages; no database (it runs in the render's child)."""
    from PIL import Image
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError
    from pypdf.generic import NameObject, TextStringObject

    storage = private_storage()
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(index_pdf)))
    for part in parts:
        with storage.open(part.name, "rb") as fh:
            data = fh.read()
        try:
            if part.content_type == "application/pdf":
                writer.append(PdfReader(io.BytesIO(data)))
            else:
                writer.append(PdfReader(io.BytesIO(_image_pdf(data))))
        except OSError as exc:
            if _out_of_memory(exc):
                raise MemoryError(str(exc)) from exc  # the limit, not a damaged file
            logger.warning("evidence %s could not be added to the bundle", part.evidence_id)
        except (PdfReadError, ValueError, Image.DecompressionBombError):
            logger.warning("evidence %s could not be added to the bundle", part.evidence_id)
    meta = PdfReader(io.BytesIO(index_pdf)).metadata or {}
    writer.add_metadata({key: meta[key] for key in ("/Title", "/Author") if key in meta})
    writer.root_object[NameObject("/Lang")] = TextStringObject("zh-CN")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

