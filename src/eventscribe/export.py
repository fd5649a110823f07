"""Writers: per-document event records (``extract``) and canonical events (store).

Formats are chosen by name so the CLI, the API and the benchmarks share one
implementation of each.
"""

from __future__ import annotations

import csv
import json
from functools import lru_cache
from collections.abc import Iterable
from typing import IO

from .model import Event

# --- per-document events (extract) ---------------------------------------------

EXTRACT_FORMATS = ("jsonl", "json", "csv", "table")

EVENT_CSV_COLUMNS = (
    "id", "doc_id", "type", "mode", "cameo", "acled_event_type", "acled_sub_event_type",
    "actor", "actor_country", "actor_sector", "target", "target_country", "target_sector",
    "location", "country", "admin1", "latitude", "longitude", "geo_precision",
    "date_start", "date_end", "date_precision",
    "fatalities_min", "fatalities_max", "injured_min", "injured_max", "arrested_min", "arrested_max",
    "negated", "hypothetical", "attribution", "confidence", "evidence",
)


def event_to_json(event: Event) -> dict:
    """The event as JSON-ready data: ISO dates, nulls kept so the shape is stable."""
    return event.model_dump(mode="json")


def event_to_row(event: Event) -> dict:
    """A flat row for spreadsheets: first location, counts split into min/max."""
    loc = event.locations[0] if event.locations else None

    def count(c, bound):
        return getattr(c, bound) if c is not None else None

    return {
        "id": event.id,
        "doc_id": event.doc_id,
        "type": event.type,
        "mode": event.mode,
        "cameo": event.cameo,
        "acled_event_type": event.acled.event_type if event.acled else None,
        "acled_sub_event_type": event.acled.sub_event_type if event.acled else None,
        "actor": event.actor.name if event.actor else None,
        "actor_country": event.actor.country if event.actor else None,
        "actor_sector": event.actor.sector if event.actor else None,
        "target": event.target.name if event.target else None,
        "target_country": event.target.country if event.target else None,
        "target_sector": event.target.sector if event.target else None,
        "location": "; ".join(l.name for l in event.locations) or None,
        "country": loc.country if loc else None,
        "admin1": loc.admin1 if loc else None,
        "latitude": loc.lat if loc else None,
        "longitude": loc.lon if loc else None,
        "geo_precision": loc.precision if loc else None,
        "date_start": event.date.start.isoformat() if event.date else None,
        "date_end": event.date.end.isoformat() if event.date else None,
        "date_precision": event.date.precision if event.date else None,
        "fatalities_min": count(event.fatalities, "min"),
        "fatalities_max": count(event.fatalities, "max"),
        "injured_min": count(event.injured, "min"),
        "injured_max": count(event.injured, "max"),
        "arrested_min": count(event.arrested, "min"),
        "arrested_max": count(event.arrested, "max"),
        "negated": event.negated,
        "hypothetical": event.hypothetical,
        "attribution": event.attribution.name if event.attribution else None,
        "confidence": event.confidence,
        "evidence": " | ".join(e.text for e in event.evidence),
    }


class EventWriter:
    """Streams events to ``out`` in one format; ``close()`` finishes the file.

    Streaming matters: ``extract`` on a large corpus must not hold every
    event in memory just to print it.
    """

    def __init__(self, fmt: str, out: IO[str]) -> None:
        if fmt not in EXTRACT_FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(EXTRACT_FORMATS)}")
        self.fmt, self.out = fmt, out
        self._first = True
        self._rows: list[Event] = []
        self._csv = None
        if fmt == "csv":
            self._csv = csv.DictWriter(out, fieldnames=EVENT_CSV_COLUMNS)
            self._csv.writeheader()
        elif fmt == "json":
            out.write("[")

    def write(self, events: Iterable[Event]) -> None:
        for event in events:
            if self.fmt == "jsonl":
                self.out.write(json.dumps(event_to_json(event), ensure_ascii=False) + "\n")
            elif self.fmt == "json":
                self.out.write(("\n" if self._first else ",\n") + json.dumps(event_to_json(event), ensure_ascii=False))
            elif self.fmt == "csv":
                self._csv.writerow(event_to_row(event))
            else:
                self._rows.append(event)
            self._first = False
        self.out.flush()

    def close(self) -> None:
        if self.fmt == "json":
            self.out.write("\n]\n")
        elif self.fmt == "table":
            print_event_table(self._rows, self.out)
        self.out.flush()


def print_event_table(events: list[Event], out: IO[str], width: int | None = None) -> None:
    """A human summary: one compact line per event (type, who -> whom, where, when, tolls,
    the evidence cut to the line), so a corpus reads like a list, not a wrapped table."""
    import shutil

    width = width or shutil.get_terminal_size((160, 24)).columns
    for e in events:
        out.write(event_line(e, width) + "\n")
    out.write(f"{len(events)} events\n")


