"""What the parties decide, once each trigger's roles are read: demonstrators' violence is a
riot and a crowd's attack on the state a PROTEST (`settle_crowd_violence`), a state's
blockade a COERCE and troops who "marched into" a city took it (`settle_by_party`), a verbal
event aimed through the event it names ("vowed to retaliate against X", "condemned the attack
by X": `share_complement_roles`, `share_adjunct_targets`), and listed parties split into one
event each where coders count them apart (`split_listed_parties`).

Read by :mod:`eventscribe.extract` after :mod:`eventscribe.roles`; split out of roles along
this seam.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Token

from .model import Actor, Sentence
from .roles import _PROTEST_CROWDS, _RECIPROCAL, _SUBJECTS, _actor_from_token, _is_passive, _names_a_country
from .wordlists import word_lists


_WORDS = word_lists("settle.yaml")

# Attacks that a crowd carries out by hand (not air strikes, shelling or bombs).
_REMOTE_MODES = _WORDS["remote_modes"]
# A riot is fought against the state or property; protesters against a rival party or militia
# (ACLED: a clash between two sides) stay an attack.
_RIOT_TARGET_SECTORS = {None, "COP", "MIL", "GOV", "BUS", "JUD", "LEG", "UNK", "IGO"}
_STATE_SECTORS = {"GOV", "MIL", "COP"}
# Sides of a clash with civilians that coders take as the attacker: a party's men, a militia.
_ORGANISED_SIDES = {"POL", "REB"}
_ARMED_SECTORS = {"MIL", "REB", "COP"}
_CALLED_PROTESTS = _WORDS["called_protests"]
# Whom a statement is aimed at when it names an event instead of a party: a threat or a
# demand is aimed at whoever would suffer or carry out the event it names ("vowed to retaliate
# against Israel", "called for Israel to halt the strikes"); a condemnation or a rejection at
# whoever did the event it names ("condemned the attack by the militia", "rejected the demand
# by Somalia").
_AIM_AT_INNER_TARGET = {"THREATEN"}
_AIM_AT_INNER_DOER = {"ACCUSE", "REJECT", "REQUEST"}
_HOSTILE_CONTENT = {"ASSAULT", "COERCE", "SANCTION", "THREATEN"}
_COMPLEMENT_PATH = {"xcomp", "ccomp", "dobj", "pobj", "pcomp", "prep", "acl", "nsubj", "nsubjpass", "agent"}
_CIRCUMSTANCE_PREPS = _WORDS["circumstance_preps"]
# "Syria, Iran and the Houthis condemned the strike" is three condemnations (one event per
# actor, as coders of event data count them); parties of one country and sector ("students and
# teachers"), international bodies listed together ("the UN and the EU") and the two sides of a
# meeting or a clash stay one. Listed targets stay one event whose target names them all
# ("imposed sanctions on eight officials and two entities").
_MAX_LISTED = 6
_JOINT_TYPES = {"CONSULT", "AGREE", "COOPERATE"}


def _head_word(actor: Actor | None) -> str:
    """The head noun of a party phrase, singular and lower case ("Angry protesters" -> protester)."""
    if actor is None or actor.span is None:
        return ""
    words = actor.span.text.lower().replace("-", " ").split()
    word = words[-1].strip(".,'’\"") if words else ""
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def is_protest_crowd(actor: Actor | None) -> bool:
    return _head_word(actor) in _PROTEST_CROWDS


def settle_crowd_violence(cands: list, doc: SpacyDoc) -> None:
    """Violence by demonstrators is a riot (PROTEST, mode riot), and so is a protest whose own
    demonstrators turn violent in the same sentence ("students staged a demonstration and
    clashed with police", "protesters torched a police post"). ``cands`` are one sentence's
    :class:`eventscribe.extract.Candidate` objects (``doc`` their parse); changed in place."""
    protests = [c for c in cands if c.event.type == "PROTEST"]
    # "Traders protested ..., resulting in clashes between the traders and police": the same
    # people, however the sentence writes them (case, a shorter phrase with the same head)
    protest_actors = {c.event.actor.name.casefold() for c in protests if c.event.actor is not None}
    protest_heads = {_head_word(c.event.actor) for c in protests if c.event.actor is not None} - {""}
    for cand in cands:
        ev = cand.event
        if ev.type == "ASSAULT" and ev.mode not in _REMOTE_MODES and ev.actor is None:
            crowd = _crowd_of_protest(doc[cand.token], protests, doc)
            if crowd is not None:
                ev.actor = crowd  # "thousands rallied, and some attacked the embassy": the rally's crowd
        if ev.type != "ASSAULT" or ev.mode in _REMOTE_MODES or ev.actor is None:
            continue
        if ev.target is None and doc[cand.token].lemma_.lower() in _RECIPROCAL:
            ev.target = ev.actor  # "rival groups clashed": both sides are of that kind
        if ev.target is not None and is_protest_crowd(ev.target) and ev.actor.sector in ("COP", "MIL") \
                and doc[cand.token].lemma_.lower() in _RECIPROCAL:
            ev.actor, ev.target = ev.target, ev.actor  # "police and demonstrators clashed": a riot
        elif ev.target is not None and ev.actor.sector == "CVL" and ev.target.sector in _ORGANISED_SIDES \
                and doc[cand.token].lemma_.lower() in _RECIPROCAL:
            # "clashes between students and ruling party activists": the party's men or the
            # militia are the attackers, the students or villagers the ones attacked
            ev.actor, ev.target = ev.target, ev.actor
        both_sides = ev.target is ev.actor  # "demonstrators clashed": no other side named
        target_sector = ev.target.sector if ev.target is not None and not both_sides else None
        if target_sector not in _RIOT_TARGET_SECTORS:
            continue
        if is_protest_crowd(ev.actor) or ev.actor.name.casefold() in protest_actors \
                or _head_word(ev.actor) in protest_heads:
            ev.type, ev.mode = "PROTEST", "riot"
            if both_sides:
                ev.target = None
            for protest in protests:  # the sentence's demonstration turned violent
                protest.event.mode = "riot"


def _crowd_of_protest(tok: Token, protests: list, doc: SpacyDoc) -> Actor | None:
    """The demonstrators of a protest whose clause this attack continues with no party of its
    own, or with a part of the crowd as its subject ("thousands rallied in the capital, and some
    attacked the embassy", "marched on the palace and stoned the guards")."""
    subjects = [c for c in tok.children if c.dep_ in _SUBJECTS]
    if any(c.lemma_.lower() not in _WORDS["crowd_parts"] for c in subjects):
        return None
    for protest in protests:
        p = doc[protest.token]
        linked = (tok.dep_ in ("conj", "advcl") and tok.head.i == p.i) or (p.dep_ in ("conj", "advcl") and p.head.i == tok.i)
        if linked and protest.event.actor is not None:
            return protest.event.actor
    return None


def _warns_against_doing(verb: Token) -> bool:
    """ "warned X about/against doing Y": a warning to the addressee about its own conduct."""
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ in ("about", "against"):
            if any(c.dep_ in ("pcomp", "pobj") and c.tag_ == "VBG" for c in prep.children):
                return True
    return False


def _armed_menace(tok: Token) -> bool:
    """ "threatening staff with guns and explosives": a weapon held at someone, not a threat
    between parties about what they will do."""
    heads = [tok] + [c for c in tok.children if c.dep_ in ("dobj", "obj")]  # "threatening staff with guns"
    for prep in (c for h in heads for c in h.children):
        if prep.dep_ == "prep" and prep.lower_ == "with":
            objs = [c for c in prep.children if c.dep_ == "pobj"]
            objs += [c for o in objs for c in o.conjuncts]
            if any(o.lemma_.lower() in _WORDS["hand_weapons"] for o in objs):
                return True
    return False


_MODALS = {"will", "would", "shall", "could", "might", "may", "can", "must", "should", "'ll", "wo", "ca"}


def _warns_of_fact(verb: Token) -> bool:
    """ "The UN warned that the violence has displaced 15,000 people": a clause that says what
    has happened, in the past or perfect tense with no act to come, is a statement of fact, no
    threat."""
    clauses = [c for c in verb.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")]
    if len(clauses) != 1:
        return False
    clause = clauses[0]
    aux = {c.lower_ for c in clause.children if c.dep_ in ("aux", "auxpass")}
    if aux & _MODALS or any(c.dep_ == "xcomp" or c.lower_ == "going" for c in clause.children):
        return False  # "warned that troops are ready to strike / were preparing to attack"
    return clause.tag_ == "VBD" or (clause.tag_ == "VBN" and bool(aux & {"has", "have", "had"})) \
        or (clause.tag_ == "VBG" and bool(aux & {"was", "were"}))


def _freed_by_attack(cand, cands: list, doc: SpacyDoc) -> bool:
    """ "Gunmen stormed the prison, freeing hundreds of inmates", "attacked the jail and freed
    its inmates": a release said in the same breath as an attack (its participle or its
    conjunct) is what the attack did, not a captor's concession."""
    tok = doc[cand.token]
    for other in cands:
        if other is cand or other.event.type != "ASSAULT":
            continue
        o = doc[other.token]
        if (tok.head.i == o.i and tok.dep_ in ("advcl", "conj", "xcomp")) or (o.head.i == tok.i and o.dep_ in ("advcl", "conj")):
            return True
    return False


def settle_by_party(cands: list, doc: SpacyDoc) -> None:
    """Readings that only the parties decide (one sentence's candidates, changed in place):

    - a state's blockade is coercion, not a protest ("the army blockaded the corridor");
    - armed men who march are no demonstrators: "rebels marched into the city" take it,
      "troops marched" alone is no event;
    - "were met by riot police" is a confrontation, no meeting;
    - "warned members against using phones" is advice, no threat;
    - demonstrators who free inmates break a jail open, and so do gunmen who storm a prison
      "freeing hundreds of inmates": they concede nothing;
    - "called for a general strike" organises that protest; it asks nothing of another party;
    - demonstrators who defy a ban or a curfew are protesting, no second act of defiance.
    """
    for cand in cands:
        ev, lemma = cand.event, doc[cand.token].lemma_.lower()
        armed = ev.actor is not None and ev.actor.sector in _ARMED_SECTORS
        if ev.type == "PROTEST" and lemma == "blockade" and ev.actor is not None and ev.actor.sector in _STATE_SECTORS:
            ev.type, ev.mode, cand.modes = "COERCE", "blockade", ("blockade",)
        elif ev.type == "PROTEST" and lemma == "march" and armed:
            if any(c.dep_ == "prep" and c.lower_ == "into" for c in doc[cand.token].children):
                ev.type, ev.mode, cand.modes = "ASSAULT", "territory", ("territory",)
            else:
                cand.merged_into = cand  # drop
        elif ev.type == "CONSULT" and lemma == "meet" and _is_passive(doc[cand.token]) and armed:
            cand.merged_into = cand
        elif ev.type == "REJECT" and ev.mode == "defy" and is_protest_crowd(ev.actor):
            cand.merged_into = cand  # "protesters who defied a ban on gatherings": their defiance is their protest
        elif ev.type == "RETREAT" and ev.mode == "release" and (is_protest_crowd(ev.actor) or _freed_by_attack(cand, cands, doc)):
            cand.merged_into = cand  # "protesters stormed the jail and freed its inmates": no concession
        elif ev.type == "THREATEN" and _armed_menace(doc[cand.token]) and any(
                other is not cand and other.event.type == "ASSAULT" for other in cands):
            cand.merged_into = cand  # "gunmen burst in, threatening staff with guns": the attack's own menace
        elif ev.type == "THREATEN" and lemma == "warn" and (_warns_against_doing(doc[cand.token]) or _warns_of_fact(doc[cand.token])):
            cand.merged_into = cand  # "warned members about using phones": advice, no threat
        elif ev.type == "REQUEST" and any(
                other is not cand and other.event.type == "PROTEST" and doc[other.token].lemma_.lower() in _CALLED_PROTESTS
                and _complement_of(doc[other.token], doc[cand.token]) for other in cands):
            cand.merged_into = cand


def share_complement_roles(cands: list, doc: SpacyDoc) -> None:
    """Targets for verbal events whose complement is another event of the sentence (in place)."""
    for cand in cands:
        ev = cand.event
        if ev.target is not None or ev.type not in _AIM_AT_INNER_TARGET | _AIM_AT_INNER_DOER:
            continue
        inner = [c for c in cands if c is not cand and c.event.type != ev.type
                 and _complement_of(doc[c.token], doc[cand.token])]
        for other in sorted(inner, key=lambda c: c.token):
            aim = _aim(ev, other.event)
            if aim is not None:
                if aim.sector == "MIL" and aim.span is not None and _names_a_country(aim):
                    aim = aim.model_copy(update={"sector": "GOV"})  # "called for Israel to halt strikes"
                ev.target = aim
                break


def share_adjunct_targets(cands: list, doc: SpacyDoc) -> None:
    """ "The group blamed Israel for the attack, vowing to retaliate": a threat in a participle
    of the party's own accusation is aimed at whom it accuses (in place)."""
    for cand in cands:
        ev = cand.event
        tok = doc[cand.token]
        if ev.type != "THREATEN" or ev.target is not None or tok.dep_ not in ("advcl", "xcomp", "conj"):
            continue
        for other in cands:
            if other is cand or doc[other.token].i != tok.head.i or other.event.type not in ("ACCUSE", "THREATEN", "ASSAULT"):
                continue
            hit = other.event.target
            if hit is not None and (ev.actor is None or other.event.actor is None
                                    or (ev.actor.name, ev.actor.country) == (other.event.actor.name, other.event.actor.country)):
                ev.target = hit
                break


def _complement_of(tok: Token, verbal: Token) -> bool:
    """Is ``tok`` inside what ``verbal`` says ("vowed *to retaliate*", "condemned *the attack*"),
    not in a circumstance of it ("condemned ... *after* the attack")?"""
    cur = tok
    for _ in range(6):
        if cur.i == verbal.i:
            return True
        for_to = cur.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "for" for c in cur.children)
        if (cur.dep_ not in _COMPLEMENT_PATH and not for_to) \
                or (cur.dep_ == "prep" and cur.lower_ in _CIRCUMSTANCE_PREPS):
            return False  # "called for X to halt": the parser's advcl with "for" is the complement
        if cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def _aim(ev, inner) -> Actor | None:
    """The party of ``inner`` that the verbal event ``ev`` is aimed at, if not its own actor."""
    def own(party: Actor | None) -> bool:
        return party is not None and ev.actor is not None and (party.name, party.country) == (
            ev.actor.name, ev.actor.country)

    doer, hit = inner.actor, inner.target
    if ev.type in _AIM_AT_INNER_DOER and doer is not None and not own(doer):
        return doer
    if ev.type in _AIM_AT_INNER_TARGET and hit is not None and not own(hit):
        return hit
    if ev.type == "REQUEST" and doer is None and inner.type in _HOSTILE_CONTENT and hit is not None and not own(hit):
        return hit  # "called for strikes on Iran": a demand that no one named carry out, aimed at Iran
    return None


def split_listed_parties(cands: list, doc: SpacyDoc, sentence: Sentence) -> list:
    """Each candidate, and one copy of it per further party its actor lists.

    Copies keep the trigger, places and date; counts stay with the first, so a toll is not
    counted once per party. ``split_index`` tells the copies apart (their ids differ)."""
    out = []
    for cand in cands:
        out.append(cand)
        ev = cand.event
        if ev.type in _JOINT_TYPES or doc[cand.token].lemma_.lower() in _RECIPROCAL:
            continue  # "Modi and Xi met", "talks between A and B": one meeting of two sides
        if doc[cand.token].dep_ in ("acl", "relcl"):
            continue  # "police and students demanding reforms": the participle describes its noun alone
        targets = [t for t in _listed(ev.target, doc, sentence) if t is ev.target or not _same_side(t, ev.actor)]
        if len(targets) > 1:  # "struck the Guards and affiliated militias": one strike, its target names both
            ev.target = ev.target.model_copy(update={"name": _list_names([t.name for t in targets])})
        actors = [a for a in _listed(ev.actor, doc, sentence) if a is ev.actor or not _same_side(a, ev.target)]
        for k, actor in enumerate(actors[1:_MAX_LISTED], start=1):
            event = ev.model_copy(deep=True, update={
                "actor": actor, "fatalities": None, "injured": None, "arrested": None, "quantities": []})
            out.append(replace(cand, event=event, split_index=k, responds_to=list(cand.responds_to)))
    return out


def _list_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _listed(party: Actor | None, doc: SpacyDoc, sentence: Sentence) -> list[Actor | None]:
    """The party and the distinct parties listed with it ("Syria, Iran and the Houthis")."""
    if party is None or party.span is None or not (sentence.start <= party.span.start < sentence.end):
        return [party]
    span = doc.char_span(party.span.start - sentence.start, party.span.end - sentence.start, alignment_mode="expand")
    if span is None:
        return [party]
    head = span.root
    found = [party]
    for conj in [*head.conjuncts, *_fragment_conjuncts(span)]:
        if span.start <= conj.i < span.end:
            continue
        other = _actor_from_token(conj, sentence)
        if other is not None and all(not _one_party(other, f) for f in found):
            found.append(other)
    return found


def _fragment_conjuncts(span) -> tuple:
    """The parties listed in a fragment the parser split off right after a party: "against
    Iran's Revolutionary Guards Corps (IRGC) Quds Force and affiliated militia groups" parsed
    as a second root after the parenthesis still lists the militia groups."""
    doc = span.doc
    k = span.end
    while k < len(doc) and doc[k].is_punct:
        k += 1
    if k >= len(doc) or k == span.end:  # only past a parenthesis or a comma
        return ()
    root = doc[k]
    while root.head.i != root.i:
        root = root.head
    if root.left_edge.i != k or root.i == span.root.i or root.dep_ != "ROOT" or root.pos_ not in ("NOUN", "PROPN"):
        return ()
    return root.conjuncts


def _one_party(a: Actor, b: Actor) -> bool:
    """Two names for one party, or two parties coders list as one (same country and sector,
    or international bodies)."""
    if a.name == b.name and a.country == b.country:
        return True
    if a.sector == b.sector == "IGO":
        return True
    return a.country == b.country and a.sector == b.sector


def _same_side(a: Actor | None, b: Actor | None) -> bool:
    return a is not None and b is not None and a.name == b.name and a.country == b.country
