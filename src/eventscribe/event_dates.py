"""Which of a sentence's dates dates its event (the dates themselves: :mod:`eventscribe.dates`).

A sentence often holds several dates: the day of the event, the day of the
statement that reports it ("police said on Monday"), the start of a period
("since 2011"), the date of another event in a clause of its own ("a week
after the election on Sunday"). :func:`event_date` picks the one that dates the
event whose trigger it is given; :func:`statement_date` gives the date of the
report, the best bound when nothing else is dated.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import NamedTuple

from .dates import _PREV_LEAD, _RANK, _Hit, _dated, _to_range
from .model import DateRange, Span
from .textfold import Sieved

__all__ = ["event_date", "statement_date", "lasting", "background_sentences"]


# Dates led by these words bound a period ("the worst since 2014", "by Friday")
# rather than date the reported event.
_NOT_EVENT_LEADS = frozenset({"since", "until", "till", "by"})
_REPORTING = re.compile(
    r"\b(?:said|says|say|told|announced|reported|stated|claimed|added|confirmed|according)\b", re.IGNORECASE
)
# "police said on Monday", "told reporters on Monday", "said in a statement on Monday"
_STATEMENT_BEFORE = re.compile(
    r"\b(?:said|says|told|announced|reported|stated|added|confirmed|declared|claimed)"
    r"(?:\s+(?:in|a|an|the|statement|interview|to|reporters|journalists|media|state|television|"
    r"tv|briefing|press|conference|news|him|her|them|us))*\s+(?:on\s+)?$",
    re.IGNORECASE,
)
# a date before the trigger with these between dates another event
_OTHER_EVENT = re.compile(r"\b(?:after|following|before|ahead\s+of)\b", re.IGNORECASE)
# "since" a few words before the date, in the same phrase: "since independence in 1975"
_SINCE_NEAR = re.compile(r"\bsince\s+(?:[a-z][\w'’-]*\s+){1,4}?(?:in|of)\s+$", re.IGNORECASE)
# "since October, when rebels overran the base": the clause after the date happened at that date
_WHEN_AFTER = re.compile(r",?\s+when\b", re.IGNORECASE)
# "the worst fighting since 2012", "for the first time since May": a comparison, not a period
_COMPARATIVE = re.compile(
    r"\b(?:worst|best|biggest|largest|deadliest|bloodiest|highest|lowest|first|last|strongest|"
    r"heaviest|fiercest|greatest|longest|most|least|fewest|time|ever)\b[^,.;:]{0,40}$", re.IGNORECASE)
# a non-restrictive relative clause: ", which has ruled the country since 1975,"
_RELATIVE = re.compile(r",\s*(?:which|who|whose)\b[^,;:]*(?:,|$)", re.IGNORECASE)
_POSSESSIVE = re.compile(r"^(?:'s|’s|')")
# a date used as an adjective of a noun: "the 2021 coup", "Hamas's October 7 attacks"
_ATTRIBUTIVE_BEFORE = re.compile(r"(?:\b(?:the|a|an|its|their|his|her|this|that)|'s|’s)\s+$", re.IGNORECASE)
_LOWER_WORD_AFTER = re.compile(r"^\s+[a-z]")
# "the 2021 coup", "the 2021 military coup": the trigger is the noun the date qualifies (an
# adjective may stand between; "the 2008 war marched" is another noun's date)
_NOUN_GAP = re.compile(r"\s+(?:[\w-]+(?:al|ary|ic|ive|ian|ed|ly)\s+)?")


def event_date(
    text: str,
    published: dt.date | None,
    trigger_start: int | None = None,
    offset: int = 0,
) -> DateRange | None:
    """The date of the event a sentence reports, or None.

    ``trigger_start`` is in the same coordinates as the spans (document
    offsets when ``offset`` is the sentence's start). Rules, in order:

    * dates led by "until"/"till"/"by" bound a period and are skipped; a date
      after "since" ("since early July", "since independence in 1975") starts
      a period that runs to publication: the event's date only when the
      sentence gives no other, and never in a comparison ("the worst since
      2012");
    * dates in a non-restrictive relative clause the trigger is not in
      (", which has ruled since 1975,"), possessive dates of another noun
      ("suspends Thursday's exams") and dates used as adjectives ("opponents of the
      2021 coup") date something else;
    * with a trigger, dates that belong to another clause are skipped: the
      date of a statement ("police said on Monday", "told reporters on
      Monday") unless the trigger is the reporting verb itself; a date before
      the trigger with a reporting verb between ("said on Thursday that
      militants attacked"); a date before the trigger with "after",
      "following", "before" or "ahead of" between ("resigned on Friday, a
      week after police shot dead ...");
    * of the rest, the nearest to the trigger wins, a date before the trigger
      counting at double distance (ties: the more precise, then the earlier);
      without a trigger, the most precise, then the first, statement dates
      last.

    Returns None when no date is left; the caller then falls back to the
    document or neighbouring sentences.
    """
    local_trigger = None if trigger_start is None else trigger_start - offset
    scored = []
    since: list[_Hit] = []
    relatives, facts = _date_facts(text, published)
    if local_trigger is None:
        relatives = ()
    for f in facts:
        ls, le = f.ls, f.le
        if f.since_lead:
            if local_trigger is not None and local_trigger >= le and _WHEN_AFTER.match(text, le):
                scored.append(((local_trigger - le, f.rank, ls), f.hit))  # "since October, when they overran the base"
                continue
            if f.since_ok and not _in_other_clause(relatives, ls, local_trigger):
                since.append(f.hit)
            continue
        if f.period_lead:
            continue
        if _in_other_clause(relatives, ls, local_trigger):
            continue  # "Frelimo, which has ruled since independence in 1975, faces accusations"
        if local_trigger is not None and f.possessive and not le < local_trigger <= le + 30:
            continue  # "suspends Thursday's exams": the date of the exams; "Thursday's clashes" keeps it
        if local_trigger is not None and f.attributive \
                and not (le < local_trigger and _NOUN_GAP.fullmatch(text[le:local_trigger])):
            continue  # "formed by opponents of the 2021 coup, condemned": the date of the coup
        if local_trigger is None:
            scored.append(((1 if f.verb_start is not None else 0, f.rank, ls), f.hit))
            continue
        if f.verb_start is not None and not f.verb_start <= local_trigger < ls:
            continue
        if local_trigger < ls:
            if published is not None and f.hit.start > published and _OTHER_EVENT.search(text[local_trigger:ls]):
                continue  # "clashed with police, weeks before elections due later this year": the vote's
            dist = ls - local_trigger
        elif local_trigger >= le:
            between = text[le:local_trigger]
            if _REPORTING.search(between) or _inside_other_event(between):
                continue
            dist = 2 * (local_trigger - le + 1)
        else:
            dist = 0
        scored.append(((dist, f.rank, ls), f.hit))
    if not scored:
        return _since_range(_to_range(text, since[0], offset), published) if since else None
    return _to_range(text, min(scored, key=lambda item: item[0])[1], offset)


class _DateFacts(NamedTuple):
    """What a sentence says around one of its dates, whichever trigger asks."""

    hit: _Hit
    ls: int
    le: int
    rank: int
    since_lead: bool  # "since July", "since independence in 1975": the start of a period
    since_ok: bool  # ... and not a comparison ("the worst since 2012")
    period_lead: bool  # "until", "till", "by": a bound
    possessive: bool  # "Thursday's"
    attributive: bool  # "the 2021 coup": an adjective of the noun after it
    verb_start: int | None  # where "said on" / "told reporters on" starts before the date, if it does


@functools.lru_cache(maxsize=4096)
def _date_facts(text: str, published: dt.date | None) -> tuple[tuple[tuple[int, int], ...], tuple[_DateFacts, ...]]:
    """The sentence's dates with what their context says, read once per sentence: each trigger of
    the sentence asks for its event's date, and only the distance to the trigger is its own."""
    relatives = tuple(m.span() for m in _RELATIVE.finditer(text))
    facts = []
    for h in _dated(text, published):
        ls, le = h.s, h.e
        prev = _PREV_LEAD.search(text[:ls])
        lead = prev.group(1).lower() if prev else None
        since_lead = lead == "since" or (lead not in _NOT_EVENT_LEADS and _SINCE_NEAR.search(text[max(0, ls - 50):ls]))
        stmt = _STATEMENT_BEFORE.search(text[max(0, ls - 60):ls])
        if stmt is None and _DATELINE_BEFORE.match(text[:ls]) and _DATELINE_AFTER.match(text, le):
            stmt = _DATELINE_BEFORE.match(text[:ls])  # "LAGOS, March 4 (Reuters) -": the day it was filed
        facts.append(_DateFacts(
            hit=h, ls=ls, le=le, rank=_RANK[h.precision], since_lead=bool(since_lead),
            since_ok=bool(since_lead) and not _COMPARATIVE.search(text[:_since_at(text, ls)]),
            period_lead=lead in _NOT_EVENT_LEADS, possessive=_POSSESSIVE.match(text[le:]) is not None,
            attributive=bool(_ATTRIBUTIVE_BEFORE.search(text[max(0, ls - 8):ls]) and _LOWER_WORD_AFTER.match(text[le:])),
            verb_start=max(0, ls - 60) + stmt.start() if stmt else None))
    return relatives, tuple(facts)


# A dateline's date ("LAGOS, March 4 (Reuters) - Gunmen abducted ... on Thursday") is the day the
# story was filed: like a statement's date, it bounds the event but dates it only when the
# sentence gives no other date
_DATELINE_BEFORE = re.compile(r"^\W*[A-Z][A-Z .'’-]+(?:,\s*[A-Z][\w .'’-]+)?,\s*$")
_DATELINE_AFTER = re.compile(r"\s*(?:\([^)\n]{1,30}\))?\s*[-–—:]")


def _inside_other_event(between: str) -> bool:
    """Is the trigger inside an "after/before/following ..." clause that stands between it and
    the date ("resigned on Friday, a week after police shot dead ...": Friday is not the
    shooting's)? Not when that clause has closed before the trigger ("In 2020, ... before a
    ceasefire was mediated by Moscow, which sent troops": 2020 dates the sending)."""
    last = None
    for last in _OTHER_EVENT.finditer(between):
        pass
    return last is not None and not re.search(r"[,;:]", between[last.end():])


def _since_at(text: str, ls: int) -> int:
    """Where the "since" before a date starts."""
    m = list(re.finditer(r"\bsince\b", text[:ls], re.IGNORECASE))
    return m[-1].start() if m else ls


def _in_other_clause(relatives: list[tuple[int, int]], ls: int, trigger: int | None) -> bool:
    return trigger is not None and any(s <= ls < e and not s <= trigger < e for s, e in relatives)


def _since_range(r: DateRange, published: dt.date | None) -> DateRange:
    """ "have been protesting since early July", "suspended since Thursday": the period from
    the date to publication (to the date's own end when undated)."""
    end = max(r.end, published) if published is not None and published >= r.start else r.end
    days = (end - r.start).days
    precision = "day" if days < 1 else "week" if days <= 7 else "month" if days <= 31 else "year"
    return r.model_copy(update={"end": end, "precision": precision, "time": None})


def statement_date(text: str, published: dt.date | None, offset: int = 0) -> DateRange | None:
    """The date of the statement that reports an event ("announced on October 21 that ...").

    The event happened on or before it: the best bound when the sentence
    dates nothing else.
    """
    for f in _date_facts(text, published)[1]:
        if f.verb_start is not None:
            return _to_range(text, f.hit, offset)
    return None


# "a 10-month blockade", "the nine-month siege", "a six-week war", "a two-year-long
# insurgency": an event noun that gives its own length lasted that long up to its date.
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_DURATION_BEFORE = re.compile(
    r"\b(?P<n>\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")[\s-]+(?P<unit>week|month|year)s?(?:[\s-]+long)?"
    r"[\s-]+(?:[a-z]+\s+)?$", re.IGNORECASE)


def lasting(text: str, trigger: int, date: DateRange | None, published: dt.date | None,
            offset: int = 0) -> DateRange | None:
    """The period an event noun says it lasted ("imposed a 10-month blockade"): the given number
    of weeks, months or years up to the event's date (else publication), or None when the words
    before the trigger (``trigger``: its offset in ``text``) give no length."""
    m = _DURATION_BEFORE.search(text[max(0, trigger - 40):trigger])
    if m is None:
        return None
    end = date.end if date is not None else published
    if end is None:
        return None
    raw = m.group("n").lower()
    n = _NUMBER_WORDS.get(raw) or int(raw)
    unit = m.group("unit").lower()
    if unit == "week":
        start = end - dt.timedelta(weeks=n)
    else:
        months = n * (12 if unit == "year" else 1)
        y, mo = divmod(end.year * 12 + end.month - 1 - months, 12)
        start = dt.date(y, mo + 1, 1)
    at = max(0, trigger - 40) + m.start()
    phrase = text[at:max(0, trigger - 40) + m.end()].rstrip()
    return DateRange(start=start, end=end, precision=unit,
                     span=Span(start=offset + at, end=offset + at + len(phrase), text=phrase))


# "that same year", "the following year", "two years later": the sentence tells the past
_THEN = Sieved(re.compile(r"\b(?:(?:that|the)(?:\s+same)?|the\s+(?:following|next|previous))\s+year\b|"
                          r"\b(?:a|\w+)\s+years?\s+(?:later|earlier)\b",
                          re.IGNORECASE), ("year",))  # only a sentence with "year" is searched
_PAST_MARGIN = dt.timedelta(days=31)
# a sentence that carries the story forward from the past: "In the following years, ...", "Since then"
_MOVES_ON = re.compile(r"\W*(?:in\s+the\s+(?:following|next|years|months|decades)\b|since\b|now\b|today\b|"
                       r"currently\b|this\s+(?:week|month|year)\b)", re.IGNORECASE)


def background_sentences(texts: list[str], published: dt.date | None) -> frozenset[int]:
    """Indices of sentences about the past: those that say so ("the group captured Goma that
    same year") and an undated sentence right after one whose dates all lie more than a month
    before publication ("In 2020 the two fought a war. A ceasefire brokered by Moscow ended
    it."). Their undated events take no news date (a story's background is not the day's news)."""
    if published is None:
        return frozenset()
    out: set[int] = set()
    past = False  # the sentence before dates only the past
    for i, text in enumerate(texts):
        dates = _dated(text, published)  # what find_dates reads, without a record for each date
        if _THEN.search(text) or (past and not dates and not _MOVES_ON.match(text)):
            out.add(i)
        past = bool(dates) and all(d.end < published - _PAST_MARGIN and not _starts_period(text, d.s)
                                   and _dates_the_sentence(text, d.s) for d in dates)
    return frozenset(out)


def _dates_the_sentence(text: str, start: int) -> bool:
    """ "In 2020, ...", "the latest in 2020": a date (starting at ``start``) of the clause, not of
    one noun ("suspected of the March 2012 bombing" dates the bombing, the sentence may be
    today's news)."""
    before = text[:start].rstrip(" ,")
    prev = re.search(r"(\w+)$", before)
    return prev is None or prev.group(1).lower() in ("in", "during", "on")


def _starts_period(text: str, start: int) -> bool:
    """ "has ruled since independence in 1975": a period up to now, no past of its own."""
    prev = _PREV_LEAD.search(text[:start])
    return (prev is not None and prev.group(1).lower() in _NOT_EVENT_LEADS) or \
        bool(_SINCE_NEAR.search(text[max(0, start - 50):start]))
