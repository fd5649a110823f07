"""REST API and web page of ``eventscribe serve``.

:func:`create_app` builds a FastAPI application over one :class:`~eventscribe.store.Store`:

``GET  /api/events``            canonical events, filtered like ``eventscribe events``,
                                paged (``limit`` ≤ 1000, ``offset``, ``total``), as JSON
                                or as a GeoJSON FeatureCollection (located events only)
``GET  /api/events/{id}``       one event: reconciled values, its mentions with evidence
                                sentences, each source's claims, linked events both ways
``GET  /api/documents/{id}``    a stored article: text and the spans that produced events
``GET  /api/timeline``          events per day (by start date), same filters
``GET  /api/stats``             the numbers of ``eventscribe stats``
``POST /api/documents``         extract and ingest documents (Bearer token; read-only
                                when the server has no token)
``/api/events/{id}/review|merge|split|revert|history``, ``PATCH /api/events/{id}``,
``/api/review/queue``, ``/api/places/candidates``: the review workflow
                                (:mod:`eventscribe.api_review`; writes need a reviewer's token)
``GET  /``                      the map / timeline / sources page (``eventscribe/web``)
``GET  /docs``                  Swagger UI, served from the package (no CDN)

Every error is JSON ``{"detail": "<one clear sentence>"}`` with a 4xx status
(validation errors add ``errors``, the raw list); a broken database is 503.
Reads are plain SQLAlchemy Core queries over the store's tables, always
parametrised. Nothing here reaches the internet.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import tempfile
import threading
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Body, Depends, FastAPI, HTTPException, Path as PathParam, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from .answers import ENV_RUN_TAG, CacheFront, ResponseCache, SharedAnswers, StoreVersion, cached
from .listing import CURSOR_PATTERN, Filters, TotalsCache, decode_cursor, page_json, query_page
from .guard import DEFAULT_MAX_BODY, DEFAULT_MAX_INFLIGHT, Guard
from .model import Document, DocumentError, PloverType
from .review import REVIEW_FILTERS, Reviewers, history as review_history, review_conditions
from .store import EventValues, Store, StoreUnavailable, TABLES, reviewed_fields

ENV_TOKEN = "EVENTSCRIBE_API_TOKEN"
ENV_SHARED_ANSWERS = "EVENTSCRIBE_SHARED_ANSWERS"
MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
MAX_OFFSET = 2**31 - 1  # beyond any real table; keeps the value inside a 32-bit SQL integer
MAX_ID = 2**31 - 1  # events.id is a 32-bit INTEGER on PostgreSQL
MAX_POST_DOCUMENTS = 100
MAX_TEXT_CHARS = 1_000_000
NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL; reject it as a bad request

T = TABLES
WEB_DIR = Path(str(resources.files("eventscribe").joinpath("web")))


# --- response and request records -------------------------------------------------------

class Problem(BaseModel):
    """The body of every 4xx/5xx answer."""

    detail: str
    errors: list[dict[str, Any]] | None = None


class EventSummary(EventValues):
    """A canonical event's reconciled values (one row of ``events``)."""


class EventPage(BaseModel):
    total: int = Field(description="Events matching the filters, all pages together.")
    limit: int
    offset: int | None = Field(description="Offset of this page; null when it was asked by cursor.")
    next_offset: int | None = Field(None, description="Offset of the next page; null on the last one "
                                                      "and on pages asked by cursor.")
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page (null on the "
                                                      "last one): fast at any depth, and stable while "
                                                      "events are added.")
    events: list[EventSummary]


class PointGeometry(BaseModel):
    type: Literal["Point"] = "Point"
    coordinates: list[float] = Field(description="[longitude, latitude]")


class EventFeature(BaseModel):
    type: Literal["Feature"] = "Feature"
    id: int
    geometry: PointGeometry
    properties: EventSummary


class EventFeatureCollection(BaseModel):
    """GeoJSON of the located events of one page (paging counts located events only)."""

    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[EventFeature]
    total: int
    limit: int
    offset: int | None = None
    next_offset: int | None = None
    next_cursor: str | None = None


class TextSpan(BaseModel):
    start: int
    end: int
    text: str


class EvidenceOut(BaseModel):
    """A sentence that reports the event, and the trigger words inside it (document offsets)."""

    sentence: int
    start: int
    end: int
    text: str
    trigger: TextSpan
    said_by: str | None = None


class MentionOut(BaseModel):
    """What one article says about the event."""

    mention_id: int
    doc_id: str
    title: str | None = None
    url: str | None = None
    publisher: str
    published: dt.date | None = None
    duplicate_of: str | None = Field(None, description="Set when the article is a syndicated copy.")
    type: str
    mode: str | None = None
    date_start: dt.date | None = None
    date_end: dt.date | None = None
    location: str | None = None
    country: str | None = None
    actor: str | None = None
    target: str | None = None
    fatalities_min: int | None = None
    fatalities_max: int | None = None
    injured_min: int | None = None
    injured_max: int | None = None
    evidence: list[EvidenceOut] = []


