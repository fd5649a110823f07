"""Score extracted events against hand-annotated gold documents (`eventscribe eval`).

Gold format: ``docs/gold-format.md``. Scoring rules (also in ``docs/accuracy.md``):

* Negated and hypothetical events, gold or predicted, are left out of precision and recall.
* A predicted event can match a gold event of the same document when
  - the PLOVER type agrees,
  - the dates are within one day (gap between the two date ranges <= 1 day) when both have
    a date; a missing date on either side does not block the match,
  - the location countries overlap when both have countries; a missing side does not block.
* Matching is one-to-one, greedy by pair score (type match plus agreement on date, country,
  actor, target, mode and trigger word), ties broken by order in the document.
* Field accuracy is computed over matched pairs. A role field (actor/target country and
  sector) counts when the gold event has that role; ``mode`` when gold has a mode (a finer mode of the gold's family counts, see
  ``mapping.mode_matches``); ``place``
  (any predicted location name equals or contains a gold one) and ``place_country`` (any
  country in common) when gold has locations; ``date`` (within a day; no predicted date is
  wrong) when gold has a date; counts (fatalities, injured, arrested) when gold or prediction
  gives a number, correct only when min and max are both equal.
* "Invented" events: predicted events on documents whose gold lists no event.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .mapping import mode_matches
from .model import PLOVER_TYPES, Actor, Count, DateRange, Document, Event, Location, PloverType

FIELDS: tuple[str, ...] = (
    "mode", "actor_country", "actor_sector", "target_country", "target_sector",
    "place", "place_country", "date", "fatalities", "injured", "arrested",
)
GOLD_SUFFIXES = (".yaml", ".yml", ".json")


class GoldFormatError(ValueError):
    """A gold file that does not follow docs/gold-format.md (names the file)."""


# --- gold records --------------------------------------------------------------


class GoldEvent(BaseModel):
    """One annotated event; the fields of :class:`Event` a human can fill in, plus hints."""

    model_config = ConfigDict(extra="forbid")

    type: PloverType
    mode: str | None = None
    actor: Actor | None = None
    target: Actor | None = None
    locations: list[Location] = Field(default_factory=list)
    date: DateRange | None = None
    fatalities: Count | None = None
    injured: Count | None = None
    arrested: Count | None = None
    trigger: str | None = None
    world_event: str | None = None
    negated: bool = False
    hypothetical: bool = False
    notes: str | None = None
    evidence: str | None = None  # a short quote of the text that states the event


class GoldDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    text: str
    published: dt.date | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    notes: str | None = None
    published_source: str | None = None  # page | dateline | inferred: where `published` comes from
    events: list[GoldEvent] = Field(default_factory=list)

    def document(self) -> Document:
        """The input the pipeline sees: text and metadata, never the annotations."""
        return Document(id=self.id, text=self.text, published=self.published,
                        title=self.title, url=self.url, source=self.source)


def _parse_gold(obj: object, where: str) -> GoldDocument:
    try:
        return GoldDocument.model_validate(obj)
    except ValidationError as exc:
        raise GoldFormatError(f"{where}: {exc}") from exc


def load_gold(path: str | Path) -> list[GoldDocument]:
    """Gold documents from a folder of YAML/JSON files, one YAML/JSON file, or a JSONL file."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in GOLD_SUFFIXES and p.is_file())
        docs = [_parse_gold(yaml.safe_load(p.read_text("utf-8")), str(p)) for p in files]
    elif path.suffix == ".jsonl":
        lines = path.read_text("utf-8").splitlines()
        docs = [_parse_gold(json.loads(line), f"{path}:{i}")
                for i, line in enumerate(lines, 1) if line.strip()]
    elif path.is_file():
        docs = [_parse_gold(yaml.safe_load(path.read_text("utf-8")), str(path))]
    else:
        raise FileNotFoundError(path)
    ids = Counter(d.id for d in docs)
    dupes = [i for i, n in ids.items() if n > 1]
    if dupes:
        raise GoldFormatError(f"{path}: duplicate document ids {dupes}")
    return docs


HALVES = ("tune", "held")


def story_key(doc_id: str) -> str:
    """The story a document belongs to: its id without a trailing number ("haiti-03" ->
    "haiti"), so that all outlets' reports of one story fall in the same half."""
    head, sep, tail = doc_id.rpartition("-")
    return head if sep and tail.isdigit() else doc_id


