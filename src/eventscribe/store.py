"""The event database: documents, per-document mentions, canonical events.

One schema for SQLite (default, a file) and PostgreSQL, written with
SQLAlchemy 2 Core and created/upgraded by the Alembic migrations shipped in
``eventscribe/migrations`` — they run automatically when a store is opened.

Tables
    ``documents``   one row per article: id, url, canonical_url (courlan),
                    content_hash (SHA-1 of whitespace-normalised text),
                    title, published, text, source, publisher (URL domain,
                    the unit of an "independent source"), ingested_at,
                    duplicate_of (syndicated near-copy of that document),
                    minhash (signature for the near-duplicate index).
    ``mentions``    one row per per-document :class:`~eventscribe.model.Event`:
                    the full record as JSON plus indexed columns (type, date,
                    country, admin1, place, lat/lon, actors, counts, evidence)
                    and ``event_id``, the canonical event it was merged into.
    ``events``      canonical events (see :mod:`eventscribe.dedup`):
                    reconciled type, mode, dates, place, actors, fatalities
                    and injured low/best/high, n_articles, n_sources, first_seen;
                    ``summary``, those values as the API's JSON, rewritten by
                    :func:`write_summaries` whenever the event changes.
    ``claims``      what each mention says about a value (fatalities, injured),
                    with its publisher and whether it is independent.
    ``event_links`` relations between events (``responds_to``, ``follows``).

Identity and idempotence: a document whose canonical URL or content hash is
already stored is skipped, so re-ingesting the same input adds nothing. Each
document — its row, mentions, claims, merge and links — is written in one
transaction: a process killed mid-ingest leaves whole documents only, and a
rerun picks up the rest.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from functools import lru_cache
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

from sqlalchemy import (
    Boolean, Column, Date, DateTime, Float, ForeignKey, Index, Integer, LargeBinary,
    MetaData, String, Table, Text, UniqueConstraint, bindparam, create_engine, event, func, inspect,
    select, text,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from . import dedup
from .model import DocumentResult, Document, Event, Record

DEFAULT_DB = "eventscribe.db"
ENV_DB = "EVENTSCRIBE_DB"

metadata = MetaData()
LISTED_SQL = "merged_into IS NULL AND review_status != 'rejected'"
"""The events the lists show, as the partial indexes state it (a literal: SQLite uses a
partial index only for queries that repeat its terms with the same constant)."""

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


class StoreUnavailable(RuntimeError):
    """The database cannot be opened or is locked (CLI exit code 3)."""


# --- identity helpers ----------------------------------------------------------------

def resolve_db_url(db: str | None = None) -> str:
    """``--db`` value to a SQLAlchemy URL: a path means SQLite, a URL is used as is.

    No value: ``$EVENTSCRIBE_DB``, else ``eventscribe.db`` in the working directory.
    """
    db = db or os.environ.get(ENV_DB) or DEFAULT_DB
    if "://" in db:
        return db
    return "sqlite:///" + str(Path(db).expanduser().resolve())


def missing_sqlite_file(db: str | None = None) -> str | None:
    """The path of the SQLite file that ``--db`` names when that file does not exist
    (``None`` when it exists or ``db`` is a server URL): read-only commands refuse it
    instead of creating an empty database."""
    url = resolve_db_url(db)
    if not url.startswith("sqlite:///") or url == "sqlite:///:memory:":
        return None
    path = Path(url[len("sqlite:///"):])
    return None if path.exists() else str(path)


def canonical_url(url: str | None) -> str | None:
    """The URL as identity key (:func:`eventscribe.sources.document_id_for_url`)."""
    if not url or not url.strip():
        return None
    from .sources import document_id_for_url

    return document_id_for_url(url)


def content_hash(text: str) -> str:
    """Same words, same hash (:func:`eventscribe.sources.content_hash`)."""
    from .sources import content_hash as _hash

    return _hash(text)


def publisher_of(doc: Document) -> str:
    """Who published it — the unit of an independent source.

    The URL's domain when there is one (or the domain of a feed URL in
    ``source``); otherwise the document itself, so two local files count as
    two sources unless they are near-copies.
    """
    for candidate in (doc.url, doc.source):
        if candidate and re.match(r"https?://", candidate, re.I):
            try:
                from courlan import extract_domain

                domain = extract_domain(candidate, fast=True)
            except Exception:  # noqa: BLE001
                domain = None
            if not domain:  # courlan knows public suffixes only; keep the host then
                host = (urlsplit(candidate).hostname or "").lower()
                domain = host[4:] if host.startswith("www.") else host
            if domain:
                return domain[:255]
    return f"doc:{doc.id}"[:255]


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


_VERSION_QUERY = select(select(func.max(mentions.c.id)).scalar_subquery(),
                        select(func.max(events.c.id)).scalar_subquery(),
                        select(func.max(events.c.updated_at)).scalar_subquery())


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


@dataclass
class AddOutcome:
    """What storing one document did."""

    doc_id: str
    status: str  # "added" | "syndicated" | "exists"
    duplicate_of: str | None = None
    mentions: int = 0
    events_created: int = 0
    events_joined: int = 0
    links: int = 0
    event_ids: list[int] = field(default_factory=list)


# --- the store ---------------------------------------------------------------------------

WRITER_LOCK_KEY = 7_263_001  # PostgreSQL advisory lock id held by a document's write transaction


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # Let SQLAlchemy, not the sqlite3 module, issue BEGIN (see _sqlite_begin).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=10000")  # first: switching to WAL may have to wait too
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    _sqlite_cache_pragmas(cur)
    cur.close()


def _sqlite_begin(conn) -> None:
    """``BEGIN IMMEDIATE`` for writes: take the write lock up front.

    A deferred transaction that reads and then writes can fail at once with
    "database is locked" when another process committed in between (the
    busy timeout does not apply to that upgrade); IMMEDIATE waits instead.
    """
    immediate = conn.get_execution_options().get("es_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _sqlite_read_pragmas(dbapi_conn, _record) -> None:
    """A reader changes nothing: no journal-mode switch, which would need write access."""
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA query_only=ON")
    _sqlite_cache_pragmas(cur)
    cur.close()


def _sqlite_cache_pragmas(cur) -> None:
    """Read the file through a memory map and keep more pages per connection: a list page
    looks up rows all over the table, and through SQLite's default 2 MB cache each lookup
    was a read() call (a third of a filtered page's CPU on 100k events)."""
    cur.execute("PRAGMA mmap_size=268435456")
    cur.execute("PRAGMA cache_size=-8192")


def _alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    return cfg


@lru_cache(maxsize=1)
def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def schema_revision(engine: Engine) -> str | None:
    """The database's Alembic revision, read without a write transaction (None: no schema)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (no-op when current).

    The revision is read first, without a write transaction: a database that is already
    current is opened without taking the write lock, so opening never waits for a writer."""
    from alembic import command

    if schema_revision(engine) == head_revision():
        return
    cfg = _alembic_config()
    # a write transaction (BEGIN IMMEDIATE on SQLite): two processes opening a
    # new database at once must not both try to create it
    with engine.connect().execution_options(es_write=True) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK_KEY})")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