class ClaimOut(BaseModel):
    """A count one source gives (``field`` is fatalities or injured)."""

    mention_id: int
    doc_id: str
    publisher: str
    independent: bool
    field: str
    low: int | None = None
    high: int | None = None


class LinkedEvent(BaseModel):
    relation: str = Field(description="responds_to | follows ...")
    doc_id: str | None = None
    evidence: str | None = None
    event: EventSummary


class HistoryEntry(BaseModel):
    """One change a reviewer made (a review record)."""

    id: int
    reviewer: str
    at: dt.datetime
    action: str = Field(description="accept | reject | reopen | edit | revert | merge | split")
    field: str | None = Field(None, description="The column changed (review_status for accept/reject/reopen).")
    old: Any = None
    new: Any = None
    note: str | None = None


class EventDetail(EventSummary):
    first_seen: dt.datetime | None = None
    mentions: list[MentionOut]
    claims: list[ClaimOut]
    disagreements: list[str] = Field(description="Fields on which the mentions give different values.")
    links_out: list[LinkedEvent] = Field(description="Events this one answers or follows.")
    links_in: list[LinkedEvent] = Field(description="Events that answer or follow this one.")
    history: list[HistoryEntry] = Field([], description="What reviewers did to the event, oldest first.")


class DocumentSpan(BaseModel):
    """An evidence sentence of the document and its trigger, with the event it produced."""

    mention_id: int
    event_id: int | None = Field(None, description="Null for negated or hypothetical mentions.")
    type: str
    negated: bool
    hypothetical: bool
    sentence: TextSpan
    trigger: TextSpan


class DocumentOut(BaseModel):
    id: str
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    publisher: str
    source: str | None = None
    duplicate_of: str | None = None
    ingested_at: dt.datetime
    text: str
    spans: list[DocumentSpan]


class TimelineDay(BaseModel):
    date: dt.date
    count: int


class Timeline(BaseModel):
    """Events per day of their start date; ``undated`` ones are counted apart."""

    days: list[TimelineDay]
    total: int
    undated: int


NOT_BLANK = r"^[^\x00]*[^\s\x00][^\x00]*$"  # some non-space character, no NUL


class _DocumentFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(None, min_length=1, max_length=240, pattern=NOT_BLANK,
                           description="Default: the canonical URL, else api-<content hash>.")
    url: str | None = Field(None, max_length=2000, pattern=r"^[Hh][Tt][Tt][Pp][Ss]?://[^\x00\s]+$",
                            description="The article's address: http or https only.")
    title: str | None = Field(None, max_length=2000, pattern=NO_NUL)
    published: dt.date | None = Field(None, description="Publication date; relative dates resolve against it.")


class TextDocumentIn(_DocumentFields):
    """An article as plain text."""

    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS, pattern=NOT_BLANK)


class HtmlDocumentIn(_DocumentFields):
    """An article as an HTML page; its main text is extracted (trafilatura)."""

    html: str = Field(min_length=1, max_length=MAX_TEXT_CHARS, pattern=NOT_BLANK)


DocumentIn = TextDocumentIn | HtmlDocumentIn
DOCUMENT_MODELS = ("TextDocumentIn", "HtmlDocumentIn")


class IngestOutcome(BaseModel):
    """What happened to one posted document (in the order they were posted)."""

    doc_id: str
    status: Literal["added", "syndicated", "exists", "failed"] = Field(
        description="added: new; syndicated: a near-copy of a stored article; exists: already "
                    "stored, nothing added; failed: unreadable (see error), nothing stored.")
    error: str | None = None
    duplicate_of: str | None = None
    mentions: int = 0
    events_created: int = 0
    events_joined: int = 0
    links: int = 0
    event_ids: list[int] = []


class CountryOut(BaseModel):
    code: str
    name: str


class IngestResponse(BaseModel):
    documents: list[IngestOutcome]


ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "Not found"},
    422: {"model": Problem, "description": "Invalid request"},
    503: {"model": Problem, "description": "Database unavailable, or the server is busy (then with Retry-After)"},
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "The body is not JSON in UTF-8"},
    401: {"model": Problem, "description": "Missing or wrong token (checked before the body is read)"},
    403: {"model": Problem, "description": "The server is read-only (no token configured)"},
    413: {"model": Problem, "description": "The body is over the server's size limit (serve --max-body)"},
    422: ERRORS[422], 503: ERRORS[503],
}


# --- queries ------------------------------------------------------------------------------

_SUMMARY_COLUMNS = [c for c in T.events.c if c.name in EventSummary.model_fields or c.name == "overrides"]


