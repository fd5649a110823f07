"""The review endpoints of the API (issue 12): included by :func:`eventscribe.api.create_app`.

``POST  /api/events/{id}/review``   accept, reject or reopen (``{"action", "note"?}``)
``PATCH /api/events/{id}``          set reviewed values (``{"fields": {...}, "note"?}``)
``POST  /api/events/{id}/revert``   drop reviewed values (``{"fields": [columns], "note"?}``)
``POST  /api/events/{id}/merge``    merge another event into this one (``{"other", "note"?}``)
``POST  /api/events/{id}/split``    move mentions into a new event (``{"mentions": [ids], "note"?}``)
``GET   /api/events/{id}/history``  the review records of the event
``GET   /api/review/queue``         unreviewed events, what most needs a person first
``GET   /api/review/me``            the reviewer a token belongs to
``GET   /api/places/candidates``    gazetteer places for the place picker (by name or a point)

Writes need a reviewer's token with write rights (checked by the guard before the body is
read); every change is a review record with the reviewer's name. The actions themselves are
:mod:`eventscribe.review`; this module only translates HTTP to them and back.
"""

from __future__ import annotations

import contextlib
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, HTTPException, Path as PathParam, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from . import review
from .api import (ERRORS, MAX_ID, NO_NUL, WRITE_ERRORS, EventDetail, EventSummary, FilterDep, HistoryEntry,
                  StoreDep, _bearer, _summary, _utc, query_event_detail, require_token)

router = APIRouter()
EventId = Annotated[int, PathParam(ge=1, le=MAX_ID)]
ReviewerDep = Annotated[str, Depends(require_token)]
REVIEW_WRITE_ERRORS = {**WRITE_ERRORS, 404: ERRORS[404]}
Note = Annotated[str | None, Field(None, max_length=5000, pattern=NO_NUL,
                                   description="Why: kept in the review record.")]


class ReviewActionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Literal["accept", "reject", "reopen"] = Field(
        description="accept: the event is right (as reviewed); reject: not an event (hidden from lists, "
                    "map and exports); reopen: back to unreviewed.")
    note: Note = None


class EditIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fields: dict[str, Any] = Field(
        min_length=1,
        description="Columns to set: " + ", ".join(review.EDITABLE) + "; or the shortcuts place "
                    "({name, country, admin1, lat, lon}: a gazetteer candidate or a map click), date "
                    "(YYYY-MM-DD or {start, end, precision}), actor/target ({name, country, sector}), "
                    "fatalities/injured/arrested (a number, null, or {low, best, high}). Null clears a value.")
    note: Note = None


class RevertIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fields: list[str] = Field(min_length=1, max_length=len(review.EDITABLE),
                              description="Reviewed columns to give back to the sources.")
    note: Note = None


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    other: int = Field(ge=1, le=MAX_ID, description="The event merged into this one (it is marked merged_into).")
    note: Note = None


class SplitIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mentions: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        min_length=1, max_length=1000, description="mention_id values of the mentions to move into a new event.")
    note: Note = None


class SplitOut(BaseModel):
    event: EventDetail = Field(description="The original event, re-reconciled (its reviewed values kept).")
    new_event: EventDetail = Field(description="The new event made of the mentions split out.")


class QueueEvent(EventSummary):
    priority: float = Field(description="Higher: needs a person more (data/review_queue.yaml).")
    reasons: list[str] = Field(description="low confidence, sources disagree: <fields>, high toll, actor/target "
                                           "not in dictionaries, place only a country, no place, single source.")
    confidence: float | None = Field(None, description="The best extraction confidence of its mentions.")


class ReviewQueue(BaseModel):
    events: list[QueueEvent]
    scanned: int = Field(description=f"Unreviewed events ranked (the newest {review.QUEUE_SCAN} that match).")


class PlaceCandidate(BaseModel):
    name: str
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: str
    geonameid: int | None = None
    population: int | None = None
    km: float | None = Field(None, description="Distance from the point asked for (lat/lon queries).")


