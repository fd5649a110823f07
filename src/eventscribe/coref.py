"""Within-document event coreference: which candidates report the same real event.

A news article reports its main event in the headline, again in the lead, and refers back to
it in later paragraphs ("the attack", "the raid", "yesterday's bombing"); other events take it
as their topic ("X condemned the attack", "Y claimed responsibility for the bombing", "an
investigation into the killing"). Each of those mentions is a candidate from
:mod:`eventscribe.extract`; this stage groups them into clusters, one per real event, and
records which events are *about* which. :mod:`eventscribe.merge` then fills each cluster's
fields and builds its record.

Rules, in the order they apply:

1. Same sentence: a relative clause or an "in/by/with" phrase of a trigger that has the same
   type describes that trigger's event ("the strike, which hit the residence"; "assassinated
   him in a missile strike").
2. Body mentions, in document order: a mention joins an earlier event of its type when the
   flags (negated, hypothetical) are equal, no field contradicts (actor and target countries
   reversed, places, dates) and enough agrees, or when it is anaphoric (a definite event
   noun with nothing new) and nothing contradicts.
3. Headline (a first block of one sentence without a final stop): its mentions are mentions of the lead's
   event of the same type; headlines compress and garble roles, so only flags, dates and
   reversed roles can keep them apart.
4. Topic mentions (an event noun that is the object or topic of a governor in
   ``data/coref.yaml``): they name an event; they join the nearest asserted event of their
   type, and the governing event (the condemnation, the denial) records it in ``refers_to``.
   With no such event they are the event's only mention and stay one, with the governor's
   subject no longer taken for the actor.

Cost: a mention is compared only with the few most recent events of its own type (a window
of ``recent_clusters``) and the first event of that type (the lede's), never with all pairs,
so a document of n mentions costs O(n).
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import islice

import yaml

from .extract import Candidate
from .geo import place_key  # one town however the text spells it
from .settle import is_protest_crowd
from .model import Actor, DateRange, Event, Location

_SAME_EVENT_DEPS = {"relcl", "acl", "appos"}  # "the strike, which hit"; "the raid targeting"
_SAME_EVENT_PREPS = {"in", "by", "with"}      # "killed him in a strike", "hit by an airstrike"


@dataclass(frozen=True)
class _Rules:
    topic_governors: frozenset[str]
    denial_governors: frozenset[str]
    author_governors: frozenset[str]
    pass_preps: frozenset[str]
    pass_nouns: frozenset[str]
    distinct_modes: frozenset[str]
    mode_group: dict[str, int]
    escalating_modes: tuple[str, ...]  # the worst first
    lead_sentences: int
    recent_clusters: int
    referring_determiners: frozenset[str] = frozenset()
    party_defined_types: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def rules() -> _Rules:
    data = yaml.safe_load(resources.files("eventscribe.data").joinpath("coref.yaml").read_text())
    return _Rules(
        topic_governors=frozenset(data["topic_governors"]),
        denial_governors=frozenset(data["denial_governors"]),
        author_governors=frozenset(data["author_governors"]),
        pass_preps=frozenset(data["pass_through"]["preps"]),
        pass_nouns=frozenset(data["pass_through"]["nouns"]),
        distinct_modes=frozenset(data["distinct_modes"]),
        mode_group={mode: i for i, group in enumerate(data["mode_groups"]) for mode in group},
        escalating_modes=tuple(data.get("escalating_modes", ())),
        lead_sentences=int(data["lead_sentences"]),
        recent_clusters=int(data["recent_clusters"]),
        referring_determiners=frozenset(data.get("referring_determiners", ())),
        party_defined_types=frozenset(data.get("party_defined_types", ())),
    )


def worse_mode(current: str | None, other: str | None) -> str | None:
    """``other`` when it is an escalating mode (``escalating_modes``) of ``current``'s group that
    is worse than ``current``: "protested and blocked the road" is a road block, a march whose
    marchers threw stones a riot; else ``current``."""
    r = rules()
    if other is None or other == current or other not in r.escalating_modes:
        return current
    if current is not None and r.mode_group.get(current) != r.mode_group.get(other):
        return current
    if current in r.escalating_modes and r.escalating_modes.index(current) < r.escalating_modes.index(other):
        return current
    return other


@dataclass
class Cluster:
    """The mentions of one real event; the first member's event becomes the record."""

    members: list[Candidate] = field(default_factory=list)

    @property
    def head(self) -> Candidate:
        return self.members[0]

    @property
    def event(self) -> Event:
        return self.head.event


