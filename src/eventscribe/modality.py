"""Whether a trigger's event happened, from the parse: negation ("did not attack", "no
clashes"), modality and embedding ("could strike", "threatened to", "called for", "plans
to"), a party's stance towards a future act ("said it will release the hostages" is an AGREE,
"will not lift the embargo" a REJECT: PLOVER 2021 from CAMEO 03 / 12 / 13), what is alleged
or disowned, and what an act is for ("bases the militias use to attack").

Read by :mod:`eventscribe.extract` for each candidate; split out of it along this seam.
"""

from __future__ import annotations

from spacy.tokens import Token

from .model import Actor, Sentence
from .roles import (
    _OBJECTS,
    _PASSIVE_SUBJECTS,
    _SUBJECTS,
    _agent_of,
    _children,
    _conjoined_actor,
    _is_passive,
    _subject_of,
)
from .wordlists import word_lists


_WORDS = word_lists("modality.yaml")

# Words that make a clause irrealis, and the other word lists of data/modality.yaml.
_MODAL_AUX = _WORDS["modal_aux"]
_FUTURE_AUX = _WORDS["future_aux"]
_IRREALIS_GOVERNORS = _WORDS["irrealis_governors"]
_DENIAL_VERBS = _WORDS["denial_verbs"]
_FALLING_SHORT = _WORDS["falling_short_verbs"]
_SPEECH_VERBS = _WORDS["speech_verbs"]
_ANAPHORIC_DETS = _WORDS["anaphoric_determiners"]
_FUTURE_WORDS = _WORDS["future_words"]
# Steps up the parse through which "threatened to", "called for" make an event irrealis.
_COMPLEMENT_DEPS = {"xcomp", "ccomp", "dobj", "pobj", "conj", "attr", "acomp", "pcomp", "compound", "amod",
                    "nsubjpass", "auxpass", "oprd"}
_PURPOSE_HEADS = _WORDS["purpose_heads"]
_IMPLICATIVE = _WORDS["implicative_verbs"]
_PERCEPTION_VERBS = _WORDS["perception_verbs"]
_UNCONFIRMING = _WORDS["unconfirming_verbs"]  # negated, their content is unasserted
_ACCUSING = _WORDS["accusing_words"]
_REFLEXIVES = _WORDS["reflexives"]
_CIRCUMSTANCE_PREPS = _WORDS["circumstance_preps"]
# A cooperative act announced for the future is an AGREE (intent to cooperate: "will release the
# prisoners", "is willing to withdraw its troops"); announced as not going to happen, a REJECT
# ("will not lift the embargo"). A hostile act announced by a speaker is a THREATEN ("said they
# would boycott the vote"; ASSAULT has its own rule in _candidate).
_COOPERATIVE_ACTS = {"AID", "RETREAT", "CONCEDE", "CONSULT", "COOPERATE"}
_HOSTILE_ACTS = {"SANCTION", "COERCE", "PROTEST"}
_UNCERTAIN_AUX = _WORDS["uncertain_aux"]
_WILLINGNESS = _WORDS["willingness"]
_DESCRIBING_DEPS = {"relcl", "acl"}
_PAST_TAGS = {"VBD", "VBN"}
# Calls whose purpose clause says what was done in them: "called his counterpart to congratulate
# him" (but "called on X to resign" asks, and a visit "to discuss" may not have got that far)
_CONTACT_VERBS = _WORDS["contact_verbs"]
# "was in Tehran to attend the inauguration", "flew to Geneva to attend the summit": the journey
# happened, and so did what it was for
_ATTENDANCE_VERBS = _WORDS["attendance_verbs"]
_PRESENCE_HEADS = _WORDS["presence_heads"]
_PROTEST_VERBS = _WORDS["protest_verbs"]
_EMBEDDED_CLAUSES = ("ccomp", "advcl", "conj", "relcl", "acl", "parataxis", "xcomp")
_FIRST_PERSON = _WORDS["first_person"]
_HABITUAL = _WORDS["habitual_adverbs"]
_PENDING_MARKS = _WORDS["pending_marks"]
_STATE_VERBS = _WORDS["state_verbs"]
_TALLY_QUANTITIES = _WORDS["tally_quantities"]
_TALLY_MIN = 10
_PRESENT_TAGS = {"VBP", "VBZ", "VB"}


