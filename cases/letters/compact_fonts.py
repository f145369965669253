"""Small CJK font subsets for WeasyPrint.

WeasyPrint subsets fonts with HarfBuzz but keeps the original glyph ids
(RETAIN_GIDS): glyph ids are written into the page content while drawing, before
the fonts are subset. A CJK face has ~65,000 glyphs and the ones used sit high in
that range, so each subset keeps tens of thousands of empty slots (CFF index,
hmtx, vmtx): ~110-150 KB per face compressed, and two HarfBuzz passes over the
whole face.

While ``compact_fonts()`` is active, a font is subset in one pass to the glyphs
used, numbered 1..n in their original order (HarfBuzz keeps the order and puts
.notdef at 0), its widths and text map are renumbered alike, and ``renumber_glyphs``
(a ``write_pdf`` finisher) rewrites the glyph ids in the content streams. A font
with glyphs missing is left to WeasyPrint's own subsetting.

This leans on WeasyPrint internals (``Font._harfbuzz_subset``, the ``[<hex>] TJ``
text it writes): pinned by ``weasyprint>=70,<71`` and checked by the letters tests,
which render every kind and compare the text and the glyphs drawn.
"""

import contextlib
import contextvars
import io
import re
from functools import cache

_active = contextvars.ContextVar("compact_fonts", default=False)

_DROP_TABLES = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT",
                b"SVG ", b"VORG", b"vhea", b"vmtx")
_TF = re.compile(rb"^/(\S+) \S+ Tf$")
_HEX = re.compile(rb"<([0-9a-f]*)>")


@cache
def _install() -> None:
    from weasyprint.pdf import fonts

    original = fonts.Font._harfbuzz_subset

    def subset(self, to_unicode, hinting):
        if not _active.get() or self.missing:
            return original(self, to_unicode, hinting)
        if not _compact(self, fonts, to_unicode):
            return original(self, to_unicode, hinting)

    fonts.Font._harfbuzz_subset = subset


def _compact(font, fonts, to_unicode) -> bool:
    ffi, harfbuzz, harfbuzz_subset = fonts.ffi, fonts.harfbuzz, fonts.harfbuzz_subset
    used = sorted(set(to_unicode) | {0})
    plan = ffi.gc(harfbuzz_subset.hb_subset_input_create_or_fail(), harfbuzz_subset.hb_subset_input_destroy)
    glyphs = harfbuzz_subset.hb_subset_input_glyph_set(plan)
    harfbuzz.hb_set_add_sorted_array(glyphs, ffi.new(f"hb_codepoint_t[{len(used)}]", used), len(used))
    harfbuzz_subset.hb_subset_input_set_flags(
        plan,
        harfbuzz_subset.HB_SUBSET_FLAGS_DESUBROUTINIZE
        | harfbuzz_subset.HB_SUBSET_FLAGS_NO_HINTING
        | harfbuzz_subset.HB_SUBSET_FLAGS_NO_LAYOUT_CLOSURE,
    )
    drop = harfbuzz_subset.hb_subset_input_set(plan, harfbuzz_subset.HB_SUBSET_SETS_DROP_TABLE_TAG)
    tags = tuple(harfbuzz.hb_tag_from_string(name, -1) for name in _DROP_TABLES)
    harfbuzz.hb_set_add_sorted_array(drop, ffi.new(f"hb_codepoint_t[{len(tags)}]", tags), len(tags))
    face = harfbuzz_subset.hb_subset_or_fail(font.hb_face, plan)
    if face == ffi.NULL:
        return False
    face = ffi.gc(face, harfbuzz.hb_face_destroy)
    content = fonts.get_hb_object_data(face)
    if not content:
        return False
    renumbered = _identity_cids(content)
    if renumbered is None:
        return False
    content, new_id = renumbered
    if not set(used) <= set(new_id):
        return False
    font.file_content = content
    font.widths = {new_id[g]: w for g, w in font.widths.items() if g in new_id}
    font.to_unicode = {new_id[g]: t for g, t in font.to_unicode.items() if g in new_id}
    font.glyph_renumbering = new_id
    return True


def _identity_cids(content: bytes):
    """Number the subset's CIDs 0..n-1 like its glyphs, and say which old glyph
    each new one is.

    HarfBuzz keeps each glyph's original CID in a CID-keyed CFF charset. Viewers
    differ on whether they pick a CFF glyph by CID (through the charset) or by
    glyph id, so the two are made equal: then every reading draws the same glyph.
    Returns None for fonts this does not handle (not CID-keyed CFF).
    """
    from fontTools.ttLib import TTFont

    # No recalculation on save: that would decompile every charstring to measure it.
    font = TTFont(io.BytesIO(content), recalcBBoxes=False, recalcTimestamp=False)
    if "CFF " not in font:
        return None
    top = font["CFF "].cff.topDictIndex[0]
    if not hasattr(top, "ROS"):
        return None
    order = font.getGlyphOrder()
    if not all(name.startswith("cid") for name in order[1:]):
        return None
    new_id = {0: 0, **{int(name[3:]): new for new, name in enumerate(order[1:], start=1)}}
    new_order = [".notdef", *(f"cid{new:05d}" for new in range(1, len(order)))]
    rename = dict(zip(order, new_order))
    for name in ("hmtx", "cmap", "maxp", "head", "hhea", "OS/2", "name", "post"):
        if name in font:
            font[name]  # decompile before the glyph names change
    charstrings = top.CharStrings
    charstrings.charStrings = {rename[name]: index for name, index in charstrings.charStrings.items()}
    top.charset = new_order
    font["hmtx"].metrics = {rename[name]: metric for name, metric in font["hmtx"].metrics.items()}
    cmap = font["cmap"]
    cmap.tables = [table for table in cmap.tables if table.format != 14]  # variation selectors: unused
    for table in cmap.tables:
        table.cmap = {code: rename[name] for code, name in table.cmap.items()}
    font.setGlyphOrder(new_order)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue(), new_id


@contextlib.contextmanager
def compact_fonts():
    _install()
    token = _active.set(True)
    try:
        yield
    finally:
        _active.reset(token)


def renumber_glyphs(document, pdf) -> None:
    """``write_pdf`` finisher: rewrite old glyph ids in text operators to the new ones."""
    import pydyf

    maps = {  # keyed by the resource name the content streams select fonts by
        str(font.hash): font.glyph_renumbering
        for font in document.fonts.values()
        if getattr(font, "glyph_renumbering", None)
    }
    if not maps:
        return
    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Stream):
            continue
        current = None
        items = obj.stream
        for i, item in enumerate(items):
            if not isinstance(item, bytes):
                continue
            if item.endswith(b" Tf"):
                match = _TF.match(item)
                current = maps.get(match.group(1).decode()) if match else None
            elif current is not None and item.endswith(b"] TJ"):
                items[i] = _HEX.sub(lambda m, table=current: b"<" + _renumber(m.group(1), table) + b">", item)


def _renumber(hex_ids: bytes, table: dict) -> bytes:
    return b"".join(
        b"%04x" % table[int(hex_ids[i:i + 4], 16)] for i in range(0, len(hex_ids), 4)
    )
