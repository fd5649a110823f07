"""Cross-document merge: per-document event mentions become canonical events.

Two kinds of de-duplication live here:

* **Documents** — syndicated near-copies (the same wire story on several
  sites) are found with MinHash LSH (:class:`NearDuplicateIndex`, datasketch)
  and linked with ``documents.duplicate_of``. Their mentions still join events
  (``n_articles``) but are not independent sources (``n_sources``, counts).
* **Events** — :class:`Merger` assigns each new mention to an existing
  canonical event or creates one. It is incremental: a mention is compared
  only with events already in the store, found through an indexed *blocking*
  query (same PLOVER type, start date within ``±window_days``, same country or
  unknown country), so the cost per mention does not grow with the size of
  the store. Candidates are then *scored* (:meth:`Merger.score`):

  ============================  ==============================================
  feature                       effect on the score
  ============================  ==============================================
  place, both have point coords ≤25 km +1.0; ≤``max_km`` +0.4; farther: veto
  place names only              same name +0.8; one name inside the other
                                +0.4; different admin1 or two different
                                town names: veto; other differences -0.8
  date                          overlapping ranges +0.3; else -0.2 per day gap
  actor / target names          +0.6 × token Jaccard; disjoint names -0.2
  fatalities / injured          compatible +0.3; incompatible -0.5
  evidence text                 +1.5 × content-word Jaccard
  ============================  ==============================================

  The best candidate with score ≥ ``threshold`` (1.0) wins. Two attacks on
  the same day in one country but in different cities stay apart: coordinates
  more than ``max_km`` apart veto the pair, and so do different admin1
  regions or two different town names. Country or region centroids are not
  points: they never count as "same place". Two mentions from the same
  document are never merged: the extractor already decided they are
  different events.

Reconciled values follow UCDP GED: for fatalities (and injured) each
*independent* source — a publisher, i.e. URL domain, whose document is not a
syndicated copy — gives one point value (its highest report: the midpoint of
"between 5 and 7", the number of "at least 3"); ``best`` is the median of
these points (rounded half-to-even), ``low`` the smallest lower bound and
``high`` the largest upper bound or open "at least" number. When no
independent source gives a number, copies are used.

Links between events (``event_links``): :func:`find_links` applies a simple
rule to mentions of the same document — a mention whose evidence sentence
says "in response to", "in retaliation for", "in reprisal for", "retaliated"
or "to avenge" *responds_to* another mention of that document whose trigger
word appears after that cue in the same sentence; "after" gives the weaker
relation *follows*. The pipeline can later supply its own hints through
:meth:`eventscribe.store.Store.add_link`.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import NamedTuple

import numpy as np
from sqlalchemy import Connection, and_, bindparam, literal, select, union_all, update

from .model import Count, Event

# --- documents: near-duplicate detection ------------------------------------------

NUM_PERM = 128
MINHASH_SCHEME = "affine32"
SHINGLE_WORDS = 5


def _shingles(text: str, k: int = SHINGLE_WORDS) -> set[bytes]:
    words = re.findall(r"\w+", text.lower())
    if len(words) < k:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i:i + k]).encode() for i in range(len(words) - k + 1)}


def minhash_of(text: str):
    """A MinHash of the word 5-gram shingles of ``text`` (None for empty text)."""
    from datasketch import MinHash

    shingles = _shingles(text)
    if not shingles:
        return None
    m = MinHash(num_perm=NUM_PERM, scheme=MINHASH_SCHEME)
    m.update_batch(list(shingles))
    return m


@functools.lru_cache(maxsize=8)
def lsh_bands(threshold: float = 0.7) -> tuple[int, int]:
    """(bands, rows per band) that datasketch's MinHashLSH would choose for ``threshold``;
    computed once per threshold (datasketch integrates the error probabilities of every
    choice, ~30 ms: it was most of the cost of storing a document)."""
    from datasketch.lsh import _optimal_param

    return _optimal_param(threshold, NUM_PERM, 0.5, 0.5)


def band_keys(m, threshold: float = 0.7) -> list[str]:
    """The LSH band keys of a MinHash: two documents are candidate copies when they share
    one. Stored in the database (``document_bands``, indexed), so that every process that
    writes sees every other's documents: the index is shared, not loaded once per process."""
    import hashlib

    b, r = lsh_bands(threshold)
    values = np.asarray(m.hashvalues, dtype="<u4")
    return [f"{i:02d}{hashlib.blake2b(values[i * r:(i + 1) * r].tobytes(), digest_size=12).hexdigest()}"
            for i in range(b)]