def event_line(e: Event, width: int = 160) -> str:
    flags = (" neg" if e.negated else "") + (" hyp" if e.hypothetical else "")
    kind = f"{e.type}{'/' + e.mode if e.mode else ''}{flags}"
    who = _actor_label(e.actor) or "?"
    whom = _actor_label(e.target)
    parts = [e.doc_id, kind, who + (f" -> {whom}" if whom else "")]
    if e.locations:
        parts.append("@ " + ", ".join(l.name for l in e.locations))
    if e.date:
        parts.append(e.date.start.isoformat())
    tolls = [f"{label} {_count_label(c)}" for label, c in (("killed", e.fatalities), ("injured", e.injured),
                                                             ("arrested", e.arrested)) if c is not None]
    parts.extend(tolls)
    line = "  ".join(parts)
    if e.evidence:
        room = width - len(line) - 4
        quote = " ".join(e.evidence[0].text.split())
        if room > 12:
            line += '  "' + (quote if len(quote) <= room else quote[:room - 1] + "…") + '"'
    return line


def _actor_label(actor) -> str:
    if actor is None:
        return ""
    return f"{actor.name} [{actor.country or '-'} {actor.sector}]"


def _count_label(count) -> str:
    """"27", "24..", "..50", "5..7" (quantities may be floats: "85", not "85.0")."""
    if count is None:
        return ""

    def num(x) -> str:
        return "" if x is None else f"{x:g}"

    return num(count.min) if count.min == count.max else f"{num(count.min)}..{num(count.max)}"


# --- canonical events (store) ----------------------------------------------------
# Writers for `eventscribe export` / `eventscribe events`: the merged events of
# the database (eventscribe.store.StoredEvent), not per-document records.

STORE_EXPORT_FORMATS = ("jsonl", "json", "csv", "geojson", "parquet")
EVENTS_LIST_FORMATS = ("table", "json", "jsonl", "csv")

ACLED_COLUMNS = (
    # ACLED's 31 columns, in ACLED's order and meaning (2023+ export layout)
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
    # ours, after ACLED's: the PLOVER coding, the UCDP-style range and the provenance counts
    "plover_type", "mode", "iso3", "fatalities_low", "fatalities_high", "injured_low", "injured_best",
    "injured_high", "actor1_sector", "actor2_sector", "n_articles", "n_sources", "date_end",
    # what a reviewer made of it (eventscribe.review): reviewed = accepted by a person
    "actor1_country", "actor2_country", "arrested_low", "arrested_best", "arrested_high",
    "review_status", "reviewed", "reviewed_fields",
)
"""Columns of ``export --format csv`` (and Parquet): ACLED's, then ours."""

_DISORDER = {
    "Battles": "Political violence", "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence", "Riots": "Political violence",
    "Protests": "Demonstrations", "Strategic developments": "Strategic developments",
}


def _acled_tables() -> dict:
    global _ACLED_TABLES
    if _ACLED_TABLES is None:
        from importlib import resources

        import yaml

        _ACLED_TABLES = yaml.safe_load(
            resources.files("eventscribe").joinpath("data/acled_inter.yaml").read_text("utf-8"))
    return _ACLED_TABLES


_ACLED_TABLES: dict | None = None


def stored_event_to_json(event, *, with_mentions: bool = True) -> dict:
    """A canonical event as JSON data in the exports' one vocabulary: the store ``id``, the
    CSV's columns (ACLED's names, then ours), then its ``mentions`` (doc_id, url, publisher,
    evidence) and ``links``. JSONL, CSV, Parquet and GeoJSON properties share the names."""
    data = {"id": event.id, **stored_event_to_acled_row(event)}
    if with_mentions:
        data["mentions"] = [{"doc_id": m.doc_id, "url": m.url, "publisher": m.publisher,
                             "duplicate_of": m.duplicate_of, "evidence": m.evidence}
                            for m in event.mentions]
        data["links"] = [l.model_dump(mode="json") for l in event.links]
    return data


def _inter(sector: str | None, *, protester: bool = False) -> int | None:
    tables = _acled_tables()
    if protester:
        return tables["protest_actor_inter"]
    return tables["sector_to_inter"].get(sector) if sector else None


def acled_codable(event) -> bool:
    """Would ACLED code this event at all? Verbal and diplomatic types have no ACLED type."""
    from .mapping import acled_type

    return acled_type(event.type, event.mode, event.actor_sector, event.target_sector) is not None


@lru_cache(maxsize=1)
def _acled_regions() -> dict[str, str]:
    from importlib import resources

    lines = resources.files("eventscribe").joinpath("data/acled_regions.tsv").read_text("utf-8").splitlines()
    rows = [l.split("\t") for l in lines if l and not l.startswith("#")]
    return {iso: region for iso, region in rows[1:]}


