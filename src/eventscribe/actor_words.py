"""The words of actor names: tokens, folded forms, case shapes, and the entry records.

:mod:`eventscribe.actors` matches token windows of a text against an index of dictionary
aliases; :mod:`eventscribe.actor_data` builds that index from our data files and the user
dictionary. Both read text the same way, so the tokenizer, the folding of case and accents,
the case shape an alias demands and the records of the index (:class:`_Entry`, the phrase
grammar's word lists :class:`_Lexicon`) live here, below both.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from bisect import bisect_left
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from .model import Actor

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


_KEPT_DOCUMENTS = 64  # more than a batch of documents (32): the prepare step reads them all first
_document_tokens: OrderedDict[str, tuple[list[_Token], list[int]]] = OrderedDict()


def _tokenize_document(text: str) -> list[_Token]:
    """:func:`_read_tokens` of a whole document, kept (with the tokens' starts) for
    :func:`_part_tokens`: the sentences the attribution pass scans are parts of it."""
    tokens = _read_tokens(text)
    _document_tokens[text] = (tokens, [t.start for t in tokens])
    _document_tokens.move_to_end(text)
    while len(_document_tokens) > _KEPT_DOCUMENTS:
        _document_tokens.popitem(last=False)
    return list(tokens)


def _part_tokens(text: str, start: int, end: int) -> list[_Token] | None:
    """The tokens of ``text[start:end]`` read from the kept tokens of the whole ``text`` (with
    offsets into ``text``), or None when ``text`` was not kept or its tokens may differ from the
    part's own: a token across either end, a first word joined by a hyphen before the part, or
    an initial ("S.") at the end (read as one only before a word that follows)."""
    kept = _document_tokens.get(text)
    if kept is None:
        return None
    tokens, starts = kept
    lo, hi = bisect_left(starts, start), bisect_left(starts, end)
    if lo > 0 and tokens[lo - 1].end > start:
        return None
    part = tokens[lo:hi]
    if part:
        first, last = part[0], part[-1]
        if first.joined or last.end > end or (len(last.raw) == 2 and last.raw[1] == "." and last.is_word):
            return None
    return part


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
