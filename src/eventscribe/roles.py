"""Who did it to whom: the agent and the target of one trigger, read from the parse.

:mod:`eventscribe.extract` finds the triggers and decides modality; this module reads the
parties: the subject, the passive "by" agent, the possessor or nationality of an event noun,
the subject of a light verb ("US forces *carried out* strikes"), targets through the object,
the passive subject and the type's prepositions ("on/against X", "met with X", "accused X
of"), and resolves each party's noun phrase with :mod:`eventscribe.actors`.

Split out of extract.py along the roles seam; extract.py imports these names unchanged.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Token

from .actors import actor_dictionary, current_scope
from .model import Actor, Sentence, Span
from .wordlists import word_lists


_WORDS = word_lists("roles.yaml")

# Dependency labels, grouped by role.
_SUBJECTS = {"nsubj", "csubj"}
_PASSIVE_SUBJECTS = {"nsubjpass", "csubjpass"}
_OBJECTS = {"dobj", "obj"}
_TARGET_PREPS = _WORDS["target_preps"]
# Who an event is aimed at, by type: "met with X", "sent aid to X", "called on X", "sanctions on X".
_TYPE_TARGET_PREPS = {
    "CONSULT": {"with"}, "AGREE": {"with"}, "COOPERATE": {"with"}, "AID": {"to", "for"},
    "REQUEST": {"on", "to", "upon"}, "SANCTION": {"on", "against"}, "SUPPORT": {"for"},
    "ACCUSE": {"against", "on", "for"}, "THREATEN": {"against", "with"}, "CONCEDE": {"to"}, "RETREAT": set(),
}
_SYMMETRIC_TYPES = {"CONSULT", "AGREE", "COOPERATE"}
# Types whose target is who was hit, never a place named after "in" or an instrument after "with".
_MATERIAL_CONFLICT = {"ASSAULT", "PROTEST", "COERCE", "MOBILIZE"}
_NOT_TARGET_PREPS = _WORDS["not_target_preps"]
_PHRASE_CUT = {"relcl", "advcl", "punct", "cc", "appos", "prep", "acl", "conj", "parataxis"}
# Fighting words that name both sides: "clashed with police", "clashes between A and B",
# "A and B clashed": the other side is the target.
_RECIPROCAL = _WORDS["reciprocal"]
# Verbs of harm whose passive subject is who an attack in their "in/following/after" phrase hit:
# "two soldiers were killed in an ambush", "a student was killed in police firing".
_HARM_VERBS = _WORDS["harm_verbs"]
_HARM_PREPS = _WORDS["harm_preps"]
# Event nouns whose personal possessor suffered the act ("his killing", "their arrest").
_HARM_NOUNS = _WORDS["harm_nouns"]
_PERSONAL_POSSESSIVES = _WORDS["personal_possessives"]
_PLACE_NOUNS = _WORDS["place_nouns"]
_VAGUE_HEADS = _WORDS["vague_heads"]
_GROUP_NOUNS = _WORDS["group_nouns"]
_NOT_PARTY_ADJECTIVES = _WORDS["not_party_adjectives"]
_DEMAND_AUX = _WORDS["demand_aux"]
_BEARING_VERBS = _WORDS["bearing_verbs"]


# ----------------------------------------------------------------------------- phrases


def _phrase_bounds(tok: Token, with_of: bool = False) -> tuple[int, int]:
    """Token range of the noun phrase headed by ``tok``: determiners and modifiers, no clauses."""
    left, right = tok.i, tok.i
    for child in tok.lefts:
        if child.dep_ in _PHRASE_CUT:
            continue
        left = min(left, child.left_edge.i)
    for child in tok.rights:
        if child.dep_ in ("compound", "amod", "nummod", "nmod", "case") or (child.dep_ == "appos" and child.text.isupper()):
            right = max(right, child.right_edge.i)
        elif with_of and child.dep_ == "prep" and child.lower_ == "of":
            right = max(right, child.right_edge.i)
    doc = tok.doc
    for k in range(left, tok.i):  # "TBILISI - Georgian riot police": a dateline is not part of the actor
        if doc[k].text in ("-", "–", "—") and k > 0 and doc[k - 1].whitespace_:
            left = k + 1
    while left < right and (doc[left].is_punct or doc[left].dep_ == "cc"):
        left += 1
    while right > left and doc[right].is_punct:
        right -= 1
    return left, right + 1


def _span_of(doc: SpacyDoc, start: int, end: int, sentence: Sentence) -> Span:
    s = doc[start:end]
    return Span(start=sentence.start + s.start_char, end=sentence.start + s.end_char,
                text=s.text, sentence=sentence.index)


def _resolve_phrase(phrase: str) -> Actor | None:
    """Dictionary resolution of a phrase, read within the current document's scope."""
    return _resolve_in_scope(phrase, current_scope())


@lru_cache(maxsize=20000)
def _resolve_in_scope(phrase: str, scope) -> Actor | None:
    """Phrases repeat across a corpus and within a document, so remember them."""
    return actor_dictionary().resolve(phrase, scope=scope)


def _actor_from_token(tok: Token, sentence: Sentence) -> Actor | None:
    """The actor of the phrase headed by ``tok`` (:func:`_read_actor`), read once per token: each
    trigger of a sentence asks for the parties around it. A copy each time: callers may change it."""
    memo = getattr(tok.doc, "memo", None)  # parseview.ParsedDoc: a dict per parsed sentence
    if memo is None:
        return _read_actor(tok, sentence)
    key = ("actor", tok.i, sentence.index, sentence.start)
    if key not in memo:
        # None while it is read: a phrase whose reading comes back to itself (a relative clause
        # whose subject resolves, through a pronoun, to the phrase it modifies) names no one
        # rather than recursing without end
        memo[key] = None
        memo[key] = _read_actor(tok, sentence)
    found = memo[key]
    return found.model_copy() if found is not None else None


