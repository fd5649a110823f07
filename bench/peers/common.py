"""Shared pieces of the peer benchmarks: result rows, batching through the pipeline, metrics."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from eventscribe.mapping import cameo_root
from eventscribe.model import Document, Event


@dataclass
class Row:
    """One line of the benchmark table."""

    dataset: str
    metric: str
    value: float | None          # our score, 0..1 (None: not measured)
    n: int                       # items the score is computed over
    split: str = ""              # dev / held-out / all ...
    peer: str = ""               # a published peer number for comparison, with its system
    note: str = ""


def extract_all(docs: Sequence[Document]) -> dict[str, list[Event]]:
    """Asserted (not negated/hypothetical) events per document id, one pipeline pass."""
    from eventscribe.pipeline import default_pipeline  # lazily: geo-only peers skip the NLP

    out: dict[str, list[Event]] = {}
    for result in default_pipeline().extract(docs):
        out[result.document.id] = [e for e in result.events
                                   if not e.negated and not e.hypothetical]
    return out


def top_event(events: Sequence[Event]) -> Event | None:
    """The main event of a snippet: highest confidence, earliest on ties."""
    if not events:
        return None
    best = max(range(len(events)), key=lambda i: (events[i].confidence, -i))
    return events[best]


def event_cameo(event: Event) -> str | None:
    return event.cameo or cameo_root(event.type, event.mode)


def sample(items: list, n: int | None, seed: int = 13) -> list:
    """A reproducible random subset (all items when n is None or large enough)."""
    if n is None or n >= len(items):
        return items
    return sorted(random.Random(seed).sample(items, n), key=items.index)


def ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def macro_f1(pairs: Iterable[tuple[str, str]], labels: Iterable[str]) -> float:
    """Macro-averaged F1 over ``labels`` of (gold, predicted) label pairs."""
    pairs = list(pairs)
    scores = []
    for label in labels:
        tp = sum(g == label and p == label for g, p in pairs)
        n_pred = sum(p == label for _, p in pairs)
        n_gold = sum(g == label for g, _ in pairs)
        scores.append(prf(tp, n_pred, n_gold)[2])
    return sum(scores) / len(scores) if scores else 0.0


def name_overlap(a: str | None, b: str | None) -> bool:
    """Head-word style match: the two names share a content word (case-insensitive)."""
    if not a or not b:
        return False
    stop = {"the", "a", "an", "of", "and", "in", "on", "at", "to", "for", "by", "with"}
    wa = {w.strip(".,'\"()").casefold() for w in a.split()} - stop
    wb = {w.strip(".,'\"()").casefold() for w in b.split()} - stop
    return bool(wa & wb - {""})


HALVES = ("tune", "held")


def stratified_sample(items: list[dict], n: int | None, half: str | None = None,
                      seed: int = 13) -> list[dict]:
    """The items of one half (``half``) or both, at most ``n`` in all, split evenly between
    the halves (each item carries its ``"half"``), reproducible, in their original order."""
    halves = [h for h in HALVES if half in (None, h)]
    out: list[dict] = []
    for h in halves:
        part = [it for it in items if it["half"] == h]
        quota = None if n is None else max(1, n // len(halves))
        out += sample(part, quota, seed)
    order = {id(it): i for i, it in enumerate(items)}
    return sorted(out, key=lambda it: order[id(it)])
