"""The list views of the API (``GET /api/events``, ``/api/timeline``): fast on a big store.

What makes a page cheap:

- **Stored summaries.** Each event keeps its values as JSON in ``events.summary``
  (:func:`eventscribe.store.write_summaries`, run on every event write); a page is those
  strings joined, with no record built or validated per row and per request.
- **Statements built once per filter shape.** Which filters are present (not their values)
  decides the SQL; the statements of a shape are built once and executed with parameters.
- **Keyset pages.** A page names the next one by a cursor (the last event's start date and
  id): the database seeks to it through the date index instead of counting past ``offset``
  rows. ``offset`` is still accepted. The cursor also carries a watermark, the newest change
  the walk has seen: a merge or a review can move an event the walk has not reached yet to a
  date it has passed, so the next page first brings the events changed since the watermark
  that now sit behind the position (through the ``updated_at`` index). Writers stamp
  ``updated_at`` in commit order (:func:`eventscribe.store.write_stamp`, inside the write
  lock), so whatever commits after a watermark was read has a later stamp. A walk thus skips
  no event; one that changed during it may come twice, the later copy current.
- **Totals kept per store version** (:meth:`~eventscribe.store.Store.version`, which
  changes on every ingest or merge): the next page of a filter does not count again. Whole
  answers are kept per version too, with their ETag and gzip form: :mod:`eventscribe.answers`.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from types import SimpleNamespace

from sqlalchemy import Integer, and_, bindparam, false, func, or_, select

from .store import Store, events, summary_columns, summary_json

CURSOR_PATTERN = r"^(\d{4}-\d{2}-\d{2})?_\d{1,10}(\.\d{20}(-\d{1,10})?)?$"
_STAMP = "%Y%m%d%H%M%S%f"  # a watermark's time in a cursor: 20 digits
WATERMARK_ALL = 2**31 - 1  # a watermark's id when every change at its time has been seen


# --- filters ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Filters:
    """The filters of a list view, already checked. ``located``: events with coordinates
    only (GeoJSON); ``empty``: a window that holds nothing (``since`` after ``until``)."""

    since: dt.date | None = None
    until: dt.date | None = None
    type: str | None = None
    country: str | None = None
    actor: str | None = None
    located: bool = False
    empty: bool = False
    review: str | None = None  # eventscribe.review.REVIEW_FILTERS; None: all but the rejected

    def shape(self) -> tuple[str, ...]:
        """Which filters are set: what the SQL depends on (the values are parameters; the
        review filter, one of a few words, is part of the shape)."""
        names = ("since", "until", "type", "country", "actor")
        return tuple(n for n in names if getattr(self, n)) + tuple(
            n for n in ("located", "empty") if getattr(self, n)) + (f"review={self.review or 'default'}",)

    def params(self) -> dict:
        out: dict = {}
        if self.since:
            out["f_since"] = self.since
        if self.until:
            out["f_until"] = self.until
        if self.type:
            out["f_type"] = self.type.upper()
        if self.country:
            out["f_country"] = self.country.upper()
        if self.actor:
            out["f_actor"] = "%" + self.actor.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        return out

    def conditions(self, dialect: str | None = None) -> list:
        """The WHERE clauses with their values (for queries run once per version); the
        database's dialect name lets them use its cheaper forms."""
        return conditions(self.shape(), dialect, self.params())


