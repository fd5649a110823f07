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
import re
from functools import lru_cache
from dataclasses import dataclass, field

from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Token

from . import counts as counts_mod
from . import dates as dates_mod
from .actors import actor_dictionary, current_scope
from .geo import PlaceMention, gazetteer
from .model import Actor, Attribution, DateRange, Evidence, Event, Location, Sentence, Span
from .triggers import TriggerMatch, lexicon

# Dependency labels, grouped by role.
_SUBJECTS = {"nsubj", "csubj"}
_PASSIVE_SUBJECTS = {"nsubjpass", "csubjpass"}
_OBJECTS = {"dobj", "obj"}
_TARGET_PREPS = {"on", "against", "at", "upon", "targeting", "into"}
# Who an event is aimed at, by type: "met with X", "sent aid to X", "called on X", "sanctions on X".
_TYPE_TARGET_PREPS = {
    "CONSULT": {"with"}, "AGREE": {"with"}, "COOPERATE": {"with"}, "AID": {"to", "for"},
    "REQUEST": {"on", "to", "upon"}, "SANCTION": {"on", "against"}, "SUPPORT": {"for"},
    "ACCUSE": {"against", "on", "for"}, "THREATEN": {"against", "with"}, "CONCEDE": {"to"}, "RETREAT": set(),
}
_SYMMETRIC_TYPES = {"CONSULT", "AGREE", "COOPERATE"}
# Types whose target is who was hit, never a place named after "in" or an instrument after "with".
_MATERIAL_CONFLICT = {"ASSAULT", "PROTEST", "COERCE", "MOBILIZE"}
_NOT_TARGET_PREPS = {"in", "at", "near", "across", "inside", "outside", "from", "with", "during", "after", "before",
                     "over", "through", "throughout", "around", "into", "to", "along", "by", "since", "until", "for"}
_PLACE_PREPS_EXCLUDED = {"from", "by"}
_PHRASE_CUT = {"relcl", "advcl", "punct", "cc", "appos", "prep", "acl", "conj", "parataxis"}

# Words that make a clause irrealis.
_MODAL_AUX = {"could", "might", "may", "would", "should", "will", "shall", "'ll", "can", "must", "ca", "wo"}
_FUTURE_AUX = {"will", "would", "shall", "'ll", "wo"}
_IRREALIS_GOVERNORS = {
    "threaten", "warn", "vow", "plan", "intend", "call", "urge", "demand", "seek", "want",
    "propose", "consider", "prepare", "promise", "decide", "aim", "hope", "fear", "expect",
    "pledge", "ask", "request", "appeal", "push", "press", "order", "refuse", "avoid", "prevent",
    "deny", "threat", "warning", "plea", "permission", "authorize", "approve", "weigh", "mull",
    "possibility", "risk", "ready", "able", "could", "ultimatum",
}
_DENIAL_VERBS = {"deny", "reject", "dismiss", "refute"}
_SPEECH_VERBS = {
    "say", "state", "tell", "announce", "write", "claim", "report", "add", "declare", "confirm",
    "insist", "note", "post", "tweet", "stress", "explain", "assert", "allege", "argue", "mention",
    "quote", "warn",
}
_RESPONSE_CUES = ("in response to", "in retaliation for", "in revenge for", "in reprisal for",
                  "to avenge", "in retaliation to", "in response for")
_VIOLENT_CONTEXT = {
    "gun", "gunman", "gunmen", "shot", "shoot", "bomb", "bombing", "militant", "militia", "attack",
    "soldier", "troops", "rebel", "insurgent", "airstrike", "strike", "explosion",
    "blast", "clash", "fighter", "drone", "missile", "rocket", "artillery",
    "terrorist", "jihadist", "kidnapper", "mob", "grenade", "machete",
    "ambush", "raid", "assailant", "attacker", "bandit", "sniper", "mortar", "shelling", "shelled",
    "gunfire", "shooting", "stabbed", "knife", "beaten", "lynched", "killer", "hostage",
}
_DISASTER_CONTEXT = {
    "flood", "flooding", "earthquake", "quake", "accident", "crash", "storm", "landslide", "cyclone",
    "hurricane", "typhoon", "drown", "drowning", "heatwave", "disease", "outbreak", "epidemic",
    "collapse", "tornado", "wildfire", "avalanche", "mudslide", "cholera", "covid", "illness",
    "cancer", "stampede", "derail", "capsize", "overdose", "lightning",
}
_NATURAL_FORCES = {"typhoon", "storm", "wind", "rain", "wave", "fire", "blaze", "flood", "water", "heat", "cold",
                   "lightning", "tremor", "aftershock", "virus", "disease", "sign", "tree", "wall", "roof", "car",
                   "truck", "bus", "train", "vehicle", "crash", "collision", "landslide"}
