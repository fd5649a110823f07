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


def print_event_table(events: list[Event], out: IO[str]) -> None:
    """A human summary: one row per event, the most telling fields only."""
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False, title=f"{len(events)} events")
    for col in ("doc", "type", "mode", "actor", "target", "where", "date", "killed", "injured", "evidence"):
        table.add_column(col, overflow="fold")
    for e in events:
        table.add_row(
            e.doc_id,
            e.type + (" (neg)" if e.negated else "") + (" (hyp)" if e.hypothetical else ""),
            e.mode or "",
            _actor_label(e.actor),
            _actor_label(e.target),
            ", ".join(l.name for l in e.locations),
            e.date.start.isoformat() if e.date else "",
            _count_label(e.fatalities),
            _count_label(e.injured),
            (e.evidence[0].text[:90] + "…") if e.evidence and len(e.evidence[0].text) > 90 else (e.evidence[0].text if e.evidence else ""),
        )
    Console(file=out, width=160).print(table)


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
