"""IndiaPoliceEvents (Times of India, March 2002): did the police act?

We run whole documents (publication date from metadata) and place each event in the
annotated sentence that contains its evidence. A sentence/document is predicted positive for
ANY_ACTION when an event's actor has sector COP; FORCE when that event is an ASSAULT; KILL
when it is an ASSAULT with fatalities; ARREST when it is a COERCE/arrest (actor COP or
unknown, since arrests are made by police). FAIL has no PLOVER equivalent.
The false-positive rate is measured on sentences with no police label at all.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from eventscribe.model import Document, Event

from .common import Row, extract_all, prf, ratio, sample

NAME = "india-police-events"
LABELS = ("ANY_ACTION", "FORCE", "KILL", "ARREST")


def event_labels(e: Event) -> set[str]:
    """The IndiaPoliceEvents labels one of our events stands for."""
    sector = e.actor.sector if e.actor else None
    out: set[str] = set()
    if e.type == "COERCE" and e.mode == "arrest" and sector in ("COP", "UNK", None):
        out |= {"ARREST", "ANY_ACTION"}
    if sector == "COP":
        out.add("ANY_ACTION")
        if e.type == "ASSAULT":
            out.add("FORCE")
            if e.fatalities and (e.fatalities.min or e.fatalities.max):
                out.add("KILL")
    return out


def _jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load(root: Path) -> tuple[list[dict], dict]:
    base = root / "india-police-events"
    docs = _jsonl(base / "docs.jsonl")
    dates = {m["doc_id"]: m.get("date") for m in _jsonl(base / "metadata.jsonl")}
    sents: dict = {}
    for s in _jsonl(base / "sents.jsonl"):
        sents.setdefault(s["doc_id"], []).append(s)
    for d in docs:
        d["date"] = dates.get(d["doc_id"])
        d["sents"] = sorted(sents.get(d["doc_id"], []), key=lambda s: s["sent_id"])
    return docs, sents


def _sentence_spans(text: str, sents: list[dict]) -> list[tuple[int, int]]:
    """Character spans of the annotated sentences in the document text (found in order)."""
    spans, cursor = [], 0
    for s in sents:
        needle = s["sent_text"].strip()
        at = text.find(needle, cursor) if needle else -1
        if at < 0:
            spans.append((-1, -1))
            continue
        spans.append((at, at + len(needle)))
        cursor = at + len(needle)
    return spans


def run(root: Path, n: int | None = None) -> list[Row]:
    docs, _ = load(root)
    docs = sample(docs, n)
    inputs = [Document(id=str(d["doc_id"]), text=d["doc_text"],
                       published=dt.date.fromisoformat(d["date"]) if d.get("date") else None)
              for d in docs]
    preds = extract_all(inputs)
    sent_counts = {lab: [0, 0, 0] for lab in LABELS}   # tp, predicted, gold
    doc_counts = {lab: [0, 0, 0] for lab in LABELS}
    neg_sents = neg_fp = 0
    for d in docs:
        events = preds.get(str(d["doc_id"]), [])
        spans = _sentence_spans(d["doc_text"], d["sents"])
        predicted_by_sent = [set() for _ in d["sents"]]
        for e in events:
            labs = event_labels(e)
            if not labs or not e.evidence:
                continue
            for ev in e.evidence:
                for i, (a, b) in enumerate(spans):
                    if a <= ev.trigger.start < b:
                        predicted_by_sent[i] |= labs
        doc_pred: set[str] = set().union(*[event_labels(e) for e in events]) if events else set()
        doc_gold = set(d.get("doc_labels") or [])
        for lab in LABELS:
            doc_counts[lab][0] += lab in doc_pred and lab in doc_gold
            doc_counts[lab][1] += lab in doc_pred
            doc_counts[lab][2] += lab in doc_gold
        for s, pred in zip(d["sents"], predicted_by_sent):
            gold = set(s.get("sent_labels") or [])
            if not gold:
                neg_sents += 1
                neg_fp += bool(pred)
            for lab in LABELS:
                sent_counts[lab][0] += lab in pred and lab in gold
                sent_counts[lab][1] += lab in pred
                sent_counts[lab][2] += lab in gold
    rows = []
    for level, counts in (("sentence", sent_counts), ("document", doc_counts)):
        for lab in LABELS:
            tp, n_pred, n_gold = counts[lab]
            p, r, f = prf(tp, n_pred, n_gold)
            rows.append(Row(NAME, f"{level} {lab} F1", f if n_gold else None, n_gold,
                            note=f"P {p:.2f} R {r:.2f}, {n_pred} predicted"))
    rows.append(Row(NAME, "false-positive rate on sentences without police action",
                    ratio(neg_fp, neg_sents), neg_sents, note="lower is better"))
    for r_ in rows:
        r_.split = f"{len(docs)} docs"
    return rows