_SUMMARY_NAMES = [c.name for c in _SUMMARY_COLUMNS if c.name != "overrides"]


def _summary(row) -> EventSummary:
    """A row of ``events`` as a record; built without validation (typed columns), as a
    1000-event page would otherwise spend most of its time validating what the database
    already typed."""
    m = row._mapping
    data = {name: m[name] for name in _SUMMARY_NAMES}
    data["event_id_cnty"] = f"{data['country'] or 'XXX'}{data['id']}"
    data["reviewed_fields"] = reviewed_fields(m["overrides"])
    return EventSummary.model_construct(**data)


def query_timeline(store: Store, filters: Filters) -> Timeline:
    ev = T.events.c
    with store.engine.connect() as conn:
        rows = conn.execute(select(ev.date_start, func.count()).where(and_(True, *filters.conditions(conn.dialect.name)))
                            .group_by(ev.date_start).order_by(ev.date_start.is_(None), ev.date_start)).all()
    days = [TimelineDay(date=d, count=n) for d, n in rows if d is not None]
    undated = sum(n for d, n in rows if d is None)
    return Timeline(days=days, total=sum(d.count for d in days) + undated, undated=undated)


def query_event_detail(store: Store, event_id: int) -> EventDetail | None:
    """The event, its mentions (with evidence), claims and links in both directions."""
    ev, mt, dc, cl, ln = T.events.c, T.mentions.c, T.documents.c, T.claims.c, T.event_links.c
    with store.engine.connect() as conn:
        row = conn.execute(select(T.events).where(ev.id == event_id)).first()
        if row is None:
            return None
        mrows = conn.execute(
            select(T.mentions, dc.title, dc.url, dc.publisher, dc.published, dc.duplicate_of)
            .join(T.documents, dc.id == mt.doc_id).where(mt.event_id == event_id)
            .order_by(dc.published.is_(None), dc.published, mt.id)).all()
        crows = conn.execute(
            select(cl.mention_id, cl.doc_id, cl.publisher, cl.independent, cl.field, cl.low, cl.high)
            .join(T.mentions, mt.id == cl.mention_id).where(mt.event_id == event_id)
            .order_by(cl.field, cl.id)).all()
        lrows = conn.execute(select(T.event_links).where(
            or_(ln.from_event == event_id, ln.to_event == event_id)).order_by(ln.id)).all()
        other_ids = {r.to_event if r.from_event == event_id else r.from_event for r in lrows}
        others = {r.id: _summary(r) for r in conn.execute(
            select(*_SUMMARY_COLUMNS).where(ev.id.in_(other_ids)))} if other_ids else {}
        records = review_history(store, event_id, conn)
    hist = [HistoryEntry(id=h.id, reviewer=h.reviewer, at=_utc(h.at), action=h.action, field=h.field,
                         old=h.old, new=h.new, note=h.note) for h in records]
    mentions = [_mention(r) for r in mrows]
    claims = [ClaimOut(**r._mapping) for r in crows]
    links_out = [LinkedEvent(relation=r.relation, doc_id=r.doc_id, evidence=r.evidence, event=others[r.to_event])
                 for r in lrows if r.from_event == event_id and r.to_event in others]
    links_in = [LinkedEvent(relation=r.relation, doc_id=r.doc_id, evidence=r.evidence, event=others[r.from_event])
                for r in lrows if r.to_event == event_id and r.from_event in others]
    return EventDetail(**_summary(row).model_dump(), first_seen=_utc(row.first_seen), mentions=mentions,
                       claims=claims, disagreements=disagreements(mentions),
                       links_out=links_out, links_in=links_in, history=hist)


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    """The store keeps naive UTC times; the API says so (RFC 3339 needs an offset)."""
    return value.replace(tzinfo=dt.timezone.utc) if value is not None and value.tzinfo is None else value


def _mention(r) -> MentionOut:
    data = json.loads(r.data) if r.data else {}
    evidence = []
    for e in data.get("evidence") or []:
        said = (e.get("attribution") or {}).get("name")
        evidence.append(EvidenceOut(sentence=e["sentence"], start=e["start"], end=e["end"], text=e["text"],
                                    trigger=TextSpan(**{k: e["trigger"][k] for k in ("start", "end", "text")}),
                                    said_by=said))
    fields = {k: getattr(r, k) for k in (
        "doc_id", "title", "url", "publisher", "published", "duplicate_of", "type", "mode", "date_start",
        "date_end", "location", "country", "actor", "target", "fatalities_min", "fatalities_max",
        "injured_min", "injured_max")}
    return MentionOut(mention_id=r.id, evidence=evidence, **fields)