def _aux_words(verb: Token) -> set[str]:
    return {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}


def _is_negated(trigger: Token, verb: Token) -> bool:
    """ "did not attack", "no attack", "no shots were fired", "nobody was arrested"."""
    for tok in {trigger, verb}:
        for child in tok.children:
            if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ in ("no", "neither")):
                return True
            if child.dep_ in _SUBJECTS | _PASSIVE_SUBJECTS | _OBJECTS:
                if child.lower_ in ("nobody", "nothing", "none", "no-one") or \
                        any(g.dep_ == "det" and g.lower_ == "no" for g in child.children):
                    return True
    return _negated_noun_phrase(trigger)


def _negated_noun_phrase(trigger: Token) -> bool:
    """ "ended without violence or arrests", "no deaths or clashes": an event noun after
    "without", or coordinated with a noun that "no" negates."""
    head = trigger
    while head.dep_ == "conj" and head.head.i != head.i:
        head = head.head
        if any(c.dep_ == "det" and c.lower_ in ("no", "neither") for c in head.children):
            return True
    return head.dep_ in ("pobj", "pcomp") and head.head.lower_ == "without"


def _topic_word(lemma: str) -> bool:
    """A word that takes an event as its topic ("comment", "investigation", "response"): "no
    comment on the explosions" denies a comment, not the explosions."""
    from .coref import rules  # coref reads our candidates: imported when first needed
    return lemma in rules().topic_governors and lemma not in rules().denial_governors


def _governors(tok: Token, limit: int = 6) -> list[Token]:
    out = []
    cur = tok
    for _ in range(limit):
        if cur.head.i == cur.i:
            break
        cur = cur.head
        out.append(cur)
    return out


def _perceived_past(verb: Token, aux: set[str]) -> set[str]:
    """{"could"} when it reports what was perceived ("gunfire could be heard across the city"):
    past ability with a verb of perception says the act was heard, not that it might happen."""
    return {"could"} if "could" in aux and verb.lemma_.lower() in _PERCEPTION_VERBS else set()


def _modality(trigger: Token, verb: Token) -> tuple[bool, bool, bool, Token | None]:
    """(negated, hypothetical, future, speech verb) of a trigger occurrence.

    Irrealis spreads down complement links only: in "called for an attack"
    the attack is hypothetical, in "after the attack, they called for talks"
    it is not.
    """
    negated = _is_negated(trigger, verb)
    aux = _aux_words(verb) | _aux_words(trigger)
    if verb.dep_ == "conj":  # "would suspend the survey and hold talks": the modal covers both
        aux |= _aux_words(verb.head)
    future = bool(aux & _FUTURE_AUX) or _going_to(verb) or _future_words(verb)
    hypothetical = bool(aux & _MODAL_AUX - _perceived_past(verb, aux)) or future
    if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in verb.children):
        hypothetical = True
    if _habitual(trigger, verb) or _pending(verb) or _lasting_state(trigger) or _tally(trigger):
        hypothetical = True
    if _is_infinitive(verb) and verb.head.lemma_.lower() not in _IMPLICATIVE and verb.head.i != verb.i \
            and not _purpose_of_contact(verb):
        hypothetical = True
    elif _is_infinitive(verb) and verb.head.i != verb.i and _aux_words(verb.head) & _MODAL_AUX:
        hypothetical = True  # "may decide to lift", "could begin to shell": the modal covers the act
    if trigger.tag_ == "VBG" and trigger.dep_ == "pcomp" and trigger.head.lower_ == "for" \
            and trigger.head.head.lemma_.lower() in _PURPOSE_HEADS:
        hypothetical = True  # "installations used for supplying weapons": what they are for, not an event
    speech: Token | None = None
    own_lemma = trigger.lemma_.lower()
    child, irrealis_open = trigger, True
    for gov in _governors(trigger):
        lemma = gov.lemma_.lower()
        step_ok = child.dep_ in _COMPLEMENT_DEPS or (child.dep_ == "prep" and child.lower_ in ("for", "to", "of", "on", "against")) \
            or _content_clause(child, gov)
        if child is verb and child.dep_ == "conj" and gov.pos_ in ("VERB", "AUX"):
            step_ok = False  # "vowed revenge and launched strikes": a clause of its own beside the vow
        irrealis_open = irrealis_open and step_ok
        if irrealis_open and lemma != own_lemma:
            if lemma in _DENIAL_VERBS and own_lemma not in _DENIAL_VERBS:
                negated = True
            if lemma == "short" and gov.head.lemma_.lower() in _FALLING_SHORT:
                negated = True  # "stopped short of endorsing the plan": no endorsement
            if lemma in _UNCONFIRMING and child.dep_ == "ccomp" and _is_negated(gov, gov) and not _wh_clause(child):
                hypothetical = True  # "Israel has not confirmed it carried out the strike": not asserted
            if any(c.dep_ == "det" and c.lower_ == "no" for c in gov.children) and not _topic_word(lemma):
                negated = True  # "showed no sign of backing down" (but "no comment on the attack" has one)
            if lemma in _IRREALIS_GOVERNORS and not _ordered_measure(gov, child, trigger) \
                    and not (child is verb and _purpose_of_contact(verb)) \
                    and not any(c.dep_ == "oprd" for c in gov.children):  # "called the raid a provocation": it happened
                hypothetical = True
        if speech is None and (lemma in _SPEECH_VERBS or _is_clear_speech(gov)):
            speech = gov
            if not future:
                future = _future_between(gov, trigger)
                hypothetical = hypothetical or future
        child = gov
    return negated, hypothetical, future, speech