def _read_actor(tok: Token, sentence: Sentence) -> Actor | None:
    """Resolve the phrase headed by ``tok`` against the actor dictionary.

    Tries the bare noun phrase ("US forces"), then with its "of" complement
    ("officers of the Revolutionary Guards"), then the agent of a modifying
    clause ("bases used by militias", "targets that the IRGC uses"). Place
    nouns ("the areas of Iraq") are not actors.
    """
    if tok.lemma_.lower() in _PLACE_NOUNS and not (tok.pos_ == "PROPN" and _names_a_group(tok)):
        return None  # "the town", "the area" (but "Islamic State" is a group)
    actors = actor_dictionary()
    if tok.lemma_.lower() in _VAGUE_HEADS and not any(c.dep_ in ("amod", "compound", "poss") and actors.resolve(c.text) for c in tok.children) \
            and not _named_with_its_modifier(tok):
        return None  # "each side", "their side": no actor without a nationality (but "the ruling party")
    doc = tok.doc
    start, end = _phrase_bounds(tok, with_of=False)
    end = _with_sponsor_clause(tok, start, end)
    # "a general strike", "a major offensive": an adjective that is a party only as a noun
    not_party = {c.i for c in tok.children if c.dep_ == "amod" and c.lower_ in _NOT_PARTY_ADJECTIVES}
    if not_party and _resolve_phrase(" ".join(t.text for t in doc[start:end] if t.i not in not_party)) is None:
        actor = None
    else:
        actor = _resolve_phrase(doc[start:end].text)
    if actor is not None:
        actor = actor.model_copy(update={"span": _span_of(doc, start, end, sentence)})
    owner = _prep_object(tok, {"of"})
    if owner is not None and owner.lemma_.lower() not in _PLACE_NOUNS and (actor is None or actor.country is None):
        found = _actor_from_token(owner, sentence)
        if found is not None:
            if actor is None:
                return found
            # "officers of the Revolutionary Guards" are the Guards; "residents of Gaza" are Gazan civilians
            if _names_a_country(found):
                return actor.model_copy(update={"country": found.country})
            return found
    if actor is not None:
        return actor
    for child in tok.children:
        if child.dep_ in ("acl", "relcl"):
            agent = _agent_of(child) if child.dep_ == "acl" else _subject_of(child)
            if agent is not None and agent.lower_ not in ("that", "which", "who"):
                found = _conjoined_actor(agent, sentence)
                if found is not None:
                    return found
    phrase = doc[start:end]
    for mention in actors.find(phrase.text):
        if mention.kind == "country" or (not_party and mention.text.lower() in _NOT_PARTY_ADJECTIVES):
            continue
        span = Span(start=sentence.start + phrase.start_char + mention.start,
                    end=sentence.start + phrase.start_char + mention.end,
                    text=mention.text, sentence=sentence.index)
        return mention.actor.model_copy(update={"span": span})
    return _described_by_apposition(tok, _unknown_name(tok, start, end, sentence), sentence)


def _described_by_apposition(tok: Token, actor: Actor | None, sentence: Sentence) -> Actor | None:
    """ "Hasan Mehedi, a digital media reporter", "Paulo Guambe, a candidate of the opposition":
    a name we do not know takes the sector (and country) its apposition says."""
    if actor is None or actor.sector != "UNK":
        return actor
    for child in tok.children:
        if child.dep_ == "appos" and child.pos_ == "NOUN":
            said = _actor_from_token(child, sentence)
            if said is not None and said.sector != "UNK":
                return actor.model_copy(update={"sector": said.sector, "country": actor.country or said.country})
    return actor


# Capitalised words that name a time, not a party.
_TIME_NAMES = _WORDS["time_names"]
# Words of proper names of places, regions and things, not parties.
_GEO_NAME_WORDS = _WORDS["geo_name_words"]


def _unknown_name(tok: Token, start: int, end: int, sentence: Sentence) -> Actor | None:
    """A proper name we do not know, not a place nor a time ("Siemens", "Boztepe", "Reliance
    Jio"): a party all the same, of no known country or sector. Coders name it; so do we."""
    if tok.pos_ != "PROPN" or tok.ent_type_ in ("GPE", "LOC", "DATE", "TIME"):
        return None
    doc = tok.doc
    while start < end and (doc[start].pos_ in ("DET", "NUM", "PUNCT") or doc[start].is_stop):
        start += 1
    words = [t for t in doc[start:end] if t.is_alpha]
    if not words or any(t.lower_ in _TIME_NAMES for t in words) or not all(
            t.text[:1].isupper() or t.is_stop for t in words) or words[0].text.isupper() and len(words[0]) > 4:
        return None  # "the Jammu district", a dateline "KABUL"
    if any(t.lower_ in _GEO_NAME_WORDS for t in words) or (
            tok.head.lower_ == "of" and tok.head.head.lower_ in _GEO_NAME_WORDS):
        return None  # "the Line of Actual Control", "Europe", "Tahrir Square"
    from .geo import gazetteer

    text = doc[start:end].text
    place = gazetteer().lookup(text) is not None or gazetteer().lookup(tok.text) is not None
    if place and (tok.dep_ not in _SUBJECTS or any(t.text.isupper() and len(t) > 2 for t in words)):
        return None  # "at Digha", "in Barcelona", a dateline "GOMA": a place ("Mandela refused" acts)
    return Actor(name=text, country=None, sector="UNK", span=_span_of(doc, start, end, sentence))


