"""Read every kind of input into :class:`~eventscribe.model.Document` records.

``read_sources`` is the one way in for the CLI (``extract``, ``ingest``): it
takes path-like strings and yields a ``Document`` for every article it can
read and a ``DocumentError`` with a one-line human message for every input
(or line, entry, record) it cannot. One bad input never stops the others, and
everything streams: folders are walked lazily, JSONL files line by line and
WARC files record by record, so memory stays flat on large inputs.

Inputs understood:

* ``.txt`` plain text; ``.html``/``.htm`` (main text via trafilatura);
* ``.jsonl`` (one object per line), ``.json`` (an object or a list of
  objects), ``.yaml``/``.yml`` (our gold files): keys ``id``, ``text`` or
  ``html``, ``url``, ``title``, ``published``; other keys are ignored;
* RSS/Atom feeds (``.xml``/``.rss``/``.atom`` or an ``http(s)://`` URL);
* WARC / WARC.gz web archives (HTML ``response`` records only);
* a folder (recursively, sorted, hidden files skipped);
* ``-`` for standard input, sniffed by content;
* an ``http(s)://`` URL of an article.

Limits: ``max_bytes`` applies to each document-sized unit: a whole text,
HTML, JSON, YAML or feed file (checked with ``stat`` before reading), one
JSONL line, one WARC record's payload, one HTTP response body. JSONL and
WARC files as a whole may be larger, since they are read piecewise.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import hashlib
import html as html_lib
import io
import json
import logging
import os
import re
import sys
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit, urlunsplit

from .model import Document, DocumentError

# The extraction libraries log their own complaints about broken pages; we
# report every failure as a DocumentError instead, so keep their logs out of
# the user's terminal unless the application configures logging itself.
for _name in ("trafilatura", "htmldate", "courlan", "charset_normalizer"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

Item = Document | DocumentError

DEFAULT_MAX_BYTES = 20_000_000
HTTP_TIMEOUT = 10.0
HTTP_RETRIES = 2
RETRY_BACKOFF = 0.5  # seconds before the first retry, doubled each time
HOST_DELAY = 1.0  # seconds between two requests to the same host (politeness for --fetch-links)
USER_AGENT = "eventscribe/0.1 (news event extraction; +https://github.com/eventscribe)"
_HEAD_BYTES = 65_536  # what content sniffing looks at
_RESET_CACHES_EVERY = 500  # trafilatura/htmldate caches grow over long batches

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
_UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")

_CHARSET_RE = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING_RE = re.compile(rb"""^\s*<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_FEED_ROOT_RE = re.compile(r"<(rss|feed|rdf:rdf)[\s>]", re.I)
_URL_RE = re.compile(r"^https?://", re.I)
_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote pre table tr section article "
    "header footer figure figcaption dd dt dl hr".split()
)


class _Unreadable(Exception):
    """An input (or part of one) that cannot become a Document; the message is for humans."""


# --- small public helpers ------------------------------------------------------


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
    if not _URL_RE.match(url):
        return url
    from courlan import normalize_url

    try:
        canonical = normalize_url(url)
    except (ValueError, AttributeError):  # courlan rejects some malformed URLs
        canonical = url
    parts = urlsplit(canonical)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


# --- entry point -----------------------------------------------------------------


@dataclass
class _Context:
    """Settings shared by all readers of one ``read_sources`` call."""

    published: dt.date | None
    max_bytes: int
    fetch_articles: bool | None
    timeout: float
    retries: int
    host_delay: float = HOST_DELAY
    known_url: Callable[[str], bool] | None = None
    _fetcher: _Fetcher | None = field(default=None, repr=False)

    def fetcher(self) -> _Fetcher:
        if self._fetcher is None:
            self._fetcher = _Fetcher(self.timeout, self.retries, self.max_bytes, self.host_delay)
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()
            self._fetcher = None


def read_sources(
    paths: Iterable[str],
    published: dt.date | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    fetch_articles: bool | None = None,
    timeout: float = HTTP_TIMEOUT,
    retries: int = HTTP_RETRIES,
    host_delay: float = HOST_DELAY,
    known_url: Callable[[str], bool] | None = None,
) -> Iterator[Item]:
    """Yield a Document for every readable article and a DocumentError for every failure.

    ``published`` is the fallback date for documents that carry none.
    ``fetch_articles`` decides whether feed entries are replaced by the linked
    article (fetched over HTTP); ``None`` means "no" for feed files and "yes"
    for feed URLs. ``timeout`` (seconds) and ``retries`` apply to each HTTP
    request; retries back off exponentially from half a second; two requests to one host are
    ``host_delay`` seconds apart. ``known_url``: feed entries whose link it accepts (already
    stored) are skipped before anything is fetched (``eventscribe watch``).
    """
    if isinstance(published, dt.datetime):
        published = published.date()
    ctx = _Context(published, max_bytes, fetch_articles, timeout, retries, host_delay, known_url)
    try:
        for raw_path in paths:
            path = os.fspath(raw_path)
            try:
                yield from _read_path(path, ctx)
            except Exception as exc:  # noqa: BLE001 - last guard: one input never stops the rest
                yield DocumentError(source=path, message=f"unexpected error: {_one_line(exc)}")
    finally:
        ctx.close()