@dataclass
class Resolution:
    """The clusters of one document, who owns each candidate, and what is about what."""

    clusters: list[Cluster]
    owner: dict[int, Cluster]                       # id(candidate) -> its cluster
    about: dict[int, list[Cluster]]                 # id(governing candidate) -> the events it is about
    about_via: dict[int, str] = field(default_factory=dict)  # id(governing candidate) -> the governor's lemma
    comparisons: int = 0                            # cluster-mention comparisons made (cost)


# ----------------------------------------------------------------------------- entry point


Fold = Callable[[Candidate, Candidate], None]


def resolve(cands: list[Candidate], fold: Fold, headline: bool = False,
            published: dt.date | None = None) -> Resolution:
    """Group a document's candidates into events, in order of first mention.

    ``fold(head, other)`` fills the head mention's record from another mention of its event
    (evidence, open fields); :mod:`eventscribe.merge` supplies it. Clusters fold as they grow,
    so a date or place that one mention gives is there when the next mention is compared.
    ``headline``: sentence 0 is the article's headline (``pipeline.has_headline``);
    ``published``: the news date, which tells the story's events from its background ones.
    """
    state = _State(fold, published)
    ordered = sorted(cands, key=lambda c: c.trigger_char)
    by_token = {(c.sentence.index, c.token): c for c in ordered}
    lead_end = rules().lead_sentences
    pending: list[Candidate] = []  # the headline's mentions, placed once the lead is
    for cand in ordered:
        if pending and cand.sentence.index > lead_end:
            state.place_headline(pending)
        if headline and cand.sentence.index == 0:
            pending.append(cand)
            continue
        host = _described_event(cand, by_token)
        if host is not None and id(host) in state.owner:
            state.place(cand, state.owner[id(host)])
            continue
        governor = _topic_governor(cand)
        if governor is not None:
            state.place_topic(cand, governor, by_token)
        else:
            state.place(cand, state.best_for(cand))
    state.place_headline(pending)
    clusters = sorted(state.clusters, key=lambda c: min(m.trigger_char for m in c.members))
    return Resolution(clusters=clusters, owner=state.owner, about=state.about, about_via=state.about_via,
                      comparisons=state.comparisons)


# ----------------------------------------------------------------------------- the parse facts


def _described_event(cand: Candidate, by_token: dict) -> Candidate | None:
    """The same-type trigger of the sentence whose event this trigger describes, if any."""
    chain = cand.governors
    if not chain:
        return None
    head = None
    tok, lemma, pos, dep = chain[0]
    if dep in _SAME_EVENT_DEPS:
        head = by_token.get((cand.sentence.index, tok))
    elif dep == "pobj" and pos == "ADP" and lemma in _SAME_EVENT_PREPS and len(chain) > 1:
        head = by_token.get((cand.sentence.index, chain[1][0]))
    if head is None or head is cand or head.type != cand.type:
        return None
    if (head.event.negated, head.event.hypothetical) != (cand.event.negated, cand.event.hypothetical):
        return None
    return head


def _topic_governor(cand: Candidate) -> tuple[int, str] | None:
    """(token, lemma) of the word that takes this event noun as its topic ("condemned the attack",
    "responsibility for the bombing", "the investigation into the killing"), else None."""
    r = rules()
    step_deps = {"dobj", "pobj", "prep", "nsubjpass", "compound", "poss", "pcomp"}
    for i, (tok, lemma, pos, dep) in enumerate(cand.governors):
        if dep not in step_deps:
            return None
        if lemma in r.topic_governors:
            return _owning_verb(cand.governors, i) if lemma in ("responsibility", "credit") else (tok, lemma)
        if (pos == "ADP" and lemma in r.pass_preps) or (pos == "NOUN" and lemma in r.pass_nouns):
            continue
        return None
    return None