def _with_sponsor_clause(tok: Token, start: int, end: int) -> int:
    """End of the phrase with its sponsor clause ("a military group *supported by Iran*"):
    the sponsor is part of who the party is (and says its home is not where it struck)."""
    for child in tok.rights:
        if child.dep_ == "acl" and child.tag_ == "VBN" and actor_dictionary().is_sponsor_relation(child.text) and any(c.dep_ == "agent" for c in child.children):
            agent_end = max(c.right_edge.i for c in child.children if c.dep_ == "agent") + 1
            text = tok.doc[start:agent_end].text
            if actor_dictionary().sponsor_of(text):
                return agent_end
    return end


def _named_with_its_modifier(tok: Token) -> bool:
    """Is a vague head a party together with the word before it, as one dictionary entry
    ("the ruling party", "the opposition party"), not alone ("the other party", "each side")?"""
    if tok.i == 0:
        return False
    doc = tok.doc
    phrase = doc[tok.i - 1:tok.i + 1].text
    return any(m.start == 0 and m.end == len(phrase) for m in actor_dictionary().find(phrase))


def _names_a_group(tok: Token) -> bool:
    """Does the proper name headed by a place noun name an armed group or an organisation
    ("Islamic State", "Free Syrian Army"), not a place ("Kano State", "Gaza City")?"""
    start, end = _phrase_bounds(tok)
    return any(m.kind in ("group", "org", "igo") for m in actor_dictionary().find(tok.doc[start:end].text))


def _names_a_country(actor: Actor) -> bool:
    text = actor.span.text if actor.span else actor.name
    hits = actor_dictionary().find(text)
    return bool(hits) and all(h.kind == "country" for h in hits)


_PRONOUNS = _WORDS["pronouns"]


_OBJECT_DEPS = {"dobj", "obj", "pobj", "dative", "iobj"}
_RELATIVE = _WORDS["relative"]


def _antecedent(pron: Token) -> Token | None:
    """ "Police said they arrested 12 people", "Syria says it will withdraw": the subject of the
    clause that embeds the pronoun's clause is what the pronoun stands for. An object pronoun
    is never its own verb's subject ("Israel denied it; Iran accused *it*": Israel)."""
    own = _clause_verb(pron) if pron.dep_ in _OBJECT_DEPS else None
    for gov in pron.ancestors:
        if own is not None and gov.i == own.i:
            continue
        for subj in _children(gov, _SUBJECTS):
            if subj.i != pron.i and subj.pos_ != "PRON" and pron.i not in {t.i for t in subj.subtree}:
                return subj
    return None


def _conjoined_actor(tok: Token, sentence: Sentence) -> Actor | None:
    if tok.lower_ in _RELATIVE and tok.tag_ in ("WDT", "WP") and tok.head.dep_ == "relcl":
        tok = tok.head.head  # "Moscow, which sent troops": Moscow
    if tok.lower_ in _PRONOUNS and tok.pos_ == "PRON":
        tok = _antecedent(tok) or tok
    actor = _actor_from_token(tok, sentence)
    if actor is None:
        for conj in tok.conjuncts:
            actor = _actor_from_token(conj, sentence)
            if actor is not None:
                break
    return actor


# ----------------------------------------------------------------------------- roles


def _children(tok: Token, deps: set[str]) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def _agent_of(verb: Token) -> Token | None:
    """The object of a passive "by" phrase."""
    for child in verb.children:
        if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
            objs = _children(child, {"pobj"})
            if objs:
                return objs[0]
    return None


def _prep_object(tok: Token, preps: set[str]) -> Token | None:
    for child in tok.children:  # the parser calls "to" a dative after "grant", "give", "send"
        if child.dep_ in ("prep", "dative") and child.lower_ in preps:
            objs = _children(child, {"pobj", "pcomp"})
            if objs:
                return objs[0]
    return None


def _is_passive(verb: Token) -> bool:
    """ "was attacked", and a participle with a "by" agent: "rockets *fired* by the faction",
    "as *demanded* by Azerbaijan"."""
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children) or (
        verb.tag_ == "VBN" and verb.dep_ in ("acl", "advcl") and any(c.dep_ == "agent" for c in verb.children))


def _shared_passive(verb: Token) -> Token | None:
    """The passive verb whose subject a second participle shares: "they were surrounded by
    gunmen and *shot* dead" (they were shot; the shooting names no doer of its own). A past
    tense of its own ("were attacked and fought back") is active, unless it is a verb of harm,
    which always takes an object."""
    if verb.dep_ != "conj" or verb.head.i == verb.i or not _is_passive(verb.head):
        return None
    if not (verb.tag_ == "VBN" or verb.tag_ == "VBD" and verb.lemma_.lower() in _HARM_VERBS):
        return None
    if any(c.dep_ in _SUBJECTS | _PASSIVE_SUBJECTS | _OBJECTS for c in verb.children):
        return None
    return verb.head


def _clause_verb(tok: Token) -> Token:
    """The verb whose clause a token belongs to (itself for verbs)."""
    cur = tok
    for _ in range(6):
        if cur.pos_ in ("VERB", "AUX") or cur.dep_ == "ROOT":
            return cur
        cur = cur.head
    return cur