#: what "the sources disagree" compares: a field and how to read it off a mention
_COMPARED = {
    "type": lambda m: m.type,
    "date": lambda m: (m.date_start, m.date_end) if m.date_start else None,
    "location": lambda m: m.location,
    "actor": lambda m: m.actor.lower() if m.actor else None,
    "target": lambda m: m.target.lower() if m.target else None,
    "fatalities": lambda m: (m.fatalities_min, m.fatalities_max) if m.fatalities_min is not None or m.fatalities_max is not None else None,
    "injured": lambda m: (m.injured_min, m.injured_max) if m.injured_min is not None or m.injured_max is not None else None,
}


def _ranges_overlap(a: tuple, b: tuple) -> bool:
    """Two count claims agree when some number satisfies both: "at least 21" and "27" do,
    "3" and "5" do not (an open bound is unbounded)."""
    (lo1, hi1), (lo2, hi2) = a, b
    lo1, lo2 = lo1 if lo1 is not None else 0, lo2 if lo2 is not None else 0
    return (hi1 is None or lo2 <= hi1) and (hi2 is None or lo1 <= hi2)


_COUNT_FIELDS = ("fatalities", "injured")


def disagreements(mentions: list[MentionOut]) -> list[str]:
    """Fields for which two mentions that both give a value give different ones (counts:
    ranges that no single number satisfies)."""
    out = []
    for name, read in _COMPARED.items():
        values = {read(m) for m in mentions} - {None}
        if name in _COUNT_FIELDS:
            values = sorted(values, key=str)
            if any(not _ranges_overlap(a, b) for i, a in enumerate(values) for b in values[i + 1:]):
                out.append(name)
        elif len(values) > 1:
            out.append(name)
    return out


def query_document(store: Store, doc_id: str) -> DocumentOut | None:
    dc, mt = T.documents.c, T.mentions.c
    with store.engine.connect() as conn:
        row = conn.execute(select(dc.id, dc.title, dc.url, dc.published, dc.publisher, dc.source,
                                  dc.duplicate_of, dc.ingested_at, dc.text).where(dc.id == doc_id)).first()
        if row is None:
            return None
        mrows = conn.execute(select(mt.id, mt.event_id, mt.type, mt.negated, mt.hypothetical, mt.data)
                             .where(mt.doc_id == doc_id).order_by(mt.id)).all()
    spans = []
    for m in mrows:
        for e in (json.loads(m.data) if m.data else {}).get("evidence") or []:
            trig = e["trigger"]
            spans.append(DocumentSpan(
                mention_id=m.id, event_id=m.event_id, type=m.type, negated=bool(m.negated),
                hypothetical=bool(m.hypothetical),
                sentence=TextSpan(start=e["start"], end=e["end"], text=e["text"]),
                trigger=TextSpan(start=trig["start"], end=trig["end"], text=trig["text"])))
    spans.sort(key=lambda s: (s.sentence.start, s.trigger.start))
    return DocumentOut(spans=spans, **{**row._mapping, "ingested_at": _utc(row.ingested_at)})


# --- ingest -------------------------------------------------------------------------------

def documents_from_input(items: list[DocumentIn]) -> list[Document | IngestOutcome]:
    """Posted records to Documents with :func:`eventscribe.sources.read_sources` (its HTML
    extraction, date handling and checks), through a temporary JSONL file.

    One result per item, in order: a Document, or a ``failed`` outcome saying why. A
    record without an id gets one from its canonical URL, else from its content hash.
    """
    from .sources import content_hash, document_id_for_url, read_sources

    records = []
    for item in items:
        rec = item.model_dump(mode="json", exclude_none=True)
        if "id" not in rec:
            body = getattr(item, "text", None) or getattr(item, "html", "")
            rec["id"] = document_id_for_url(item.url) if item.url else "api-" + content_hash(body)[:16]
        records.append(rec)
    out: list[Document | IngestOutcome] = []
    with tempfile.TemporaryDirectory(prefix="eventscribe-api-") as tmp:
        path = Path(tmp) / "posted.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        for rec, got in zip(records, read_sources([str(path)]), strict=True):
            if isinstance(got, DocumentError):
                out.append(IngestOutcome(doc_id=rec["id"], status="failed", error=got.message))
            else:
                out.append(got.model_copy(update={"id": rec["id"], "source": "api"}))
    return out


# --- the application ----------------------------------------------------------------------

_bearer = HTTPBearer(auto_error=False, description="The token given to `eventscribe serve --token`.")


async def get_store(request: Request) -> Store:
    """The app's store (one engine and connection pool per server). Async, as are the
    filters: a dependency that is a plain function costs a trip through the thread pool."""
    return request.app.state.store


StoreDep = Annotated[Store, Depends(get_store)]


