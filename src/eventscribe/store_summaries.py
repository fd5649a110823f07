"""What the API sends for an event: its reconciled values as a record, stored ready to send.

:class:`EventValues` is one row of ``events``; :func:`write_summaries` writes it as JSON into
``events.summary`` whenever an event changes, so that a list request sends stored JSON
instead of building a record per row and per request.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from sqlalchemy import Column, bindparam, inspect, select
from sqlalchemy.engine import Connection

from .model import Record
from .store_tables import events


# --- records returned by queries -----------------------------------------------------

class MentionRef(Record):
    doc_id: str
    event_key: str
    url: str | None = None
    publisher: str | None = None
    duplicate_of: str | None = None
    evidence: str | None = None


class EventLink(Record):
    from_event: int
    to_event: int
    relation: str
    doc_id: str | None = None
    evidence: str | None = None


class EventValues(Record):
    """The reconciled values of a canonical event: one row of ``events`` (the API lists these)."""

    id: int
    event_id_cnty: str
    type: str
    mode: str | None = None
    date_start: dt.date | None = None
    date_end: dt.date | None = None
    date_precision: str | None = None
    country: str | None = None
    admin1: str | None = None
    location: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: str | None = None
    actor: str | None = None
    actor_sector: str | None = None
    target: str | None = None
    target_sector: str | None = None
    fatalities_low: int | None = None
    fatalities_best: int | None = None
    fatalities_high: int | None = None
    injured_low: int | None = None
    injured_best: int | None = None
    injured_high: int | None = None
    n_articles: int = 0
    n_sources: int = 0
    actor_country: str | None = None
    target_country: str | None = None
    arrested_low: int | None = None
    arrested_best: int | None = None
    arrested_high: int | None = None
    review_status: str = "unreviewed"
    reviewed_fields: list[str] = []
    merged_into: int | None = None


class StoredEvent(EventValues):
    """A canonical event as stored: reconciled values across its mentions."""

    first_seen: dt.datetime | None = None
    mentions: list[MentionRef] = []
    links: list[EventLink] = []


def reviewed_fields(overrides: str | None) -> list[str]:
    """The columns a reviewer set, from the ``overrides`` JSON of an events row."""
    return sorted(json.loads(overrides)) if overrides else []


# --- stored summaries: what the API's list views send, written when an event changes ----------

SUMMARY_BATCH = 500


def summary_columns(existing: set[str] | None = None) -> list[Column]:
    """The ``events`` columns an :class:`EventValues` is made of, and ``overrides`` (its
    ``reviewed_fields``); ``existing``: only those names, for a migration that runs before
    later columns exist."""
    return [c for c in events.c if (c.name in EventValues.model_fields or c.name == "overrides")
            and (existing is None or c.name in existing)]


def summary_json(row) -> str:
    """One row of ``events`` (the :func:`summary_columns`) as the JSON of its EventValues:
    exactly what ``GET /api/events`` used to build per row and per request."""
    data = dict(row._mapping)
    data["event_id_cnty"] = f"{data['country'] or 'XXX'}{data['id']}"
    data["reviewed_fields"] = reviewed_fields(data.pop("overrides", None))
    if data.get("review_status") is None:
        data.pop("review_status", None)
    return EventValues.model_validate(data).model_dump_json()


def write_summaries(conn: Connection, event_ids: Iterable[int] | None = None, *,
                    columns: list[Column] | None = None) -> int:
    """(Re)write ``events.summary`` of the given events (``None``: every event) from their
    current columns, inside the caller's transaction. Every write to an event (merge, ingest,
    a review action, an override) sets its ``updated_at`` (so :meth:`Store.version` changes and
    cached answers are dropped) and ends with this call, so the API sends the stored JSON
    without building a record per row and per request. Returns the number written."""
    cols = columns or summary_columns()
    query = select(*cols)
    if event_ids is None:
        ids = [r[0] for r in conn.execute(select(events.c.id).order_by(events.c.id))]
    else:
        ids = sorted(set(event_ids))
    set_summary = events.update().where(events.c.id == bindparam("b_id")).values(summary=bindparam("b_summary"))
    written = 0
    for i in range(0, len(ids), SUMMARY_BATCH):
        rows = conn.execute(query.where(events.c.id.in_(ids[i:i + SUMMARY_BATCH]))).all()
        if rows:
            conn.execute(set_summary, [{"b_id": r.id, "b_summary": summary_json(r)} for r in rows])
            written += len(rows)
    return written


def migrate_summaries(conn: Connection, event_ids: Iterable[int] | None = None) -> int:
    """:func:`write_summaries` inside a migration: with the ``events`` columns the database
    has at that revision (the tables here already hold those later revisions add), read from
    the database itself."""
    existing = {c["name"] for c in inspect(conn).get_columns("events")}
    return write_summaries(conn, event_ids, columns=summary_columns(existing))
