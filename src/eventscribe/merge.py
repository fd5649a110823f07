"""Within-document merge: one real event mentioned several times is one record.

An article names its main event in the headline, the lede, a quote and a
closing paragraph. :mod:`eventscribe.coref` decides which candidates report one
event; here their fields are folded together, keeping every sentence as
evidence: what one mention leaves open (the date, the place) another may fill,
and what no mention gives comes from the sentences around it. Cross-document
merging lives in :mod:`eventscribe.dedup`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter

from . import coref, geo, mapping, places, reliability, sides, tolls
from . import counts as counts_mod
from .coref import Cluster
from .extract import Candidate
from .model import Actor, Count, DateRange, Event, Location
from .wordlists import word_lists

_CAUSE_WINDOW_DAYS = 7
VERBAL_TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "REQUEST", "ACCUSE", "REJECT", "THREATEN"}
# Parties named without a nationality ("the army", "police", "militants", "the ministry") are,
# unless the text says otherwise, those of the country where the event happens.
# Verbal types that happen at a place all the same: a meeting, talks, a signed agreement.
_MET_SOMEWHERE = {"CONSULT", "AGREE"}
_LOCAL_SECTORS = {"GOV", "MIL", "REB", "COP", "JUD", "LEG", "CVL", "OPP", "POL", "MED"}


def merge_document(cands: list[Candidate], published: dt.date | None, doc_countries: Counter,
                   dateline: Location | None = None,
                   loose_counts: list[tuple[int, dict[str, Count], bool]] = (), headline: bool = False,
                   updates: list[tuple[int, dict[str, Count]]] = ()) -> list[Event]:
    """Fold a document's candidates into its events, in order of first mention.

    Which candidates report one event is :mod:`eventscribe.coref`'s decision (``headline``:
    sentence 0 is the article's headline); this stage fills each event's fields from its
    mentions and from the text around it.
    """
    own_counts = {id(c): {k: getattr(c.event, k) for k in _SPLIT_KEYS} for c in cands}  # before folding
    own_places = {id(c): tuple(c.event.locations) for c in cands}
    own_modes = {id(c): _mode_votes(c) for c in cands}
    res = coref.resolve(cands, fold=absorb, headline=headline, published=published)
    clusters, owner = res.clusters, res.owner
    _attach_loose_counts(clusters, loose_counts, headline)
    clusters = _apply_toll_updates(clusters, res.owner, updates)
    _split_summed_tolls(clusters, own_counts, own_places)
    _no_future_facts(clusters, published)
    _fill_dates(clusters, owner, published)
    sides.other_side([c.event for c in clusters])  # before places lend the attacker's country
    _fill_locations(clusters, doc_countries, dateline, published)
    _fill_topic_roles(clusters, res)
    _aim_denials_at_accusers(clusters)
    for cluster in clusters:
        _vote_mode(cluster, own_modes)
        _vote_attribution(cluster)
    events = [_finish(c) for c in clusters]
    _name_unnamed_protesters(events)
    ids = {id(c): e.id for c, e in zip(clusters, events)}
    for cluster, event in zip(clusters, events):
        causes = {ids[id(owner[id(cause)])] for m in cluster.members for cause in m.responds_to if id(cause) in owner}
        event.responds_to = sorted(causes - {event.id})
        topics = {ids[id(t)] for m in cluster.members for t in res.about.get(id(m), ())}
        event.refers_to = sorted(topics - {event.id})
    return events


def _vote_attribution(cluster: Cluster) -> None:
    """Who the record says reports the event: the source most of its mentions cite ("Biden
    said" once, a military statement three times: the statement), the first among equals.
    Mentions that only refer back ("the attack") cite their speaker for something else."""
    votes: Counter[str] = Counter()
    first: dict[str, object] = {}
    for m in sorted(cluster.members, key=lambda c: c.trigger_char):
        said = m.event.evidence[0].attribution if m.event.evidence else None  # its own sentence's
        if said is not None and not m.anaphoric:
            votes[said.name] += 1
            first.setdefault(said.name, said)
    if votes:
        best = max(votes.values())
        cluster.event.attribution = next(a for n, a in first.items() if votes[n] == best)
    elif all(m.anaphoric or not m.event.evidence or m.event.evidence[0].attribution is None
             for m in cluster.members):
        cluster.event.attribution = None


# Stances aimed at whoever did the event they take ("condemned the attack", "rejected the
# sanctions", "welcomed the deal").
_TOPIC_AIMED = {"ACCUSE", "REJECT", "SUPPORT"}


def _fill_topic_roles(clusters: list[Cluster], res: coref.Resolution) -> None:
    """ "X condemned the attack": the one condemned is whoever carried out the attack;
    "blamed the attack on Y": Y carried it out, as far as the text knows."""
    authoring = coref.rules().author_governors
    for cluster in clusters:
        ev = cluster.event
        if ev.type not in _TOPIC_AIMED or (ev.type == "REJECT" and ev.mode == "deny"):
            continue  # a denial answers the accuser, not the author (see _aim_denials_at_accusers)
        for m in cluster.members:
            for topic in res.about.get(id(m), ()):
                if ev.target is None and topic.event.actor is not None:
                    ev.target = topic.event.actor
                elif topic.event.actor is None and ev.target is not None and res.about_via.get(id(m)) in authoring:
                    topic.event.actor = ev.target


def _aim_denials_at_accusers(clusters: list[Cluster]) -> None:
    """ "Russia accused Ukraine of shelling the plant. Kyiv denied the claim.": a denial with no
    accuser named in its sentence is aimed at the last accusation made against the denier."""
    last_accuser: dict[str, Actor] = {}  # accused (country or name) -> who accused them, latest
    for cluster in sorted(clusters, key=lambda c: c.head.trigger_char):
        ev = cluster.event
        if ev.type == "ACCUSE" and ev.actor is not None and ev.target is not None:
            for key in _party_keys(ev.target):
                last_accuser[key] = ev.actor
        elif ev.type == "REJECT" and ev.mode == "deny" and ev.target is None and ev.actor is not None:
            ev.target = next((last_accuser[k] for k in _party_keys(ev.actor) if k in last_accuser), None)


def _party_keys(actor: Actor) -> list[str]:
    return [k for k in (actor.country, actor.name.lower()) if k]


# ----------------------------------------------------------------------------- folding


def absorb(head: Candidate, other: Candidate) -> None:
    """Fill what the first mention left open from a later one; keep its evidence."""
    ev, add = head.event, other.event
    have = {e.sentence for e in ev.evidence}
    ev.evidence.extend(e for e in add.evidence if e.sentence not in have)
    ev.actor = _richer_actor(ev.actor, add.actor)
    ev.target = _richer_actor(ev.target, add.target)
    if add.date is not None and (ev.date is None or _more_precise(add.date, ev.date)
                                 or (other.explicit_date and not head.explicit_date and not _more_precise(ev.date, add.date))):
        ev.date = add.date
        head.explicit_date = head.explicit_date or other.explicit_date
    elif _same_days(ev.date, add.date) and add.date.time and not ev.date.time:
        ev.date = ev.date.model_copy(update={"time": add.date.time})  # "on Friday" + "at 4 p.m. Feb. 2"
    for loc in add.locations:
        if all(l.name != loc.name for l in ev.locations):
            ev.locations.append(loc)
    for key in ("fatalities", "injured", "arrested"):
        count = getattr(add, key)
        if count is not None and key != "arrested" and tolls.counts_perpetrators(count) \
                and _carried_out_by_armed_group(ev):
            continue  # "all 16 attackers were killed" by the troops: no toll of the attackers' own attack
        setattr(ev, key, _better_count(getattr(ev, key), count))
    for q in add.quantities:
        _add_quantity(ev.quantities, q)
    ev.mode = _finer_mode(ev.mode, add.mode)
    ev.attribution = ev.attribution or add.attribution
    head.responds_to.extend(other.responds_to)
    if other.earlier_than is not None and head.earlier_than is None:
        head.earlier_than = other.earlier_than


def _add_quantity(have: list, q) -> None:
    """One count of one thing once: "struck 85 targets" in the headline and "struck more than
    85 targets" in the statement are one quantity, the one that says how it was counted."""
    for k, old in enumerate(have):
        if old.unit == q.unit and ((old.min is not None and old.min == q.min)
                                   or (old.max is not None and old.max == q.max)):
            if q.qualifier and not old.qualifier:
                have[k] = q
            return
    have.append(q)


def _finer_mode(have: str | None, other: str | None) -> str | None:
    """The mode a later mention adds: it fills a missing one, and a finer mode of the same
    family refines a coarse one ("killed" by firearms "in a gun battle" is a clash; a
    heavy-weapons attack that the next sentence calls shelling is shelling)."""
    if have is None:
        return other
    if other is not None and other != have and mapping.mode_matches(have, other):
        return other
    return have


def _same_days(a: DateRange | None, b: DateRange | None) -> bool:
    return a is not None and b is not None and (a.start, a.end) == (b.start, b.end)


def _more_precise(a: DateRange, b: DateRange) -> bool:
    return (a.end - a.start) < (b.end - b.start)


def _richer_actor(a: Actor | None, b: Actor | None) -> Actor | None:
    if a is None:
        return b
    if b is None:
        return a
    score = lambda x: (x.country is not None) + (x.sector != "UNK")  # noqa: E731
    if score(b) > score(a):
        return b
    if (a.country, a.sector) == (b.country, b.sector) and _bare_country(a) and _named_body(b):
        return b  # "The US struck ...", then "US Central Command forces conducted": the command
    return a


def _bare_country(actor: Actor) -> bool:
    from .actors import actor_dictionary

    return actor_dictionary().is_country_name(actor.span.text if actor.span else actor.name)


def _named_body(actor: Actor) -> bool:
    """A named organisation, armed group or person, not a country or a sector noun."""
    from .actors import actor_dictionary

    return any(h.kind in ("group", "org", "igo", "person") for h in actor_dictionary().find(actor.name))


def _better_count(a: Count | None, b: Count | None) -> Count | None:
    """The count an event keeps when two of its mentions give one.

    Counts that agree (their ranges meet: "at least 3" and "3") keep the tighter one. Counts
    that contradict each other are a toll and its update ("12 killed" in an early paragraph,
    "the toll is at least 20" in the lede): tolls are revised upwards, so the higher one wins.
    A stated range ("between 2,750 and 2,800") says more than an estimate it contains ("around 2,800").
    """
    if a is None:
        return b
    if b is None:
        return a
    closed = lambda c: c.min is not None and c.max is not None and c.min < c.max  # noqa: E731
    if _counts_meet(a, b) and (closed(a) and tolls.approximate(b) or closed(b) and tolls.approximate(a)):
        return a if closed(a) else b  # "between 2,750 and 2,800" over "around 2,800"
    if not _counts_meet(a, b):
        return b if _low(b) > _low(a) else a
    exact = lambda c: c.min is not None and c.min == c.max  # noqa: E731
    if exact(b) and not exact(a):
        return b
    if (b.min or 0) > (a.min or 0) and not exact(a):
        return b
    return a


def _low(c: Count) -> int:
    return c.min if c.min is not None else (c.max or 0)


def _counts_meet(a: Count, b: Count) -> bool:
    """Can both counts be true of one toll? (None bounds are open.)"""
    lo = max(a.min or 0, b.min or 0)
    his = [x for x in (a.max, b.max) if x is not None]
    return not his or lo <= min(his)


# ----------------------------------------------------------------------------- fallbacks


_LOOSE_COUNT_REACH = 3  # sentences


def unhosted_counts(sentences, candidates: list[Candidate]) -> list[tuple[int, dict[str, Count], bool]]:
    """The counts of each sentence that no event of that sentence can carry ("Fifteen people
    are dead"; the toll in a sentence whose only event is a curfew), by sentence index, and
    whether the sentence names no event at all."""
    hosts: dict[int, list[Candidate]] = {}
    for c in candidates:
        hosts.setdefault(c.sentence.index, []).append(c)
    out = []
    for s in sentences:
        have = hosts.get(s.index, [])
        found = {key: count for key, count in counts_mod.casualties(s.text, offset=s.start).items()
                 if not any(tolls.hosts_count(key, c.type, c.event.mode) for c in have)
                 and not tolls.period_toll(s.text, key, count, s.start)}
        if found and not have and tolls.running_total(s.text):
            continue  # "at least 10 people have been killed since Monday": no one attack's toll
        if found:
            out.append((s.index, found, not have))
    return out


_LEAD_BODY_SENTENCES = 2  # the lead: the first sentences after the headline


def _attach_loose_counts(clusters: list[Cluster], loose_counts, headline: bool = False) -> None:
    """ "Fifteen people are dead", "About 40 others were treated for wounds": sentences that
    count victims without naming the attack belong to the attack reported last before them
    (within a few sentences); failing that, to the article's first attack (a story's toll is
    most often that of its main event), when that one has no count of the kind yet. A lead
    sentence that names no event but its toll ("At least 12 people were killed on Saturday,
    officials said.") gives the main event's toll even when the attack is only named after it
    ("The blast went off at noon"); a toll beside another event ("protests continued with one
    dead") may be that event's own."""
    if not loose_counts:
        return
    lead_end = _LEAD_BODY_SENTENCES - (0 if headline else 1)
    at: dict[int, list[Cluster]] = {}  # sentence index -> events with a mention there, in order
    for c in clusters:
        for idx in sorted({m.sentence.index for m in c.members}):
            at.setdefault(idx, []).append(c)
    by_start = sorted(clusters, key=lambda c: c.head.trigger_char)
    for index, found, bare in loose_counts:
        for key, count in found.items():
            doers = tolls.counts_perpetrators(count)

            def hosts(cs, key=key, doers=doers):
                return (c for c in cs if tolls.hosts_count(key, c.event.type, c.event.mode)
                        and not c.event.negated and not c.event.hypothetical
                        and not (doers and _carried_out_by_armed_group(c.event)))
            # an act that may kill before one that may not: "police fired tear gas ... at least two
            # were killed" were killed by the shooting reported near, if there is one (tolls.may_kill)
            host = _loose_host(hosts, at, by_start, index, key, bare, lead_end, lethal_only=True) \
                or _loose_host(hosts, at, by_start, index, key, bare, lead_end, lethal_only=False)
            if host is not None:
                setattr(host.event, key, _better_count(getattr(host.event, key), count))


def _loose_host(hosts, at, by_start, index: int, key: str, bare: bool, lead_end: int, lethal_only: bool):
    """The event a toll of a sentence that names no attack belongs to (see _attach_loose_counts)."""
    near = [c for back in range(_LOOSE_COUNT_REACH + 1) for c in hosts(at.get(index - back, ()))
            if not lethal_only or tolls.may_kill(key, c.event.mode)]
    # the fighting's toll, not the capture's: "seized a number of heights ... At least 27
    # people have been killed" counts the offensive's dead when the offensive is near
    host = next((c for c in near if c.event.mode != "territory"), None)
    if host is None:
        first = [c for c in hosts(by_start) if (not lethal_only or tolls.may_kill(key, c.event.mode))
                 and ((bare and index <= lead_end) or min(m.sentence.index for m in c.members) <= index)]
        fighting = next((c for c in first if c.event.mode != "territory"), None)
        host = near[0] if near and (fighting is None or getattr(fighting.event, key) is not None) \
            else fighting or (first[0] if first else None)
        if host is None or (host not in near and getattr(host.event, key) is not None):
            return None
    return host


def toll_updates(sentences) -> list[tuple[int, dict[str, Count]]]:
    """The running totals each sentence brings an earlier toll to ("..., bringing the toll to
    10"), by sentence index (:func:`eventscribe.counts.toll_updates`)."""
    out = []
    for s in sentences:
        found = counts_mod.toll_updates(s.text, offset=s.start)
        if found:
            out.append((s.index, found))
    return out


def _apply_toll_updates(clusters: list[Cluster], owner: dict[int, Cluster],
                        updates: list[tuple[int, dict[str, Count]]]) -> list[Cluster]:
    """ "Militants ambushed a patrol, killing eight soldiers. Two more officers died of their
    wounds, bringing the toll to 10.": the total is the toll of the event reported before of a
    kind that carries it (the ambush: 10), and the sentence's own deaths, with no doer of their
    own, are more victims of that event, not an event of their own. New deaths with a doer of
    their own ("gunmen killed three more farmers, bringing the toll to 25") are an event of their
    own, and the total, which covers both, is given to neither. With no event before, the
    sentence's own event carries the total."""
    dropped: set[int] = set()
    for index, found in updates:
        for key, total in found.items():
            def hosts(c: Cluster, key=key) -> bool:
                ev = c.event
                return tolls.hosts_count(key, ev.type, ev.mode) and not ev.negated and not ev.hypothetical

            here = [c for c in clusters if id(c) not in dropped and hosts(c)
                    and any(m.sentence.index == index for m in c.members)]
            new = [c for c in here if min(m.sentence.index for m in c.members) == index]
            before = [c for c in clusters if id(c) not in dropped and hosts(c) and c not in new
                      and min(m.sentence.index for m in c.members) < index]
            if any(c.event.actor is not None for c in new):
                continue  # new deaths by a doer of their own: another event; the total is of both
            earlier = max(before, key=lambda c: max(m.trigger_char for m in c.members if m.sentence.index <= index),
                          default=None)
            if earlier is None:
                if new:
                    setattr(new[0].event, key, _better_count(getattr(new[0].event, key), total))
                continue
            for c in new:  # the sentence's own deaths are more victims of the earlier event
                absorb(earlier.head, c.head)
                earlier.members.extend(c.members)
                for m in c.members:
                    owner[id(m)] = earlier
                dropped.add(id(c))
            setattr(earlier.event, key, _better_count(getattr(earlier.event, key), total))
    return [c for c in clusters if id(c) not in dropped]


def _carried_out_by_armed_group(ev: Event) -> bool:
    """An attack whose doer is not the state's forces: the attackers killed in it ("all 30
    attackers were killed") died at the hands of those forces, in another event."""
    return ev.actor is None or ev.actor.sector not in ("MIL", "COP", "GOV")


_SPLIT_KEYS = ("fatalities", "injured")


def _split_summed_tolls(clusters: list[Cluster], own_counts: dict[int, dict[str, Count | None]],
                        own_places: dict[int, tuple[Location, ...]] | None = None) -> None:
    """ "At least six people were killed in clashes across the country", then three in one
    city, two in another and one in a third: the national toll is the sum of incidents the
    text reports one by one, place by place, and each incident keeps its own count (the event
    that carried the total keeps its own part, if it has one). Only the largest toll of the
    article can be such a sum, and only of parts placed in different towns (the same victim
    counted by two records of one event is no part), and only of parts that lie within the
    place the total's own sentence gives it: five farmers killed in one town are no sum of
    three and two killed in two other towns."""
    def exact(c: Count | None) -> bool:
        return c is not None and c.min is not None and c.min == c.max

    def towns(ev: Event) -> frozenset[str]:
        return frozenset(l.name for l in ev.locations if l.precision in ("place", "admin1"))

    attacks = [c for c in clusters if c.event.type == "ASSAULT" and not c.event.negated and not c.event.hypothetical]
    for key in _SPLIT_KEYS:
        tolls = {id(c): getattr(c.event, key) for c in attacks}
        lows = [t.min for t in tolls.values() if t is not None and t.min is not None]
        for cluster in attacks:
            total = tolls[id(cluster)]
            if total is None or total.min is None or total.min < max(lows) or total.max not in (None, total.min):
                continue
            mine = [(own_counts.get(id(m), {}).get(key), m.event) for m in cluster.members]
            mine = [(c, ev) for c, ev in mine if exact(c) and c.min < total.min and towns(ev)][:1]
            others = [(tolls[id(c)], c.event) for c in attacks if c is not cluster and exact(tolls[id(c)])]
            parts = mine + others
            where = _places_of_total(cluster, total, own_places or {})
            if not all(_lies_within(ev, where) for _, ev in parts):
                continue
            places = [towns(ev) for _, ev in parts]
            distinct = all(places) and all(not p & q for i, p in enumerate(places) for q in places[i + 1:])
            if len(parts) >= 2 and distinct and sum(c.min for c, _ in parts) == total.min:
                setattr(cluster.event, key, mine[0][0] if mine else None)
                _drop_summary_companions(cluster, key, total, own_counts)


def _places_of_total(cluster: Cluster, total: Count, own_places: dict[int, tuple[Location, ...]]) -> list[Location]:
    """The places the sentence of a toll gives its own event ("five farmers killed in
    Garissa": Garissa; "across the country": the country), before any other mention's places
    were folded in."""
    inside = [m for m in cluster.members
              if total.span is not None and m.sentence.start <= total.span.start < m.sentence.end] or [cluster.head]
    return [loc for m in inside for loc in own_places.get(id(m), ())]


def _lies_within(ev: Event, where: list[Location]) -> bool:
    """Is an event placed inside one of these places (a town itself, a town of the admin1
    region, of the country)? Unplaced totals take any part."""
    if not where:
        return True
    for level in ("place", "admin1", "country"):  # the finest place the sentence gives: "in Dogo, Plateau state" is Dogo's
        if any(area.precision == level for area in where):
            where = [area for area in where if area.precision == level]
            break
    for area in where:
        for loc in ev.locations:
            if area.precision == "place" and geo.place_key(loc) == geo.place_key(area):
                return True
            if area.precision == "admin1" and loc.country == area.country and \
                    (loc.admin1 == area.admin1 if area.admin1 else loc.name == area.name):
                return True
            if area.precision == "country" and loc.country == area.country:
                return True
    return False


def _drop_summary_companions(cluster: Cluster, key: str, total: Count, own_counts) -> None:
    """ "At least six people were killed and several hundred injured across the country": once
    the national death toll is split into its incidents, the injured of the same summary
    sentence are national too, no part of the incident that keeps the record (it keeps the
    count its own sentence gives, if any)."""
    if total.span is None:
        return
    summary = next((m.sentence for m in cluster.members
                    if m.sentence.start <= total.span.start < m.sentence.end), None)
    if summary is None:
        return
    for other in _SPLIT_KEYS:
        count = getattr(cluster.event, other)
        if other == key or count is None or count.span is None \
                or not summary.start <= count.span.start < summary.end:
            continue
        own = [own_counts.get(id(m), {}).get(other) for m in cluster.members if m.sentence is not summary]
        setattr(cluster.event, other, next((c for c in own if c is not None), None))


_MONTH_WORD = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b")


def _no_future_facts(clusters: list[Cluster], published: dt.date | None) -> None:
    """An event reported as having happened is not in the future: "the October 7 attacks" in a
    September article is last year's October (a day and month without a year otherwise take
    the publication year when they fall within a month after it, an upcoming date)."""
    if published is None:
        return
    for cluster in clusters:
        ev = cluster.event
        d = ev.date
        if d is None or ev.hypothetical or ev.negated or d.span is None or d.start <= published + dt.timedelta(days=1):
            continue
        if re.search(r"\d{4}", d.span.text) or not _MONTH_WORD.search(d.span.text):
            continue
        try:
            ev.date = d.model_copy(update={"start": d.start.replace(year=d.start.year - 1),
                                           "end": d.end.replace(year=d.end.year - 1)})
        except ValueError:  # 29 February
            continue


def _fill_dates(clusters: list[Cluster], owner: dict[int, Cluster], published: dt.date | None) -> None:
    """Dates for events whose sentences give none.

    A cause ("in response to a drone attack") happened shortly before the event
    that answers it; an event in the sentence right after a dated one shares its
    date (the next sentence elaborates); any other takes the day before
    publication up to publication, the time of the news. Only a day or a week is
    lent (:func:`_inheritable`): "since independence in 1975", "later this year"
    date their own event only.
    """
    dated_at: dict[int, list[Cluster]] = {}  # sentence -> dated events mentioned there, in order
    dated_any: dict[int, list[Cluster]] = {}  # ... of any precision, not after publication
    for c in clusters:
        if c.event.date is not None and c.head.explicit_date and (published is None or c.event.date.start <= published):
            for idx in sorted({m.sentence.index for m in c.members}):
                dated_any.setdefault(idx, []).append(c)
                if _inheritable(c.event.date, published):
                    dated_at.setdefault(idx, []).append(c)
    order = {id(c): i for i, c in enumerate(clusters)}
    for cluster in clusters:
        ev = cluster.event
        if ev.date is not None:
            continue
        answer = next((m.earlier_than for m in cluster.members if m.earlier_than is not None), None)
        answer_cluster = owner.get(id(answer)) if answer is not None else None
        if answer_cluster is not None and answer_cluster.event.date is not None:
            end = answer_cluster.event.date.start - dt.timedelta(days=1)
            ev.date = DateRange(start=end - dt.timedelta(days=_CAUSE_WINDOW_DAYS - 1), end=end, precision="week")
            continue
        first = min(m.sentence.index for m in cluster.members)
        since = _after_event_of_sentence(cluster, clusters, owner, first)
        if since is not None and published is not None and since.start <= published:
            # "After this attack, the group announced ...": after that attack, up to the news
            days = (published - since.start).days
            ev.date = DateRange(start=since.start, end=published,
                                precision="day" if days <= 1 else "week" if days <= 14 else "month")
            continue
        # mentioned in this sentence or the one before (_INHERIT_REACH), first mentioned earlier;
        # of those, the one mentioned last before this event (then the later-made one); "at the
        # time" points back to that date whatever its precision ("protests in 2018 ... Police
        # arrested hundreds at the time")
        lend = dated_any if _AT_THAT_TIME.search(cluster.head.sentence.text) else dated_at
        previous = [c for i in range(first - _INHERIT_REACH, first + 1) for c in lend.get(i, ())
                    if c.head.trigger_char < cluster.head.trigger_char]
        here = cluster.head.trigger_char
        source = max(previous, key=lambda c: (_last_mention_before(c, here, first - _INHERIT_REACH), order[id(c)])) \
            if previous else None
        if source is not None:
            ev.date = source.event.date.model_copy(update={"span": None})
        elif published is not None and not all(m.background for m in cluster.members):
            ev.date = DateRange(start=published - dt.timedelta(days=1), end=published, precision="day")
        # else a background event the text does not date: no date rather than the news day


_INHERIT_REACH = 1  # sentences: the next sentence elaborates, a later paragraph moves on
_AT_THAT_TIME = re.compile(r"\b(?:at\s+(?:the|that)\s+(?:time|point)|(?:that|the)\s+same\s+(?:day|week|month|year)|"
                           r"(?:on|in)\s+that\s+(?:day|week|month|year))\b", re.IGNORECASE)
_AFTER = {"after", "following", "since"}


def _after_event_of_sentence(cluster: Cluster, clusters: list[Cluster], owner: dict[int, Cluster],
                             index: int) -> DateRange | None:
    """The date of the event that the sentence ``index`` names as what this one came after
    ("After this attack, the group announced ..."): a mention of another event there that
    is the object of "after", "following" or "since"."""
    for other in clusters:
        if other is cluster or other.event.date is None:
            continue
        for m in other.members:
            if m.sentence.index == index and m.governors and m.governors[0][1] in _AFTER \
                    and m.governors[0][3] in ("pobj", "pcomp"):
                return other.event.date
    return None


def _last_mention_before(cluster: Cluster, char: int, from_sentence: int) -> int:
    """Where a cluster was last mentioned before ``char``, from sentence ``from_sentence`` on."""
    return max((m.trigger_char for m in cluster.members
                if m.trigger_char < char and m.sentence.index >= from_sentence), default=-1)


def _inheritable(date: DateRange, published: dt.date | None) -> bool:
    """Only a day or a week is a date to lend: "in 1975", "since 2011" or "later this year"
    date their own event, not the paragraphs around it."""
    if date.precision not in ("day", "week"):
        return False
    return published is None or date.start <= published


def _fill_locations(clusters: list[Cluster], doc_countries: Counter, dateline: Location | None = None,
                    published: dt.date | None = None) -> None:
    """Places for events the text places nowhere.

    An event in the sentence right after a placed one shares its place (news
    paragraphs elaborate); any other takes the story's place (see
    :func:`eventscribe.places.story_place`) or the article's main country. Meetings and
    agreements are placed like any event; other statements only where the text places them.
    Local actors (police, courts, civilians) take the country of the place. A background
    event (dated in its own words well before the news, :func:`coref.background`) takes the
    place of an event of its own sentence and time ("detained 120 people during protests in
    Valencia in August"), else the story's place, never that of the news event around it
    ("after a clash in June 2020" that follows the leaders' meeting in Kazan was not in Kazan).
    """
    from .geo import gazetteer

    fallback = None
    if doc_countries:
        iso3, _ = doc_countries.most_common(1)[0]
        fallback = gazetteer().country(iso3)
    if dateline is not None and (fallback is None or dateline.country == fallback.country):
        fallback = dateline  # a local story happens where it was filed
    ordered = sorted(clusters, key=lambda c: c.head.sentence.index)
    # Placed before any filling, so that an event shares the place of another event of its
    # own sentence whichever trigger comes first ("running battles ... protesters in Kisumu").
    in_sentence: dict[int, list[Location]] = {}           # sentence -> places of the last event there
    placed_at: dict[int, list[Event]] = {}                # sentence -> its placed events
    ending_at: dict[int, tuple[int, list[Location]]] = {}  # last sentence -> (order, places)
    for order, c in enumerate(ordered):
        if c.event.locations:
            idxs = {m.sentence.index for m in c.members}
            for i in idxs:
                in_sentence[i] = c.event.locations
                placed_at.setdefault(i, []).append(c.event)
            ending_at[max(idxs)] = (order, c.event.locations)
    for cluster in ordered:
        ev = cluster.event
        first = min(m.sentence.index for m in cluster.members)
        if ev.locations:
            continue
        if ev.type in VERBAL_TYPES and ev.type not in _MET_SOMEWHERE:
            continue  # a statement is placed only where the text places it
        if fallback is not None and fallback.country and places.national_measure(ev):
            ev.locations = [gazetteer().country(fallback.country)]  # "declared a state of emergency"
            continue
        near = in_sentence.get(first)
        if coref.background(cluster.head, published):
            near = _place_of_its_time(ev, placed_at.get(first, ()))
        elif near is None:
            last = max((ending_at[i] for i in (first - 1, first) if i in ending_at), default=None, key=lambda p: p[0])
            near = last[1] if last else None
        inherited = near if near else ([fallback] if fallback is not None else [])
        ev.locations = [l.model_copy(update={"span": None}) for l in inherited]
    main_country = fallback.country if fallback is not None else None
    fighting = _fighting_country(clusters)
    for cluster in clusters:
        ev = cluster.event
        for role in ("actor", "target"):
            actor = getattr(ev, role)
            if actor is None or actor.country is not None or actor.sector not in _LOCAL_SECTORS:
                continue
            if ev.locations:
                home = ev.locations[0].country
            else:  # unplaced: the article's main country (annotators and ACLED code it so)
                home = (fighting or main_country) if actor.sector == "REB" else main_country
            if home and not (role == "actor" and _sponsored_group(actor)):
                setattr(ev, role, actor.model_copy(update={"country": home}))


def _name_unnamed_protesters(events: list[Event]) -> None:
    """ "Protests continued in the capital": a protest the text gives no demonstrators for was
    made by protesters of the place (as coders code it), civilians unless the text says more;
    an arrest no one is named making ("dozens were detained") was made by the place's police.
    Named after confidence is scored: the text names no one, so this adds no support."""
    for ev in events:
        if ev.type == "PROTEST" and ev.actor is None:
            home = ev.locations[0].country if ev.locations else None
            ev.actor = Actor(name="protesters", country=home, sector="CVL")
        elif ev.type == "COERCE" and ev.actor is None and ev.evidence and ev.evidence[0].trigger is not None \
                and ev.evidence[0].trigger.text.lower().split()[0] in _ARRESTING_WORDS:
            # "Roughly 50 people were arrested": an arrest that names no one making it is a police act
            home = ev.locations[0].country if ev.locations else None
            ev.actor = Actor(name="police", country=home, sector="COP")


_ARRESTING_WORDS = word_lists("roles.yaml")["arresting_words"]


def _place_of_its_time(ev: Event, neighbours) -> list[Location] | None:
    """The places of an event of the same sentence and the same days as a background event."""
    for other in neighbours:
        if ev.date and other.date and coref.dates_close(ev.date, other.date):
            return other.locations
    return None


def _fighting_country(clusters: list[Cluster]) -> str | None:
    """The country where most of the story's placed events happen: an armed group the text
    names without a country in an unplaced statement ("vowed to retaliate against the
    militias") is of the country where the story's fighting is, not of the country the story
    names most (in a story of US strikes abroad, the US)."""
    counts = Counter(loc.country for c in clusters for loc in c.event.locations[:1] if loc.country)
    return counts.most_common(1)[0][0] if counts else None


def _sponsored_group(actor: Actor) -> bool:
    """An armed group the text describes by its sponsor ("Iran-backed militias", "a group
    supported by Iran"): where it struck is not its home, so the attack's place gives it
    no country (the sponsor is not its country either)."""
    from .actors import actor_dictionary

    if actor.sector != "REB":
        return False
    return bool(actor_dictionary().sponsor_of(actor.name) or (actor.span and actor_dictionary().sponsor_of(actor.span.text)))


def _mode_votes(cand: Candidate) -> tuple[str, ...]:
    """The modes a mention stands for: all its words name, unless a later rule retyped it
    (a crowd's "attack" that became a riot votes for its new mode only)."""
    if cand.modes and cand.modes[0] == cand.event.mode:
        return cand.modes
    return (cand.event.mode,) if cand.event.mode else ()


_SECONDARY_VOTE = 0.5  # a mode a mention names beside its own ("air and *drone* strikes")
_CLEAR_MARGIN = 1.0    # the record's mode gives way only to one at least a whole mention ahead


def _vote_mode(cluster: Cluster, own_modes: dict[int, tuple[str, ...]]) -> None:
    """The weapon most mentions name: "air and drone strikes ... conducted airstrikes ... the
    airstrikes employed" is an air strike (a drone took part). Each mention gives its own mode
    a vote and the other modes its words name half a vote. Only weapons of one family are
    weighed against each other: a kind of act (an abduction, an arrest) keeps its mode, the
    record's mode gives way only to one a whole mention ahead, and so does a finer mode of the winner's family (see
    :func:`_finer_mode`)."""
    current = cluster.event.mode
    groups = coref.rules().mode_group
    if current is not None and current not in groups:
        return
    escalated = _escalated_mode(cluster, own_modes, current)
    if escalated is not None:
        cluster.event.mode = escalated
        return
    votes: Counter = Counter()
    order: list[str] = []
    for m in cluster.members:
        for rank, mode in enumerate(own_modes.get(id(m), ())):
            votes[mode] += 1.0 if rank == 0 else _SECONDARY_VOTE
            order += [mode] if mode not in order else []
    if not votes:
        return
    best = max(votes.values())
    winner = next(mode for mode in order if votes[mode] == best)
    if votes.get(current, 0) + _CLEAR_MARGIN > best or mapping.mode_matches(winner, current):
        return
    if (current is None and winner in groups) or (current is not None and groups.get(winner) == groups.get(current)):
        cluster.event.mode = winner  # (a shelling whose houses were "destroyed" stays unnamed, not destroy)


def _escalated_mode(cluster: Cluster, own_modes: dict[int, tuple[str, ...]], current: str | None) -> str | None:
    """A mode that one mention is enough for (``coref.yaml`` ``escalating_modes``): a
    demonstration whose marchers burn tyres or throw stones in any of its sentences turned
    violent, however many sentences call it a protest (ACLED codes the worst of it)."""
    if current is None:
        return None  # no group to escalate within: the vote decides
    mode = current
    for m in cluster.members:
        own = own_modes.get(id(m), ())
        if own and m.event.type == cluster.event.type and not m.weak:  # "unrest" names no violence
            mode = coref.worse_mode(mode, own[0])
    return mode if mode != current else None


def _finish(cluster: Cluster) -> Event:
    ev = cluster.event
    ev.evidence.sort(key=lambda e: (e.start, e.trigger.start))
    first = min(cluster.members, key=lambda m: (m.trigger_char, m.split_index))
    copy = f"|{first.split_index}" if first.split_index else ""  # a further listed party's event
    ev.id = hashlib.sha1(f"{ev.doc_id}|{ev.evidence[0].trigger.start}|{ev.type}{copy}".encode()).hexdigest()[:16]
    ev.confidence = _confidence(cluster)
    ev.cameo = mapping.cameo_root(ev.type, ev.mode)
    ev.acled = mapping.acled_type(ev.type, ev.mode,
                                  ev.actor.sector if ev.actor else None,
                                  ev.target.sector if ev.target else None)
    return ev


def _confidence(cluster: Cluster) -> float:
    """How likely the record is a real event a coder would code: the raw score of
    :func:`_raw_confidence` through the calibration fitted on real news
    (``reliability.calibrate``, ``data/confidence_calibration.tsv``), so that of events of
    confidence 0.7 about 70% are right."""
    return round(reliability.calibrate(_raw_confidence(cluster)), 3)


def _raw_confidence(cluster: Cluster) -> float:
    """A rough 0..1 score of how much of the record the text supports: it orders events, the
    calibration turns it into odds."""
    ev = cluster.event
    score = 0.35
    score += 0.15 if ev.actor is not None else 0.0
    score += 0.1 if ev.target is not None else 0.0
    score += 0.1 if cluster.head.explicit_location else 0.0
    score += 0.1 if cluster.head.explicit_date else 0.0
    score += min(0.15, 0.05 * (len(cluster.members) - 1))
    if cluster.head.weak:
        score -= 0.1
    if ev.hypothetical or ev.negated:
        score -= 0.15
    score += cluster.head.salience  # the main clause's event before the ones embedded in it
    return round(max(0.05, min(0.99, score)), 2)
