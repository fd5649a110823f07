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

Modules: ``store_tables`` (the tables above), ``store_engine`` (opening a database: URLs,
SQLite settings, migrations, one-line errors), ``store_summaries`` (the records the API
sends and the stored summaries); this module writes and reads documents and events.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sqlalchemy import create_engine, event, func, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from . import dedup
from .model import DocumentResult, Document, Event
# the store's parts, split along their seams; their names stay importable from here
from .store_engine import (  # noqa: F401
    DEFAULT_DB, ENV_DB, WRITER_LOCK_KEY, StoreUnavailable, _alembic_config, _is_unavailable, _mask,
    _one_line, _sqlite_begin, _sqlite_cache_pragmas, _sqlite_pragmas, _sqlite_read_pragmas,
    head_revision, masked_url, migrate, missing_sqlite_file, resolve_db_url, schema_revision,
)
from .store_summaries import (  # noqa: F401
    SUMMARY_BATCH, EventLink, EventValues, MentionRef, StoredEvent, reviewed_fields, summary_columns,
    summary_json, write_summaries,
)
from .store_tables import (  # noqa: F401
    LISTED_SQL, TABLES, claims, document_bands, documents, event_links, events, mentions, metadata,
    review_records,
)


# --- identity helpers ----------------------------------------------------------------

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


_VERSION_QUERY = select(select(func.max(mentions.c.id)).scalar_subquery(),
                        select(func.max(events.c.id)).scalar_subquery(),
                        select(func.max(events.c.updated_at)).scalar_subquery())


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
                _migrate_when_free(self.engine)
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
        try:
            with self._stamped_write() as (conn, now):
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
        (IMMEDIATE), PostgreSQL an advisory transaction lock. What the transaction
        changes is stamped by :func:`write_stamp`, taken inside it.
        """
        with self.engine.connect().execution_options(es_write=True) as conn, conn.begin():
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK_KEY})")
            yield conn

    @contextlib.contextmanager
    def _stamped_write(self) -> Iterator[tuple[Connection, dt.datetime]]:
        """A write transaction (:meth:`_write`) and the time it stamps on what it changes
        (:func:`write_stamp`, taken once the write lock is held)."""
        with self._write() as conn:
            yield conn, write_stamp(conn)

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


def _migrate_when_free(engine: Engine, attempts: int = 4) -> None:
    """Migrate, trying again a few times when SQLite says "database is locked" at once.

    Two processes opening one new database together (two ingests started at the same
    moment) race to create it and to switch it to WAL; some of those steps report a lock
    without waiting for the busy timeout. A short pause and another try settles it; any
    other error, or a lock that stays, is the caller's to report."""
    for attempt in range(attempts):
        try:
            migrate(engine)
            return
        except OperationalError as exc:
            if "locked" not in str(exc).lower() or attempt == attempts - 1:
                raise
            engine.dispose()
            time.sleep(0.2 * (attempt + 1))


def _clock() -> dt.datetime:
    """The wall clock in UTC, naive (as the tables store times)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def write_stamp(conn: Connection) -> dt.datetime:
    """The time a write transaction stamps on what it changes (``updated_at``, and the
    ingest and review times with it). Called with the write lock held (inside
    :meth:`Store._write`), and always after the newest ``updated_at`` stored: so stamps
    follow commit order, which the API's cursor watermark relies on (a writer that stamped
    before waiting for the lock could commit after one with a later stamp, and a walk past
    that later stamp would never see its change: :mod:`eventscribe.listing`). The clock
    stepping back, or two commits in one microsecond, still give a later stamp."""
    now = _clock()
    newest = conn.execute(_NEWEST_STAMP).scalar()
    if isinstance(newest, str):  # a driver that hands back the stored text
        newest = dt.datetime.fromisoformat(newest)
    if newest is not None and now <= newest:
        now = newest + dt.timedelta(microseconds=1)
    return now


_NEWEST_STAMP = select(func.max(events.c.updated_at))


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