def require_token(request: Request,
                  creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> str:
    """Writes need a reviewer's token with write rights: none configured -> 403 (read-only),
    missing/wrong -> 401, a read-only reviewer -> 403. Returns the reviewer's name."""
    reviewers: Reviewers = request.app.state.reviewers
    if not reviewers.any_writer:
        raise HTTPException(403, "this server is read-only: start it with --token-file or --reviewers (or "
                                 f"${ENV_TOKEN}) to allow writes")
    if creds is None:
        raise HTTPException(401, "missing token: send 'Authorization: Bearer <token>'",
                            headers={"WWW-Authenticate": "Bearer"})
    found = reviewers.find(creds.credentials)
    if found is None:
        raise HTTPException(401, "wrong token", headers={"WWW-Authenticate": "Bearer"})
    if not found.can_write:
        raise HTTPException(403, f"reviewer {found.name!r} may read but not write")
    return found.name


ISO_DAY = r"^\d{4}-\d{2}-\d{2}$"


async def filters(
    request: Request,
    since: Annotated[dt.date | None, Query(description="Events ending on or after this date (YYYY-MM-DD).")] = None,
    until: Annotated[dt.date | None, Query(description="Events starting on or before this date (YYYY-MM-DD).")] = None,
    type: Annotated[PloverType | None, Query(description="PLOVER type, e.g. ASSAULT.")] = None,  # noqa: A002
    country: Annotated[str | None, Query(max_length=100, pattern=NO_NUL,
                                         description="ISO 3166 alpha-3 code (IRQ) or country name (Iraq).")] = None,
    actor: Annotated[str | None, Query(max_length=200, pattern=NO_NUL,
                                       description="Text in the actor or target name (case-insensitive).")] = None,
    review: Annotated[Literal[REVIEW_FILTERS] | None, Query(  # type: ignore[valid-type]
        description="Review status: all, unreviewed, accepted, rejected, reviewed (accepted or rejected). "
                    "Default: every event but the rejected ones.")] = None,
) -> Filters:
    """The filter query parameters shared by /api/events and /api/timeline.

    ``since`` after ``until`` is an empty window: no events, not an error (a
    check across two parameters is something the OpenAPI schema cannot state).
    """
    for name in ("since", "until"):
        raw = request.query_params.get(name)
        if raw is not None and not re.match(ISO_DAY, raw):
            raise RequestValidationError([{"loc": ("query", name), "type": "date_format", "input": raw,
                                           "msg": f"{name} must be a date as YYYY-MM-DD, got {raw!r}"}])
    if country is not None:
        from .countries import UnknownCountry, resolve_country

        try:
            country = resolve_country(country)
        except UnknownCountry as exc:
            raise RequestValidationError([{"loc": ("query", "country"), "type": "country", "input": country,
                                           "msg": str(exc)}]) from None
    return Filters(since=since, until=until, type=type, country=country, actor=actor, review=review,
                   empty=bool(since and until and since > until))


FilterDep = Annotated[Filters, Depends(filters)]


def _cursor_position(cursor: str | None, offset: int) -> tuple[dt.date | None, int] | None:
    """The position a ``cursor`` names (None without one); 422 for a cursor beside an offset
    or one that names no date."""
    if cursor is None:
        return None
    problem = "give either offset or cursor, not both" if offset else None
    if problem is None:
        try:
            position = decode_cursor(cursor)
        except ValueError:
            problem = "not a cursor of this API (use the next_cursor of a page)"
        else:
            if position[1] <= MAX_ID:
                return position
            problem = "not a cursor of this API (use the next_cursor of a page)"
    raise RequestValidationError([{"loc": ("query", "cursor"), "type": "cursor", "input": cursor, "msg": problem}])


class EventsAPI(FastAPI):
    """The FastAPI app behind its own front door: requests meet :class:`~eventscribe.guard.Guard`
    (back-pressure, tokens, body size, security headers) and then the
    :class:`~eventscribe.answers.CacheFront` (list answers already made) before FastAPI's own
    stack (its telemetry hook, error pages, routing, dependencies), which a cached answer
    does not need and which cost a fifth of such a request."""

    guard = None

    async def __call__(self, scope, receive, send) -> None:
        if self.guard is None:
            await super().__call__(scope, receive, send)
        else:
            await self.guard(scope, receive, send)

    async def framework(self, scope, receive, send) -> None:
        """FastAPI itself, behind the front door."""
        await super().__call__(scope, receive, send)


def create_app(db: str | None = None, *, token: str | None = None, store: Store | None = None,
               pipeline=None, max_body: int | None = DEFAULT_MAX_BODY,
               max_inflight: int | None = DEFAULT_MAX_INFLIGHT, reviewers: Reviewers | None = None) -> EventsAPI:
    """The FastAPI app over the store at ``db`` (or an opened ``store``).

    ``token``: the Bearer token that writes must present (reviewer ``admin``); ``reviewers``:
    more named tokens (:class:`~eventscribe.review.Reviewers`, with write or read rights);
    with neither the API is read-only. ``pipeline``: the extractor for POST (default: a
    :class:`~eventscribe.pipeline.Pipeline`, built on first use).
    """
    registry = Reviewers([*Reviewers.configured(token, env={}).items, *(reviewers.items if reviewers else [])])
    app = EventsAPI(
        title="eventscribe",
        summary="PLOVER events extracted from news articles: list, map, inspect, ingest.",
        version=_version(),
        docs_url=None, redoc_url=None,
    )
    # without a token nothing can be written: open read-only, never waiting for writers
    app.state.store = store if store is not None else Store(db, readonly=not registry.any_writer)
    _analyze_events(app.state.store)
    app.state.token = token or None
    app.state.reviewers = registry
    app.state.pipeline = pipeline
    app.state.write_lock = threading.Lock()
    shared = os.environ.get(ENV_SHARED_ANSWERS)  # set by serve --workers N for its workers
    app.state.cache = ResponseCache(shared=SharedAnswers(shared) if shared and os.path.isdir(shared) else None)
    app.state.totals = TotalsCache()
    app.state.versions = StoreVersion(app.state.store)
    app.add_middleware(GZipMiddleware, minimum_size=1024)  # the other answers (cached ones are gzipped already)
    app.guard = Guard(CacheFront(app.framework, app.state), reviewers=registry, max_body=max_body,
                      max_inflight=max_inflight, token_env=ENV_TOKEN)
    _install_error_handlers(app)

    @app.get("/api/events", response_model=EventPage | EventFeatureCollection, responses=ERRORS,
             tags=["events"], summary="List canonical events")
    async def list_events(
        request: Request, store: StoreDep, filters: FilterDep,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Page size, at most {MAX_LIMIT}.")] = DEFAULT_LIMIT,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
        cursor: Annotated[str | None, Query(max_length=40, pattern=CURSOR_PATTERN, description=(
            "The `next_cursor` of the previous page: the page after it (instead of `offset`)."))] = None,
        format: Annotated[Literal["json", "geojson"], Query(  # noqa: A002
            description="json: a page of events; geojson: a FeatureCollection of the located events.")] = "json",
    ):
        """Events oldest first (undated last), filtered like `eventscribe events`, by `offset`
        or, faster at depth and stable while events are added, by `cursor`. Answers carry an
        ETag and are cached until the store changes (304 for If-None-Match).

        Served on the event loop, not in the thread pool: a page is a few index lookups and a
        string join (a cached one less), cheaper than the hand-over to a thread, and a queue
        served one at a time is fairer than threads fighting for the interpreter lock (see
        ``eventscribe.guard``: the queue is bounded)."""
        position = _cursor_position(cursor, offset)
        if format == "geojson":
            filters = dataclasses.replace(filters, located=True)

        def build(version: tuple) -> bytes:
            page = query_page(store, filters, limit=limit, offset=offset, cursor=position, version=version,
                              totals=request.app.state.totals)
            return page_json(page, limit=limit, offset=None if position else offset, geojson=format == "geojson")

        return cached(request, build)

    @app.get("/api/events/{event_id}", response_model=EventDetail, responses=ERRORS, tags=["events"],
             summary="One event with its sources")
    def get_event(store: StoreDep, event_id: Annotated[int, PathParam(ge=1, le=MAX_ID)]):
        """Reconciled values, every mention with its evidence sentences, each source's
        counts, the fields the sources disagree on, and linked events both ways."""
        found = query_event_detail(store, event_id)
        if found is None:
            raise HTTPException(404, f"no event with id {event_id}")
        return found

    @app.get("/api/timeline", response_model=Timeline, responses=ERRORS, tags=["events"],
             summary="Events per day")
    async def timeline(request: Request, store: StoreDep, filters: FilterDep):
        """Counts of events per start date, with the filters of /api/events (cached like it)."""
        return cached(request, lambda _version: query_timeline(store, filters).model_dump_json().encode())

    @app.get("/api/documents/{doc_id:path}", response_model=DocumentOut, responses=ERRORS,
             tags=["documents"], summary="One stored article")
    def get_document(store: StoreDep, doc_id: str):
        """The article's text and the evidence sentences and triggers that produced events."""
        found = None if "\x00" in doc_id else query_document(store, doc_id)
        if found is None:
            raise HTTPException(404, f"no document with id {doc_id!r}")
        return found

    @app.get("/api/countries", response_model=list[CountryOut], tags=["events"],
             summary="Country codes and names")
    def countries():
        """Every ISO 3166 country, alpha-3 code and name: the ``country`` filter takes either."""
        from .countries import country_names

        return [CountryOut(code=c, name=n) for c, n in country_names()]

    @app.get("/api/stats", response_model=dict[str, Any], responses={503: ERRORS[503]}, tags=["events"],
             summary="Database summary")
    def stats(store: StoreDep):
        """Documents, syndicated copies, mentions, events, links, events by type, top countries."""
        return store.stats()

    @app.post("/api/documents", response_model=IngestResponse, responses=WRITE_ERRORS,
              dependencies=[Depends(require_token)], tags=["documents"], summary="Ingest articles")
    def post_documents(
        request: Request, store: StoreDep,
        body: Annotated[DocumentIn | Annotated[list[DocumentIn], Field(min_length=1, max_length=MAX_POST_DOCUMENTS)],
                        Body(description=f"One document or a list of 1 to {MAX_POST_DOCUMENTS}.")],
    ):
        """Extract events from one or more articles and merge them into the database.

        One outcome per document, in order. An article already stored (same
        canonical URL or same text) is ``exists`` and adds nothing; one that
        cannot be read (e.g. HTML without main text) is ``failed`` and the
        others are still stored.
        """
        items = body if isinstance(body, list) else [body]
        read = documents_from_input(items)
        docs = [d for d in read if isinstance(d, Document)]
        state = request.app.state
        with state.write_lock:  # one writer: the store's merge and near-duplicate index are not thread-safe
            if state.pipeline is None and docs:
                from .pipeline import Pipeline

                state.pipeline = Pipeline()
            stored = iter([store.add(result) for result in state.pipeline.extract(docs)] if docs else [])
        outcomes = []
        for d in read:
            if isinstance(d, IngestOutcome):
                outcomes.append(d)
            else:
                o = next(stored)
                outcomes.append(IngestOutcome(**{k: getattr(o, k) for k in IngestOutcome.model_fields
                                                 if hasattr(o, k)}))
        return IngestResponse(documents=outcomes)

    from .api_dictionary import build_router as dictionary_router

    app.include_router(dictionary_router(require_token))  # the user dictionary (issue 12)

    from .api_review import router as review_router

    app.include_router(review_router)
    _mount_web(app)
    return app


def _analyze_events(store: Store) -> None:
    """SQLite: refresh the planner's statistics of ``events`` (``ANALYZE events``).

    Without them SQLite walks the date index for "country X since D" and reads half the
    table (80 ms on 100k events instead of 7 ms with the (type, country, date) index it then
    skip-scans). Takes ~30 ms per 100k events; best effort (a read-only file is fine).
    PostgreSQL keeps its statistics itself (autovacuum).
    """
    if store.engine.dialect.name != "sqlite":
        return
    try:
        with store.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE events")
    except DBAPIError:
        pass


def _mount_web(app: FastAPI) -> None:
    """The page at ``/``, its files at ``/static``, and Swagger UI at ``/docs`` — all local."""
    app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def index():
        return FileResponse(WEB_DIR / "index.html", media_type="text/html")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url, title="eventscribe API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/vendor/swagger-ui/favicon-32x32.png",
        )