class Store:
    """An opened event database. Use as a context manager or call :meth:`close`."""

    def __init__(self, db: str | None = None, *, merge_config: dedup.MergeConfig | None = None,
                 near_duplicate_threshold: float = 0.7, readonly: bool = False) -> None:
        """``readonly``: for commands that only read (events, export, stats, a server without
        a token). A read-only SQLite store opens the file read-only (so a database in a
        read-only folder can be read), never switches journal mode, never migrates (an old
        schema is an error asking for a write command), and never waits for a writer."""
        self.url = resolve_db_url(db)
        self.readonly = readonly
        try:
            self.engine = self._engine(immutable=False)
            if readonly:
                self._check_readable()
            else:
                migrate(self.engine)
        except (OperationalError, DBAPIError) as exc:
            self.engine.dispose()
            raise StoreUnavailable(_one_line(exc, self.url)) from exc
        self.merger = dedup.Merger(TABLES, merge_config)
        self._near_threshold = near_duplicate_threshold

    def _engine(self, immutable: bool) -> Engine:
        kwargs: dict = {}
        url = self.url
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"timeout": 10}
            if self.readonly and url.startswith("sqlite:///") and url != "sqlite:///:memory:":
                path = url[len("sqlite:///"):]
                flag = "immutable=1" if immutable else "mode=ro"
                url = f"sqlite:///file:{path}?{flag}&uri=true"
        try:
            engine = create_engine(url, **kwargs)
        except Exception as exc:  # bad URL, missing driver
            raise StoreUnavailable(f"cannot open database {masked_url(self.url)!r}: {_mask(str(exc))}") from exc
        if self.url.startswith("sqlite"):
            event.listen(engine, "connect", _sqlite_read_pragmas if self.readonly else _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)
        return engine

    def _check_readable(self) -> None:
        """Read the schema revision; a WAL database in a read-only folder cannot be opened
        with mode=ro (SQLite wants to create its -shm file), so it is read as immutable."""
        try:
            revision = schema_revision(self.engine)
        except OperationalError:
            if not self.url.startswith("sqlite"):
                raise
            self.engine.dispose()
            self.engine = self._engine(immutable=True)
            revision = schema_revision(self.engine)
        if revision != head_revision():
            raise StoreUnavailable(
                f"database {masked_url(self.url)} has schema version {revision or 'none'}, this eventscribe "
                f"needs {head_revision()}: open it once with a writing command (eventscribe ingest) to upgrade it")

    # -- lifecycle --------------------------------------------------------------------

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing ----------------------------------------------------------------------

    def version(self) -> tuple:
        """Changes whenever an event is created, changed (every event write sets ``updated_at``)
        or a mention stored: the key under which the API caches its answers. Three maxima, each
        its own subquery so that each is one index lookup (in one SELECT over two tables
        SQLite would join them)."""
        with self._connect() as conn:
            return tuple(conn.execute(_VERSION_QUERY).one())

    def has_url(self, url: str) -> bool:
        """Is a document with this canonical URL stored? (Feeds: skip before fetching.)"""
        curl = canonical_url(url)
        if not curl:
            return False
        with self._connect() as conn:
            return conn.execute(select(documents.c.id).where(documents.c.canonical_url == curl).limit(1)).first() is not None

    def known_document(self, doc: Document) -> str | None:
        """Id of the stored document with the same canonical URL or text, if any."""
        curl, chash = canonical_url(doc.url), content_hash(doc.text)
        with self._connect() as conn:
            return self._known(conn, curl, chash)

    def add(self, result: DocumentResult) -> AddOutcome:
        """Store one document and its events, merge them, in one transaction."""
        doc = result.document
        curl, chash = canonical_url(doc.url), content_hash(doc.text)
        mh = dedup.minhash_of(doc.text)
        bands = dedup.band_keys(mh, self._near_threshold) if mh is not None else []
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        try:
            with self._write() as conn:
                existing = self._known(conn, curl, chash)
                if existing is not None:
                    return AddOutcome(doc_id=existing, status="exists")
                doc_id = self._free_id(conn, doc.id)
                dup = self._near_duplicate(conn, mh, bands)
                independent = dup is None
                publisher = publisher_of(doc)
                conn.execute(documents.insert(), dict(
                    id=doc_id, url=doc.url, canonical_url=curl, content_hash=chash,
                    title=doc.title, published=doc.published, text=doc.text, source=doc.source,
                    publisher=publisher, ingested_at=now, duplicate_of=dup,
                    minhash=dedup.minhash_to_bytes(mh) if mh is not None else None,
                ))
                if independent and bands:
                    conn.execute(document_bands.insert(), [dict(band=b, doc_id=doc_id) for b in bands])
                out = AddOutcome(doc_id=doc_id, status="added" if independent else "syndicated",
                                 duplicate_of=dup)
                self._add_mentions(conn, doc, doc_id, publisher, independent, result.events, now, out)
        except (OperationalError, DBAPIError) as exc:
            if _is_unavailable(exc):
                raise StoreUnavailable(_one_line(exc, self.url)) from exc
            raise
        return out

    def _add_mentions(self, conn: Connection, doc: Document, doc_id: str, publisher: str,
                      independent: bool, evs: Sequence[Event], now: dt.datetime,
                      out: AddOutcome) -> None:
        mention_event: dict[int, int] = {}
        used_events: set[int] = set()
        for idx, ev in enumerate(evs):
            if ev.doc_id != doc_id:
                ev = ev.model_copy(update={"doc_id": doc_id})
            facts = dedup.facts_from_event(ev, doc.published)
            said = [dedup.ClaimRow(fname, publisher, independent, lo, hi)
                    for fname, lo, hi in (("fatalities", facts.fatalities_min, facts.fatalities_max),
                                          ("injured", facts.injured_min, facts.injured_max))
                    if lo is not None or hi is not None]
            res = None
            if not (ev.negated or ev.hypothetical):  # those are kept as records, never events
                row = dedup.mention_row(facts, ev, doc_id=doc_id, publisher=publisher,
                                        duplicate_of=out.duplicate_of, ingested_at=now)
                res = self.merger.assign(conn, facts, now=now, exclude=used_events, first=(row, said))
            event_id = res.event_id if res is not None else None
            mid = conn.execute(mentions.insert(), dict(
                doc_id=doc_id, event_key=_event_key(ev, idx), event_id=event_id, type=facts.type,
                mode=facts.mode, date_start=facts.date_start, date_end=facts.date_end,
                date_precision=facts.date_precision, country=facts.country, admin1=facts.admin1,
                location=facts.location, lat=facts.lat, lon=facts.lon,
                geo_precision=facts.geo_precision, actor=facts.actor, target=facts.target,
                actor_sector=facts.actor_sector, target_sector=facts.target_sector,
                fatalities_min=facts.fatalities_min, fatalities_max=facts.fatalities_max,
                injured_min=facts.injured_min, injured_max=facts.injured_max,
                negated=ev.negated, hypothetical=ev.hypothetical, evidence=facts.evidence,
                data=json.dumps(ev.model_dump(mode="json"), ensure_ascii=False),
            )).inserted_primary_key[0]
            out.mentions += 1
            if said:
                conn.execute(claims.insert(), [dict(c._asdict(), event_id=event_id, mention_id=mid, doc_id=doc_id)
                                               for c in said])
            if res is None:
                continue
            if not res.settled:
                self.merger.recompute(conn, res.event_id, now=now, overrides=res.overrides)
            used_events.add(res.event_id)
            mention_event[idx] = res.event_id
            out.event_ids.append(res.event_id)
            if res.created:
                out.events_created += 1
            else:
                out.events_joined += 1
        hints = dedup.find_links(evs)
        by_key = {ev.id: i for i, ev in enumerate(evs)}
        for i, ev in enumerate(evs):  # the extractor's own hints win over the text rule
            for key in ev.responds_to:
                if key in by_key:
                    text = ev.evidence[0].text if ev.evidence else None
                    hints.insert(0, dedup.LinkHint(i, by_key[key], "responds_to", text))
        linked: set[tuple[int, int]] = set()
        for hint in hints:  # one relation per pair: the first (strongest) one
            a, b = mention_event.get(hint.src), mention_event.get(hint.dst)
            if a is not None and b is not None and a != b and (a, b) not in linked:
                linked.add((a, b))
                out.links += self._insert_link(conn, a, b, hint.relation, doc_id, hint.evidence)
        write_summaries(conn, mention_event.values())

    def refresh_summaries(self, event_ids: Iterable[int] | None = None) -> int:
        """Rewrite the stored summaries of these events (``None``: all) in a write
        transaction of their own; see :func:`write_summaries`."""
        with self._write() as conn:
            return write_summaries(conn, event_ids)

    def add_link(self, from_event: int, to_event: int, relation: str,
                 doc_id: str | None = None, evidence: str | None = None) -> bool:
        """Record that ``from_event`` <relation> ``to_event`` (idempotent)."""
        with self._write() as conn:
            return bool(self._insert_link(conn, from_event, to_event, relation, doc_id, evidence))

    def _insert_link(self, conn, a, b, relation, doc_id, evidence) -> int:
        exists = conn.execute(select(event_links.c.id).where(
            event_links.c.from_event == a, event_links.c.to_event == b,
            event_links.c.relation == relation)).first()
        if exists:
            return 0
        conn.execute(event_links.insert().values(from_event=a, to_event=b, relation=relation,
                                                 doc_id=doc_id, evidence=evidence))
        return 1

    # -- reading ----------------------------------------------------------------------

    def events(self, *, since: dt.date | None = None, until: dt.date | None = None,
               type: str | None = None, country: str | None = None, actor: str | None = None,
               limit: int | None = None, with_mentions: bool = True,
               review: str | None = None) -> list[StoredEvent]:
        return list(self.iter_events(since=since, until=until, type=type, country=country,
                                     actor=actor, limit=limit, with_mentions=with_mentions, review=review))

    def iter_events(self, *, since: dt.date | None = None, until: dt.date | None = None,
                    type: str | None = None, country: str | None = None,
                    actor: str | None = None, limit: int | None = None,
                    with_mentions: bool = True, chunk: int = 1000,
                    review: str | None = None) -> Iterator[StoredEvent]:
        """Canonical events, oldest first, filtered; streamed in chunks. ``review``: which
        review statuses (:func:`eventscribe.review.review_conditions`; default: all but the
        rejected ones; events merged into another are never listed)."""
        from .review import review_conditions

        q = select(events).where(*review_conditions(review))
        if since:
            q = q.where(events.c.date_end >= since)
        if until:
            q = q.where(events.c.date_start <= until)
        if type:
            q = q.where(events.c.type == type.upper())
        if country:
            q = q.where(events.c.country == country.upper())
        if actor:
            pat = f"%{actor.lower()}%"
            q = q.where((func.lower(events.c.actor).like(pat)) | (func.lower(events.c.target).like(pat)))
        q = q.order_by(events.c.date_start.is_(None), events.c.date_start, events.c.id)
        if limit:
            q = q.limit(limit)
        with self._connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=chunk).execute(q)
            for part in result.partitions(chunk):
                ments, links = ({}, {}) if not with_mentions else self._mentions_of(conn, [r.id for r in part])
                for r in part:
                    yield _stored_event(r, ments.get(r.id, []), links.get(r.id, []))

    def event(self, event_id: int) -> StoredEvent | None:
        with self._connect() as conn:
            r = conn.execute(select(events).where(events.c.id == event_id)).first()
            if r is None:
                return None
            ments, links = self._mentions_of(conn, [event_id])
            return _stored_event(r, ments.get(event_id, []), links.get(event_id, []))

    def _mentions_of(self, conn, ids: list[int]):
        ments: dict[int, list[MentionRef]] = {}
        q = (select(mentions.c.event_id, mentions.c.doc_id, mentions.c.event_key, mentions.c.evidence,
                    documents.c.url, documents.c.publisher, documents.c.duplicate_of)
             .join(documents, documents.c.id == mentions.c.doc_id)
             .where(mentions.c.event_id.in_(ids)).order_by(mentions.c.id))
        for r in conn.execute(q):
            ments.setdefault(r.event_id, []).append(MentionRef(
                doc_id=r.doc_id, event_key=r.event_key, url=r.url, publisher=r.publisher,
                duplicate_of=r.duplicate_of, evidence=r.evidence))
        links: dict[int, list[EventLink]] = {}
        q = select(event_links).where(event_links.c.from_event.in_(ids) | event_links.c.to_event.in_(ids))
        for r in conn.execute(q):
            link = EventLink(from_event=r.from_event, to_event=r.to_event, relation=r.relation,
                             doc_id=r.doc_id, evidence=r.evidence)
            for eid in {r.from_event, r.to_event} & set(ids):
                links.setdefault(eid, []).append(link)
        return ments, links

    def stats(self) -> dict:
        """Counts for ``eventscribe stats``: documents, copies, mentions, events, links."""
        with self._connect() as conn:
            one = lambda q: conn.execute(q).scalar() or 0  # noqa: E731
            by_type = dict(conn.execute(select(events.c.type, func.count()).group_by(events.c.type)
                                        .order_by(func.count().desc())).all())
            by_country = dict(conn.execute(
                select(events.c.country, func.count()).where(events.c.country.is_not(None))
                .group_by(events.c.country).order_by(func.count().desc()).limit(10)).all())
            dmin, dmax = conn.execute(select(func.min(events.c.date_start), func.max(events.c.date_end))).one()
            return {
                "documents": one(select(func.count()).select_from(documents)),
                "syndicated_copies": one(select(func.count()).select_from(documents)
                                         .where(documents.c.duplicate_of.is_not(None))),
                "publishers": one(select(func.count(func.distinct(documents.c.publisher)))),
                "mentions": one(select(func.count()).select_from(mentions)),
                "events": one(select(func.count()).select_from(events)),
                "multi_source_events": one(select(func.count()).select_from(events)
                                           .where(events.c.n_sources > 1)),
                "links": one(select(func.count()).select_from(event_links)),
                "fatalities_best": one(select(func.sum(events.c.fatalities_best))),
                "first_date": dmin.isoformat() if dmin else None,
                "last_date": dmax.isoformat() if dmax else None,
                "events_by_type": by_type,
                # what reviewers made of them (eventscribe.review): live events by status, and
                # those merged into another
                "events_by_review_status": dict(conn.execute(
                    select(events.c.review_status, func.count()).where(events.c.merged_into.is_(None))
                    .group_by(events.c.review_status).order_by(events.c.review_status)).all()),
                "merged_events": one(select(func.count()).select_from(events).where(events.c.merged_into.is_not(None))),
                "top_countries": by_country,
            }

    # -- internals --------------------------------------------------------------------

    @contextlib.contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction; one writer at a time across processes.

        Merging reads events and then writes them, so two ingests running at
        once must not interleave: SQLite takes its write lock at BEGIN
        (IMMEDIATE), PostgreSQL an advisory transaction lock.
        """
        with self.engine.connect().execution_options(es_write=True) as conn, conn.begin():
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK_KEY})")
            yield conn

    def _connect(self):
        try:
            return self.engine.connect()
        except (OperationalError, DBAPIError) as exc:
            raise StoreUnavailable(_one_line(exc, self.url)) from exc

    @staticmethod
    def _known(conn: Connection, curl: str | None, chash: str) -> str | None:
        cond = documents.c.content_hash == chash
        if curl:
            cond = cond | (documents.c.canonical_url == curl)
        return conn.execute(select(documents.c.id).where(cond).limit(1)).scalar()

    @staticmethod
    def _free_id(conn: Connection, doc_id: str) -> str:
        """The document's id, suffixed when a different document already uses it."""
        candidate, n = doc_id[:240], 1
        while conn.execute(select(documents.c.id).where(documents.c.id == candidate)).first():
            n += 1
            candidate = f"{doc_id[:240]}~{n}"
        return candidate

    def _near_duplicate(self, conn: Connection, mh, bands: list[str]) -> str | None:
        """The most similar stored original above the threshold, found through the shared
        band table inside the write transaction: what another process committed a moment ago
        counts, and the answer does not depend on which process stored what first."""
        if mh is None or not bands:
            return None
        q = (select(documents.c.id, documents.c.minhash)
             .where(documents.c.id.in_(select(document_bands.c.doc_id).where(document_bands.c.band.in_(bands))))
             .where(documents.c.duplicate_of.is_(None), documents.c.minhash.is_not(None)))
        best, best_sim = None, self._near_threshold
        for r in conn.execute(q):
            sim = mh.jaccard(dedup.minhash_from_bytes(r.minhash))
            if sim >= best_sim and (best is None or sim > best_sim or r.id < best):
                best, best_sim = r.id, sim
        return best


