"""The records the API answers with and accepts (pydantic models): they are its OpenAPI
schema. The list views send stored JSON that has the shape of :class:`EventSummary`
(see :mod:`eventscribe.listing`); the other endpoints build these records."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .store import EventValues

MAX_TEXT_CHARS = 1_000_000
NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL; reject it as a bad request


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
                                                      "last one): fast at any depth, and no event is "
                                                      "skipped while events are added or merged (one "
                                                      "that changed behind the position comes again).")
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
