"""Ingest throughput: articles/s from documents to a merged event database.

    python bench/ingest_bench.py [--articles 300] [--workers 2] [--db URL]
    python bench/ingest_bench.py --modes plain dask

Articles are made from the example articles (``examples/gold``, our own
texts): each benchmark article joins two of them in a seeded random order, so
every article is new to the store (and a few are near-copies, which exercises
the MinHash check). Each mode ingests the same articles into a fresh database
and reports articles/s end to end (extraction + store + merge):

* ``plain``   one process (``--workers 1``),
* ``workers`` ``Pipeline(n_process=N)`` — spaCy's own multiprocessing,
* ``dask``    a LocalCluster of N worker processes (``--dask``), merge in the parent.

The pipeline's one-off model load is inside the timing for every mode, as a
user would see it; ``--warm`` times a second run of ``plain`` after a load.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

from eventscribe.ingest import ingest_documents  # noqa: E402
from eventscribe.model import Document  # noqa: E402
from eventscribe.store import Store  # noqa: E402


def corpus(n: int, seed: int = 3) -> list[Document]:
    texts = []
    for path in sorted((ROOT / "examples" / "gold").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts.append((data["text"].strip(), data.get("published")))
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        (a, pub), (b, _) = rng.sample(texts, 2)
        docs.append(Document(id=f"bench-{i:05d}", text=f"{a}\n\n{b}", published=pub,
                             url=f"https://outlet{i % 7}.example/{i}"))
    return docs


def run_mode(mode: str, docs: list[Document], db: str, workers: int) -> dict:
    with Store(db) as store:
        t0 = time.perf_counter()
        if mode == "plain":
            r = ingest_documents(docs, store, workers=1)
        elif mode == "workers":
            r = ingest_documents(docs, store, workers=workers)
        elif mode == "dask":
            r = ingest_documents(docs, store, workers=workers, dask=True)
        else:
            raise ValueError(mode)
        seconds = time.perf_counter() - t0
        stats = store.stats()
    return {"mode": mode, "workers": 1 if mode == "plain" else workers, "articles": len(docs),
            "seconds": round(seconds, 1), "articles_per_s": round(len(docs) / seconds, 2),
            "store_seconds": round(r.store_seconds, 1),
            "store_ms_per_article": round(1000 * r.store_seconds / len(docs), 1),
            "mentions": stats["mentions"], "events": stats["events"],
            "syndicated": stats["syndicated_copies"]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--modes", nargs="+", default=["plain", "workers", "dask"])
    ap.add_argument("--db", help="database URL (default: a fresh SQLite file per mode)")
    ap.add_argument("--json", help="write the results to this file")
    args = ap.parse_args(argv)
    docs = corpus(args.articles)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for mode in args.modes:
            db = args.db or str(Path(tmp) / f"{mode}.db")
            res = run_mode(mode, docs, db, args.workers)
            print(json.dumps(res), file=sys.stderr, flush=True)
            results.append(res)
    print("| mode | workers | articles | seconds | articles/s | store+merge ms/article | mentions | events | syndicated |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['mode']} | {r['workers']} | {r['articles']} | {r['seconds']} | {r['articles_per_s']} | "
              f"{r['store_ms_per_article']} | {r['mentions']} | {r['events']} | {r['syndicated']} |")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