def minhash_to_bytes(m) -> bytes:
    return np.asarray(m.hashvalues, dtype="<u4").tobytes()


def minhash_from_bytes(data: bytes):
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, scheme=MINHASH_SCHEME,
                   hashvalues=np.frombuffer(data, dtype="<u4").astype(np.uint64))


class NearDuplicateIndex:
    """MinHash LSH over original (non-duplicate) documents.

    ``threshold`` is the estimated Jaccard similarity of word 5-gram sets above
    which a document is a syndicated copy; LSH finds candidates, then the
    estimate is checked, so LSH false positives are dropped.
    """

    def __init__(self, threshold: float = 0.7) -> None:
        from datasketch import MinHashLSH

        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._sigs: dict[str, object] = {}

    def __len__(self) -> int:
        return len(self._sigs)

    def add(self, doc_id: str, m) -> None:
        if m is None or doc_id in self._sigs:
            return
        self._lsh.insert(doc_id, m)
        self._sigs[doc_id] = m

    def find(self, m) -> str | None:
        """The most similar stored original above the threshold, if any."""
        if m is None:
            return None
        best, best_sim = None, self.threshold
        for key in self._lsh.query(m):
            sim = m.jaccard(self._sigs[key])
            if sim >= best_sim and (best is None or sim > best_sim or key < best):
                best, best_sim = key, sim
        return best


# --- events: the facts of one mention -----------------------------------------------

PRECISION_RANK = {"place": 0, "admin1": 1, "country": 2, None: 3}

_STOP = frozenset(
    "the a an and or of to in on at for by with from as is was were be been has have had "
    "that this it its their his her they he she said says say after before over into than "
    "who which while during also but not are will would could about more least".split()
)


def content_words(text: str | None) -> frozenset[str]:
    """Lower-cased words of 3+ letters minus common function words."""
    if not text:
        return frozenset()
    return frozenset(w for w in re.findall(r"[^\W\d_]{3,}", text.lower()) if w not in _STOP)


def jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    a, b = set(a), set(b)
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a sphere of radius 6371 km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _norm_name(name: str | None) -> str | None:
    if not name:
        return None
    return " ".join(re.findall(r"\w+", name.lower())) or None


@dataclass(frozen=True)
class MentionFacts:
    """The fields of one mention that blocking and scoring look at (flat, typed)."""

    type: str
    date_start: dt.date | None = None
    date_end: dt.date | None = None
    date_precision: str | None = None
    country: str | None = None
    admin1: str | None = None
    location: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: str | None = None
    mode: str | None = None
    actor: str | None = None
    actor_sector: str | None = None
    target: str | None = None
    target_sector: str | None = None
    fatalities_min: int | None = None
    fatalities_max: int | None = None
    injured_min: int | None = None
    injured_max: int | None = None
    evidence: str | None = None
    doc_id: str | None = None


def facts_from_event(event: Event, published: dt.date | None = None) -> MentionFacts:
    """Flatten a per-document :class:`Event`; the first location is the event's place.

    A mention without a date takes the document's publication date (news
    reports recent events), marked with precision ``"published"``.
    """
    loc = event.locations[0] if event.locations else None
    if event.date is not None:
        d0, d1, dprec = event.date.start, event.date.end, event.date.precision
    elif published is not None:
        d0, d1, dprec = published, published, "published"
    else:
        d0 = d1 = dprec = None
    return MentionFacts(
        type=event.type,
        date_start=d0, date_end=d1, date_precision=dprec,
        country=(loc.country if loc else None) or _actor_country(event),
        admin1=loc.admin1 if loc else None,
        location=loc.name if loc else None,
        lat=loc.lat if loc else None,
        lon=loc.lon if loc else None,
        geo_precision=loc.precision if loc else None,
        mode=event.mode,
        actor=event.actor.name if event.actor else None,
        target=event.target.name if event.target else None,
        actor_sector=_sector(event.actor), target_sector=_sector(event.target),
        fatalities_min=_cmin(event.fatalities), fatalities_max=_cmax(event.fatalities),
        injured_min=_cmin(event.injured), injured_max=_cmax(event.injured),
        evidence=" ".join(e.text for e in event.evidence) or None,
        doc_id=event.doc_id,
    )