_ANAPHORIC_DETS = {"the", "this", "that", "these", "those", "its", "their", "his", "her", "thursday's", "friday's",
                   "saturday's", "sunday's", "monday's", "tuesday's", "wednesday's", "yesterday's", "last"}
_PLACE_NOUNS = {
    "area", "region", "part", "town", "city", "village", "territory", "district", "province", "zone",
    "border", "country", "neighbourhood", "neighborhood", "street", "road", "highway", "outskirts",
    "suburb", "capital", "state", "north", "south", "east", "west", "centre", "center",
}
_VAGUE_HEADS = {"side", "party", "both", "other", "one", "all"}
_FUTURE_WORDS = {"will", "shall", "'ll", "tomorrow", "soon"}
_GROUP_NOUNS = {"group", "faction", "organization", "organisation", "outfit", "cell", "network", "movement"}
# Steps up the parse through which "threatened to", "called for" make an event irrealis.
_COMPLEMENT_DEPS = {"xcomp", "ccomp", "dobj", "pobj", "conj", "attr", "acomp", "pcomp", "compound", "amod",
                    "nsubjpass", "auxpass", "oprd"}
_PURPOSE_HEADS = {"use", "design", "intend", "build", "equip", "train", "prepare", "need", "mean",
                  "facility", "installation", "base", "site", "centre", "center", "depot", "route", "tool"}
_IMPLICATIVE = {"begin", "start", "continue", "manage", "proceed", "resume", "keep", "go", "attempt", "try"}


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
    """Resolve the phrase headed by ``tok`` against the actor dictionary.

    Tries the bare noun phrase ("US forces"), then with its "of" complement
    ("officers of the Revolutionary Guards"), then the agent of a modifying
    clause ("bases used by militias", "targets that the IRGC uses"). Place
    nouns ("the areas of Iraq") are not actors.
    """
    if tok.lemma_.lower() in _PLACE_NOUNS:
        return None
    actors = actor_dictionary()
    if tok.lemma_.lower() in _VAGUE_HEADS and not any(c.dep_ in ("amod", "compound", "poss") and actors.resolve(c.text) for c in tok.children):
        return None  # "each side", "their side": no actor without a nationality
    doc = tok.doc
    start, end = _phrase_bounds(tok, with_of=False)
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
        if mention.kind == "country":
            continue
        span = Span(start=sentence.start + phrase.start_char + mention.start,
                    end=sentence.start + phrase.start_char + mention.end,
                    text=mention.text, sentence=sentence.index)
        return mention.actor.model_copy(update={"span": span})
    return None


def _names_a_country(actor: Actor) -> bool:
    text = actor.span.text if actor.span else actor.name
    hits = actor_dictionary().find(text)
    return bool(hits) and all(h.kind == "country" for h in hits)


_PRONOUNS = {"it", "they", "he", "she", "we", "its", "their", "his", "her", "our"}


def _antecedent(pron: Token) -> Token | None:
    """ "Police said they arrested 12 people", "Syria says it will withdraw": the subject of the
    clause that embeds the pronoun's clause is what the pronoun stands for."""
    for gov in pron.ancestors:
        for subj in _children(gov, _SUBJECTS):
            if subj.i != pron.i and subj.pos_ != "PRON" and pron.i not in {t.i for t in subj.subtree}:
                return subj
    return None