def open_store(db: str | None = None, **kwargs) -> Store:
    return Store(db, **kwargs)


def _event_key(ev: Event, idx: int) -> str:
    return (ev.id or f"e{idx}")[:255]


def _stored_event(r, ments, links) -> StoredEvent:
    return StoredEvent(
        id=r.id, event_id_cnty=f"{r.country or 'XXX'}{r.id}", type=r.type, mode=r.mode,
        date_start=r.date_start, date_end=r.date_end, date_precision=r.date_precision,
        country=r.country, admin1=r.admin1, location=r.location, lat=r.lat, lon=r.lon,
        geo_precision=r.geo_precision, actor=r.actor, target=r.target,
        actor_sector=r.actor_sector, target_sector=r.target_sector,
        fatalities_low=r.fatalities_low, fatalities_best=r.fatalities_best,
        fatalities_high=r.fatalities_high, injured_low=r.injured_low,
        injured_best=r.injured_best, injured_high=r.injured_high,
        n_articles=r.n_articles, n_sources=r.n_sources, first_seen=r.first_seen,
        actor_country=r.actor_country, target_country=r.target_country,
        arrested_low=r.arrested_low, arrested_best=r.arrested_best, arrested_high=r.arrested_high,
        review_status=r.review_status or "unreviewed", reviewed_fields=reviewed_fields(r.overrides),
        merged_into=r.merged_into, mentions=ments, links=links,
    )


def reviewed_fields(overrides: str | None) -> list[str]:
    """The columns a reviewer set, from the ``overrides`` JSON of an events row."""
    return sorted(json.loads(overrides)) if overrides else []


def _is_unavailable(exc: Exception) -> bool:
    msg = str(exc).lower()
    return any(s in msg for s in ("locked", "unable to open", "connection", "could not connect",
                                  "server closed", "readonly", "read-only", "disk i/o"))


def masked_url(url: str) -> str:
    """The URL with its password replaced by ***: error messages never show a secret."""
    return _mask(url)


def _mask(text: str) -> str:
    return re.sub(r"://([^:@/\s]*):[^@/\s]+@", r"://\1:***@", text)


def _one_line(exc: Exception, url: str) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = _mask(" ".join(str(orig).split()))
    return f"database unavailable ({masked_url(url)}): {text[:200]}"