def _read_path(path: str, ctx: _Context) -> Iterator[Item]:
    if path == "-":
        yield from _read_stdin(ctx)
    elif _URL_RE.match(path):
        yield from _read_url(path, ctx)
    else:
        p = Path(path)
        if p.is_dir():
            yield from _read_folder(p, ctx)
        elif p.is_file():
            yield from _read_file(p, _stem(p.name), path, ctx)
        elif p.is_symlink():
            yield DocumentError(source=path, message=_broken_link(p))
        elif not p.exists():
            yield DocumentError(source=path, message="no such file or directory")
        else:
            yield DocumentError(source=path, message="not a regular file or folder")


def count_inputs(paths: Iterable[str], limit: int = 100_000) -> int | None:
    """How many documents ``paths`` hold, for a progress bar's total: files in folders, lines
    of JSONL files (counted, not parsed). ``None`` when it cannot be known cheaply (stdin,
    URLs, feeds, WARC files) or exceeds ``limit``."""
    total = 0
    for raw in paths:
        path = os.fspath(raw)
        if path == "-" or _URL_RE.match(path):
            return None
        p = Path(path)
        files = list(_walk(p)) if p.is_dir() else [p] if p.is_file() else []
        for f in files:
            kind = _kind_for_name(f.name)
            if kind in ("warc", "feed"):
                return None
            if kind == "jsonl":
                try:
                    with open(f, "rb") as fh:
                        total += sum(1 for line in fh if line.strip())
                except OSError:
                    total += 1
            else:
                total += 1
            if total > limit:
                return None
        if not files:
            total += 1  # an error line
    return total


# --- files and folders -----------------------------------------------------------


def _broken_link(p: Path) -> str:
    """Why a symbolic link cannot be read: it points in a circle, or at nothing."""
    try:
        p.resolve(strict=True)
    except RuntimeError:
        return "symbolic link loop"
    except OSError as exc:
        if exc.errno == 40:  # ELOOP
            return "symbolic link loop"
    return f"broken symbolic link (points to {os.readlink(p)}, which does not exist)"



def _kind_for_name(name: str) -> str | None:
    lower = name.lower()
    for suffix, kind in _KIND_BY_SUFFIX:
        if lower.endswith(suffix):
            return kind
    return None


def _stem(name: str) -> str:
    lower = name.lower()
    for suffix, _kind in _KIND_BY_SUFFIX:
        if lower.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return Path(name).stem or name


def _read_folder(root: Path, ctx: _Context) -> Iterator[Item]:
    """All supported files below ``root``, sorted, hidden ones skipped."""
    files = sorted(_walk(root), key=lambda p: p.relative_to(root).as_posix())
    ids = _unique_ids(root, files)
    for path in files:
        try:
            yield from _read_file(path, ids[path], str(path), ctx)
        except Exception as exc:  # noqa: BLE001 - keep going with the next file
            yield DocumentError(source=str(path), doc_id=ids[path], message=f"unexpected error: {_one_line(exc)}")


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if not name.startswith(".") and _kind_for_name(name) is not None:
                yield Path(dirpath) / name


def _unique_ids(root: Path, files: list[Path]) -> dict[Path, str]:
    """File stem as id; where stems clash, the relative path (without, then with, extension).

    Deterministic: the choice depends only on the set of file names.
    """
    def rel(p: Path) -> str:
        return p.relative_to(root).as_posix()

    def rel_no_ext(p: Path) -> str:
        r = rel(p)
        return r[: len(r) - len(p.name)] + _stem(p.name)

    levels = (lambda p: _stem(p.name), rel_no_ext, rel)
    ids: dict[Path, str] = {}
    pending = list(files)
    for level in levels:
        counts = Counter(level(p) for p in pending)
        still = []
        for p in pending:
            if counts[level(p)] == 1 or level is rel:
                ids[p] = level(p)
            else:
                still.append(p)
        pending = still
    return ids


def _read_file(path: Path, doc_id: str, source: str, ctx: _Context) -> Iterator[Item]:
    kind = _kind_for_name(path.name)
    try:
        size = path.stat().st_size
        fh = path.open("rb")
    except OSError as exc:
        yield DocumentError(source=source, doc_id=doc_id, message=f"cannot open: {exc.strerror or exc}")
        return
    with fh:
        if size == 0:
            yield DocumentError(source=source, doc_id=doc_id, message="empty file")
            return
        if kind not in ("warc", "jsonl") and size > ctx.max_bytes:
            yield DocumentError(source=source, doc_id=doc_id, message=_too_big(size, ctx.max_bytes))
            return
        yield from _read_stream(fh, kind, doc_id=doc_id, source=source, ctx=ctx)