def _owning_verb(chain, i: int) -> tuple[int, str]:
    """ "claimed responsibility for", "denied responsibility for": the verb that owns it."""
    tok, lemma, _, _ = chain[i]
    if i + 1 < len(chain) and chain[i + 1][2] in ("VERB", "AUX"):
        return chain[i + 1][0], chain[i + 1][1]
    return tok, lemma


# ----------------------------------------------------------------------------- clustering


class _State:
    def __init__(self, fold: Fold, published: dt.date | None = None) -> None:
        self.fold = fold
        self.published = published
        self.clusters: list[Cluster] = []
        self.owner: dict[int, Cluster] = {}
        self.about: dict[int, list[Cluster]] = defaultdict(list)
        self.about_via: dict[int, str] = {}
        self.comparisons = 0
        self._recent: dict[str, OrderedDict[int, Cluster]] = defaultdict(OrderedDict)  # type -> by recency
        self._first: dict[str, Cluster] = {}
        self._window = rules().recent_clusters

    # -- lookup

    def _nearby(self, type_: str) -> list[Cluster]:
        """The most recent events of a type, newest first, and the type's first (the lede's)."""
        recent = list(islice(reversed(self._recent[type_].values()), self._window))
        first = self._first.get(type_)
        if first is not None and all(c is not first for c in recent):
            recent.append(first)
        self.comparisons += len(recent)
        return recent

    def best_for(self, cand: Candidate) -> Cluster | None:
        best, best_score = None, -1
        uncontradicted = None  # the best event that nothing contradicts, even one that disagrees
        for cluster in self._nearby(cand.type):
            score = agreement(cluster, cand, self.published)
            if score is not None and score > best_score:
                best, best_score = cluster, score
            if score is not None and uncontradicted is None:
                uncontradicted = cluster
        if best is None:
            if uncontradicted is not None and _crowd_refers_back(cand):
                return uncontradicted  # "Traders protested ... The protesters burnt tyres": that protest
            return None
        ev = cand.event
        bare = ev.actor is None and ev.target is None and not ev.locations
        if best_score >= 1 or bare or (cand.anaphoric and best_score >= 0):
            return best
        if cand.definite and ev.target is None and best.event.actor is None and best_score >= 0:
            return best  # "its fighters carried out the attack": the author of the attack reported
        if best_score >= 0 and _party_refers_back(cand) and best.event.actor is None:
            return best  # "The attacker ... detonated his charge": the bombing already reported
        if _crowd_refers_back(cand):
            return best  # "Traders protested ... The protesters burnt tyres": that protest, turned violent
        return None

    def lead_cluster(self, cand: Candidate) -> Cluster | None:
        """The earliest event of the headline's type that the lead reports."""
        lead_end = rules().lead_sentences
        found = None
        for cluster in self._nearby(cand.type):
            first = min(m.sentence.index for m in cluster.members)
            if 1 <= first <= lead_end and _headline_compatible(cluster.event, cand.event):
                if found is None or first < min(m.sentence.index for m in found.members):
                    found = cluster
        return found

    def antecedent(self, cand: Candidate) -> Cluster | None:
        """The asserted event of the topic's type nearest before it, else the nearest after."""
        before, after = None, None
        for cluster in self._nearby(cand.type):
            ev = cluster.event
            if ev.negated or ev.hypothetical or _linked(cluster, cand) or _kinds_differ(ev, cand.event) \
                    or not _places_allow(ev.locations, cand.event.locations) or not _dates_allow(cluster, cand):
                continue
            start = cluster.head.trigger_char
            if start < cand.trigger_char:
                if before is None or start > before.head.trigger_char:
                    before = cluster
            elif after is None or start < after.head.trigger_char:
                after = cluster
        return before or after

    # -- placing

    def place(self, cand: Candidate, cluster: Cluster | None) -> Cluster:
        """Add a mention to an event (a headline joining the lead's event adds to it: the lead,
        placed first, keeps its roles), or start a new event."""
        if cluster is None:
            cluster = Cluster(members=[cand])
            self.clusters.append(cluster)
        else:
            cluster.members.append(cand)
            self.fold(cluster.head, cand)
        self._index(cand, cluster)
        return cluster

    def place_topic(self, cand: Candidate, governor: tuple[int, str], by_token: dict) -> None:
        gov_cand = by_token.get((cand.sentence.index, governor[0])) or _owning_event(cand, governor[0], by_token)
        if gov_cand is not None and gov_cand.type == cand.type:
            gov_cand = None  # "retaliated for the attack" is an attack answering one: responds_to covers it
        target = self.antecedent(cand)
        if target is not None:
            target.members.append(cand)
            _add_evidence(target.head, cand)  # it names the event; its roles belong to the sentence's governor
            self._index(cand, target)
        else:
            _stand_alone_topic(cand, gov_cand, governor[1])
            target = self.place(cand, self.best_for(cand))
        if gov_cand is not None:
            self.about[id(gov_cand)].append(target)
            self.about_via[id(gov_cand)] = governor[1]

    def place_headline(self, headline: list[Candidate]) -> None:
        """Headline mentions join the lead's event of their type (once the lead is placed)."""
        for cand in headline:
            lead = self.lead_cluster(cand)
            self.place(cand, lead if lead is not None else self.best_for(cand))
        headline.clear()

    def _index(self, cand: Candidate, cluster: Cluster) -> None:
        self.owner[id(cand)] = cluster
        recent = self._recent[cluster.event.type]
        recent[id(cluster)] = cluster
        recent.move_to_end(id(cluster))
        self._first.setdefault(cluster.event.type, cluster)


