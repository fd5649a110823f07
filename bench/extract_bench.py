"""Extraction throughput: articles/s, tokens/s and peak memory, beside the bare spaCy parse.

Builds a corpus of ~600-word articles by joining the example articles
(``examples/gold``) and replicating them, then times

* ``eventscribe`` extraction (one process, and ``--workers`` processes), and
* the full ``en_core_web_sm`` pipeline (with NER) and its parse without NER,
  on a sample of the same articles, as the cost reference.

Run:  python bench/extract_bench.py [--articles 3000] [--workers 2] [--sample 200]
      python bench/extract_bench.py --jsonl ../shared/peer/india-police-events/docs.jsonl --field doc_text
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from itertools import cycle
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from eventscribe.model import Document  # noqa: E402
from eventscribe.nlp import MODEL  # noqa: E402
from eventscribe.pipeline import Pipeline  # noqa: E402


def corpus(n: int, words: int = 600) -> list[Document]:
    """n articles of about ``words`` words each, made of example articles joined together."""
    texts = []
    for path in sorted((ROOT / "examples" / "gold").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts.append((data["text"], data.get("published")))
    docs, source = [], cycle(texts)
    for i in range(n):
        parts, published, count = [], None, 0
        while count < words:
            text, pub = next(source)
            parts.append(text.strip())
            published = published or pub
            count += len(text.split())
        docs.append(Document(id=f"bench-{i}", text="\n\n".join(parts), published=published))
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


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_extract(docs: list[Document], workers: int) -> dict:
    pipeline = Pipeline(n_process=workers)
    list(pipeline.extract(docs[:4]))  # warm-up: model, lexicons, gazetteer
    start = time.perf_counter()
    events = sum(len(r.events) for r in pipeline.extract(docs))
    secs = time.perf_counter() - start
    tokens = sum(len(d.text.split()) for d in docs)
    return {"workers": workers, "articles": len(docs), "seconds": round(secs, 2),
            "articles_per_s": round(len(docs) / secs, 1), "tokens_per_s": round(tokens / secs),
            "events": events}


def time_spacy(docs: list[Document], exclude: list[str]) -> dict:
    import spacy

    nlp = spacy.load(MODEL, exclude=exclude)
    list(nlp.pipe([docs[0].text]))
    start = time.perf_counter()
    for _ in nlp.pipe((d.text for d in docs), batch_size=32):
        pass
    secs = time.perf_counter() - start
    return {"pipeline": "+".join(nlp.pipe_names), "articles": len(docs), "seconds": round(secs, 2),
            "articles_per_s": round(len(docs) / secs, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=3000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--sample", type=int, default=200, help="articles for the bare spaCy timings")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--jsonl", help="measure on real articles from this JSONL file instead of the examples")
    ap.add_argument("--field", default="text", help="the text field of --jsonl records")
    args = ap.parse_args()

    docs = jsonl_corpus(args.jsonl, args.field, args.articles) if args.jsonl else corpus(args.articles)
    words = sum(len(d.text.split()) for d in docs) / len(docs)
    results = {"corpus": {"articles": len(docs), "mean_words": round(words)}}
    results["extract_1_process"] = time_extract(docs, 1)
    results["peak_rss_mb_1_process"] = round(peak_mb())
    if args.workers > 1:
        results[f"extract_{args.workers}_processes"] = time_extract(docs, args.workers)
    sample = docs[: args.sample]
    results["spacy_full_with_ner"] = time_spacy(sample, [])
    results["spacy_parse_without_ner"] = time_spacy(sample, ["ner"])
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"corpus: {len(docs)} articles, {round(words)} words each on average")
    for key, value in results.items():
        if key != "corpus":
            print(f"{key:28s} {value}")


if __name__ == "__main__":
    main()