def _read_stdin(ctx: _Context) -> Iterator[Item]:
    stream: IO[bytes] | None = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text stream without bytes underneath (tests, notebooks)
        stream = io.BytesIO(sys.stdin.read().encode("utf-8"))
    yield from _read_stream(stream, None, doc_id="stdin", source="stdin", ctx=ctx)


def _read_stream(
    stream: IO[bytes],
    kind: str | None,
    *,
    doc_id: str,
    source: str,
    ctx: _Context,
    charset: str | None = None,
    url: str | None = None,
) -> Iterator[Item]:
    """Check the head of a byte stream, sniff its kind if unknown, then read it."""
    head = _read_up_to(stream, _HEAD_BYTES)
    if not head:
        yield DocumentError(source=source, doc_id=doc_id, message="empty input")
        return
    if kind is None:
        kind = _sniff(head)
    if kind != "warc" and not (kind == "html" and head.startswith(_UTF16_32_BOMS[:2])):
        reason = _binary_reason(head, nul_is_binary=kind != "jsonl")
        if reason:
            yield DocumentError(source=source, doc_id=doc_id, message=reason)
            return
    stream = io.BufferedReader(_PrefixedRaw(head, stream))
    if kind == "warc":
        yield from _read_warc(stream, source, ctx)
        return
    if kind == "jsonl":
        yield from _read_jsonl(stream, doc_id, source, ctx)
        return
    data = _read_up_to(stream, ctx.max_bytes + 1)
    if len(data) > ctx.max_bytes:
        yield DocumentError(source=source, doc_id=doc_id, message=f"input is over the {_human_size(ctx.max_bytes)} limit")
        return
    if kind == "feed":
        fetch = bool(ctx.fetch_articles) if url is None else ctx.fetch_articles is not False
        yield from _feed_items(data, source=source, feed_id=doc_id, ctx=ctx, fetch=fetch, base_url=url)
        return
    try:
        if kind == "html":
            yield _html_document(_decode_html(data, charset), doc_id=doc_id, source=source, url=url, ctx=ctx)
        elif kind == "json":
            yield from _json_items(data, doc_id=doc_id, source=source, ctx=ctx)
        elif kind == "yaml":
            yield from _yaml_items(data, doc_id=doc_id, source=source, ctx=ctx)
        else:
            # Plain text must be UTF-8, unless an HTTP response declared its charset.
            codec = _codec(charset)
            text = _normalise_text(data.decode(codec, errors="replace") if codec else _decode_utf8(data))
            if not text.strip():
                raise _Unreadable("empty document (only whitespace)")
            yield Document(id=doc_id, text=text, url=url, published=ctx.published, source=source)
    except _Unreadable as exc:
        yield DocumentError(source=source, doc_id=doc_id, message=str(exc))