def _conjoined_actor(tok: Token, sentence: Sentence) -> Actor | None:
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
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            objs = _children(child, {"pobj", "pcomp"})
            if objs:
                return objs[0]
    return None


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def _clause_verb(tok: Token) -> Token:
    """The verb whose clause a token belongs to (itself for verbs)."""
    cur = tok
    for _ in range(6):
        if cur.pos_ in ("VERB", "AUX") or cur.dep_ == "ROOT":
            return cur
        cur = cur.head
    return cur


def _subject_of(verb: Token) -> Token | None:
    """Grammatical subject, inherited through "and"-coordination and control ("decided to")."""
    cur = verb
    for _ in range(4):
        subjects = _children(cur, _SUBJECTS)
        if subjects:
            return subjects[0]
        if cur.dep_ in ("conj", "xcomp", "advcl") and cur.head.i != cur.i:
            cur = cur.head
            continue
        break
    return None


def _roles_for_verb(verb: Token, type_: str) -> tuple[Token | None, list[Token]]:
    """(actor token, target token candidates in order of preference) of a verb trigger."""
    if _is_passive(verb):
        targets = _children(verb, _PASSIVE_SUBJECTS)
        actor = _agent_of(verb)
    else:
        actor = _subject_of(verb)
        targets = _children(verb, _OBJECTS)
    preps = _TYPE_TARGET_PREPS.get(type_, set()) | ({"against"} if type_ != "ASSAULT" else _TARGET_PREPS)
    for prep in verb.children:
        if (prep.dep_ == "prep" and prep.lower_ in preps) or (prep.dep_ == "dative" and prep.lower_ in preps | {"to"}):
            targets.extend(_children(prep, {"pobj"}))
    targets.extend(_children(verb, {"dative"}))
    if type_ not in _MATERIAL_CONFLICT:  # "blamed the attack on a FARC faction": the parser hangs "on" on the object
        for obj in _children(verb, _OBJECTS):
            for prep in (p for p in obj.children if p.dep_ == "prep" and p.lower_ in _TYPE_TARGET_PREPS.get(type_, set())):
                targets.extend(_children(prep, {"pobj"}))
    if type_ in _SYMMETRIC_TYPES and actor is not None:
        targets.extend(actor.conjuncts)  # "Hungarian and Romanian officials agreed"
    return actor, targets


def _claimant(noun: Token) -> Token | None:
    """ "Al-Shabaab claimed responsibility for the bombing", "X was behind the attack": the attacker."""
    head = noun.head
    if noun.dep_ == "pobj" and head.lower_ == "for" and head.head.lemma_.lower() == "responsibility":
        verb = head.head.head
        if verb.lemma_.lower() in ("claim", "accept", "admit", "take", "bear"):
            return _subject_of(verb)
    if noun.dep_ == "pobj" and head.lower_ == "behind" and head.head.lemma_.lower() == "be":
        return _subject_of(head.head)
    return None


def _roles_for_noun(noun: Token, sentence: Sentence, type_: str) -> tuple[Actor | None, Token | None, Token | None]:
    """(actor from a modifier, actor token, target token) of an event noun."""
    actor_mod: Actor | None = None
    actor_tok: Token | None = None
    for child in noun.children:
        if child.dep_ == "poss":
            actor_tok = child
            break
    if actor_tok is None:
        for child in noun.lefts:
            if child.dep_ in ("compound", "amod", "nmod"):
                found = _resolve_phrase(child.text)
                if found is not None and found.sector not in ("CVL",):
                    actor_mod = found.model_copy(update={"span": _span_of(noun.doc, child.i, child.i + 1, sentence)})
                    break
    agent = _agent_of(noun) or _claimant(noun)
    if agent is not None and actor_tok is None and actor_mod is None:
        actor_tok = agent
    target = _prep_object(noun, _TARGET_PREPS | _TYPE_TARGET_PREPS.get(type_, set())) or _prep_object(noun, {"of"})
    # Light verb: "US forces carried out strikes", "strikes were carried out by ...".
    head = noun.head
    if actor_tok is None and actor_mod is None and head.pos_ in ("VERB", "AUX"):
        if noun.dep_ in _OBJECTS or noun.dep_ in ("attr", "conj"):
            actor_tok = _agent_of(head) if _is_passive(head) else _subject_of(head)
        elif noun.dep_ in _PASSIVE_SUBJECTS:
            actor_tok = _agent_of(head)
    if target is None and head.pos_ in ("VERB", "AUX") and noun.dep_ in _OBJECTS | {"conj"}:
        target = _prep_object(head, _TARGET_PREPS)
    if target is None:  # "a drone attack by a group backed by Iran on a US base": the parser hangs "on" low
        for tok in noun.subtree:
            if tok.dep_ == "prep" and tok.lower_ in ("on", "against") and tok.head.i != noun.i:
                objs = _children(tok, {"pobj"})
                if objs:
                    target = objs[0]
                    break
    return actor_mod, actor_tok, target


