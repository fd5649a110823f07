"""plv-train: PLOVER-coded wire sentences (../shared/peer/plv-train/SOURCE.md).

One document per sentence. The top event (most confident asserted one) against ``gold_root``,
where the paper's YIELD stands for the 2021 roots CONCEDE and RETREAT together: accuracy and
macro-F1 over the 15 roots (a sentence with no event counts as wrong, NONE is no class of the
average). Share of sentences with no asserted event. For the sentences that have an event of
the gold type: whether that event's actor names the gold ``source`` and its target the gold
``target`` (the two share a content word, name or span text).

Halves: 0-based data rows, even rows tune, odd rows held out.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from eventscribe.model import Actor, Document, Event

from .common import Row, extract_all, macro_f1, name_overlap, ratio, stratified_sample, top_event

NAME = "plv-train"
FILE = "PLV_train.tsv"
YIELD_ROOTS = frozenset({"CONCEDE", "RETREAT"})
ROOTS = ("AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "YIELD", "REQUEST", "ACCUSE",
         "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
NONE = "NONE"


def paper_root(plover_type: str | None) -> str:
    """Our PLOVER 2021 root in the paper's 15-root scheme (CONCEDE, RETREAT -> YIELD)."""
    if plover_type is None:
        return NONE
    return "YIELD" if plover_type in YIELD_ROOTS else plover_type


def half_of(index: int) -> str:
    return "tune" if index % 2 == 0 else "held"


def load(root: Path) -> list[dict]:
    """The data rows, each with its 0-based index and half."""
    csv.field_size_limit(1 << 30)
    with (root / NAME / FILE).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [{"id": f"plv-{i}", "index": i, "half": half_of(i), "sentence": r["sentence"],
             "source": r["source"], "target": r["target"], "gold": r["gold_root"].strip()}
            for i, r in enumerate(rows)]


def names_party(role: Actor | None, party: str) -> bool:
    """Does our actor (its name or its text in the sentence) name the gold party?"""
    if role is None or not party:
        return False
    return name_overlap(role.name, party) or bool(role.span and name_overlap(role.span.text, party))


def score_sentence(gold_root: str, source: str, target: str, events: Sequence[Event]) -> dict:
    """The per-sentence facts the metrics add up (pure: tested on invented events)."""
    top = top_event(events)
    predicted = paper_root(top.type if top else None)
    same = [e for e in events if paper_root(e.type) == gold_root]
    chosen = same[0] if same else None
    return {
        "gold": gold_root, "predicted": predicted, "no_event": not events,
        "has_gold_type": chosen is not None,
        "actor_ok": chosen is not None and names_party(chosen.actor, source),
        "target_ok": chosen is not None and names_party(chosen.target, target),
    }


def present_roots(pairs: Sequence[tuple[str, str]]) -> list[str]:
    """The roots a macro average is taken over: those that occur as gold or prediction (a
    sample without any SANCTION must not average in a zero for it)."""
    seen = {label for pair in pairs for label in pair}
    return [r for r in ROOTS if r in seen]


def rows_for(split: str, results: Iterable[dict]) -> list[Row]:
    results = list(results)
    n = len(results)
    pairs = [(r["gold"], r["predicted"]) for r in results]
    with_type = [r for r in results if r["has_gold_type"]]
    k = len(with_type)
    return [
        Row(NAME, "top type accuracy", ratio(sum(g == p for g, p in pairs), n), n, split,
            peer="0.835 (NLI given the parties, test half)", note="YIELD = CONCEDE or RETREAT"),
        Row(NAME, "top type macro-F1", macro_f1(pairs, present_roots(pairs)) if n else None, n,
            split, peer="0.821 (NLI given the parties, test half)",
            note="over the 15 roots (those in gold or predicted)"),
        Row(NAME, "sentences with no event", ratio(sum(r["no_event"] for r in results), n),
            n, split, note="lower is better"),
        Row(NAME, "gold type among our events", ratio(k, n), n, split),
        Row(NAME, "actor names the source", ratio(sum(r["actor_ok"] for r in with_type), k),
            k, split, note="on the event of the gold type"),
        Row(NAME, "target names the target", ratio(sum(r["target_ok"] for r in with_type), k),
            k, split, note="on the event of the gold type"),
        Row(NAME, "actor and target both", ratio(sum(r["actor_ok"] and r["target_ok"]
                                                     for r in with_type), k), k, split),
    ]


def run(root: Path, n: int | None = None, half: str | None = None) -> list[Row]:
    records = stratified_sample(load(root), n, half)
    preds = extract_all([Document(id=r["id"], text=r["sentence"]) for r in records])
    results = [dict(score_sentence(r["gold"], r["source"], r["target"], preds.get(r["id"], [])),
                    half=r["half"]) for r in records]
    out: list[Row] = []
    for split in ("tune", "held"):
        if half in (None, split):
            out += rows_for(split, (r for r in results if r["half"] == split))
    return out