class _PrefixedRaw(io.RawIOBase):
    """A raw stream that replays already-read bytes before the rest of a stream.

    Lets us sniff the head of stdin (which cannot seek) and still read it whole.
    """

    def __init__(self, prefix: bytes, rest: IO[bytes]) -> None:
        self._prefix = memoryview(prefix)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if len(self._prefix):
            n = min(len(buffer), len(self._prefix))
            buffer[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _read_up_to(stream: IO[bytes], limit: int) -> bytes:
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


def _sniff(head: bytes) -> str:
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


# --- byte-level checks -------------------------------------------------------------


def _binary_reason(head: bytes, nul_is_binary: bool = True) -> str | None:
    """A message when the bytes are clearly not text, else None. (JSONL files check NUL
    bytes per line instead: one bad line costs only itself.)"""
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return f"binary file ({name}), not text"
    if head[4:8] == b"ftyp":
        return "binary file (MP4/QuickTime media), not text"
    if head.startswith(b"RIFF") and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return f"binary file (RIFF {head[8:12].decode().strip()} media), not text"
    if head.startswith(_UTF16_32_BOMS):
        return "UTF-16/UTF-32 text; convert it to UTF-8"
    if nul_is_binary and b"\x00" in head[:8192]:
        return "binary file (contains NUL bytes), not text"
    return None


def _decode_utf8(data: bytes, offset: int = 0) -> str:
    """Strict UTF-8: a bad byte is reported by its offset, never guessed around."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Unreadable(f"not valid UTF-8 at byte {offset + exc.start}") from None
    return text.removeprefix("\ufeff")


def _normalise_text(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")


def _human_size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1e6:.1f} MB".replace(".0 MB", " MB")
    if n >= 1_000:
        return f"{n / 1e3:.1f} kB".replace(".0 kB", " kB")
    return f"{n} bytes"


def _too_big(size: int, limit: int) -> str:
    return f"file is {_human_size(size)}, over the {_human_size(limit)} limit"


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


# --- HTML ---------------------------------------------------------------------------


def _declared_charset(data: bytes) -> str | None:
    head = data[:4096]
    match = _XML_ENCODING_RE.match(head) or _CHARSET_RE.search(head)
    if not match:
        return None
    return _codec(match.group(1).decode("ascii", errors="ignore"))


def _codec(name: str | None) -> str | None:
    """Python's name for a declared charset, or None when unknown or absent."""
    if not name:
        return None
    try:
        return codecs.lookup(name.strip()).name
    except LookupError:
        return None


def _decode_html(data: bytes, charset: str | None = None) -> str:
    """Decode HTML honouring BOM > HTTP charset > <meta charset>; else strict UTF-8.

    A declared charset is trusted (bad bytes become U+FFFD, as browsers do);
    an undeclared page must be valid UTF-8, since guessing would silently
    garble names and numbers.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    declared = _codec(charset) or _declared_charset(data)
    if declared:
        return data.decode(declared, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Unreadable(f"not valid UTF-8 at byte {exc.start} and no charset declared") from None


_extractions = 0


def _html_document(
    html: str,
    *,
    doc_id: str,
    source: str,
    ctx: _Context,
    url: str | None = None,
    title: str | None = None,
    published: dt.date | None = None,
) -> Document:
    """Main text, title and publication date of a page; raises _Unreadable when it has no main text."""
    text, found_title, found_date = _extract_html(html, url)
    return Document(
        id=doc_id,
        text=text,
        title=title or found_title,
        url=url,
        published=published or found_date or ctx.published,
        source=source,
    )


def _extract_html(html: str, url: str | None) -> tuple[str, str | None, dt.date | None]:
    import lxml.html
    import trafilatura
    from trafilatura.meta import reset_caches

    global _extractions
    _extractions += 1
    if _extractions % _RESET_CACHES_EVERY == 0:
        reset_caches()
    # lxml refuses str input that carries an XML encoding declaration.
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html, count=1)
    if not html.strip():
        raise _Unreadable("empty document")
    try:
        tree = lxml.html.fromstring(html)
    except Exception:  # noqa: BLE001 - lxml raises several types on junk
        tree = None
    if tree is None:
        raise _Unreadable("no main text found in HTML (cannot parse the page)")
    link_texts = {" ".join(a.text_content().split()) for a in tree.iter("a")}
    result = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params={"original_date": True, "extensive_search": False},
    )
    lines = [" ".join(line.split()) for line in (result.text or "").splitlines()] if result else []
    lines = [line for line in lines if line]
    # trafilatura's last-resort fallback returns whatever text a page has; when
    # every line is the text of a link, that is a menu, not an article.
    if not lines or all(line in link_texts for line in lines):
        raise _Unreadable("no main text found in HTML")
    text = "\n\n".join(lines)
    title = " ".join(result.title.split()) if result and result.title else None
    published = _parse_iso_date(result.date) if result and result.date else None
    if published is None:
        published = _fallback_html_date(html, url)
    return text, title or None, published


def _fallback_html_date(html: str, url: str | None) -> dt.date | None:
    """htmldate's extensive search (free-text patterns), when the markup had no date.

    The extensive search ends with year- or month-only guesses (a copyright
    year becomes ``YYYY-01-01``); such a guess would pin relative dates to the
    wrong day, so a result on the first of a month is not trusted.
    """
    from htmldate import find_date

    try:
        found = find_date(html, original_date=True, extensive_search=True, url=url)
    except Exception:  # noqa: BLE001 - htmldate on junk input
        return None
    date = _parse_iso_date(found) if found else None
    if date is None or date.day == 1:
        return None
    return date


def _html_fragment_text(fragment: str) -> str:
    """Plain text of an HTML snippet (feed summaries), paragraphs separated by blank lines."""
    import lxml.html
    from lxml.etree import ParserError

    if "<" not in fragment:
        return _tidy_paragraphs(html_lib.unescape(fragment))
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ParserError, ValueError):
        return _tidy_paragraphs(re.sub(r"<[^>]*>", " ", fragment))
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS:
            el.tail = "\n\n" + (el.tail or "")
            if el.tag.lower() != "br":
                el.text = "\n\n" + (el.text or "")
    return _tidy_paragraphs(root.text_content())


def _tidy_paragraphs(text: str) -> str:
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", text))
    return "\n\n".join(p for p in paragraphs if p)


# --- JSON, JSONL, YAML records -----------------------------------------------------------


def _read_jsonl(stream: IO[bytes], file_id: str, source: str, ctx: _Context) -> Iterator[Item]:
    """One document per line; a bad line is reported with its number and skipped."""
    offset = 0
    lineno = 0
    while True:
        raw = stream.readline(ctx.max_bytes + 1)
        if not raw:
            break
        lineno += 1
        start = offset
        offset += len(raw)
        if len(raw) > ctx.max_bytes and not raw.endswith(b"\n"):
            while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                offset += len(rest)
            offset += len(rest)
            yield DocumentError(
                source=source, line=lineno,
                message=f"line {lineno}: over the {_human_size(ctx.max_bytes)} limit",
            )
            continue
        if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
            raw, start = raw[3:], start + 3
        if raw.strip():
            yield _jsonl_line(raw, start, lineno, file_id, source, ctx)


def _jsonl_line(raw: bytes, start: int, lineno: int, file_id: str, source: str, ctx: _Context) -> Item:
    """One JSONL line (``start`` = its byte offset in the file, for error messages)."""
    obj: Any = None
    try:
        if b"\x00" in raw:
            raise _Unreadable("binary data (NUL bytes), not text")
        line = _decode_utf8(raw, start).strip()
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise _Unreadable(f"invalid JSON ({exc.msg} at column {exc.pos + 1})") from None
        except RecursionError:
            raise _Unreadable("JSON nested too deeply") from None
        if not isinstance(obj, dict):
            raise _Unreadable(f"expected a JSON object, got {_json_type(obj)}")
        return _record_document(obj, default_id=f"{file_id}-{lineno}", source=source, ctx=ctx)
    except _Unreadable as exc:
        doc_id = (_given_id(obj) or f"{file_id}-{lineno}") if isinstance(obj, dict) else None
        return DocumentError(source=source, line=lineno, doc_id=doc_id, message=f"line {lineno}: {exc}")


def _json_items(data: bytes, *, doc_id: str, source: str, ctx: _Context) -> Iterator[Item]:
    text = _decode_utf8(data)
    try:
        value = json.loads(text)
    except RecursionError:
        yield DocumentError(source=source, doc_id=doc_id, message="JSON nested too deeply")
        return
    except json.JSONDecodeError as exc:
        yield DocumentError(
            source=source, doc_id=doc_id, line=exc.lineno,
            message=f"invalid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})",
        )
        return
    yield from _object_items(value, doc_id=doc_id, source=source, ctx=ctx)


def _yaml_items(data: bytes, *, doc_id: str, source: str, ctx: _Context) -> Iterator[Item]:
    import yaml

    text = _decode_utf8(data)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        values = [v for v in yaml.load_all(text, Loader=loader) if v is not None]
    except RecursionError:
        yield DocumentError(source=source, doc_id=doc_id, message="YAML nested too deeply")
        return
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or _one_line(exc)
        where = f" at line {line} column {mark.column + 1}" if mark is not None else ""
        yield DocumentError(source=source, doc_id=doc_id, line=line, message=f"invalid YAML ({problem}{where})")
        return
    if not values:
        yield DocumentError(source=source, doc_id=doc_id, message="empty document")
        return
    for n, value in enumerate(values, 1):
        yield from _object_items(value, doc_id=doc_id if len(values) == 1 else f"{doc_id}-{n}", source=source, ctx=ctx)


def _object_items(value: Any, *, doc_id: str, source: str, ctx: _Context) -> Iterator[Item]:
    """One document object, or a list of them (ids ``<file>-<n>`` when missing)."""
    if isinstance(value, dict):
        try:
            yield _record_document(value, default_id=doc_id, source=source, ctx=ctx)
        except _Unreadable as exc:
            yield DocumentError(source=source, doc_id=_given_id(value) or doc_id, message=str(exc))
    elif isinstance(value, list):
        if not value:
            yield DocumentError(source=source, doc_id=doc_id, message="empty list, no documents")
        for n, item in enumerate(value, 1):
            default_id = f"{doc_id}-{n}"
            if not isinstance(item, dict):
                yield DocumentError(source=source, doc_id=default_id, message=f"item {n}: expected an object, got {_json_type(item)}")
                continue
            try:
                yield _record_document(item, default_id=default_id, source=source, ctx=ctx)
            except _Unreadable as exc:
                yield DocumentError(source=source, doc_id=_given_id(item) or default_id, message=f"item {n}: {exc}")
    else:
        yield DocumentError(source=source, doc_id=doc_id, message=f"expected a document object or a list of them, got {_json_type(value)}")


def _given_id(obj: dict[str, Any]) -> str | None:
    value = obj.get("id")
    return str(value) if isinstance(value, (str, int)) and str(value).strip() else None


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__
    )


def _record_document(obj: dict[str, Any], *, default_id: str, source: str, ctx: _Context) -> Document:
    """A Document from a mapping with ``id``, ``text``/``html``, ``url``, ``title``, ``published``."""
    doc_id = _given_id(obj) or default_id
    published = _parse_published(obj.get("published"))
    url = _optional_str(obj, "url")
    title = _optional_str(obj, "title")
    text, html = obj.get("text"), obj.get("html")
    if text is None and html is None:
        raise _Unreadable("no 'text' or 'html' field")
    if text is not None:
        if not isinstance(text, str):
            raise _Unreadable(f"'text' is {_json_type(text)}, not a string")
        text = _normalise_text(text)
        if not text.strip():
            raise _Unreadable("empty document")
        return Document(id=doc_id, text=text, title=title, url=url, published=published or ctx.published, source=source)
    if not isinstance(html, str):
        raise _Unreadable(f"'html' is {_json_type(html)}, not a string")
    return _html_document(html, doc_id=doc_id, source=source, ctx=ctx, url=url, title=title, published=published)


def _optional_str(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, (str, int, float)):
        raise _Unreadable(f"'{key}' is {_json_type(value)}, not a string")
    return str(value).strip() or None


def _parse_published(value: Any) -> dt.date | None:
    """ISO date or datetime (string, or already a date when YAML parsed it)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        parsed = _parse_iso_date(value.strip())
        if parsed is not None:
            return parsed
    raise _Unreadable(f"invalid 'published' date {value!r} (expected ISO 8601, e.g. 2024-03-14)")


def _parse_iso_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(value).date()
    except ValueError:
        return None


# --- feeds --------------------------------------------------------------------------------


def _feed_items(
    data: bytes, *, source: str, feed_id: str, ctx: _Context, fetch: bool, base_url: str | None = None
) -> Iterator[Item]:
    """Each RSS/Atom entry as a Document: the fetched article, or the entry's own text."""
    import feedparser

    headers = {"content-location": base_url} if base_url else None
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    if not parsed.get("version") and not parsed.entries:
        why = f" ({_one_line(parsed.bozo_exception)})" if parsed.get("bozo") else ""
        yield DocumentError(source=source, doc_id=feed_id, message=f"not an RSS or Atom feed{why}")
        return
    for n, entry in enumerate(parsed.entries, 1):
        yield from _entry_items(entry, n, source=source, feed_id=feed_id, ctx=ctx, fetch=fetch)


def _entry_items(entry: Any, n: int, *, source: str, feed_id: str, ctx: _Context, fetch: bool) -> Iterator[Item]:
    link = (entry.get("link") or "").strip()
    link = link if _URL_RE.match(link) else None  # feedparser may copy a tag:/urn: id here
    ident = link or (entry.get("id") or "").strip()
    doc_id = document_id_for_url(ident) if ident else f"{feed_id}-{n}"
    if link and ctx.known_url is not None and ctx.known_url(link):
        return  # stored in an earlier round: nothing to fetch, nothing new
    title = _entry_title(entry)
    published = _entry_date(entry)
    summary = _entry_text(entry)
    if fetch and link:
        try:
            fetched = ctx.fetcher().get(link)
            if _response_kind(fetched) != "html":
                raise _Unreadable(f"not an HTML page ({fetched.content_type or 'no content type'})")
            yield _html_document(
                _decode_html(fetched.body, fetched.charset), doc_id=doc_id, source=source, ctx=ctx,
                url=link, title=title, published=published,
            )
            return
        except _Unreadable as exc:
            fallback = "; kept the feed's summary instead" if summary else ""
            yield DocumentError(source=link, doc_id=doc_id, message=f"article: {exc}{fallback}")
    if summary:
        yield Document(id=doc_id, text=summary, title=title, url=link, published=published or ctx.published, source=source)
    elif not (fetch and link):
        hint = " (use --fetch-links to read the linked article)" if link else ""
        yield DocumentError(source=source, doc_id=doc_id, message=f"feed entry {n} has no text{hint}")


def _entry_title(entry: Any) -> str | None:
    title = entry.get("title")
    if not title:
        return None
    detail = entry.get("title_detail") or {}
    if "html" in (detail.get("type") or ""):
        title = _html_fragment_text(title)
    return " ".join(title.split()) or None


def _entry_date(entry: Any) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
    return None


def _entry_text(entry: Any) -> str:
    """The longest of the entry's content blocks or its summary, as plain text."""
    candidates = [(c.get("value") or "", c.get("type") or "") for c in entry.get("content") or []]
    if entry.get("summary"):
        candidates.append((entry.summary, (entry.get("summary_detail") or {}).get("type") or "text/html"))
    best = ""
    for value, ctype in candidates:
        text = _tidy_paragraphs(value) if ctype == "text/plain" else _html_fragment_text(value)
        if len(text) > len(best):
            best = text
    return best


# --- HTTP ----------------------------------------------------------------------------------


@dataclass
class _Fetched:
    url: str
    content_type: str
    charset: str | None
    body: bytes


class _Fetcher:
    """httpx client with a per-request timeout, retries with backoff and a size cap."""

    RETRY_STATUS = frozenset({429, 500, 502, 503, 504})

    def __init__(self, timeout: float, retries: int, max_bytes: int, host_delay: float = HOST_DELAY) -> None:
        import httpx

        self.timeout = timeout
        self.retries = max(0, retries)
        self.max_bytes = max_bytes
        self.host_delay = host_delay
        self._last_request: dict[str, float] = {}
        self._client = httpx.Client(
            timeout=timeout,
            follow_redirects=True,
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "text/html,application/xhtml+xml,application/rss+xml,"
                "application/atom+xml,application/xml;q=0.9,*/*;q=0.5",
            },
        )

    def close(self) -> None:
        self._client.close()

    def get(self, url: str) -> _Fetched:
        """The response body, or _Unreadable with why it could not be had."""
        import httpx

        if not _URL_RE.match(url):
            raise _Unreadable("only http and https addresses are fetched")
        attempts = self.retries + 1
        problem = ""
        for attempt in range(attempts):
            if attempt:
                time.sleep(RETRY_BACKOFF * 2 ** (attempt - 1))
            self._wait_for_host(url)
            try:
                with self._client.stream("GET", url) as response:
                    if response.status_code in self.RETRY_STATUS:
                        problem = f"HTTP {response.status_code} {response.reason_phrase}".strip()
                        continue
                    if response.status_code >= 400:
                        raise _Unreadable(f"HTTP {response.status_code} {response.reason_phrase}".strip())
                    body = self._read_body(response)
                    ctype = response.headers.get("content-type", "")
                    return _Fetched(str(response.url), ctype.split(";")[0].strip().lower(), response.charset_encoding, body)
            except httpx.TimeoutException:
                problem = f"timed out after {self.timeout:g} s"
            except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
                raise _Unreadable(f"invalid URL ({_one_line(exc)})") from None
            except httpx.TransportError as exc:
                problem = "cannot connect: " + re.sub(r"^\[Errno -?\d+\]\s*", "", _one_line(exc))
            except httpx.HTTPError as exc:
                raise _Unreadable(f"cannot fetch ({_one_line(exc)})") from None
        tries = f" (gave up after {attempts} attempts)" if attempts > 1 else ""
        raise _Unreadable(f"{problem}{tries}")

    def _wait_for_host(self, url: str) -> None:
        """At most one request per ``host_delay`` seconds to any one host."""
        from urllib.parse import urlsplit

        host = (urlsplit(url).hostname or "").lower()
        last = self._last_request.get(host)
        if last is not None:
            wait = last + self.host_delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        self._last_request[host] = time.monotonic()

    def _read_body(self, response: Any) -> bytes:
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise _Unreadable(f"response is {_human_size(int(declared))}, over the {_human_size(self.max_bytes)} limit")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise _Unreadable(f"response is over the {_human_size(self.max_bytes)} limit")
            chunks.append(chunk)
        return b"".join(chunks)


