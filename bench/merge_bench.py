"""Cost of the cross-document merge at 10k, 100k (and 1M) synthetic mentions.

    python bench/merge_bench.py                      # 10k and 100k, SQLite temp file
    python bench/merge_bench.py --sizes 10000 100000 1000000
    python bench/merge_bench.py --db postgresql+psycopg://postgres@127.0.0.1:5433/bench

What is measured: for each mention, the work ``Store.add`` does for it inside
the database — insert the mention and its claims, one indexed blocking query
for candidate events, scoring, insert or update of the canonical event and
recomputation of its reconciled values — committed in batches of 1,000. The
document rows it needs (foreign keys, publisher) are inserted too; MinHash and
extraction are not part of the merge and are left out.

Synthetic world: real events are spread over 40 countries × 8 cities × 6
types, each reported by 1–5 mentions from different outlets with jittered
coordinates (±3 km), tolls and wording, dates off by 0–1 day. The time span
grows with the number of mentions (about 300 mentions a day), as a real
archive grows: more data means more days, not ever more events per day. With
that, near-linear scaling means the cost per mention stays flat.

Timing: wall-clock seconds, and CPU seconds of this process (SQLite runs in
process, so for SQLite that is all the work; it is much less disturbed by
other load on a shared machine). "first / last 10k" is the CPU cost per
mention of the first and of the last 10,000 mentions of a run — flat means
the merge does not slow down as the store fills.

Prints a Markdown table and, with ``--json FILE``, writes the numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from eventscribe import dedup
from eventscribe.store import Store, documents, events, mentions, claims

TYPES = ["ASSAULT", "PROTEST", "COERCE", "MOBILIZE", "THREATEN", "ACCUSE"]
WORDS = ("attack raid clash protest march arrest troops police rebels militants villagers "
         "market checkpoint convoy base town district bridge station crowd officials "
         "witnesses hospital road border camp village city").split()
MENTIONS_PER_DAY = 300


def synthetic_mentions(n: int, seed: int = 7):
    """Yield (doc_id, publisher, MentionFacts) for ``n`` mentions, with ground-truth event ids."""
    rng = random.Random(seed)
    countries = [f"C{i:02d}" for i in range(40)]
    cities = {c: [(rng.uniform(-40, 60), rng.uniform(-100, 140)) for _ in range(8)] for c in countries}
    days = max(1, n // MENTIONS_PER_DAY)
    start = dt.date(2000, 1, 1)
    produced = event_no = 0
    while produced < n:
        event_no += 1
        country = rng.choice(countries)
        ci = rng.randrange(8)
        lat, lon = cities[country][ci]
        day = start + dt.timedelta(days=rng.randrange(days))
        etype = rng.choice(TYPES)
        actor = rng.choice(["rebels", "police", "army", "protesters", "gunmen", "militia"])
        killed = rng.choice([None, rng.randint(0, 30)])
        core = rng.sample(WORDS, 6)
        for k in range(rng.randint(1, 5)):
            if produced >= n:
                break
            words = core[:4] + rng.sample(WORDS, 3)
            jitter = (rng.uniform(-0.03, 0.03), rng.uniform(-0.03, 0.03))
            d = day + dt.timedelta(days=rng.choice([0, 0, 0, 1]))
            kk = None if killed is None else max(0, killed + rng.randint(-2, 2))
            facts = dedup.MentionFacts(
                type=etype, date_start=d, date_end=d, date_precision="day", country=country,
                location=f"City{ci}-{country}", lat=lat + jitter[0], lon=lon + jitter[1],
                geo_precision="place", actor=actor,
                fatalities_min=kk, fatalities_max=kk,
                evidence=" ".join(words) + f" in City{ci}", doc_id=f"d{produced}")
            yield f"d{produced}", f"outlet{k}.example", facts, event_no
            produced += 1


def run(db_url: str, n: int, batch: int = 1000, verbose: bool = False) -> dict:
    with Store(db_url) as store:
        merger = store.merger
        now = dt.datetime(2024, 1, 1)
        t0, c0 = time.perf_counter(), time.process_time()
        chunks: list[float] = []  # CPU seconds per 10,000 mentions
        c_last = c0
        it = synthetic_mentions(n)
        truth: dict[str, int] = {}
        done = 0
        while done < n:
            with store.engine.begin() as conn:
                for doc_id, publisher, facts, true_event in _take(it, batch):
                    truth[doc_id] = true_event
                    conn.execute(documents.insert().values(
                        id=doc_id, content_hash=doc_id, text="", publisher=publisher, ingested_at=now))
                    mid = conn.execute(mentions.insert().values(
                        doc_id=doc_id, event_key="e0", type=facts.type, date_start=facts.date_start,
                        date_end=facts.date_end, date_precision=facts.date_precision,
                        country=facts.country, location=facts.location, lat=facts.lat, lon=facts.lon,
                        geo_precision=facts.geo_precision, actor=facts.actor,
                        fatalities_min=facts.fatalities_min, fatalities_max=facts.fatalities_max,
                        negated=False, hypothetical=False, evidence=facts.evidence, data="{}",
                    )).inserted_primary_key[0]
                    if facts.fatalities_min is not None:
                        conn.execute(claims.insert().values(
                            mention_id=mid, doc_id=doc_id, publisher=publisher, independent=True,
                            field="fatalities", low=facts.fatalities_min, high=facts.fatalities_max))
                    merger.merge(conn, mid, facts, now=now)
                    done += 1
            if done % 10_000 == 0:
                c = time.process_time()
                chunks.append(c - c_last)
                c_last = c
                if verbose:
                    print(f"  {done:,} mentions, {time.perf_counter() - t0:.1f} s wall, "
                          f"{c - c0:.1f} s CPU", file=sys.stderr, flush=True)
        seconds = time.perf_counter() - t0
        cpu = time.process_time() - c0
        with store.engine.connect() as conn:
            n_events = conn.execute(select(func.count()).select_from(events)).scalar()
            pairs = conn.execute(select(mentions.c.doc_id, mentions.c.event_id)).all()
    pred = {d: e for d, e in pairs}
    p, r, f = bcubed(truth, pred)
    return {"mentions": n, "true_events": len(set(truth.values())), "events": n_events,
            "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
            "mentions_per_s": round(n / seconds, 1),
            "cpu_us_per_mention": round(1e6 * cpu / n, 1),
            "cpu_us_per_mention_first_10k": round(100 * chunks[0], 1) if chunks else None,
            "cpu_us_per_mention_last_10k": round(100 * chunks[-1], 1) if chunks else None,
            "bcubed_p": round(p, 4), "bcubed_r": round(r, 4), "bcubed_f1": round(f, 4)}


def bcubed(gold: dict, pred: dict) -> tuple[float, float, float]:
    """B-cubed precision, recall, F1 of item -> cluster maps over the same items."""
    from collections import Counter

    gsize, psize = Counter(gold.values()), Counter(pred.values())
    both = Counter((gold[i], pred[i]) for i in gold)
    p = sum(c * c / psize[pc] for (gc, pc), c in both.items()) / len(gold)
    r = sum(c * c / gsize[gc] for (gc, pc), c in both.items()) / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _take(it, n):
    for _ in range(n):
        try:
            yield next(it)
        except StopIteration:
            return


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--with-1m", action="store_true", help="also run 1,000,000 mentions (slow)")
    ap.add_argument("--db", help="database URL; default: a fresh SQLite file per size")
    ap.add_argument("--json", help="write results to this JSON file")
    args = ap.parse_args(argv)
    sizes = args.sizes + ([1_000_000] if args.with_1m else [])
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            url = args.db or str(Path(tmp) / f"merge_{n}.db")
            res = run(url, n, verbose=True)
            results.append(res)
            print(json.dumps(res), file=sys.stderr, flush=True)
    base = results[0]
    print("| mentions | events (true) | wall s | CPU s | CPU µs/mention | first / last 10k | CPU vs. linear | B³ F1 |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        ratio = (r["cpu_seconds"] / base["cpu_seconds"]) / (r["mentions"] / base["mentions"])
        print(f"| {r['mentions']:,} | {r['events']:,} ({r['true_events']:,}) | {r['seconds']} | "
              f"{r['cpu_seconds']} | {r['cpu_us_per_mention']} | {r['cpu_us_per_mention_first_10k']} / "
              f"{r['cpu_us_per_mention_last_10k']} | {ratio:.2f}× | {r['bcubed_f1']} |")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
