"""Which event a casualty count belongs to: the count-bearing types (an attack or a riot
carries the dead and wounded, a COERCE the arrests), running totals over a period that are
no one event's toll, and counts of the attackers themselves.

The last seam of the counts stage: :mod:`eventscribe.numbers` reads what a number says,
:mod:`eventscribe.counts` which casualty word it counts, this module whether an event may
carry it (used by :mod:`eventscribe.extract` and :mod:`eventscribe.merge`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .model import Count
from .numbers import _alt, _lex

__all__ = ["KEYS", "COUNT_HOSTS", "hosts_count", "may_kill", "running_total", "period_toll", "counts_perpetrators",
           "approximate"]

KEYS = ("fatalities", "injured", "arrested")
# The event types each count belongs to: people killed or hurt are counted on the attack or
# the riot, arrests on the COERCE event (a curfew imposed "amid unrest that killed 100"
# carries no death toll of its own).
COUNT_HOSTS = {"fatalities": ("ASSAULT", "PROTEST"), "injured": ("ASSAULT", "PROTEST"), "arrested": ("COERCE",)}
# A protest carries the dead and wounded only when the protesters are the violent side (a
# riot, a mob); those killed at a peaceful march were killed by someone: an ASSAULT.
_VIOLENT_PROTEST_MODES = frozenset({"riot", "mob"})


@lru_cache(maxsize=1)
def _period_patterns() -> tuple[re.Pattern, re.Pattern]:
    lex = _lex()
    cumulative = re.compile(r"\b(?:" + "|".join(lex["cumulative_cues"]) + r")\b", re.IGNORECASE)
    doers = re.compile(rf"\b(?:{_alt(lex['perpetrator_nouns'])})\b", re.IGNORECASE)
    return cumulative, doers


@lru_cache(maxsize=1)
def _aggregate_patterns() -> tuple[re.Pattern, re.Pattern]:
    lex = _lex()
    periods = re.compile(r"\b(?:" + "|".join(lex["aggregate_periods"]) + r")\b", re.IGNORECASE)
    nouns = re.compile(rf"\b(?:{_alt(lex['aggregate_nouns'])})\b", re.IGNORECASE)
    return periods, nouns


@lru_cache(maxsize=1)
def _war_subject() -> re.Pattern:
    """A whole war or violence at large as the doer of a toll: "The war has killed more than
    40,000", "the conflict, which began in 2011, has killed", "a wave of violence that has left"."""
    nouns = _alt([*_lex()["war_nouns"], "violence", "bloodshed"])
    return re.compile(
        rf"\b(?:{nouns})(?:'s|’s)?(?:\s*,[^,;.]{{0,60}},)?\s+(?:(?:that|which)\s+)?(?:(?:has|have|had)\s+)?"
        rf"(?:(?:now|so\s+far|already|reportedly|since)\s+)?(?:killed|left|claimed|cost)\b[^.;]{{0,30}}$", re.IGNORECASE)


def _war_toll(text: str, start: int, end: int) -> bool:
    """Is the count at ``start:end`` the toll of a whole war ("The insurgency has killed
    thousands")? A war is no one event; its toll is background to the news."""
    head = max(text.rfind(ch, 0, start) for ch in ";.!?")
    return bool(_war_subject().search(text, head + 1, min(end, start + 12)))


@lru_cache(maxsize=1)
def _toll_period() -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(_lex()["toll_periods"]) + r")\b", re.IGNORECASE)


_TOLL_WORD = re.compile(r"\b(?:toll|number\s+of)\b", re.IGNORECASE)


def _tally_toll(span_text: str) -> bool:
    """ "the death toll from bombings in the city this month to 45": a toll phrase that names
    many acts over a stretch of days is their tally."""
    return bool(_TOLL_WORD.search(span_text) and _aggregate_patterns()[1].search(span_text)
                and _toll_period().search(span_text))


def _aggregate(window: str) -> bool:
    """ "More than 2,500 people were killed in gang violence last year", "Attacks by the group
    have killed 300 people in the past decade": violence as a whole (or many acts) over a year
    or more is a tally of many events. "Killed in a bombing last year" is that bombing's toll."""
    periods, nouns = _aggregate_patterns()
    return bool(nouns.search(window)) and any(not _superlative_before(window, m.start())
                                              for m in periods.finditer(window))


