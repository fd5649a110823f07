"""Trigger lexicon: which words report which kind of event.

The lexicon (``data/triggers.yaml``) is matched twice. Before parsing, a cheap
set of surface forms tells which sentences can hold an event at all, so the
parser only runs where it can pay off. After parsing, entries are matched on
lemmas and parts of speech, with context words deciding between readings
("strike" by workers is a PROTEST, by jets an ASSAULT).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources

import yaml
from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from . import userdict

_CONTEXT_WINDOW = 4


@dataclass(frozen=True)
class Entry:
    type: str
    mode: str | None = None
    pos: frozenset[str] = frozenset()
    phrase: tuple[str, ...] = ()
    weak: bool = False
    future: bool = False
    transitive: bool = False  # the reading needs a direct object: "returned the artefacts", not "returned home"
    negated_only: bool = False  # an event only when negated, the negation being the act ("was not involved in")
    no_predicate: bool = False  # the reading fails with an object predicate: "called the raid a provocation" names, it does not phone
    context: frozenset[str] = frozenset()
    veto: frozenset[str] = frozenset()
    priority: int = 0


@dataclass(frozen=True)
class TriggerMatch:
    """A trigger found in a parsed sentence: tokens ``start:end`` of the sentence doc."""

    start: int
    end: int
    entry: Entry
    fallbacks: tuple[Entry, ...] = ()  # other readings, best first, for when ``entry`` does not hold

    @property
    def type(self) -> str:
        return self.entry.type


@dataclass
class Lexicon:
    by_lemma: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    by_phrase_head: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    surface_forms: set[str] = field(default_factory=set)
    # surface form -> its readings' needs: for each reading, groups of forms of which the
    # sentence must hold one each (a context word; every other word of a phrase); no group
    # means the form is enough on its own
    form_needs: dict[str, list[tuple[frozenset[str], ...]]] = field(default_factory=lambda: defaultdict(list))
    mode_cues: dict[str, list[tuple[str, frozenset[str]]]] = field(default_factory=dict)
    # the user dictionary's vetoes: words and phrases that never report an event
    vetoed_words: frozenset[str] = frozenset()
    vetoed_phrases: tuple[tuple[str, ...], ...] = ()

    def may_hold_event(self, lower_words: list[str]) -> bool:
        """Cheap pre-parse test: does the sentence hold a trigger form (with its context)?

        Words such as "send", "meet" or "order" only report an event with
        the right company ("sent troops"), and a phrase ("on alert", "open fire") only with
        all its words; sentences without them are not parsed.
        """
        words = set(lower_words)
        for w in words & self.surface_forms:
            for needs in self.form_needs[w]:
                if all(group & words for group in needs):
                    return True
        return False

    def match(self, sent: SpacySpan) -> list[TriggerMatch]:
        """All triggers of a parsed sentence, longest phrase first, no overlaps."""
        found: list[TriggerMatch] = []
        taken: set[int] = set()
        tokens = list(sent)
        lemmas = [_lemma(t) for t in tokens]  # read once: both passes ask every token
        near: dict[int, set[str]] = {}  # each token's neighbourhood, read once for all its readings
        for i, tok in enumerate(tokens):
            for entry in self.by_phrase_head.get(lemmas[i], ()):
                window = _phrase_window(tokens, lemmas, i, entry.phrase)
                if window is not None:
                    n = len(window)
                    if _allowed(entry, window[0], near) and not (set(range(i, i + n)) & taken):
                        found.append(TriggerMatch(tok.i, tok.i + n, entry))
                        taken.update(range(i, i + n))
                        break
        by_lemma = self.by_lemma
        for i, tok in enumerate(tokens):
            if i in taken or lemmas[i] not in by_lemma:  # most words are no trigger at all
                continue
            entries = self.entries_for(tok, near)
            if entries:
                found.append(TriggerMatch(tok.i, tok.i + 1, entries[0], tuple(entries[1:])))
        if self.vetoed_words or self.vetoed_phrases:
            found = [m for m in found if not self._vetoed(m, tokens)]
        return sorted(found, key=lambda m: m.start)

    def _vetoed(self, match: TriggerMatch, tokens: list[Token]) -> bool:
        """A trigger the user vetoed: its word (form or lemma), or inside a vetoed phrase
        ("price war": no war)."""
        doc = tokens[0].doc
        inside = doc[match.start:match.end]
        if any(t.lower_ in self.vetoed_words or _lemma(t) in self.vetoed_words for t in inside):
            return True
        for phrase in self.vetoed_phrases:
            n = len(phrase)
            for k in range(len(tokens) - n + 1):
                window = tokens[k:k + n]
                if window[0].i < match.end and match.start < window[-1].i + 1 and all(
                        t.lower_ == w or _lemma(t) == w for t, w in zip(window, phrase)):
                    return True
        return False

    def entries_for(self, tok: Token, near: dict[int, set[str]] | None = None) -> list[Entry]:
        """The readings of a token, best first (priority, then a satisfied context)."""
        candidates = [e for e in self.by_lemma.get(_lemma(tok), ()) if tok.pos_ in e.pos and _allowed(e, tok, near)
                      and (not e.transitive or _has_object(tok))
                      and not (e.no_predicate and any(c.dep_ == "oprd" for c in tok.children))]
        return sorted(candidates, key=lambda e: (e.priority, bool(e.context)), reverse=True)

    def mode_for(self, type_: str, words: list[str]) -> str | None:
        """First mode whose cue appears among ``words`` (lower-cased lemmas)."""
        return next(iter(self.modes_for(type_, words)), None)

    def modes_for(self, type_: str, words: list[str]) -> list[str]:
        """Every mode whose cue appears among ``words``, in the lexicon's order of priority
        ("air and drone strikes" are drone and aerial; merge weighs them across mentions)."""
        present = set(words)
        return [mode for mode, cues in self.mode_cues.get(type_, ()) if present & cues]


_ADVERB_GAP = 2  # adverbs a phrase may hold after its first word: "pushed hard for", "called repeatedly for"


def _phrase_window(tokens: list[Token], lemmas: list[str], i: int, phrase: tuple[str, ...]) -> list[Token] | None:
    """The tokens from ``i`` that spell ``phrase`` (lemmas), allowing up to two adverbs after the
    verb of a particle or prepositional verb ("pressing hard for", "pulled quickly back");
    None when they do not."""
    n = len(phrase)
    window = tokens[i:i + n]
    if len(window) == n and all(lemma == p for lemma, p in zip(lemmas[i:i + n], phrase)):
        return window
    if n < 2 or tokens[i].pos_ != "VERB":
        return None
    j = i + 1
    while j < len(tokens) and j - i <= _ADVERB_GAP and tokens[j].pos_ == "ADV":
        j += 1
    rest = lemmas[j:j + n - 1]
    if j == i + 1 or len(rest) != n - 1 or rest != list(phrase[1:]):
        return None
    return tokens[i:j + n - 1]


def _has_object(tok: Token) -> bool:
    """A verb used transitively: a direct object, or a passive subject ("were returned to")."""
    return any(c.dep_ in ("dobj", "obj", "nsubjpass") for c in tok.children)


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def neighbourhood(tok: Token) -> set[str]:
    """Lemmas near a token: its head, children, grandchildren and a small window."""
    words = {_lemma(tok.head), tok.head.lower_}
    for child in tok.children:
        words.add(_lemma(child))
        words.add(child.lower_)
        for grandchild in child.children:
            words.add(_lemma(grandchild))
            if grandchild.dep_ == "prep" and grandchild.lower_ == "of" and (_is_quantity(child) or child.dep_ in _OBJECTS):
                # a part of a group: "freed 40 of the detained activists", "some of the hostages";
                # what the object is of: "withdrew the batch of 200 peacekeepers"
                words.update(_lemma(o) for o in grandchild.children if o.dep_ == "pobj")
    for sibling in tok.head.children:
        words.add(_lemma(sibling))
    doc = tok.doc
    for t in doc[max(0, tok.i - _CONTEXT_WINDOW): tok.i + _CONTEXT_WINDOW + 1]:
        words.add(_lemma(t))
        words.add(t.lower_)
        if t.tag_ in _PLURAL_TAGS and _lemma(t).endswith("s") and not _lemma(t).endswith("ss"):
            words.add(_lemma(t)[:-1])  # the tagger keeps capitalised plurals whole: "Christians"
    return words


_PLURAL_TAGS = frozenset({"NNS", "NNPS"})


_OBJECTS = frozenset({"dobj", "obj", "nsubjpass"})


def _is_quantity(tok: Token) -> bool:
    """A number or quantifier that a partitive "of" follows: "40 (of)", "some (of)", "all (of)",
    "40 percent (of)"."""
    return tok.pos_ in ("NUM", "PRON", "DET") or tok.like_num or any(c.dep_ == "nummod" for c in tok.children)


def _allowed(entry: Entry, tok: Token, cache: dict[int, set[str]] | None = None) -> bool:
    """Does the token's neighbourhood hold a context word of the reading and none of its vetoes?
    ``cache`` keeps neighbourhoods by token index for the other readings of one sentence."""
    if not entry.context and not entry.veto:
        return True
    near = cache.get(tok.i) if cache is not None else None
    if near is None:
        near = neighbourhood(tok)
        if cache is not None:
            cache[tok.i] = near
    if entry.veto & near:
        return False
    return not entry.context or bool(entry.context & near)


def inflections(lemma: str, pos: frozenset[str]) -> set[str]:
    """Regular English forms of a lemma; over-generation only costs a parse."""
    forms = {lemma, lemma + "s", lemma + "es"}
    if "VERB" in pos:
        stem = lemma[:-1] if lemma.endswith("e") else lemma
        forms |= {stem + "ed", stem + "ing", lemma + "d", lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
        if lemma.endswith("y"):
            forms |= {lemma[:-1] + "ied", lemma[:-1] + "ies"}
    if lemma.endswith("y"):
        forms.add(lemma[:-1] + "ies")
    return forms


class _WordsLoader(yaml.SafeLoader):
    """YAML where "on", "off", "yes" and "no" stay words: the lexicon lists prepositions."""


_WordsLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_WordsLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


_VETO_TOKEN = re.compile(r"\w+|[^\w\s]")


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The trigger lexicon, with the vetoes of the user dictionary in force."""
    base = packaged_lexicon()
    vetoes = [tuple(_VETO_TOKEN.findall(text.lower())) for text in userdict.current().vetoed("trigger")]
    if not vetoes:
        return base
    return replace(base, vetoed_words=frozenset(v[0] for v in vetoes if len(v) == 1),
                   vetoed_phrases=tuple(v for v in vetoes if len(v) > 1))


