"""The document gate: is this political or conflict news at all, and is it in English?

A pipeline stage between reading a document and parsing it. The trigger rules are
English and read every "attack", "strike", "support" or "meets" as a possible event, so a
recipe, a phone review, a match report or a software manual would give events that no
news coder would code. Before any sentence is parsed, the gate weighs

- the document's language (:mod:`py3langid`, only asked when the text is not plainly
  English by its function words, so short headlines are never misread);
- how much of its vocabulary is political or conflict vocabulary (states, armed groups,
  officials, violence, protest: ``data/gate_vocabulary.yaml``) against the vocabulary of the
  kinds of pages that report no political event (recipes, software, sport, games, shopping,
  travel, business, health and home);
- named political actors the actor dictionary found (armed groups, IGOs, office holders).

A document that fails gives no events, and its :class:`~eventscribe.model.DocumentResult`
says why (``skipped``). The gate never drops a document that names political actors and
uses political vocabulary at news density, so real news passes even when it is short.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

_WORD = re.compile(r"[a-z]+(?:['’-][a-z]+)*")


@dataclass(frozen=True)
class _Vocabulary:
    strong: frozenset[str]
    weak: frozenset[str]
    domains: dict[str, frozenset[str]]
    sport: frozenset[str]
    english: frozenset[str]
    # every listed term -> the lists it is in ("strong", "weak", domain names), for one lookup per term
    index: dict[str, tuple[str, ...]] = field(default_factory=dict)
    phrase_starts: frozenset[str] = frozenset()  # first words of the two-word entries


@lru_cache(maxsize=1)
def vocabulary() -> _Vocabulary:
    data = yaml.safe_load(resources.files("eventscribe.data").joinpath("gate_vocabulary.yaml").read_text())
    lists = {"strong": data["political"]["strong"], "weak": data["political"]["weak"], **data["domains"]}
    index: dict[str, tuple[str, ...]] = {}
    for name, terms in lists.items():
        for term in terms:
            if name not in index.get(term, ()):
                index[term] = (*index.get(term, ()), name)
    return _Vocabulary(
        strong=frozenset(data["political"]["strong"]),
        weak=frozenset(data["political"]["weak"]),
        domains={name: frozenset(words) for name, words in data["domains"].items()},
        sport=frozenset(data["sport"]),
        english=frozenset(data["english"]),
        index=index,
        phrase_starts=frozenset(t.split()[0] for t in index if " " in t),
    )


def words_of(text: str) -> list[str]:
    """Lower-case words, hyphens kept inside ("cease-fire"), possessive 's dropped ("government's")."""
    return [w[:-2] if w.endswith("'s") else w for w in _WORD.findall(text.lower().replace("’", "'"))]


def _terms(words: list[str]) -> Counter:
    """Every word and every two-word phrase that may be listed, counted."""
    starts = vocabulary().phrase_starts
    terms = Counter(words)
    terms.update(f"{a} {b}" for a, b in zip(words, words[1:]) if a in starts)
    return terms