def conditions(shape: tuple[str, ...], dialect: str | None = None, values: dict | None = None) -> list:
    """WHERE clauses of a filter shape — the meaning of :meth:`Store.iter_events`' filters:
    ``since``/``until`` select events whose date range overlaps the window, ``actor`` is a
    case-insensitive substring of the actor or the target (``%`` and ``_`` taken literally).
    With ``values`` the parameters carry them; without, they are bound at execution.

    On SQLite ``actor LIKE`` is already case-insensitive (for ASCII, as its ``lower()`` is),
    and without ``lower()`` the count is read from the (actor, target, date_start) index
    alone: 50 ms -> 15 ms on 100k events."""
    ev = events.c

    def p(name: str, type_=None):
        return bindparam(name, values[name]) if values is not None else bindparam(name, type_=type_)

    conds = []
    if "since" in shape:
        conds.append(ev.date_end >= p("f_since", ev.date_end.type))
    if "until" in shape:
        conds.append(ev.date_start <= p("f_until", ev.date_start.type))
    if "type" in shape:
        conds.append(ev.type == p("f_type", ev.type.type))
    if "country" in shape:
        conds.append(ev.country == p("f_country", ev.country.type))
    if "actor" in shape:
        pat = p("f_actor", ev.actor.type)
        fold = (lambda col: col) if dialect == "sqlite" else func.lower
        conds.append(or_(fold(ev.actor).like(pat, escape="\\"), fold(ev.target).like(pat, escape="\\")))
    if "located" in shape:
        conds += [ev.lat.is_not(None), ev.lon.is_not(None)]
    if "empty" in shape:
        conds.append(false())
    from .review import review_conditions

    review = next((n.partition("=")[2] for n in shape if n.startswith("review=")), "default")
    conds += review_conditions(review)
    return conds


@functools.lru_cache(maxsize=256)
def statements(shape: tuple[str, ...], dialect: str) -> SimpleNamespace:
    """The statements of one filter shape, built once: the totals, and a page by offset or
    after a cursor, for dated events (ordered by start date, id) and undated ones (by id).
    On SQLite each also as its SQL text and constant parameters (``raw``), which
    :class:`Reading` runs through the driver."""
    ev = events.c
    where = and_(True, *conditions(shape, dialect))
    cols = select(ev.id, ev.date_start, ev.lat, ev.lon, ev.summary)
    lim, off = bindparam("p_limit", type_=Integer), bindparam("p_offset", type_=Integer)
    c_date, c_id = bindparam("c_date", type_=ev.date_start.type), bindparam("c_id", type_=Integer)
    dated = cols.where(where, ev.date_start.is_not(None)).order_by(ev.date_start, ev.id)
    undated = cols.where(where, ev.date_start.is_(None)).order_by(ev.id)
    count = select(func.count(), func.count(ev.date_start)).where(where)
    index = _counting_index(shape) if dialect == "sqlite" else None
    out = SimpleNamespace(
        count=_indexed_by(count, index) if index else count,
        dated_offset=dated.limit(lim).offset(off),
        undated_offset=undated.limit(lim).offset(off),
        # ">= date" lets both databases seek the date index; the OR then drops the ids of
        # that date already sent
        dated_after=dated.where(ev.date_start >= c_date, or_(ev.date_start > c_date, ev.id > c_id)).limit(lim),
        undated_after=undated.where(ev.id > c_id).limit(lim),
        # events changed after the walk's watermark that now sit behind its position (their
        # date moved, or a merge dated them earlier): the next page brings them again
        moved_dated=_moved(cols, where, lim, or_(ev.date_start < c_date, and_(ev.date_start == c_date, ev.id <= c_id))),
        moved_undated=_moved(cols, where, lim, or_(ev.date_start.is_not(None), ev.id <= c_id)),
    )
    out.raw = None
    if dialect == "sqlite":
        # the changes after a watermark are few: read them through the updated_at index (the
        # planner took the type or country index and sorted, 1.6 ms instead of 0.1)
        out.raw = {name: _sqlite_text(stmt, "ix_events_updated_at" if name.startswith("moved") else None)
                   for name, stmt in vars(out).items() if name not in ("count", "raw")}
        out.raw["count"] = _sqlite_text(count, index)
    return out


def _moved(cols, where, lim, behind):
    ev = events.c
    w_time, w_id = bindparam("w_time", type_=ev.updated_at.type), bindparam("w_id", type_=Integer)
    return (cols.add_columns(ev.updated_at)
            .where(where, behind, or_(ev.updated_at > w_time, and_(ev.updated_at == w_time, ev.id > w_id)))
            .order_by(ev.updated_at, ev.id).limit(lim))


