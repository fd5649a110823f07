"""Validate the hand-annotated gold corpus in ``examples/gold``.

The gold files are both the example corpus and the dev set that ``eventscribe
eval`` scores against, so a malformed or inconsistent label silently skews
every measured number. These checks catch what a human annotator gets wrong
most often: typos in keys, types and sectors, made-up country codes, dates
that do not parse or run backwards, counts with min > max, triggers that are
not words of the text, and ids that do not match the file name.

The structural checks reuse the record types of :mod:`eventscribe.model`
(strict, ``extra="forbid"``), so the gold format cannot drift from the output
contract without this test noticing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pycountry
import pytest
import yaml
from pydantic import ValidationError

from eventscribe.model import (
    PLOVER_TYPES,
    SECTORS,
    Actor,
    Count,
    DateRange,
    Document,
    Event,
    Location,
)

GOLD_DIR = Path(__file__).resolve().parent.parent / "examples" / "gold"
GOLD_FILES = sorted(GOLD_DIR.glob("*.yaml")) + sorted(GOLD_DIR.glob("*.yml"))

DOC_REQUIRED = {"id", "published", "title", "text", "events"}
DOC_OPTIONAL = {"url", "notes", "source"}
EVENT_REQUIRED = {"type"}
# Negated and hypothetical events are not scored, so they need no date or id.
REAL_EVENT_REQUIRED = {"date", "world_event"}
# A gold event may use any field of the output record that an annotator can
# fill in, plus the two gold-only fields (trigger, world_event).
EVENT_ALLOWED = (
    set(Event.model_fields) - {"id", "doc_id", "evidence", "confidence"}
) | {"trigger", "world_event"}
COUNT_FIELDS = ("fatalities", "injured", "arrested")


def _load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    assert isinstance(data, dict), f"{path.name}: top level must be a mapping"
    return data


def _as_date(value: Any, where: str) -> dt.date:
    """YAML gives ``datetime.date`` for bare ISO dates; accept ISO strings too."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    assert isinstance(value, str), f"{where}: date must be ISO YYYY-MM-DD, got {value!r}"
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise AssertionError(f"{where}: unparseable date {value!r}") from None


def _check_country(code: Any, where: str) -> None:
    if code is None:
        return
    assert isinstance(code, str) and len(code) == 3 and code.isupper(), (
        f"{where}: country must be an upper-case ISO 3166 alpha-3 code, got {code!r}"
    )
    assert pycountry.countries.get(alpha_3=code) is not None, (
        f"{where}: {code!r} is not an ISO 3166 alpha-3 country code"
    )


def _check_actor(actor: Any, where: str) -> None:
    if actor is None:
        return
    assert isinstance(actor, dict), f"{where}: actor must be a mapping or null"
    Actor.model_validate(actor)
    assert actor.get("name"), f"{where}: actor needs a name"
    assert actor.get("sector", "UNK") in SECTORS, f"{where}: bad sector {actor.get('sector')!r}"
    _check_country(actor.get("country"), where)


def _check_event(ev: Any, doc: dict[str, Any], where: str) -> None:
    assert isinstance(ev, dict), f"{where}: event must be a mapping"
    real = not (ev.get("hypothetical") or ev.get("negated"))
    missing = (EVENT_REQUIRED | (REAL_EVENT_REQUIRED if real else set())) - ev.keys()
    assert not missing, f"{where}: missing keys {sorted(missing)}"
    unknown = ev.keys() - EVENT_ALLOWED
    assert not unknown, f"{where}: unknown keys {sorted(unknown)}"

    assert ev["type"] in PLOVER_TYPES, f"{where}: {ev['type']!r} is not a PLOVER root"
    for flag in ("negated", "hypothetical"):
        assert isinstance(ev.get(flag, False), bool), f"{where}: {flag} must be a boolean"

    _check_actor(ev.get("actor"), f"{where}.actor")
    _check_actor(ev.get("target"), f"{where}.target")

    locations = ev.get("locations") or []
    assert isinstance(locations, list), f"{where}: locations must be a list"
    for i, loc in enumerate(locations):
        Location.model_validate(loc)
        _check_country(loc.get("country"), f"{where}.locations[{i}]")

    date = ev.get("date")
    if date is not None:
        assert isinstance(date, dict), f"{where}: date must be {{start, end}}"
        start = _as_date(date.get("start"), f"{where}.date.start")
        end = _as_date(date.get("end"), f"{where}.date.end")
        DateRange.model_validate({**date, "start": start, "end": end})
        assert start <= end, f"{where}: date start {start} after end {end}"
        published = _as_date(doc["published"], "published")
        if real:
            # A reported event cannot have started after the article was published.
            assert start <= published, f"{where}: starts {start}, after publication {published}"
    else:
        assert not real, f"{where}: a reported event needs a date"

    for field in COUNT_FIELDS:
        count = ev.get(field)
        if count is None:
            continue
        Count.model_validate(count)
        lo, hi = count.get("min"), count.get("max")
        for v in (lo, hi):
            assert v is None or (isinstance(v, int) and v >= 0), f"{where}.{field}: bad {v!r}"
        assert lo is not None or hi is not None, f"{where}.{field}: use null, not an empty count"
        if lo is not None and hi is not None:
            assert lo <= hi, f"{where}.{field}: min {lo} > max {hi}"

    trigger = ev.get("trigger")
    if trigger is not None:
        assert isinstance(trigger, str) and trigger.strip(), f"{where}: empty trigger"
        assert trigger in doc["text"], f"{where}: trigger {trigger!r} not in the text"

    if real or "world_event" in ev:
        assert isinstance(ev["world_event"], str) and ev["world_event"], f"{where}: world_event"


