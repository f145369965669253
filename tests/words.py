"""The words checker (issue 17): the text a reader sees on a Chinese page, and what must not be in it."""

import re
from html.parser import HTMLParser

# Names and file types a Chinese page may show as they are.
ALLOWED = {
    "PDF", "JPEG", "JPG", "PNG", "HEIC", "HEIF", "WebP", "MP3", "M4A", "AMR", "MB", "KB", "LPR", "APP", "App",
    "Alipay", "ID", "SMS", "HTTPS", "ZIP", "CSV", "iPhone", "Android", "English", "X",
}
# Words of programmers and of Django's stock messages that a debtor should never meet, and doubts of ours that
# belong in a review note, not on the debtor's page.
PROGRAMMER_WORDS = (
    "变量", "字段", "对象", "None", "null", "True", "False", "JSON", "SHA-256", "sha256", "max(", "min(", "object (",
    "确保该值", "确保该变量", "Select an option", "---", "指纹", "尚未确认哪一个", "NaN", "Traceback", "{{", "{%",
    "%(", "%s", "你",
)
_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description"}
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
# Not words: codes and numbers people copy (contract numbers, check codes, version stamps such as 2026-11-v1).
_DATA = re.compile(r"[A-Z]{1,2}[0-9-]*|[0-9A-Z-]+[0-9][0-9A-Z-]*|[0-9a-f]{8,}|v[0-9]+")
_MIME = re.compile(r"\b(application|image|audio|text|video)/[\w.+-]+")
_HEX = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|\b[0-9a-f]{8,}")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
FILE_TYPES = {"pdf", "png", "jpg", "jpeg", "heic", "heif", "webp", "mp3", "m4a", "amr", "zip", "ics"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._skip:  # inside a skipped element: count its children to find where it ends
            self._skip += tag not in VOID
            return
        # translate="no" is HTML's own mark for content that is not language (a reference, a key): data.
        if tag in ("script", "style", "template") or attrs.get("translate") == "no":
            self._skip = int(tag not in VOID)
            return
        for name in _ATTRIBUTES:
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts)


def problems(html: str, also_allowed: set[str] = frozenset()) -> list[str]:
    """Each English word outside the allow-list and each programmer word, with the line it stands in."""
    found = []
    for line in visible_text(html).splitlines():
        for word in _WORD.findall(_MIME.sub("", _HEX.sub("", line))):
            if word in ALLOWED or word in also_allowed or _DATA.fullmatch(word):
                continue
            if re.search(rf"\.{re.escape(word)}\b", line) and word.lower() in FILE_TYPES:
                continue
            if True:
                found.append(f"{word!r} in {line.strip()[:120]!r}")
        for term in PROGRAMMER_WORDS:
            if term in line:
                found.append(f"{term!r} in {line.strip()[:120]!r}")
    return found
