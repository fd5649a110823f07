"""Event extraction: from one parsed sentence to event records.

For every trigger of a sentence this module reads, from the dependency parse,
who acted (subject, passive "by" agent, possessor or nationality adjective of an
event noun, subject of a light verb: "US forces *carried out* strikes"), on whom
("on/against X", object, passive subject), where, when, how many were hurt,
whether it really happened (negation, modality, embedding under "threatened
to", "called for") and who says so. The result is one :class:`Candidate` per
trigger; :mod:`eventscribe.merge` then folds candidates that report the same
event into one record.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Token

from . import dates as dates_mod
from . import event_dates
from .geo import PlaceMention
from . import mapping
from .model import Actor, Attribution, DateRange, Evidence, Event, Location, Sentence
from . import roles as roles_mod
from .roles import (  # noqa: F401 - the role readers, split out of this module
    _MATERIAL_CONFLICT,
    _RECIPROCAL,
    _OBJECTS,
    _PASSIVE_SUBJECTS,
    _SUBJECTS,
    _actor_from_token,
    _agent_of,
    _armed_group,
    _bare_country_words,
    _children,
    _claimant,
    _conjoined_actor,
    _first_party_below,
    _harmed,
    _is_passive,
    _prep_object,
    _roles_for_noun,
    _roles_for_verb,
    _span_of,
    _subject_of,
)
from .settle import (
    _complement_of,
    settle_by_party,
    settle_crowd_violence,
    share_adjunct_targets,
    share_complement_roles,
    split_listed_parties,
)
from .triggers import TriggerMatch, lexicon
from .modality import (  # noqa: F401 - the modality readers, split out of this module
    _ANAPHORIC_DETS,
    _COMPLEMENT_DEPS,
    _FIRST_PERSON,
    _SPEECH_VERBS,
    _aimed_at_oneself,
    _alleged,
    _committer,
    _describes_purpose,
    _disowns,
    _governors,
    _is_clear_speech,
    _is_definite,
    _is_infinitive,
    _modality,
    _obligation_parties,
    _own_clause,
    _presupposed_cause,
    _purpose_of_contact,
    _speaker_as_committer,
    _stance_on_future_act,
    _used_to_act,
)
from .attach import attach_counts, attach_places, clause_verb
from .wordlists import word_lists


_WORDS = word_lists("extract.yaml", frozenset({"response_cues"}))

_RESPONSE_CUES = _WORDS["response_cues"]
_VIOLENT_CONTEXT = _WORDS["violent_context"]
_DISASTER_CONTEXT = _WORDS["disaster_context"]
_NATURAL_FORCES = _WORDS["natural_forces"]


@dataclass
class Candidate:
    """One trigger occurrence and what the parse says about it, before merging."""

    event: Event
    weak: bool
    trigger_char: int
    sentence: Sentence
    token: int = 0   # index of the trigger's head token in the sentence parse
    future_only: bool = False  # a trigger that is only an event in the future ("will respond")
    anaphoric: bool = False  # "the attack", "this strike": refers back to an event already reported
    earlier_than: Candidate | None = None   # this event happened before that one ("in response to")
    responds_to: list[Candidate] = field(default_factory=list)
    explicit_date: bool = False
    explicit_location: bool = False
    merged_into: Candidate | None = None
    # --- for eventscribe.coref: the trigger's place in the parse, read once here
    governors: tuple[tuple[int, str, str, str], ...] = ()  # (token, lemma, pos, dep of the step below), upwards
    definite: bool = False  # "the attack", "this bombing", "Friday's strike", "the wave of explosions"
    salience: float = 0.0  # how central the trigger is to its sentence (see _rank_by_clause)
    modes: tuple[str, ...] = ()  # every mode the mention's words name ("air and drone strikes"), best first
    purpose_only: bool = False  # "bases the militias use to attack US troops": what a thing is for
    split_index: int = 0  # >0: a copy for a further listed party ("Syria, Iran and the Houthis condemned")
    background: bool = False  # its sentence goes on about the past (DocContext.background)
    after_clause: tuple[int, int] | None = None  # chars of its clause of "after/since" ("began after police shot 6")
    precedes: Candidate | None = None  # the act of its sentence this one came before ("X began after Y"): never one event

    @property
    def type(self) -> str:
        return self.event.type


@dataclass
class DocContext:
    """What the whole document tells every sentence: its date and its countries."""

    doc_id: str
    text: str
    published: object  # datetime.date | None
    place_mentions: list[PlaceMention]
    country_weights: dict[str, float]
    attributions: dict[int, Attribution]
    dateline: Location | None = None  # "TBILISI - ..." : where the story was filed
    # the countries an unplaced event may take (country_weights less armed groups' homes)
    setting_weights: dict[str, float] | None = None
    # sentences that go on about the past ("In 2020 ... . A ceasefire ended the war."): an
    # undated event there is no news of the day (event_dates.background_sentences)
    background: frozenset[int] = frozenset()


# Acts whose only report is an accusation are the accusation's content, not events the text asserts
# ("accused Rwanda of supporting M23"); violent acts that someone is accused of did happen, only
# their author is alleged ("accused the army of killing civilians").
_ALLEGED_ONLY = {"SUPPORT", "AID", "COOPERATE", "CONSULT", "AGREE", "MOBILIZE"}


_OBLIGATION_AUX = _WORDS["obligation_aux"]


# ----------------------------------------------------------------------------- sentence


def _mode_for(match: TriggerMatch, doc: SpacyDoc, others: list[int]) -> str | None:
    """Mode from the trigger's own modifiers, else from its clause (not from other events' words)."""
    modes = _modes_for(match, doc, others)
    return modes[0] if modes else None


def _modes_for(match: TriggerMatch, doc: SpacyDoc, others: list[int]) -> list[str]:
    """Every mode the trigger's words name, best first; the first is the mention's own mode."""
    lex = lexicon()
    head = doc[match.start]
    own = [t.lemma_.lower() for t in doc[match.start:match.end]]
    near = own + [c.lemma_.lower() for c in head.children] + [c.lower_ for c in head.children]
    for conj in head.children:
        if conj.dep_ == "conj":
            near += [c.lemma_.lower() for c in conj.children] + [conj.lemma_.lower()]
    if head.dep_ in ("compound", "amod", "conj"):
        near.append(head.head.lemma_.lower())
    # what was fired or thrown, by its modifier: "fired tear gas" (not a gun), "threw petrol bombs"
    near += [g.lemma_.lower() for c in head.children if c.dep_ == "dobj" for g in c.children if g.dep_ in ("compound", "amod")]
    if head.lemma_.lower() not in _RECIPROCAL:  # roles: "opened fire with mortars" (a fight stays a fight)
        near += [w for w in _instrument_words(head)]
    near += [t.lemma_.lower() for t in doc[max(0, match.start - 3):match.start]]  # "air and drone strikes"
    modes = lex.modes_for(match.type, near)
    # a protest's clause tells whether it turned violent ("protesters torched cars")
    from .coref import rules as coref_rules  # coref reads this module's Candidate

    escalating = coref_rules().escalating_modes
    if not modes and (match.entry.mode is None or match.type == "PROTEST"):
        foreign = {t.i for o in others if o != match.start for t in doc[o].subtree}
        clause = [t for t in _own_clause(clause_verb(head)) if t.i not in foreign]
        modes = lex.modes_for(match.type, [t.lemma_.lower() for t in clause] + [t.lower_ for t in clause])
    elif match.type == "PROTEST" and not any(m in escalating for m in modes):
        # "blocking roads with stones and burning tires", "blockade the road with lit fires": a
        # blockade or a march whose own clause turns violent is a riot, whatever its word says
        foreign = {t.i for o in others if o != match.start for t in doc[o].subtree}
        clause = [t for t in _own_clause(clause_verb(head)) if t.i not in foreign]
        worse = [m for m in lex.modes_for(match.type, [t.lemma_.lower() for t in clause] + [t.lower_ for t in clause])
                 if m in escalating]
        modes = worse[:1] + modes
    own_mode = match.entry.mode
    if own_mode is not None and modes and modes[0] != own_mode and mapping.mode_matches(modes[0], own_mode):
        # the word is finer than its company: a "gun battle" is a firefight, a blocked road a road block
        return [own_mode] + [m for m in modes if m != own_mode]
    if own_mode is not None and own_mode not in modes:
        modes = modes + [own_mode] if modes else [own_mode]
    return modes


def _instrument_words(head: Token) -> list[str]:
    """Lemmas of what a trigger was done with: "opened fire with mortars and rifles", and of
    the thing that did a passive harm ("the truck was hit by a roadside IED")."""
    out = []
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ in ("with", "using") or prep.dep_ == "agent":
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    out += [obj.lemma_.lower(), *(c.lemma_.lower() for c in obj.conjuncts),
                            *(c.lemma_.lower() for c in obj.children if c.dep_ == "compound")]
    return out


_PERSON_HEADS = _WORDS["person_heads"]


def _armed_persons(tok: Token) -> bool:
    """Men the text arms: "a group of five men armed with machetes", "a gang of three men",
    "men in civilian clothes, one armed with a pistol"."""
    outer = tok.lemma_.lower()
    if outer in ("gang", "band", "group"):  # "a gang of three men": the men
        inner = [o for p in tok.children if p.dep_ == "prep" and p.lower_ == "of" for o in p.children if o.dep_ == "pobj"]
        if not inner:
            return False
        tok = inner[0]
    if tok.lemma_.lower() not in _PERSON_HEADS:
        return False
    return outer in ("gang", "band") or any(t.lower_ == "armed" for t in tok.subtree)


def _armed_victims(target: Actor | None, doc: SpacyDoc) -> bool:
    """Soldiers or police killed, with no accident or disaster in the sentence: an attack by
    someone the text does not name ("Four security officers killed.")."""
    if target is None or target.sector not in ("MIL", "COP"):
        return False
    return not ({t.lemma_.lower() for t in doc} | {t.lower_ for t in doc}) & _DISASTER_CONTEXT


def _violent_context(doc: SpacyDoc) -> bool:
    words = {t.lemma_.lower() for t in doc} | {t.lower_ for t in doc}
    return bool(words & _VIOLENT_CONTEXT) and not (words & _DISASTER_CONTEXT)


def _stable_id(*parts: object) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:16]


def sentence_candidates(doc: SpacyDoc, sentence: Sentence, ctx: DocContext) -> list[Candidate]:
    """Every event a parsed sentence reports, one candidate per trigger."""
    lex = lexicon()
    matches = lex.match(doc[:])
    if not matches:
        return []
    out: list[Candidate] = []
    starts = [m.start for m in matches]
    for match in matches:
        cand = _candidate(doc, sentence, match, ctx, starts)
        if cand is not None:
            out.append(cand)
    _fold_weak_triggers(out, doc)
    _fold_light_verbs(out, doc)
    settle_crowd_violence(out, doc)  # settle: demonstrators' violence is a riot
    settle_by_party(out, doc)  # settle: a state's blockade, armed men's march, "met by police"
    share_complement_roles(out, doc)  # settle: 'vowed to retaliate against X' is aimed at X
    share_adjunct_targets(out, doc)  # settle: 'blamed X for the attack, vowing to retaliate'
    _aim_denials(out, doc, sentence)
    everyone = out
    out = [c for c in out if c.merged_into is None]
    if not out:
        return []
    attach_places(out, sentence, ctx, everyone, doc)
    attach_counts(out, sentence)
    _fold_demanded_acts(out, doc)  # after places: "called for an attack on Iran" happened nowhere
    out = [c for c in out if c.merged_into is None and not c.purpose_only]
    _link_responses(out, sentence)
    _link_after_clauses(out, doc)
    _rank_by_clause(out, everyone, doc)
    return split_listed_parties(out, doc, sentence)


# Verbs that only carry the act their object names: "pledged full support" is support, "offered
# scathing criticism" an accusation, "expressed its rejection" a rejection (a pledge of aid stays
# a pledge: PLOVER codes promised aid as AGREE).
_LIGHT_VERBS = _WORDS["light_verbs"]
_EXPRESSIVE_TYPES = {"SUPPORT", "ACCUSE", "REJECT"}


def _fold_light_verbs(cands: list[Candidate], doc: SpacyDoc) -> None:
    """A light verb whose object is an expressive event noun reports that event: the verb's
    candidate takes the noun's type and mode (it keeps the clause's rank and its subject) and
    the noun's candidate joins it."""
    by_token = {c.token: c for c in cands if c.merged_into is None}
    for verb in list(by_token.values()):
        tok = doc[verb.token]
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in _LIGHT_VERBS:
            continue
        objects = [o for o in tok.children if o.dep_ in ("dobj", "obj")]
        objects += [c for o in objects for c in o.conjuncts]
        noun = next((by_token[o.i] for o in objects if o.i in by_token and by_token[o.i].type in _EXPRESSIVE_TYPES
                     and by_token[o.i] is not verb), None)
        if noun is None or noun.type == verb.type:
            continue
        ev = verb.event
        ev.type, ev.mode = noun.type, noun.event.mode
        ev.target = noun.event.target or (ev.target if ev.target is not None and ev.target.span is not None
                                          and ev.target.span.text.lower() != doc[noun.token].text.lower() else None)
        verb.modes = noun.modes
        noun.merged_into = verb


