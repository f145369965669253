"""Small CJK font subsets for WeasyPrint.

Checked against WeasyPrint 70.0; any other major version, or ``LETTERS_COMPACT_FONTS``
off, and ``compact_fonts()`` does nothing: WeasyPrint subsets fonts its own way.

WeasyPrint subsets fonts with HarfBuzz but keeps the original glyph ids
(RETAIN_GIDS): glyph ids are written into the page content while drawing, before
the fonts are subset. A CJK face has ~65,000 glyphs and the ones used sit high in
that range, so each subset keeps tens of thousands of empty slots (CFF index,
hmtx, vmtx), and HarfBuzz makes two passes over the whole face
(docs/performance.md has the sizes and times).

While ``compact_fonts()`` is active, a font is subset in one pass to the glyphs
used, numbered 1..n in their original order (HarfBuzz keeps the order and puts
.notdef at 0), its widths and text map are renumbered alike, and ``renumber_glyphs``
(a ``write_pdf`` finisher) rewrites the glyph ids in the content streams. A font
with glyphs missing is left to WeasyPrint's own subsetting.

This leans on WeasyPrint internals (``Font._harfbuzz_subset``, ``get_hb_object_data``,
the ``[<hex>] TJ`` text it writes), hence the version check and the switch; the
letters tests render every kind and compare the text and the glyphs drawn, and CI
runs the suite once with the switch off (docs/decisions/011, 012).
"""

import array
import contextlib
import contextvars
import logging
import re
import struct
import sys
import importlib.metadata
from functools import cache

from django.conf import settings

logger = logging.getLogger(__name__)

# The WeasyPrint major version whose internals this was checked against.
CHECKED_WEASYPRINT = "70"

_active = contextvars.ContextVar("compact_fonts", default=False)

_DROP_TABLES = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT",
                b"SVG ", b"VORG", b"vhea", b"vmtx")
_TF = re.compile(rb"^/(\S+) \S+ Tf$")
_HEX = re.compile(rb"<([0-9a-f]*)>")


def weasyprint_version() -> str:
    return importlib.metadata.version("weasyprint")


def checked_version(installed: str) -> bool:
    """Whether ``installed`` (WeasyPrint's version string) is the series this was checked against."""
    return installed.split(".")[0] == CHECKED_WEASYPRINT


@cache
def _refuse(installed: str) -> None:
    logger.warning(
        "WeasyPrint %s is not the version the compact font subsetting was checked against (%s.x): "
        "letters use WeasyPrint's own font subsetting.", installed, CHECKED_WEASYPRINT)


def enabled() -> bool:
    """The switch is on and the installed WeasyPrint is one this was checked against."""
    if not settings.LETTERS_COMPACT_FONTS:
        return False
    installed = weasyprint_version()
    if checked_version(installed):
        return True
    _refuse(installed)
    return False


@cache
def _install() -> None:
    from weasyprint.pdf import fonts

    original = fonts.Font._harfbuzz_subset
    read = fonts.get_hb_object_data  # the real reader, before _install_lazy_face_data defers it

    def subset(self, to_unicode, hinting):
        if not (_active.get() and not self.missing and _compact(self, fonts, to_unicode, read)):
            return original(self, to_unicode, hinting)

    fonts.Font._harfbuzz_subset = subset
    _install_lazy_face_data(fonts)


class _WholeFace:
    """A face's bytes, not yet copied out of HarfBuzz (holding the face keeps it alive)."""

    __slots__ = ("face", "_read")

    def __init__(self, face, read):
        self.face, self._read = face, read

    def read(self) -> bytes:
        return self._read(self.face)


def _install_lazy_face_data(fonts) -> None:
    """Each ``Font`` WeasyPrint makes copies its whole face into Python (a whole CJK
    collection, four per letter) although only the subset is embedded. While ``compact_fonts()`` is
    active the copy is deferred: ``Font.file_content`` holds a ``_WholeFace`` and
    reads the bytes only if something asks for them before the subset replaces
    them (WeasyPrint's own fallbacks: a failed subset embeds the whole face)."""
    read = fonts.get_hb_object_data

    def face_data(hb_object, ot_color=None, glyph=None):
        if ot_color is None and _active.get():
            return _WholeFace(hb_object, read)
        return read(hb_object, ot_color, glyph)

    def get_content(self):
        content = self.__dict__["_file_content"]
        if isinstance(content, _WholeFace):
            content = self.__dict__["_file_content"] = content.read()
        return content

    def set_content(self, content):
        self.__dict__["_file_content"] = content

    fonts.get_hb_object_data = face_data
    fonts.Font.file_content = property(get_content, set_content)


def _compact(font, fonts, to_unicode, read) -> bool:
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
    content = read(face)
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


def _read_index(data: bytes, pos: int):
    """A CFF INDEX at ``pos``: (list of (start, end) of its items, position after it)."""
    count = struct.unpack_from(">H", data, pos)[0]
    if count == 0:
        return [], pos + 2
    off_size = data[pos + 2]
    offsets_at = pos + 3
    offsets = [int.from_bytes(data[offsets_at + i * off_size:offsets_at + (i + 1) * off_size], "big")
               for i in range(count + 1)]
    base = offsets_at + (count + 1) * off_size - 1
    return [(base + offsets[i], base + offsets[i + 1]) for i in range(count)], base + offsets[-1]