class ReviewerOut(BaseModel):
    name: str
    role: Literal["write", "read"]


@contextlib.contextmanager
def _review_errors():
    """The review module's errors in the API's shape: 422 for a bad request, 404 for an unknown id."""
    try:
        yield
    except review.EventNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    except review.ReviewError as exc:
        raise HTTPException(422, str(exc)) from None


def _detail(store, event_id: int) -> EventDetail:
    found = query_event_detail(store, event_id)
    if found is None:
        raise HTTPException(404, f"no event with id {event_id}")
    return found


def _write(request: Request, action):
    with request.app.state.write_lock, _review_errors():
        return action()


def _write_and_show(request: Request, store, event_id: int, action) -> EventDetail:
    """Run one review action under the write lock, then answer with the event as it now is."""
    _write(request, action)
    return _detail(store, event_id)


@router.post("/api/events/{event_id}/review", response_model=EventDetail, responses=REVIEW_WRITE_ERRORS,
             tags=["review"], summary="Accept, reject or reopen an event")
def review_event(request: Request, store: StoreDep, reviewer: ReviewerDep, event_id: EventId,
                 body: Annotated[ReviewActionIn, Body()]):
    """Sets ``review_status`` (accepted, rejected, unreviewed) and writes a review record.
    Rejected events are hidden from lists, the map and exports (``review=all`` shows them)."""
    return _write_and_show(request, store, event_id, lambda: review.set_status(store, event_id, body.action, reviewer, body.note))


@router.patch("/api/events/{event_id}", response_model=EventDetail, responses=REVIEW_WRITE_ERRORS,
              tags=["review"], summary="Correct an event's values")
def edit_event(request: Request, store: StoreDep, reviewer: ReviewerDep, event_id: EventId,
               body: Annotated[EditIn, Body()]):
    """Reviewed values win: they are shown by the API, the map and exports, and re-applied
    whenever new mentions merge into the event. Bad values (unknown type, mode of another type,
    a country that is not ISO 3166, a negative count, low > high) are 422 and change nothing.
    Two reviewers editing one field: the later wins; both are in the history."""
    return _write_and_show(request, store, event_id, lambda: review.edit(store, event_id, body.fields, reviewer, body.note))


@router.post("/api/events/{event_id}/revert", response_model=EventDetail, responses=REVIEW_WRITE_ERRORS,
             tags=["review"], summary="Give reviewed fields back to the sources")
def revert_event(request: Request, store: StoreDep, reviewer: ReviewerDep, event_id: EventId,
                 body: Annotated[RevertIn, Body()]):
    """The named columns lose their reviewed value and are reconciled from the mentions again."""
    return _write_and_show(request, store, event_id, lambda: review.revert(store, event_id, body.fields, reviewer, body.note))


@router.post("/api/events/{event_id}/merge", response_model=EventDetail, responses=REVIEW_WRITE_ERRORS,
             tags=["review"], summary="Merge another event into this one")
def merge_event(request: Request, store: StoreDep, reviewer: ReviewerDep, event_id: EventId,
                body: Annotated[MergeIn, Body()]):
    """The other event's mentions, claims and links move here; it is marked ``merged_into``
    (hidden from lists; its detail still answers). Reviewed values of this event stay; the
    other's fill fields this one has none for. History on both."""
    return _write_and_show(request, store, event_id, lambda: review.merge(store, event_id, body.other, reviewer, body.note))


@router.post("/api/events/{event_id}/split", response_model=SplitOut, responses=REVIEW_WRITE_ERRORS,
             tags=["review"], summary="Split mentions out into a new event")
def split_event(request: Request, store: StoreDep, reviewer: ReviewerDep, event_id: EventId,
                body: Annotated[SplitIn, Body()]):
    """The given mentions (``mention_id`` of the event detail) become a new event; both are
    re-reconciled, the reviewed values stay on this one."""
    new_id = _write(request, lambda: review.split(store, event_id, body.mentions, reviewer, body.note))
    return SplitOut(event=_detail(store, event_id), new_event=_detail(store, new_id))


