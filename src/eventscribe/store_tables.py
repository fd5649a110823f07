"""The event database's tables (SQLAlchemy Core), one schema for SQLite and PostgreSQL.

What each table holds is described in :mod:`eventscribe.store`; the Alembic migrations in
``eventscribe/migrations`` create and upgrade them (a test checks that they agree).
"""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import (
    Boolean, Column, Date, DateTime, Float, ForeignKey, Index, Integer, LargeBinary,
    MetaData, String, Table, Text, UniqueConstraint, text,
)

metadata = MetaData()
LISTED_SQL = "merged_into IS NULL AND review_status != 'rejected'"
"""The events the lists show, as the partial indexes state it (a literal: SQLite uses a
partial index only for queries that repeat its terms with the same constant)."""


def _what_when_where_who() -> list[Column]:
    """The columns an event and a mention of it share (type and mode, dates, place, parties):
    the mention's as one source says them, the event's as reconciled (:mod:`eventscribe.dedup`).
    New objects each call, as a column belongs to one table."""
    return [
        Column("type", String(16), nullable=False),
        Column("mode", String(64)),
        Column("date_start", Date),
        Column("date_end", Date),
        Column("date_precision", String(16)),
        Column("country", String(3)),
        Column("admin1", String(255)),
        Column("location", String(255)),
        Column("lat", Float),
        Column("lon", Float),
        Column("geo_precision", String(16)),
        Column("actor", Text),
        Column("actor_sector", String(8)),
        Column("target", Text),
        Column("target_sector", String(8)),
    ]


documents = Table(
    "documents", metadata,
    Column("id", String(255), primary_key=True),
    Column("url", Text),
    Column("canonical_url", Text),
    Column("content_hash", String(64), nullable=False),
    Column("title", Text),
    Column("published", Date),
    Column("text", Text, nullable=False),
    Column("source", Text),
    Column("publisher", String(255), nullable=False),
    Column("ingested_at", DateTime, nullable=False),
    Column("duplicate_of", String(255), ForeignKey("documents.id")),
    Column("minhash", LargeBinary),
    Index("ix_documents_canonical_url", "canonical_url", unique=True),
    Index("ix_documents_content_hash", "content_hash", unique=True),
    Index("ix_documents_duplicate_of", "duplicate_of"),
)

events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    *_what_when_where_who(),
    Column("fatalities_low", Integer),
    Column("fatalities_best", Integer),
    Column("fatalities_high", Integer),
    Column("injured_low", Integer),
    Column("injured_best", Integer),
    Column("injured_high", Integer),
    Column("n_articles", Integer, nullable=False, default=0),
    Column("n_sources", Integer, nullable=False, default=0),
    Column("evidence", Text),
    Column("first_seen", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("summary", Text),  # the event's EventValues as JSON, ready to send (write_summaries)
    # what a reviewer made of the event (eventscribe.review; migration 0005)
    Column("review_status", String(16), nullable=False, default="unreviewed", server_default="unreviewed"),
    Column("overrides", Text),
    Column("merged_into", Integer),
    Column("reviewed_at", DateTime),
    Column("actor_country", String(3)),
    Column("target_country", String(3)),
    Column("arrested_low", Integer),
    Column("arrested_best", Integer),
    Column("arrested_high", Integer),
    Index("ix_events_block", "type", "country", "date_start"),
    Index("ix_events_type_date", "type", "date_start"),
    Index("ix_events_date", "date_start"),
    Index("ix_events_country_dates", "country", "date_start", "date_end"),  # country + period (0009)
    Index("ix_events_updated_at", "updated_at"),  # Store.version(): the newest change
    Index("ix_events_review_status", "review_status"),
    # the events lists show (neither rejected nor merged away: eventscribe.review.LISTED_SQL),
    # so that their pages and counts come from an index (migration 0006)
    *(Index(name, *cols, sqlite_where=text(LISTED_SQL), postgresql_where=text(LISTED_SQL))
      for name, cols in (("ix_events_live_date", ("date_start",)),
                         # with date_end: "country X in this period" counted from the index (0007)
                         ("ix_events_live_country_dates", ("country", "date_start", "date_end")),
                         ("ix_events_live_type_date", ("type", "date_start")),
                         # the actor filter counted from the index, not the rows (0007)
                         ("ix_events_live_actors", ("actor", "target", "date_start")))),
)

mentions = Table(
    "mentions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(255), ForeignKey("documents.id"), nullable=False),
    Column("event_key", String(255), nullable=False),
    Column("event_id", Integer, ForeignKey("events.id")),
    *_what_when_where_who(),
    Column("fatalities_min", Integer),
    Column("fatalities_max", Integer),
    Column("injured_min", Integer),
    Column("injured_max", Integer),
    Column("negated", Boolean, nullable=False, default=False),
    Column("hypothetical", Boolean, nullable=False, default=False),
    Column("evidence", Text),
    Column("data", Text, nullable=False),
    UniqueConstraint("doc_id", "event_key", name="uq_mentions_doc_event"),
    Index("ix_mentions_event_id", "event_id"),
    Index("ix_mentions_type_date", "type", "date_start"),
    Index("ix_mentions_country", "country"),
)

claims = Table(
    "claims", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", Integer, ForeignKey("events.id")),
    Column("mention_id", Integer, ForeignKey("mentions.id"), nullable=False),
    Column("doc_id", String(255), ForeignKey("documents.id"), nullable=False),
    Column("publisher", String(255), nullable=False),
    Column("independent", Boolean, nullable=False),
    Column("field", String(32), nullable=False),
    Column("low", Integer),
    Column("high", Integer),
    Index("ix_claims_event_id", "event_id"),
    Index("ix_claims_mention_id", "mention_id"),
)

event_links = Table(
    "event_links", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("from_event", Integer, ForeignKey("events.id"), nullable=False),
    Column("to_event", Integer, ForeignKey("events.id"), nullable=False),
    Column("relation", String(32), nullable=False),
    Column("doc_id", String(255), ForeignKey("documents.id")),
    Column("evidence", Text),
    UniqueConstraint("from_event", "to_event", "relation", name="uq_event_links"),
    Index("ix_event_links_to", "to_event"),
)

document_bands = Table(
    "document_bands", metadata,
    Column("band", String(32), nullable=False),
    Column("doc_id", String(255), ForeignKey("documents.id"), nullable=False),
    Index("ix_document_bands_band", "band"),
)
"""MinHash LSH band keys of the original (non-duplicate) documents: the near-duplicate index,
shared by every process writing to the database (see :func:`eventscribe.dedup.band_keys`)."""

review_records = Table(
    "review_records", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", Integer, ForeignKey("events.id"), nullable=False),
    Column("reviewer", String(100), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("action", String(16), nullable=False),
    Column("field", String(64)),
    Column("old_value", Text),
    Column("new_value", Text),
    Column("note", Text),
    Index("ix_review_records_event_id", "event_id"),
)
"""One row per change a reviewer made (see :mod:`eventscribe.review`)."""

TABLES = SimpleNamespace(documents=documents, events=events, mentions=mentions,
                         claims=claims, event_links=event_links, document_bands=document_bands,
                         review_records=review_records)
