"""Document records in JSONL (line by line, a bad line costs only itself), JSON and YAML files:
keys ``id``, ``text`` or ``html``, ``url``, ``title``, ``published``.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
from collections.abc import Iterator
from typing import IO, Any

from ..model import Document, DocumentError
from .common import Item, ReadContext, Unreadable, decode_utf8, human_size, normalise_text, one_line, parse_iso_date
from .pages import html_document


def read_jsonl(stream: IO[bytes], file_id: str, source: str, ctx: ReadContext) -> Iterator[Item]:
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
                message=f"line {lineno}: over the {human_size(ctx.max_bytes)} limit",
            )
            continue
        if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
            raw, start = raw[3:], start + 3
        if raw.strip():
            yield _jsonl_line(raw, start, lineno, file_id, source, ctx)


def _jsonl_line(raw: bytes, start: int, lineno: int, file_id: str, source: str, ctx: ReadContext) -> Item:
    """One JSONL line (``start`` = its byte offset in the file, for error messages)."""
    obj: Any = None
    try:
        if b"\x00" in raw:
            raise Unreadable("binary data (NUL bytes), not text")
        line = decode_utf8(raw, start).strip()
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise Unreadable(f"invalid JSON ({exc.msg} at column {exc.pos + 1})") from None
        except RecursionError:
            raise Unreadable("JSON nested too deeply") from None
        if not isinstance(obj, dict):
            raise Unreadable(f"expected a JSON object, got {_json_type(obj)}")
        return _record_document(obj, default_id=f"{file_id}-{lineno}", source=source, ctx=ctx)
    except Unreadable as exc:
        doc_id = (_given_id(obj) or f"{file_id}-{lineno}") if isinstance(obj, dict) else None
        return DocumentError(source=source, line=lineno, doc_id=doc_id, message=f"line {lineno}: {exc}")


def json_items(data: bytes, *, doc_id: str, source: str, ctx: ReadContext) -> Iterator[Item]:
    text = decode_utf8(data)
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


def yaml_items(data: bytes, *, doc_id: str, source: str, ctx: ReadContext) -> Iterator[Item]:
    import yaml

    text = decode_utf8(data)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        values = [v for v in yaml.load_all(text, Loader=loader) if v is not None]
    except RecursionError:
        yield DocumentError(source=source, doc_id=doc_id, message="YAML nested too deeply")
        return
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or one_line(exc)
        where = f" at line {line} column {mark.column + 1}" if mark is not None else ""
        yield DocumentError(source=source, doc_id=doc_id, line=line, message=f"invalid YAML ({problem}{where})")
        return
    if not values:
        yield DocumentError(source=source, doc_id=doc_id, message="empty document")
        return
    for n, value in enumerate(values, 1):
        yield from _object_items(value, doc_id=doc_id if len(values) == 1 else f"{doc_id}-{n}", source=source, ctx=ctx)


def _object_items(value: Any, *, doc_id: str, source: str, ctx: ReadContext) -> Iterator[Item]:
    """One document object, or a list of them (ids ``<file>-<n>`` when missing)."""
    if isinstance(value, dict):
        try:
            yield _record_document(value, default_id=doc_id, source=source, ctx=ctx)
        except Unreadable as exc:
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
            except Unreadable as exc:
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


def _record_document(obj: dict[str, Any], *, default_id: str, source: str, ctx: ReadContext) -> Document:
    """A Document from a mapping with ``id``, ``text``/``html``, ``url``, ``title``, ``published``."""
    doc_id = _given_id(obj) or default_id
    published = _parse_published(obj.get("published"))
    url = _optional_str(obj, "url")
    title = _optional_str(obj, "title")
    text, html = obj.get("text"), obj.get("html")
    if text is None and html is None:
        raise Unreadable("no 'text' or 'html' field")
    if text is not None:
        if not isinstance(text, str):
            raise Unreadable(f"'text' is {_json_type(text)}, not a string")
        text = normalise_text(text)
        if not text.strip():
            raise Unreadable("empty document")
        return Document(id=doc_id, text=text, title=title, url=url, published=published or ctx.published, source=source)
    if not isinstance(html, str):
        raise Unreadable(f"'html' is {_json_type(html)}, not a string")
    return html_document(html, doc_id=doc_id, source=source, ctx=ctx, url=url, title=title, published=published)


def _optional_str(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, (str, int, float)):
        raise Unreadable(f"'{key}' is {_json_type(value)}, not a string")
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
        parsed = parse_iso_date(value.strip())
        if parsed is not None:
            return parsed
    raise Unreadable(f"invalid 'published' date {value!r} (expected ISO 8601, e.g. 2024-03-14)")