def _install_error_handlers(app: FastAPI) -> None:
    """Every error becomes ``{"detail": "<sentence>"}``: validation, HTTP, database, the rest."""

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _relevant(exc.errors(), exc.body)
        message = "; ".join(_describe(e) for e in errors[:5]) or "invalid request"
        if (hint := _text_html_problem(exc.body)) and any(e.get("loc", ("",))[0] == "body" for e in errors):
            message = hint
        raw = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in errors]
        return JSONResponse({"detail": message, "errors": raw}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"detail": str(exc.detail)}, status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(StoreUnavailable)
    async def unavailable(_request: Request, exc: StoreUnavailable) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503)

    @app.exception_handler(DBAPIError)
    async def database_error(_request: Request, exc: DBAPIError) -> JSONResponse:
        """A locked, gone or broken database: say so (no SQL, no URL), status 503."""
        orig = " ".join(str(getattr(exc, "orig", None) or exc).split())[:200]
        return JSONResponse({"detail": f"database unavailable: {orig}"}, status_code=503)


def _relevant(errors, body) -> list:
    """Of a union body's errors, those of the branch the client meant.

    The body may be an object or a list; an object with ``html`` (and no
    ``text``) means an HTML document, any other object a text document.
    """
    def meant(err) -> bool:
        loc = err.get("loc", ())
        if len(loc) < 2 or loc[0] != "body":
            return True
        item = body
        for part in loc[1:]:
            if isinstance(part, int):
                item = item[part] if isinstance(item, list) and 0 <= part < len(item) else None
            elif part.startswith("list["):
                if not isinstance(body, list):
                    return False
            elif part in DOCUMENT_MODELS:
                if isinstance(item, list):
                    return False
                is_html = isinstance(item, dict) and "html" in item and "text" not in item
                if part != ("HtmlDocumentIn" if is_html else "TextDocumentIn"):
                    return False
        return True

    return [e for e in errors if meant(e)] or list(errors)