# ----------------------------------------------------------------------------- modality


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
    return False


def _governors(tok: Token, limit: int = 6) -> list[Token]:
    out = []
    cur = tok
    for _ in range(limit):
        if cur.head.i == cur.i:
            break
        cur = cur.head
        out.append(cur)
    return out


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
    hypothetical = bool(aux & _MODAL_AUX) or future
    if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in verb.children):
        hypothetical = True
    if _is_infinitive(verb) and verb.head.lemma_.lower() not in _IMPLICATIVE and verb.head.i != verb.i:
        hypothetical = True
    if trigger.tag_ == "VBG" and trigger.dep_ == "pcomp" and trigger.head.lower_ == "for" \
            and trigger.head.head.lemma_.lower() in _PURPOSE_HEADS:
        hypothetical = True  # "installations used for supplying weapons": what they are for, not an event
    speech: Token | None = None
    own_lemma = trigger.lemma_.lower()
    child, irrealis_open = trigger, True
    for gov in _governors(trigger):
        lemma = gov.lemma_.lower()
        step_ok = child.dep_ in _COMPLEMENT_DEPS or (child.dep_ == "prep" and child.lower_ in ("for", "to", "of", "on", "against"))
        irrealis_open = irrealis_open and step_ok
        if irrealis_open and lemma != own_lemma:
            if lemma in _DENIAL_VERBS and own_lemma not in _DENIAL_VERBS:
                negated = True
            if any(c.dep_ == "det" and c.lower_ == "no" for c in gov.children):
                negated = True  # "showed no sign of backing down"
            if lemma in _IRREALIS_GOVERNORS:
                hypothetical = True
        if speech is None and (lemma in _SPEECH_VERBS or _is_clear_speech(gov)):
            speech = gov
            if not future:
                future = _future_between(gov, trigger)
                hypothetical = hypothetical or future
        child = gov
    return negated, hypothetical, future, speech


def _is_infinitive(verb: Token) -> bool:
    return verb.pos_ == "VERB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _own_clause(verb: Token) -> list[Token]:
    """Tokens of a verb's clause, without the clauses embedded in it."""
    out = [verb]
    for child in verb.children:
        if child.dep_ not in ("ccomp", "advcl", "conj", "relcl", "acl", "parataxis", "xcomp"):
            out.extend(child.subtree)
    return out


def _future_words(verb: Token) -> bool:
    words = [t.lower_ for t in _own_clause(verb)]
    if set(words) & _FUTURE_WORDS:
        return True
    text = " ".join(words)
    return any(cue in text for cue in ("coming days", "coming weeks", "coming months", "next week", "next month"))


def _future_between(speech: Token, trigger: Token) -> bool:
    lo, hi = sorted((speech.i, trigger.i))
    return any(t.lower_ in _FUTURE_WORDS for t in trigger.doc[lo:hi + 1])


def _going_to(verb: Token) -> bool:
    head = verb.head
    return verb.dep_ == "xcomp" and head.lemma_ == "go" and any(c.lower_ in ("is", "are", "was", "'s", "'re", "am") for c in head.children)


def _is_clear_speech(tok: Token) -> bool:
    return tok.lemma_.lower() == "make" and any(c.lower_ == "clear" for c in tok.children)


# ----------------------------------------------------------------------------- sentence


