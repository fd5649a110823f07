"""Counts in news sentences: casualties, arrests, crowd sizes and other quantities.

The counts stage in three seams: :mod:`eventscribe.numbers` reads what a number phrase says
("1,200", "twenty-one", "a dozen"); this module which casualty word of a sentence a number
counts, and as what; :mod:`eventscribe.tolls` whether an event may carry the count (the
types that host it, running totals over a period, counts of the attackers). Quantities and
crowd sizes are computed in :mod:`eventscribe.quantities` from the number phrases read
here. This module re-exports the public names of all three.

A hand-written grammar over regular expressions: numbers (digits, "1,200",
"1.5 million", words such as "twenty-one", "a dozen", vague words such as
"dozens") with their qualifiers ("at least", "more than", "around", "up to",
"between 5 and 7"), attached to casualty words by position. Word lists live in
``data/counts_lexicon.yaml``. Every function is pure and takes well under a
millisecond per sentence.

Semantics (the event-record contract):

Counts of people (:class:`~eventscribe.model.Count`, used by :func:`casualties`
and :func:`crowd_size`) are integer bounds, ``None`` meaning open:

* exact "3", "three", "a dozen" -> 3..3, 12..12; "a policeman", "one person",
  "the driver", "he" -> 1..1.
* "around/about/approximately/roughly/some/an estimated/close to N" -> N..N: the
  number is the best estimate.
* "nearly/almost/just under N" -> None..N: close to N but not more (as our gold
  annotators code it).
* "at least / no fewer than N" -> N..None.
* "more than / over / upwards of / in excess of N" -> N+1..None (strictly more).
* "up to / as many as / at most / no more than N" -> None..N. The minimum is
  ``None`` (unknown), not 0: "up to 50 killed" does not say anyone died.
* "fewer than / less than / under N" -> None..N-1.
* "between 5 and 7", "5-7", "5 to 7", "five or six" -> 5..7 (qualifiers ignored).
* Vague words give a lower bound: "dozens" 24, "scores" 40, "hundreds" 200,
  "thousands" 2000, "tens of thousands" 20000, "hundreds of thousands" 200000,
  "millions" 2000000 (max None). "several", "a few", "many" give no count.
* "no one was hurt", "nobody was injured" -> injured 0..0 and fatalities 0..0
  (no one hurt means no one killed); "no one was killed" -> fatalities 0..0;
  "no one was arrested" -> arrested 0..0; "no casualties" / "no reports of
  casualties" -> fatalities and injured 0..0; "no injuries" -> injured 0..0.
  A zero only fills a key for which the sentence gives no other count.
* "N casualties" is ambiguous (killed or wounded) and gives no count; so does "N were
  killed or wounded".
* A toll over a period ("has killed 40,000 people since 2009", "so far this year") is read,
  but :func:`period_toll` tells the attaching stages that it is no one event's toll.

Which count belongs to which key, in a sentence with several:

* The first casualty word (by position) that has a count attached decides a
  key; later counts for the same key are ignored. So "killed 5 militants and
  lost 2 soldiers" -> 5, and "Five more were killed, bringing the death toll to
  31" -> 5 (the new deaths the sentence reports, not the running total).
* Counts of a subset ("including 2 women", "among them 3 children", "four
  children were among the dead", "two of the wounded") are never taken.
* Conjoined subjects or objects add up: "two soldiers and three civilians were
  killed" -> 5; "killed himself and five others" -> 6; "killed himself" -> 1.
* A count attaches to a transitive casualty verb as its object ("killing 6
  civilians", "police detained 40 protesters", "arrested dozens") or, when the
  verb is passive, intransitive or headline-style, as its subject ("three
  soldiers were killed", "12 people died", "4 dead and 11 wounded", "20
  wounded"). "the death toll rose to 31" reads the number after "toll".
* Ages ("a 5-year-old", "aged 25"), years, dates, clock times, money,
  percentages and labels ("Tower 22", "Resolution 2334") are never counts.

Quantities (:class:`~eventscribe.model.Quantity`, :func:`quantities`) keep the
number as written and the qualifier as text, without the +1/-1 of people
counts: "more than 85 targets" -> min 85, max None, unit "targets",
qualifier "more than"; "up to 50 drones" -> None..50 "up to"; "around 300
rockets" -> 300..300 "around"; "dozens of rockets" -> 24..None, qualifier
"dozens". The unit is the noun phrase after the number, up to 3 words, ending
at its (last) plural noun ("precision munitions", "aircraft carriers"). Money
takes an ISO 4217 unit ("$2 billion in aid" -> 2e9 "USD"). Casualty counts and
time spans ("three days") are not quantities; crowd counts ("3,000
protesters") are both a quantity and a crowd size.

Spans cover the number with its qualifier and the casualty word ("three
American soldiers were killed", "killing 6 civilians", "death toll rose to
31"); offsets are relative to the string passed in plus ``offset``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


from .dates import date_time_spans
from .model import Count, Span
from .numbers import _DIGITS, _NO_BEFORE, _NOT_AFTER, _WORDNUM, _Num, _alt, _lex, _one_value, parse_number
from .tolls import (COUNT_HOSTS, KEYS, counts_perpetrators, hosts_count, period_toll,  # noqa: F401  (re-exported)
                    running_total)

__all__ = ["parse_number", "casualties", "quantities", "crowd_size", "running_total", "period_toll",
           "counts_perpetrators"]

# --------------------------------------------------------------------------
# Number phrases
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Grammar:
    num: re.Pattern
    qual_kind: dict[str, str]
    vague: dict[str, int]
    person_sing: re.Pattern
    person_any: re.Pattern
    zero_subj: re.Pattern
    zero_phrases: tuple[tuple[re.Pattern, tuple[str, ...]], ...]
    triggers: re.Pattern
    trigger_info: dict[str, tuple[str, str]]
    currencies: dict[str, str]
    currency_words: re.Pattern
    non_units: frozenset[str]
    non_person: frozenset[str]
    measure_units: frozenset[str]
    crowd_noun: re.Pattern
    crowd_verb: re.Pattern
    protest: re.Pattern
    crowd_specific: frozenset[str]
    name_stop: frozenset[str]
    titles: frozenset[str]
    allegation: re.Pattern
    bare_subject: re.Pattern
    bare_object: re.Pattern


# words that open a noun phrase with its own count or determiner: no bare headline noun follows
_DETS = (r"a|an|the|his|her|their|its|our|one|two|three|four|five|six|seven|eight|nine|ten|another|"
         r"this|that|these|those|some|many|several|dozens|hundreds|no|every|each|all|both|any|\d[\d,]*")


def _plural(noun: str) -> list[str]:
    """Regular English plurals of a (possibly multi-word) person noun."""
    *head, last = noun.split()
    pre = " ".join(head) + (" " if head else "")
    if last == "person":
        return [pre + "people", pre + "persons"]
    if last.endswith("man"):
        return [pre + last[:-3] + "men"]
    if last == "child":
        return [pre + "children"]
    if last == "wife":
        return [pre + "wives"]
    if last in ("passer-by", "passerby"):
        return ["passers-by", "passersby"]
    if last.endswith("y") and last[-2:-1] not in "aeiou":
        return [pre + last[:-1] + "ies"]
    if last.endswith(("s", "sh", "ch", "x")):
        return [pre + last + "es"]
    return [pre + last + "s"]


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    lex = _lex()
    quals = lex["qualifiers"]
    qual_kind = {" ".join(q.split()): kind for kind, qs in quals.items() for q in qs}
    vague = {" ".join(k.split()): int(v) for k, v in lex["vague"].items()}
    qual_re = _alt(qual_kind)
    vague_re = _alt(vague)
    one = rf"(?:{_DIGITS}|{_WORDNUM})"
    # the second number of a range or "between" may follow a hyphen: "5-7"
    inner = rf"(?:{_DIGITS.replace('(?P<cur>', '(?:').replace(_NO_BEFORE, '')}|{_WORDNUM})"
    num = re.compile(
        rf"(?:\bbetween\s+(?P<a>{inner})\s+and\s+(?P<b>{inner}){_NOT_AFTER}"
        rf"|(?:\b(?P<qual>{qual_re})\s+)?(?:(?P<vague>\b(?:{vague_re})\b)"
        rf"|(?P<n>{one}){_NOT_AFTER}(?:\s*(?:-|–|\bto\b|\bor\b)\s*(?P<n2>{inner}){_NOT_AFTER})?))",
        re.IGNORECASE,
    )
    sing = list(lex["person_singular"])
    plur = [p for n in sing for p in _plural(n)] + list(lex["person_plural_extra"])
    sing_re = _alt(sing)
    person_sing = re.compile(
        rf"\b(?:(?P<det>an?|one|another|the|his|her|their|its|(?-i:[A-Z])[\w-]*(?:'s|’s|'|’))\s+"
        rf"(?:(?!(?:an?|the|on|in|of|at|by|and|or|to|for|with|was|were|is)\b)[\w'’-]+\s+){{0,3}}?"
        rf"(?:\d+-year-old(?:\s+(?:{sing_re}))?|{sing_re})\b(?!-)"
        rf"|(?P<pron>he|she|himself|herself|him)\b)",
        re.IGNORECASE,
    )
    person_any = re.compile(
        rf"\b(?i:{_alt(plur + sing)})\b|\b\d+-year-olds?\b|\b[A-Z][a-z]+(?:is|ns|es|ts|ks|ds|rs|gs|os|hs)\b",
    )
    zero = lex["zero"]
    zero_subj = re.compile(rf"\b(?:{_alt(zero['subjects'])})\b", re.IGNORECASE)
    zero_phrases = tuple(
        (re.compile(rf"\b(?:{rx})\b", re.IGNORECASE), tuple(keys)) for rx, keys in zero["phrases"].items()
    )
    info: dict[str, tuple[str, str]] = {}
    for key, kinds in lex["triggers"].items():
        for kind, words in kinds.items():
            for w in words or ():
                info.setdefault(" ".join(w.lower().split()), (key, kind))
    triggers = re.compile(rf"\b(?:{_alt(info)})\b", re.IGNORECASE)
    cur = lex["currencies"]
    currency_words = re.compile(
        rf"^\s*(?:(?:US|U\.S\.|American|Canadian|Australian)\s+)?(?P<w>{_alt([c for c in cur if c[0].isalpha()])})\b",
        re.IGNORECASE,
    )
    crowd_nouns = list(lex["crowd_nouns"])
    return _Grammar(
        num=num, qual_kind=qual_kind, vague=vague,
        person_sing=person_sing, person_any=person_any,
        zero_subj=zero_subj, zero_phrases=zero_phrases,
        triggers=triggers, trigger_info=info,
        currencies=cur, currency_words=currency_words,
        non_units=frozenset(w.lower() for w in lex["non_units"]),
        non_person=frozenset(w.lower() for w in lex["non_person_heads"]),
        name_stop=frozenset(w.lower() for w in lex["name_stop"]),
        titles=frozenset(w.lower() for n in [*lex["person_singular"], *lex["title_words"]] for w in n.split()),
        measure_units=frozenset(w.lower() for w in lex["measure_units"]),
        bare_subject=re.compile(
            rf"^\s*(?!(?:a|an|the|his|her|their|its|our|this|that|one|another)\b)(?:[\w'’-]+\s+){{0,3}}?"
            rf"(?:{sing_re})\b(?=\s+(?:(?:reportedly|allegedly|apparently|feared|found|believed)\s+)?(?:{_alt(info)})\b)",
            re.IGNORECASE),
        bare_object=re.compile(
            rf"^\s+(?!(?:{_DETS})\b)(?:(?-i:[a-z])[\w'’-]*\s+){{0,2}}?(?:{sing_re})\b"
            rf"(?=\s*(?:$|[,.;:]|(?:in|at|on|near|after|as|during|over|from|for|who|while|and)\b))", re.IGNORECASE),
        allegation=re.compile(rf"\b(?:{_alt(lex['allegation_cues'])})\s+(?:(?:the|a|an)\s+)?$", re.IGNORECASE),
        crowd_noun=re.compile(rf"^\s+(?:more\s+)?(?:of\s+)?(?:[\w'-]+\s+){{0,2}}?(?P<noun>{_alt(crowd_nouns)})\b", re.IGNORECASE),
        crowd_verb=re.compile(rf"^\s+(?:more\s+|people\s+|others\s+)?(?:(?:have|had|has)\s+)?(?:{_alt(lex['crowd_verbs'])})\b", re.IGNORECASE),
        protest=re.compile(rf"\b(?:{_alt(lex['protest_words'])})\b", re.IGNORECASE),
        crowd_specific=frozenset(n for n in crowd_nouns if n not in {
            "people", "students", "workers", "residents", "farmers", "teachers", "women",
            "citizens", "youths", "pensioners", "miners", "doctors", "nurses", "employees",
            "members", "fans", "worshippers", "supporters", "opponents"}),
    )


def _num_from_match(m: re.Match, text: str) -> _Num | None:
    g = _grammar()
    if m["a"] is not None:
        lo, _ = _one_value(m["a"])
        hi, _ = _one_value(m["b"])
        if lo is None or hi is None or hi < lo:
            return None
        return _Num(m.start(), m.end(), lo, hi, "range", None)
    qual = " ".join(m["qual"].lower().split()) if m["qual"] else None
    if m["vague"] is not None:
        v = g.vague[" ".join(m["vague"].lower().split())]
        vq = " ".join(m["vague"].lower().split())
        return _Num(m.start(), m.end(), v, None, "vague", vq if qual is None else f"{qual} {vq}")
    value, cur = _one_value(m["n"])
    if value is None:
        return None
    if m["n2"] is not None:
        hi, _ = _one_value(m["n2"])
        sep = text[m.end("n"):m.start("n2")]
        if hi is None or hi < value or (hi > 10 * value and "or" not in sep.lower()):
            # "5 to 70" is odd; keep the first number only
            return _Num(m.start(), m.end("n"), value, value, g.qual_kind.get(qual) if qual else None, qual, cur)
        return _Num(m.start(), m.end(), value, hi, "range", qual, cur)
    return _Num(m.start(), m.end(), value, value, g.qual_kind.get(qual) if qual else None, qual, cur)


_PREV_WORD = re.compile(r"([\w.#]+)\s*$")
_LABEL_PREV = frozenset({"aged", "age", "ages", "no.", "no", "number", "#", "article", "resolution",
                         "chapter", "section", "page", "route", "highway", "flight", "paragraph"})
_SUBSET = re.compile(r"(?:including|among\s+them|among\s+whom|of\s+whom|among\s+the\s+dead\s+were|"
                     r"mostly|mainly|most\s+of\s+them)\s*$", re.IGNORECASE)


@lru_cache(maxsize=512)
def _numbers(text: str) -> tuple[_Num, ...]:
    """Number phrases of a sentence, minus dates, times, ages, percentages and labels.

    Cached: casualties(), quantities() and crowd_size() of one sentence share it.
    The _Num records are never changed after this returns.
    """
    g = _grammar()
    masks = date_time_spans(text)
    out: list[_Num] = []
    for m in g.num.finditer(text):
        if not m.group(0).strip():
            continue
        n = _num_from_match(m, text)
        if n is None:
            continue
        core_s = m.start("n") if m["n"] is not None else n.s
        if any(s < n.e and e > core_s for s, e in masks):
            continue
        prev = _PREV_WORD.search(text[max(0, n.s - 30): n.s])
        if prev:
            word = prev.group(1)
            if word.lower() in _LABEL_PREV:
                continue
            if (n.qual is None and word[:1].isupper() and m["n"] is not None
                    and m["n"][:1].isdigit() and word.lower() not in g.qual_kind
                    and word.lower() not in g.name_stop):  # "Another 12 people" is no "Tower 22"
                continue  # "Tower 22", "Resolution 2334"
        if _is_age(text, n, m):
            continue
        n.subset = bool(_SUBSET.search(text[max(0, n.s - 40): n.s]))
        out.append(n)
    return tuple(out)


_AGE_BEFORE = re.compile(r"([\w'’-]+)\s*,\s*$")
_AGE_AFTER = re.compile(r"\s*(?:,|\)|$|\.(?!\d)|\band\b|\bor\b)")


def _is_age(text: str, n: _Num, m: re.Match) -> bool:
    """ "Ahmed Karim, 45, a shopkeeper", "his wife, 49, and": a bare number set off by
    commas after a name or a person noun is an age; so is the second of "aged 30 and 41"."""
    if n.qual is not None or m["n"] is None or not re.fullmatch(r"\d{1,3}", m["n"]) or m["n2"] is not None:
        return False
    before = text[max(0, n.s - 40):n.s]
    if re.search(r"\baged?\s+\d{1,3}\s*(?:and|or|to|-)\s*$", before, re.IGNORECASE):
        return True
    prev = _AGE_BEFORE.search(before)
    if prev is None or not _AGE_AFTER.match(text[n.e:]):
        return False
    word = prev.group(1)
    return word[0].isupper() or _is_person_head(word) or word.lower() in _grammar().titles



# --------------------------------------------------------------------------
# Casualties
# --------------------------------------------------------------------------

_COP = (r"(?:was|were|is|are|be|been|being|got|get|gets|have\s+been|has\s+been|had\s+been|"
        r"will\s+be|would\s+be|may\s+have\s+been|reportedly|also|later|allegedly|all|both|"
        r"subsequently|critically|seriously|severely|fatally|badly|lightly|slightly|mortally|"
        r"gravely|initially|eventually|then|each|apparently|immediately|briefly|temporarily|"
        r"now|so\s+far|either|who|that|reported|confirmed|feared|believed|presumed|found|declared|"
        r"pronounced|thought\s+to\s+be|said\s+to\s+be|known\s+to\s+have\s+been|"
        r"(?:reported|said|believed|feared|thought|confirmed|understood|known|likely)\s+to\s+have\s+been|"
        # a first passive participle coordinated with the casualty verb: "was kidnapped and killed"
        r"(?:kidnapped|abducted|tortured|beaten|robbed|attacked|assaulted|raped|ambushed|captured|"
        r"seized|dragged|taken|shot|stabbed|hacked|burned|burnt|lynched)\s+and)")
_TRAILING_COP = re.compile(rf"(?:\s+{_COP})+\s*$", re.IGNORECASE)
_ENDS_PASSIVE = re.compile(rf"\b(?:was|were|is|are|be|been|being|got|get|gets)(?:\s+{_COP})*\s*$", re.IGNORECASE)
_PARENTHETICAL = re.compile(
    r",\s*(?:including|among\s+them|among\s+whom|most\s+of\s+them|mostly|many\s+of\s+them|"
    r"all\s+of\s+them|according\s+to)[^,;]*,"
    r"|,\s*(?:a|an|the|his|her|their)\s[^,;]{0,80},"  # apposition: "One person, a young man ..., was"
    r"|,\s*(?:aged\s+)?\d{1,3}(?:\s*(?:and|or|to|-)\s*\d{1,3})?\s*,"  # ages: "Ahmed Karim, 45, was"
    r"|,\s*(?:who|whose)\s[^,;]{0,120},",  # "Mehedi, who worked for a news site, was killed"
    re.IGNORECASE)
_SINGULAR_COP = re.compile(r"\b(?:was|is|has\s+been|had\s+been)\b", re.IGNORECASE)
# a person with a short prepositional phrase: "a student of Dhaka University", "a resident of the town"
_PERSON_PP = re.compile(r"(?:of|from|at|with)\s+(?:the\s+)?(?:[\w'’-]+\s*){1,4}", re.IGNORECASE)
_GAP_BLOCK = re.compile(
    r"[;:.!?\"()]|\b(?:which|after|when|while|because|but|said|says|say|told|reported|"
    r"according|if|where|and|or|killed|killing|wounded|injured|died|arrested|detained|than|"
    r"by|as)\b",
    re.IGNORECASE,
)
_GAP_LEAD = re.compile(r"^\s*(?:others|other|more|additional|further)?\s*(?:of\s+(?:the|them|those|these|whom)\s*)?",
                       re.IGNORECASE)
_PASSIVE_NEXT = re.compile(
    r"^\s*(?:$|[,.;:)\]!?—–-]|(?:in|on|at|by|during|after|when|as|near|and|or|while|since|amid|"
    r"following|overnight|yesterday|today|tonight|last|early|late|earlier|later|this|before|"
    r"outside|inside|across|throughout|over|from|with|within|when|following|around|so|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|too|as well)\b)",
)
_RIGHT_FILL = re.compile(r"^\s+(?:(?:a\s+total\s+of|the|all|another|some\s+of\s+the|both)\s+)?", re.IGNORECASE)
_OTHERS = re.compile(r"^\s+(?:more\s+|other\s+)?(?:people|persons|others|more)\b", re.IGNORECASE)


def _people_bounds(n: _Num) -> tuple[int | None, int | None]:
    """Integer bounds of a count of people (see the module docstring)."""
    if n.zero:
        return 0, 0
    lo = None if n.lo is None else int(round(n.lo))
    hi = None if n.hi is None else int(round(n.hi))
    kind = n.kind
    if kind in (None, "approx", "range"):
        return lo, hi
    if kind == "vague":
        return lo, None
    if kind == "min":
        return lo, None
    if kind == "min_excl":
        return (None if lo is None else lo + 1), None
    if kind == "max":
        return None, hi
    if kind == "max_excl":
        return None, (None if hi is None else max(hi - 1, 0))
    return lo, hi


def _add(a: tuple[int | None, int | None], b: tuple[int | None, int | None]) -> tuple[int | None, int | None]:
    lo = None if a[0] is None or b[0] is None else a[0] + b[0]
    hi = None if a[1] is None or b[1] is None else a[1] + b[1]
    return lo, hi


def _person_phrases(text: str) -> list[_Num]:
    """One-person phrases ("a policeman", "the driver", "he") and zero subjects ("no one")."""
    g = _grammar()
    out = []
    for m in g.person_sing.finditer(text):
        out.append(_Num(m.start(), m.end(), 1, 1, None, None, person=True))
    for m in g.zero_subj.finditer(text):
        out.append(_Num(m.start(), m.end(), 0, 0, None, None, zero=True))
    out.extend(_named_people(text))
    for n in out:
        n.subset = bool(_SUBSET.search(text[max(0, n.s - 40): n.s]))
    return out


_NAME_TOKEN = r"(?:[A-Z][a-z][\w'’-]*|[A-Z]\.)"
_NAME = re.compile(
    rf"(?<![\w'’-]){_NAME_TOKEN}(?:\s+(?:(?:al|el|bin|ibn|de|da|van|von|der|ul|abu)[-\s]+)?{_NAME_TOKEN})*")
_NOT_NAME_AFTER = re.compile(r"^\s+(?:[a-z][\w-]*)")
_PREP_BEFORE = re.compile(
    r"\b(?:in|at|from|of|near|across|to|into|on|for|by|with|against|outside|inside|around|over|"
    r"under|towards?|via|than)\s+(?:the\s+)?$", re.IGNORECASE)


_VICTIMS_OF = re.compile(r"\b(?:killings|murders|assassinations|deaths|abductions)\s+of\s+$", re.IGNORECASE)


def _named_people(text: str) -> list[_Num]:
    """Names of one person ("Ismail Haniyeh", "Hamas leader Ismail Haniyeh", "Mehedi").

    A capitalised sequence is a name when it is neither a modifier (followed by
    a lowercase plural or person noun: "Israeli soldiers", "Hamas fighters"), a
    place after a preposition ("in Dhaka"), a sentence-opening function word,
    a weekday or month, nor a plural ("Palestinians"). Such a phrase only
    counts as the victim of a casualty word through the strict attachment
    rules: next to the verb, or subject of a singular passive ("was killed").
    """
    g = _grammar()
    out = []
    for m in _NAME.finditer(text):
        s, e = m.start(), m.end()
        words = m.group(0).split()
        while words and words[0].lower() in g.name_stop:
            s = text.index(words[1], s + len(words[0])) if len(words) > 1 else e
            words = words[1:]
        if not words or s >= e:
            continue
        last = words[-1]
        if any(w.lower() in g.name_stop for w in words) or last.endswith(("'s", "’s", "'", "’")):
            continue
        if g.person_any.fullmatch(last) or (_is_plural(last) and last.lower().endswith("ns")):
            continue  # "Palestinians", "Americans"
        after = _NOT_NAME_AFTER.match(text[e:])
        if after and (_is_person_head(after.group(0).strip()) or g.person_any.fullmatch(after.group(0).strip())):
            continue  # "Israeli soldiers", "Hamas commander": a modifier
        if _PREP_BEFORE.search(text[max(0, s - 16):s]) and not _VICTIMS_OF.search(text[max(0, s - 30):s]):
            continue  # "in Dhaka", "of Begum Rokeya University" (but "the killings of Ali Musa and ...")
        if _DOTTED_ABBREVIATION.search(text[max(0, s - 2):e + 2]):
            continue  # "U.S.", "U.N.": initials of a country or body, no person
        out.append(_Num(s, e, 1, 1, None, None, person=True, name=True))
    return out


def _bare_people(text: str, trig: list[re.Match], cands: list[_Num]) -> list[_Num]:
    """One person named by a bare singular noun, as headlines write it: the subject opening
    "Suspected thief lynched in market town", "Six year old boy killed", or the object of a
    casualty verb, "Mob kills suspected burglar", "Police arrest driver after crash". Only
    spots no other count or person phrase covers."""
    g = _grammar()
    out = []
    m = g.bare_subject.match(text)
    if m:
        out.append(_Num(len(text) - len(text.lstrip()), m.end(), 1, 1, None, None, person=True))
    for t in trig:
        if g.trigger_info[" ".join(t.group(0).lower().split())][1] != "verb":
            continue
        if re.search(rf"\b(?:{_DETS})\s+(?:[\w-]+\s+)?$", text[max(0, t.start() - 30):t.start()], re.IGNORECASE):
            continue  # "the injured officer": an adjective, not a verb with its object
        o = g.bare_object.match(text[t.end():])
        if o:
            start = t.end() + len(o.group(0)) - len(o.group(0).lstrip())
            out.append(_Num(start, t.end() + o.end(), 1, 1, None, None, person=True))
    # a capitalised headline word is no name here: "Six year old boy killed"
    return [n for n in out if not any(c.s < n.e and n.s < c.e and not c.name for c in cands)]


def _clean_gap(gap: str) -> str:
    gap = _PARENTHETICAL.sub(" ", gap)
    gap = _TRAILING_COP.sub("", " " + gap).strip()
    return gap


_DOTTED_ABBREVIATION = re.compile(r"\b(?:[A-Z]\.){2,}")
_ALLEGED_ACT = re.compile(r"\b(?:suspected|accused|convicted|charged|wanted|blamed)\s+(?:of|with|for)\s+[a-z]+ing\b")


def _subject_gap_ok(gap: str, cand: _Num) -> bool:
    """Can ``cand`` be the subject of a casualty word ``gap`` characters later?"""
    g = _grammar()
    core = _clean_gap(gap)
    if cand.name:  # a name is one victim only as the subject of a singular verb: "X was killed"
        return not core.strip(" ,") and (not gap.strip() or bool(_SINGULAR_COP.search(gap)))
    if cand.person:
        return core == "" or bool(re.fullmatch(r"[\s,]*", core)) or bool(_PERSON_PP.fullmatch(core))
    core = _GAP_LEAD.sub("", core, count=1).strip()
    core = _ALLEGED_ACT.sub(" ", core)
    core = _DOTTED_ABBREVIATION.sub("US", core)  # "three U.S. service members were killed"  # "Three youths suspected of killing a farmer were lynched"
    if not core:
        return True
    words = core.split()
    if _GAP_BLOCK.search(core) or "," in core or len(words) > 10:
        return False
    if len(words) <= 5 and (g.person_any.search(core) or _is_person_head(words[-1])):
        return True
    # a person noun right after the number, then a reduced relative clause:
    # "Three men suspected of helping the bomber were arrested"
    return any(_is_person_head(w) for w in words[:3])


def _is_person_head(word: str) -> bool:
    """Is ``word`` a noun for people: from the lexicon, a demonym plural, or an
    unknown plural that is not a known thing ("servicemen", "Palestinians")."""
    g = _grammar()
    w = word.lower()
    if g.person_any.fullmatch(word):
        return True
    return w not in g.non_person and (w.endswith("men") or _is_plural(w)) and w not in g.non_units


def _left_subject(text: str, pos: int, cands: list[_Num], used: set[int]) -> list[_Num] | None:
    """The count standing as subject before ``pos`` (plus conjoined counts), or None."""
    for c in sorted((c for c in cands if c.e <= pos), key=lambda c: -c.e):
        if pos - c.e > 80:
            break
        if c.subset or id(c) in used:
            continue
        gap = text[c.e:pos]
        if _subject_gap_ok(gap, c):
            group = [c]
            # "two soldiers and three civilians were killed"
            while True:
                prevs = [p for p in cands if p.e <= group[0].s and not p.zero and id(p) not in used]
                if not prevs:
                    break
                p = max(prevs, key=lambda p: p.e)
                between = _AGE_APPOSITION.sub("", text[p.e:group[0].s])
                if len(group) == 1 and group[0].person and not group[0].name and not p.person \
                        and re.fullmatch(r"\s+[\w'-]+\s*,\s*", between) and text[group[0].e:].lstrip().startswith(","):
                    group[0] = p  # "1 civilian, a tribal elder, was killed": one victim, described
                    break
                if p.person:  # "his lawyer and a senior official", "Ali and his brother"
                    if not _AND.fullmatch(between):
                        break
                else:
                    mm = re.fullmatch(r"\s+(?:[\w'-]+\s+){0,2}?([\w'-]+)\s*(?:,\s*and|,|and)\s+", between)
                    if not mm or not _is_person_head(mm.group(1)):
                        break
                group.insert(0, p)
            return group
        if re.search(r"[;.!?]", _DOTTED_ABBREVIATION.sub("US", gap)):
            break
    return None


def _titled_name(text: str, start: int, cands: list[_Num], used: set[int]) -> _Num | None:
    """A name after its title at ``start``: "Hamas leader Ismail Haniyeh", "senior commander X"."""
    g = _grammar()
    for c in cands:
        if not c.name or c.s <= start or c.s - start > 60 or id(c) in used:
            continue
        words = text[start:c.s].split()
        if words and all(w[0].isupper() or w.lower() in g.titles for w in words) \
                and any(w.lower() in g.titles for w in words):
            return c
    return None


_CONJ = re.compile(r"((?:\s+[\w'-]+){0,3}?)(?:,\s*\d{1,3})?\s*(?:,?\s+and|,?\s+(?:along|together)\s+with|"
                   r",?\s+in\s+addition\s+to|,?\s+as\s+well\s+as|,?\s+plus|,(?=[^.;:]{1,80}?\band\b))\s+"
                   r"(?P<det>(?:his|her|their|the)\s+)?", re.IGNORECASE)


def _right_object(text: str, end: int, cands: list[_Num], used: set[int]) -> tuple[list[_Num], int] | None:
    """The count right after a transitive verb ending at ``end``, with conjoined ones."""
    fill = _RIGHT_FILL.match(text[end:])
    if fill is None:
        return None
    ws = re.match(r"\s+", text[end:])
    starts = (end + ws.end(), end + fill.end())
    first = next((c for c in cands if c.s in starts and id(c) not in used and not c.zero), None)
    if first is None:
        first = _titled_name(text, end + ws.end(), cands, used) if ws else None
    if first is None:
        return None
    group, last_end = [first], first.e
    _conjoined_after(text, group, cands)
    return group, _extend_noun(text, group[-1].e)


_SPEAKS_NEXT = re.compile(r"\s+(?:said|says|told|added|confirmed|reported)\b", re.IGNORECASE)


def _conjoined_after(text: str, group: list[_Num], cands: list[_Num]) -> None:
    """Grow ``group`` over the people conjoined after it: "himself and five others", "two
    soldiers and three civilians", "Haniyeh along with his bodyguard", "X and one of his
    bodyguards"."""
    g = _grammar()
    while True:
        last_end = group[-1].e
        mm = _CONJ.match(text[last_end:])
        if not mm:
            break
        at = {last_end + mm.end(), last_end + (mm.start("det") if mm["det"] else mm.end())}
        nxt = next((c for c in cands if c.s in at and not c.zero and c not in group), None)
        if nxt is None or nxt.subset:
            break
        head = (mm.group(1) or "").split()
        lead_ok = group[-1].person or (head and _is_person_head(head[-1]))
        tail = text[nxt.e:]
        of_people = re.match(r"\s+of\s+(?:his|her|their|the|its)\s+([\w'-]+)", tail)
        if not lead_ok or not (nxt.person or _OTHERS.match(tail) or g.person_any.match(tail.lstrip()[:40])
                               or (of_people and _is_person_head(of_people.group(1)))):
            break
        if mm.group(0).rstrip().endswith(",") and _SPEAKS_NEXT.match(tail):
            break  # "killed two soldiers, a police spokesman said, and ...": the speaker, no victim
        group.append(nxt)


