"""System checks for what the letters and the evidence vault need from the machine.

Each warning carries the exact command that fixes it.
"""

import ctypes
import ctypes.util
import os
import tempfile
from functools import cache
from pathlib import Path

import django
from django.conf import settings
from django.core.checks import Tags, Warning, register

from . import renderers
from .letters import compact_fonts

# The faces our print stylesheet names (STYLE.md: name the CJK family explicitly).
LETTER_FONTS = ("Noto Serif CJK SC", "Noto Sans CJK SC")
APT_FONTS = "sudo apt-get install -y fonts-noto-cjk"
APT_HARFBUZZ = "sudo apt-get install -y libharfbuzz-subset0"


class _FcFontSet(ctypes.Structure):
    _fields_ = [("nfont", ctypes.c_int), ("sfont", ctypes.c_int), ("fonts", ctypes.c_void_p)]


def installed_font_counts(families) -> dict[str, int]:
    """How many faces fontconfig (which WeasyPrint uses through Pango) knows for each
    family; fontconfig's configuration and font list are loaded once for all of them."""
    path = ctypes.util.find_library("fontconfig")
    if not path:
        return dict.fromkeys(families, 0)
    fc = ctypes.CDLL(path)
    fc.FcInitLoadConfigAndFonts.restype = ctypes.c_void_p
    fc.FcNameParse.restype = ctypes.c_void_p
    fc.FcNameParse.argtypes = [ctypes.c_char_p]
    fc.FcObjectSetBuild.restype = ctypes.c_void_p
    fc.FcFontList.restype = ctypes.POINTER(_FcFontSet)
    fc.FcFontList.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    for name in ("FcPatternDestroy", "FcObjectSetDestroy", "FcConfigDestroy"):
        getattr(fc, name).argtypes = [ctypes.c_void_p]
    fc.FcFontSetDestroy.argtypes = [ctypes.POINTER(_FcFontSet)]
    config = fc.FcInitLoadConfigAndFonts()
    objects = fc.FcObjectSetBuild(b"family", None)
    counts = {}
    for family in families:
        pattern = fc.FcNameParse(family.replace("-", r"\-").encode())
        found = fc.FcFontList(config, pattern, objects)
        counts[family] = found.contents.nfont if found else 0
        if found:
            fc.FcFontSetDestroy(found)
        fc.FcPatternDestroy(pattern)
    fc.FcObjectSetDestroy(objects)
    fc.FcConfigDestroy(config)
    return counts


@cache
def harfbuzz_subset_available() -> bool:
    from weasyprint.text import ffi  # imported late: it loads Pango

    return ffi.harfbuzz_subset is not None


@register(Tags.compatibility)
def check_cjk_fonts(app_configs, **kwargs):
    missing = [family for family, count in installed_font_counts(LETTER_FONTS).items() if count == 0]
    if not missing:
        return []
    return [
        Warning(
            f"Chinese fonts for letters are not installed: {', '.join(missing)}. "
            "PDF letters would show empty boxes instead of Chinese characters.",
            hint=f"Install them: {APT_FONTS}",
            id="cases.W001",
        )
    ]


@register(Tags.compatibility)
def check_harfbuzz_subset(app_configs, **kwargs):
    if harfbuzz_subset_available():
        return []
    return [
        Warning(
            "HarfBuzz font subsetting (libharfbuzz-subset0) is not available to WeasyPrint: "
            "a Chinese PDF then takes about 30 times longer to render (~11 s instead of ~0.3 s).",
            hint=f"Install it: {APT_HARFBUZZ}",
            id="cases.W002",
        )
    ]


@register(Tags.files)
def check_private_media_writable(app_configs, **kwargs):
    if settings.PRIVATE_STORAGE != "files":  # a bucket is checked by `check_storage`, not at every start
        return []
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=root, prefix=".write-check-"):
            pass
    except OSError as exc:
        return [
            Warning(
                f"The private media folder {root} is not writable ({exc.strerror or exc}): "
                "evidence uploads and letters cannot be stored.",
                hint=f"Create it and give the app's user write access: mkdir -p {root} && chown {os.getuid()} {root}, "
                "or set PRIVATE_MEDIA_ROOT to a writable folder.",
                id="cases.W004",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_field_encryption_keys(app_configs, **kwargs):
    if settings.FIELD_ENCRYPTION_KEYS:
        return []
    return [
        Warning(
            "FIELD_ENCRYPTION_KEYS is not set: ID and contract numbers are encrypted with a key derived "
            "from SECRET_KEY, so rotating SECRET_KEY would make them unreadable.",
            hint='Generate a key with: python -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())" and set FIELD_ENCRYPTION_KEYS.',
            id="cases.W003",
        )
    ]


@register(Tags.compatibility)
def check_library_patches(app_configs, **kwargs):
    """A patch that is switched on but refuses the installed library version (it then
    takes the library's plain path: correct, only slower or larger)."""
    warnings = []
    if settings.FAST_FORM_RENDERER and not renderers.checked_version(django.VERSION):
        warnings.append(Warning(
            f"The fast form renderer was checked against Django "
            f"{'.'.join(map(str, renderers.CHECKED_DJANGO))}, not {django.get_version()}: "
            "forms are rendered from Django's own templates.",
            hint="Check cases/renderers.py against the new form templates (tests/test_renderers.py), "
            "then update CHECKED_DJANGO; or set FAST_FORM_RENDERER=0.",
            id="cases.W005",
        ))
    if settings.LETTERS_COMPACT_FONTS and not compact_fonts.checked_version(compact_fonts.weasyprint_version()):
        warnings.append(Warning(
            f"The compact font subsetting was checked against WeasyPrint {compact_fonts.CHECKED_WEASYPRINT}.x, "
            f"not {compact_fonts.weasyprint_version()}: letters use WeasyPrint's own font subsetting (larger PDFs).",
            hint="Check cases/letters/compact_fonts.py against the new WeasyPrint (tests/test_letters_pdf.py), "
            "then update CHECKED_WEASYPRINT; or set LETTERS_COMPACT_FONTS=0.",
            id="cases.W006",
        ))
    return warnings


@register(Tags.security, deploy=True)
def check_task_backend(app_configs, **kwargs):
    """The immediate backend renders letters inside the web request: no de-duplication across
    workers, no time or memory limit, and one long letter holds a gunicorn worker (issue 16)."""
    if settings.DEBUG or settings.TASK_BACKEND != "immediate":
        return []
    return [
        Warning(
            "TASK_BACKEND is 'immediate' in production: letters are rendered inside web requests, without the "
            "worker's time and memory limits.",
            hint="Set TASK_BACKEND=database and run `manage.py db_worker` beside gunicorn (docs/deploy.md).",
            id="cases.W007",
        )
    ]
