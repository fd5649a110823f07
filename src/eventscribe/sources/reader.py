"""The way in: ``read_sources`` walks paths, folders, standard input and URLs, decides each
input's kind (by name, else by content) and hands it to its reader; ``count_inputs`` sizes a
progress bar.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from ..model import Document, DocumentError
from .common import DEFAULT_MAX_BYTES, HEAD_BYTES, HOST_DELAY, HTTP_RETRIES, HTTP_TIMEOUT, Item, ReadContext, URL_RE, UTF16_32_BOMS, Unreadable, binary_reason, python_codec, decode_utf8, document_id_for_url, human_size, kind_for_name, normalise_text, one_line, read_up_to, sniff, stem, too_big
from .feeds import feed_items
from .fetch import response_kind
from .pages import decode_html, html_document
from .records import json_items, read_jsonl, yaml_items
from .warc import read_warc


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
    ctx = ReadContext(published, max_bytes, fetch_articles, timeout, retries, host_delay, known_url)
    try:
        for raw_path in paths:
            path = os.fspath(raw_path)
            try:
                yield from _read_path(path, ctx)
            except Exception as exc:  # noqa: BLE001 - last guard: one input never stops the rest
                yield DocumentError(source=path, message=f"unexpected error: {one_line(exc)}")
    finally:
        ctx.close()


def _read_path(path: str, ctx: ReadContext) -> Iterator[Item]:
    if path == "-":
        yield from _read_stdin(ctx)
    elif URL_RE.match(path):
        yield from _read_url(path, ctx)
    else:
        p = Path(path)
        if p.is_dir():
            yield from _read_folder(p, ctx)
        elif p.is_file():
            yield from _read_file(p, stem(p.name), path, ctx)
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
        if path == "-" or URL_RE.match(path):
            return None
        p = Path(path)
        files = list(_walk(p)) if p.is_dir() else [p] if p.is_file() else []
        for f in files:
            kind = kind_for_name(f.name)
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


def _read_folder(root: Path, ctx: ReadContext) -> Iterator[Item]:
    """All supported files below ``root``, sorted, hidden ones skipped."""
    files = sorted(_walk(root), key=lambda p: p.relative_to(root).as_posix())
    ids = _unique_ids(root, files)
    for path in files:
        try:
            yield from _read_file(path, ids[path], str(path), ctx)
        except Exception as exc:  # noqa: BLE001 - keep going with the next file
            yield DocumentError(source=str(path), doc_id=ids[path], message=f"unexpected error: {one_line(exc)}")


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if not name.startswith(".") and kind_for_name(name) is not None:
                yield Path(dirpath) / name


def _unique_ids(root: Path, files: list[Path]) -> dict[Path, str]:
    """File stem as id; where stems clash, the relative path (without, then with, extension).

    Deterministic: the choice depends only on the set of file names.
    """
    def rel(p: Path) -> str:
        return p.relative_to(root).as_posix()

    def rel_no_ext(p: Path) -> str:
        r = rel(p)
        return r[: len(r) - len(p.name)] + stem(p.name)

    levels = (lambda p: stem(p.name), rel_no_ext, rel)
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


def _read_file(path: Path, doc_id: str, source: str, ctx: ReadContext) -> Iterator[Item]:
    kind = kind_for_name(path.name)
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
            yield DocumentError(source=source, doc_id=doc_id, message=too_big(size, ctx.max_bytes))
            return
        yield from _read_stream(fh, kind, doc_id=doc_id, source=source, ctx=ctx)


def _read_stdin(ctx: ReadContext) -> Iterator[Item]:
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
    ctx: ReadContext,
    charset: str | None = None,
    url: str | None = None,
) -> Iterator[Item]:
    """Check the head of a byte stream, sniff its kind if unknown, then read it."""
    head = read_up_to(stream, HEAD_BYTES)
    if not head:
        yield DocumentError(source=source, doc_id=doc_id, message="empty input")
        return
    if kind is None:
        kind = sniff(head)
    if kind != "warc" and not (kind == "html" and head.startswith(UTF16_32_BOMS[:2])):
        reason = binary_reason(head, nul_is_binary=kind != "jsonl")
        if reason:
            yield DocumentError(source=source, doc_id=doc_id, message=reason)
            return
    stream = io.BufferedReader(_PrefixedRaw(head, stream))
    if kind == "warc":
        yield from read_warc(stream, source, ctx)
        return
    if kind == "jsonl":
        yield from read_jsonl(stream, doc_id, source, ctx)
        return
    data = read_up_to(stream, ctx.max_bytes + 1)
    if len(data) > ctx.max_bytes:
        yield DocumentError(source=source, doc_id=doc_id, message=f"input is over the {human_size(ctx.max_bytes)} limit")
        return
    if kind == "feed":
        fetch = bool(ctx.fetch_articles) if url is None else ctx.fetch_articles is not False
        yield from feed_items(data, source=source, feed_id=doc_id, ctx=ctx, fetch=fetch, base_url=url)
        return
    try:
        if kind == "html":
            yield html_document(decode_html(data, charset), doc_id=doc_id, source=source, url=url, ctx=ctx)
        elif kind == "json":
            yield from json_items(data, doc_id=doc_id, source=source, ctx=ctx)
        elif kind == "yaml":
            yield from yaml_items(data, doc_id=doc_id, source=source, ctx=ctx)
        else:
            # Plain text must be UTF-8, unless an HTTP response declared its charset.
            codec = python_codec(charset)
            text = normalise_text(data.decode(codec, errors="replace") if codec else decode_utf8(data))
            if not text.strip():
                raise Unreadable("empty document (only whitespace)")
            yield Document(id=doc_id, text=text, url=url, published=ctx.published, source=source)
    except Unreadable as exc:
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


def _read_url(url: str, ctx: ReadContext) -> Iterator[Item]:
    """An article page or a feed, decided by content type and content."""
    doc_id = document_id_for_url(url)
    try:
        fetched = ctx.fetcher().get(url)
    except Unreadable as exc:
        yield DocumentError(source=url, doc_id=doc_id, message=str(exc))
        return
    kind = response_kind(fetched)
    if kind == "binary":
        yield DocumentError(source=url, doc_id=doc_id, message=f"binary content ({fetched.content_type}), not text")
        return
    yield from _read_stream(
        io.BytesIO(fetched.body), kind, doc_id=doc_id, source=url, ctx=ctx, charset=fetched.charset, url=fetched.url
    )