def _habitual(trigger: Token, verb: Token) -> bool:
    """ "the group often targets markets", "soldiers regularly raid homes": a habit, no one event."""
    heads = [trigger, verb] + ([verb.head] if verb.dep_ == "conj" else [])
    return any(c.dep_ == "advmod" and c.lower_ in _HABITUAL for h in heads for c in h.children)


def _tally(trigger: Token) -> bool:
    """ "documented hundreds of air strikes since the coup", "more than 200 attacks since
    January": acts counted over a period are a tally of many events, no one event."""
    if trigger.tag_ != "NNS" or not any(t.lower_ == "since" and t.dep_ == "prep" for t in trigger.doc):
        return False
    if trigger.head.lower_ == "of" and trigger.head.head.lower_ in _TALLY_QUANTITIES:
        return True
    for c in trigger.children:
        if c.dep_ == "nummod":
            digits = c.text.replace(",", "")
            if digits.isdigit() and int(digits) >= _TALLY_MIN:
                return True
    return False


def _lasting_state(trigger: Token) -> bool:
    """ "troops remain deployed", "stayed stationed": a participle under a verb of lasting
    state says how things stand, not that the act happened now."""
    return trigger.tag_ == "VBN" and trigger.dep_ in ("acomp", "xcomp", "oprd", "attr") \
        and trigger.head.lemma_.lower() in _STATE_VERBS


def _pending(verb: Token) -> bool:
    """ "on hold until the rebels free their hostages and stop attacks": a present-tense clause
    of "until" is a condition still to be met (a past one, "fought until police arrived", happened)."""
    clause = verb.head if verb.dep_ == "conj" and verb.head.i != verb.i else verb
    return clause.tag_ in _PRESENT_TAGS and clause.dep_ == "advcl" \
        and any(c.dep_ == "mark" and c.lower_ in _PENDING_MARKS for c in clause.children)


def _alleged(trigger: Token) -> bool:
    child = trigger
    for gov in _governors(trigger, 4):
        if not (child.dep_ in _COMPLEMENT_DEPS or child.dep_ == "prep" or _content_clause(child, gov)):
            return False
        if gov.lemma_.lower() in _ACCUSING:
            return True
        child = gov
    return False


def _disowns(trigger: Token, triggers: list[int]) -> bool:
    """ "X was not involved (in the strike)", "had no role in the killings", "is not responsible
    for the blast": the party's own predicate is negated (not "was not confirmed responsible"),
    and what it had no part in, if named, is an event ("not involved in the process" is no denial)."""
    if not _own_negation(trigger):
        return False
    topics = [o for p in trigger.children if p.dep_ == "prep" and p.lower_ in ("in", "for")
              for o in p.children if o.dep_ in ("pobj", "pcomp")]
    return not topics or any(o.i in triggers or o.left_edge.i in triggers or o.lower_.endswith("ing")
                             for o in topics)  # "the strike", "the sinking of the ferry"