def test_gold_corpus_is_present() -> None:
    assert GOLD_FILES, f"no gold files in {GOLD_DIR}"


def validate_document(doc: dict[str, Any], stem: str) -> None:
    """Raise AssertionError (or a pydantic ValidationError) on the first problem found."""
    missing = DOC_REQUIRED - doc.keys()
    assert not missing, f"{stem}: missing keys {sorted(missing)}"
    unknown = doc.keys() - DOC_REQUIRED - DOC_OPTIONAL
    assert not unknown, f"{stem}: unknown keys {sorted(unknown)}"
    assert doc["id"] == stem, f"{stem}: id {doc['id']!r} != file stem {stem!r}"
    assert isinstance(doc["text"], str) and doc["text"].strip(), f"{stem}: empty text"
    _as_date(doc["published"], f"{stem}: published")

    # The same file must load as a pipeline input document.
    Document.model_validate(
        {k: doc.get(k) for k in ("id", "text", "title", "url", "published")}
    )

    events = doc["events"]
    assert isinstance(events, list), f"{stem}: events must be a list ([] for none)"
    for i, ev in enumerate(events):
        _check_event(ev, doc, f"{stem}: events[{i}]")


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_gold_file_is_valid(path: Path) -> None:
    validate_document(_load(path), path.stem)


_GOOD_DOC = """
id: sample
published: 2024-03-14
title: Sample
text: |
  Gunmen attacked a checkpoint near Tripoli on Tuesday, killing two guards.
events:
  - type: ASSAULT
    mode: firearms
    actor: {name: Gunmen, country: LBY, sector: REB}
    target: {name: guards, country: LBY, sector: COP}
    locations:
      - {name: Tripoli, country: LBY}
    date: {start: 2024-03-12, end: 2024-03-12}
    fatalities: {min: 2, max: 2}
    trigger: attacked
    world_event: sample-2024-03-12
"""

_MUTATIONS = {
    "unknown PLOVER type": lambda d: d["events"][0].update(type="ATTACK"),
    "bad sector": lambda d: d["events"][0]["actor"].update(sector="MILITIA"),
    "alpha-2 country": lambda d: d["events"][0]["actor"].update(country="LY"),
    "made-up alpha-3": lambda d: d["events"][0]["locations"][0].update(country="XYZ"),
    "trigger not in text": lambda d: d["events"][0].update(trigger="stormed"),
    "date runs backwards": lambda d: d["events"][0]["date"].update(start=dt.date(2024, 3, 13)),
    "unparseable date": lambda d: d["events"][0]["date"].update(end="last Tuesday"),
    "event after publication": lambda d: d["events"][0].update(
        date={"start": dt.date(2024, 3, 20), "end": dt.date(2024, 3, 20)}
    ),
    "count min > max": lambda d: d["events"][0].update(fatalities={"min": 5, "max": 2}),
    "typo in event key": lambda d: d["events"][0].update(fatalites=None),
    "typo in location key": lambda d: d["events"][0]["locations"][0].update(contry="LBY"),
    "missing world_event": lambda d: d["events"][0].pop("world_event"),
    "id differs from file stem": lambda d: d.update(id="other"),
    "events missing": lambda d: d.pop("events"),
}


def test_validator_accepts_a_good_document() -> None:
    validate_document(yaml.safe_load(_GOOD_DOC), "sample")


@pytest.mark.parametrize("mutation", sorted(_MUTATIONS))
def test_validator_rejects_annotation_mistakes(mutation: str) -> None:
    doc = yaml.safe_load(_GOOD_DOC)
    _MUTATIONS[mutation](doc)
    with pytest.raises((AssertionError, ValidationError)):
        validate_document(doc, "sample")


def test_gold_ids_are_unique() -> None:
    ids = [_load(p)["id"] for p in GOLD_FILES]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, f"duplicate gold ids: {dupes}"


def test_world_events_are_not_repeated_within_a_document() -> None:
    """One real event reported twice in an article is one gold event."""
    for path in GOLD_FILES:
        doc = _load(path)
        seen = [
            ev["world_event"]
            for ev in doc["events"]
            if not (ev.get("negated") or ev.get("hypothetical"))
        ]
        dupes = sorted({w for w in seen if seen.count(w) > 1})
        assert not dupes, f"{path.name}: world_event used twice: {dupes}"


def test_shared_world_events_agree_on_type() -> None:
    """Documents that report the same real event must give it the same PLOVER type."""
    types: dict[str, set[str]] = {}
    for path in GOLD_FILES:
        for ev in _load(path)["events"]:
            if ev.get("negated") or ev.get("hypothetical"):
                continue
            types.setdefault(ev["world_event"], set()).add(ev["type"])
    conflicts = {w: sorted(t) for w, t in types.items() if len(t) > 1}
    assert not conflicts, f"world_event ids with different types: {conflicts}"