def _engaging_verb(noun: Token) -> Token | None:
    """The verb of "engaged (police) in running battles": a fighting noun in an "in" phrase of
    "engage", whose subject and object are the two sides."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.dep_ != "prep" or prep.lower_ != "in":
        return None
    verb = prep.head
    return verb if verb.pos_ == "VERB" and verb.lemma_.lower() == "engage" else None


def _subject_of(verb: Token) -> Token | None:
    """Grammatical subject, inherited through "and"-coordination and control ("decided to")."""
    cur = verb
    for _ in range(4):
        subjects = _children(cur, _SUBJECTS)
        if subjects:
            return subjects[0]
        if cur.dep_ == "xcomp" and cur.head.lemma_.lower() in _OBJECT_CONTROL and _children(cur.head, _OBJECTS):
            return _children(cur.head, _OBJECTS)[0]  # "prompting police to fire": the police fire
        if cur.dep_ in ("xcomp", "advcl") and _children(cur, _PASSIVE_SUBJECTS):
            break  # "when they were surrounded": a clause with a subject of its own
        if cur.dep_ in ("conj", "xcomp", "advcl") and cur.head.i != cur.i:
            cur = cur.head
            continue
        break
    return None


# Verbs whose object does what their infinitive says ("forced the rebels to retreat").
_OBJECT_CONTROL = _WORDS["object_control"]


_DEATH_VERBS = _WORDS["death_verbs"]
_TIME_NOUNS = _WORDS["time_nouns"]


def _reduced_passive(verb: Token) -> Token | None:
    """The victim of a harm verb used as a passive without its auxiliary, as notes and headlines
    write it: "civilians killed by militiamen" (a participle on its noun), "Four officers
    killed." (a subject and no object), "officers shot at during a patrol", "two men were later shot dead by raiders" (a "by"
    phrase the parser hung on the verb). None when the verb is an active one."""
    if verb.lemma_.lower() not in _HARM_VERBS or _children(verb, _OBJECTS):
        return None
    if verb.dep_ == "acl" and verb.tag_ == "VBN" and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head
    if any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in verb.children):
        return None  # "gunmen have killed": active, object left out
    if verb.dep_ == "conj" and verb.head.i != verb.i and not _children(verb, {"nsubj"}):
        return _reduced_passive(verb.head)  # "shot at and injured": both verbs' victims
    subjects = _children(verb, {"nsubj"})
    agent = _agent_of(verb)
    if agent is not None and agent.lemma_.lower() in _TIME_NOUNS:
        agent = None
    stranded = any(c.dep_ == "prep" and not any(True for _ in c.children) for c in verb.children)  # "shot at"
    if subjects and (verb.tag_ == "VBN" or agent is not None or stranded):
        return subjects[0]
    if subjects and _headline_passive(verb, subjects[0]):
        return subjects[0]
    if not subjects and agent is not None and verb.tag_ in ("VBN", "VBD"):
        return _subject_of(verb)  # "two men were ... shot dead ... by suspected raiders"
    return None


def _headline_passive(verb: Token, subject: Token) -> bool:
    """ "Iran vows revenge after top rebel leader killed": a strictly transitive harm verb the
    tagger read as a past tense, with a subject and nothing it does to anyone (no object, no
    auxiliary, no aim "at/on", no second verb: "gunmen killed and fled" stays active), in a
    clause that a time word opens: the subject is who was harmed, as headlines write it."""
    if verb.tag_ != "VBD" or verb.lemma_.lower() in _INTRANSITIVE_HARM or subject.pos_ == "PRON":
        return False
    if not any(c.dep_ == "mark" and c.lower_ in _HEADLINE_MARKS for c in verb.children):
        return False
    return not any(c.dep_ in ("aux", "conj", "ccomp", "xcomp", "dative") or (c.dep_ == "prep" and c.lower_ in _TARGET_PREPS)
                   for c in verb.children)


_INTRANSITIVE_HARM = _WORDS["intransitive_harm"]
_HEADLINE_MARKS = _WORDS["headline_marks"]


def _roles_for_verb(verb: Token, type_: str) -> tuple[Token | None, list[Token]]:
    """(actor token, target token candidates in order of preference) of a verb trigger."""
    victim = _reduced_passive(verb) if type_ == "ASSAULT" else None
    if type_ == "ASSAULT" and verb.lemma_.lower() in _DEATH_VERBS:
        return None, _children(verb, {"nsubj"})  # "a GSU officer died": who died, not who killed
    shared = _shared_passive(verb) if type_ in _MATERIAL_CONFLICT else None
    if shared is not None:  # "were surrounded by gunmen and shot dead": who was shot
        targets, actor = _children(shared, _PASSIVE_SUBJECTS), None
    elif _is_passive(verb):
        targets = _children(verb, _PASSIVE_SUBJECTS)
        actor = _agent_of(verb)
        if not targets and verb.dep_ == "advcl" and type_ not in _MATERIAL_CONFLICT:
            # "the rebels agreed to disarm, as demanded by the government": asked of the rebels
            targets = [t for t in [_subject_of(verb.head)] if t is not None]
        if not targets and victim is not None:
            targets = [victim]  # "civilians killed by militiamen"
    elif victim is not None:
        targets = [victim]
        actor = _agent_of(verb)
        if actor is not None and actor.lemma_.lower() in _TIME_NOUNS:
            actor = None
    else:
        actor = _subject_of(verb)
        targets = _children(verb, _OBJECTS)
        if type_ in _MATERIAL_CONFLICT and verb.dep_ == "conj" and verb.head.pos_ == "VERB" \
                and not any(t.pos_ in ("NOUN", "PROPN", "PRON") for t in targets):
            targets += _children(verb.head, _OBJECTS)  # "pursued the raiders and killed many": the raiders
    preps = _TYPE_TARGET_PREPS.get(type_, set()) | ({"against"} if type_ != "ASSAULT" else _TARGET_PREPS)
    for prep in verb.children:
        if (prep.dep_ == "prep" and prep.lower_ in preps) or (prep.dep_ == "dative" and prep.lower_ in preps | {"to"}):
            targets.extend(_children(prep, {"pobj"}))
    targets.extend(_children(verb, {"dative"}))
    if type_ == "REQUEST" and not targets:
        targets.extend(asked_in_clause(verb))  # "demanded that the government resign"
    if type_ == "ASSAULT" and verb.lemma_.lower() in _RECIPROCAL:
        targets.extend(_other_side(verb, actor))
    if type_ == "ASSAULT":  # "fired mortar shells at the base": the weapon's aim is the target
        for obj in _children(verb, _OBJECTS):
            for prep in (p for p in obj.children if p.dep_ == "prep" and p.lower_ in ("at", "on", "against", "upon")):
                targets.extend(_children(prep, {"pobj"}))
    if type_ not in _MATERIAL_CONFLICT:  # "blamed the attack on a FARC faction": the parser hangs "on" on the object
        for obj in _children(verb, _OBJECTS):
            for prep in (p for p in obj.children if p.dep_ == "prep" and p.lower_ in _TYPE_TARGET_PREPS.get(type_, set())):
                targets.extend(_children(prep, {"pobj"}))
    if type_ in _SYMMETRIC_TYPES and actor is not None:
        targets.extend(actor.conjuncts)  # "Hungarian and Romanian officials agreed"
    return actor, _authors_for_answered(targets)


def _authors_for_answered(targets: list[Token]) -> list[Token]:
    """ "rejected Ukraine's request", "accepted the demands from protesters", "welcomed the
    decision by the court": what an answer takes is a proposal, a demand or a decision, and
    the one answered is who made it. A noun of that kind names no party itself: it gives way
    to its possessor or its "from/by" phrase, and is dropped when it has neither."""
    out: list[Token] = []
    for tok in targets:
        if tok.lemma_.lower() not in _ANSWERED_NOUNS and tok.lower_ not in _ANSWERED_NOUNS:
            out.append(tok)
            continue
        author = next((c for c in tok.children if c.dep_ == "poss" and c.lower_ not in _PERSONAL_POSSESSIVES | {"its"}), None) \
            or _prep_object(tok, {"from", "by"})
        if author is None:
            author = _agent_of_clause(tok)
        if author is not None:
            out.append(author)
    return out


def _agent_of_clause(noun: Token) -> Token | None:
    """ "the plan proposed by the mediators", "the demands made by the union": the agent of
    the participle that describes the noun."""
    for child in noun.children:
        if child.dep_ == "acl" and child.tag_ == "VBN":
            agent = _agent_of(child)
            if agent is not None:
                return agent
    return None


# Nouns of what one party puts to another: the party answering it answers whoever made it.
_ANSWERED_NOUNS = _WORDS["answered_nouns"]


def asked_in_clause(verb: Token) -> list[Token]:
    """Whom a demand names as the one to act in its "that" clause: "demanded that the
    government (should) resign", "insisted that police release them" (the government, the
    police), not the speaker itself ("demanded that they be heard")."""
    own = _subject_of(verb)
    for clause in _children(verb, {"ccomp"}):
        if not any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children) \
                and not any(c.dep_ == "aux" and c.lower_ in _DEMAND_AUX for c in clause.children):
            continue
        subjects = _children(clause, _SUBJECTS)
        if subjects and subjects[0].pos_ != "PRON" and (own is None or subjects[0].lower_ != own.lower_):
            return subjects[:1]
    return []


def _other_side(verb: Token, actor: Token | None) -> list[Token]:
    """The other side of a fight: "clashed with police", or "protesters and police clashed"."""
    sides = [o for prep in verb.children if prep.dep_ == "prep" and prep.lower_ == "with"
             for o in _children(prep, {"pobj"})]
    if not sides and actor is not None:
        sides = list(actor.conjuncts)
    return sides


def _harmed(trigger: Token) -> Token | None:
    """Who an attack named in a phrase of a passive harm verb hit: "two soldiers were killed
    following an ambush", "a student was killed in police firing" (the soldiers, the student)."""
    cur = trigger.head if trigger.dep_ == "acl" else trigger  # "in police firing": the noun is the doer
    for _ in range(3):
        if cur.dep_ not in ("pobj", "pcomp", "conj") or cur.head.i == cur.i:
            return None
        cur = cur.head
        if cur.dep_ == "prep" and cur.lower_ in _HARM_PREPS:
            verb = cur.head
            if verb.lemma_.lower() in _HARM_VERBS and _is_passive(verb):
                victims = _children(verb, _PASSIVE_SUBJECTS)
                return victims[0] if victims else None
            return None
        if cur.dep_ == "prep" and cur.tag_ == "VBG" and cur.lower_ in _HARM_PREPS:  # "following" tagged as a verb
            verb = cur.head
            if verb.lemma_.lower() in _HARM_VERBS and _is_passive(verb):
                victims = _children(verb, _PASSIVE_SUBJECTS)
                return victims[0] if victims else None
            return None
    return None