def _owning_event(cand: Candidate, governor: int, by_token: dict) -> Candidate | None:
    """ "denied any role in the attack": the governor noun ("role") is no event; the verb that
    owns it ("denied") is."""
    chain = cand.governors
    at = next((i for i, step in enumerate(chain) if step[0] == governor), None)
    if at is None or at + 1 >= len(chain) or chain[at + 1][3] not in ("dobj", "pobj", "nsubjpass"):
        return None
    return by_token.get((cand.sentence.index, chain[at + 1][0]))


def _stand_alone_topic(cand: Candidate, gov_cand: Candidate | None, governor: str) -> None:
    """A topic with no earlier mention is that event's only mention: "Iran condemned the
    assassination" still says an assassination happened (unless the governor denies it), and
    the one who condemned it is not its author."""
    ev = cand.event
    if cand.definite and governor not in rules().denial_governors:
        ev.negated = ev.hypothetical = False
    if gov_cand is not None and ev.actor is not None and gov_cand.event.actor is not None \
            and _same_party(ev.actor, gov_cand.event.actor):
        ev.actor = None


def _party_refers_back(cand: Candidate) -> bool:
    """Is the mention's doer a definite common noun of no known country ("the attacker", "the
    gunmen", "the bomber")? Such a noun names a party the story has already brought in, so its
    attack is the attack already reported, not a new one (an institution, "the cabinet", is no
    such anonymous doer)."""
    actor, sent = cand.event.actor, cand.sentence
    if cand.type != "ASSAULT" or actor is None or actor.span is None or actor.country is not None \
            or actor.sector not in ("UNK", "REB") or not actor.name[:1].islower():
        return False
    words = actor.span.text.split()[:1]  # the span holds its determiner ("The attacker") or not
    before = sent.text[:max(0, actor.span.start - sent.start)].split()[-1:]
    dets = rules().referring_determiners
    return any(w.lower() in dets for w in words + before)


