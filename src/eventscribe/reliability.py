"""Confidence that means something: how often an event of confidence c is right, and the
calibration that makes c that fraction.

An event's ``confidence`` (``merge._confidence``) starts as a hand-weighted score of how much of
the record the text supports (actor, target, explicit place and date, several mentions, a main
clause, not negated). Such a score orders events but says nothing about the odds; a review
queue and an analyst filtering on ``confidence >= 0.8`` need the odds. So:

* :func:`labelled` pairs each asserted predicted event of a gold set with whether the eval
  matcher (:func:`evaluate.match_events`) matches it to a gold event: "right".
* :func:`reliability` bins the pairs (10 bins of width 0.1): count, mean confidence, fraction
  right; and the expected calibration error (ECE: the count-weighted mean gap between mean
  confidence and fraction right).
* :func:`fit` is a monotone map from the raw score to the fraction right (Platt scaling: a
  logistic curve, two parameters), fitted on *tune* halves only (realnews-dev's and
  plv-train's, weighing the same) and written
  to ``data/confidence_calibration.tsv`` as points; :func:`calibrate` applies it (linear
  between the points, strictly increasing, so events keep their order) where the confidence
  is computed. ``eventscribe eval GOLD --reliability`` and ``python bench/reliability.py`` show
  the tables before and after on both halves.
"""

from __future__ import annotations

import bisect
import contextlib
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

__all__ = ["Bin", "Reliability", "labelled", "reliability", "fit", "calibrate", "raw_scores", "curve",
           "CALIBRATION_FILE", "write_calibration", "load_calibration"]

CALIBRATION_FILE = "confidence_calibration.tsv"
BINS = 10


@dataclass(frozen=True)
class Bin:
    low: float
    high: float
    count: int
    mean_confidence: float | None
    fraction_right: float | None


@dataclass(frozen=True)
class Reliability:
    bins: tuple[Bin, ...]
    ece: float
    count: int
    fraction_right: float | None
    mean_confidence: float | None

    def rows(self) -> list[dict]:
        return [{"bin": f"{b.low:.1f}-{b.high:.1f}", "count": b.count,
                 "mean_confidence": None if b.mean_confidence is None else round(b.mean_confidence, 3),
                 "fraction_right": None if b.fraction_right is None else round(b.fraction_right, 3)}
                for b in self.bins]


def labelled(gold_docs: Iterable, predictions: Mapping[str, list]) -> list[tuple[float, bool]]:
    """(confidence, right) of every asserted predicted event: right when the eval matcher pairs
    it with a gold event of its document (negated and hypothetical events are left out, as in
    precision)."""
    from .evaluate import _asserted, match_events

    out = []
    for doc in gold_docs:
        gold = _asserted(doc.events)
        pred = _asserted(predictions.get(doc.id, []))
        matched = {pi for _, pi in match_events(gold, pred)}
        out += [(p.confidence, k in matched) for k, p in enumerate(pred)]
    return out


def reliability(pairs: Iterable[tuple[float, bool]], bins: int = BINS) -> Reliability:
    """The reliability table and expected calibration error of (confidence, right) pairs."""
    pairs = list(pairs)
    groups: list[list[tuple[float, bool]]] = [[] for _ in range(bins)]
    for c, ok in pairs:
        groups[min(bins - 1, max(0, int(c * bins)))].append((c, ok))
    rows, gap = [], 0.0
    for k, g in enumerate(groups):
        mean = sum(c for c, _ in g) / len(g) if g else None
        right = sum(ok for _, ok in g) / len(g) if g else None
        rows.append(Bin(k / bins, (k + 1) / bins, len(g), mean, right))
        if g:
            gap += len(g) * abs(mean - right)
    n = len(pairs)
    return Reliability(tuple(rows), gap / n if n else 0.0, n,
                       sum(ok for _, ok in pairs) / n if n else None,
                       sum(c for c, _ in pairs) / n if n else None)


# --------------------------------------------------------------------------- calibration