def _sqlite_text(stmt, index: str | None = None) -> tuple[str, dict]:
    """A statement as SQLite text with named parameters, and the values of its constant
    ones; ``index``: the index SQLite is told to use (SQLAlchemy renders no hints for it)."""
    from sqlalchemy.dialects import sqlite

    compiled = stmt.compile(dialect=sqlite.dialect(paramstyle="named"))
    sql = str(compiled)
    if index:
        sql = sql.replace("FROM events", f"FROM events INDEXED BY {index}", 1)
    return sql, {k: v for k, v in compiled.params.items() if v is not None}


def _counting_index(shape: tuple[str, ...]) -> str | None:
    """The partial index of the listed events that holds every column a count of this shape
    reads, where SQLite's planner does not pick it itself: without a filter on the index's
    first column it scans the table instead (35 ms on 100k events against 5 ms for the index
    without a filter, 38 against 12 for an actor)."""
    if "review=default" not in shape:
        return None
    rest = set(shape) - {"review=default"}
    return {frozenset(): "ix_events_live_date", frozenset({"actor"}): "ix_events_live_actors"}.get(frozenset(rest))


def _indexed_by(query, index: str):
    """The query as SQLite text that names the index to use; its parameters keep their names."""
    from sqlalchemy import text

    return text(_sqlite_text(query, index)[0])


# --- cursors --------------------------------------------------------------------------------

def encode_cursor(date_start: dt.date | str | None, event_id: int,
                  watermark: tuple[dt.datetime, int] | None = None) -> str:
    """``2022-03-01_51234`` (after event 51234 of that day) or ``_51234`` (among undated);
    the date as a date or as SQLite stores it (ISO text). With a watermark, ``.`` and the
    time of the newest change the walk has seen (``-ID``: and the event of that time up to
    which changes were sent), so the next page can bring events changed since then."""
    day = date_start.isoformat() if isinstance(date_start, dt.date) else (date_start or "")
    if watermark is None:
        return f"{day}_{event_id}"
    when, upto = watermark
    return f"{day}_{event_id}.{when.strftime(_STAMP)}" + ("" if upto == WATERMARK_ALL else f"-{upto}")


def decode_cursor(cursor: str) -> tuple[dt.date | None, int, tuple[dt.datetime, int] | None]:
    """The position a cursor names and its watermark (None in a cursor without one);
    ValueError when it is not one."""
    if not re.match(CURSOR_PATTERN, cursor):
        raise ValueError(f"not a cursor: {cursor!r}")
    place, _, mark = cursor.partition(".")
    day, _, event_id = place.partition("_")
    watermark = None
    if mark:
        when, _, upto = mark.partition("-")
        watermark = (dt.datetime.strptime(when, _STAMP), int(upto) if upto else WATERMARK_ALL)
    return (dt.date.fromisoformat(day) if day else None), int(event_id), watermark


def _as_datetime(value) -> dt.datetime:
    """A stored time as a datetime (SQLite's driver gives the text SQLAlchemy wrote)."""
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)


# --- pages ----------------------------------------------------------------------------------

@dataclass
class Page:
    total: int
    rows: list  # (id, date_start, lat, lon, summary JSON)
    next_offset: int | None
    next_cursor: str | None


class Reading:
    """The queries of one list answer, in one read transaction (total and rows agree). On
    SQLite they run through the driver: rows are plain tuples, dates ISO text, and no result
    object is built per row (a third of a 1000-event page's query time went there)."""

    def __init__(self, conn) -> None:
        self.conn = conn
        self.sqlite = conn.dialect.name == "sqlite"
        self._driver = None
        if self.sqlite:
            conn.begin()  # BEGIN (store._sqlite_begin), ended by the pool's rollback
            self._driver = conn.connection.driver_connection

    def all(self, sql: SimpleNamespace, name: str, params: dict) -> list:
        if self._driver is None:
            return [tuple(r) for r in self.conn.execute(getattr(sql, name), params).all()]
        text, constants = sql.raw[name]
        values = {k: _sqlite_value(v) for k, v in params.items()}
        return self._driver.execute(text, {**constants, **values}).fetchall()

    def pairs(self) -> list[tuple]:
        """(actor, target, events, dated events) of the listed events, on SQLite."""
        return self._driver.execute(_PAIRS_SQL).fetchall()