def _mode_for(match: TriggerMatch, doc: SpacyDoc, others: list[int]) -> str | None:
    """Mode from the trigger's own modifiers, else from its clause (not from other events' words)."""
    lex = lexicon()
    head = doc[match.start]
    own = [t.lemma_.lower() for t in doc[match.start:match.end]]
    near = own + [c.lemma_.lower() for c in head.children] + [c.lower_ for c in head.children]
    for conj in head.children:
        if conj.dep_ == "conj":
            near += [c.lemma_.lower() for c in conj.children] + [conj.lemma_.lower()]
    if head.dep_ in ("compound", "amod", "conj"):
        near.append(head.head.lemma_.lower())
    near += [t.lemma_.lower() for t in doc[max(0, match.start - 3):match.start]]  # "air and drone strikes"
    mode = lex.mode_for(match.type, near)
    # a protest's clause tells whether it turned violent ("protesters torched cars")
    if mode is None and (match.entry.mode is None or match.type == "PROTEST"):
        foreign = {t.i for o in others if o != match.start for t in doc[o].subtree}
        clause = [t for t in _own_clause(_clause_verb(head)) if t.i not in foreign]
        mode = lex.mode_for(match.type, [t.lemma_.lower() for t in clause] + [t.lower_ for t in clause])
    return mode or match.entry.mode


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
    everyone = out
    out = [c for c in out if c.merged_into is None]
    if not out:
        return []
    _attach_places(out, sentence, ctx, everyone)
    _attach_counts(out, sentence)
    _link_responses(out, sentence)
    return out


