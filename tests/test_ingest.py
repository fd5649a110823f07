"""Ingest end to end: idempotence, crash safety (SIGKILL), Dask, the CLI."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from eventscribe.ingest import ingest_documents
from eventscribe.model import DocumentError
from eventscribe.store import Store

from canned_pipeline import CannedPipeline
from ingest_corpus import corpus, snapshot

FIXTURES = Path(__file__).parent / "fixtures"
PY = sys.executable


def test_ingest_counts_and_rerun_adds_nothing(db_url):
    docs = corpus(24)
    items = [*docs, DocumentError(source="broken.html", message="not UTF-8")]
    with Store(db_url) as s:
        r = ingest_documents(items, s, pipeline=CannedPipeline())
        assert (r.documents_read, r.added + r.syndicated, r.failed, r.mentions) == (24, 24, 1, 24)
        assert r.events_created == 12 and r.events_joined == 12  # 12 towns, 2 reports each
        first = snapshot(s)
        r2 = ingest_documents(docs, s, pipeline=CannedPipeline())
        assert (r2.already_stored, r2.added, r2.mentions) == (24, 0, 0)
        assert snapshot(s) == first
    assert all(e[3] == 2 for e in first["events"])  # two outlets per event


KILL_SCRIPT = """
import sys, time
sys.path.insert(0, {fixtures!r})
from canned_pipeline import CannedPipeline
from ingest_corpus import corpus
from eventscribe.ingest import ingest_documents
from eventscribe.store import Store

class Slow(CannedPipeline):
    def extract(self, docs):
        for r in super().extract(docs):
            time.sleep({delay})
            yield r

def tick(r):
    print("stored", r.added + r.syndicated, flush=True)

with Store({db!r}) as s:
    ingest_documents(corpus({n}), s, pipeline=Slow(), progress=tick)
