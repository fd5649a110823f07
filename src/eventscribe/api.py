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

The parts: the records it answers with (:mod:`eventscribe.api_models`), the reads of one
event or document (:mod:`eventscribe.api_records`), the list views' queries
(:mod:`eventscribe.listing`) and their cached answers (:mod:`eventscribe.answers`), the
front door (:mod:`eventscribe.guard`), the errors (:mod:`eventscribe.api_errors`).

Every error is JSON ``{"detail": "<one clear sentence>"}`` with a 4xx status
(validation errors add ``errors``, the raw list); a broken database is 503.
Reads are plain SQLAlchemy Core queries over the store's tables, always
parametrised. Nothing here reaches the internet.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import tempfile
import threading
from importlib import resources
from pathlib import Path
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import Body, Depends, FastAPI, HTTPException, Path as PathParam, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.staticfiles import StaticFiles
from pydantic import Field
from sqlalchemy.exc import DBAPIError

from .api_errors import install_error_handlers
from .api_models import (ERRORS, MAX_TEXT_CHARS, NO_NUL, NOT_BLANK, WRITE_ERRORS, ClaimOut, CountryOut,  # noqa: F401
                         DocumentIn, DocumentOut, EventDetail, EventFeatureCollection, EventPage, EventSummary,
                         HistoryEntry, IngestOutcome, IngestResponse, MentionOut, Problem, Timeline)
from .api_records import (_SUMMARY_COLUMNS, _summary, _utc, disagreements, documents_from_input,  # noqa: F401
                          query_document, query_event_detail, query_timeline)
from .answers import ENV_RUN_TAG, CacheFront, ResponseCache, SharedAnswers, StoreVersion, cached
from .listing import CURSOR_PATTERN, Filters, TotalsCache, decode_cursor, page_json, query_page
from .guard import DEFAULT_MAX_BODY, DEFAULT_MAX_INFLIGHT, Guard
from .model import PLOVER_TYPES, Document, PloverType
from .review import REVIEW_FILTERS, Reviewers
from .store import Store, TABLES

ENV_TOKEN = "EVENTSCRIBE_API_TOKEN"
ENV_SHARED_ANSWERS = "EVENTSCRIBE_SHARED_ANSWERS"
MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
MAX_OFFSET = 2**31 - 1  # beyond any real table; keeps the value inside a 32-bit SQL integer
MAX_ID = 2**31 - 1  # events.id is a 32-bit INTEGER on PostgreSQL
MAX_POST_DOCUMENTS = 100

T = TABLES
WEB_DIR = Path(str(resources.files("eventscribe").joinpath("web")))


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


def _cursor_position(cursor: str | None, offset: int) -> tuple | None:
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


def events_answer(state, filters: Filters, limit: int, offset: int, position: tuple | None,
                  format: str) -> Callable[[tuple], bytes]:  # noqa: A002
    """What makes the answer of ``/api/events`` at a store version, from checked parameters."""
    if format == "geojson":
        filters = dataclasses.replace(filters, located=True)

    def build(version: tuple) -> bytes:
        page = query_page(state.store, filters, limit=limit, offset=offset, cursor=position, version=version,
                          totals=state.totals)
        return page_json(page, limit=limit, offset=None if position else offset, geojson=format == "geojson")

    return build


_PLAIN_INT = re.compile(r"[0-9]{1,10}")
_PLAIN_DAY = re.compile(ISO_DAY)
_PLOVER = frozenset(PLOVER_TYPES)


def quick_events_request(state, scope) -> Callable[[tuple], bytes] | None:
    """The answer's builder for a ``/api/events`` request whose parameters are all plainly
    valid, read without FastAPI's validation and dependency machinery (0.7 ms of a new
    answer's CPU); None for anything else (an unknown, repeated or doubtful parameter),
    which FastAPI then checks and answers, with its error messages. Both read a parameter
    they accept the same way, and the answer is cached under the same key."""
    from urllib.parse import parse_qsl

    given = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    params = dict(given)
    if len(params) != len(given) or not params.keys() <= _QUICK_PARAMS:
        return None
    try:
        since, until = (_plain_day(params.get(n)) for n in ("since", "until"))
        limit = _plain_int(params.get("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT)
        offset = _plain_int(params.get("offset"), 0, 0, MAX_OFFSET)
    except ValueError:
        return None
    kind, review, fmt = params.get("type"), params.get("review"), params.get("format", "json")
    country, actor, cursor = params.get("country"), params.get("actor"), params.get("cursor")
    if (kind is not None and kind not in _PLOVER) or (review is not None and review not in REVIEW_FILTERS) \
            or fmt not in ("json", "geojson") or (actor is not None and (len(actor) > 200 or "\x00" in actor)):
        return None
    position = None
    if cursor is not None:
        if offset or len(cursor) > 64 or not re.match(CURSOR_PATTERN, cursor):
            return None
        try:
            position = decode_cursor(cursor)
        except ValueError:
            return None
        if position[1] > MAX_ID:
            return None
    if country is not None:
        from .countries import UnknownCountry, resolve_country

        if len(country) > 100 or "\x00" in country:
            return None
        try:
            country = resolve_country(country)
        except UnknownCountry:
            return None
    filters = Filters(since=since, until=until, type=kind, country=country, actor=actor, review=review,
                      empty=bool(since and until and since > until))
    return events_answer(state, filters, limit, offset, position, fmt)


_QUICK_PARAMS = frozenset({"since", "until", "type", "country", "actor", "review", "limit", "offset", "cursor",
                           "format"})


def _plain_day(value: str | None) -> dt.date | None:
    if value is None:
        return None
    if not _PLAIN_DAY.match(value):
        raise ValueError(value)
    return dt.date.fromisoformat(value)


def _plain_int(value: str | None, default: int, low: int, high: int) -> int:
    if value is None:
        return default
    if not _PLAIN_INT.fullmatch(value) or not low <= int(value) <= high:
        raise ValueError(value)
    return int(value)


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
    app.guard = Guard(CacheFront(app.framework, app.state, quick={"/api/events": quick_events_request}),
                      reviewers=registry, max_body=max_body,
                      max_inflight=max_inflight, token_env=ENV_TOKEN)
    install_error_handlers(app)

    @app.get("/api/events", response_model=EventPage | EventFeatureCollection, responses=ERRORS,
             tags=["events"], summary="List canonical events")
    async def list_events(
        request: Request, store: StoreDep, filters: FilterDep,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Page size, at most {MAX_LIMIT}.")] = DEFAULT_LIMIT,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
        cursor: Annotated[str | None, Query(max_length=64, pattern=CURSOR_PATTERN, description=(
            "The `next_cursor` of the previous page: the page after it (instead of `offset`)."))] = None,
        format: Annotated[Literal["json", "geojson"], Query(  # noqa: A002
            description="json: a page of events; geojson: a FeatureCollection of the located events.")] = "json",
    ):
        """Events oldest first (undated last), filtered like `eventscribe events`, by `offset`
        or, faster at depth and skipping nothing while events are added or merged, by `cursor`
        (an event changed behind the walk's position since its last page comes first on the
        next one). Answers carry an ETag and are cached until the store changes (304 for
        If-None-Match).

        Served on the event loop, not in the thread pool: a page is a few index lookups and a
        string join (a cached one less), cheaper than the hand-over to a thread, and a queue
        served one at a time is fairer than threads fighting for the interpreter lock (see
        ``eventscribe.guard``: the queue is bounded)."""
        position = _cursor_position(cursor, offset)
        return cached(request, events_answer(request.app.state, filters, limit, offset, position, format))

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