# Verbal events whose content is another act: "called for strikes on Iran", "threatened to
# close the border", "refused to withdraw". The act is what is asked, threatened or refused.
_ACT_CARRIERS = {"REQUEST", "THREATEN", "REJECT", "AGREE"}
_DEMANDED_FORCE = {"ASSAULT", "COERCE"}  # acts of force asked for or threatened (a release asked for stays its own)


def _fold_demanded_acts(cands: list[Candidate], doc: SpacyDoc) -> None:
    """A hypothetical act of force that is the content of a verbal event of the sentence is part of that
    event (its target is already shared, see settle.share_complement_roles), not a record of
    its own: "senators called for a direct attack on Iran" is one REQUEST aimed at Iran."""
    carriers = [c for c in cands if c.type in _ACT_CARRIERS and c.merged_into is None
                and not c.event.hypothetical and not c.event.negated]
    for cand in cands:
        if cand.merged_into is not None or not cand.event.hypothetical or cand.type not in _DEMANDED_FORCE:
            continue
        carrier = next((v for v in carriers if v.token != cand.token
                        and _complement_of(doc[cand.token], doc[v.token])), None)
        if carrier is not None:
            cand.merged_into = carrier


# An event whose trigger hangs below another event's trigger is that event's content or
# circumstance ("denounced the detentions", "suspended aid", "refused to meet", "arrested for
# collaborating"): the main verb's event is what the sentence reports first.
_EMBEDDED_PENALTY = 0.2
_ROOT_BONUS = 0.05


