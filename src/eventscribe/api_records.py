"""The API's reads of one record (an event with its sources, a stored article with its
spans, the timeline of a filter) and the conversion of posted documents for ingest."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

from sqlalchemy import and_, func, or_, select

from .api_models import (ClaimOut, DocumentIn, DocumentOut, DocumentSpan, EventDetail, EventSummary, EvidenceOut,
                         HistoryEntry, IngestOutcome, LinkedEvent, MentionOut, TextSpan, Timeline, TimelineDay)
from .listing import Filters
from .model import Document, DocumentError
from .review import history as review_history
from .store import Store, TABLES, reviewed_fields

T = TABLES


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