def _response_kind(fetched: _Fetched) -> str:
    ctype = fetched.content_type
    if any(t in ctype for t in ("rss", "atom")):
        return "feed"
    if ctype in ("text/html", "application/xhtml+xml"):
        return "html"
    if ctype.startswith(("image/", "audio/", "video/", "font/")) or ctype in ("application/pdf", "application/zip"):
        return "binary"
    if ctype == "text/plain":
        return "text"
    return _sniff(fetched.body[:_HEAD_BYTES]) if fetched.body else "text"


def _read_url(url: str, ctx: _Context) -> Iterator[Item]:
    """An article page or a feed, decided by content type and content."""
    doc_id = document_id_for_url(url)
    try:
        fetched = ctx.fetcher().get(url)
    except _Unreadable as exc:
        yield DocumentError(source=url, doc_id=doc_id, message=str(exc))
        return
    kind = _response_kind(fetched)
    if kind == "binary":
        yield DocumentError(source=url, doc_id=doc_id, message=f"binary content ({fetched.content_type}), not text")
        return
    yield from _read_stream(
        io.BytesIO(fetched.body), kind, doc_id=doc_id, source=url, ctx=ctx, charset=fetched.charset, url=fetched.url
    )


# --- WARC -----------------------------------------------------------------------------------