def _own_negation(trigger: Token) -> bool:
    """Negated in its own words: "not involved", "no role", "was not responsible", and through
    coordination ("was not aware of or involved in") or a copula ("is not responsible")."""
    tok = trigger
    while True:
        if any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ in ("no", "neither")) for c in tok.children):
            return True
        if tok.dep_ == "conj" or (tok.dep_ in ("acomp", "attr") and (tok.head.pos_ == "AUX" or tok.head.lemma_.lower() in ("be", "remain"))):
            tok = tok.head
            continue
        if tok.dep_ == "dobj" and tok.head.lemma_.lower() == "have":  # "had nothing to do with"
            return any(c.dep_ == "neg" for c in tok.head.children) or tok.lower_ == "nothing"
        return tok.lower_ == "nothing"


def _aimed_at_oneself(words) -> bool:
    return any(c.dep_ == "prep" and any(o.dep_ == "pobj" and o.lower_ in _REFLEXIVES for o in c.children)
               for w in words for c in w.children)


def _presupposed_cause(trigger: Token) -> bool:
    """A definite event noun that a threat or plan answers ("vowed to retaliate after the
    attack", "over the group's attack") is the reason given, an event that happened; only the
    plan is unreal."""
    return trigger.pos_ == "NOUN" and trigger.dep_ == "pobj" and trigger.head.lower_ in _CIRCUMSTANCE_PREPS \
        and _is_definite(trigger)


def _content_clause(child: Token, gov: Token) -> bool:
    """ "claims *that its troops attacked* the camp": a that-clause giving a noun's content, through
    which a denial of the claim reaches the act ("rejected claims that ...")."""
    return child.dep_ == "acl" and gov.pos_ == "NOUN" and \
        any(c.dep_ == "mark" and c.lower_ in ("that", "whether") for c in child.children)


def _wh_clause(clause: Token) -> bool:
    """ "did not confirm who carried out the attack": a wh-question presupposes its event."""
    return any(t.tag_ in ("WP", "WRB", "WDT", "WP$") or t.lower_ in ("whether", "if")
               for t in clause.subtree if t.i < clause.i)


def _stance_on_future_act(act: str, trigger: Token, verb: Token, negated: bool, hypothetical: bool,
                          future: bool, speech: Token | None) -> str | None:
    """The PLOVER type of a commitment to a future act, or None when the act is no commitment.

    Uncertain modals ("could withdraw"), obligations ("must release") and acts that others
    call for ("urged X to release") commit nobody; those stay hypothetical events.
    """
    if not hypothetical or act not in _COOPERATIVE_ACTS | _HOSTILE_ACTS or trigger.pos_ != "VERB":
        return None  # nouns ("the curfew would take effect", "talks will follow") commit nobody
    aux = _aux_words(verb) | _aux_words(trigger)
    if verb.dep_ == "conj":
        aux |= _aux_words(verb.head)
    if aux & _UNCERTAIN_AUX:
        return None
    willing = False
    child = trigger
    for gov in _governors(trigger):
        if not (child.dep_ in _COMPLEMENT_DEPS or (child.dep_ == "prep" and child.lower_ in ("for", "to", "of"))):
            break
        lemma = gov.lemma_.lower()
        if lemma in _WILLINGNESS:
            willing = True
        elif lemma in _IRREALIS_GOVERNORS or _aux_words(gov) & _UNCERTAIN_AUX:
            return None
        child = gov
    if not (future or willing):
        return None
    if act == "CONCEDE" and not negated:
        return "CONCEDE"  # "the government would suspend the survey": announcing it is conceding
    if _is_passive(trigger) and _agent_of(trigger) is None:
        return None  # "the crime would be met with a response", "issues will be discussed"
    if act in _COOPERATIVE_ACTS:
        return "REJECT" if negated else "AGREE"
    if not negated and speech is not None:
        return "THREATEN"
    return None


