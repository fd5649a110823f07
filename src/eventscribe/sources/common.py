"""What every reader of inputs shares: the size and network limits, the ``Unreadable`` error
whose message a user reads, the settings of one ``read_sources`` call, file kinds by name,
content sniffing and the byte-level checks (binary data, strict UTF-8), and the two public
helpers the store also uses (``content_hash``, ``document_id_for_url``).
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import json
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from ..model import Document, DocumentError

if TYPE_CHECKING:
    from .fetch import Fetcher


Item = Document | DocumentError

DEFAULT_MAX_BYTES = 20_000_000
HTTP_TIMEOUT = 10.0
HTTP_RETRIES = 2
RETRY_BACKOFF = 0.5  # seconds before the first retry, doubled each time
HOST_DELAY = 1.0  # seconds between two requests to the same host (politeness for --fetch-links)
USER_AGENT = "eventscribe/0.1 (news event extraction; +https://github.com/eventscribe)"
HEAD_BYTES = 65_536  # what content sniffing looks at


# File name endings -> input kind. Multi-part endings first.
_KIND_BY_SUFFIX: tuple[tuple[str, str], ...] = (
    (".warc.gz", "warc"),
    (".warc", "warc"),
    (".arc.gz", "warc"),  # the older Internet Archive format: warcio reads both
    (".arc", "warc"),
    (".txt", "text"),
    (".html", "html"),
    (".htm", "html"),
    (".jsonl", "jsonl"),
    (".json", "json"),
    (".yaml", "yaml"),
    (".yml", "yaml"),
    (".xml", "feed"),
    (".rss", "feed"),
    (".atom", "feed"),
)


# Leading bytes of common binary formats, for a clear "not text" message.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
    (b"\x7fELF", "ELF executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Microsoft Office document"),
    (b"OggS", "Ogg media"),
    (b"\xca\xfe\xba\xbe", "Java class or Mach-O binary"),
)


UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
_FEED_ROOT_RE = re.compile(r"<(rss|feed|rdf:rdf)[\s>]", re.I)
URL_RE = re.compile(r"^https?://", re.I)


class Unreadable(Exception):
    """An input (or part of one) that cannot become a Document; the message is for humans."""


def content_hash(text: str) -> str:
    """SHA-1 of the text with all whitespace runs collapsed to one space.

    Re-wrapped or re-indented copies of the same article hash the same, so the
    store can tell "same content" from "changed content" cheaply.
    """
    normalised = " ".join(text.split())
    return hashlib.sha1(normalised.encode("utf-8")).hexdigest()


def document_id_for_url(url: str) -> str:
    """The canonical form of an article URL, used as its document id.

    courlan lower-cases scheme and host, drops default ports and tracking
    parameters (``utm_*``, ``fbclid`` ...) and sorts the query; we also drop
    the ``#fragment``, which never names a different article. Non-HTTP
    identifiers (``urn:``, ``tag:``) are returned stripped but unchanged.
    """
    url = url.strip()
    if not URL_RE.match(url):
        return url
    from courlan import normalize_url

    try:
        canonical = normalize_url(url)
    except (ValueError, AttributeError):  # courlan rejects some malformed URLs
        canonical = url
    parts = urlsplit(canonical)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


@dataclass
class ReadContext:
    """Settings shared by all readers of one ``read_sources`` call."""

    published: dt.date | None
    max_bytes: int
    fetch_articles: bool | None
    timeout: float
    retries: int
    host_delay: float = HOST_DELAY
    known_url: Callable[[str], bool] | None = None
    _fetcher: Fetcher | None = field(default=None, repr=False)

    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            from .fetch import Fetcher

            self._fetcher = Fetcher(self.timeout, self.retries, self.max_bytes, self.host_delay)
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()
            self._fetcher = None


def kind_for_name(name: str) -> str | None:
    lower = name.lower()
    for suffix, kind in _KIND_BY_SUFFIX:
        if lower.endswith(suffix):
            return kind
    return None


def stem(name: str) -> str:
    lower = name.lower()
    for suffix, _kind in _KIND_BY_SUFFIX:
        if lower.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return Path(name).stem or name


def read_up_to(stream: IO[bytes], limit: int) -> bytes:
    """Read ``limit`` bytes or until EOF (pipes may return short reads)."""
    chunks: list[bytes] = []
    remaining = limit
    while remaining > 0:
        chunk = stream.read(min(remaining, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def sniff(head: bytes) -> str:
    """Guess the kind of an input from its first bytes (stdin, unknown extensions, URLs)."""
    if head.startswith((b"WARC/", b"filedesc://")):
        return "warc"
    if head.startswith(b"\x1f\x8b"):
        try:
            if zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 16).startswith((b"WARC/", b"filedesc://")):
                return "warc"
        except zlib.error:
            pass
        return "text"  # reported as binary by the caller
    text = head.decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    if text.startswith("<"):
        start = text[:4096]
        if _FEED_ROOT_RE.search(start) and not re.search(r"<html[\s>]", start, re.I):
            return "feed"
        return "html"
    if text.startswith("["):
        return "json"
    if text.startswith("{"):
        first_line = text.split("\n", 1)[0]
        try:
            json.loads(first_line)
        except ValueError:
            return "json"  # an object spread over several lines
        return "jsonl"
    if re.match(r"(id|text|title|published|url)\s*:", text):
        return "yaml"
    return "text"


def binary_reason(head: bytes, nul_is_binary: bool = True) -> str | None:
    """A message when the bytes are clearly not text, else None. (JSONL files check NUL
    bytes per line instead: one bad line costs only itself.)"""
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return f"binary file ({name}), not text"
    if head[4:8] == b"ftyp":
        return "binary file (MP4/QuickTime media), not text"
    if head.startswith(b"RIFF") and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return f"binary file (RIFF {head[8:12].decode().strip()} media), not text"
    if head.startswith(UTF16_32_BOMS):
        return "UTF-16/UTF-32 text; convert it to UTF-8"
    if nul_is_binary and b"\x00" in head[:8192]:
        return "binary file (contains NUL bytes), not text"
    return None


def decode_utf8(data: bytes, offset: int = 0) -> str:
    """Strict UTF-8: a bad byte is reported by its offset, never guessed around."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Unreadable(f"not valid UTF-8 at byte {offset + exc.start}") from None
    return text.removeprefix("\ufeff")


def normalise_text(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")


def human_size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1e6:.1f} MB".replace(".0 MB", " MB")
    if n >= 1_000:
        return f"{n / 1e3:.1f} kB".replace(".0 kB", " kB")
    return f"{n} bytes"


def too_big(size: int, limit: int) -> str:
    return f"file is {human_size(size)}, over the {human_size(limit)} limit"


def one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def python_codec(name: str | None) -> str | None:
    """Python's name for a declared charset, or None when unknown or absent."""
    if not name:
        return None
    try:
        return codecs.lookup(name.strip()).name
    except LookupError:
        return None


def parse_iso_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(value).date()
    except ValueError:
        return None
