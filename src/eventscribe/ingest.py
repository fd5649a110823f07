"""Ingest: read sources, extract events, store and merge them, one document at a time.

``ingest(paths, store)`` is what ``eventscribe ingest`` runs:

1. :func:`eventscribe.sources.read_sources` yields documents (and read errors,
   which are reported and make the exit code 1, never stop the run);
2. documents already in the store (same canonical URL or same text) are
   dropped *before* extraction, so a rerun costs only reading;
3. the pipeline extracts events — in this process (``workers`` is passed to
   :class:`~eventscribe.pipeline.Pipeline` as ``n_process``, spaCy's own
   multiprocessing), or on a Dask cluster (``dask=``), see
   :func:`extract_with_dask`;
4. each :class:`~eventscribe.model.DocumentResult` is stored and merged in its
   own transaction (:meth:`eventscribe.store.Store.add`), in input order.

Because step 4 is sequential and in input order, a Dask ingest gives exactly
the same database as a plain one, and a killed ingest can be rerun: whole
documents were committed, the rest is picked up.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from itertools import chain, islice

from .model import Document, DocumentError, DocumentResult
from .store import Store


@dataclass
class IngestReport:
    """Counts of one ingest run (``--format json`` prints this)."""

    documents_read: int = 0
    added: int = 0
    syndicated: int = 0
    already_stored: int = 0
    failed: int = 0
    mentions: int = 0
    events_created: int = 0
    events_joined: int = 0
    links: int = 0
    seconds: float = 0.0
    store_seconds: float = 0.0  # of which: storing + merging (the rest is reading + extraction)
    store_cpu_seconds: float = 0.0  # this process's CPU time storing + merging (wall time waits for a busy machine too)
    errors: list[DocumentError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # e.g. a document id taken by another document

    def to_json(self) -> dict:
        d = asdict(self)
        d["errors"] = [e.model_dump(mode="json") for e in self.errors]
        d["seconds"] = round(self.seconds, 3)
        d["store_seconds"] = round(self.store_seconds, 3)
        d["store_cpu_seconds"] = round(self.store_cpu_seconds, 3)
        return d


ProgressFn = Callable[[IngestReport], None]


DEFAULT_PIPELINE = "eventscribe.pipeline:Pipeline"


def load_factory(spec: str) -> Callable:
    """``"package.module:Name"`` to the object it names."""
    import importlib

    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def ingest(paths: Sequence[str], store: Store, *, published: dt.date | None = None,
           workers: int = 1, dask: str | bool | None = None, pipeline=None,
           pipeline_factory: str = DEFAULT_PIPELINE,
           progress: ProgressFn | None = None, fetch_links: bool | None = None) -> IngestReport:
    """Read ``paths`` (files, folders, JSONL, feeds, WARC) into ``store``.

    ``fetch_links``: replace feed entries by the articles they link to (see
    :func:`eventscribe.sources.read_sources`); entries already stored are not fetched again."""
    from .sources import read_sources

    items = read_sources(paths, published, fetch_articles=fetch_links,
                         known_url=store.has_url if fetch_links else None)
    return ingest_documents(items, store, workers=workers,
                            dask=dask, pipeline=pipeline, pipeline_factory=pipeline_factory,
                            progress=progress)


def ingest_documents(items: Iterable[Document | DocumentError], store: Store, *,
                     workers: int = 1, dask: str | bool | None = None, pipeline=None,
                     pipeline_factory: str = DEFAULT_PIPELINE,
                     progress: ProgressFn | None = None) -> IngestReport:
    """Extract, store and merge already-read documents (errors are tallied).

    ``dask``: ``None``/``False`` runs in process; ``True`` starts a
    LocalCluster with ``workers`` worker processes; a string is the address of
    a running scheduler (``tcp://host:8786``). ``pipeline`` (an object with
    ``extract(docs)``) is used in process; ``pipeline_factory`` names the
    class each Dask worker (or this process, when ``pipeline`` is None)
    builds — a name, not an object, so nothing heavy is pickled.
    """
    report = IngestReport()
    t0 = time.perf_counter()

    def fresh() -> Iterator[Document]:
        for item in items:
            if isinstance(item, DocumentError):
                report.failed += 1
                report.errors.append(item)
                _tick(progress, report)
                continue
            report.documents_read += 1
            if store.known_document(item) is not None:
                report.already_stored += 1
                _tick(progress, report)
                continue
            yield item

    # Nothing new (a rerun): finish without loading a language model or starting a cluster.
    docs = fresh()
    own = None
    first = next(docs, None)
    docs = chain([first], docs) if first is not None else iter(())
    if first is None:
        results = iter(())
    elif dask:
        results = extract_with_dask(docs, None if dask is True else str(dask), workers=workers,
                                    pipeline_factory=pipeline_factory)
    else:
        if pipeline is None:  # ours to end: its worker processes, if any, stop with this run
            pipeline = own = load_factory(pipeline_factory)(n_process=max(1, workers))
        results = pipeline.extract(docs)
    try:
        _store_results(results, store, report, progress, t0)
    finally:
        if own is not None and hasattr(own, "close"):
            own.close()
    report.seconds = time.perf_counter() - t0
    return report


def _store_results(results: Iterable[DocumentResult], store: Store, report: IngestReport,
                   progress: ProgressFn | None, t0: float) -> None:
    """Store and merge each result as it comes, counting what happened."""
    for result in results:
        if result.failed:  # not stored, so that a re-run after the fix reads it again
            report.failed += 1
            report.errors.append(DocumentError(source=result.document.source or result.document.id,
                                               doc_id=result.document.id,
                                               message=f"the extractor raised {result.failed}"))
            _tick(progress, report)
            continue
        t_store, cpu_store = time.perf_counter(), time.process_time()
        out = store.add(result)
        report.store_seconds += time.perf_counter() - t_store
        report.store_cpu_seconds += time.process_time() - cpu_store
        if out.status == "exists":
            report.already_stored += 1
        else:
            if out.doc_id != result.document.id:
                where = f" ({result.document.source})" if result.document.source else ""
                report.warnings.append(f"document id {result.document.id!r}{where} is already used by a "
                                       f"different document: stored as {out.doc_id!r}")
            report.added += out.status == "added"
            report.syndicated += out.status == "syndicated"
            report.mentions += out.mentions
            report.events_created += out.events_created
            report.events_joined += out.events_joined
            report.links += out.links
        report.seconds = time.perf_counter() - t0
        _tick(progress, report)


def _tick(progress: ProgressFn | None, report: IngestReport) -> None:
    if progress is not None:
        progress(report)


# --- Dask ------------------------------------------------------------------------------

_WORKER_PIPELINES: dict[str, object] = {}


def _worker_pipeline(factory: str):
    """One pipeline per worker process, built on first use there (never pickled)."""
    if factory not in _WORKER_PIPELINES:
        _WORKER_PIPELINES[factory] = load_factory(factory)()
    return _WORKER_PIPELINES[factory]


def extract_partition(docs: list[Document], factory: str = DEFAULT_PIPELINE) -> list[DocumentResult]:
    """Run on a Dask worker: extract one partition with the worker's pipeline."""
    return list(_worker_pipeline(factory).extract(docs))


def _batched(items: Iterable, n: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(islice(it, n)):
        yield chunk


def extract_with_dask(docs: Iterable[Document], address: str | None = None, *, workers: int = 2,
                      partition_size: int = 32, max_in_flight: int | None = None,
                      pipeline_factory: str = DEFAULT_PIPELINE) -> Iterator[DocumentResult]:
    """Extract on a Dask cluster, yielding results in input order.

    Documents are cut into partitions of ``partition_size`` and submitted as
    futures, at most ``max_in_flight`` at a time (default 4 per worker), so
    memory stays bounded on any corpus size; results come back in submission
    order, which keeps the merge deterministic. Without ``address`` a
    LocalCluster of ``workers`` single-threaded processes is started and shut
    down afterwards.
    """
    from dask.distributed import Client, LocalCluster

    cluster = None
    if address:
        client = Client(address)
    else:
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or workers)
        limit = max_in_flight or 4 * n_workers
        pending: deque = deque()
        for part in _batched(docs, partition_size):
            pending.append(client.submit(extract_partition, part, pipeline_factory, pure=False))
            while len(pending) >= limit:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