@lru_cache(maxsize=512)
def _country(iso3: str | None) -> tuple[str | None, int | None]:
    """(ACLED country name, ISO 3166 numeric code) for an alpha-3 code."""
    if not iso3:
        return None, None
    import pycountry

    c = pycountry.countries.get(alpha_3=iso3)
    if c is None:
        return None, None
    return getattr(c, "common_name", None) or c.name, int(c.numeric)


VIOLENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians")


def stored_event_to_acled_row(event) -> dict:
    """ACLED-style row: ACLED's 31 column names with ACLED's meanings, then ours (see
    data/acled_inter.yaml and data/acled_regions.tsv). Fields we cannot know (associated
    actors, admin2/admin3, the source scale, tags) are empty, never guessed."""
    from .mapping import acled_type

    tables = _acled_tables()
    acled = acled_type(event.type, event.mode, event.actor_sector, event.target_sector)
    inter1 = _inter(event.actor_sector, protester=event.type == "PROTEST")
    inter2 = _inter(event.target_sector) if event.target else None
    interaction = None
    if inter1 is not None:
        interaction = int(f"{min(inter1, inter2 or 0)}{max(inter1, inter2 or 0)}") if inter2 else inter1 * 10
    sources = sorted({m.publisher for m in event.mentions
                      if m.publisher and m.duplicate_of is None and not m.publisher.startswith("doc:")})
    notes = next((m.evidence for m in event.mentions if m.evidence), None)
    name, numeric = _country(event.country)
    civilian = (acled is not None and acled.event_type in VIOLENT_TYPES and event.target_sector == "CVL")
    return {
        "event_id_cnty": event.event_id_cnty,
        "event_date": event.date_start.isoformat() if event.date_start else None,
        "year": event.date_start.year if event.date_start else None,
        "time_precision": tables["time_precision"].get(event.date_precision),
        "disorder_type": _DISORDER.get(acled.event_type) if acled else None,
        "event_type": acled.event_type if acled else None,
        "sub_event_type": acled.sub_event_type if acled else None,
        "actor1": event.actor,
        "assoc_actor_1": None,
        "inter1": inter1,
        "actor2": event.target,
        "assoc_actor_2": None,
        "inter2": inter2,
        "interaction": interaction,
        "civilian_targeting": "Civilian targeting" if civilian else None,
        "iso": numeric,
        "region": _acled_regions().get(event.country) if event.country else None,
        "country": name,
        "admin1": event.admin1,
        "admin2": None,
        "admin3": None,
        "location": event.location,
        "latitude": event.lat,
        "longitude": event.lon,
        "geo_precision": tables["geo_precision"].get(event.geo_precision),
        "source": "; ".join(sources) or None,
        "source_scale": None,
        "notes": notes[:1000] if notes else None,
        "fatalities": event.fatalities_best if event.fatalities_best is not None else 0,
        "tags": None,
        "timestamp": int(event.first_seen.timestamp()) if getattr(event, "first_seen", None) else None,
        "plover_type": event.type,
        "mode": event.mode,
        "iso3": event.country,
        "fatalities_low": event.fatalities_low,
        "fatalities_high": event.fatalities_high,
        "injured_low": event.injured_low,
        "injured_best": event.injured_best,
        "injured_high": event.injured_high,
        "actor1_sector": event.actor_sector,
        "actor2_sector": event.target_sector if event.target else None,
        "n_articles": event.n_articles,
        "n_sources": event.n_sources,
        "date_end": event.date_end.isoformat() if event.date_end else None,
        "actor1_country": getattr(event, "actor_country", None),
        "actor2_country": getattr(event, "target_country", None) if event.target else None,
        "arrested_low": getattr(event, "arrested_low", None),
        "arrested_best": getattr(event, "arrested_best", None),
        "arrested_high": getattr(event, "arrested_high", None),
        "review_status": getattr(event, "review_status", "unreviewed"),
        "reviewed": getattr(event, "review_status", None) == "accepted",
        "reviewed_fields": "; ".join(getattr(event, "reviewed_fields", [])) or None,
    }


def stored_event_to_feature(event) -> dict | None:
    """A GeoJSON Point feature ([lon, lat]); None for events without coordinates."""
    if event.lat is None or event.lon is None:
        return None
    props = stored_event_to_json(event, with_mentions=False)
    props["mentions"] = [{"doc_id": m.doc_id, "evidence": m.evidence} for m in event.mentions]
    return {"type": "Feature", "id": event.id,
            "geometry": {"type": "Point", "coordinates": [event.lon, event.lat]},
            "properties": props}


