"""ECB+ document grouping: does our merge put reports of one real event together?

    python bench/ecbplus.py                  # conflict/violence topics, table on stdout
    python bench/ecbplus.py --topics 41 8 --json out.json

ECB+ (Cybulska & Vossen 2014; read in place from ``../shared/peer/ecbplus``,
never copied) pairs, in each topic, two different real events of the same kind
(sub-topics ``ecb`` and ``ecbplus``: two shootings, two air strikes ...). We
run every document of the conflict/violence topics through the real pipeline
and the real store (one SQLite database for all topics, as a user would),
then give each document the canonical event of its *main* mention — the one
whose event gathered the most articles (earliest mention on ties); a document
without events is a cluster of its own. Gold cluster = (topic, sub-topic).

Reported: B-cubed precision / recall / F1 over documents, with two reference
points — every document alone (P = 1) and one cluster per topic (lumping the
two similar events: what a type+place-only merge would do).

ECB+ texts carry no publication date; a sub-topic's articles were mostly
written within days of each other but we cannot use that, so blocking falls
back to dates found in the text or, for undated mentions, type + country.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_ROOT = HERE.parent.parent / "shared" / "peer" / "ecbplus"

# Conflict / violence topics named in SOURCE.md (shootings, bombings, strikes,
# pirates, heists, killings, arrests).
CONFLICT_TOPICS = (3, 8, 12, 16, 18, 19, 22, 24, 26, 32, 33, 36, 41, 45)


def _detok(tokens: list[str]) -> str:
    text = " ".join(tokens)
    text = re.sub(r" ([.,;:!?%)\]'])", r"\1", text)
    text = re.sub(r"([(\[$]) ", r"\1", text)
    text = re.sub(r" n't\b", "n't", text)
    text = re.sub(r" 's\b", "'s", text)
    return text


def load_documents(root: Path, topics=CONFLICT_TOPICS):
    """(Document, gold cluster) pairs of the chosen topics, text rebuilt from tokens."""
    from eventscribe.model import Document

    out = []
    with zipfile.ZipFile(root / "ECB+.zip") as zf:
        names = sorted(n for n in zf.namelist() if n.endswith(".xml"))
        for name in names:
            parts = name.split("/")
            if len(parts) < 3 or not parts[1].isdigit() or int(parts[1]) not in topics:
                continue
            topic = int(parts[1])
            sub = "ecbplus" if name.endswith("ecbplus.xml") else "ecb"
            tree = ET.fromstring(zf.read(name))
            sentences: dict[int, list[str]] = defaultdict(list)
            for tok in tree.iter("token"):
                sentences[int(tok.get("sentence"))].append(tok.text or "")
            url = None
            order = sorted(sentences)
            if sub == "ecbplus" and order:
                first = "".join(sentences[order[0]])
                if first.startswith("http"):
                    url = first
                order = order[1:]
            text = "\n".join(_detok(sentences[i]) for i in order)
            doc_id = Path(name).stem
            out.append((Document(id=doc_id, text=text, url=url, source=f"ECB+/{topic}"),
                        (topic, sub)))
    return out


def bcubed(gold: dict, pred: dict) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of two item -> cluster maps."""
    gsize, psize = Counter(gold.values()), Counter(pred.values())
    both = Counter((gold[i], pred[i]) for i in gold)
    p = sum(c * c / psize[pc] for (_, pc), c in both.items()) / len(gold)
    r = sum(c * c / gsize[gc] for (gc, _), c in both.items()) / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


TEST_TOPICS = (36, 41, 45)  # the usual ECB+ test split is topics 36-45


def extract(pairs):
    """Pipeline results for the documents, in order (extraction done once, merged many times)."""
    from eventscribe.pipeline import Pipeline

    return list(Pipeline().extract([d for d, _ in pairs]))


