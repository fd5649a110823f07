"""Finished answers of the list views (``/api/events``, ``/api/timeline``), kept per store
version and sent without the web framework when they are already made.

- **The store's version, cheaply** (:class:`StoreVersion`): every list request needs it (the
  cache key), so on SQLite a connection of its own asks ``PRAGMA data_version``, which
  changes when any other connection of any process commits; only then is the version query
  run again (a few microseconds instead of a pooled connection and three index lookups).
- **An answer is made once per version** (:class:`ResponseCache`): its body, its ETag (a
  hash of the request, the version and the server's run: the body is a function of those, so
  it is not hashed, which cost 0.7 ms for 1000 events), its gzip form (ISA-L when installed:
  1000 events in 0.4 ms instead of zlib's 1.9 ms at level 1) and its response headers.
  Concurrent requests for the same missing answer wait for one computation; the workers of
  ``serve --workers N`` share answers through :class:`SharedAnswers`.
- **A made answer is sent before routing** (:class:`CacheFront`): no dependency injection,
  validation or response object; two ASGI messages with headers built when it was made.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import DBAPIError
from starlette.requests import Request
from starlette.responses import Response

from .store import Store, StoreUnavailable

try:  # ISA-L's deflate: five times faster than zlib at its fastest level, and smaller
    from isal.igzip import compress as _gzip_compress
except ImportError:  # a platform without its wheel: the standard library's zlib
    from gzip import compress as _gzip_compress

GZIP_MIN_BYTES = 1024
GZIP_LEVEL = 1  # once per answer: fast, and most of what a higher level would save
CACHED_PATHS = frozenset({"/api/events", "/api/timeline"})
ENV_RUN_TAG = "EVENTSCRIBE_RUN_TAG"  # set by serve --workers N: the same ETags in every worker


# --- the store's version ---------------------------------------------------------------------

class StoreVersion:
    """:meth:`Store.version`, asked again only when the database has changed.

    SQLite: a connection of its own, used for nothing else, reads ``PRAGMA data_version``
    (which differs whenever another connection, of this process or another, has committed
    since it last asked) and re-reads the version only then. PostgreSQL (or a connection that
    fails): the store's query every time."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._conn = None
        self._seen: int | None = None
        self._version: tuple | None = None
        database = store.engine.url.database or ""
        if store.engine.dialect.name == "sqlite" and database not in ("", ":memory:") and "mode=memory" not in database:
            # (an in-memory database is one per connection: a connection of its own would see none of it)
            try:
                fairy = store.engine.raw_connection()
                fairy.detach()  # kept for good, outside the pool
                self._conn = fairy.dbapi_connection
            except DBAPIError:
                self._conn = None

    def current(self) -> tuple:
        if self._conn is None:
            return self.store.version()
        with self._lock:
            try:
                seen = self._conn.execute("PRAGMA data_version").fetchone()[0]
            except Exception:  # noqa: BLE001 - a broken connection: fall back to the store's query
                self._conn = None
                return self.store.version()
            if seen != self._seen or self._version is None:
                self._version = self.store.version()  # after reading data_version: never older than it
                self._seen = seen
            return self._version

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


# --- answers ---------------------------------------------------------------------------------

@dataclass
class Answer:
    etag: str
    body: bytes
    gzipped: bytes | None
    plain_headers: list = field(default_factory=list, repr=False)
    gzip_headers: list = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        common = [(b"etag", self.etag.encode("latin-1")), (b"cache-control", b"no-cache"),
                  (b"vary", b"accept-encoding"), (b"content-type", b"application/json")]
        self.plain_headers = [*common, (b"content-length", str(len(self.body)).encode())]
        if self.gzipped is not None:
            self.gzip_headers = [*common, (b"content-encoding", b"gzip"),
                                 (b"content-length", str(len(self.gzipped)).encode())]

    def reply(self, if_none_match: bytes, accept_encoding: bytes) -> tuple[int, list, bytes]:
        """(status, headers, body) for a client that sent these two headers."""
        if if_none_match and self.etag.encode("latin-1") in [t.strip() for t in if_none_match.split(b",")]:
            return 304, self.plain_headers[:3], b""
        if self.gzipped is not None and b"gzip" in accept_encoding:
            return 200, self.gzip_headers, self.gzipped
        return 200, self.plain_headers, self.body


def run_tag() -> str:
    """What makes this server run's ETags its own: a restarted (perhaps upgraded) server must
    not tell a client that its copy is current. The workers of one ``serve`` share it."""
    return os.environ.get(ENV_RUN_TAG) or _PROCESS_TAG


_PROCESS_TAG = os.urandom(8).hex()


def make_answer(key: tuple, body: bytes, tag: str | None = None) -> Answer:
    """The answer to ``key`` (path, query, store version): its ETag names the request, the
    version and the run, which decide the body, so the body itself is not hashed."""
    etag = '"' + hashlib.blake2b(repr((key, tag or run_tag())).encode(), digest_size=12).hexdigest() + '"'
    zipped = _gzip_compress(body, GZIP_LEVEL, mtime=0) if len(body) >= GZIP_MIN_BYTES else None
    return Answer(etag, body, zipped)


class ResponseCache:
    """Finished answers of the list views, keyed by the request and the store's version: a
    map filtered to one country is computed once until something is ingested or merged.
    Requests for an answer being computed wait for it instead of computing it again."""

    def __init__(self, size: int = 256, shared: SharedAnswers | None = None) -> None:
        self.size = size
        self.shared = shared
        self._items: OrderedDict[tuple, Answer] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[tuple, threading.Lock] = {}

    def get(self, key: tuple) -> Answer | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple, value: Answer) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def get_or_build(self, key: tuple, build: Callable[[], bytes]) -> Answer:
        found = self.get(key)
        if found is not None:
            return found
        with self._lock:
            lock = self._building.setdefault(key, threading.Lock())
        with lock:
            found = self.get(key)
            if found is None:
                found = self.shared.get_or_build(key, lambda: make_answer(key, build())) if self.shared \
                    else make_answer(key, build())
                self.put(key, found)
        with self._lock:
            self._building.pop(key, None)
        return found