def _sector(actor) -> str | None:
    return actor.sector if actor is not None and actor.sector != "UNK" else None


def _actor_country(event: Event) -> str | None:
    # Only used when no location is known: where the actors come from is a
    # weak but useful blocking key (an army usually fights at home or nearby).
    for a in (event.target, event.actor):
        if a is not None and a.country:
            return a.country
    return None


def _cmin(c: Count | None) -> int | None:
    return None if c is None else (c.min if c.min is not None else c.max)


def _cmax(c: Count | None) -> int | None:
    return None if c is None else c.max


def count_point(lo: int | None, hi: int | None) -> float | None:
    """One number for a reported range: "at least 3" -> 3, "5 to 7" -> 6."""
    if lo is None and hi is None:
        return None
    if lo is None:
        return float(hi)
    if hi is None:
        return float(lo)
    return (lo + hi) / 2


@dataclass
class Reconciled:
    low: int | None = None
    best: int | None = None
    high: int | None = None


def reconcile_counts(claims: Sequence[tuple[str, bool, int | None, int | None]]) -> Reconciled:
    """UCDP-style low/best/high from (publisher, independent, min, max) claims.

    Each publisher contributes its highest point value (later reports of the
    same outlet usually update the toll); best is the median over
    publishers, low the smallest lower bound, high the largest upper bound.
    """
    usable = [c for c in claims if c[2] is not None or c[3] is not None]
    indep = [c for c in usable if c[1]] or usable
    if not indep:
        return Reconciled()
    per_source: dict[str, float] = {}
    lows, highs = [], []
    for publisher, _, lo, hi in indep:
        p = count_point(lo, hi)
        per_source[publisher] = max(per_source.get(publisher, p), p)
        lows.append(lo if lo is not None else hi)
        if hi is not None:
            highs.append(hi)
    best = int(round(statistics.median(per_source.values())))
    low = min(lows)
    # "at least 9" has no upper bound but still says the toll reached 9
    high = int(math.ceil(max(highs + lows + [best])))
    low = min(low, best)
    return Reconciled(low=low, best=best, high=high)


# --- events: the merger -------------------------------------------------------------

@dataclass
class MergeConfig:
    """Knobs of the event merge; the defaults are the documented behaviour."""

    window_days: int = 2
    threshold: float = 1.0
    near_km: float = 25.0
    max_km: float = 100.0
    candidate_limit: int = 200


@dataclass
class MergeResult:
    event_id: int
    created: bool
    score: float | None = None
    overrides: str | None = None  # the event's reviewed values, when it existed
    settled: bool = False  # a new event already written with its final values (no recompute)


_UNREAD = object()  # recompute(): the caller did not read the event's overrides


@dataclass
class _Candidate:
    id: int
    facts: MentionFacts
    doc_ids: set[str] = field(default_factory=set)
    overrides: str | None = None  # a reviewer's values (events.overrides), read with the candidate


