"""acled-dev: ACLED event notes (../shared/peer/acled-dev/SOURCE.md), scored per file.

One document per distinct note, published the day after its ``event_date``. The gold events
of a note are its rows with distinct ``event_id_cnty`` (the Bangladesh layout repeats an event
once per actor). Our *main event* is the most confident asserted event that has an ACLED
type (``Event.acled``), else the most confident asserted event. Per gold event, all over every
gold event (no event found is wrong; the note gives the share over found events):

* event found: the note gives an asserted event with an ACLED type;
* ACLED event type and sub-event type of the main event;
* PLOVER root compatible with the ACLED type (``acled_plover.yaml``);
* country (ISO3 among the main event's locations), admin1 (a location's admin1 names the
  gold one), nearest location within 50 km and within 161 km (100 miles) of the gold point;
* date: the main event's date range lies within one day of the gold day;
* fatalities: our number (min, else max) equals ACLED's; none or 0 is right for 0. Also
  on the events where ACLED codes at least one death, and on the notes that state a toll
  as news does ("killed 3", "two people died") without an ACLED coding convention ("Fatalities
  coded as 0", "split across 2 events", "estimate"): there the number is in the text, so a
  miss is ours (reading or attaching the count), not ACLED's bookkeeping.

Halves: per file, distinct notes in file order, even positions tune, odd held out. Full runs
are long (about 9,700 notes), so the default is a seeded sample of 300 notes per file,
half from each half; ``--sample N`` sets the per-file number.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

import yaml

from eventscribe.model import Document, Event, Location

from .common import Row, extract_all, ratio, stratified_sample, top_event

NAME = "acled-dev"
DEFAULT_SAMPLE = 300
FILES = {
    "bangladesh": "acled-bangladesh-2022-2024.csv",
    "kenya": "acled-kenya-2004-2019.csv",
    "afghanistan": "acled-afghanistan-2020-03.csv",
}
DATE_FORMATS = ("%d-%b-%y", "%d-%m-%y", "%d %B %Y", "%Y-%m-%d", "%d-%B-%Y")
ONE_DAY = dt.timedelta(days=1)
NEAR_KM, FAR_KM = 50.0, 161.0
ADMIN_WORDS = re.compile(r"\b(province|county|division|district|region|state|wilayah)\b")


# --- gold ------------------------------------------------------------------------------


def parse_date(value: str) -> dt.date:
    """ACLED's event_date in any of the three files' layouts ("5-Aug-24", "31-12-19",
    "21 March 2020")."""
    value = value.strip()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"unknown ACLED date {value!r}")


@cache
def _numeric_to_alpha3(numeric: str) -> str | None:
    import pycountry

    hit = pycountry.countries.get(numeric=numeric.zfill(3))
    return hit.alpha_3 if hit else None


def iso3_of(row: dict) -> str | None:
    if row.get("iso3"):
        return row["iso3"].strip()
    return _numeric_to_alpha3(row["iso"].strip()) if row.get("iso", "").strip() else None


def gold_event(row: dict) -> dict:
    def number(key: str) -> float | None:
        try:
            return float(row[key])
        except (KeyError, ValueError):
            return None

    return {
        "event_type": row["event_type"], "sub_event_type": row["sub_event_type"],
        "country": iso3_of(row), "admin1": row.get("admin1") or None,
        "admin2": row.get("admin2") or None, "location": row.get("location") or None,
        "lat": number("latitude"), "lon": number("longitude"),
        "date": parse_date(row["event_date"]),
        "fatalities": int(row["fatalities"]) if row.get("fatalities", "").strip() else None,
    }


def group_notes(rows: Iterable[dict], file_key: str) -> list[dict]:
    """One item per distinct note, in file order, with its gold events and its half."""
    notes: dict[str, dict] = {}
    for row in rows:
        note = row["notes"].strip()
        if not note:
            continue
        item = notes.get(note)
        if item is None:
            item = notes[note] = {"text": note, "events": {}, "file": file_key}
        item["events"].setdefault(row["event_id_cnty"], gold_event(row))
    out = []
    for i, item in enumerate(notes.values()):
        events = list(item["events"].values())
        out.append({**item, "events": events, "index": i, "half": "tune" if i % 2 == 0 else "held",
                    "id": f"acled-{file_key}-{i}",
                    "published": min(e["date"] for e in events) + dt.timedelta(days=1)})
    return out


def load(root: Path, file_key: str) -> list[dict]:
    csv.field_size_limit(1 << 30)
    with (root / NAME / FILES[file_key]).open(encoding="utf-8", newline="") as fh:
        return group_notes(csv.DictReader(fh), file_key)


# --- agreement tests ------------------------------------------------------------------------


@cache
def _compatible_roots() -> dict[str, dict[str, list[str]]]:
    return yaml.safe_load((Path(__file__).with_name("acled_plover.yaml")).read_text("utf-8"))


def root_compatible(plover_type: str | None, event_type: str, sub_event_type: str) -> bool:
    table = _compatible_roots()
    allowed = set(table["event_types"].get(event_type, ())) | set(
        table["sub_event_types"].get(sub_event_type, ()))
    return plover_type in allowed


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, a)))


def nearest_km(locations: Sequence[Location], lat: float | None, lon: float | None) -> float | None:
    if lat is None or lon is None:
        return None
    dists = [km_between(loc.lat, loc.lon, lat, lon) for loc in locations
             if loc.lat is not None and loc.lon is not None]
    return min(dists) if dists else None


def _admin_key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    text = ADMIN_WORDS.sub(" ", text.replace("-", " "))
    return " ".join(text.split())


def admin1_match(locations: Sequence[Location], gold: str | None) -> bool:
    if not gold:
        return False
    g = _admin_key(gold)
    for loc in locations:
        if loc.admin1:
            ours = _admin_key(loc.admin1)
            if ours and (ours == g or ours in g or g in ours):
                return True
    return False


def count_value(event: Event) -> int | None:
    c = event.fatalities
    if c is None:
        return None
    return c.min if c.min is not None else c.max


def fatalities_match(event: Event, gold: int | None) -> bool:
    if gold is None:
        return False
    ours = count_value(event)
    return (ours or 0) == 0 if gold == 0 else ours == gold


# a toll the note states as news would ("3 killed", "died", "shot dead")
_TOLL_WORDS = re.compile(r"\b(?:kill\w*|dead|died|dies|death\w*|fatalit\w*|murder\w*|lynch\w*|"
                         r"beheaded|massacred|lives)\b", re.IGNORECASE)
# ACLED bookkeeping that overrides what the note says: not a fact a news reader sees
_CODING_CONVENTION = re.compile(r"coded as|split (?:across|over|between)|\bestimate|unconfirmed|"
                                r"not specified|unknown fatalities|fatalities:|\(\d+\)", re.IGNORECASE)


def states_toll(note: str) -> bool:
    """Does the note state its toll in words a news reader sees, with no ACLED coding rule?"""
    return bool(_TOLL_WORDS.search(note)) and not _CODING_CONVENTION.search(note)


def date_match(event: Event, day: dt.date) -> bool:
    """The event's date range lies within one day of the gold day (eval's one-day leeway,
    but a week or a month around it is not the day)."""
    d = event.date
    return d is not None and day - ONE_DAY <= d.start and d.end <= day + ONE_DAY


def main_event(events: Sequence[Event]) -> Event | None:
    """The most confident ACLED-codable event, else the most confident event."""
    return top_event([e for e in events if e.acled]) or top_event(events)


def score_event(gold: dict, events: Sequence[Event], note: str = "") -> dict[str, bool]:
    """The checks of one gold event against the document's asserted events (pure)."""
    main = main_event(events)
    found = bool(main and main.acled)
    deadly_counts = (gold["fatalities"] or 0) > 0
    stated = states_toll(note)
    if main is None:
        return {**{key: False for key, _ in METRICS}, "deadly": False if deadly_counts else None,
                "stated": False if stated else None}
    km = nearest_km(main.locations, gold["lat"], gold["lon"])
    day = gold["date"]
    fat = fatalities_match(main, gold["fatalities"])
    return {
        "found": found,
        "event_type": found and main.acled.event_type == gold["event_type"],
        "sub_event_type": found and main.acled.event_type == gold["event_type"]
        and main.acled.sub_event_type == gold["sub_event_type"],
        "root": root_compatible(main.type, gold["event_type"], gold["sub_event_type"]),
        "country": gold["country"] is not None
        and gold["country"] in {loc.country for loc in main.locations},
        "admin1": admin1_match(main.locations, gold["admin1"]),
        "near": km is not None and km <= NEAR_KM,
        "far": km is not None and km <= FAR_KM,
        "date": date_match(main, day),
        "fatalities": fat,
        "deadly": fat if deadly_counts else None,
        "stated": fat if stated else None,
    }