def _text_html_problem(body) -> str | None:
    """``give exactly one of 'text' or 'html'`` when an object has both or neither."""
    items = body if isinstance(body, list) else [body]
    for i, item in enumerate(items):
        if isinstance(item, dict) and ("text" in item) == ("html" in item):
            where = f"body[{i}]" if isinstance(body, list) else "body"
            return f"{where}: give exactly one of 'text' or 'html'"
    return None


def _describe(error: dict) -> str:
    """``query parameter 'limit': Input should be less than or equal to 1000 (got '5000')``."""
    loc = [str(x) for x in error.get("loc", ())]
    kinds = {"query": "query parameter", "path": "path parameter", "header": "header"}
    if loc and loc[0] in kinds and len(loc) > 1:
        where = f"{kinds[loc[0]]} '{loc[1]}'"
    elif loc and loc[0] == "body":
        where = "body" + "".join(f"[{x}]" if x.isdigit() else f".{x}" for x in loc[1:]
                                 if x.isdigit() or x.isidentifier() and x not in DOCUMENT_MODELS)
    else:
        where = ".".join(loc) or "request"
    msg = error.get("msg", "invalid")
    if error.get("type") == "string_pattern_mismatch":  # our patterns, said in words
        pattern = (error.get("ctx") or {}).get("pattern")
        msg = {NOT_BLANK: "must contain a non-space character and no NUL character",
               NO_NUL: "must not contain a NUL character"}.get(pattern, msg)
    got = error.get("input")
    if loc and loc[0] in ("query", "path") and isinstance(got, (str, int, float)):
        shown = str(got) if len(str(got)) <= 40 else str(got)[:40] + "…"
        msg += f" (got {shown!r})"
    return f"{where}: {msg}"