def _is_person_count(text: str, n: _Num) -> bool:
    """Does a person noun follow the number ("2,700 people", "one of his bodyguards")?"""
    g = _grammar()
    tail = text[n.e:n.e + 60]
    if _OTHERS.match(tail) or g.person_any.match(tail.lstrip()):
        return True
    words = re.findall(r"[\w'-]+", tail)[:4]
    if words and words[0].lower() == "of":
        words = words[2:]  # "one of his bodyguards"
    return any(_is_person_head(w) for w in words[:3])


def _extend_noun(text: str, end: int) -> int:
    """Grow a count's end over the person noun after it ("6" -> "6 civilians")."""
    g = _grammar()
    words = list(re.finditer(r"\s+(?:of\s+)?([\w'-]+)", text[end:end + 60]))[:3]
    pos = 0
    for k, w in enumerate(words):
        if w.start() != pos:
            break
        pos = w.end()
        if g.person_any.fullmatch(w.group(1)):
            return end + w.end()
    return end


_AND = re.compile(r"\s*,?\s*(?:and|&)\s+", re.IGNORECASE)
# ", 45," after a name or person noun is an age, not a count: "Ahmed Karim, 45, was killed"
_AGE_APPOSITION = re.compile(r",\s*(?:aged\s+)?\d{1,3}\s*(?=,|\s+and\b|\s*$)", re.IGNORECASE)
_GROUP_REF = re.compile(r"\b(?:among|of)\s+(?:the|those|them)\s+$", re.IGNORECASE)
_TOLL_LINK = re.compile(
    r"\b(?:to|at|of|reached|reach|hit|is|was|now|rose|risen|climbed|jumped|stands|stood)\s+$", re.IGNORECASE)