def split_half(docs: list[GoldDocument], half: str | None) -> list[GoldDocument]:
    """The tuning half or the held-out half of a gold set (``None``: all of it).

    Stories (see :func:`story_key`) are sorted and alternate: even positions tune, odd
    positions are held out. A rule tuned on one half and checked on the other is a rule for
    news in general, not for the sentences that were read."""
    if half is None:
        return docs
    if half not in HALVES:
        raise ValueError(f"half must be one of {HALVES}, not {half!r}")
    stories = sorted({story_key(d.id) for d in docs})
    held = {s for i, s in enumerate(stories) if i % 2}
    return [d for d in docs if (story_key(d.id) in held) == (half == "held")]


# --- score records ---------------------------------------------------------------


class PRF(BaseModel):
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0

    @classmethod
    def of(cls, gold: int, predicted: int, matched: int) -> PRF:
        p = matched / predicted if predicted else 0.0
        r = matched / gold if gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return cls(gold=gold, predicted=predicted, matched=matched, precision=p, recall=r, f1=f)


class FieldScore(BaseModel):
    n: int = 0          # matched pairs the field counts for
    correct: int = 0
    gold: int = 0       # asserted gold events that give the field, matched or not

    @property
    def accuracy(self) -> float | None:
        """Correct share over matched pairs: how good the field is when the event is found."""
        return self.correct / self.n if self.n else None

    @property
    def recall(self) -> float | None:
        """Correct share over all gold events giving the field: found AND filled right.

        Unlike :attr:`accuracy` this cannot fall when more events are found, so the quality
        gate pins it.
        """
        return self.correct / self.gold if self.gold else None


class Invented(BaseModel):
    """False alarms where the article reports no event at all."""

    documents: int = 0          # documents whose gold has no event
    with_events: int = 0        # of those, how many got at least one predicted event
    events: int = 0             # predicted events on them


class Blocked(BaseModel):
    """Unmatched gold events that a leftover prediction of the same type would have matched,
    had the date (or the country) not disagreed: misses caused by a wrong date or place."""

    date: int = 0
    country: int = 0


class ErrorCase(BaseModel):
    doc_id: str
    kind: str                   # missed | spurious | field
    type: str | None = None
    field: str | None = None
    gold: str | None = None
    predicted: str | None = None
    text: str | None = None     # trigger / evidence for orientation
    evidence: str | None = None  # the gold event's own quote (missed and wrong-field cases)


class Scores(BaseModel):
    gold_path: str | None = None
    documents: int = 0
    overall: PRF = Field(default_factory=PRF)
    by_type: dict[str, PRF] = Field(default_factory=dict)
    fields: dict[str, FieldScore] = Field(default_factory=dict)
    invented: Invented = Field(default_factory=Invented)
    blocked: Blocked = Field(default_factory=Blocked)
    errors: list[ErrorCase] = Field(default_factory=list)
    seconds: float | None = None

    def summary(self) -> dict[str, object]:
        """Machine-readable scores (what ``--format json`` prints)."""
        out = self.model_dump(exclude={"fields", "errors"})
        out["fields"] = {k: {"n": v.n, "correct": v.correct, "accuracy": v.accuracy,
                             "gold": v.gold, "recall": v.recall}
                         for k, v in self.fields.items()}
        if self.errors:
            out["errors"] = [e.model_dump(exclude_none=True) for e in self.errors]
        return out


# --- agreement tests -------------------------------------------------------------


def date_gap(a: DateRange, b: DateRange) -> int:
    """Days between two date ranges; 0 when they overlap."""
    if a.end < b.start:
        return (b.start - a.end).days
    if b.end < a.start:
        return (a.start - b.end).days
    return 0


def _countries(locations: Iterable[Location]) -> set[str]:
    return {loc.country for loc in locations if loc.country}


def _norm_name(name: str) -> str:
    name = name.casefold().strip()
    return name[4:] if name.startswith("the ") else name


def place_name_match(gold: Iterable[Location], pred: Iterable[Location]) -> bool:
    """Any predicted name equals, contains or is contained in a gold name (case-insensitive)."""
    gold_names = [_norm_name(g.name) for g in gold if g.name]
    for p in pred:
        pn = _norm_name(p.name) if p.name else ""
        if pn and any(pn == g or pn in g or g in pn for g in gold_names):
            return True
    return False