def _read_dict(data: bytes) -> dict[int, list]:
    """A CFF DICT: operator (12 x as 1200 + x) -> operands; real numbers are skipped as None."""
    entries, operands, i = {}, [], 0
    while i < len(data):
        b = data[i]
        if b <= 21:
            op = 1200 + data[i + 1] if b == 12 else b
            i += 2 if b == 12 else 1
            entries[op], operands = operands, []
        elif b == 28:
            operands.append(struct.unpack_from(">h", data, i + 1)[0]); i += 3
        elif b == 29:
            operands.append(struct.unpack_from(">i", data, i + 1)[0]); i += 5
        elif b == 30:  # real: nibbles up to an 0xf
            i += 1
            while data[i] & 0x0F != 0x0F and data[i] >> 4 != 0x0F:
                i += 1
            i += 1
            operands.append(None)
        elif b <= 246:
            operands.append(b - 139); i += 1
        elif b <= 250:
            operands.append((b - 247) * 256 + data[i + 1] + 108); i += 2
        elif b <= 254:
            operands.append(-(b - 251) * 256 - data[i + 1] - 108); i += 2
        else:
            raise ValueError("reserved byte in a CFF DICT")
    return entries


def _read_charset(data: bytes, pos: int, glyphs: int) -> tuple[list[int], int]:
    """The CIDs of glyphs 1..n-1 from a CFF charset at ``pos``, and the charset's length."""
    fmt, cids, i = data[pos], [], pos + 1
    if fmt == 0:
        cids = list(struct.unpack_from(f">{glyphs - 1}H", data, i))
        return cids, 1 + 2 * (glyphs - 1)
    if fmt not in (1, 2):
        raise ValueError("unknown CFF charset format")
    while len(cids) < glyphs - 1:
        first = struct.unpack_from(">H", data, i)[0]
        left = data[i + 2] if fmt == 1 else struct.unpack_from(">H", data, i + 2)[0]
        cids.extend(range(first, first + left + 1))
        i += 3 if fmt == 1 else 4
    return cids, i - pos


def _checksum(data: bytes) -> int:
    """The OpenType checksum: the sum of the big-endian 32-bit words, zero-padded."""
    words = array.array("I", data + b"\0" * (-len(data) % 4))
    if sys.byteorder == "little":
        words.byteswap()
    return sum(words) & 0xFFFFFFFF


def _identity_cids(content: bytes):
    """Number the subset's CIDs 0..n-1 like its glyphs.

    HarfBuzz keeps each glyph's original CID in a CID-keyed CFF charset. Viewers
    differ on whether they pick a CFF glyph by CID (through the charset) or by
    glyph id, so the two are made equal: then every reading draws the same glyph.
    The charset is rewritten in place as one range (CIDs 1..n-1), which is never
    longer than the charset it replaces, and the table and font checksums are
    recomputed; nothing else in the font changes.

    Returns the new font bytes and, for each glyph kept, its old id -> its new id
    (a CJK face's CID is its glyph id), or None for a font this does not handle
    (not CID-keyed CFF).
    """
    font = bytearray(content)
    tables = {}
    count = struct.unpack_from(">H", font, 4)[0]
    for i in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", font, 12 + 16 * i)
        tables[tag] = (12 + 16 * i, offset, length)
    if b"CFF " not in tables or b"head" not in tables:
        return None
    record, start, length = tables[b"CFF "]
    cff = bytes(font[start:start + length])
    _, after_names = _read_index(cff, cff[2])
    top_dicts, _ = _read_index(cff, after_names)
    top = _read_dict(cff[slice(*top_dicts[0])])
    if 1230 not in top or 15 not in top or 17 not in top:  # ROS, charset, CharStrings
        return None
    glyphs = struct.unpack_from(">H", cff, top[17][0])[0]  # the CharStrings INDEX count
    charset = top[15][0]
    if glyphs < 2 or charset < 3:  # nothing to renumber, or a predefined (non-CID) charset
        return None
    cids, old_length = _read_charset(cff, charset, glyphs)
    new_id = {0: 0, **{cid: new for new, cid in enumerate(cids, start=1)}}
    new = struct.pack(">BHH", 2, 1, glyphs - 2) if glyphs > 2 else struct.pack(">BH", 0, 1)
    if len(new) > old_length:
        return None
    font[start + charset:start + charset + len(new)] = new
    struct.pack_into(">I", font, record + 4, _checksum(bytes(font[start:start + length])))
    head_record, head, _ = tables[b"head"]
    struct.pack_into(">I", font, head + 8, 0)
    struct.pack_into(">I", font, head_record + 4, _checksum(bytes(font[head:head + tables[b"head"][2]])))
    struct.pack_into(">I", font, head + 8, (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF)
    return bytes(font), new_id


@contextlib.contextmanager
def compact_fonts():
    """Compact subsets for the renders inside; yields whether they are on (pass
    ``renumber_glyphs`` as the finisher only then)."""
    if not enabled():
        yield False
        return
    _install()
    token = _active.set(True)
    try:
        yield True
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