def _rank_by_clause(cands: list[Candidate], everyone: list[Candidate], doc: SpacyDoc) -> None:
    """Set each candidate's salience from where its trigger sits in the parse."""
    triggers = {c.token for c in everyone}
    by_token = {c.token: c for c in cands}
    for c in cands:
        tok = doc[c.token]
        contact = by_token.get(tok.head.i) if tok.pos_ == "VERB" and _purpose_of_contact(tok) else None
        if contact is not None and contact.type == "CONSULT":
            # "called his counterpart to congratulate him": the call is the means, the praise the act
            contact.salience -= _EMBEDDED_PENALTY + _ROOT_BONUS
            continue
        if triggers & {a.i for a in tok.ancestors}:
            c.salience -= _EMBEDDED_PENALTY
        elif _circumstance(tok):
            c.salience -= _EMBEDDED_PENALTY
        elif tok.dep_ == "ROOT":
            c.salience += _ROOT_BONUS


_TIME_NOUNS = _WORDS["time_nouns"]


def _circumstance(tok: Token) -> bool:
    """A trigger that sets the scene for the sentence's own act rather than reporting it: the
    time of the act ("after a meeting in Cairo, the ministers condemned ...", "on the eve of a
    visit", "said after meeting officials") or a description of one of its parties ("the
    coalition fighting the rebels declared a truce")."""
    if _in_time_clause(tok):
        return True
    if tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _TIME_PREPS for c in tok.children):
        return True  # "jets forced the plane to land after it violated the airspace"
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lemma_.lower() in _TIME_NOUNS:
        return True  # "on the eve of a visit", "in the wake of the attack", "ahead of the talks"
    return tok.pos_ == "VERB" and tok.dep_ in ("acl", "relcl") and tok.head.pos_ in ("NOUN", "PROPN") \
        and tok.head.dep_ in ("nsubj", "nsubjpass")


