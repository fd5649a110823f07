"""realnews-dev: real news articles with hand-coded gold (../shared/peer/realnews-dev),
scored by ``eventscribe eval`` itself, one row set per half (``evaluate.split_half``: by
story, so every outlet's report of one story falls in the same half)."""

from __future__ import annotations

from pathlib import Path

from .common import Row

NAME = "realnews-dev"


def scores_rows(dataset: str, scores, split: str) -> list[Row]:
    """Table rows from an :class:`eventscribe.evaluate.Scores` (also used for examples/gold)."""
    o = scores.overall
    rows = [
        Row(dataset, "event F1", o.f1, o.gold, split, note="n = gold events"),
        Row(dataset, "event precision", o.precision, o.predicted, split),
        Row(dataset, "event recall", o.recall, o.gold, split),
    ]
    for name, fs in scores.fields.items():
        if fs.n or fs.gold:  # a field the gold gives but no match reached still gets its row
            rows.append(Row(dataset, f"field: {name}", fs.accuracy, fs.n, split,
                            note="accuracy over matched events"))
    for name, fs in scores.fields.items():
        if fs.gold:
            rows.append(Row(dataset, f"field recall: {name}", fs.recall, fs.gold, split,
                            note="right over all gold events giving it (what the gate pins)"))
    inv = scores.invented
    if inv.documents:
        rows.append(Row(dataset, "documents with invented events",
                        inv.with_events / inv.documents, inv.documents, split,
                        note="articles without gold events that got some; lower is better"))
    return rows


def run(root: Path, n: int | None = None, half: str | None = None) -> list[Row]:
    from eventscribe.evaluate import evaluate, load_gold

    docs = load_gold(root / NAME)
    out: list[Row] = []
    for split in ("tune", "held"):
        if half in (None, split):
            out += scores_rows(NAME, evaluate(docs, keep_errors=False, half=split), split)
    return out
