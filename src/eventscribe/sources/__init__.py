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

The package has a module per kind of input (``pages``, ``records``, ``feeds``, ``warc``),
``fetch`` for HTTP, ``reader`` for the way in and ``common`` for what they share.
"""

from __future__ import annotations

import logging

from .common import (
    DEFAULT_MAX_BYTES,
    HOST_DELAY,
    HTTP_RETRIES,
    HTTP_TIMEOUT,
    Item,
    content_hash,
    document_id_for_url,
)
from .reader import count_inputs, read_sources

# The extraction libraries log their own complaints about broken pages; we
# report every failure as a DocumentError instead, so keep their logs out of
# the user's terminal unless the application configures logging itself.
for _name in ("trafilatura", "htmldate", "courlan", "charset_normalizer"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

__all__ = [
    "DEFAULT_MAX_BYTES", "HOST_DELAY", "HTTP_RETRIES", "HTTP_TIMEOUT", "Item",
    "content_hash", "count_inputs", "document_id_for_url", "read_sources",
]