def _candidate(doc: SpacyDoc, sentence: Sentence, match: TriggerMatch, ctx: DocContext,
               others: list[int]) -> Candidate | None:
    trigger = doc[match.start]
    # the content word of a multiword trigger ("open fire" -> open; "car bomb" -> bomb)
    if match.end - match.start > 1 and trigger.pos_ not in ("VERB", "NOUN"):
        trigger = next((t for t in doc[match.start:match.end] if t.pos_ in ("VERB", "NOUN")), trigger)
    verb = _clause_verb(trigger)
    negated, hypothetical, future, speech = _modality(trigger, verb)
    entry = match.entry
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
    if trigger.pos_ == "NOUN" and trigger.dep_ in ("compound", "amod") and trigger.head.pos_ in ("NOUN", "PROPN") \
            and match.end - match.start == 1:
        return None  # "aid agencies", "riot police", "protest leaders", "attack helicopters"
    if entry.weak and match.type == "ASSAULT" and not _violent_context(doc):
        return None
    pledge_not_to = negated and trigger.pos_ == "VERB" and any(c.dep_ == "neg" for c in trigger.children)
    if match.type == "ASSAULT" and future and speech is not None and (pledge_not_to or not negated):
        # "more attacks will follow", said the president: a threat;
        # "the group announced it would not attack US facilities": a concession
        type_ = "CONCEDE" if negated else "THREATEN"
        hypothetical = negated = False
    if entry.future:
        hypothetical = False  # "we will respond" is itself the threat

    gerund = trigger.tag_ == "VBG" and trigger.dep_ in ("pobj", "dobj", "nsubj", "nsubjpass")  # "in police firing"
    if (trigger.pos_ in ("VERB", "AUX") or trigger.i == verb.i and trigger.pos_ != "NOUN") and not gerund:
        actor_tok, target_toks = _roles_for_verb(trigger, entry.type)
        if actor_tok is None and trigger.dep_ == "acl" and trigger.tag_ == "VBG":
            actor_tok = trigger.head  # "police firing", "troops shelling": the noun is the doer
        actor = _conjoined_actor(actor_tok, sentence) if actor_tok is not None else None
        target_tok = next((t for t in target_toks if _actor_from_token(t, sentence) is not None), None)
    else:
        actor, actor_tok, target_tok = _roles_for_noun(trigger, sentence, entry.type)
        if actor is None and actor_tok is not None:
            actor = _conjoined_actor(actor_tok, sentence)
    if type_ == "ASSAULT" and actor_tok is not None and actor_tok.lemma_.lower() in _DISASTER_CONTEXT | _NATURAL_FORCES:
        return None  # "a typhoon struck Okinawa"
    target = _conjoined_actor(target_tok, sentence) if target_tok is not None else None
    if target is None:
        target = _first_party_below(trigger, actor, sentence, others, strict=type_ in _MATERIAL_CONFLICT)
    if type_ in ("THREATEN", "CONCEDE") and match.type == "ASSAULT" and speech is not None:
        speaker = _subject_of(speech)
        actor = _conjoined_actor(speaker, sentence) if speaker is not None else actor
    if actor is None and type_ in ("THREATEN", "ACCUSE", "REQUEST", "REJECT", "SUPPORT") and sentence.index in ctx.attributions:
        attr = ctx.attributions[sentence.index]
        actor = Actor(name=attr.name, country=attr.country, sector=attr.sector or "UNK", span=attr.span)
    actor, target = _armed_group(actor), _armed_group(target)
    if actor is not None and type_ == "ASSAULT" and actor.sector == "GOV" and actor.span is not None \
            and actor.span.text.lower() in _bare_country_words(actor):
        actor = actor.model_copy(update={"sector": "MIL"})

    trigger_span = _span_of(doc, match.start, match.end, sentence)
    trigger_char = trigger_span.start
    date = dates_mod.event_date(sentence.text, ctx.published, trigger_start=trigger_char, offset=sentence.start)
    explicit = date is not None
    if date is None:
        # "announced on October 21 that they had agreed": the statement date is the best bound we have
        date = dates_mod.statement_date(sentence.text, ctx.published, offset=sentence.start)
    evidence = Evidence(doc_id=ctx.doc_id, sentence=sentence.index, start=sentence.start, end=sentence.end,
                        text=sentence.text, trigger=trigger_span, attribution=ctx.attributions.get(sentence.index))
    event = Event(
        id=_stable_id(ctx.doc_id, trigger_char, type_),
        doc_id=ctx.doc_id,
        type=type_,
        mode=_mode_for(match, doc, others) if type_ == match.type else None,
        actor=actor,
        target=target,
        date=date,
        negated=negated,
        hypothetical=hypothetical,
        attribution=ctx.attributions.get(sentence.index),
        evidence=[evidence],
    )
    if type_ == "THREATEN" and trigger.lemma_.lower() in ("warn", "warning") and actor is not None \
            and actor.sector in ("BUS", "NGO", "MED"):
        return None  # "aid agencies warned of displacement": a forecast, not a threat of force
    anaphoric = _is_anaphoric(trigger, actor, target) or (trigger.dep_ == "acl" and trigger.tag_ == "VBN")
    if anaphoric and explicit and not _date_is_own(trigger, date, sentence):
        event.date, explicit = None, False  # "condemned the attack on Friday": Friday dates the condemnation
    return Candidate(event=event, weak=entry.weak, trigger_char=trigger_char, sentence=sentence,
                     token=trigger.i, future_only=entry.future, explicit_date=explicit, anaphoric=anaphoric)


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
        found = _actor_from_token(tok, sentence)
        if found is None or found.span is None:
            continue
        if actor is not None and actor.span is not None and actor.span.start <= found.span.start < actor.span.end:
            continue
        if actor is not None and (found.country, found.sector) == (actor.country, actor.sector) and found.country:
            continue
        return found
    return None


def _under_prep(tok: Token, top: Token, preps: set[str]) -> bool:
    cur = tok
    while cur.i != top.i and cur.head.i != cur.i:
        if cur.dep_ == "prep" and cur.lower_ in preps:
            return True
        cur = cur.head
    return False


def _is_anaphoric(trigger: Token, actor: Actor | None, target: Actor | None) -> bool:
    """An event noun with a definite determiner and nothing new about it refers back."""
    if trigger.pos_ != "NOUN":
        return False
    dets = {c.lower_ for c in trigger.children if c.dep_ in ("det", "poss")}
    claimed = _claimant(trigger) is not None  # "claimed responsibility for the attack" names its author
    return bool(dets & _ANAPHORIC_DETS) and (actor is None or claimed) and target is None


def _date_is_own(trigger: Token, date: DateRange, sentence: Sentence) -> bool:
    """Is the date inside the trigger's own phrase ("Saturday's bombing", "the attack on Friday")?"""
    if date.span is None:
        return False
    start, end = trigger.left_edge.idx + sentence.start, trigger.right_edge.idx + len(trigger.right_edge) + sentence.start
    return start <= date.span.start and date.span.end <= end