class SharedAnswers:
    """Answers shared by the worker processes of one server (``serve --workers N``): a file
    per answer in a folder per store version, written whole (rename) and built by one worker
    while the others wait on its lock file, so N workers compute a new answer once, not N
    times. ``folder`` is the server's own (``serve`` makes it private with mkdtemp and removes
    it at exit); folders of older versions are removed when a newer one is first written."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def _paths(self, key: tuple) -> tuple[Path, Path]:
        path, query, version = key
        version_dir = self.folder / hashlib.blake2b(repr(version).encode(), digest_size=8).hexdigest()
        name = hashlib.blake2b(repr((path, query)).encode(), digest_size=16).hexdigest()
        return version_dir, version_dir / name

    def get_or_build(self, key: tuple, build: Callable[[], Answer]) -> Answer:
        import fcntl

        version_dir, path = self._paths(key)
        found = _read_answer(path)
        if found is not None:
            return found
        if not version_dir.exists():
            self._drop_other_versions(version_dir)
        try:
            version_dir.mkdir(mode=0o700, exist_ok=True)
            with open(path.with_suffix(".lock"), "a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # another worker may be building it
                found = _read_answer(path)
                if found is None:
                    found = build()
                    tmp = path.with_suffix(f".{os.getpid()}.tmp")
                    tmp.write_bytes(_answer_bytes(found))
                    os.replace(tmp, path)
                return found
        except OSError:  # the folder went with an older version, or the disk is full: compute here
            return found or build()

    def _drop_other_versions(self, keep: Path) -> None:
        import shutil

        for other in self.folder.iterdir():
            if other != keep and other.is_dir():
                shutil.rmtree(other, ignore_errors=True)


def _answer_bytes(answer: Answer) -> bytes:
    """A header line (ETag and the two lengths), the body, then its gzip form if any."""
    zipped = answer.gzipped or b""
    head = json.dumps([answer.etag, len(answer.body), len(zipped) if answer.gzipped is not None else -1])
    return head.encode() + b"\n" + answer.body + zipped


def _read_answer(path: Path) -> Answer | None:
    try:
        data = path.read_bytes()
        head, _, rest = data.partition(b"\n")
        etag, n_body, n_zipped = json.loads(head)
    except (OSError, ValueError):
        return None
    if len(rest) != n_body + max(n_zipped, 0):
        return None
    return Answer(etag, rest[:n_body], rest[n_body:] if n_zipped >= 0 else None)


# --- sending ---------------------------------------------------------------------------------

def cache_key(scope: dict, version: tuple) -> tuple:
    return (scope["path"], scope.get("query_string", b"").decode("latin-1"), version)


class _AnswerResponse(Response):
    """A response whose headers were built with its answer."""

    def __init__(self, status: int, headers: list, body: bytes) -> None:
        self.status_code, self.raw_headers, self.body, self.background = status, headers, body, None


def _request_headers(scope: dict) -> tuple[bytes, bytes]:
    """(If-None-Match, Accept-Encoding) of a request, as sent."""
    inm = enc = b""
    for name, value in scope.get("headers", ()):
        name = name.lower()
        if name == b"if-none-match":
            inm = value
        elif name == b"accept-encoding":
            enc = value
    return inm, enc


def cached(request: Request, build: Callable[[tuple], bytes]) -> Response:
    """The answer for this URL at the store's current version (``build(version)`` makes it
    when missing), with its ETag (304 when the client has it) and gzipped when the client
    takes gzip (compressed once per answer, not per request)."""
    state = request.app.state
    version = request.scope.get("eventscribe.version") or state.versions.current()
    answer = state.cache.get_or_build(cache_key(request.scope, version), lambda: build(version))
    return _AnswerResponse(*answer.reply(*_request_headers(request.scope)))


class CacheFront:
    """ASGI middleware: a list view already answered at the store's current version is sent
    from the cache before routing, dependency injection and parameter validation (which
    cost more than the rest of such a request); anything else goes on to the app. Only
    successful answers are cached, so a hit is an answer to a valid request."""

    def __init__(self, app, state, quick: dict | None = None) -> None:
        self.app = app
        self.state = state  # the app's: its store's versions and its cache
        self.quick = quick or {}  # path -> (state, scope) -> builder of a new answer, or None: ask the app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET" or scope.get("path") not in CACHED_PATHS:
            await self.app(scope, receive, send)
            return
        state = self.state
        try:
            version = state.versions.current()
        except (DBAPIError, StoreUnavailable):  # the app says what is wrong (503)
            await self.app(scope, receive, send)
            return
        scope["eventscribe.version"] = version  # the app's cached() needs not ask again
        key = cache_key(scope, version)
        answer = state.cache.get(key)
        if answer is None:
            answer = self._make(scope, key, version)
        if answer is None:
            await self.app(scope, receive, send)
            return
        status, headers, body = answer.reply(*_request_headers(scope))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def _make(self, scope, key: tuple, version: tuple) -> Answer | None:
        """A new answer made here when the path's quick reader takes the request; None sends
        it on to the app (which also says what is wrong when the database is)."""
        quick = self.quick.get(scope["path"])
        build = quick(self.state, scope) if quick is not None else None
        if build is None:
            return None
        try:
            return self.state.cache.get_or_build(key, lambda: build(version))
        except (DBAPIError, StoreUnavailable):
            return None
