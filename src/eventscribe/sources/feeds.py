"""RSS and Atom feeds (feedparser): each entry becomes the linked article, fetched, or the
entry's own text.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

from ..model import Document, DocumentError
from .common import Item, ReadContext, URL_RE, Unreadable, document_id_for_url, one_line
from .fetch import response_kind
from .pages import decode_html, html_document, html_fragment_text, tidy_paragraphs


def feed_items(
    data: bytes, *, source: str, feed_id: str, ctx: ReadContext, fetch: bool, base_url: str | None = None
) -> Iterator[Item]:
    """Each RSS/Atom entry as a Document: the fetched article, or the entry's own text."""
    import feedparser

    headers = {"content-location": base_url} if base_url else None
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    if not parsed.get("version") and not parsed.entries:
        why = f" ({one_line(parsed.bozo_exception)})" if parsed.get("bozo") else ""
        yield DocumentError(source=source, doc_id=feed_id, message=f"not an RSS or Atom feed{why}")
        return
    for n, entry in enumerate(parsed.entries, 1):
        yield from _entry_items(entry, n, source=source, feed_id=feed_id, ctx=ctx, fetch=fetch)


def _entry_items(entry: Any, n: int, *, source: str, feed_id: str, ctx: ReadContext, fetch: bool) -> Iterator[Item]:
    link = (entry.get("link") or "").strip()
    link = link if URL_RE.match(link) else None  # feedparser may copy a tag:/urn: id here
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
            if response_kind(fetched) != "html":
                raise Unreadable(f"not an HTML page ({fetched.content_type or 'no content type'})")
            yield html_document(
                decode_html(fetched.body, fetched.charset), doc_id=doc_id, source=source, ctx=ctx,
                url=link, title=title, published=published,
            )
            return
        except Unreadable as exc:
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
        title = html_fragment_text(title)
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
        text = tidy_paragraphs(value) if ctype == "text/plain" else html_fragment_text(value)
        if len(text) > len(best):
            best = text
    return best