def _toll_count(text: str, end: int, cands: list[_Num], used: set[int]) -> _Num | None:
    """The number a toll "rose to", "stood at", "of" ... within the clause after it."""
    for c in sorted(cands, key=lambda c: c.s):
        if c.s < end or id(c) in used or c.person or c.zero:
            continue
        between = text[end:c.s]
        if len(between) > 120 or re.search(r"[;.!?]", between):
            return None
        if _TOLL_LINK.search(between):
            return c
    return None


_EITHER = r"(?:killed|dead|died|wounded|injured|hurt|missing|captured|abducted|kidnapped|arrested|detained)"
_EITHER_OR_AFTER = re.compile(rf"\s+or\s+{_EITHER}\b", re.IGNORECASE)
_EITHER_OR_BEFORE = re.compile(rf"\b{_EITHER}\s+or\s+$", re.IGNORECASE)


_SHARED_BOUND_GAP = re.compile(r"\s*,?\s*and\s+(?:another|a\s+further|an\s+additional)\s+$", re.IGNORECASE)


def _share_lower_bound(text: str, found: dict[str, Count], groups: dict[str, list[_Num]]) -> None:
    """ "At least 27 people were killed and another 200 wounded": the "at least" of the
    first count covers a bare count that "another" / "a further" adds to it (200..None);
    "and 40 others wounded" keeps its own 40..40."""
    keyed = sorted(((found[k].span.start, k) for k in groups if found[k].span is not None))
    for (_, first), (_, second) in zip(keyed, keyed[1:]):
        a, b = groups[first], groups[second]
        if len(a) != 1 or len(b) != 1 or a[0].kind not in ("min", "min_excl") or b[0].kind is not None \
                or b[0].person or b[0].name:
            continue
        if _SHARED_BOUND_GAP.fullmatch(text[found[first].span.end:b[0].s]):
            found[second] = found[second].model_copy(update={"max": None})