def _candidate(doc: SpacyDoc, sentence: Sentence, match: TriggerMatch, ctx: DocContext,
               others: list[int]) -> Candidate | None:
    trigger = doc[match.start]
    # the content word of a multiword trigger ("open fire" -> open; "car bomb" -> bomb)
    if match.end - match.start > 1 and trigger.pos_ not in ("VERB", "NOUN"):
        trigger = next((t for t in doc[match.start:match.end] if t.pos_ in ("VERB", "NOUN")), trigger)
    verb = clause_verb(trigger)
    negated, hypothetical, future, speech = _modality(trigger, verb)
    if hypothetical and _used_to_act(trigger):
        hypothetical = False  # "the army used drones to attack the village": the attack happened
    if hypothetical and _presupposed_cause(trigger):
        hypothetical = False  # "vowed to kill its leaders over the group's October 7 attack": it happened
    entry = match.entry
    if entry.negated_only:
        if not _disowns(trigger, others):
            return None  # "was involved in the talks", "not confirmed responsible" deny nothing
        negated = False  # "said it was not involved": the denial happened
    if entry.future and not future:
        # "Israel retaliated with airstrikes": the past tense takes the word's other reading
        entry = next((e for e in match.fallbacks if not e.future), None)
        if entry is None:
            return None
        match = TriggerMatch(match.start, match.end, entry)
    type_ = entry.type
    if trigger.dep_ in ("acl", "amod") and (type_ in ("SUPPORT", "AID", "COOPERATE") or trigger.dep_ == "amod") \
            and not entry.weak:
        return None  # "a militia backed by Iran", "the alleged abuses" describe; they report no event
    if type_ == "REQUEST" and trigger.dep_ == "acl" and trigger.tag_ == "VBG" \
            and any(t.pos_ in ("NOUN", "PROPN") and _actor_from_token(t, sentence) is not None
                    for t in {trigger.head, doc[trigger.i - 1]}):
        return None  # "clashes between police and students demanding reforms": what the students want
    if trigger.pos_ == "NOUN" and trigger.dep_ in ("compound", "amod") and trigger.head.pos_ in ("NOUN", "PROPN") \
            and match.end - match.start == 1 and trigger.head.lemma_.lower() not in _EVENT_HEADS:
        return None  # "aid agencies", "riot police", "protest leaders", "attack helicopters"
    # "killed" outside violent context needs a human doer ("raiders killed a girl", not a flood)
    unsure_violence = entry.weak and match.type == "ASSAULT" and not _violent_context(doc)
    pledge_not_to = negated and trigger.pos_ == "VERB" and any(c.dep_ == "neg" for c in trigger.children)
    if match.type == "ASSAULT" and future and speech is not None and (pledge_not_to or not negated):
        # "more attacks will follow", said the president: a threat;
        # "the group announced it would not attack US facilities": a concession
        type_ = "CONCEDE" if negated else "THREATEN"
        hypothetical = negated = False
    if entry.future:
        hypothetical = False  # "we will respond" is itself the threat
    if type_ in _ALLEGED_ONLY and _alleged(trigger):
        hypothetical = True  # "accused Rwanda of backing the rebels": the backing is the allegation
    stance = _stance_on_future_act(match.type, trigger, verb, negated, hypothetical, future, speech) \
        if type_ == match.type else None

    gerund = trigger.tag_ == "VBG" and trigger.dep_ in ("pobj", "dobj", "nsubj", "nsubjpass")  # "in police firing"
    obligation = trigger.lemma_.lower() in _OBLIGATION_AUX
    if obligation:
        parties = _obligation_parties(trigger)
        if parties is None or negated:
            return None
        actor_tok, target_tok = parties
        actor = _conjoined_actor(actor_tok, sentence)
        hypothetical = False
    elif (trigger.pos_ in ("VERB", "AUX") or trigger.i == verb.i and trigger.pos_ != "NOUN") and not gerund:
        actor_tok, target_toks = _roles_for_verb(trigger, entry.type)
        if actor_tok is None and trigger.dep_ == "acl" and trigger.tag_ == "VBG":
            actor_tok = trigger.head  # "police firing", "troops shelling": the noun is the doer
        if actor_tok is None:
            actor_tok = roles_mod.accused_doer(trigger, entry.type)  # "accused Israel of assassinating him"
        actor = _conjoined_actor(actor_tok, sentence) if actor_tok is not None else None
        if entry.type == "ASSAULT":  # roles: "a student was killed in police firing"
            target_toks.extend(t for t in [_harmed(trigger), roles_mod.purpose_target(trigger)] if t is not None)
        target_toks = [t for t in target_toks if not roles_mod.moved_forces(trigger, t)]
        target_tok = next((t for t in target_toks if _actor_from_token(t, sentence) is not None
                           or (t.pos_ == "PRON" and _conjoined_actor(t, sentence) is not None)), None)
    else:
        actor, actor_tok, target_tok = _roles_for_noun(trigger, sentence, entry.type)
        if actor is None and actor_tok is not None:
            actor = _conjoined_actor(actor_tok, sentence)
    if type_ == "ASSAULT" and actor_tok is not None and actor_tok.lemma_.lower() in _DISASTER_CONTEXT | _NATURAL_FORCES \
            and not lexicon().mode_for("ASSAULT", [c.lemma_.lower() for c in actor_tok.children]):
        return None  # "a typhoon struck Okinawa" (but "mortar fire hit the market" is an attack)
    if type_ == "ASSAULT" and _aimed_at_oneself(doc[match.start:match.end]):
        return None  # "Israel has opened fire on itself": a figure of speech, no attack
    target = _conjoined_actor(target_tok, sentence) if target_tok is not None else None
    if unsure_violence and (actor is None or actor.sector == "UNK") and not _armed_victims(target, doc):
        return None  # roles: no one named did it (but "four policemen killed" were killed by someone)
    if target is None:
        target = _first_party_below(trigger, actor, sentence, others, strict=type_ in _MATERIAL_CONFLICT)
    if stance is not None and actor is None:
        actor = _committer(trigger, sentence)  # "Russia is willing to withdraw": the subject of "is"
    if stance is not None and actor is None and speech is not None \
            and any(c.dep_ == "nsubj" and c.pos_ == "PRON" for c in verb.children):
        actor = _speaker_as_committer(speech, sentence)  # "Clinton said he will not lift the embargo"
    if stance is not None and (actor is not None or stance == "CONCEDE"):
        # "said it will release the prisoners": the commitment is the event (it needs a committer)
        type_, negated, hypothetical = stance, False, False
    if type_ == "AGREE" and _is_infinitive(verb) and verb.head.lemma_.lower() == "fail" and not negated:
        type_, hypothetical = "REJECT", False  # "the talks failed to reach an agreement": no deal (CAMEO 12)
    if type_ in ("THREATEN", "CONCEDE") and match.type == "ASSAULT" and speech is not None:
        speaker = _subject_of(speech)
        actor = _conjoined_actor(speaker, sentence) if speaker is not None else actor
    if actor is None and actor_tok is not None and actor_tok.lower_ in _FIRST_PERSON and sentence.index in ctx.attributions:
        actor = _attributed(ctx.attributions[sentence.index])  # "'We hold Israel responsible,' the group said"
    if actor is None and type_ not in _MATERIAL_CONFLICT:
        actor = roles_mod.governing_speaker(trigger, sentence)  # "police stated that an inquiry had been opened"
    if actor is None and type_ in ("THREATEN", "ACCUSE", "REQUEST", "REJECT", "SUPPORT") and sentence.index in ctx.attributions:
        actor = _attributed(ctx.attributions[sentence.index])
    actor, target = _armed_group(actor), roles_mod.state_weapons(_armed_group(target), target_tok)
    actor = roles_mod.state_weapons(actor, actor_tok) if type_ == "ASSAULT" else actor  # "Russian drones hit"
    if actor is not None and type_ == "ASSAULT" and actor.sector == "GOV" and actor.span is not None \
            and actor.span.text.lower() in _bare_country_words(actor):
        actor = actor.model_copy(update={"sector": "MIL"})
    if actor is not None and type_ == "ASSAULT" and actor.sector == "CVL" and actor_tok is not None and _armed_persons(actor_tok):
        actor = actor.model_copy(update={"sector": "UNK"})  # "men armed with machetes": an armed band, not a crowd

    trigger_span = _span_of(doc, match.start, match.end, sentence)
    trigger_char = trigger_span.start
    date = dates_mod.event_date(sentence.text, ctx.published, trigger_start=trigger_char, offset=sentence.start)
    lasted = event_dates.lasting(sentence.text, trigger_char - sentence.start, date, ctx.published,
                                 offset=sentence.start) if trigger.pos_ == "NOUN" else None
    date = lasted or date  # "imposed a 10-month blockade": ten months up to its date
    explicit = date is not None
    if date is None:
        # "announced on October 21 that they had agreed": the statement date is the best bound we have
        date = dates_mod.statement_date(sentence.text, ctx.published, offset=sentence.start)
    modes = tuple(_modes_for(match, doc, others)) if type_ == match.type else ()
    said_by = None if _in_time_clause(trigger) else ctx.attributions.get(sentence.index)
    evidence = Evidence(doc_id=ctx.doc_id, sentence=sentence.index, start=sentence.start, end=sentence.end,
                        text=sentence.text, trigger=trigger_span, attribution=said_by)
    event = Event(
        id=_stable_id(ctx.doc_id, trigger_char, type_),
        doc_id=ctx.doc_id,
        type=type_,
        mode=modes[0] if modes else None,
        actor=actor,
        target=target,
        date=date,
        negated=negated,
        hypothetical=hypothetical,
        attribution=said_by,
        evidence=[evidence],
    )
    if type_ == "THREATEN" and trigger.lemma_.lower() in ("warn", "warning") and actor is not None \
            and actor.sector in ("BUS", "NGO", "MED"):
        return None  # "aid agencies warned of displacement": a forecast, not a threat of force
    if negated and hypothetical and actor is None and target is None:
        return None  # "this would not be just one attack": no act, no party; nothing to record
    anaphoric = _is_anaphoric(trigger, actor, target, sentence) or (trigger.dep_ == "acl" and trigger.tag_ == "VBN")
    if anaphoric and explicit and not _date_is_own(trigger, date, sentence):
        event.date, explicit = None, False  # "condemned the attack on Friday": Friday dates the condemnation
    return Candidate(event=event, weak=entry.weak, trigger_char=trigger_char, sentence=sentence,
                     token=trigger.i, future_only=entry.future, explicit_date=explicit, anaphoric=anaphoric,
                     governors=_governor_chain(trigger), definite=_is_definite(trigger), modes=modes,
                     purpose_only=_describes_purpose(trigger), background=sentence.index in ctx.background,
                     after_clause=_after_clause_span(trigger, sentence))