def _armed_group(actor: Actor | None) -> Actor | None:
    """ "a military group", "an armed faction" without a country: a non-state armed group."""
    if actor is None or actor.country is not None or actor.sector not in ("MIL", "UNK") or actor.span is None:
        return actor
    words = {w.strip(".,").lower() for w in actor.span.text.split()}
    if words & _GROUP_NOUNS:
        return actor.model_copy(update={"sector": "REB"})
    return actor


def _bare_country_words(actor: Actor) -> set[str]:
    """Texts that name only a country ("US", "Israeli"): an ASSAULT by them is military."""
    text = (actor.span.text if actor.span else "").lower()
    return {text} if len(text.split()) <= 2 and not any(w in text for w in ("government", "ministry", "president", "minister", "police")) else set()


def _fold_weak_triggers(cands: list[Candidate], doc: SpacyDoc) -> None:
    """Join "killed", "wounded", "protesters" to the strong trigger of the same kind nearby."""
    for weak in [c for c in cands if c.weak]:
        strong = [c for c in cands if not c.weak and c.type == weak.type and c.merged_into is None
                  and c.event.negated == weak.event.negated]
        if not strong:
            continue
        host = min(strong, key=lambda c: (abs(c.trigger_char - weak.trigger_char), c.trigger_char > weak.trigger_char))
        weak.merged_into = host
        ev = host.event
        if ev.target is None and weak.event.target is not None:
            ev.target = weak.event.target
        if ev.actor is None and weak.event.actor is not None:
            ev.actor = weak.event.actor
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
            ev.target = ev.target or inner.event.target
            ev.actor = ev.actor or inner.event.actor
            ev.date = ev.date or inner.event.date
    # a lone "protesters" is only an event when they act: "protesters marched"
    for c in cands:
        if c.weak and c.merged_into is None and c.type == "PROTEST":
            tok = doc.char_span(c.trigger_char - c.sentence.start, c.trigger_char - c.sentence.start + 1, alignment_mode="expand")
            if tok is None or tok.root.dep_ not in _SUBJECTS:
                c.merged_into = c  # drop


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


def _attach_places(cands: list[Candidate], sentence: Sentence, ctx: DocContext, everyone: list[Candidate]) -> None:
    """Give each place named in the sentence to the nearest event trigger."""
    if not cands:
        return
    gaz = gazetteer()
    mentions = [m for m in ctx.place_mentions if sentence.start <= m.start and m.end <= sentence.end]
    for m in mentions:
        if _inside_actor_phrase(m, everyone) or _led_by(ctx.text, m.start, _PLACE_PREPS_EXCLUDED):
            continue
        host = min(cands, key=lambda c: abs(c.trigger_char - m.start))
        loc = gaz.resolve(m, ctx.country_weights)
        loc = loc.model_copy(update={"span": Span(start=m.start, end=m.end, text=m.text, sentence=sentence.index)})
        if all(l.name != loc.name for l in host.event.locations):
            host.event.locations.append(loc)
            host.explicit_location = True


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


def _attach_counts(cands: list[Candidate], sentence: Sentence) -> None:
    """Casualty counts go to the nearest violent event; other quantities to the nearest event."""
    violent = [c for c in cands if c.type in ("ASSAULT", "PROTEST", "COERCE")]
    found = counts_mod.casualties(sentence.text, offset=sentence.start)
    for key, count in found.items():
        pool = [c for c in violent if (key != "arrested") == (c.type != "COERCE")] or violent
        if not pool:
            continue
        host = _nearest(pool, count.span.start if count.span else sentence.start)
        if getattr(host.event, key) is None:
            setattr(host.event, key, count)
    for q in counts_mod.quantities(sentence.text, offset=sentence.start):
        host = _nearest(cands, q.span.start if q.span else sentence.start)
        host.event.quantities.append(q)


def _nearest(cands: list[Candidate], char: int) -> Candidate:
    """The candidate whose trigger precedes ``char`` most closely (else the first after it)."""
    before = [c for c in cands if c.trigger_char <= char]
    if before:
        return max(before, key=lambda c: c.trigger_char)
    return min(cands, key=lambda c: c.trigger_char)


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