_ACCUSING_VERBS = _WORDS["accusing_verbs"]


def accused_doer(trigger: Token, type_: str) -> Token | None:
    """ "accused Israel of assassinating Haniyeh", "blamed the army for shelling the town":
    the one accused is who did it (as far as the accuser says). Only of a violent act: an
    accusation of "supporting" a group reports no act of support."""
    if type_ not in ("ASSAULT", "COERCE"):
        return None
    prep = trigger.head
    if trigger.dep_ not in ("pcomp", "pobj") or prep.lower_ not in ("of", "for"):
        return None
    verb = prep.head
    if verb.lemma_.lower() not in _ACCUSING_VERBS:
        return None
    objs = _children(verb, _OBJECTS) or (_children(verb, _PASSIVE_SUBJECTS) if _is_passive(verb) else [])
    return objs[0] if objs else None


# Verbs whose object is an event someone else carried out: who confirms, reports, survives,
# flees, covers or disperses an attack or a protest did not carry it out.
_NOT_LIGHT_VERBS = _WORDS["not_light_verbs"]


# Verbs of reporting: an authority reports its own arrests, curfews and aid ("police reported
# six arrests"), but whoever confirms a killing or reports clashes did not carry them out.
_REPORTING_VERBS = _WORDS["reporting_verbs"]