class Merger:
    """Assigns mentions to canonical events in the store (see module doc)."""

    def __init__(self, tables, config: MergeConfig | None = None) -> None:
        self.t = tables
        self.config = config or MergeConfig()
        self._extras_sql: dict[str, object] = {}  # per database dialect

    # -- scoring --------------------------------------------------------------------

    def score(self, m: MentionFacts, e: MentionFacts) -> float:
        """How strongly mention ``m`` and event ``e`` look like one real event."""
        cfg = self.config
        s = 0.0
        if _point(m) and _point(e):
            d = haversine_km(m.lat, m.lon, e.lat, e.lon)
            if d > cfg.max_km:
                return -math.inf
            s += 1.0 if d <= cfg.near_km else 0.4
        else:
            if m.admin1 and e.admin1 and _norm_name(m.admin1) != _norm_name(e.admin1):
                return -math.inf
            ml, el = _norm_name(m.location), _norm_name(e.location)
            if "country" in (m.geo_precision, e.geo_precision):
                ml = el = None  # the country is a blocking key already: no extra evidence
            if ml and el:
                if ml == el:
                    s += 0.8
                elif ml in el or el in ml:  # "Khan Yunis" / "Khan Yunis camp"
                    s += 0.4
                elif m.geo_precision == "place" and e.geo_precision == "place":
                    return -math.inf  # two named towns, no coordinates: two places
                else:
                    s -= 0.8
        s += _date_score(m, e)
        for a, b in ((m.actor, e.actor), (m.target, e.target)):
            if a and b:
                sim = jaccard(content_words(a) or {a.lower()}, content_words(b) or {b.lower()})
                s += 0.6 * sim - (0.2 if sim == 0 else 0.0)
        for lo1, hi1, lo2, hi2 in ((m.fatalities_min, m.fatalities_max, e.fatalities_min, e.fatalities_max),
                                   (m.injured_min, m.injured_max, e.injured_min, e.injured_max)):
            compat = _counts_compatible(lo1, hi1, lo2, hi2)
            if compat is not None:
                s += 0.3 if compat else -0.5
        s += 1.5 * jaccard(content_words(m.evidence), content_words(e.evidence))
        return s

    # -- statements (built once, executed with parameters: no per-call compiling) ---

    @functools.cached_property
    def _sql(self) -> SimpleNamespace:
        t = self.t
        ev, mt, dc, cl = t.events, t.mentions, t.documents, t.claims
        cols = (ev.c.id, ev.c.date_start, ev.c.date_end, ev.c.country, ev.c.admin1,
                ev.c.location, ev.c.lat, ev.c.lon, ev.c.geo_precision, ev.c.actor, ev.c.target,
                ev.c.fatalities_low, ev.c.fatalities_high, ev.c.injured_low,
                ev.c.injured_high, ev.c.evidence, ev.c.overrides)
        live = ev.c.merged_into.is_(None)  # an event a reviewer merged away takes no mentions
        dated = and_(ev.c.type == bindparam("type"), ev.c.date_start >= bindparam("d0"),
                     ev.c.date_start <= bindparam("d1"), live)
        undated = and_(ev.c.type == bindparam("type"), ev.c.date_start.is_(None), live)
        limit = self.config.candidate_limit

        def cand(where):
            return select(*cols).where(where).order_by(ev.c.id.desc()).limit(limit)

        def either(first, second):
            """Both blocks in one statement, the first one's rows first, each its own
            newest ``limit``: what two queries gave, for one round trip."""
            parts = [select(*cols, literal(k).label("part")).where(w).order_by(ev.c.id.desc()).limit(limit).subquery()
                     for k, w in enumerate((first, second))]
            both = union_all(*(select(*p.c) for p in parts)).subquery()
            return select(*(both.c[c.name] for c in cols)).order_by(both.c.part, both.c.id.desc())

        return SimpleNamespace(
            # "same country" and "country unknown" are two blocks each with its own index
            # lookup (an OR would keep SQLite from using the (type, country, date) index)
            cand_dated_country=either(and_(dated, ev.c.country == bindparam("country")),
                                      and_(dated, ev.c.country.is_(None))),
            cand_dated_any=cand(dated),
            cand_undated_country=either(and_(undated, ev.c.country == bindparam("country")),
                                        and_(undated, ev.c.country.is_(None))),
            cand_undated_any=cand(undated),
            insert_event=ev.insert(),
            attach_mention=update(mt).where(mt.c.id == bindparam("b_mid")).values(event_id=bindparam("b_eid")),
            attach_claims=update(cl).where(cl.c.mention_id == bindparam("b_mid")).values(event_id=bindparam("b_eid")),
            event_claims=select(cl.c.field, cl.c.publisher, cl.c.independent, cl.c.low, cl.c.high)
            .where(cl.c.event_id == bindparam("b_eid")),
            update_event=update(ev).where(ev.c.id == bindparam("b_eid")),
            event_overrides=select(ev.c.overrides).where(ev.c.id == bindparam("b_eid")),
        )

    # -- blocking -------------------------------------------------------------------

    def candidates(self, conn: Connection, m: MentionFacts) -> list[_Candidate]:
        """Events that could be the same as ``m``: indexed queries, never all pairs.

        Blocking keys: same type; start date within ``±window_days`` of the
        mention's range; same country, or no country on either side.
        """
        sql = self._sql
        params: dict = {"type": m.type}
        if m.date_start is not None:
            w = dt.timedelta(days=self.config.window_days)
            params["d0"] = m.date_start - w
            params["d1"] = (m.date_end or m.date_start) + w
            kind = "dated"
        else:
            kind = "undated"
        if m.country:
            params["country"] = m.country
            query = getattr(sql, f"cand_{kind}_country")
        else:
            query = getattr(sql, f"cand_{kind}_any")
        out = []
        for r in conn.execute(query, params):
            out.append(_Candidate(r.id, overrides=r.overrides, facts=MentionFacts(
                    type=m.type, date_start=r.date_start, date_end=r.date_end, country=r.country,
                    admin1=r.admin1, location=r.location, lat=r.lat, lon=r.lon,
                    geo_precision=r.geo_precision, actor=r.actor, target=r.target,
                    fatalities_min=r.fatalities_low, fatalities_max=r.fatalities_high,
                    injured_min=r.injured_low, injured_max=r.injured_high, evidence=r.evidence)))
        return out

    def best_match(self, conn: Connection, m: MentionFacts,
                   exclude: set[int] = frozenset()) -> tuple[int | None, float | None]:
        best, score = self._best(conn, m, exclude)
        return (best.id if best else None), score

    def _best(self, conn: Connection, m: MentionFacts,
              exclude: set[int]) -> tuple[_Candidate | None, float | None]:
        """The best-scoring candidate event at or above the threshold (ties: the first)."""
        best, best_score = None, None
        for cand in self.candidates(conn, m):
            if cand.id in exclude:
                continue
            sc = self.score(m, cand.facts)
            if sc >= self.config.threshold and (best_score is None or sc > best_score):
                best, best_score = cand, sc
        return best, best_score

    # -- writing --------------------------------------------------------------------

    def assign(self, conn: Connection, m: MentionFacts, *, now: dt.datetime,
               exclude: set[int] = frozenset(), first: tuple[MentionRow, list[ClaimRow]] | None = None,
               ) -> MergeResult:
        """The event a mention not yet stored belongs to: its best match, or a new event
        made from it. The caller stores the mention with this ``event_id`` and then, unless
        the result is ``settled``, calls :meth:`recompute` (with ``overrides=result.overrides``).

        ``first``: the mention as it will be stored (its row and claims): a new event is then
        written at once with the values :meth:`recompute` would give it (an event of one
        mention), so it needs no recompute. One write instead of an insert, three reads and
        an update: most mentions of a growing store start an event."""
        best, score = self._best(conn, m, exclude)
        if best is not None:
            return MergeResult(event_id=best.id, created=False, score=score, overrides=best.overrides)
        if first is not None:
            values = event_values([first[0]], first[1], now=now)
            event_id = conn.execute(self._sql.insert_event, dict(values, type=m.type)).inserted_primary_key[0]
            return MergeResult(event_id=event_id, created=True, settled=True)
        event_id = conn.execute(self._sql.insert_event, dict(
            type=m.type, mode=m.mode, date_start=m.date_start, date_end=m.date_end,
            date_precision=m.date_precision, country=m.country, admin1=m.admin1,
            location=m.location, lat=m.lat, lon=m.lon, geo_precision=m.geo_precision,
            actor=m.actor, target=m.target, actor_sector=m.actor_sector,
            target_sector=m.target_sector, evidence=(m.evidence or "")[:2000] or None,
            n_articles=0, n_sources=0, first_seen=now, updated_at=now,
        )).inserted_primary_key[0]
        return MergeResult(event_id=event_id, created=True)

    def merge(self, conn: Connection, mention_id: int, m: MentionFacts, *,
              now: dt.datetime, exclude: set[int] = frozenset()) -> MergeResult:
        """Attach stored mention ``mention_id`` to its best event, or create one.

        ``exclude``: events that already hold a mention of the same document.
        Runs inside the caller's transaction; the event's reconciled values are
        recomputed from its mentions and claims before returning.
        """
        sql = self._sql
        res = self.assign(conn, m, now=now, exclude=exclude)
        conn.execute(sql.attach_mention, {"b_mid": mention_id, "b_eid": res.event_id})
        conn.execute(sql.attach_claims, {"b_mid": mention_id, "b_eid": res.event_id})
        self.recompute(conn, res.event_id, now=now, overrides=res.overrides)
        return res

    def recompute(self, conn: Connection, event_id: int, *, now: dt.datetime,
                  overrides: str | None | object = _UNREAD) -> None:
        """Re-derive an event's canonical fields from all its mentions and claims, then write
        a reviewer's values (``events.overrides``; read here unless the caller has them)
        over them."""
        sql = self._sql
        rows = conn.execute(self._mentions_sql(conn.dialect.name), {"b_eid": event_id}).all()
        if not rows:
            return
        claims = conn.execute(sql.event_claims, {"b_eid": event_id}).all()
        values = event_values(rows, claims, now=now)
        # reviewed values win over what the sources say (eventscribe.review)
        from .review import apply_overrides

        if overrides is _UNREAD:
            overrides = conn.execute(sql.event_overrides, {"b_eid": event_id}).scalar()
        apply_overrides(values, overrides)
        conn.execute(sql.update_event, dict(values, b_eid=event_id))

    def _mentions_sql(self, dialect: str):
        """An event's mentions with their documents' publisher and the fields only their JSON
        records hold (:data:`MENTION_EXTRAS`), oldest first: one query per dialect."""
        if dialect not in self._extras_sql:
            mt, dc = self.t.mentions, self.t.documents
            self._extras_sql[dialect] = select(
                mt.c.mode, mt.c.date_start, mt.c.date_end, mt.c.date_precision, mt.c.country,
                mt.c.admin1, mt.c.location, mt.c.lat, mt.c.lon, mt.c.geo_precision,
                mt.c.actor, mt.c.target, mt.c.actor_sector, mt.c.target_sector,
                mt.c.evidence, mt.c.doc_id, *mention_extras(mt, dialect),
                dc.c.publisher, dc.c.duplicate_of, dc.c.ingested_at,
            ).join(dc, dc.c.id == mt.c.doc_id).where(mt.c.event_id == bindparam("b_eid")).order_by(mt.c.id)
        return self._extras_sql[dialect]