print("done", flush=True)
"""


def _run_ingest_subprocess(db, n, delay, kill_after=None):
    code = KILL_SCRIPT.format(fixtures=str(FIXTURES), db=db, n=n, delay=delay)
    proc = subprocess.Popen([PY, "-c", code], stdout=subprocess.PIPE, text=True)
    if kill_after is None:
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0 and "done" in out
        return
    for line in proc.stdout:
        if line.startswith("stored") and int(line.split()[1]) >= kill_after:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def test_sigkill_mid_ingest_then_rerun_loses_and_duplicates_nothing(db_url, tmp_path):
    n = 36
    _run_ingest_subprocess(db_url, n, delay=0.05, kill_after=10)
    with Store(db_url) as s:
        partial = s.stats()
    assert 10 <= partial["documents"] < n  # killed in the middle, whole documents only
    assert partial["mentions"] == partial["documents"]
    _run_ingest_subprocess(db_url, n, delay=0.0)
    clean = str(tmp_path / "clean.db")
    with Store(clean) as s:
        ingest_documents(corpus(n), s, pipeline=CannedPipeline())
        expected = snapshot(s)
    with Store(db_url) as s:
        assert snapshot(s) == expected


def test_dask_localcluster_gives_the_same_database(tmp_path, monkeypatch):
    pytest.importorskip("dask.distributed")
    # the worker processes import the canned pipeline by name, never a pickled object
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(FIXTURES), os.environ.get("PYTHONPATH", "")]))
    docs = corpus(30)
    with Store(str(tmp_path / "plain.db")) as s:
        ingest_documents(docs, s, pipeline=CannedPipeline())
        plain = snapshot(s)
    with Store(str(tmp_path / "dask.db")) as s:
        r = ingest_documents(docs, s, dask=True, workers=2, pipeline_factory="canned_pipeline:CannedPipeline")
        assert r.added + r.syndicated == 30
        assert snapshot(s) == plain


# --- the command line ------------------------------------------------------------

ARTICLES = {
    "kano.txt": "Gunmen attacked a police station in Kano on Monday, killing three officers, police said.",
    "lagos.txt": "Thousands of protesters marched through Lagos on Tuesday against rising fuel prices.",
}


def _cli(*args, cwd=None):
    return subprocess.run([PY, "-m", "eventscribe.cli", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    """One real `eventscribe ingest` run (real sources, real pipeline) for the CLI tests."""
    d = tmp_path_factory.mktemp("cli")
    for name, text in ARTICLES.items():
        (d / name).write_text(text + "\n", encoding="utf-8")
    db = str(d / "cli.db")
    first = _cli("ingest", str(d / "kano.txt"), str(d / "lagos.txt"), str(d / "missing.txt"),
                 "--db", db, "--published", "2024-03-14", "--format", "json", "--quiet")
    second = _cli("ingest", str(d), "--db", db, "--published", "2024-03-14", "--format", "json", "--quiet")
    return d, db, first, second


def test_cli_ingest_exit_codes_and_idempotence(ingested):
    _, db, first, second = ingested
    assert first.returncode == 1, first.stderr  # one input missing, the rest stored
    report = json.loads(first.stdout)
    assert (report["documents_read"], report["added"], report["failed"]) == (2, 2, 1)
    assert "missing.txt" in first.stderr
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout)["already_stored"] == 2
    stats = json.loads(_cli("stats", "--db", db, "--format", "json").stdout)
    assert stats["documents"] == 2


def test_cli_events_and_usage_errors(ingested):
    _, db, _, _ = ingested
    out = _cli("events", "--db", db, "--format", "jsonl")
    assert out.returncode == 0
    rows = [json.loads(l) for l in out.stdout.splitlines()]
    assert all(r["mentions"] and r["mentions"][0]["doc_id"] for r in rows)
    assert _cli("events", "--db", db, "--format", "xml").returncode == 2
    assert _cli("events", "--db", db, "--since", "March 3").returncode == 2
    assert _cli("export", "--db", db, "--format", "parquet").returncode == 2  # needs --out


def test_cli_database_unavailable_exit_3(tmp_path):
    bad = _cli("stats", "--db", "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2")
    assert bad.returncode == 3
    assert bad.stderr.count("\n") == 1 and "database unavailable" in bad.stderr
    (tmp_path / "a.txt").write_text("Rebels shelled the town of Goma.\n")
    dir_as_db = _cli("ingest", str(tmp_path / "a.txt"), "--db", str(tmp_path))  # a folder is no database
    assert dir_as_db.returncode == 3


def test_two_ingests_at_once_store_each_document_once(db_url):
    """Two processes ingesting the same corpus into one database: no doubles, no lock errors."""
    n = 24
    code = KILL_SCRIPT.format(fixtures=str(FIXTURES), db=db_url, n=n, delay=0.005)
    procs = [subprocess.Popen([PY, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1][-500:] for o in outs]
    with Store(db_url) as s:
        st = s.stats()
        evs = s.events()
    assert (st["documents"], st["mentions"]) == (n, n)
    assert sum(e.n_articles for e in evs) == n


def test_a_renamed_duplicate_document_id_is_announced(tmp_path):
    import json as _json

    from eventscribe.ingest import ingest
    from eventscribe.store import Store

    path = tmp_path / "dupes.jsonl"
    path.write_text(_json.dumps({"id": "story", "text": "Police arrested two men in Nairobi on Friday."}) + "\n"
                    + _json.dumps({"id": "story", "text": "Troops shelled a village in Mali on Sunday."}) + "\n")
    with Store(str(tmp_path / "d.db")) as store:
        report = ingest([str(path)], store, published=None)
    assert report.added == 2
    assert len(report.warnings) == 1 and "'story'" in report.warnings[0] and "story~2" in report.warnings[0]


def test_two_processes_ingesting_at_once_find_every_copy(tmp_path):
    """Originals in one process, their near-copies in another, at the same time: every pair
    ends as one original and one syndicated copy, whichever process stored first."""
    import json as _json
    import os
    import random
    import subprocess
    import sys

    from sqlalchemy import create_engine, text

    rng = random.Random(7)
    words = ("police army council market bridge village ministry protest minister border river city "
             "station convoy rally court governor officials residents province district").split()
    originals, copies = tmp_path / "originals.jsonl", tmp_path / "copies.jsonl"
    with open(originals, "w") as fo, open(copies, "w") as fc:
        for i in range(12):
            body = " ".join(rng.choice(words) for _ in range(150)) + f" story {i}."
            fo.write(_json.dumps({"id": f"orig-{i}", "text": body}) + "\n")
            fc.write(_json.dumps({"id": f"copy-{i}", "text": body + " Reprinted from the wire service."}) + "\n")
    db = tmp_path / "shared.db"
    cmd = [sys.executable, "-m", "eventscribe", "ingest", "--db", str(db), "--published", "2024-03-01", "--quiet"]
    env = {**os.environ}
    procs = [subprocess.Popen(cmd + [str(path)], env=env) for path in (originals, copies)]
    assert [p.wait(300) for p in procs] == [0, 0]
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT id, duplicate_of FROM documents")).all())
    engine.dispose()
    for i in range(12):
        pair = {rows[f"orig-{i}"], rows[f"copy-{i}"]}
        assert pair in ({None, f"orig-{i}"}, {None, f"copy-{i}"}), (i, pair)


def test_nul_characters_in_a_jsonl_text_are_stored(db_url, tmp_path):
    """A \\u0000 in a JSON text: PostgreSQL refuses NUL in text columns; it must cost nothing."""
    import json as _json

    from eventscribe.ingest import ingest
    from eventscribe.store import Store

    path = tmp_path / "nul.jsonl"
    path.write_text(_json.dumps({"id": "n1", "text": "Gunmen attacked a police post\u0000 in Kano on Monday."}) + "\n"
                    + _json.dumps({"id": "n2", "text": "Police arrested two men in Nairobi on Friday."}) + "\n")
    with Store(db_url) as store:
        report = ingest([str(path)], store, published=None)
        assert (report.added, report.failed) == (2, 0)
        assert store.stats()["documents"] == 2


def test_two_worker_processes_store_what_one_process_stores(tmp_path):
    """`ingest --workers 2` must give the database one process gives: the same documents,
    events and merges, whatever the workers finish first. The input repeats a report: with
    workers the copy may be extracted before the first one is stored, and must still be
    recognised when it is stored."""
    from eventscribe.model import Document

    docs = [Document(id=d.id, text=d.text.split("\n@event")[0], url=d.url, published=d.published)
            for d in corpus(9)]
    docs.insert(5, docs[1].model_copy(update={"id": "again"}))
    snaps, reports = [], []
    for workers in (1, 2):
        with Store(str(tmp_path / f"w{workers}.db")) as s:
            r = ingest_documents(docs, s, workers=workers)
            reports.append((r.documents_read, r.added + r.syndicated, r.already_stored, r.mentions))
            snaps.append([e.model_dump(exclude={"first_seen"}) for e in s.events()])
    assert reports[0] == reports[1] and reports[0][:3] == (10, 9, 1)
    assert snaps[0] == snaps[1] and snaps[0]


def test_a_document_the_extractor_fails_on_is_counted_not_stored_and_read_again(db_url):
    """An error of ours on one document (DocumentResult.failed) is a failure in the report, the
    others are stored, and a re-run reads that document again (it was never stored)."""
    from eventscribe.model import DocumentResult

    docs = corpus(6)

    class FailsOnOne(CannedPipeline):
        def extract(self, documents):
            for result in super().extract(documents):
                yield DocumentResult(document=result.document, failed="RecursionError: too deep") \
                    if result.document.id == docs[2].id else result

    with Store(db_url) as s:
        r = ingest_documents(docs, s, pipeline=FailsOnOne())
        assert (r.documents_read, r.added + r.syndicated, r.failed) == (6, 5, 1)
        assert "RecursionError" in r.errors[0].message and r.errors[0].doc_id == docs[2].id
        r2 = ingest_documents(docs, s, pipeline=CannedPipeline())
        assert (r2.already_stored, r2.added + r2.syndicated, r2.failed) == (5, 1, 0)