def is_light_verb(verb: Token, type_: str = "") -> bool:
    """Does the subject of ``verb`` carry out the event noun it takes ("carried out strikes",
    "launched an offensive"), unlike "confirmed the killings", "dispersed the protest"?"""
    lemma = verb.lemma_.lower()
    if lemma in _REPORTING_VERBS:
        return type_ not in ("ASSAULT", "PROTEST")
    return lemma not in _NOT_LIGHT_VERBS


_SAYING = _WORDS["saying"]


def governing_speaker(trigger: Token, sentence: Sentence) -> Actor | None:
    """Who carried out an act the text reports only as said by them, with no doer of its own:
    "police stated that an investigation had been launched", "the ministry said a curfew was
    imposed": the speaker whose clause holds the act (not another speaker of the sentence)."""
    verb = _clause_verb(trigger)
    if not _is_passive(verb) or _agent_of(verb) is not None:
        return None  # the act's own clause names its doer, or could
    if verb.i != trigger.i and trigger.dep_ not in _PASSIVE_SUBJECTS:
        return None  # only the act itself ("was imposed") or its noun ("an inquiry was opened")
    cur = verb
    for _ in range(3):
        if cur.dep_ not in ("ccomp", "xcomp", "conj") or cur.head.i == cur.i:
            return None
        cur = cur.head
        if cur.lemma_.lower() in _SAYING:
            speaker = _subject_of(cur)
            return _conjoined_actor(speaker, sentence) if speaker is not None and speaker.pos_ != "PRON" else None
    return None


def _claimant(noun: Token) -> Token | None:
    """ "Al-Shabaab claimed responsibility for the bombing", "X was behind the attack": the attacker."""
    head = noun.head
    if noun.dep_ == "pobj" and head.lower_ == "for" and head.head.lemma_.lower() == "responsibility":
        verb = head.head.head
        if verb.lemma_.lower() in ("claim", "accept", "admit", "take", "bear"):
            subject = _subject_of(verb)
            if _no_one(verb, subject):
                return None  # "no group has claimed responsibility", "X did not claim it": no author
            return subject
    if noun.dep_ == "pobj" and head.lower_ == "behind" and head.head.lemma_.lower() == "be":
        return _subject_of(head.head)
    return None


def _no_one(verb: Token, subject: Token | None) -> bool:
    """A negated claim names no author: "did not claim", "no group has claimed"."""
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    return subject is not None and (subject.lower_ in ("nobody", "none", "no-one") or
                                    any(c.dep_ == "det" and c.lower_ in ("no", "neither") for c in subject.children))


