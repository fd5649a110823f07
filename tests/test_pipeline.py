"""The pipeline: batches and worker processes give the records one process gives, in input order."""

import datetime as dt
import threading
from itertools import islice

from eventscribe import pipeline
from eventscribe.model import Document
from eventscribe.pipeline import Pipeline

_PLACES = ["Nairobi", "Lagos", "Dhaka", "Quito", "Kano", "Mombasa", "Chittagong"]


def _documents(n: int) -> list[Document]:
    """Short invented reports that differ from each other, so any reordering shows."""
    return [
        Document(id=f"doc-{i:02d}", published=dt.date(2024, 5, 1 + i % 20),
                 text=(f"Police arrested {i + 2} protesters in {_PLACES[i % len(_PLACES)]} on Monday. "
                       f"Gunmen attacked a police post in {_PLACES[(i + 3) % len(_PLACES)]}, killing {i + 1} officers.")
                 if i % 3 else "A recipe for lemon cake: butter, sugar and flour.")
        for i in range(n)
    ]


def _records(results) -> list[dict]:
    return [r.model_dump(mode="json") for r in results]


def test_two_workers_give_the_same_records_in_input_order():
    docs = _documents(3 * pipeline.WORKER_CHUNK + 1)  # several chunks per worker, the last one short
    one = _records(Pipeline().extract(docs))
    with Pipeline(n_process=2) as two_workers:
        two = _records(two_workers.extract(docs))
        again = [r.document.id for r in two_workers.extract(docs[:3])]  # the same workers serve a second call
        workers = two_workers._pool
        # the input is read in the reader's thread, a few chunks ahead of it, never all at once
        pulled: list[int] = []

        def feed():
            for d in docs * 3:
                pulled.append(threading.get_ident())
                yield d

        stream = two_workers.extract(feed())
        next(stream)
        assert set(pulled) == {threading.get_ident()}
        assert len(pulled) <= (pipeline.IN_FLIGHT * 2 + 1) * pipeline.WORKER_CHUNK < 3 * len(docs)
        stream.close()  # a reader that stops early leaves no work queued behind it
        first = list(islice(two_workers.extract(docs + docs), 2))
        assert two_workers._pool is None and workers is not None
    assert [r["document"]["id"] for r in two] == [d.id for d in docs]
    assert two == one
    assert again == ["doc-00", "doc-01", "doc-02"]
    assert [r.document.id for r in first] == ["doc-00", "doc-01"]
    assert any(r["events"] for r in one) and not one[0]["events"]


def test_batches_of_any_size_give_the_same_records():
    docs = _documents(7)
    assert _records(Pipeline(batch_size=2).extract(docs)) == _records(Pipeline(batch_size=32).extract(docs))


def test_stage_times_add_up_per_process():
    before = dict(pipeline.STAGE_SECONDS)
    list(Pipeline().extract(_documents(4)))
    assert set(pipeline.STAGE_SECONDS) == {"prepare", "parse", "events"}
    assert all(pipeline.STAGE_SECONDS[k] >= before.get(k, 0.0) for k in pipeline.STAGE_SECONDS)


def _failing_on(doc_id: str, monkeypatch) -> None:
    """Inject an error of ours (any exception) in the reading of one document."""
    real = pipeline._document_events

    def reading(doc, *args, **kwargs):
        if doc.id == doc_id:
            raise RecursionError("maximum recursion depth exceeded")
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(pipeline, "_document_events", reading)


def test_an_error_on_one_document_loses_only_that_document(monkeypatch):
    docs = _documents(6)
    clean = {r.document.id: r for r in Pipeline(batch_size=6).extract(docs)}
    _failing_on("doc-04", monkeypatch)
    results = list(Pipeline(batch_size=6).extract(docs))
    assert [r.document.id for r in results] == [d.id for d in docs]  # input order kept
    failed = [r for r in results if r.failed]
    assert [r.document.id for r in failed] == ["doc-04"] and "RecursionError" in failed[0].failed
    assert not failed[0].events
    for r in results:
        if r.document.id != "doc-04":
            assert r.failed is None
            assert [e.model_dump() for e in r.events] == [e.model_dump() for e in clean[r.document.id].events]


def test_extract_reports_a_failed_document_and_exits_1(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from eventscribe.cli import app

    (tmp_path / "a.txt").write_text("Police arrested 12 protesters in Nairobi on Monday.\n")
    (tmp_path / "b.txt").write_text("Gunmen attacked a police post in Kano on Tuesday, killing three officers.\n")
    _failing_on("a", monkeypatch)
    result = CliRunner().invoke(app, ["extract", str(tmp_path), "--published", "2024-05-02", "-f", "jsonl"])
    assert result.exit_code == 1
    assert "failed" in result.output and "RecursionError" in result.output
    assert '"doc_id":"b"' in result.output.replace(" ", "") and '"doc_id":"a"' not in result.output.replace(" ", "")