userdict.on_change(lexicon.cache_clear)


@lru_cache(maxsize=1)
def packaged_lexicon() -> Lexicon:
    """Our trigger lexicon (``data/triggers.yaml``), read once."""
    data = yaml.load(resources.files("eventscribe.data").joinpath("triggers.yaml").read_text(), Loader=_WordsLoader)
    lex = Lexicon()
    for raw in data["triggers"]:
        entry = Entry(
            type=raw["type"],
            mode=raw.get("mode"),
            pos=frozenset(raw.get("pos", ())),
            phrase=tuple(raw["phrase"].split()) if "phrase" in raw else (),
            weak=raw.get("weak", False),
            future=raw.get("future", False),
            transitive=raw.get("transitive", False),
            negated_only=raw.get("negated_only", False),
            no_predicate=raw.get("no_predicate", False),
            context=frozenset(raw.get("context", ())),
            veto=frozenset(raw.get("veto", ())),
            priority=raw.get("priority", 0),
        )
        forms = set(raw.get("forms", ()))
        if entry.phrase:
            lex.by_phrase_head[entry.phrase[0]].append(entry)
            forms |= inflections(entry.phrase[0], frozenset({"VERB", "NOUN"}))
        else:
            lemma = raw["lemma"]
            lex.by_lemma[lemma].append(entry)
            forms |= inflections(lemma, entry.pos)
        forms = {f.lower() for f in forms}
        lex.surface_forms |= forms
        needs = [frozenset(f.lower() for c in entry.context for f in inflections(c, frozenset({"VERB", "NOUN"})) | {c})]
        # "call for", "on alert": every other word of the phrase must be there too
        # (in any of its forms: "cut ties", "human shields", "war games")
        needs += [frozenset(f.lower() for f in inflections(word, frozenset({"VERB", "NOUN"})) | {word})
                  for word in entry.phrase[1:]]
        for f in forms:
            lex.form_needs[f].append(tuple(n for n in needs if n))
    for type_, modes in data.get("mode_cues", {}).items():
        lex.mode_cues[type_] = [(mode, frozenset(cues)) for mode, cues in modes.items()]
    return lex