class MentionRow(NamedTuple):
    """One mention as :meth:`Merger.recompute` reads it (the columns of its query)."""

    mode: str | None
    date_start: dt.date | None
    date_end: dt.date | None
    date_precision: str | None
    country: str | None
    admin1: str | None
    location: str | None
    lat: float | None
    lon: float | None
    geo_precision: str | None
    actor: str | None
    target: str | None
    actor_sector: str | None
    target_sector: str | None
    evidence: str | None
    doc_id: str
    actor_country: str | None
    target_country: str | None
    arrested_min: int | None
    arrested_max: int | None
    publisher: str
    duplicate_of: str | None
    ingested_at: dt.datetime


class ClaimRow(NamedTuple):
    """One claim as :meth:`Merger.recompute` reads it."""

    field: str
    publisher: str
    independent: bool
    low: int | None
    high: int | None


def mention_row(facts: MentionFacts, event: Event, *, doc_id: str, publisher: str,
                duplicate_of: str | None, ingested_at: dt.datetime) -> MentionRow:
    """The row the database will give back for a mention stored from ``facts`` and ``event``
    (the extras are what :data:`MENTION_EXTRAS` reads from its JSON record)."""
    arrested = event.arrested
    return MentionRow(
        mode=facts.mode, date_start=facts.date_start, date_end=facts.date_end,
        date_precision=facts.date_precision, country=facts.country, admin1=facts.admin1,
        location=facts.location, lat=facts.lat, lon=facts.lon, geo_precision=facts.geo_precision,
        actor=facts.actor, target=facts.target, actor_sector=facts.actor_sector,
        target_sector=facts.target_sector, evidence=facts.evidence, doc_id=doc_id,
        actor_country=event.actor.country if event.actor else None,
        target_country=event.target.country if event.target else None,
        arrested_min=arrested.min if arrested else None, arrested_max=arrested.max if arrested else None,
        publisher=publisher, duplicate_of=duplicate_of, ingested_at=ingested_at)


