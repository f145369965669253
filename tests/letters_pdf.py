"""Reading a letter PDF back, for the letters tests and the bench."""

import io
import re

from pypdf import PdfReader

CJK_FACES = ("Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC")


def fonts_of(reader: PdfReader) -> dict:
    """BaseFont name -> font dict, over every page."""
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    return fonts


def is_embedded(font) -> bool:
    descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
    descriptor = descendant["/FontDescriptor"].get_object()
    return any(key.startswith("/FontFile") for key in descriptor)


def uses_notdef(font) -> bool:
    """WeasyPrint maps each glyph it drew back to text; glyph 0 (.notdef) or
    Pango's "unknown glyph" (0xFFFF once truncated) there is a character the font
    could not draw: an empty box on paper."""
    if "/ToUnicode" not in font:
        return False
    cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    mappings = "".join(re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.DOTALL))
    mappings += "".join(re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.DOTALL))
    return re.search(r"^\s*<(0000|ffff)>", mappings, re.MULTILINE) is not None


def read_pdf(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def plain_text(reader: PdfReader) -> str:
    """All text with whitespace removed, so a sentence can be found across line breaks."""
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def printed_letter(case, kind: str, lender: str | None = None):
    """The letter ``generate`` makes now, rendered to its PDF and read back: (plain text, its snapshot)."""
    from cases.letters import pdf, versions

    letter = versions.generate(case, kind, lender)
    with versions.storage().open(pdf.ensure_pdf(letter), "rb") as fh:
        return plain_text(read_pdf(fh.read())), letter.snapshot
