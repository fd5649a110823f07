"""The records that flow between stages: documents in, events out.

Every stage takes and returns these types, never loose dicts, so that the
contract of an event record is written down in exactly one place. The JSON
Schema published in ``docs/event.schema.json`` is generated from
:class:`Event` (``eventscribe schema``).

Offsets (``start``/``end``) are character offsets into :attr:`Document.text`,
end-exclusive, so ``doc.text[span.start:span.end] == span.text`` always holds.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE",
    "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST",
    "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
SECTORS: tuple[str, ...] = (
    "GOV", "MIL", "REB", "CVL", "COP", "JUD", "LEG", "OPP",
    "POL", "MED", "IGO", "NGO", "BUS", "UNK",
)

PloverType = Literal[
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE",
    "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST",
    "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
]
Sector = Literal[
    "GOV", "MIL", "REB", "CVL", "COP", "JUD", "LEG", "OPP",
    "POL", "MED", "IGO", "NGO", "BUS", "UNK",
]
GeoPrecision = Literal["place", "admin1", "country"]
DatePrecision = Literal["day", "week", "month", "year"]


class Record(BaseModel):
    """Base for all records: strict about unknown fields, cheap to copy."""

    model_config = ConfigDict(extra="forbid")

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False):
        """pydantic's shallow ``model_copy`` without its generic steps (a record has no extra
        fields and no private attributes): the same copy, in a third of the time; the stages
        copy records tens of thousands of times a minute."""
        if deep or getattr(self, "__pydantic_private__", None) is not None:
            return super().model_copy(update=update, deep=deep)
        cls = type(self)
        copied = cls.__new__(cls)
        values = self.__dict__.copy()
        fields_set = set(self.__pydantic_fields_set__)
        if update:
            values.update(update)
            fields_set.update(update.keys())
        _set = object.__setattr__
        _set(copied, "__dict__", values)
        _set(copied, "__pydantic_extra__", None)
        _set(copied, "__pydantic_fields_set__", fields_set)
        _set(copied, "__pydantic_private__", None)
        return copied


class Span(Record):
    """Where a value was read: a character range of the document text."""

    start: int
    end: int
    text: str
    sentence: int | None = None  # index of the sentence in the document


class Document(Record):
    """One article as read from a source, before any analysis."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    source: str | None = None  # file path, feed URL, "stdin" ...

    @field_validator("id", "text", "title", "url", "source")
    @classmethod
    def _no_nul(cls, value: str | None) -> str | None:
        """A NUL character (``\\u0000`` in JSON) becomes a space: same offsets, and text that
        PostgreSQL and every downstream tool can store."""
        return value.replace("\x00", " ") if value and "\x00" in value else value


class Sentence(Record):
    """A sentence of a document that survived boilerplate cleaning."""

    index: int
    start: int
    end: int
    text: str


class Actor(Record):
    name: str
    country: str | None = None  # ISO 3166 alpha-3
    sector: Sector = "UNK"
    span: Span | None = None


class Location(Record):
    name: str
    country: str | None = None  # ISO 3166 alpha-3
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: GeoPrecision = "place"
    geonameid: int | None = None
    span: Span | None = None


class DateRange(Record):
    start: dt.date
    end: dt.date
    precision: DatePrecision = "day"
    time: str | None = None  # "16:00 EST" when the text gives a clock time
    span: Span | None = None


class Count(Record):
    """A number of people: "at least 3" -> min 3, max None; "around 40" -> 40..40."""

    min: int | None = None
    max: int | None = None
    span: Span | None = None


class Quantity(Record):
    """Any other count the text gives: "more than 85 targets"."""

    min: float | None = None
    max: float | None = None
    unit: str
    qualifier: str | None = None  # "more than", "at least", "around", "up to" ...
    span: Span | None = None


class Attribution(Record):
    """Who says so: the speaker or publisher of the claim."""

    name: str
    country: str | None = None
    sector: Sector | None = None
    span: Span | None = None


class Evidence(Record):
    """A sentence that reports the event, with the words that triggered it."""

    doc_id: str
    sentence: int
    start: int
    end: int
    text: str
    trigger: Span
    attribution: Attribution | None = None  # who says this sentence


class AcledType(Record):
    event_type: str
    sub_event_type: str


class Event(Record):
    """One event as reported by one document: the stable output contract."""

    id: str
    doc_id: str
    type: PloverType
    mode: str | None = None
    actor: Actor | None = None
    target: Actor | None = None
    locations: list[Location] = Field(default_factory=list)
    date: DateRange | None = None
    fatalities: Count | None = None
    injured: Count | None = None
    arrested: Count | None = None
    quantities: list[Quantity] = Field(default_factory=list)
    negated: bool = False
    hypothetical: bool = False
    attribution: Attribution | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    confidence: float = 0.5
    cameo: str | None = None  # CAMEO root code "01".."20"
    acled: AcledType | None = None
    responds_to: list[str] = Field(default_factory=list)  # ids of events of the same document it answers
    # ids of events of the same document this one is about: "condemned the attack", "denied
    # responsibility for the bombing", "an investigation into the killing"
    refers_to: list[str] = Field(default_factory=list)


class DocumentError(Record):
    """An input that could not be read; reported, never fatal to the others."""

    source: str
    message: str
    doc_id: str | None = None
    line: int | None = None


class DocumentResult(Record):
    """What the extractor returns for one document."""

    document: Document
    events: list[Event] = Field(default_factory=list)
    language: str | None = None  # ISO 639-1 code the gate detected ("en", "de" ...)
    skipped: str | None = None  # why the document gives no events: not English, not political news
    limited: str | None = None  # the document was longer than one document may cost: what was left out
    failed: str | None = None  # the extractor itself failed on this document (an error of ours): what was raised