@router.get("/api/events/{event_id}/history", response_model=list[HistoryEntry], responses=ERRORS,
            tags=["review"], summary="What reviewers did to an event")
def event_history(store: StoreDep, event_id: EventId):
    """Review records, oldest first: reviewer, time, action, field, old and new value, note."""
    with store.engine.connect() as conn:
        from sqlalchemy import select

        from .store import TABLES

        if conn.execute(select(TABLES.events.c.id).where(TABLES.events.c.id == event_id)).first() is None:
            raise HTTPException(404, f"no event with id {event_id}")
        records = review.history(store, event_id, conn)
    return [HistoryEntry(id=h.id, reviewer=h.reviewer, at=_utc(h.at), action=h.action, field=h.field,
                         old=h.old, new=h.new, note=h.note) for h in records]


@router.get("/api/review/queue", response_model=ReviewQueue, responses=ERRORS, tags=["review"],
            summary="Events that most need a person")
def review_queue(store: StoreDep, filters: FilterDep,
                 limit: Annotated[int, Query(ge=1, le=1000, description="Events to return.")] = 50):
    """Unreviewed events, highest ``priority`` first, with the ``reasons``; the filters of
    /api/events apply (reviewed events are never in the queue)."""
    from sqlalchemy import select

    from .store import TABLES

    items, scanned = review.queue(store, filters.conditions(), limit=limit)
    ids = [i.event_id for i in items]
    with store.engine.connect() as conn:
        from .api import _SUMMARY_COLUMNS

        rows = {r.id: r for r in conn.execute(select(*_SUMMARY_COLUMNS).where(TABLES.events.c.id.in_(ids)))} if ids else {}
    events = [QueueEvent(**_summary(rows[i.event_id]).model_dump(), priority=i.priority, reasons=i.reasons,
                         confidence=i.confidence) for i in items if i.event_id in rows]
    return ReviewQueue(events=events, scanned=scanned)


@router.get("/api/review/me", response_model=ReviewerOut,
            responses={401: WRITE_ERRORS[401]}, tags=["review"], summary="Who a token belongs to")
def whoami(request: Request, creds=Depends(_bearer)):
    """The reviewer of the Bearer token sent (401 without a known token): the page shows who
    is reviewing and whether they may write."""
    found = request.app.state.reviewers.find(creds.credentials if creds else None)
    if found is None:
        raise HTTPException(401, "missing or wrong token", headers={"WWW-Authenticate": "Bearer"})
    return ReviewerOut(name=found.name, role=found.role)


@router.get("/api/places/candidates", response_model=list[PlaceCandidate], responses=ERRORS,
            tags=["review"], summary="Gazetteer places for the place picker")
def place_candidates(
    q: Annotated[str | None, Query(min_length=1, max_length=200, pattern=NO_NUL,
                                   description="A place name (exact matches first, then names starting with it).")] = None,
    country: Annotated[str | None, Query(max_length=100, pattern=NO_NUL, description="Only places in this country.")] = None,
    lat: Annotated[float | None, Query(ge=-90, le=90, description="With lon: the places nearest a map click.")] = None,
    lon: Annotated[float | None, Query(ge=-180, le=180)] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
):
    """Candidates with name, country, admin1, lat, lon, precision and population, from the
    offline gazetteer (geonames towns of 5,000+, regions, countries)."""
    if country is not None:
        from .countries import UnknownCountry, resolve_country

        try:
            country = resolve_country(country)
        except UnknownCountry as exc:
            raise HTTPException(422, f"query parameter 'country': {exc}") from None
    with _review_errors():
        return [PlaceCandidate(**c) for c in review.place_candidates(q, country=country, lat=lat, lon=lon,
                                                                      limit=limit)]