METRICS = (
    ("found", "event found (ACLED-codable)"),
    ("event_type", "ACLED event type"),
    ("sub_event_type", "ACLED sub-event type"),
    ("root", "PLOVER root compatible"),
    ("country", "country"),
    ("admin1", "admin1"),
    ("near", "nearest location within 50 km"),
    ("far", "nearest location within 161 km"),
    ("date", "date (within a day)"),
    ("fatalities", "fatalities"),
    ("deadly", "fatalities (events with deaths)"),
    ("stated", "fatalities (note states a toll)"),
)


def rows_for(dataset: str, split: str, results: Sequence[dict]) -> list[Row]:
    out = []
    for key, label in METRICS:
        counted = [r for r in results if r[key] is not None]
        found = [r for r in counted if r["found"]]
        ok = sum(bool(r[key]) for r in counted)
        note = "" if key == "found" else f"found: {ok_share(found, key)}"
        out.append(Row(dataset, label, ratio(ok, len(counted)), len(counted), split, note=note))
    return out


def ok_share(results: Sequence[dict], key: str) -> str:
    share = ratio(sum(bool(r[key]) for r in results), len(results))
    return "—" if share is None else f"{share:.3f}"


def run(root: Path, n: int | None = DEFAULT_SAMPLE, half: str | None = None) -> list[Row]:
    out: list[Row] = []
    for file_key in FILES:
        notes = stratified_sample(load(root, file_key), n, half)
        preds = extract_all([Document(id=d["id"], text=d["text"], published=d["published"])
                             for d in notes])
        results = [dict(score_event(g, preds.get(d["id"], []), d["text"]), half=d["half"])
                   for d in notes for g in d["events"]]
        for split in ("tune", "held"):
            if half in (None, split):
                part = [r for r in results if r["half"] == split]
                out += rows_for(f"{NAME} {file_key}", split, part)
    return out