def count_equal(a: Count | None, b: Count | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.min == b.min and a.max == b.max


def _has_number(c: Count | None) -> bool:
    return c is not None and (c.min is not None or c.max is not None)


def _trigger_text(event: Event) -> str:
    return event.evidence[0].trigger.text if event.evidence else ""


def _trigger_match(gold: GoldEvent, pred: Event) -> bool:
    if not gold.trigger:
        return False
    g = gold.trigger.casefold()
    return any(ev.trigger.text.casefold() in g or g in ev.trigger.text.casefold()
               for ev in pred.evidence if ev.trigger.text)


def compatible(gold: GoldEvent, pred: Event, check_date: bool = True,
               check_country: bool = True) -> bool:
    """May these two be the same event? Type equal, dates within a day, countries overlap."""
    if gold.type != pred.type:
        return False
    if check_date and gold.date and pred.date and date_gap(gold.date, pred.date) > 1:
        return False
    gc, pc = _countries(gold.locations), _countries(pred.locations)
    return not (check_country and gc and pc and not gc & pc)


def pair_score(gold: GoldEvent, pred: Event) -> float:
    """How well a compatible pair agrees; used only to order greedy matching."""
    score = 1.0
    if gold.date and pred.date:
        score += 0.5
    if _countries(gold.locations) & _countries(pred.locations):
        score += 0.5
    if place_name_match(gold.locations, pred.locations):
        score += 0.25
    for g_role, p_role in ((gold.actor, pred.actor), (gold.target, pred.target)):
        if g_role and p_role and g_role.country == p_role.country:
            score += 0.25
        if g_role and p_role and g_role.sector == p_role.sector:
            score += 0.125
    if gold.mode and mode_matches(gold.mode, pred.mode):
        score += 0.25
    if _trigger_match(gold, pred):
        score += 0.75
    return score


def match_events(gold: list[GoldEvent], pred: list[Event],
                 **relax: bool) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs, greedy by :func:`pair_score`.

    ``relax`` passes ``check_date=False`` / ``check_country=False`` to :func:`compatible`
    (used to count misses that only a wrong date or country caused).
    """
    candidates = [
        (-pair_score(g, p), gi, pi)
        for gi, g in enumerate(gold) for pi, p in enumerate(pred) if compatible(g, p, **relax)
    ]
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, gi, pi in candidates:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return sorted(pairs)


def _fmt_count(c: Count | None) -> str:
    return "none" if c is None else f"{c.min}..{c.max}"


def gold_fields(gold: GoldEvent) -> set[str]:
    """The fields a gold event gives (the denominators of field recall)."""
    out = {f"{role}_{part}" for role in ("actor", "target") if getattr(gold, role)
           for part in ("country", "sector")}
    if gold.mode:
        out.add("mode")
    if gold.locations:
        out |= {"place", "place_country"}
    if gold.date:
        out.add("date")
    out |= {name for name in ("fatalities", "injured", "arrested")
            if _has_number(getattr(gold, name))}
    return out


def field_results(gold: GoldEvent, pred: Event) -> dict[str, tuple[bool, str, str]]:
    """Per field that counts for this pair: (correct, gold value, predicted value)."""
    out: dict[str, tuple[bool, str, str]] = {}
    if gold.mode:
        out["mode"] = (mode_matches(gold.mode, pred.mode), gold.mode, str(pred.mode))
    for role in ("actor", "target"):
        g: Actor | None = getattr(gold, role)
        p: Actor | None = getattr(pred, role)
        if g is None:
            continue
        pc, ps = (p.country, p.sector) if p else (None, None)
        out[f"{role}_country"] = (g.country == pc, str(g.country), str(pc))
        out[f"{role}_sector"] = (g.sector == ps, g.sector, str(ps))
    if gold.locations:
        gnames = ", ".join(loc.name for loc in gold.locations)
        pnames = ", ".join(loc.name for loc in pred.locations) or "none"
        out["place"] = (place_name_match(gold.locations, pred.locations), gnames, pnames)
        gc, pc = _countries(gold.locations), _countries(pred.locations)
        out["place_country"] = (bool(gc & pc) if gc else not pc,
                                ",".join(sorted(gc)) or "none", ",".join(sorted(pc)) or "none")
    if gold.date:
        ok = pred.date is not None and date_gap(gold.date, pred.date) <= 1
        pd = f"{pred.date.start}..{pred.date.end}" if pred.date else "none"
        out["date"] = (ok, f"{gold.date.start}..{gold.date.end}", pd)
    for name in ("fatalities", "injured", "arrested"):
        gc_, pc_ = getattr(gold, name), getattr(pred, name)
        if _has_number(gc_) or _has_number(pc_):
            g_ = gc_ if _has_number(gc_) else None
            p_ = pc_ if _has_number(pc_) else None
            out[name] = (count_equal(g_, p_), _fmt_count(g_), _fmt_count(p_))
    return out


# --- scoring -----------------------------------------------------------------------


def _asserted(events: Iterable, ) -> list:
    return [e for e in events if not e.negated and not e.hypothetical]


def score(gold_docs: Iterable[GoldDocument], predictions: Mapping[str, list[Event]],
          keep_errors: bool = True) -> Scores:
    """Scores of predicted events (by document id) against gold; pure, no pipeline."""
    overall = Counter()
    per_type: dict[str, Counter] = {t: Counter() for t in PLOVER_TYPES}
    fields = {f: FieldScore() for f in FIELDS}
    invented = Invented()
    blocked = Blocked()
    errors: list[ErrorCase] = []
    n_docs = 0
    for doc in gold_docs:
        n_docs += 1
        gold = _asserted(doc.events)
        pred = _asserted(predictions.get(doc.id, []))
        if not gold:
            invented.documents += 1
            invented.events += len(pred)
            invented.with_events += bool(pred)
        pairs = match_events(gold, pred)
        overall.update(gold=len(gold), predicted=len(pred), matched=len(pairs))
        for g in gold:
            per_type[g.type]["gold"] += 1
            for name in gold_fields(g):
                fields[name].gold += 1
        for p in pred:
            per_type[p.type]["predicted"] += 1
        for gi, pi in pairs:
            per_type[gold[gi].type]["matched"] += 1
            for name, (ok, gv, pv) in field_results(gold[gi], pred[pi]).items():
                fields[name].n += 1
                fields[name].correct += ok
                if not ok and keep_errors:
                    errors.append(ErrorCase(doc_id=doc.id, kind="field", type=gold[gi].type,
                                            field=name, gold=gv, predicted=pv,
                                            text=gold[gi].trigger,
                                            evidence=gold[gi].evidence))
        matched_g = {gi for gi, _ in pairs}
        matched_p = {pi for _, pi in pairs}
        left_g = [g for gi, g in enumerate(gold) if gi not in matched_g]
        left_p = [p for pi, p in enumerate(pred) if pi not in matched_p]
        blocked.date += len(match_events(left_g, left_p, check_date=False))
        blocked.country += len(match_events(left_g, left_p, check_country=False))
        if keep_errors:
            errors += [ErrorCase(doc_id=doc.id, kind="missed", type=g.type, text=g.trigger,
                                 evidence=g.evidence)
                       for gi, g in enumerate(gold) if gi not in matched_g]
            errors += [ErrorCase(doc_id=doc.id, kind="spurious", type=p.type,
                                 text=_trigger_text(p),
                                 predicted=p.evidence[0].text if p.evidence else None)
                       for pi, p in enumerate(pred) if pi not in matched_p]
    return Scores(
        documents=n_docs,
        overall=PRF.of(overall["gold"], overall["predicted"], overall["matched"]),
        by_type={t: PRF.of(c["gold"], c["predicted"], c["matched"])
                 for t, c in per_type.items() if c["gold"] or c["predicted"]},
        fields=fields,
        invented=invented,
        blocked=blocked,
        errors=errors,
    )


def evaluate(gold: str | Path | list[GoldDocument], pipeline=None,
             keep_errors: bool = True, half: str | None = None, progress=None,
             predictions: dict | None = None) -> Scores:
    """Run the pipeline on the gold documents' text and score its events (``half``: only
    the tuning or the held-out half, see :func:`split_half`; ``predictions``: a dict to fill
    with the events by document id, e.g. for ``eval --reliability``)."""
    from .pipeline import default_pipeline

    docs = gold if isinstance(gold, list) else load_gold(gold)
    docs = split_half(docs, half)
    pipeline = pipeline or default_pipeline()
    started = time.perf_counter()
    predictions = {} if predictions is None else predictions
    for r in pipeline.extract(d.document() for d in docs):
        predictions[r.document.id] = r.events
        if progress is not None:
            progress(len(predictions), len(docs))  # (done, total): the command line's bar
    scores = score(docs, predictions, keep_errors=keep_errors)
    scores.seconds = round(time.perf_counter() - started, 2)
    if not isinstance(gold, list):
        scores.gold_path = str(gold)
    return scores


# --- baseline (quality gate) ------------------------------------------------------------


def baseline(scores: Scores, digits: int = 3) -> dict[str, float]:
    """The numbers the quality gate pins, rounded: overall P/R/F1 and each field's recall
    (correct over all gold events giving it; see :attr:`FieldScore.recall` for why not the
    accuracy over matched events)."""
    out = {
        "precision": round(scores.overall.precision, digits),
        "recall": round(scores.overall.recall, digits),
        "f1": round(scores.overall.f1, digits),
    }
    for name, fs in scores.fields.items():
        if fs.recall is not None:
            out[f"field_recall.{name}"] = round(fs.recall, digits)
    return out


def write_baseline(scores: Scores, path: str | Path) -> dict[str, float]:
    data = baseline(scores)
    Path(path).write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", "utf-8")
    return data


def regressions(scores: Scores, pinned: Mapping[str, float],
                tolerance: float = 0.005) -> list[str]:
    """Pinned scores that the current ones fall below by more than ``tolerance``."""
    now = baseline(scores)
    out = []
    for key, old in sorted(pinned.items()):
        new = now.get(key)
        if new is None or new < old - tolerance:
            out.append(f"{key}: {old:.3f} -> {'missing' if new is None else f'{new:.3f}'}")
    return out


# --- presentation ----------------------------------------------------------------------------


EVIDENCE_CHARS = 160  # a gold quote longer than this is cut in the terminal table (JSON: whole)


def _clip(text: str | None, limit: int) -> str:
    if not text:
        return ""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}"


def render(scores: Scores, by: str | None = None, errors: int = 0):
    """Rich renderables for a terminal: overall line, per-type and/or per-field tables."""
    from rich.table import Table
    from rich.text import Text

    o = scores.overall
    parts: list = [Text(
        f"{scores.documents} documents, {o.gold} gold / {o.predicted} predicted / {o.matched} "
        f"matched events — precision {_pct(o.precision)}  recall {_pct(o.recall)}  "
        f"F1 {_pct(o.f1)}" + (f"  ({scores.seconds:.1f} s)" if scores.seconds else ""),
        style="bold")]
    inv = scores.invented
    parts.append(Text(f"Documents without gold events: {inv.documents}; with invented events: "
                      f"{inv.with_events} ({inv.events} events)"))
    parts.append(Text(f"Misses caused only by a wrong date: {scores.blocked.date}; "
                      f"by a wrong country: {scores.blocked.country}"))
    if by in (None, "type"):
        t = Table(title="By event type")
        for col in ("type", "gold", "pred", "match", "P", "R", "F1"):
            t.add_column(col, justify="left" if col == "type" else "right")
        for name, s in sorted(scores.by_type.items()):
            t.add_row(name, str(s.gold), str(s.predicted), str(s.matched),
                      _pct(s.precision), _pct(s.recall), _pct(s.f1))
        parts.append(t)
    if by in (None, "field"):
        t = Table(title="Fields: accuracy over matched events, recall over gold events")
        for col in ("field", "matched", "correct", "accuracy", "gold", "recall"):
            t.add_column(col, justify="left" if col == "field" else "right")
        for name, fs in scores.fields.items():
            t.add_row(name, str(fs.n), str(fs.correct), _pct(fs.accuracy), str(fs.gold),
                      _pct(fs.recall))
        parts.append(t)
    if errors and scores.errors:
        t = Table(title=f"Errors (first {errors})")
        shown = scores.errors[:errors]
        quotes = any(e.evidence for e in shown)
        for col in ("doc", "kind", "type", "field", "gold", "predicted", "text"):
            t.add_column(col)
        if quotes:
            t.add_column("gold evidence", overflow="fold")
        for e in shown:
            cells = [e.doc_id, e.kind, e.type or "", e.field or "", e.gold or "",
                     (e.predicted or "")[:80], (e.text or "")[:40]]
            t.add_row(*cells, *([_clip(e.evidence, EVIDENCE_CHARS)] if quotes else []))
        parts.append(t)
    return parts