def event_values(rows: Sequence, claims: Sequence, *, now: dt.datetime) -> dict:
    """An event's canonical columns from its mentions (oldest first) and their claims."""
    fat = reconcile_counts([(c.publisher, c.independent, c.low, c.high) for c in claims if c.field == "fatalities"])
    inj = reconcile_counts([(c.publisher, c.independent, c.low, c.high) for c in claims if c.field == "injured"])
    dated = [r for r in rows if r.date_start is not None]
    date_row = min(dated, key=lambda r: ((r.date_end - r.date_start).days,
                                         r.date_precision == "published", r.date_start)) if dated else None
    place_row = min(rows, key=lambda r: (PRECISION_RANK.get(r.geo_precision if r.location else None, 3),
                                         r.lat is None))
    publishers = {r.publisher for r in rows if r.duplicate_of is None}
    values = dict(
        mode=_most_common(r.mode for r in rows),
        date_start=date_row.date_start if date_row else None,
        date_end=date_row.date_end if date_row else None,
        date_precision=date_row.date_precision if date_row else None,
        country=_most_common(r.country for r in rows),
        admin1=place_row.admin1 if place_row.location else _most_common(r.admin1 for r in rows),
        location=place_row.location, lat=place_row.lat, lon=place_row.lon,
        geo_precision=place_row.geo_precision,
        actor=_most_telling_name(r.actor for r in rows),
        target=_most_telling_name(r.target for r in rows),
        actor_sector=_most_common(r.actor_sector for r in rows),
        target_sector=_most_common(r.target_sector for r in rows),
        fatalities_low=fat.low, fatalities_best=fat.best, fatalities_high=fat.high,
        injured_low=inj.low, injured_best=inj.best, injured_high=inj.high,
        n_articles=len({r.doc_id for r in rows}),
        n_sources=len(publishers),
        first_seen=min(r.ingested_at for r in rows),
        evidence=" ".join(dict.fromkeys(r.evidence for r in rows[:3] if r.evidence))[:2000] or None,
        updated_at=now,
    )
    values.update(_reconciled_extras(rows))
    return values


