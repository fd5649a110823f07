"""Give the places and the counts a sentence names to the events of that sentence.

Stage of :mod:`eventscribe.extract`: after the sentence's candidates are read, each place
mention goes to the nearest trigger whose clause it is in, unless it only qualifies a party,
names a speaker or says where another place lies; each casualty count goes to the event that
can take it (its own casualty word's event, else the nearest before it); other quantities to
the nearest event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Doc as SpacyDoc

from . import counts as counts_mod
from . import places, tolls
from .geo import PlaceMention, gazetteer
from .model import Location, Sentence, Span

if TYPE_CHECKING:
    from .extract import Candidate, DocContext

_PLACE_PREPS_EXCLUDED = {"from", "by"}


def attach_places(cands: list[Candidate], sentence: Sentence, ctx: DocContext, everyone: list[Candidate],
                   doc: SpacyDoc | None = None) -> None:
    """Give each place named in the sentence to the nearest event trigger whose clause it is in
    (:func:`_other_clause`)."""
    if not cands:
        return
    gaz = gazetteer()
    mentions = [m for m in ctx.place_mentions if sentence.start <= m.start and m.end <= sentence.end]
    last: tuple[PlaceMention, Location, Candidate] | None = None  # the place just given out
    for m in mentions:
        if places.in_dateline(ctx.text, ctx.dateline, m):
            continue  # "KYIV, Ukraine (AP) —": unplaced events take the dateline in merge
        loc = gaz.resolve(m, ctx.country_weights)
        if not _locates_event(m, loc, ctx.text, everyone, ctx.dateline):
            continue
        if last is not None and places.offset(ctx.text, m.start) and m.start - last[0].end <= _OFFSET_REACH:
            continue  # "the town of Sake, about 25 km west of Goma": Goma only says where Sake lies
        if last is not None and places.qualifies(ctx.text, last[0], last[1], m, loc):
            host = last[2]  # "in Kisumu, Kenya", "Sherzad district, Nangarhar": the same place's event
        else:
            eligible = [c for c in cands if not _other_clause(m, c, sentence, doc)]
            if not eligible:
                continue  # "escaped from a prison in Lima, prompting the crackdown": the escape's place
            host = min(eligible, key=lambda c: abs(c.trigger_char - m.start))
        last = (m, loc, host)
        loc = loc.model_copy(update={"span": Span(start=m.start, end=m.end, text=m.text, sentence=sentence.index)})
        if all(l.name != loc.name for l in host.event.locations):
            host.event.locations.append(loc)
            host.explicit_location = True


_OFFSET_REACH = 40  # characters from the place before to a landmark measured from it
_VERBS = ("VERB", "AUX")


def clause_verb(tok):
    """The verb whose clause a token is in (itself, for a verb)."""
    for _ in range(12):
        if tok.pos_ in _VERBS or tok.head.i == tok.i:
            return tok
        tok = tok.head
    return tok


def _other_clause(m: PlaceMention, c: Candidate, sentence: Sentence, doc: SpacyDoc | None) -> bool:
    """Is the place named outside the participle clause of consequence the trigger heads?
    ("escaped from a prison in Lima, prompting the crackdown": Lima is the escape's. Verbs of
    consequence: ``consequence_verbs`` of data/geo_where.yaml; "staged a protest in Dhaka,
    demanding ..." shares its place with the demand.)"""
    if doc is None or m.anaphor is not None:
        return False
    span = doc.char_span(m.start - sentence.start, m.end - sentence.start, alignment_mode="expand")
    if span is None:
        return False
    place, trigger = span.root, doc[c.token]
    verb, own = clause_verb(place), clause_verb(trigger)
    if verb.i == own.i:
        return False
    return own.dep_ == "advcl" and own.tag_ == "VBG" and own.lemma_.lower() in places.consequence_verbs() \
        and not own.is_ancestor(place)


def _locates_event(m: PlaceMention, loc: Location, text: str, everyone: list[Candidate],
                   filed: Location | None = None) -> bool:
    """Is this place name where the sentence's event happened (see :mod:`eventscribe.places`)?

    A town or region governed by a preposition of place is, even inside an actor's phrase
    ("police in Dhaka", "authorities in the capital"); a speaker ("Baku said") never is, nor
    a country that owns a party ("Iran's foreign minister condemned"); other names are,
    unless they only qualify an actor ("Iran's Revolutionary Guards", "the US strikes").
    """
    role = places.mention_role(text, m)
    if role in ("speaker", "describes") or _led_by(text, m.start, _PLACE_PREPS_EXCLUDED):
        return False
    if loc.precision == "country":  # "took part in the US strikes": a nationality all the same
        if role in ("border", "origin"):
            return False  # "near the border with Somalia": this side of it; "raiders from Uganda"
        if role == "plain" and filed is not None:
            return False  # "QUITO - Colombia and Ecuador agreed": parties; the dateline places it
        return role != "possessive" and not _inside_actor_phrase(m, everyone)
    return role == "located" or not _inside_actor_phrase(m, everyone)


def _inside_actor_phrase(m: PlaceMention, cands: list[Candidate]) -> bool:
    """Places that only qualify an actor ("Iran's Revolutionary Guards") are not where it happened."""
    for c in cands:
        for role in (c.event.actor, c.event.target):
            if role is None or role.span is None:
                continue
            if role.span.start <= m.start and m.end <= role.span.end:
                is_the_place = role is c.event.target and role.span.text.strip() == m.text.strip()
                if not is_the_place:
                    return True
    return False


def _led_by(text: str, start: int, words: set[str]) -> bool:
    before = [w for w in text[max(0, start - 24):start].split() if w.lower() not in ("the", "a", "an")]
    return bool(before) and before[-1].lower() in words


def attach_counts(cands: list[Candidate], sentence: Sentence) -> None:
    """Casualty counts go to the nearest event of a type that takes them (counts.COUNT_HOSTS);
    other quantities to the nearest event."""
    found = counts_mod.casualties(sentence.text, offset=sentence.start)
    for key, count in found.items():
        if tolls.period_toll(sentence.text, key, count, sentence.start):
            continue  # "whose insurgency has killed 40,000 people since 2009": no one event's toll
        pool = [c for c in cands if tolls.hosts_count(key, c.type, c.event.mode)]
        if not pool:  # merge.unhosted_counts gives it to an event of a sentence nearby
            continue
        host = _count_host(pool, count, sentence)
        if getattr(host.event, key) is None:
            setattr(host.event, key, count)
    for q in counts_mod.quantities(sentence.text, offset=sentence.start):
        host = _nearest(cands, q.span.start if q.span else sentence.start)
        host.event.quantities.append(q)


def _count_host(pool: list[Candidate], count, sentence: Sentence) -> Candidate:
    """The event a casualty count belongs to: the one whose trigger is the count's own
    casualty word ("fired tear gas days after two activists were shot dead": the shooting's
    two), else the nearest event before the count."""
    span = count.span
    if span is not None:
        inside = [c for c in pool if span.start <= c.trigger_char < span.end]
        inside = inside or [c for c in pool if c.after_clause and c.after_clause[0] <= span.start < c.after_clause[1]]
        if inside:
            return inside[0]
    return _nearest(pool, span.start if span else sentence.start)


def _nearest(cands: list[Candidate], char: int) -> Candidate:
    """The candidate whose trigger precedes ``char`` most closely (else the first after it)."""
    before = [c for c in cands if c.trigger_char <= char]
    if before:
        return max(before, key=lambda c: c.trigger_char)
    return min(cands, key=lambda c: c.trigger_char)
