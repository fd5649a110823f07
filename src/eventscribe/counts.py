"""Counts in news sentences: casualties, arrests, crowd sizes and other quantities.

The counts stage in four seams: :mod:`eventscribe.numbers` reads what a number phrase says
("1,200", "twenty-one", "a dozen"); :mod:`eventscribe.count_phrases` finds the number phrases and
the phrases naming people in a sentence (minus dates, ages and labels); this module which
casualty word of a sentence a number counts, and as what; :mod:`eventscribe.tolls` whether an event may carry the count (the
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
from functools import lru_cache

from .model import Count, Span
from .numbers import _WORDNUM, _Num, parse_number
from .count_phrases import (_DOTTED_ABBREVIATION, _add, _bare_people, _grammar, _is_person_head, _numbers,
                      _people_bounds, _person_phrases)
from .tolls import (COUNT_HOSTS, KEYS, counts_perpetrators, hosts_count, period_toll,  # noqa: F401  (re-exported)
                    running_total)

__all__ = ["parse_number", "casualties", "quantities", "crowd_size", "running_total", "period_toll",
           "counts_perpetrators", "toll_updates"]

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
    r"all\s+of\s+them|according\s+to|[\w-]+\s+of\s+(?:them|whom))[^,;]*,"  # "six of them women"
    r"|,\s*(?:a|an|the|his|her|their)\s[^,;]{0,80},"  # apposition: "One person, a young man ..., was"
    r"|,\s*(?:aged\s+)?(?:between\s+)?\d{1,3}(?:\s*(?:and|or|to|-)\s*\d{1,3})?\s*,"  # ages: "Ahmed Karim, 45, was"
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
_RIGHT_FILL = re.compile(r"^\s+(?:(?:a\s+total\s+of|the|all|another|some\s+of\s+the|both|his|her|their|its)\s+)?",
                         re.IGNORECASE)
_OTHERS = re.compile(r"^\s+(?:more\s+|other\s+)?(?:people|persons|others|more)\b", re.IGNORECASE)


def _clean_gap(gap: str) -> str:
    gap = _PARENTHETICAL.sub(" ", gap)
    gap = _TRAILING_COP.sub("", " " + gap).strip()
    return gap


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
                apposed = _APPOSED.search(text, 0, group[0].s)
                if apposed is not None:
                    # "One civilian, a member of the council, and his two bodyguards": the
                    # apposition describes the count before it, which the list adds to
                    q = next((q for q in prevs if q.e == apposed.start() or (
                        q.e == apposed.start("noun") and not q.person and _is_person_head(apposed["noun"]))), None)
                    if q is not None:
                        group.insert(0, q)
                        continue
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


_OWN_VERB_NEXT = re.compile(r"\s+(?:were|was|are|is|died|dies|perished|have\s+been|had\s+been|lost\s+their)\b",
                            re.IGNORECASE)
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
            break  # "killed two soldiers, a police spokesman said, and ..."
        if _OWN_VERB_NEXT.match(text[_extend_noun(text, nxt.e):]):
            break  # "wounded five soldiers and two civilians died": a clause of its own: the speaker, no victim
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


_AND = re.compile(r"\s*,?\s*(?:and|&)\s+(?:(?:his|her|their)\s+)?", re.IGNORECASE)
_APPOSED = re.compile(r"(?:\s+(?P<noun>[\w'-]+))?\s*,\s*(?:a|an|the|his|her|their)\s[^,;.]{0,60},\s*(?:and|&)\s+"
                      r"(?:(?:his|her|their)\s+)?$", re.IGNORECASE)
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


@lru_cache(maxsize=1)
def _war_toll() -> re.Pattern:
    """ "the toll of the war", "from the conflict": a whole war's toll (data/counts_lexicon.yaml war_nouns)."""
    from .numbers import _alt, _lex
    return re.compile(rf"\b(?:{_alt(_lex()['war_nouns'])})\b", re.IGNORECASE)


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


_UPDATE_VERB = re.compile(
    r"\b(?:bringing|brings|brought|raising|raises|raised|pushing|pushes|pushed|taking|takes|lifting|lifts|"
    r"putting|puts|increasing)\s+(?:the\s+)?(?:(?:overall|total|official|confirmed|latest|final)\s+)*$",
    re.IGNORECASE)