def _describes_purpose(trigger: Token) -> bool:
    """Is the act only what something is for? "depots used for storing weapons", "sites
    designed to launch rockets", "bases that the militias use to attack US forces": a verb
    of purpose that describes a noun (a relative clause or participle) reports no event."""
    gov = trigger.head
    if trigger.dep_ == "pcomp" and gov.lower_ == "for":
        gov = gov.head
    elif not (trigger.dep_ in ("xcomp", "advcl") and _is_infinitive(trigger)):
        return False
    if gov.lemma_.lower() not in _PURPOSE_HEADS or gov.pos_ not in ("VERB", "NOUN"):
        return False
    if gov.dep_ in _DESCRIBING_DEPS:
        return True
    # the small parser also hangs "targets that the militia use to attack" as a clause
    return gov.dep_ == "ccomp" and gov.head.lemma_.lower() not in _SPEECH_VERBS \
        and any(c.lower_ in ("that", "which") and c.dep_ in ("mark", "nsubj", "dobj") for c in gov.children)


def _used_to_act(trigger: Token) -> bool:
    """ "The army used drones to attack the village": an act done with an instrument that was
    used (a realis past "used", not "could use", nor a habitual "used to")."""
    gov = trigger.head
    if not (trigger.dep_ in ("xcomp", "advcl") and _is_infinitive(trigger)):
        return False
    if gov.lemma_.lower() != "use" or gov.tag_ not in _PAST_TAGS or gov.dep_ in _DESCRIBING_DEPS:
        return False
    if _aux_words(gov) & _MODAL_AUX or any(c.dep_ == "neg" for c in gov.children):
        return False
    return any(c.dep_ in ("dobj", "nsubjpass") for c in gov.children)  # "used drones to", not "used to"


def _committer(trigger: Token, sentence: Sentence) -> Actor | None:
    """Who commits to an act whose own clause names nobody: the nearest subject above it."""
    for gov in _governors(trigger, limit=4):
        subjects = [c for c in gov.children if c.dep_ in _SUBJECTS]
        if subjects:
            return _conjoined_actor(subjects[0], sentence)
    return None


def _ordered_measure(gov: Token, child: Token, trigger: Token) -> bool:
    """ "ordered an investigation", "ordered the release of": an authority's order is the measure.

    Only an event noun that is the order's own object; "ordered troops to attack" stays irrealis.
    """
    return gov.lemma_.lower() == "order" and child is trigger and trigger.pos_ == "NOUN" \
        and trigger.dep_ in _OBJECTS and not _aux_words(gov) & _MODAL_AUX


def _obligation_parties(aux: Token) -> tuple[Token, Token] | None:
    """(speaker, addressee) of "X said Y must do Z", or None when it is no demand on another.

    The obligation must sit in a clause reported by a speech verb, and its subject must be
    someone other than the speaker ("the president said we must defend the country" is a vow).
    """
    if aux.dep_ != "aux":
        return None
    clause = aux.head
    addressee = _subject_of(clause) or next(iter(_children(clause, _PASSIVE_SUBJECTS)), None)
    if addressee is None or addressee.lower_ in _FIRST_PERSON or addressee.lower_ in ("it", "this", "that", "there"):
        return None
    if clause.dep_ not in ("ccomp", "parataxis") or clause.head.lemma_.lower() not in _SPEECH_VERBS:
        return None
    speaker = _subject_of(clause.head)
    if speaker is None or speaker.i == addressee.i or speaker.lower_ in _FIRST_PERSON:
        return None
    return speaker, addressee


def _speaker_as_committer(speech: Token, sentence: Sentence) -> Actor | None:
    """Who commits when "X said he/it will ...": the speaker, known to the dictionary or not."""
    speaker = _subject_of(speech)
    if speaker is None or speaker.pos_ not in ("PROPN", "NOUN"):
        return None
    known = _conjoined_actor(speaker, sentence)
    if known is not None:
        return known
    words = [t for t in speaker.subtree if t.i <= speaker.i and t.dep_ != "punct"]
    text = " ".join(t.text for t in words) if words else speaker.text
    return Actor(name=text, sector="UNK")


