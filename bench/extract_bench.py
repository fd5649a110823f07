"""Extraction throughput beside the bare spaCy parse, where the time goes, peak memory, ingest.

One command gives every figure of the extraction section of docs/performance.md:

    python bench/extract_bench.py                  # ~3 minutes on the project machine
    python bench/extract_bench.py --quick          # ~1 minute, fewer articles
    python bench/extract_bench.py --write docs/performance.md   # also rewrite that section

Corpora of ~600-word articles, each made by joining texts in a seeded random order:

* ``examples``: the example articles (``examples/gold``, our own texts);
* ``realnews``: the real news texts of ``../shared/peer/realnews-dev`` (read at run time,
  never copied; skipped when the folder is missing);
* ``--jsonl FILE --field doc_text``: real articles from a JSONL file instead.

For each corpus: ``extract`` in one process and in ``--workers`` processes (the workers are
started and warmed first: steady throughput, as a long run sees it), the CPU time of each
step of one process (prepare = cleaning, sentences, dictionaries, gate, pre-filter; parse =
spaCy on the candidate sentences; events = every stage after the parse), and on a sample of
the same articles the full ``en_core_web_sm`` pipeline, its tagger + parser without NER, and
its tokeniser alone. Then ``ingest`` into a fresh SQLite store (1 and ``--workers``
processes) with the split between extraction and storing + merging.

The corpora repeat their source texts (64 examples, 44 real texts), so caches keyed by
sentence text are warmer than on a stream of new articles. The machine is shared: every
figure comes with the load average at the time.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from eventscribe import pipeline as pipeline_mod  # noqa: E402
from eventscribe.model import Document  # noqa: E402
from eventscribe.nlp import MODEL  # noqa: E402
from eventscribe.pipeline import Pipeline  # noqa: E402

REALNEWS = ROOT.parent / "shared" / "peer" / "realnews-dev"
START, END = "<!-- extract-bench:start -->", "<!-- extract-bench:end -->"


def load() -> str:
    return Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"


def _words(text: str) -> int:
    return len(text.split())


def yaml_texts(folder: Path, skip_prefix: str = "neg") -> list[tuple[str, object]]:
    texts = []
    for path in sorted(folder.glob("*.yaml")):
        if path.name.startswith(skip_prefix):
            continue  # realnews-dev's pages without political news
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("text"):
            texts.append((data["text"].strip(), data.get("published")))
    return texts


def joined(texts: list[tuple[str, object]], n: int, words: int = 600, seed: int = 13) -> list[Document]:
    """n articles of about ``words`` words, each joining texts in a seeded random order."""
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        order = rng.sample(texts, len(texts))
        parts, published, count = [], None, 0
        for text, pub in order:
            if count >= words:
                break
            parts.append(text)
            published = published or pub
            count += _words(text)
        docs.append(Document(id=f"bench-{i:05d}", text="\n\n".join(parts), published=published))
    return docs


def jsonl_corpus(path: str, field: str, n: int) -> list[Document]:
    """Real articles from a JSONL file (e.g. ../shared/peer/india-police-events/docs.jsonl, field doc_text)."""
    docs = []
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if len(docs) >= n:
                break
            text = json.loads(line).get(field) or ""
            if text.strip():
                docs.append(Document(id=f"real-{i}", text=text))
    return docs


def peak_mb(who: int = resource.RUSAGE_SELF) -> int:
    return round(resource.getrusage(who).ru_maxrss / 1024)


def _rate(docs: list[Document], seconds: float, cpu: float | None = None) -> dict:
    words = sum(_words(d.text) for d in docs)
    out = {"articles": len(docs), "seconds": round(seconds, 2), "articles_per_s": round(len(docs) / seconds, 1),
           "words_per_s": round(words / seconds)}
    if cpu:  # one process: what it does per second of CPU, whatever else the machine runs
        out |= {"cpu_seconds": round(cpu, 2), "articles_per_cpu_s": round(len(docs) / cpu, 1)}
    return out


def worker_peaks_mb(pipeline: Pipeline) -> list[int]:
    """Peak resident memory of each worker process (Linux /proc; empty elsewhere)."""
    peaks = []
    for proc in getattr(pipeline._pool, "_pool", []):
        try:
            status = Path(f"/proc/{proc.pid}/status").read_text()
        except OSError:
            continue
        found = re.search(r"VmHWM:\s+(\d+) kB", status)
        if found:
            peaks.append(round(int(found.group(1)) / 1024))
    return peaks


def time_extract(pipeline: Pipeline, docs: list[Document]) -> dict:
    """Wall and CPU time of one run over ``docs``, the pipeline already warm."""
    before = dict(pipeline_mod.STAGE_SECONDS)
    wall, cpu = time.perf_counter(), time.process_time()
    events = sum(len(r.events) for r in pipeline.extract(docs))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    out = _rate(docs, wall, cpu if pipeline.n_process == 1 else None) | {"events": events, "load": load()}
    steps = {k: pipeline_mod.STAGE_SECONDS[k] - before.get(k, 0.0) for k in pipeline_mod.STAGE_SECONDS}
    if pipeline.n_process == 1 and steps:
        out["ms_per_article"] = {k: round(1000 * v / len(docs), 1) for k, v in steps.items()}
    return out


def time_spacy(nlp, docs: list[Document], tokenizer_only: bool = False) -> dict:
    texts = [d.text for d in docs]
    run = nlp.tokenizer.pipe if tokenizer_only else nlp.pipe
    list(run(texts[:2]))
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in run(texts, batch_size=32):
        pass
    return _rate(docs, time.perf_counter() - wall, time.process_time() - cpu) | {"load": load()}


def bench_corpus(name: str, docs: list[Document], workers: int, sample: int, first: bool = True) -> dict:
    import spacy

    print(f"[{name}] {len(docs)} articles, load {load()}", file=sys.stderr, flush=True)
    res: dict = {"corpus": name, "articles": len(docs), "mean_words": round(sum(_words(d.text) for d in docs) / len(docs))}
    one = Pipeline()
    list(one.extract(docs[:2]))  # model, lexicons, gazetteer
    res["extract_1"] = time_extract(one, docs)
    if first:  # a high-water mark: later corpora would count the bare spaCy pipelines loaded since
        res["peak_mb_1_process"] = peak_mb()
    if workers > 1:
        with Pipeline(n_process=workers) as many:
            # start and warm every worker: two chunks each (a worker takes WORKER_CHUNK at a time)
            list(many.extract(docs[: 2 * workers * pipeline_mod.WORKER_CHUNK]))
            res[f"extract_{workers}"] = time_extract(many, docs)
            res["peak_mb_worker"] = max(worker_peaks_mb(many), default=None)
    part = docs[:sample]
    full = spacy.load(MODEL)
    res["spacy_full"] = time_spacy(full, part) | {"pipes": "+".join(full.pipe_names)}
    no_ner = spacy.load(MODEL, exclude=["ner"])
    res["spacy_no_ner"] = time_spacy(no_ner, part) | {"pipes": "+".join(no_ner.pipe_names)}
    res["tokenizer"] = time_spacy(full, part, tokenizer_only=True)
    del full, no_ner
    return res


def bench_ingest(docs: list[Document], workers: int) -> list[dict]:
    from eventscribe.ingest import ingest_documents
    from eventscribe.store import Store

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sorted({1, workers}):
            with Pipeline(n_process=n) as pipe:
                list(pipe.extract(docs[: 2 * n * pipeline_mod.WORKER_CHUNK]))  # warm (not stored: the store is new)
                with Store(str(Path(tmp) / f"ingest-{n}.db")) as store:
                    wall = time.perf_counter()
                    report = ingest_documents(docs, store, pipeline=pipe)
                    wall = time.perf_counter() - wall
                    stats = store.stats()
            rows.append({"workers": n, "articles": len(docs), "seconds": round(wall, 2),
                         "articles_per_s": round(len(docs) / wall, 1),
                         "extract_ms_per_article": round(1000 * (wall - report.store_seconds) / len(docs), 1),
                         "store_ms_per_article": round(1000 * report.store_seconds / len(docs), 1),
                         "store_cpu_ms_per_article": round(1000 * report.store_cpu_seconds / len(docs), 1),
                         "events": stats["events"], "load": load()})
            print(f"[ingest] {rows[-1]}", file=sys.stderr, flush=True)
    return rows


def markdown(results: list[dict], ingest: list[dict], workers: int, command: str) -> str:
    lines = [START, "", f"Generated by `{command}` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} "
             f"(2 cores shared with other jobs: the load average is given with every row).", ""]
    lines += ["| corpus | run | articles/s | words/s | vs full spaCy | articles per CPU-second | vs full spaCy (CPU) | load |",
              "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        base, base_cpu = r["spacy_full"]["articles_per_s"], r["spacy_full"].get("articles_per_cpu_s")
        label = f"{r['corpus']} ({r['articles']} articles, {r['mean_words']} words)"
        rows = [("`extract`, 1 process", r["extract_1"])]
        if f"extract_{workers}" in r:
            rows.append((f"`extract`, {workers} processes", r[f"extract_{workers}"]))
        rows += [(f"spaCy full pipeline ({r['spacy_full']['pipes']}), {r['spacy_full']['articles']} articles", r["spacy_full"]),
                 (f"spaCy without NER ({r['spacy_no_ner']['pipes']})", r["spacy_no_ner"]),
                 ("spaCy tokeniser only", r["tokenizer"])]
        for run, v in rows:
            per_cpu = v.get("articles_per_cpu_s")
            cpu_cols = f"{per_cpu} | {per_cpu / base_cpu:.2f}" if per_cpu and base_cpu else "- | -"
            lines.append(f"| {label} | {run} | {v['articles_per_s']} | {v['words_per_s']:,} | "
                         f"{v['articles_per_s'] / base:.2f} | {cpu_cols} | {v['load']} |")
            label = ""
    lines += ["", "Where one process spends its CPU time (ms per article), and peak memory:", "",
              "| corpus | prepare | parse | our stages after the parse | total CPU | 2-process speed-up | peak RSS 1 process | peak RSS of a worker |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        ms = r["extract_1"].get("ms_per_article", {})
        cpu = 1000 * r["extract_1"]["cpu_seconds"] / r["articles"]
        many = r.get(f"extract_{workers}")
        speedup = f"{many['articles_per_s'] / r['extract_1']['articles_per_s']:.2f}x" if many else "-"
        lines.append(f"| {r['corpus']} | {ms.get('prepare', 0)} | {ms.get('parse', 0)} | {ms.get('events', 0)} | "
                     f"{cpu:.1f} | {speedup} | {_mb(r.get('peak_mb_1_process'))} | {_mb(r.get('peak_mb_worker'))} |")
    if ingest:
        lines += ["", "`ingest` into a new SQLite store (examples corpus; extraction = everything but storing):", "",
                  "| processes | articles | articles/s | extraction ms/article | store + merge ms/article | store + merge CPU ms/article | events | load |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r in ingest:
            lines.append(f"| {r['workers']} | {r['articles']} | {r['articles_per_s']} | {r['extract_ms_per_article']} | "
                         f"{r['store_ms_per_article']} | {r.get('store_cpu_ms_per_article', '-')} | {r['events']} | {r['load']} |")
    lines += ["", END]
    return "\n".join(lines)


def _mb(value: int | None) -> str:
    return f"{value} MB" if value else "-"


def write_section(path: Path, section: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    if START in text and END in text:
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: section, text, flags=re.DOTALL)
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=160, help="articles per corpus")
    ap.add_argument("--sample", type=int, default=60, help="articles for the bare spaCy timings")
    ap.add_argument("--ingest", type=int, default=80, help="articles to ingest (0: no ingest run)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--quick", action="store_true", help="a short run: 50 articles, 20 for spaCy, 30 ingested")
    ap.add_argument("--corpus", nargs="+", default=["examples", "realnews"], choices=["examples", "realnews"])
    ap.add_argument("--jsonl", help="measure on real articles from this JSONL file instead")
    ap.add_argument("--field", default="text", help="the text field of --jsonl records")
    ap.add_argument("--json", action="store_true", help="print the raw figures as JSON")
    ap.add_argument("--write", help="replace the generated section of this Markdown file (docs/performance.md)")
    args = ap.parse_args(argv)
    if args.quick:
        args.articles, args.sample, args.ingest = 50, 20, 30

    corpora: list[tuple[str, list[Document]]] = []
    if args.jsonl:
        corpora.append((Path(args.jsonl).parent.name, jsonl_corpus(args.jsonl, args.field, args.articles)))
    else:
        for name in args.corpus:
            folder = ROOT / "examples" / "gold" if name == "examples" else REALNEWS
            if not folder.is_dir():
                print(f"[{name}] {folder} not found: skipped", file=sys.stderr)
                continue
            corpora.append((name, joined(yaml_texts(folder), args.articles)))
    results = [bench_corpus(name, docs, args.workers, args.sample, first=k == 0) for k, (name, docs) in enumerate(corpora)]
    ingest = []
    if args.ingest and not args.jsonl:
        ingest = bench_ingest(joined(yaml_texts(ROOT / "examples" / "gold"), args.ingest, seed=29), args.workers)
    command = "python bench/extract_bench.py" + (" --quick" if args.quick else "")
    section = markdown(results, ingest, args.workers, command)
    if args.json:
        print(json.dumps({"corpora": results, "ingest": ingest}, indent=2))
    else:
        print(section)
    if args.write:
        write_section(Path(args.write), section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