# ----------------------------------------------------------------------------- attribution

_SPEECH_FORMS = re.compile(
    r"\b(said|says|say|stated|states|told|tells|announced|announces|wrote|writes|claimed|claims|"
    r"reported|reports|added|declared|confirmed|insisted|noted|posted|tweeted|stressed|explained|"
    r"warned|made it clear|said in a statement)\b", re.IGNORECASE)
_ACCORDING_TO = re.compile(r"\baccording to (?:the )?([^,.;:“”\"]{2,60})", re.IGNORECASE)
_QUOTE = re.compile(r"“[^”]{20,}”|\"[^\"\n]{20,}\"", re.DOTALL)


def find_attributions(text: str, sentences: list[Sentence], parsed: dict[int, SpacyDoc] | None = None) -> dict[int, Attribution]:
    """Who says each sentence: "X said", "according to X", or the speaker named after a quote.

    Parsed sentences give the grammatical subject of the speech verb; the
    others (the "Joe Biden stated on X." after a quote holds no trigger and
    is never parsed) fall back to the nearest dictionary actor before the verb.
    """
    parsed = parsed or {}
    speakers = {}
    for s in sentences:
        sp = _speaker_in_parse(parsed[s.index], s) if s.index in parsed else None
        sp = sp or _speaker_in(s)
        if sp is not None:
            speakers[s.index] = sp
    out = dict(speakers)
    for quote in _QUOTE.finditer(text):
        qs, qe = quote.span()
        inside = [s for s in sentences if s.start < qe and s.end > qs]
        speaker = None
        for s in sentences:
            if s.end <= qe - 1 and s.start < qs:
                continue
            sp = speakers.get(s.index)
            if sp is not None and sp.span is not None and (sp.span.start >= qe or sp.span.end <= qs):
                speaker = sp
                break
            if s.start > qe and s.index > (inside[-1].index + 1 if inside else 0):
                break
        if speaker is not None:
            for s in inside:
                out[s.index] = speaker
    return out


def _speaker_in(s: Sentence) -> Attribution | None:
    actors = actor_dictionary()
    acc = _ACCORDING_TO.search(s.text)
    if acc:
        phrase = acc.group(1).strip()
        start = s.start + acc.start(1)
        found = actors.find(phrase)
        if found:
            m = found[0]
            return _attribution_from(m.actor, s, start + m.start, start + m.end, m.text)
        words = phrase.split()
        if len(words) <= 5:
            return Attribution(name=phrase, span=Span(start=start, end=start + len(phrase), text=phrase, sentence=s.index))
    verb = _SPEECH_FORMS.search(s.text)
    if verb is None:
        return None
    mentions = actors.find(s.text)
    before = [m for m in mentions if m.end <= verb.start()]
    after = [m for m in mentions if m.start >= verb.end()]
    pick = before[-1] if before else (after[0] if after and verb.start() > len(s.text) * 0.5 else None)
    if pick is None:
        return None
    return _attribution_from(pick.actor, s, s.start + pick.start, s.start + pick.end, pick.text)


def _speaker_in_parse(doc: SpacyDoc, s: Sentence) -> Attribution | None:
    if _ACCORDING_TO.search(s.text):
        return None  # the text rule reads "according to X" well
    for tok in doc:
        if tok.pos_ in ("VERB", "AUX") and (tok.lemma_.lower() in _SPEECH_VERBS or _is_clear_speech(tok)):
            subj = _subject_of(tok)
            if subj is None or subj.pos_ == "PRON" or subj.lower_ in ("that", "which", "who"):
                continue
            actor = _actor_from_token(subj, s)
            if actor is not None and actor.span is not None:
                return _attribution_from(actor, s, actor.span.start, actor.span.end, actor.span.text)
    return None


def _attribution_from(actor: Actor, s: Sentence, start: int, end: int, text: str) -> Attribution:
    name = actor.name if actor.name else text
    return Attribution(name=name, country=actor.country, sector=actor.sector,
                       span=Span(start=start, end=end, text=text, sentence=s.index))