def _reconciled_extras(rows) -> dict:
    """The parties' countries (the most common) and the arrests (UCDP-style, like the tolls)
    of an event, from its mentions' rows (:meth:`Merger._mentions_sql`)."""
    arrested = reconcile_counts([(r.publisher, r.duplicate_of is None, r.arrested_min, r.arrested_max)
                                 for r in rows])
    return dict(actor_country=_most_common(r.actor_country for r in rows),
                target_country=_most_common(r.target_country for r in rows),
                arrested_low=arrested.low, arrested_best=arrested.best, arrested_high=arrested.high)


MENTION_EXTRAS = {"actor_country": ("actor", "country"), "target_country": ("target", "country"),
                  "arrested_min": ("arrested", "min"), "arrested_max": ("arrested", "max")}
"""Event fields no column of ``mentions`` holds, read from its JSON record (``mentions.data``)."""


def mention_extras(mentions, dialect: str) -> list:
    """SQL expressions of :data:`MENTION_EXTRAS` for one database: ``json_extract`` on SQLite,
    ``#>>`` on PostgreSQL (the record is text there: cast to JSONB first)."""
    from sqlalchemy import Integer, String, cast, func

    out = []
    for name, path in MENTION_EXTRAS.items():
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import JSONB

            value = cast(mentions.c.data, JSONB)[path].astext
        else:
            value = func.json_extract(mentions.c.data, "$." + ".".join(path))
        out.append(cast(value, Integer if name.startswith("arrested") else String(3)).label(name))
    return out