def _version() -> str:
    from . import __version__

    return __version__


def app_from_environment() -> FastAPI:
    """The app of one worker process of ``serve --workers N``: settings from the environment
    (``EVENTSCRIBE_DB``, ``EVENTSCRIBE_API_TOKEN``, ``EVENTSCRIBE_MAX_BODY``,
    ``EVENTSCRIBE_MAX_INFLIGHT``), as uvicorn starts workers from an import string."""
    return create_app(os.environ.get("EVENTSCRIBE_DB") or None, token=os.environ.get(ENV_TOKEN) or None,
                      max_body=int(os.environ.get("EVENTSCRIBE_MAX_BODY", DEFAULT_MAX_BODY)),
                      max_inflight=int(os.environ.get("EVENTSCRIBE_MAX_INFLIGHT", DEFAULT_MAX_INFLIGHT)),
                      reviewers=Reviewers.configured())


def serve(db: str | None = None, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          log_level: str = "info", max_body: int | None = DEFAULT_MAX_BODY,
          max_inflight: int | None = DEFAULT_MAX_INFLIGHT, workers: int = 1,
          reviewers_file: str | None = None) -> None:
    """Run the API and page with uvicorn until interrupted (``eventscribe serve``); with
    ``workers > 1``, that many processes share the port (each its own store connection pool,
    cache and guard, and a private folder of answers they share: see
    :class:`~eventscribe.answers.SharedAnswers`; writers coordinate through the database's lock)."""
    import uvicorn

    if workers > 1:
        from .store import resolve_db_url

        os.environ["EVENTSCRIBE_DB"] = resolve_db_url(db)
        os.environ[ENV_TOKEN] = token or os.environ.get(ENV_TOKEN) or ""
        os.environ["EVENTSCRIBE_MAX_BODY"] = str(max_body or DEFAULT_MAX_BODY)
        os.environ["EVENTSCRIBE_MAX_INFLIGHT"] = str(max_inflight or DEFAULT_MAX_INFLIGHT)
        if reviewers_file:
            from .review import ENV_REVIEWERS

            os.environ[ENV_REVIEWERS] = str(Path(reviewers_file).resolve())
        app_from_environment().state.store.close()  # fail here, once, if the database cannot be opened
        shared = tempfile.mkdtemp(prefix="eventscribe-answers-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
        os.environ[ENV_SHARED_ANSWERS] = shared  # the workers build each list answer once between them
        os.environ[ENV_RUN_TAG] = os.path.basename(shared)  # and give them the same ETags
        try:
            uvicorn.run("eventscribe.api:app_from_environment", factory=True, workers=workers, host=host,
                        port=port, log_level=log_level)
        finally:
            import shutil

            shutil.rmtree(shared, ignore_errors=True)
        return
    app = create_app(db, token=token or os.environ.get(ENV_TOKEN) or None, max_body=max_body,
                     max_inflight=max_inflight, reviewers=Reviewers.configured(reviewers_file=reviewers_file))
    uvicorn.run(app, host=host, port=port, log_level=log_level)