def _crowd_refers_back(cand: Candidate) -> bool:
    """Is the mention a riot or road block whose doers are the demonstrators already reported
    ("the protesters burnt tyres", "these demonstrators barricaded the road")? Their violence
    is that protest's, which turned violent (ACLED: a violent demonstration), whoever the first
    sentence named as marching; nothing may contradict (the agreement is not None)."""
    actor, sent = cand.event.actor, cand.sentence
    if cand.type != "PROTEST" or cand.event.mode not in rules().escalating_modes \
            or actor is None or actor.span is None or not is_protest_crowd(actor):
        return False
    words = actor.span.text.split()[:1]
    before = sent.text[:max(0, actor.span.start - sent.start)].split()[-1:]
    dets = rules().referring_determiners
    return any(w.lower() in dets for w in words + before)


def _same_party(a: Actor, b: Actor) -> bool:
    if a.span is not None and b.span is not None:
        return a.span.start == b.span.start
    return a.name == b.name


# ----------------------------------------------------------------------------- agreement


def agreement(cluster: Cluster, cand: Candidate, published: dt.date | None = None) -> int | None:
    """How many fields agree; None when any field contradicts."""
    a, b = cluster.event, cand.event
    if a.type != b.type or a.negated != b.negated or a.hypothetical != b.hypothetical:
        return None
    if a.date is None and background(cand, published):
        return None  # "the war sparked by Hamas's October 7 attacks" is not the undated attack of the news
    if _linked(cluster, cand) or _siblings(cluster, cand):
        return None
    if _roles_reversed(a, b) or _kinds_differ(a, b, cand.anaphoric):
        return None  # an attack and the counter-attack; a shooting and "the kidnappings"
    if (a.mode == "territory") != (b.mode == "territory") and not cand.anaphoric:
        return None  # taking ground is an event of its own beside the offensive (ACLED codes both)
    if cand.after_clause and cand.explicit_date and b.actor is not None and (
            _actors_agree(a.actor, b.actor) < 0 or (a.date and b.date and not _dates_overlap(a.date, b.date))):
        return None  # "the protests began after soldiers shot dead six students last week": an earlier act
    if a.type in rules().party_defined_types and _parties_apart(a, b):
        return None  # a meeting is its parties: the call with the ousted president is not the summit
    score = 0
    for x, y in ((a.actor, b.actor), (a.target, b.target)):
        score += _actors_agree(x, y)
    if a.locations and b.locations:
        if not _places_overlap(a.locations, b.locations):
            return None
        score += 1
    if a.date and b.date:  # before the fallbacks run, every date here was read from the text
        if not dates_close(a.date, b.date):
            return None
        score += 1
    if a.mode and b.mode and a.mode == b.mode:
        score += 1
    return score


BACKGROUND_DAYS = 7  # an event whose own date ends this long before the news is background


def background(cand: Candidate, published: dt.date | None) -> bool:
    """Is this mention dated in its own words well before the news ("Last year's coup", "the
    October 7 attacks" in a September story)? An undated event of a news story happened
    around its date, so the two are not one event, and the background one takes no place
    from the story around it."""
    date = cand.event.date
    return bool(published and date and cand.explicit_date
                and date.end < published - dt.timedelta(days=BACKGROUND_DAYS))


def _siblings(cluster: Cluster, cand: Candidate) -> bool:
    """Copies of one trigger for the parties it lists are different events by construction."""
    return any(m.sentence.index == cand.sentence.index and m.token == cand.token for m in cluster.members)


def _kinds_differ(a: Event, b: Event, anaphoric: bool = True) -> bool:
    """Modes that say two different acts: a general strike and a march; "the kidnappings"
    after a shooting (but "the gunmen" after a kidnapping are its gunmen). ``a`` is the
    event, ``b`` the new mention."""
    if not (a.mode and b.mode) or a.mode == b.mode:
        return False
    r = rules()
    ga, gb = r.mode_group.get(a.mode), r.mode_group.get(b.mode)
    if ga is not None and gb is not None and ga != gb:
        return True
    return anaphoric and b.mode in r.distinct_modes  # the anaphor ``b`` names a distinct act