def casualties(text: str, offset: int = 0) -> dict[str, Count]:
    """Counts of people killed, injured and arrested that a sentence reports.

    Keys are among "fatalities", "injured", "arrested"; a key is present only
    when the sentence gives a count for it. See the module docstring for the
    rules.
    """
    if not text:
        return {}
    return {k: _shifted(c, offset) for k, c in _casualties_at(text).items()}


def _shifted(c: Count, offset: int) -> Count:
    span = c.span.model_copy(update={"start": c.span.start + offset, "end": c.span.end + offset}) \
        if c.span else None
    return c.model_copy(update={"span": span})


@lru_cache(maxsize=512)
def _casualties_at(text: str) -> dict[str, Count]:
    """casualties() at offset 0, cached (quantities() and crowd_size() reuse it).

    Callers get copies (:func:`_shifted`), never these cached records.
    """
    g = _grammar()
    trig = list(g.triggers.finditer(text))
    zero_hits = [(m, keys) for rx, keys in g.zero_phrases for m in rx.finditer(text)]
    if not trig and not zero_hits:
        return {}
    nums = _numbers(text)
    cands = [*nums, *_person_phrases(text)]
    bare = _bare_people(text, trig, cands)
    cands = [c for c in cands if not (c.name and any(b.s < c.e and c.s < b.e for b in bare))]
    cands = sorted([*cands, *bare], key=lambda c: (c.s, -c.e))
    used: set[int] = set()
    found: dict[str, Count] = {}
    groups: dict[str, list[_Num]] = {}
    zeros: dict[str, Count] = {}
    alleged: dict[str, Count] = {}  # what people are accused of: "suspected of killing a trader"
    allegation = False

    def put(key: str, group: list[_Num], s: int, e: int) -> None:
        bounds = _people_bounds(group[0])
        for extra in group[1:]:
            bounds = _add(bounds, _people_bounds(extra))
        span = Span(start=s, end=e, text=text[s:e])
        if group[0].zero and len(group) == 1:
            zeros.setdefault(key, Count(min=0, max=0, span=span))
            if key == "injured":  # no one hurt: no one killed either
                zeros.setdefault("fatalities", Count(min=0, max=0, span=span))
            return
        for n in group:
            used.add(id(n))
        if allegation:
            alleged.setdefault(key, Count(min=bounds[0], max=bounds[1], span=span))
            return
        found[key] = Count(min=bounds[0], max=bounds[1], span=span)
        groups[key] = group

    for m in trig:
        key, kind = g.trigger_info[" ".join(m.group(0).lower().split())]
        if key in found:
            continue
        ts, te = m.start(), m.end()
        allegation = bool(g.allegation.search(text[max(0, ts - 40):ts]))
        if _GROUP_REF.search(text[max(0, ts - 30):ts]):
            continue  # "among the dead", "two of the wounded": a subset of a group counted elsewhere
        if kind == "verb" and _INTENDED.search(text[max(0, ts - 12):ts]) \
                and not m.group(0).lower().endswith(("ed", "ing")):
            continue  # "vowed to kill Haniyeh", "ordered police to arrest them": intended, not done
        if _EITHER_OR_AFTER.match(text[te:]) or _EITHER_OR_BEFORE.search(text[max(0, ts - 30):ts]):
            continue  # "1 soldier was killed or wounded": a casualty, but not which kind
        if kind == "toll":
            c = _toll_count(text, te, cands, used)
            if c is not None:
                put(key, [c], ts, _extend_noun(text, c.e))
            continue
        if kind == "noun":
            left = [c for c in cands if c.e <= ts and not c.subset and id(c) not in used and not c.zero]
            c = max(left, key=lambda c: c.e, default=None)
            if c is not None and re.fullmatch(r"\s*(?:[\w-]+\s+){0,2}", text[c.e:ts]) \
                    and not _GAP_BLOCK.search(text[c.e:ts]) and not c.person:
                put(key, [c], c.s, te)
                continue
            # "injuries to more than 2,700 people", "the deaths of 12 soldiers"
            # (only plurals: "the death of 2 students" a protest is about is some other event's)
            of = re.match(r"\s+(?:to|of)\s+", text[te:]) if m.group(0).lower().endswith("s") else None
            nxt = next((c for c in cands if of and c.s == te + of.end() and not c.person and not c.zero
                        and id(c) not in used), None)
            if nxt is not None and _is_person_count(text, nxt):
                put(key, [nxt], ts, _extend_noun(text, nxt.e))
                continue
            named = next((c for c in cands if of and c.s == te + of.end() and c.name and id(c) not in used), None)
            if named is not None:  # "the killings of Paulo Guambe and Elvino Dias": the victims it lists
                group = [named]
                _conjoined_after(text, group, cands)
                if len(group) >= 2:
                    put(key, group, ts, group[-1].e)
            continue
        passive = kind == "intrans" or bool(_ENDS_PASSIVE.search(text[max(0, ts - 80):ts]))
        if not passive:
            obj = _right_object(text, te, cands, used)
            if obj is not None:
                group, e = obj
                put(key, group, ts, e)
                continue
            if not _PASSIVE_NEXT.match(text[te:]):
                # an active verb with an uncounted object ("killed the commander of ...");
                # only an adjacent count can still be its modifier ("12 injured people")
                adj = [c for c in cands if c.e <= ts and not c.person and not c.subset
                       and not c.zero and id(c) not in used and re.fullmatch(r"\s*", text[c.e:ts])]
                if adj:
                    put(key, adj[:1], adj[0].s, te)
                continue
        group = _left_subject(text, ts, cands, used)
        if group is not None:
            e = te
            along = re.match(r",?\s+(?:along|together)\s+with\s+", text[te:])
            if along:  # "Haniyeh was killed, along with his bodyguard, when ..."
                mate = next((c for c in cands if c.s == te + along.end() and not c.zero and id(c) not in used), None)
                if mate is not None and (mate.person or _is_person_count(text, mate)):
                    group.append(mate)
                    e = _extend_noun(text, mate.e)
            put(key, group, group[0].s, e)

    _share_lower_bound(text, found, groups)
    _add_later_deaths(text, found)
    for key, cnt in alleged.items():  # "arrested in connection with the killing of two": the killing's toll
        found.setdefault(key, cnt)
    for m, keys in zero_hits:
        for key in keys:
            zeros.setdefault(key, Count(min=0, max=0, span=Span(
                start=m.start(), end=m.end(), text=m.group(0))))
    for key, cnt in zeros.items():
        found.setdefault(key, cnt)
    return {k: found[k] for k in KEYS if k in found}