def merge_and_score(pairs, results, config=None, db: str | None = None) -> dict:
    """Store + merge the extracted results in a fresh database; B-cubed of the grouping."""
    from eventscribe.store import Store

    gold = {doc.id: g for doc, g in pairs}
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        with Store(db or str(Path(tmp) / "ecbplus.db"), merge_config=config) as store:
            doc_events: dict[str, list[int]] = {}
            n_mentions = 0
            for result in results:
                out = store.add(result)
                doc_events[result.document.id] = out.event_ids
                n_mentions += out.mentions
            sizes = {e.id: e.n_articles for e in store.iter_events(with_mentions=False)}
    seconds = time.perf_counter() - t0
    pred = {}
    for doc_id in gold:
        evs = doc_events.get(doc_id) or []
        pred[doc_id] = max(evs, key=lambda e: (sizes.get(e, 0), -evs.index(e))) if evs else f"alone:{doc_id}"
    p, r, f = bcubed(gold, pred)
    sp, sr, sf = bcubed(gold, {d: d for d in gold})
    lp, lr, lf = bcubed(gold, {d: g[0] for d, g in gold.items()})
    return {
        "documents": len(gold), "topics": len(set(g[0] for g in gold.values())),
        "gold_clusters": len(set(gold.values())), "predicted_clusters": len(set(pred.values())),
        "documents_without_events": sum(1 for d in gold if not doc_events.get(d)),
        "mentions": n_mentions, "merge_seconds": round(seconds, 1),
        "bcubed_p": round(p, 4), "bcubed_r": round(r, 4), "bcubed_f1": round(f, 4),
        "singletons_f1": round(sf, 4), "one_per_topic_f1": round(lf, 4), "one_per_topic_p": round(lp, 4),
    }


def score(root: Path = DEFAULT_ROOT, topics=CONFLICT_TOPICS, db: str | None = None) -> dict:
    """Run pipeline + store on the ECB+ topics and score the document grouping."""
    pairs = load_documents(root, topics)
    return merge_and_score(pairs, extract(pairs), db=db)


def sweep(root: Path = DEFAULT_ROOT, thresholds=(0.4, 0.6, 0.8, 1.0, 1.2, 1.5)) -> list[dict]:
    """Merge threshold vs. B-cubed, on dev topics (conflict topics < 36) and test (36-45)."""
    from eventscribe.dedup import MergeConfig

    pairs = load_documents(root, CONFLICT_TOPICS)
    results = extract(pairs)
    out = []
    for split, keep in (("dev", lambda t: t not in TEST_TOPICS), ("test", lambda t: t in TEST_TOPICS)):
        sel = [(p, r) for p, r in zip(pairs, results) if keep(p[1][0])]
        for th in thresholds:
            s = merge_and_score([p for p, _ in sel], [r for _, r in sel], MergeConfig(threshold=th))
            out.append({"split": split, "threshold": th, **s})
    return out


def rows(root: Path = DEFAULT_ROOT, n: int | None = None) -> list:
    """Rows for ``bench/peer.py`` (docs/accuracy.md): B-cubed F1 and its references."""
    sys.path.insert(0, str(HERE))
    from peers.common import Row

    s = score(root)
    note = (f"P {s['bcubed_p']:.3f} R {s['bcubed_r']:.3f}; {s['predicted_clusters']} clusters for "
            f"{s['gold_clusters']} gold; baselines: singletons F1 {s['singletons_f1']:.3f}, "
            f"one per topic F1 {s['one_per_topic_f1']:.3f}")
    return [Row("ecbplus", "doc grouping B³ F1 (conflict topics)", s["bcubed_f1"], s["documents"],
                split="all", note=note)]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    ap.add_argument("--topics", type=int, nargs="+", default=list(CONFLICT_TOPICS))
    ap.add_argument("--json", help="also write the numbers to this file")
    ap.add_argument("--sweep", action="store_true", help="merge threshold sweep, dev vs. test topics")
    args = ap.parse_args(argv)
    if not (args.root / "ECB+.zip").exists():
        print(f"ECB+ not found under {args.root}; skipped", file=sys.stderr)
        return 0
    if args.sweep:
        res = sweep(args.root)
        print("| split | threshold | docs | clusters (gold) | B³ P | B³ R | B³ F1 |\n|---|---:|---:|---:|---:|---:|---:|")
        for r in res:
            print(f"| {r['split']} | {r['threshold']} | {r['documents']} | {r['predicted_clusters']} "
                  f"({r['gold_clusters']}) | {r['bcubed_p']} | {r['bcubed_r']} | {r['bcubed_f1']} |")
        if args.json:
            Path(args.json).write_text(json.dumps(res, indent=2))
        return 0
    s = score(args.root, tuple(args.topics))
    print("| measure | value |\n|---|---:|")
    for k, v in s.items():
        print(f"| {k} | {v} |")
    if args.json:
        Path(args.json).write_text(json.dumps(s, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