def _sqlite_value(value):
    """A parameter as SQLAlchemy stores it on SQLite (dates and times as ISO text)."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


_PAIRS_SQL = ("SELECT actor, target, count(*), count(date_start) FROM events INDEXED BY ix_events_live_actors "
              "WHERE merged_into IS NULL AND review_status != 'rejected' GROUP BY actor, target")
MAX_PAIRS = 50_000  # distinct (actor, target) pairs kept per store version; past it the database counts
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class TotalsCache:
    """(total, dated) per filter and store version: a deep page or the next page of a
    filter does not count the table again.

    An actor filter alone is counted from the distinct (actor, target) pairs of the listed
    events (SQLite), read once per version: scanning the actor index with two LIKEs took
    13 ms on 100k events per actor asked, the pairs take 10 ms once, then a Python substring
    test per pair (LIKE's meaning on SQLite: case folded for ASCII letters only)."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._items: OrderedDict[tuple, tuple[int, int]] = OrderedDict()
        self._lock = threading.Lock()
        self._pairs: tuple[tuple, list | None] | None = None  # (version, pairs or None: too many)

    def get(self, reading: Reading, filters: Filters, version: tuple) -> tuple[int, int]:
        key = (filters, version)
        with self._lock:
            found = self._items.get(key)
        if found is None:
            found = self._count(reading, filters, version)
            with self._lock:
                self._items[key] = found
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        return found

    def _count(self, reading: Reading, filters: Filters, version: tuple) -> tuple[int, int]:
        shape = filters.shape()
        if reading.sqlite and shape == ("actor", "review=default") and version:
            pairs = self._pairs_of(reading, version)
            if pairs is not None:
                return count_in_pairs(pairs, filters.actor)
        return tuple(reading.all(statements(shape, reading.conn.dialect.name), "count", filters.params())[0])

    def _pairs_of(self, reading: Reading, version: tuple) -> list | None:
        with self._lock:
            if self._pairs is not None and self._pairs[0] == version:
                return self._pairs[1]
        rows = reading.pairs()
        pairs = [(a.translate(_ASCII_LOWER) if a is not None else None,
                  t.translate(_ASCII_LOWER) if t is not None else None, n, d)
                 for a, t, n, d in rows] if len(rows) <= MAX_PAIRS else None
        with self._lock:
            self._pairs = (version, pairs)
        return pairs


def count_in_pairs(pairs: list[tuple], actor: str) -> tuple[int, int]:
    """(events, dated) whose actor or target holds ``actor``, as the SQL filter finds them on
    SQLite: the pattern is ``actor.lower()``, LIKE compares ASCII letters in either case and
    other characters exactly, ``%`` and ``_`` literally (the pairs' names are ASCII-folded)."""
    needle = actor.lower()
    total = dated = 0
    for a, t, n, d in pairs:
        if (a is not None and needle in a) or (t is not None and needle in t):
            total += n
            dated += d
    return total, dated


def query_page(store: Store, filters: Filters, *, limit: int, offset: int = 0,
               cursor: tuple[dt.date | None, int] | None = None, version: tuple = (),
               totals: TotalsCache | None = None) -> Page:
    """One page in the store's order (oldest first, undated last), by offset or after a
    cursor, with the total and the cursor of the next page."""
    sql = statements(filters.shape(), store.engine.dialect.name)
    params = filters.params()
    with store.engine.connect() as conn:
        q = Reading(conn)
        total, dated = (totals.get(q, filters, version) if totals is not None
                        else tuple(q.all(sql, "count", params)[0]))
        if cursor is None:
            rows = []
            if offset < dated:
                rows = q.all(sql, "dated_offset", {**params, "p_limit": limit, "p_offset": offset})
            if len(rows) < limit and offset + len(rows) < total:
                rows += q.all(sql, "undated_offset", {**params, "p_limit": limit - len(rows),
                                                     "p_offset": max(0, offset - dated)})
            more = offset + len(rows) < total
            next_offset = offset + len(rows) if more else None
        else:
            c_date, c_id, watermark = (*cursor, None)[:3]
            moved = _moved_rows(q, sql, params, limit, c_date, c_id, watermark)
            want = limit - len(moved) + 1  # one more tells whether a next page exists
            rows = []
            if want > 1 and c_date is not None:
                rows = q.all(sql, "dated_after", {**params, "p_limit": want, "c_date": c_date, "c_id": c_id})
            if 1 < want and len(rows) < want:
                rows += q.all(sql, "undated_after", {**params, "p_limit": want - len(rows),
                                                    "c_id": c_id if c_date is None else 0})
            more = len(rows) >= want
            rows = rows[:want - 1]
            next_offset = None
        rows = _with_summaries(conn, rows)
    if cursor is None:
        last = rows[-1] if rows else None
        return Page(total=total, rows=rows, next_offset=next_offset,
                    next_cursor=encode_cursor(last[1], last[0], _watermark(version)) if more and last else None)
    return _cursor_page(total, moved, rows, more, (c_date, c_id), limit, version)


def _moved_rows(q, sql, params: dict, limit: int, c_date, c_id: int, watermark) -> list:
    """Events changed since the walk's watermark that now sit behind its position, oldest
    change first (none for a cursor without a watermark)."""
    if watermark is None:
        return []
    name = "moved_dated" if c_date is not None else "moved_undated"
    w_time, w_id = watermark
    values = {**params, "p_limit": limit, "w_time": w_time, "w_id": w_id}
    if c_date is not None:
        values["c_date"] = c_date
    return q.all(sql, name, {**values, "c_id": c_id})


def _cursor_page(total: int, moved: list, rows: list, more: bool, position: tuple, limit: int,
                 version: tuple) -> Page:
    """A page asked by cursor: the changed events that moved behind the position first, then
    the events after it. A page filled by moved events keeps the position and moves the
    watermark to the last of them; else the position moves on and the watermark is the
    version's newest change."""
    moved_rows = [r[:5] for r in moved]
    if len(moved) >= limit:
        last = moved[-1]
        mark = (_as_datetime(last[5]), last[0])
        return Page(total=total, rows=moved_rows, next_offset=None, next_cursor=encode_cursor(*position, mark))
    last = rows[-1] if rows else None
    after = (last[1], last[0]) if last else position
    nxt = encode_cursor(*after, _watermark(version)) if more else None
    return Page(total=total, rows=moved_rows + rows, next_offset=None, next_cursor=nxt)


def _watermark(version: tuple) -> tuple[dt.datetime, int] | None:
    """The newest change of a store version (:meth:`Store.version`'s last item), every event
    changed at that time included; None when the version does not say (tests, empty store)."""
    when = version[2] if len(version) >= 3 else None
    if when is None:
        return None
    try:
        return _as_datetime(when), WATERMARK_ALL
    except (TypeError, ValueError):
        return None


def _with_summaries(conn, rows) -> list:
    """Rows whose summary is missing (written by an older version, or straight into the
    table) get it built from their columns."""
    missing = [r[0] for r in rows if r[4] is None]
    if not missing:
        return rows
    built = {r.id: summary_json(r) for r in conn.execute(select(*summary_columns()).where(events.c.id.in_(missing)))}
    return [(r[0], r[1], r[2], r[3], r[4] if r[4] is not None else built[r[0]]) for r in rows]


def page_json(page: Page, *, limit: int, offset: int | None, geojson: bool) -> bytes:
    """The answer of ``/api/events``: an EventPage or an EventFeatureCollection, assembled
    from the stored summaries (the response models document it; nothing is re-validated)."""
    head = json.dumps({"total": page.total, "limit": limit, "offset": offset,
                       "next_offset": page.next_offset, "next_cursor": page.next_cursor})
    if geojson:
        items = ",".join(
            f'{{"type":"Feature","id":{eid},"geometry":{{"type":"Point","coordinates":[{lon!r},{lat!r}]}},'
            f'"properties":{summary}}}' for eid, _, lat, lon, summary in page.rows)
        return f'{{"type":"FeatureCollection",{head[1:-1]},"features":[{items}]}}'.encode()
    items = ",".join(r[4] for r in page.rows)
    return f'{head[:-1]},"events":[{items}]}}'.encode()