def _attributed(attr: Attribution) -> Actor:
    return Actor(name=attr.name, country=attr.country, sector=attr.sector or "UNK", span=attr.span)


_TIME_PREPS = _WORDS["time_preps"]


def _in_time_clause(trigger: Token) -> bool:
    """ "After this attack, the group announced ...": the attack is when the group spoke, not
    what it says; the sentence's speaker is no source for it."""
    cur = trigger
    for _ in range(3):
        if cur.dep_ not in ("pobj", "pcomp") or cur.head.i == cur.i:
            return False
        if cur.head.dep_ == "prep" and cur.head.lower_ in _TIME_PREPS:
            return True
        cur = cur.head
    return False


def _afterclause_verb(trigger: Token) -> Token | None:
    """ "The protests began after soldiers shot dead six students", "weeks after jihadists killed
    20 soldiers in an ambush": the verb of the clause of "after", "since" or "following" that
    holds the trigger (the trigger's own verb, or the first verb above it)."""
    cur = trigger
    for _ in range(4):
        if cur.pos_ in ("VERB", "AUX"):
            marked = any(c.dep_ == "mark" and c.lower_ in ("after", "since", "following") for c in cur.children)
            return cur if marked else None
        if cur.head.i == cur.i:
            return None
        cur = cur.head
    return None


