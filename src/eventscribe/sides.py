"""The two sides of a story's fighting: whom a state's forces fight when the sentence says no more.

"Azerbaijan launched a military offensive", "Azerbaijani forces seized more than 60 posts":
in a story of a war between the forces of two countries, an attack by one country's forces
that names no one it hit, or names only a post or a unit of no country, is aimed at the other
side, not at the attacker's own country (which the place of the fighting would give it).
The other side is the armed party (military or rebel) of another country that the story's
events name most; a story of one country (police and protesters, an army and its rebels) or
of several foreign parties none of which stands out has no other side, and nothing changes.
"""

from __future__ import annotations

from collections import Counter

from .model import Actor, Event
from .wordlists import word_lists

_NEUTRAL = word_lists("sides.yaml")["neutral_words"]

_ARMED = ("MIL", "REB")
_STATE_FORCES = ("MIL", "GOV")
# Parties of these events are helpers, mediators or well-wishers, not sides of a fight.
_NOT_SIDES = {"AID", "CONSULT", "SUPPORT", "COOPERATE"}


def other_side(events: list[Event]) -> None:
    """Aim each state attack with no target of a country at the story's other side."""
    sides = Counter()
    kinds: dict[str, Counter] = {}
    for ev in events:
        if ev.type in _NOT_SIDES:
            continue
        for party in (ev.actor, ev.target):
            if party is not None and party.country and party.sector in _ARMED and not _neutral(party):
                sides[party.country] += 1
                kinds.setdefault(party.country, Counter())[(party.name, party.sector)] += 1
    if len(sides) < 2:
        return
    for ev in events:
        actor, target = ev.actor, ev.target
        if ev.type != "ASSAULT" or actor is None or actor.country is None or actor.sector not in _STATE_FORCES:
            continue
        if target is not None and (target.country is not None or target.sector not in ("MIL", "UNK")):
            continue
        ranked = [(n, c) for c, n in sides.most_common() if c != actor.country]
        if not ranked or (len(ranked) > 1 and ranked[1][0] == ranked[0][0]):
            continue  # no other side, or two that weigh the same
        country = ranked[0][1]
        (name, sector), _ = kinds[country].most_common(1)[0]
        if target is None:
            ev.target = Actor(name=name, country=country, sector=sector)
        else:  # "seized more than 60 military posts": the other side's posts
            ev.target = target.model_copy(update={"country": country, "sector": sector})


def _neutral(party: Actor) -> bool:
    """Peacekeepers, monitors, observers: between the sides, not one of them."""
    return bool(set((party.name or "").lower().split()) & _NEUTRAL)