def toll_updates(text: str, offset: int = 0) -> dict[str, Count]:
    """The running totals a sentence brings an earlier toll to: "Two more officers died of their
    wounds, bringing the toll to 10" -> fatalities 10 (what :func:`casualties` reads there is the
    two new deaths); "raising the number of dead to 15". A total over a period ("bringing the
    number killed this year to 140") or of a whole war ("the toll of the war") is no event's."""
    if not text:
        return {}
    g = _grammar()
    cands = None  # the sentence's number phrases, read only for a toll word after "bringing"
    out: dict[str, Count] = {}
    for m in g.triggers.finditer(text):
        key, kind = g.trigger_info[" ".join(m.group(0).lower().split())]
        if kind != "toll" or key in out:
            continue
        verb = _UPDATE_VERB.search(text, max(0, m.start() - 40), m.start())
        if verb is None:
            continue
        if cands is None:
            cands = [*_numbers(text), *_person_phrases(text)]
        c = _toll_count(text, m.end(), cands, set())
        if c is None or _war_toll().search(text, m.end(), c.s):
            continue
        lo, hi = _people_bounds(c)
        e = _extend_noun(text, c.e)
        count = Count(min=lo, max=hi, span=Span(start=verb.start(), end=e, text=text[verb.start():e]))
        if not period_toll(text, key, count):
            out[key] = _shifted(count, offset)
    return out


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
        ts, te = m.start(), m.end()
        if key == "injured" and (_DIED_OF_IT.match(text[te:]) or _WOUNDED_WHO_DIED.match(text[te:])):
            key = "fatalities"  # "was taken to hospital where he died", "six wounded soldiers died": dead, not hurt
        if key in found:
            continue
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
# the injured of a sentence who then died: "was taken to hospital where he died", "was wounded
# and later succumbed", "were rushed to hospital, where they died"
_DIED_OF_IT = re.compile(
    r"[^.;:]{0,40}?(?:,\s*)?\b(?:where|and)\s+(?:(?:he|she|they|both|all)\s+)?"
    r"(?:(?:later|subsequently|eventually|soon|then)\s+)?(?:died|succumbed|passed\s+away|(?:was|were)\s+pronounced\s+dead)\b",
    re.IGNORECASE)
_ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
             "ninth": 9, "tenth": 10}
_DIED_LATER = r"(?:\s+[\w-]+){0,3}?\s+(?:(?:later|also|subsequently)\s+)?(?:died|succumbed|passed\s+away|was\s+killed)\b"
# "two died at the scene and a third later in hospital", "... and another died in hospital",
# "... and two others later succumbed to their wounds"
_ORDINAL_VICTIM = re.compile(rf"\b(?:a|the)\s+({'|'.join(_ORDINALS)})\b(?:{_DIED_LATER}|\s+(?:[\w-]+\s+)?later\b)",
                             re.IGNORECASE)
_MORE_VICTIMS = re.compile(rf"\b((?:another|a\s+further)\s+(?:{_WORDNUM}|\d+)|another|one\s+more|"
                           rf"(?:{_WORDNUM}|\d+)\s+(?:more|others|other\s+people))\b{_DIED_LATER}",
                           re.IGNORECASE)


# "Two died instantly and one died later in hospital": a count of its own, with a word saying
# the deaths came later
_LATER_COUNT = re.compile(
    rf"\b(?:and|while|,)\s+(?P<n>{_WORDNUM}|\d+)\s+(?:(?:people|persons|others|more|of\s+them)\s+)?"
    rf"(?:(?P<adv>later|subsequently|afterwards)\s+)?(?P<verb>died|succumbed|passed\s+away)\b", re.IGNORECASE)
_LATER_AFTER = re.compile(
    r"[^.;]{0,40}?\b(?:later|subsequently|afterwards|in\s+(?:the\s+)?hospital|at\s+(?:the|a)\s+hospital|"
    r"on\s+the\s+way|(?:of|from)\s+(?:his|her|their)\s+(?:wounds|injuries))\b", re.IGNORECASE)


# "six wounded soldiers died in hospital", "wounded three guards, who later died": the wounded, now dead
_WOUNDED_WHO_DIED = re.compile(r"\s+(?!(?:and|or|but|while|as|when|then|in|at|on|by)\b)(?:[\w'-]+\s+){0,2}?[\w'-]+,?\s+(?:who\s+)?(?:(?:later|subsequently|also)\s+)?(?:died|succumbed)\b",
                               re.IGNORECASE)


def _later_count(rest: str) -> re.Match | None:
    for m in _LATER_COUNT.finditer(rest):
        if m["adv"] or m["verb"].lower() == "succumbed" or _LATER_AFTER.match(rest[m.end():]):
            return m
    return None


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
        later = _later_count(rest)
        if m is None or (later is not None and later.start() < m.start()):
            m = later
        if m is None:
            return
        words = (m.group(1) if m.re is _MORE_VICTIMS else m["n"]).lower().split()
        word = words[-1] if words[0] in ("another", "a") and len(words) > 1 else words[0]
        extra = 1 if word in ("another", "one") else parse_number(word)
        if not extra:
            return
    end = toll.span.end + m.end()
    found["fatalities"] = Count(min=toll.min + extra, max=None if toll.max is None else toll.max + extra,
                                span=Span(start=toll.span.start, end=end, text=text[toll.span.start:end]))




# Quantities and crowd sizes read the same number phrases; they live in quantities.py.
from .quantities import crowd_size, quantities  # noqa: E402  (re-exported)