def _after_clause_span(trigger: Token, sentence: Sentence) -> tuple[int, int] | None:
    verb = _afterclause_verb(trigger)
    if verb is None:
        return (sentence.start, sentence.start) if _in_time_clause(trigger) else None  # "after the attack"
    return (sentence.start + verb.left_edge.idx, sentence.start + verb.right_edge.idx + len(verb.right_edge))


def _link_after_clauses(cands: list[Candidate], doc: SpacyDoc) -> None:
    """ "The attack comes weeks after jihadists killed 20 soldiers in an ambush": what a clause of
    "after" reports came before the act of its sentence, so the two are never one event (the
    clause's event is earlier than the nearest event of its type outside the clause)."""
    for cand in cands:
        verb = _afterclause_verb(doc[cand.token])
        if verb is None:
            continue
        inside = range(verb.left_edge.i, verb.right_edge.i + 1)
        outside = [c for c in cands if c.type == cand.type and c.token not in inside and c is not cand]
        before = [c for c in outside if c.token < verb.left_edge.i]
        cand.precedes = max(before, key=lambda c: c.token) if before else min(outside, key=lambda c: c.token, default=None)


# --- denials ----------------------------------------------------------------------------------


def _aim_denials(cands: list[Candidate], doc: SpacyDoc, sentence: Sentence) -> None:
    """A denial ("X denied any role", "X rejected the accusations", "X denies that its troops
    fired") is a REJECT (deny) by X aimed at the accuser, never at a party of the denied act:
    "Rwanda denies backing the rebels" is not aimed at the rebels. The accuser is the owner of
    the claim when the sentence names one ("rejected Kyiv's claims", "the accusations by the
    UN"); else :mod:`eventscribe.merge` takes the author of the accusation reported before."""
    for cand in cands:
        if cand.type != "REJECT" or cand.event.mode != "deny":
            continue
        verb = doc[cand.token]
        claim = next((c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")), None)
        owner = None
        if claim is not None:
            owner = next((c for c in claim.children if c.dep_ == "poss"), None) or _agent_of(claim) \
                or _prep_object(claim, {"from"})
        cand.event.target = _conjoined_actor(owner, sentence) if owner is not None else None


# --- coreference facts (read by eventscribe.coref) ------------------------------------------

_CHAIN_STEPS = 4


def _governor_chain(trigger: Token) -> tuple[tuple[int, str, str, str], ...]:
    """The trigger's ancestors, nearest first, each with the relation of the step below it:
    coreference reads "condemned *the attack*" (dobj of condemn) and "the strike, which *hit*"
    (relcl of strike) from it without needing the parse."""
    out, child = [], trigger
    for gov in _governors(trigger, _CHAIN_STEPS):
        out.append((gov.i, gov.lemma_.lower(), gov.pos_, child.dep_))
        child = gov
    return tuple(out)


def _is_anaphoric(trigger: Token, actor: Actor | None, target: Actor | None, sentence: Sentence | None = None) -> bool:
    """An event noun with a definite determiner and nothing new about it refers back. The
    victims of the clause around it are not news about it: "12 people were killed in the
    attack" is the attack already reported (but "the attack on the base" says which)."""
    if trigger.pos_ != "NOUN":
        return False
    dets = {c.lower_ for c in trigger.children if c.dep_ in ("det", "poss")}
    claimed = _claimant(trigger) is not None  # "claimed responsibility for the attack" names its author
    return bool(dets & _ANAPHORIC_DETS) and (actor is None or claimed) \
        and (target is None or (sentence is not None and not _in_phrase(trigger, target, sentence)))


def _in_phrase(trigger: Token, party: Actor, sentence: Sentence) -> bool:
    """Is the party named inside the trigger's own phrase ("the attack on the base")? A party
    with no place in the text counts as inside."""
    if party.span is None:
        return True
    start = trigger.left_edge.idx + sentence.start
    end = trigger.right_edge.idx + len(trigger.right_edge) + sentence.start
    return start <= party.span.start and party.span.end <= end


def _date_is_own(trigger: Token, date: DateRange, sentence: Sentence) -> bool:
    """Is the date inside the trigger's own phrase ("Saturday's bombing", "the attack on Friday")?"""
    if date.span is None:
        return False
    start, end = trigger.left_edge.idx + sentence.start, trigger.right_edge.idx + len(trigger.right_edge) + sentence.start
    return start <= date.span.start and date.span.end <= end


_TWO_SIDED_MODES = _WORDS["two_sided_modes"]
# nouns of which a compound event noun still names the event: "a protest march", "a protest rally"
_EVENT_HEADS = _WORDS["event_heads"]


def _fold_weak_triggers(cands: list[Candidate], doc: SpacyDoc) -> None:
    """Join "killed", "wounded", "protesters" to the strong trigger of the same kind nearby."""
    from .coref import worse_mode  # coref reads this module's candidates
    for weak in [c for c in cands if c.weak]:
        strong = [c for c in cands if not c.weak and c.type == weak.type and c.merged_into is None
                  and c.event.negated == weak.event.negated]
        if not strong:
            continue
        host = min(strong, key=lambda c: (abs(c.trigger_char - weak.trigger_char), c.trigger_char > weak.trigger_char))
        weak.merged_into = host
        ev = host.event
        two_sided = ev.mode in _TWO_SIDED_MODES
        if ev.target is None and weak.event.target is not None and not (two_sided and ev.actor is None and host.anaphoric):
            ev.target = weak.event.target  # (the dead of "the clashes" reported before are no side of them)
        if ev.actor is None and weak.event.actor is not None:
            ev.actor = weak.event.actor
        elif ev.actor is None and ev.target is not None and weak.event.target is not None \
                and two_sided and weak.event.target.name != ev.target.name:
            ev.actor = weak.event.target  # "two people died in clashes with police": the other side
        if ev.date is None and weak.event.date is not None:
            ev.date = weak.event.date
    # "warned that the US would retaliate": one threat, the embedded trigger gives its target
    for inner in cands:
        if inner.merged_into is not None:
            continue
        outer = _governing_same_type(inner, cands, doc) or _earlier_speech_act(inner, cands)
        if outer is not None:
            inner.merged_into = outer
            ev = outer.event
            ev.mode = ev.mode if inner.weak else worse_mode(ev.mode, inner.event.mode)  # "protested and blocked the road"
            ev.target = ev.target or inner.event.target
            ev.actor = ev.actor or inner.event.actor
            ev.date = ev.date or inner.event.date
    # a lone "protesters" is only an event when they act: "protesters marched"; what they demand
    # is their protest ("protesters demanded his release": one PROTEST, by the protesters)
    for c in cands:
        if c.weak and c.merged_into is None and c.type == "PROTEST":
            if doc[c.token].pos_ == "VERB":
                continue
            tok = doc.char_span(c.trigger_char - c.sentence.start, c.trigger_char - c.sentence.start + 1, alignment_mode="expand")
            if tok is None or tok.root.dep_ not in _SUBJECTS:
                c.merged_into = c  # drop
                continue
            host = next((v for v in cands if v is not c and v.merged_into is None and v.type == "PROTEST"
                         and v.token == tok.root.head.i), None)
            if host is not None:
                c.merged_into = host


def _governing_same_type(inner: Candidate, cands: list[Candidate], doc: SpacyDoc) -> Candidate | None:
    """A trigger of the same type that embeds this one as a complement."""
    child = doc[inner.token]
    for gov in _governors(child):
        if not (child.dep_ in _COMPLEMENT_DEPS or (child.dep_ == "prep" and child.lower_ in ("for", "to", "of"))):
            return None
        for c in cands:
            if c is not inner and c.merged_into is None and c.token == gov.i and c.type == inner.type \
                    and c.event.negated == inner.event.negated and c.event.hypothetical == inner.event.hypothetical:
                return c
        child = gov
    return None


def _earlier_speech_act(inner: Candidate, cands: list[Candidate]) -> Candidate | None:
    """ "warned that the US would retaliate": a future-only trigger after a threat is that threat.

    The small parser often hangs the embedded clause in the wrong place, so
    this does not rely on the tree.
    """
    if not inner.future_only:
        return None
    before = [c for c in cands if c is not inner and c.merged_into is None and c.type == inner.type
              and c.trigger_char < inner.trigger_char and not c.future_only]
    return before[-1] if before else None


def _link_responses(cands: list[Candidate], sentence: Sentence) -> None:
    """ "A was carried out in response to B": B happened before A, and A answers B."""
    text = sentence.text.lower()
    for cue in _RESPONSE_CUES:
        pos = text.find(cue)
        if pos < 0:
            continue
        cue_char = sentence.start + pos
        before = [c for c in cands if c.trigger_char < cue_char]
        after = [c for c in cands if c.trigger_char > cue_char]
        if before and after:
            answer = max(before, key=lambda c: c.trigger_char)
            cause = min(after, key=lambda c: c.trigger_char)
            cause.earlier_than = answer
            answer.responds_to.append(cause)
            date = cause.event.date
            if date is not None and date.span is not None and date.span.start < cue_char:
                cause.event.date = None  # "struck on Friday in retaliation for an attack": Friday dates the strike
                cause.explicit_date = False