def _read_warc(stream: IO[bytes], source: str, ctx: _Context) -> Iterator[Item]:
    """HTML ``response`` records; stops with one error at the first sign of damage."""
    from warcio.archiveiterator import ArchiveIterator

    class CheckedIterator(ArchiveIterator):
        """Notices data left over after the last whole record (warcio stops silently).

        Either the last gzip member ended before its end marker, or bytes were
        read past the end of the last complete record (a cut-off header).
        """

        ended_early = False

        def close(self) -> None:
            reader = self.reader
            if reader is not None:
                decompressor = reader.decompressor
                if decompressor is not None and not decompressor.eof:
                    self.ended_early = True
                elif self.fh.tell() - reader.rem_length() > self.offset:
                    self.ended_early = True
            super().close()

    iterator = CheckedIterator(stream, arc2warc=_is_arc(stream))
    records = iter(iterator)
    number = 0  # records read so far
    while True:
        try:
            with _one_line_warnings(source, number + 1):
                record = next(records, None)
        except Exception as exc:  # noqa: BLE001 - warcio raises many types on damaged input
            what = "not a WARC file, or damaged in its first record" if number == 0 else (
                f"WARC is damaged after record {number}"
            )
            why = _one_line(exc)
            if "non-chunked gzip" in why:
                why = "the file is one gzip stream, not one gzip member per record; `warcio recompress` fixes it"
            yield DocumentError(source=source, message=f"{what} ({why})")
            return
        if record is None:
            break
        number += 1
        if record.format not in ("warc", "arc2warc"):
            what = "not a WARC file" if number == 1 else f"WARC is damaged at record {number}"
            yield DocumentError(source=source, message=f"{what} (no WARC record header)")
            return
        uri = record.rec_headers.get_header("WARC-Target-URI") or ""
        doc_id = document_id_for_url(uri) if uri else f"{_stem(Path(source).name)}-{number}"
        try:
            payload, charset = _warc_html_payload(record, ctx.max_bytes)
            truncated = _drain(record) or not _whole_header(record)
        except Exception as exc:  # noqa: BLE001 - damaged compressed or chunked data
            yield DocumentError(source=source, doc_id=doc_id, message=f"WARC is damaged in record {number} ({_one_line(exc)})")
            return
        if truncated:
            yield DocumentError(
                source=source, doc_id=doc_id,
                message=f"WARC is truncated in record {number} ({uri or 'no target URI'}); stopped there",
            )
            return
        if payload is None:
            continue
        try:
            if isinstance(payload, str):  # a message about this record
                raise _Unreadable(payload)
            yield _html_document(_decode_html(payload, charset), doc_id=doc_id, source=source, ctx=ctx, url=uri or None)
        except _Unreadable as exc:
            yield DocumentError(source=source, doc_id=doc_id, message=f"record {number}: {exc}")
    if iterator.ended_early:
        what = "not a WARC file, or damaged in its first record" if number == 0 else (
            f"WARC is truncated after record {number}; the next record is incomplete"
        )
        yield DocumentError(source=source, message=what)