def _purpose_of_contact(verb: Token) -> bool:
    """An infinitive of purpose hanging on a reported contact, not on a request; or a protest
    that is the purpose of what a crowd did ("blocked the road to protest the fees", "took to the
    streets to protest"): the act was the protest; or an attendance that was the purpose of a
    journey made ("was in the capital to attend the inauguration")."""
    head = verb.head
    if verb.lemma_.lower() in _PROTEST_VERBS and verb.dep_ == "advcl" and head.i != verb.i and head.pos_ == "VERB" \
            and head.tag_ in ("VBD", "VBP", "VBZ") and not _aux_words(head) & _MODAL_AUX \
            and head.lemma_.lower() not in _IRREALIS_GOVERNORS:
        return True
    if verb.lemma_.lower() in _ATTENDANCE_VERBS and verb.dep_ in ("advcl", "xcomp") and head.i != verb.i \
            and head.lemma_.lower() in _PRESENCE_HEADS and head.tag_ == "VBD" and not _aux_words(head) & _MODAL_AUX:
        return True
    if verb.dep_ not in ("advcl", "xcomp") or head.i == verb.i or head.lemma_.lower() not in _CONTACT_VERBS:
        return False
    if _aux_words(head) & _MODAL_AUX or _is_infinitive(head):
        return False
    if head.lemma_.lower() == "call":  # "called the president on Friday to", not "called on him to"
        return any(c.dep_ in ("dobj", "obj") for c in head.children)
    return True


def _is_infinitive(verb: Token) -> bool:
    return verb.pos_ == "VERB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _own_clause(verb: Token) -> list[Token]:
    """Tokens of a verb's clause, without the clauses embedded in it."""
    out = [verb]
    for child in verb.children:
        if child.dep_ not in _EMBEDDED_CLAUSES:
            out.extend(child.subtree)
    return out


def _tense_clause(verb: Token) -> list[Token]:
    """Tokens of a verb's clause, without the clauses embedded in it at any depth.

    "issued a warning that there will be no deal": the "will" of the clause that
    hangs on the object noun is not the tense of "issued".
    """
    out = [verb]
    stack = [c for c in verb.children if c.dep_ not in _EMBEDDED_CLAUSES]
    while stack:
        tok = stack.pop()
        out.append(tok)
        stack.extend(c for c in tok.children if c.dep_ not in _EMBEDDED_CLAUSES)
    return sorted(out, key=lambda t: t.i)


def _future_words(verb: Token) -> bool:
    words = [t.lower_ for t in _tense_clause(verb)]
    if set(words) & _FUTURE_WORDS:
        return True
    text = " ".join(words)
    return any(cue in text for cue in ("coming days", "coming weeks", "coming months", "next week", "next month"))


def _future_between(speech: Token, trigger: Token) -> bool:
    """A future word between the speech verb and the trigger that belongs to the trigger's own
    clauses ("said the strikes will go on", "said he will order an attack"), not to another
    clause of the sentence ("ordered his release, but he will have to stay, his lawyer said")."""
    lo, hi = sorted((speech.i, trigger.i))
    chain = {trigger.i}
    for gov in trigger.ancestors:
        if gov.i == speech.i:
            break
        chain.add(gov.i)
    return any(t.lower_ in _FUTURE_WORDS and t.head.i in chain for t in trigger.doc[lo:hi + 1])


def _going_to(verb: Token) -> bool:
    head = verb.head
    return verb.dep_ == "xcomp" and head.lemma_ == "go" and any(c.lower_ in ("is", "are", "was", "'s", "'re", "am") for c in head.children)


def _is_clear_speech(tok: Token) -> bool:
    return tok.lemma_.lower() == "make" and any(c.lower_ == "clear" for c in tok.children)


def _is_definite(trigger: Token) -> bool:
    """A determiner or possessive that presupposes the event: "the attack", "Friday's strike",
    also through a collective noun ("the wave of explosions")."""
    if trigger.pos_ != "NOUN":
        return False
    heads = [trigger]
    if trigger.dep_ == "pobj" and trigger.head.lower_ == "of" and trigger.head.head.pos_ == "NOUN":
        heads.append(trigger.head.head)
    return any(c.dep_ in ("det", "poss") and (c.lower_ in _ANAPHORIC_DETS or c.dep_ == "poss")
               for h in heads for c in h.children)