def _point(f: MentionFacts) -> bool:
    """Coordinates that locate a place; a country's or region's centroid does not."""
    return f.lat is not None and f.lon is not None and f.geo_precision in (None, "place")


def _most_common(values: Iterable) -> object:
    c = Counter(v for v in values if v is not None and v != "")
    return c.most_common(1)[0][0] if c else None


def _most_telling_name(values: Iterable[str | None]) -> str | None:
    """The name most reports give; among names given equally often, a proper name
    ("al-Shabaab", "Kenya Police") before a common noun ("people", "gunmen"), then the first
    reported. An analyst reading three reports that say "fighters", "al-Shabaab" and "people"
    wants the group named, not whichever report came first."""
    c = Counter(v for v in values if v is not None and v != "")
    if not c:
        return None
    return max(c, key=lambda name: (c[name], any(ch.isupper() for ch in name)))


def _date_score(m: MentionFacts, e: MentionFacts) -> float:
    if m.date_start is None or e.date_start is None:
        return 0.0
    m_end, e_end = m.date_end or m.date_start, e.date_end or e.date_start
    gap = max((m.date_start - e_end).days, (e.date_start - m_end).days, 0)
    return 0.3 if gap == 0 else -0.2 * gap


def _counts_compatible(lo1, hi1, lo2, hi2) -> bool | None:
    """None when either side has no number; otherwise do the reports fit one event?

    Tolls grow as bodies are found, so a factor of 3 between point values (or
    overlapping ranges, or an open "at least" bound below the other) is fine.
    """
    p1, p2 = count_point(lo1, hi1), count_point(lo2, hi2)
    if p1 is None or p2 is None:
        return None
    a1, b1 = (lo1 if lo1 is not None else p1), (hi1 if hi1 is not None else math.inf)
    a2, b2 = (lo2 if lo2 is not None else p2), (hi2 if hi2 is not None else math.inf)
    if a1 <= b2 and a2 <= b1:
        return True
    small, big = sorted((p1, p2))
    return big <= 3 * max(small, 1) + 2


# --- links between events -------------------------------------------------------------

_RESPONDS = re.compile(
    r"\b(in (?:response|retaliation|reprisal|revenge) (?:to|for)|retaliat\w*|to avenge|avenging)\b", re.I)
_FOLLOWS = re.compile(r"\b(after|following)\b", re.I)


@dataclass(frozen=True)
class LinkHint:
    """mention index ``src`` relates to mention index ``dst`` (same document)."""

    src: int
    dst: int
    relation: str
    evidence: str


def find_links(events: Sequence[Event]) -> list[LinkHint]:
    """Links stated in one document's text (rule described in the module doc).

    For each mention A and each cue ("in retaliation for", "after" …) in one of
    A's evidence sentences, the first event trigger after the cue in that
    sentence names the other event B; when that trigger is A's own ("After
    the bombing, troops shelled …" seen from the bombing), there is no link.
    """
    triggers = [(x.trigger.start, j) for j, e in enumerate(events) for x in e.evidence]
    triggers.sort()
    hints: list[LinkHint] = []
    seen: set[tuple[int, int]] = set()
    for i, a in enumerate(events):
        for ev in a.evidence:
            for pattern, relation in ((_RESPONDS, "responds_to"), (_FOLLOWS, "follows")):
                for cue in pattern.finditer(ev.text):
                    cue_end = ev.start + cue.end()
                    after = [j for pos, j in triggers if cue_end <= pos < ev.end]
                    if not after or after[0] == i or (i, after[0]) in seen:
                        continue
                    seen.add((i, after[0]))
                    hints.append(LinkHint(i, after[0], relation, ev.text))
    return hints