def write_stored_events(events, fmt: str, out, *, only_acled: bool = False) -> int:
    """Write canonical events to ``out`` (a path, or a text stream for non-parquet formats).

    Returns the number of events written. ``geojson`` leaves out events
    without coordinates (a Point needs them); ``parquet`` needs a path.
    ``only_acled``: CSV and Parquet keep only the events ACLED would code (no verbal or
    diplomatic types), as a file to load beside ACLED's own.
    """
    if fmt not in STORE_EXPORT_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(STORE_EXPORT_FORMATS)}")
    if fmt == "parquet":
        if not isinstance(out, (str, bytes)) and not hasattr(out, "__fspath__"):
            raise ValueError("parquet needs a file: use --out FILE")
        return _write_parquet(events, out, only_acled=only_acled)
    if isinstance(out, (str, bytes)) or hasattr(out, "__fspath__"):
        with open(out, "w", encoding="utf-8", newline="") as fh:
            return write_stored_events(events, fmt, fh, only_acled=only_acled)
    n = 0
    if fmt == "jsonl":
        for ev in events:
            out.write(json.dumps(stored_event_to_json(ev), ensure_ascii=False) + "\n")
            n += 1
    elif fmt == "json":
        out.write("[")
        for ev in events:
            out.write(("\n" if n == 0 else ",\n") + json.dumps(stored_event_to_json(ev), ensure_ascii=False))
            n += 1
        out.write("\n]\n")
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS)
        writer.writeheader()
        for ev in events:
            if only_acled and not acled_codable(ev):
                continue
            writer.writerow(stored_event_to_acled_row(ev))
            n += 1
    else:  # geojson, streamed feature by feature
        out.write('{"type": "FeatureCollection", "features": [')
        for ev in events:
            feature = stored_event_to_feature(ev)
            if feature is None:
                continue
            out.write(("\n" if n == 0 else ",\n") + json.dumps(feature, ensure_ascii=False))
            n += 1
        out.write("\n]}\n")
    out.flush()
    return n


_PARQUET_INT = {"year", "time_precision", "inter1", "inter2", "interaction", "iso", "geo_precision",
                 "fatalities", "timestamp", "fatalities_low", "fatalities_high", "injured_low", "injured_best",
                 "injured_high", "n_articles", "n_sources", "arrested_low", "arrested_best", "arrested_high"}
_PARQUET_BOOL = {"reviewed"}
_PARQUET_FLOAT = {"latitude", "longitude"}
_PARQUET_DATE = {"event_date", "date_end"}


def _parquet_schema():
    import pyarrow as pa

    def kind(col: str):
        if col in _PARQUET_INT:
            return pa.int64()
        if col in _PARQUET_FLOAT:
            return pa.float64()
        if col in _PARQUET_DATE:
            return pa.date32()
        if col in _PARQUET_BOOL:
            return pa.bool_()
        return pa.string()

    return pa.schema([("id", pa.int64()), *((c, kind(c)) for c in ACLED_COLUMNS),
                      ("doc_ids", pa.list_(pa.string()))])


def _write_parquet(events, path, batch: int = 10_000, only_acled: bool = False) -> int:
    """The CSV's columns (ACLED's, then ours), typed, plus the store id and the documents;
    written in row groups of ``batch``."""
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _parquet_schema()
    n = 0
    rows: list[dict] = []
    with pq.ParquetWriter(path, schema) as writer:
        def flush():
            if rows:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                rows.clear()
        for ev in events:
            if only_acled and not acled_codable(ev):
                continue
            row = stored_event_to_acled_row(ev)
            for col in _PARQUET_DATE:
                row[col] = dt.date.fromisoformat(row[col]) if row[col] else None
            rows.append({"id": ev.id, **row, "doc_ids": [m.doc_id for m in ev.mentions]})
            n += 1
            if len(rows) >= batch:
                flush()
        flush()
    return n


def print_stored_event_table(events, out: IO[str]) -> None:
    """Human summary of canonical events: one row each."""
    from rich.console import Console
    from rich.table import Table

    events = list(events)
    table = Table(title=f"{len(events)} events")
    for col in ("id", "date", "type", "actor", "target", "where", "killed", "articles", "sources"):
        table.add_column(col, overflow="fold")
    for e in events:
        killed = "" if e.fatalities_best is None else (
            str(e.fatalities_best) if e.fatalities_low == e.fatalities_high
            else f"{e.fatalities_best} ({e.fatalities_low}-{e.fatalities_high})")
        table.add_row(e.event_id_cnty, e.date_start.isoformat() if e.date_start else "", e.type,
                      e.actor or "", e.target or "",
                      ", ".join(x for x in (e.location, e.admin1, e.country) if x), killed,
                      str(e.n_articles), str(e.n_sources))
    Console(file=out, width=160).print(table)