def _lists_of(term: str, index: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The lists a term is in, as it is or, ending in -s, as its singular."""
    found = index.get(term)
    if found is None and term.endswith("s") and not term.endswith("ss"):
        found = index.get(term[:-1])
    return found or ()


@dataclass
class VocabularyProfile:
    """How often a text uses political and each domain's vocabulary."""

    words: int
    strong: int
    weak: int
    strong_distinct: int
    domains: dict[str, int] = field(default_factory=dict)
    lead_strong: int = 0  # distinct strong political terms in the first _LEAD_WORDS words
    sport_words: int = 0  # distinct words of the sport list

    @property
    def political(self) -> float:
        return self.strong + 0.5 * self.weak

    @property
    def domain(self) -> int:
        return sum(self.domains.values())


def profile(text: str) -> VocabularyProfile:
    vocab = vocabulary()
    words = words_of(text)
    counts: Counter = Counter()
    strong_distinct = 0
    for term, n in _terms(words).items():
        lists = _lists_of(term, vocab.index)
        if "strong" in lists:
            strong_distinct += 1
            lists = tuple(name for name in lists if name != "weak")
        for name in lists:
            counts[name] += n
    domains = {name: counts[name] for name in vocab.domains}
    lead_strong = sum("strong" in _lists_of(term, vocab.index) for term in _terms(words[:_LEAD_WORDS]))
    return VocabularyProfile(len(words), counts["strong"], counts["weak"], strong_distinct, domains,
                             lead_strong, len(set(words) & vocab.sport))


# --- language -------------------------------------------------------------------------------

# A text where at least this share of the words are English function words is English; one
# where fewer than _NOT_ENGLISH_SHARE are is not, and py3langid only names its language.
_ENGLISH_SHARE = 0.18
_NOT_ENGLISH_SHARE = 0.05
# A paragraph of at least this many words with this share of English function words makes a
# mixed document English.
_PASSAGE_WORDS = 25
_PASSAGE_ENGLISH_SHARE = 0.25
# Below this many letters a text is too short to tell its language: it is taken as English.
_MIN_LETTERS_TO_JUDGE = 120
# py3langid must be this sure before a document is set aside as not English.
_MIN_LANGID_CONFIDENCE = 0.9
_ANY_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@lru_cache(maxsize=1)
def _identifier():
    """py3langid's model, loaded on first use (a few seconds): most news never needs it."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def english_share(text: str) -> float:
    """The share of a text's words that are English function words ("the", "of", "said")."""
    words = _ANY_WORD.findall(text.lower())
    if not words:
        return 0.0
    english = vocabulary().english
    return sum(w in english for w in words) / len(words)


def _has_english_passage(text: str) -> bool:
    """Whether a paragraph of some length is plainly English (a stricter share than a whole text)."""
    for paragraph in text.split("\n"):
        if len(paragraph) > 120 and len(_ANY_WORD.findall(paragraph)) >= _PASSAGE_WORDS \
                and english_share(paragraph) >= _PASSAGE_ENGLISH_SHARE:
            return True
    return False


def detect_language(text: str) -> str:
    """ISO 639-1 code of the document's language; "en" whenever it may well be English.

    Only texts that are long enough and use few English function words are given to
    py3langid, and only a confident verdict counts unless the text has almost no English
    function words at all (a page of names and scores in Spanish): a headline ("Rebels
    seize town") or an English text quoting another language stays English.
    """
    share = english_share(text)
    if share >= _ENGLISH_SHARE or sum(c.isalpha() for c in text) < _MIN_LETTERS_TO_JUDGE:
        return "en"
    if _has_english_passage(text):
        return "en"  # a bilingual page or press release: its English half is read
    lang, confidence = _identifier().classify(text[:5000])
    if share < _NOT_ENGLISH_SHARE or confidence >= _MIN_LANGID_CONFIDENCE:
        return lang
    return "en"


# --- is it political news? --------------------------------------------------------------------

# Political words (strong 1, weak 1/2, named political actors 1) per 100 words that make a
# document news about politics or conflict, whatever else it talks about. Real news has 3 to
# 15; recipes, manuals, shops and match reports have under 1.
_POLITICAL_DENSITY = 1.5
# Between the two densities a document passes only if its political words outnumber the
# vocabulary of one of the non-political domains (a company's results, a product launch).
_CLEAR_DENSITY = 2.5
# Texts shorter than this are judged on whether they have any political word or actor at all;
# up to _NOTE_WORDS (an event note, a wire paragraph) on whether they have at least half as
# many political words as domain words (a note has too few words for a density).
_SHORT_TEXT = 40
_NOTE_WORDS = 150
# A news lead says who did what: this many distinct strong political words in the first
# _LEAD_WORDS words make the document news however long and diluted the rest is.
_LEAD_WORDS = 60
_LEAD_STRONG = 2
# A document with this many distinct sport words is a sports report.
_SPORT_REPORT_WORDS = 3
# Actor kinds that name a political actor outright (with a political sector), and the weight
# of each distinct country or nationality named (travel pages name countries too).
_POLITICAL_ACTOR_KINDS = {"group", "igo", "person", "office", "org"}
_POLITICAL_SECTORS = {"GOV", "MIL", "REB", "COP", "JUD", "LEG", "OPP", "POL", "IGO"}
_COUNTRY_WEIGHT = 0.5


@dataclass
class GateDecision:
    """The gate's verdict on one document; ``skipped`` says why it gives no events."""

    language: str
    skipped: str | None = None
    sports: bool = False  # a sports report: sentences about the match are read in their sporting sense

    @property
    def passed(self) -> bool:
        return self.skipped is None


def political_actors(actor_mentions) -> float:
    """Distinct named political actors (armed groups, IGOs, parties, politicians, office
    holders) and, at half weight, distinct countries."""
    named = {m.actor.name for m in actor_mentions
             if m.kind in _POLITICAL_ACTOR_KINDS and m.basis in ("name", "alias") and m.actor.sector in _POLITICAL_SECTORS}
    countries = {m.actor.country for m in actor_mentions if m.kind == "country" and m.actor.country}
    return len(named) + _COUNTRY_WEIGHT * len(countries)


def political_news(text: str, actor_mentions=(), p: VocabularyProfile | None = None) -> tuple[bool, str]:
    """Whether a text is political or conflict news, and the evidence in a few words."""
    p = p or profile(text)
    actors = political_actors(actor_mentions)
    political = p.political + actors
    evidence = f"{political:g} political words or actors in {p.words} words, {p.domain} domain words"
    if p.words < _SHORT_TEXT:
        return political > 0 or p.domain == 0, evidence
    if p.lead_strong >= _LEAD_STRONG:
        return True, evidence
    if p.words < _NOTE_WORDS:
        return p.domain <= 2 * political, evidence
    density = 100 * political / p.words
    if density >= _CLEAR_DENSITY:
        return True, evidence
    if density >= _POLITICAL_DENSITY:
        return political >= max(p.domains.values(), default=0), evidence
    return False, evidence


def is_sports_report(text: str) -> bool:
    """A match report uses the vocabulary of war ("fired", "struck", "invaded"): recognise it."""
    return profile(text).sport_words >= _SPORT_REPORT_WORDS


def mentions_sport(words: set[str]) -> bool:
    """Whether a sentence (its words and lemmas) talks about a match, a race or a team."""
    return bool(words & vocabulary().sport)


def assess(text: str, actor_mentions=()) -> GateDecision:
    """The gate's verdict on a document: its language, and whether the rules should read it."""
    language = detect_language(text)
    if language != "en":
        return GateDecision(language, skipped=f"language {language}: the event rules read English only")
    p = profile(text)
    ok, evidence = political_news(text, actor_mentions, p)
    if not ok:
        return GateDecision(language, skipped=f"not political or conflict news ({evidence})")
    return GateDecision(language, sports=p.sport_words >= _SPORT_REPORT_WORDS)
