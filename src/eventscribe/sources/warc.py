"""WARC and ARC web archives (warcio): the HTML ``response`` records, one document each; a damaged
or cut-off archive stops with one error that says where.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ..model import DocumentError
from .common import HEAD_BYTES, Item, ReadContext, Unreadable, document_id_for_url, human_size, one_line, sniff, stem
from .pages import decode_html, html_document


def read_warc(stream: IO[bytes], source: str, ctx: ReadContext) -> Iterator[Item]:
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
            why = one_line(exc)
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
        doc_id = document_id_for_url(uri) if uri else f"{stem(Path(source).name)}-{number}"
        try:
            payload, charset = _warc_html_payload(record, ctx.max_bytes)
            truncated = _drain(record) or not _whole_header(record)
        except Exception as exc:  # noqa: BLE001 - damaged compressed or chunked data
            yield DocumentError(source=source, doc_id=doc_id, message=f"WARC is damaged in record {number} ({one_line(exc)})")
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
                raise Unreadable(payload)
            yield html_document(decode_html(payload, charset), doc_id=doc_id, source=source, ctx=ctx, url=uri or None)
        except Unreadable as exc:
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
        return f"payload is over the {human_size(max_bytes)} limit", None
    if not ctype and sniff(body[:HEAD_BYTES]) != "html":
        return None, None
    return body, charset_match.group(1) if charset_match else None


def _drain(record: Any) -> bool:
    """Read a record to its end; True when the data stops before its declared length."""
    raw = record.raw_stream
    while raw.read(1 << 16):
        pass
    return getattr(raw, "limit", 0) > 0
