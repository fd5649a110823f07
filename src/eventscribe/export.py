"""Writers: per-document event records (``extract``) and canonical events (store).

Formats are chosen by name so the CLI, the API and the benchmarks share one
implementation of each.
"""

from __future__ import annotations

import csv
import json
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
    if count is None:
        return ""
    if count.min == count.max:
        return str(count.min)
    return f"{count.min if count.min is not None else ''}..{count.max if count.max is not None else ''}"


# --- canonical events (store) ----------------------------------------------------
# Writers for `eventscribe export` / `eventscribe events`: the merged events of
# the database (eventscribe.store.StoredEvent), not per-document records.

STORE_EXPORT_FORMATS = ("jsonl", "json", "csv", "geojson", "parquet")
EVENTS_LIST_FORMATS = ("table", "json", "jsonl", "csv")

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "inter1", "actor2", "inter2", "interaction", "country", "admin1",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities",
    # ours, after ACLED's: the UCDP-style range and the provenance counts
    "plover_type", "mode", "fatalities_low", "fatalities_high", "injured_best",
    "n_articles", "n_sources", "date_end",
)

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
    """A canonical event as JSON data, with its ``mentions`` (doc_id + evidence) and links."""
    data = event.model_dump(mode="json", exclude={"mentions", "links"})
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


def stored_event_to_acled_row(event) -> dict:
    """ACLED-style row: ACLED's column names, our values (see data/acled_inter.yaml)."""
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
    return {
        "event_id_cnty": event.event_id_cnty,
        "event_date": event.date_start.isoformat() if event.date_start else None,
        "year": event.date_start.year if event.date_start else None,
        "time_precision": tables["time_precision"].get(event.date_precision),
        "disorder_type": _DISORDER.get(acled.event_type) if acled else None,
        "event_type": acled.event_type if acled else None,
        "sub_event_type": acled.sub_event_type if acled else None,
        "actor1": event.actor,
        "inter1": inter1,
        "actor2": event.target,
        "inter2": inter2,
        "interaction": interaction,
        "country": event.country,
        "admin1": event.admin1,
        "location": event.location,
        "latitude": event.lat,
        "longitude": event.lon,
        "geo_precision": tables["geo_precision"].get(event.geo_precision),
        "source": "; ".join(sources) or None,
        "source_scale": None,
        "notes": notes[:1000] if notes else None,
        "fatalities": event.fatalities_best if event.fatalities_best is not None else 0,
        "plover_type": event.type,
        "mode": event.mode,
        "fatalities_low": event.fatalities_low,
        "fatalities_high": event.fatalities_high,
        "injured_best": event.injured_best,
        "n_articles": event.n_articles,
        "n_sources": event.n_sources,
        "date_end": event.date_end.isoformat() if event.date_end else None,
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


def write_stored_events(events, fmt: str, out) -> int:
    """Write canonical events to ``out`` (a path, or a text stream for non-parquet formats).

    Returns the number of events written. ``geojson`` leaves out events
    without coordinates (a Point needs them); ``parquet`` needs a path.
    """
    if fmt not in STORE_EXPORT_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(STORE_EXPORT_FORMATS)}")
    if fmt == "parquet":
        if not isinstance(out, (str, bytes)) and not hasattr(out, "__fspath__"):
            raise ValueError("parquet needs a file: use --out FILE")
        return _write_parquet(events, out)
    if isinstance(out, (str, bytes)) or hasattr(out, "__fspath__"):
        with open(out, "w", encoding="utf-8", newline="") as fh:
            return write_stored_events(events, fmt, fh)
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


def _write_parquet(events, path, batch: int = 10_000) -> int:
    """Flat columns (the ACLED-style row plus ids); written in row groups of ``batch``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([
        ("id", pa.int64()), ("event_id_cnty", pa.string()), ("type", pa.string()),
        ("mode", pa.string()), ("date_start", pa.date32()), ("date_end", pa.date32()),
        ("date_precision", pa.string()), ("country", pa.string()), ("admin1", pa.string()),
        ("location", pa.string()), ("latitude", pa.float64()), ("longitude", pa.float64()),
        ("geo_precision", pa.string()), ("actor", pa.string()), ("actor_sector", pa.string()),
        ("target", pa.string()), ("target_sector", pa.string()),
        ("fatalities_low", pa.int64()), ("fatalities_best", pa.int64()), ("fatalities_high", pa.int64()),
        ("injured_low", pa.int64()), ("injured_best", pa.int64()), ("injured_high", pa.int64()),
        ("n_articles", pa.int64()), ("n_sources", pa.int64()), ("first_seen", pa.timestamp("s")),
        ("doc_ids", pa.list_(pa.string())),
    ])
    n = 0
    rows: list[dict] = []
    with pq.ParquetWriter(path, schema) as writer:
        def flush():
            if rows:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                rows.clear()
        for ev in events:
            rows.append({
                "id": ev.id, "event_id_cnty": ev.event_id_cnty, "type": ev.type, "mode": ev.mode,
                "date_start": ev.date_start, "date_end": ev.date_end,
                "date_precision": ev.date_precision, "country": ev.country, "admin1": ev.admin1,
                "location": ev.location, "latitude": ev.lat, "longitude": ev.lon,
                "geo_precision": ev.geo_precision, "actor": ev.actor,
                "actor_sector": ev.actor_sector, "target": ev.target,
                "target_sector": ev.target_sector, "fatalities_low": ev.fatalities_low,
                "fatalities_best": ev.fatalities_best, "fatalities_high": ev.fatalities_high,
                "injured_low": ev.injured_low, "injured_best": ev.injured_best,
                "injured_high": ev.injured_high, "n_articles": ev.n_articles,
                "n_sources": ev.n_sources, "first_seen": ev.first_seen,
                "doc_ids": [m.doc_id for m in ev.mentions],
            })
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