def _is_arc(stream: IO[bytes]) -> bool:
    """An ARC file (the Internet Archive's format before WARC) opens with ``filedesc://``."""
    head = stream.peek(64)[:64] if hasattr(stream, "peek") else b""
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 16)
        except zlib.error:
            return False
    return head.startswith(b"filedesc://")


@contextlib.contextmanager
def _one_line_warnings(source: str, number: int) -> Iterator[None]:
    """warcio writes multi-line warnings to stderr (a record length that does not match the
    data, a gzip file that is not one member per record); say the same in our one-line form."""
    caught = io.StringIO()
    with contextlib.redirect_stderr(caught):
        yield
    text = " ".join(caught.getvalue().split())
    if text:
        if "non-chunked gzip" in text:
            text = "the file is one gzip stream, not one gzip member per record (warcio recompress fixes it)"
        elif "Content-Length" in text or "content-length" in text.lower():
            text = "a record's Content-Length does not match its data"
        sys.stderr.write(f"warning {source}: record {number}: {text[:300]}\n")


def _whole_header(record: Any) -> bool:
    """warcio yields a record even from a cut-off header block; a whole one has a type and a Content-Length."""
    length = (record.rec_headers.get_header("Content-Length") or "").strip()
    return bool(record.rec_type) and length.isdigit()


def _warc_html_payload(record: Any, max_bytes: int) -> tuple[bytes | str | None, str | None]:
    """The HTTP body of a successful HTML response; None to skip; a str to report."""
    if not _whole_header(record) or record.rec_type != "response" or record.http_headers is None:
        return None, None
    status = record.http_headers.get_statuscode() or ""
    if not status.startswith("2"):
        return None, None
    ctype = (record.http_headers.get_header("Content-Type") or "").lower()
    if ctype and "html" not in ctype:
        return None, None
    charset_match = re.search(r"charset=\s*[\"']?([\w.:-]+)", ctype)
    body = record.content_stream().read(max_bytes + 1)
    if len(body) > max_bytes:
        return f"payload is over the {_human_size(max_bytes)} limit", None
    if not ctype and _sniff(body[:_HEAD_BYTES]) != "html":
        return None, None
    return body, charset_match.group(1) if charset_match else None


def _drain(record: Any) -> bool:
    """Read a record to its end; True when the data stops before its declared length."""
    raw = record.raw_stream
    while raw.read(1 << 16):
        pass
    return getattr(raw, "limit", 0) > 0