def _roles_for_noun(noun: Token, sentence: Sentence, type_: str) -> tuple[Actor | None, Token | None, Token | None]:
    """(actor from a modifier, actor token, target token) of an event noun."""
    actor_mod: Actor | None = None
    actor_tok: Token | None = None
    victim = None
    if type_ == "PROTEST" and noun.lemma_.lower().rstrip("s") in _PROTEST_CROWDS \
            and any(c.dep_ in ("compound", "amod", "nmod", "poss") for c in noun.children):
        # "DRC protesters target embassies": the demonstrators are the trigger (a bare
        # "protesters" says no more than any protest does, and tells mentions apart by nothing)
        actor_tok = noun
    for child in noun.children:
        if actor_tok is not None:
            break
        if child.dep_ == "poss":
            if noun.lemma_.lower() in _HARM_NOUNS and child.lower_ in _PERSONAL_POSSESSIVES:
                victim = child  # "his assassination", "her arrest": who suffered it
            else:
                actor_tok = child
            break
    if actor_tok is None:
        for child in noun.lefts:
            if child.dep_ in ("compound", "amod", "nmod"):
                if child.dep_ == "amod" and child.lower_ in _NOT_PARTY_ADJECTIVES:
                    continue  # "a general strike", "a major offensive": no general, no major
                text = child.text
                if child.lower_ == "led":  # "student-led protests": the students
                    text = " ".join(t.text for t in child.subtree if t.i < child.i and t.text not in "-‐‑–")
                found = _resolve_phrase(text) if text else None
                if found is not None and (found.sector != "CVL" or type_ == "PROTEST"):  # "student protests"
                    actor_mod = found.model_copy(update={"span": _span_of(noun.doc, child.i, child.i + 1, sentence)})
                    break
    agent = _agent_of(noun) or _claimant(noun)
    if agent is not None and actor_tok is None and actor_mod is None:
        actor_tok = agent
    target = _prep_object(noun, _TARGET_PREPS | _TYPE_TARGET_PREPS.get(type_, set())) or _prep_object(noun, {"of"}) \
        or victim
    if type_ == "ASSAULT" and noun.lemma_.lower() in _RECIPROCAL:
        sides = _prep_object(noun, {"between"})  # "clashes between protesters and police"
        if sides is None and noun.dep_ in _SUBJECTS and noun.head.pos_ == "VERB":
            sides = _prep_object(noun.head, {"between"})  # "clashes broke out between A and B"
        engaged = _engaging_verb(noun)
        if sides is None and engaged is not None and actor_tok is None and actor_mod is None:
            # "police and protesters engaged in running battles", "youths engaged police in battles"
            subject = _subject_of(engaged)
            if subject is not None:
                other = next(iter(_children(engaged, {"dobj"})), None)
                actor_tok, target = subject, other or next(iter(subject.conjuncts), target)
        if sides is not None and actor_tok is None and actor_mod is None:
            actor_tok = sides
            target = next(iter(sides.conjuncts), target)
        elif target is None:
            target = _prep_object(noun, {"with"})  # "a clash with police"
    if type_ == "CONSULT" and actor_tok is None and actor_mod is None and target is not None \
            and target is _prep_object(noun, {"of"}) and target.lemma_.lower() not in _PLACE_NOUNS:
        # "an emergency meeting of the Arab League", "the mediation of Qatar": who meets or mediates
        actor_tok, target = target, _prep_object(noun, {"with"})
        if target is None and actor_tok.conjuncts:
            target = actor_tok.conjuncts[0]  # "a meeting of Putin and Xi": the other side
    if type_ == "ACCUSE" and noun.dep_ in _OBJECTS and noun.head.lemma_.lower() in _BEARING_VERBS:
        # "the ruling party faces accusations of fraud from the opposition": the party is accused
        accused = _subject_of(noun.head)
        if accused is not None:
            critic = _prep_object(noun, {"from", "by"}) or _prep_object(noun.head, {"from", "by"})
            actor_tok = critic if actor_mod is None else actor_tok
            target = accused
    if target is None and type_ == "ASSAULT":
        target = _harmed(noun)
    # Light verb: "US forces carried out strikes", "strikes were carried out by ...".
    first = noun  # "used water cannon and tear gas": the verb of the first of the listed nouns
    while first.dep_ == "conj" and first.head.i != first.i and first.head.pos_ in ("NOUN", "PROPN"):
        first = first.head
    head = first.head
    if actor_tok is None and actor_mod is None and head.pos_ in ("VERB", "AUX") and is_light_verb(head, type_):
        if first.dep_ in _OBJECTS or first.dep_ in ("attr", "conj"):
            actor_tok = _agent_of(head) if _is_passive(head) else _subject_of(head)
        elif first.dep_ in _PASSIVE_SUBJECTS:
            actor_tok = _agent_of(head)
    if target is None and head.pos_ in ("VERB", "AUX") and first.dep_ in _OBJECTS | {"conj"}:
        # "granted asylum to X", "provided donations to X", "imposed sanctions on X"
        target = _prep_object(head, _TARGET_PREPS | (_TYPE_TARGET_PREPS.get(type_, set()) - {"for"}))
    if target is None and type_ == "ASSAULT" and head.pos_ in ("VERB", "AUX") and first.dep_ in _OBJECTS:
        target = purpose_target(head)  # "fired tear gas to disperse the crowd"
    if target is None:  # "a drone attack by a group backed by Iran on a US base": the parser hangs "on" low
        for tok in noun.subtree:
            if tok.dep_ == "prep" and tok.lower_ in ("on", "against") and tok.head.i != noun.i:
                objs = _children(tok, {"pobj"})
                if objs:
                    target = objs[0]
                    break
    return actor_mod, actor_tok, target


def _first_party_below(trigger: Token, actor: Actor | None, sentence: Sentence, others: list[int],
                       strict: bool = False) -> Actor | None:
    """The first party named in the trigger's complements: "agreed to provide aid for Romania",
    "withdraw its troops from Lebanon", "an embassy in Tehran" (PLOVER codes such places as targets)."""
    above = {a.i for a in trigger.ancestors}
    foreign = {t.i for o in others if o != trigger.i and o not in above for t in trigger.doc[o].subtree}
    for tok in trigger.subtree:
        if tok.i <= trigger.i and tok.dep_ not in ("pobj", "dobj"):
            continue
        if tok.i in foreign or tok.dep_ not in ("pobj", "dobj", "dative", "conj", "appos", "attr") or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        if strict and _under_prep(tok, trigger, _NOT_TARGET_PREPS):
            continue  # "struck targets in Iraq and Syria", "with long-range bombers": places and instruments
        if _under_place_noun(tok, trigger):
            continue  # "left the areas of Iraq and Syria": a place, not a party
        if moved_forces(trigger, tok) or any(moved_forces(trigger, a) for a in tok.ancestors if a.i != trigger.i
                                             and a.dep_ in _OBJECTS and a.head.i == trigger.i):
            continue  # "withdraw its troops from Lebanon": the troops move, Lebanon is the target
        found = _actor_from_token(tok, sentence)
        if found is None or found.span is None:
            continue
        if actor is not None and actor.span is not None and (actor.span.start <= found.span.start < actor.span.end
                                                             or found.span.start <= actor.span.start < found.span.end):
            continue  # the actor's own phrase, or one that holds it ("a Turkish military offensive")
        if actor is not None and found.country and found.country == actor.country \
                and (found.sector == actor.sector or _returns_home(tok, found)):
            continue  # its own side, or its own country ("left Syria and returned to Iran")
        return found
    return None