_INTENDED = re.compile(r"\bto\s+$", re.IGNORECASE)  # an infinitive casualty verb: "vowed to kill"
_ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
             "ninth": 9, "tenth": 10}
_DIED_LATER = r"(?:\s+[\w-]+){0,3}?\s+(?:(?:later|also|subsequently)\s+)?(?:died|succumbed|passed\s+away|was\s+killed)\b"
# "two died at the scene and a third later in hospital", "... and another died in hospital",
# "... and two others later succumbed to their wounds"
_ORDINAL_VICTIM = re.compile(rf"\b(?:a|the)\s+({'|'.join(_ORDINALS)})\b(?:{_DIED_LATER}|\s+(?:[\w-]+\s+)?later\b)",
                             re.IGNORECASE)
_MORE_VICTIMS = re.compile(rf"\b(another|one\s+more|(?:{_WORDNUM}|\d+)\s+(?:more|others|other\s+people))\b{_DIED_LATER}",
                           re.IGNORECASE)


def _add_later_deaths(text: str, found: dict[str, Count]) -> None:
    """Victims a later clause of the sentence adds to its toll: "Two people died at the scene
    and a third later in hospital" (3), "one soldier was killed and another died of his wounds"
    (2). Only after the toll's own phrase, and only onto a number (not "dozens")."""
    toll = found.get("fatalities")
    if toll is None or toll.span is None or toll.min is None or toll.min == 0:
        return
    rest = text[toll.span.end:]
    m = _ORDINAL_VICTIM.search(rest)
    if m and _ORDINALS[m.group(1).lower()] == toll.min + 1:
        extra = 1
    else:
        m = _MORE_VICTIMS.search(rest)
        if m is None:
            return
        word = m.group(1).split()[0].lower()
        extra = 1 if word in ("another", "one") else parse_number(word)
        if not extra:
            return
    end = toll.span.end + m.end()
    found["fatalities"] = Count(min=toll.min + extra, max=None if toll.max is None else toll.max + extra,
                                span=Span(start=toll.span.start, end=end, text=text[toll.span.start:end]))


_INVARIANT = frozenset({"aircraft", "personnel", "police", "people", "artillery", "equipment",
                        "ammunition", "livestock", "cattle", "sheep", "fish", "staff", "crew",
                        "men", "women", "children", "militia", "infantry", "cavalry",
                        "spacecraft", "hovercraft", "deer", "swine", "poultry", "data"})


def _is_plural(word: str) -> bool:
    w = word.lower()
    return w in _INVARIANT or w.endswith("men") or (
        len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")))


# Quantities and crowd sizes read the same number phrases; they live in quantities.py.
from .quantities import crowd_size, quantities  # noqa: E402  (re-exported)