def fit(pairs: Iterable[tuple[float, bool]] | Iterable[tuple[float, bool, float]]) -> tuple[float, float]:
    """Platt scaling: ``a, b`` of ``p = 1 / (1 + exp(-(a * raw + b)))`` fitted by maximum
    likelihood (Newton's method) on (raw, right) pairs, or (raw, right, weight) triples, with
    Platt's smoothed targets ((N+ + 1) / (N+ + 2) for right events, 1 / (N- + 2) for wrong ones).

    Two parameters, because a dev half holds a few hundred events: a step function (isotonic
    regression) would follow their noise; and strictly increasing in the raw score (a > 0 on
    any data where higher scores are more often right), so that the calibrated confidence
    keeps the order of events that the review queue relies on.
    """
    data = [(p[0], bool(p[1]), float(p[2]) if len(p) > 2 else 1.0) for p in pairs]
    if not data:
        return 1.0, 0.0
    n_pos = sum(w for _, ok, w in data if ok)
    n_neg = sum(w for _, ok, w in data if not ok)
    hi, lo = (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2)
    data = [(x, hi if ok else lo, w) for x, ok, w in data]
    a, b = 1.0, 0.0
    for _ in range(100):
        g_a = g_b = h_aa = h_ab = h_bb = 0.0
        for x, t, weight in data:
            p = 1.0 / (1.0 + math.exp(-(a * x + b)))
            w = weight * p * (1 - p)
            g_a += weight * (p - t) * x
            g_b += weight * (p - t)
            h_aa += w * x * x
            h_ab += w * x
            h_bb += w
        h_aa += 1e-6
        h_bb += 1e-6
        det = h_aa * h_bb - h_ab * h_ab
        da = (h_bb * g_a - h_ab * g_b) / det
        db = (h_aa * g_b - h_ab * g_a) / det
        a, b = a - da, b - db
        if abs(da) < 1e-9 and abs(db) < 1e-9:
            break
    return a, b


def curve(a: float, b: float, step: float = 0.05) -> list[tuple[float, float]]:
    """The fitted map as points (raw, calibrated) every ``step`` from 0 to 1 (the data file)."""
    n = round(1 / step)
    return [(round(k * step, 4), round(1.0 / (1.0 + math.exp(-(a * k * step + b))), 4)) for k in range(n + 1)]


def calibrate(raw: float, points: list[tuple[float, float]] | None = None) -> float:
    """The calibrated confidence of a raw score: linear between the fitted points, the end
    points' values beyond them (identity when nothing is fitted)."""
    points = load_calibration() if points is None else points
    if not points or _DISABLED:
        return raw
    xs = [x for x, _ in points]
    k = bisect.bisect_left(xs, raw)
    if k == 0:
        return points[0][1]
    if k == len(points):
        return points[-1][1]
    (x0, y0), (x1, y1) = points[k - 1], points[k]
    return y0 + (y1 - y0) * (raw - x0) / (x1 - x0)


_DISABLED = False


@contextlib.contextmanager
def raw_scores() -> Iterator[None]:
    """Inside the block, confidences are the raw scores (for measuring before and fitting)."""
    global _DISABLED
    _DISABLED, before = True, _DISABLED
    try:
        yield
    finally:
        _DISABLED = before


@lru_cache(maxsize=1)
def load_calibration() -> list[tuple[float, float]]:
    """The packaged calibration points (``data/confidence_calibration.tsv``)."""
    try:
        text = resources.files("eventscribe").joinpath("data", CALIBRATION_FILE).read_text("utf-8")
    except FileNotFoundError:
        return []
    out = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("raw\t"):
            continue
        raw, calibrated = line.split("\t")[:2]
        out.append((float(raw), float(calibrated)))
    return out


def write_calibration(a: float, b: float, path: Path, note: str) -> None:
    points = curve(a, b)
    header = (
        "# Confidence calibration (eventscribe.reliability): raw score -> calibrated confidence.\n"
        "#\n"
        "# What it holds: points of a monotone map from merge._confidence's raw score (how much of\n"
        "# the record the text supports) to the fraction of such events that are right: Platt scaling\n"
        "# 1 / (1 + exp(-(a * raw + b))) fitted on TUNE halves only: realnews-dev tune (right = matched\n"
        "# to gold by the eval matcher) and plv-train tune (right = the sentence's coded root), the two\n"
        f"# sets weighing the same; a = {a:.4f}, b = {b:.4f}, sampled every 0.05; calibrate() is linear\n"
        "# between points, flat beyond them.\n"
        f"# {note}\n"
        "# Regenerate: python bench/reliability.py --fit (then check both halves with\n"
        "#   python bench/reliability.py --write docs/accuracy.md).\n"
        "raw\tcalibrated\n"
    )
    lines = [f"{x:.4f}\t{y:.4f}" for x, y in points]
    path.write_text(header + "\n".join(lines) + "\n", "utf-8")
    load_calibration.cache_clear()


# --------------------------------------------------------------------------- presentation


def markdown(title: str, table: Reliability) -> str:
    lines = [f"{title}: {table.count} events, {_pct(table.fraction_right)} right, mean confidence "
             f"{_num(table.mean_confidence)}, **ECE {table.ece:.3f}**", "",
             "| confidence | events | mean confidence | fraction right |", "|---|---:|---:|---:|"]
    for b in table.bins:
        lines.append(f"| {b.low:.1f}–{b.high:.1f} | {b.count} | {_num(b.mean_confidence)} | {_num(b.fraction_right)} |")
    return "\n".join(lines)


def _num(x: float | None) -> str:
    return "" if x is None else f"{x:.2f}"


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.0f}%"