def _headline_compatible(a: Event, b: Event) -> bool:
    """Headlines garble roles and places; only flags, dates and reversed roles tell apart."""
    if a.negated != b.negated or a.hypothetical != b.hypothetical or _roles_reversed(a, b):
        return False
    return not (a.date and b.date and not dates_close(a.date, b.date))


def _dates_allow(cluster: Cluster, cand: Candidate) -> bool:
    """A topic dated in its own phrase ("the killings on Friday night") names the event of that
    date: the antecedent must be dated too, and close."""
    a, b = cluster.event.date, cand.event.date
    if not (b and cand.explicit_date):
        return True
    return bool(a and cluster.head.explicit_date and dates_close(a, b))


def _places_allow(xs: list[Location], ys: list[Location]) -> bool:
    """Only two different towns keep a topic from its event (its other places are often the
    governor's: "Iran blamed Israel for the strike")."""
    towns_x = {place_key(l) for l in xs if l.precision == "place"}
    towns_y = {place_key(l) for l in ys if l.precision == "place"}
    return not (towns_x and towns_y and not towns_x & towns_y)


def _linked(cluster: Cluster, cand: Candidate) -> bool:
    """A cause and the event that answers it are never the same event."""
    return any(m is cand.earlier_than or cand is m.earlier_than or cand in m.responds_to or m in cand.responds_to
               or m is cand.precedes or cand is m.precedes for m in cluster.members)


def _actors_agree(x: Actor | None, y: Actor | None) -> int:
    """+1 when two mentions name the same party, -1 when they clearly differ, 0 when unknown.

    A disagreement is not a veto: one sentence names "Iran-backed militias" as
    the target of the strikes that another says hit "the Revolutionary Guards".
    """
    if x is None or y is None:
        return 0
    if x.country and y.country and x.country != y.country:
        return -1
    if x.sector != "UNK" and y.sector != "UNK" and x.sector != y.sector:
        return 1 if {x.sector, y.sector} <= {"GOV", "MIL"} and x.country and x.country == y.country else -1
    return 1


def _parties_apart(a: Event, b: Event) -> bool:
    """Do two mentions name parties of different countries and none in common, whichever
    side each is on ("A met B" is "B's talks with A")?"""
    def countries(ev: Event) -> set[str]:
        return {p.country for p in (ev.actor, ev.target) if p is not None and p.country}
    ca, cb = countries(a), countries(b)
    return bool(ca and cb and not ca & cb)


def _roles_reversed(a: Event, b: Event) -> bool:
    def country(actor):
        return actor.country if actor is not None else None
    pair_a = (country(a.actor), country(a.target))
    pair_b = (country(b.actor), country(b.target))
    return None not in pair_a and pair_a[0] != pair_a[1] and pair_a == pair_b[::-1]


def _places_overlap(xs: list[Location], ys: list[Location]) -> bool:
    """Same country, and not two different towns of it."""
    cx = {l.country for l in xs if l.country}
    cy = {l.country for l in ys if l.country}
    if cx and cy and not cx & cy:
        return False
    towns_x = {place_key(l) for l in xs if l.precision == "place"}
    towns_y = {place_key(l) for l in ys if l.precision == "place"}
    if towns_x and towns_y and not towns_x & towns_y:
        return False
    return bool(cx & cy) or bool({place_key(l) for l in xs} & {place_key(l) for l in ys})


def _dates_overlap(x: DateRange, y: DateRange) -> bool:
    return x.start <= y.end and y.start <= x.end


def dates_close(x: DateRange, y: DateRange) -> bool:
    """Do two date ranges meet, give or take a day?"""
    return x.start - dt.timedelta(days=1) <= y.end and y.start - dt.timedelta(days=1) <= x.end


# ----------------------------------------------------------------------------- evidence


def _add_evidence(head: Candidate, other: Candidate) -> None:
    have = {e.sentence for e in head.event.evidence}
    head.event.evidence.extend(e for e in other.event.evidence if e.sentence not in have)
