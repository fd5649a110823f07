"""The extraction pipeline: documents in, per-document event records out.

(Skeleton: the stages are being filled in; the public API below is stable.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from .model import Document, DocumentResult, Event


class Pipeline:
    """Loads the language model and lexicons once; reuse one instance."""

    def __init__(self, batch_size: int = 64, n_process: int = 1) -> None:
        self.batch_size = batch_size
        self.n_process = n_process

    def extract(self, documents: Iterable[Document]) -> Iterator[DocumentResult]:
        for doc in documents:
            yield DocumentResult(document=doc, events=[])


_default: Pipeline | None = None


def default_pipeline() -> Pipeline:
    global _default
    if _default is None:
        _default = Pipeline()
    return _default


def extract_text(text: str, published: dt.date | None = None, doc_id: str = "doc") -> list[Event]:
    """Events of one text: the shortest way in, for tests and notebooks."""
    doc = Document(id=doc_id, text=text, published=published)
    return next(default_pipeline().extract([doc])).events