def running_total(sentence: str) -> bool:
    """Does the sentence give a toll over a period ("at least 10 people have been killed since
    Monday", "in the past three weeks", "since the war began") rather than one attack's?"""
    return any(not _superlative_before(sentence, m.start()) for m in _period_patterns()[0].finditer(sentence))


_SUPERLATIVE = re.compile(r"\b(?:\w+est|worst|most\s+\w+|first|biggest|largest|highest)\b(?:\s+[\w-]+){0,3}\s*$",
                          re.IGNORECASE)


def _superlative_before(text: str, pos: int) -> bool:
    """ "the deadliest attack since 2019", "the worst violence in recent years": a record
    compared with a period, not a toll over it."""
    return bool(_SUPERLATIVE.search(text[max(0, pos - 50):pos]))


_CLAUSE_END = re.compile(r"[;.!?]|,(?!\d{3})")


def _period_clause(text: str, start: int, end: int) -> bool:
    """Is the count at ``start:end`` a running total ("whose insurgency has killed more than
    40,000 people since 2009", "More than 3,600 people have been killed so far this year",
    "Since the start of the war, 500 people have died")? The period phrase must lie in the
    count's own sentence before it, or in its clause after it (up to the next comma):
    "killing 14 people, the deadliest attack since 2019" compares, it does not total."""
    stop = _CLAUSE_END.search(text, end)
    window_end = stop.start() if stop else len(text)
    head = max(text.rfind(ch, 0, start) for ch in ";.!?")
    window = text[head + 1:window_end]
    offset = head + 1
    perfect = bool(_PERFECT.search(text[max(0, start - 40):end]))
    if _aggregate(window) or _war_toll(text, start, end):
        return True
    return any(perfect or not _superlative_before(text, offset + m.start())
               for m in _period_patterns()[0].finditer(window))


# "have been killed", "has killed", "which have left 79 people dead": a toll that has grown
# over a period (with a period phrase, whatever compares with it: "the deadliest since ...")
_PERFECT = re.compile(r"\b(?:have|has)\s+(?:now\s+|so\s+far\s+|already\s+)?(?:been\s+|left\s+|killed\b|died\b|claimed\b)",
                      re.IGNORECASE)


def period_toll(sentence: str, key: str, count: Count, offset: int = 0) -> bool:
    """Is this count of ``key`` in the sentence (as :func:`casualties` gave it, at ``offset``)
    a running total of the dead or wounded over a period rather than the toll of one event?
    See :func:`_period_clause`. Arrests over a period ("police have detained 300 people since
    the protests began") are the crackdown's own count, which is coded as one event."""
    if key == "arrested":
        return False
    if count.span is None:
        return running_total(sentence)
    return _tally_toll(count.span.text) or _period_clause(sentence, count.span.start - offset, count.span.end - offset)


def counts_perpetrators(count: Count) -> bool:
    """Is the count one of attackers ("all 30 attackers were killed", "two gunmen were shot
    dead")? Their deaths are no toll of the attack they carried out."""
    return count.span is not None and bool(_period_patterns()[1].search(count.span.text))


# Force that is not meant to kill: a death toll reported apart from it ("At least two were
# killed") was taken by some other act, not by the tear gas or water cannon.
_NONLETHAL_MODES = frozenset({"crowd-control"})


def may_kill(key: str, mode: str | None) -> bool:
    """Can an event of this mode be the one a toll reported in another sentence counts?"""
    return key != "fatalities" or mode not in _NONLETHAL_MODES


def hosts_count(key: str, event_type: str, mode: str | None) -> bool:
    """Can an event of this type and mode carry a count of ``key``?"""
    if event_type not in COUNT_HOSTS[key]:
        return False
    return event_type != "PROTEST" or mode in _VIOLENT_PROTEST_MODES


@lru_cache(maxsize=1)
def _approx_words() -> re.Pattern:
    return re.compile(rf"\b(?:{_alt(_lex()['qualifiers']['approx'])})\b", re.IGNORECASE)


def approximate(count: Count) -> bool:
    """ "around 2,800", "nearly 30": a best estimate, less than a stated range ("between 2,750
    and 2,800") says."""
    return count.span is not None and bool(_approx_words().search(count.span.text))
