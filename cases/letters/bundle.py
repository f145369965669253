"""The evidence bundle: an evidence index's PDF followed by the evidence files it lists."""

import io
import logging

from ..models import Evidence, Letter

logger = logging.getLogger(__name__)

A4_POINTS = (595.28, 841.89)


def _image_pdf(data: bytes) -> bytes:
    """One A4 page holding the image, scaled to fit with a margin."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
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
