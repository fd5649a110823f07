"""HTML pages: decoding by BOM, HTTP charset or ``<meta charset>``, and the page's main text,
title and publication date (trafilatura, htmldate); plain text of HTML snippets in feeds.
"""

from __future__ import annotations

import codecs
import datetime as dt
import html as html_lib
import re

from ..model import Document
from .common import ReadContext, Unreadable, python_codec, parse_iso_date


_CHARSET_RE = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING_RE = re.compile(rb"""^\s*<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)


_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote pre table tr section article "
    "header footer figure figcaption dd dt dl hr".split()
)


_RESET_CACHES_EVERY = 500  # trafilatura/htmldate caches grow over long batches


def _declared_charset(data: bytes) -> str | None:
    head = data[:4096]
    match = _XML_ENCODING_RE.match(head) or _CHARSET_RE.search(head)
    if not match:
        return None
    return python_codec(match.group(1).decode("ascii", errors="ignore"))


def decode_html(data: bytes, charset: str | None = None) -> str:
    """Decode HTML honouring BOM > HTTP charset > <meta charset>; else strict UTF-8.

    A declared charset is trusted (bad bytes become U+FFFD, as browsers do);
    an undeclared page must be valid UTF-8, since guessing would silently
    garble names and numbers.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    declared = python_codec(charset) or _declared_charset(data)
    if declared:
        return data.decode(declared, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Unreadable(f"not valid UTF-8 at byte {exc.start} and no charset declared") from None

_extractions = 0


def html_document(
    html: str,
    *,
    doc_id: str,
    source: str,
    ctx: ReadContext,
    url: str | None = None,
    title: str | None = None,
    published: dt.date | None = None,
) -> Document:
    """Main text, title and publication date of a page; raises Unreadable when it has no main text."""
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
        raise Unreadable("empty document")
    try:
        tree = lxml.html.fromstring(html)
    except Exception:  # noqa: BLE001 - lxml raises several types on junk
        tree = None
    if tree is None:
        raise Unreadable("no main text found in HTML (cannot parse the page)")
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
        raise Unreadable("no main text found in HTML")
    text = "\n\n".join(lines)
    title = " ".join(result.title.split()) if result and result.title else None
    published = parse_iso_date(result.date) if result and result.date else None
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
    date = parse_iso_date(found) if found else None
    if date is None or date.day == 1:
        return None
    return date


def html_fragment_text(fragment: str) -> str:
    """Plain text of an HTML snippet (feed summaries), paragraphs separated by blank lines."""
    import lxml.html
    from lxml.etree import ParserError

    if "<" not in fragment:
        return tidy_paragraphs(html_lib.unescape(fragment))
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ParserError, ValueError):
        return tidy_paragraphs(re.sub(r"<[^>]*>", " ", fragment))
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS:
            el.tail = "\n\n" + (el.tail or "")
            if el.tag.lower() != "br":
                el.text = "\n\n" + (el.text or "")
    return tidy_paragraphs(root.text_content())


def tidy_paragraphs(text: str) -> str:
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", text))
    return "\n\n".join(p for p in paragraphs if p)