def _returns_home(tok: Token, found: Actor) -> bool:
    """ "returned to Iran": a country the party goes back to is its home, not a target."""
    prep = tok.head
    return tok.dep_ == "pobj" and prep.lower_ == "to" and prep.head.lemma_.lower() == "return" \
        and actor_dictionary().is_country_name(found.span.text if found.span else found.name)


# Verbs that move or give a party's own forces, and the nouns of such forces: "withdrew its
# troops from X", "mobilized the army", "sent peacekeepers to X" move the forces; they are
# no target (the place or party they go to or leave is).
_MOVING_VERBS = _WORDS["moving_verbs"]
_FORCE_NOUNS = _WORDS["force_nouns"]


def moved_forces(trigger: Token, tok: Token) -> bool:
    """Is ``tok`` the forces the trigger moves ("withdraw *its troops*", "mobilized *the army*")?"""
    verb = trigger if trigger.pos_ in ("VERB", "AUX") else trigger.head
    if verb.lemma_.lower() not in _MOVING_VERBS or tok.dep_ not in _OBJECTS or tok.head.i != verb.i:
        return False
    return tok.lemma_.lower() in _FORCE_NOUNS or tok.lower_ in _FORCE_NOUNS


def _under_place_noun(tok: Token, top: Token) -> bool:
    """Is ``tok`` the complement of a place noun below ``top`` ("the areas *of Iraq*",
    "parts of Syria", "the city of Goma")?"""
    cur = tok
    while cur.dep_ == "conj" and cur.head.i != cur.i:
        cur = cur.head
    if cur.dep_ != "pobj" or cur.head.lower_ != "of":
        return False
    noun = cur.head.head
    return noun.i != top.i and noun.pos_ == "NOUN" and noun.lemma_.lower() in _PLACE_NOUNS


def _under_prep(tok: Token, top: Token, preps: set[str]) -> bool:
    cur = tok
    while cur.i != top.i and cur.head.i != cur.i:
        if cur.dep_ == "prep" and cur.lower_ in preps:
            return True
        cur = cur.head
    return False


def _armed_group(actor: Actor | None) -> Actor | None:
    """ "a military group", "an armed faction" without a country: a non-state armed group,
    and an unnamed armed group ("the group", "the militants") is the one the document last
    named ("Hezbollah ... the Shiite group"): its country, not the article's main country."""
    if actor is None or actor.country is not None or actor.span is None:
        return actor
    if actor.sector in ("MIL", "UNK"):
        words = {w.strip(".,").lower() for w in actor.span.text.split()}
        if words & _GROUP_NOUNS:
            actor = actor.model_copy(update={"sector": "REB"})
    if actor.sector == "REB":
        country = _named_group_country_before(actor.span.start)
        if country is not None and not any(m.kind == "group" for m in actor_dictionary().find(actor.span.text)):
            actor = actor.model_copy(update={"country": country})
    return actor


def _named_group_country_before(offset: int) -> str | None:
    """Country of the armed group the document named last before ``offset`` (document scope)."""
    scope = current_scope()
    if scope is None:
        return None
    last = None
    for start, _name, country in scope.groups:
        if start >= offset:
            break
        last = country
    return last


def _bare_country_words(actor: Actor) -> set[str]:
    """Texts that name only a country ("US", "Israeli"): an ASSAULT by them is military."""
    text = actor.span.text if actor.span else ""
    if actor_dictionary().is_country_name(text):  # "The United States struck", "Moscow shelled"
        return {text.lower()}
    text = text.lower()
    return {text} if len(text.split()) <= 2 and not any(w in text for w in ("government", "ministry", "president", "minister", "police")) else set()


# Heads of a party phrase that name people demonstrating: their violence is a riot.
_PROTEST_CROWDS = _WORDS["protest_crowds"]


# "fired tear gas to disperse the protesters": whom force used to scatter a crowd hits.
_DISPERSING_VERBS = _WORDS["dispersing_verbs"]


def purpose_target(verb: Token) -> Token | None:
    """The object of a purpose clause that says whom the force was used on ("fired tear gas
    *to scatter protesters*", "used water cannon to push back the crowd")."""
    for child in verb.children:
        if child.dep_ in ("advcl", "xcomp") and child.lemma_.lower() in _DISPERSING_VERBS \
                and any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children):
            objs = _children(child, _OBJECTS)
            if objs:
                return objs[0]
    return None


_WEAPON_NOUNS = _WORDS["weapon_nouns"]


def state_weapons(actor: Actor | None, tok: Token | None) -> Actor | None:
    """ "Russian missiles struck the city", "Ukrainian drones hit a refinery": a country's
    missiles, drones or rockets are fired by its armed forces (MIL); a group's ("Houthi
    drones") keep the group's sector, which the dictionary gives."""
    if actor is None or tok is None or actor.sector != "UNK" or actor.country is None:
        return actor
    if tok.lemma_.lower() not in _WEAPON_NOUNS and tok.lower_ not in _WEAPON_NOUNS:
        return actor
    return actor.model_copy(update={"sector": "MIL"})
