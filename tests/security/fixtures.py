"""Small real files for the upload tests: audio that parses, made in code."""

import struct


def mp3_bytes(frames: int = 40) -> bytes:
    """MPEG-1 Layer III, 128 kbit/s, 44.1 kHz: each frame 144 × 128000 / 44100 = 417 bytes (no padding)."""
    frame = b"\xff\xfb\x90\x00" + bytes(413)
    return b"ID3\x03\x00\x00\x00\x00\x00\x00" + frame * frames


def _atom(name: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + name + payload


def m4a_bytes(seconds: int = 3) -> bytes:
    """An M4A with one sound track (what a phone's recorder writes, less the samples)."""
    mdhd = _atom(b"mdhd", b"\x00\x00\x00\x00" + struct.pack(">IIII", 0, 0, 44100, 44100 * seconds) + b"\x55\xc4\x00\x00")
    hdlr = _atom(b"hdlr", b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00" + b"soun" + bytes(12) + b"SoundHandler\x00")
    mvhd = _atom(b"mvhd", b"\x00\x00\x00\x00" + struct.pack(">IIII", 0, 0, 1000, 1000 * seconds) + bytes(80))
    moov = _atom(b"moov", mvhd + _atom(b"trak", _atom(b"mdia", mdhd + hdlr)))
    return _atom(b"ftyp", b"M4A \x00\x00\x00\x00M4A isommp42") + moov + _atom(b"mdat", bytes(64))


def amr_bytes(frames: int = 50) -> bytes:
    """AMR-NB 12.2 kbit/s frames (type 7: a header byte 0x3c and 31 bytes of speech)."""
    return b"#!AMR\n" + (b"\x3c" + bytes(31)) * frames
