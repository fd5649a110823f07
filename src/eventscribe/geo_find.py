"""Finding place names in a text (part of :mod:`eventscribe.geo`): the window look-ups over
the folded tokens and the context cues that drop what is no place mention ("President
Jackson", "Houston Rockets", "Manning said", "Iran-backed") or pin a reading ("Birmingham,
Alabama", "Valencia and Córdoba in Spain").

Kept apart from the index and from resolving: this is the per-text hot path, and its
cues are the part that grows with every kind of name that is not a place.
"""

from __future__ import annotations

import re

from collections import Counter
from dataclasses import dataclass, field, replace

from .geo_build import ADMIN1, CITY, COUNTRY, SKIP, WEAK_TOWN_POPULATION, _ALT, _HAND, _LOCAL
from .geo_names import _PARTICLES, _TOKEN, fold
from .model import Location

STRAY_CONTEXT_WEIGHT = 2.0  # ... when the rest of the article weighs this much on other countries
# Text between a place and a following region/country that makes the latter qualify the former.
_QUALIFIER_GAPS = frozenset({",", "in", ", in"})
# Text between items of a list of places, over which a pinned country spreads back.
_LIST_GAPS = frozenset({",", "and", ", and", "or"})
# Words that make the name after them a lake, mountain or river ("Lake Victoria")
_FEATURE_WORDS = frozenset({"lake", "mount", "mt", "river"})


@dataclass(frozen=True)
class PlaceMention:
    """A place name found in a text, with every entry it could refer to, best first.

    ``start``/``end`` are character offsets into the text given to
    :meth:`Gazetteer.find`.  The candidate Locations are shared, read-only
    objects; :meth:`Gazetteer.resolve` returns a fresh copy.
    """

    start: int
    end: int
    text: str
    candidates: tuple[Location, ...]
    priors: tuple[float, ...] = field(default=(), repr=False, compare=False)  # context-free scores
    # How much article context may lift each candidate (half when all readings in its
    # country are towns under 100k).
    ctx_gain: tuple[float, ...] = field(default=(), repr=False, compare=False)
    # Index of the candidate that the words right after the name point to
    # ("Valencia, Spain", "Hyderabad in Sindh", "Birmingham, Alabama"), if any.
    preferred: int | None = None
    # Set for words that refer back to a place ("the capital", "the city", "nationwide"):
    # the kind of referent, from eventscribe.places ("capital", "town", "country").
    anaphor: str | None = None
    # Every reading is a town known only by an alternate name or smaller than 20k: such a
    # name needs the article's countries to back it ("Manning" is not Wanning, China).
    weak: bool = field(default=False, repr=False, compare=False)


class Finder:
    """The name-finding half of :class:`eventscribe.geo.Gazetteer`."""

    def find(self, text: str) -> list[PlaceMention]:
        """All place names in ``text``, left to right, longest match first."""
        toks = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
        folded = [fold(t[2]) for t in toks]
        out: list[PlaceMention] = []
        n, i = len(toks), 0
        index, maxlen = self._index, self._maxlen
        while i < n:
            raw = toks[i][2]
            limit = maxlen.get(folded[i]) if raw[0].isupper() else None
            if not limit:
                i += 1
                continue
            # "El-Wak", "Garba-Tula": a hyphen where the gazetteer has a space
            hyphen = i + 2 < n and toks[i + 1][2] == "-" and toks[i + 1][0] == toks[i][1] == toks[i + 1][1] - 1 \
                and toks[i + 2][0] == toks[i + 1][1]
            for size in range(min(limit + hyphen, n - i), 0, -1):
                key = folded[i] if size == 1 else " ".join(folded[i:i + size])
                hits = index.get(key)
                if not hits and hyphen and size > 2:
                    key = " ".join([folded[i]] + folded[i + 2:i + size])
                    hits = index.get(key)
                if hits and self._caps_ok(text, toks, folded, i, size, key):
                    break
            else:
                i += 1
                continue
            mention = self._mention(text, toks, folded, i, size, key, hits)
            if mention is not None:
                out.append(mention)
            i += size
        if len(out) > 1:
            out = self._drop_strays(text, self._qualify(text, out))
        return out

    def _drop_strays(self, text: str, mentions: list[PlaceMention]) -> list[PlaceMention]:
        """Drop weak names (small towns, alternate names) whose every reading lies outside
        the countries the rest of the article is about: in a story about Pakistan, "Tirah" is
        not Tirat Karmel in Israel, and in one about Kenya "Tana" is not Antananarivo."""
        if not any(m.weak and m.preferred is None for m in mentions):
            return mentions
        total = Counter(self.context(mentions, text))
        out = []
        for m in mentions:
            if m.weak and m.preferred is None:
                key = fold(m.text)
                rest = total - Counter(self.context([x for x in mentions if fold(x.text) == key]))
                if (max(rest.values(), default=0) >= STRAY_CONTEXT_WEIGHT
                        and not any(rest.get(c.country or "", 0) > 0 for c in m.candidates)):
                    continue
            out.append(m)
        return out

    def _qualify(self, text: str, mentions: list[PlaceMention]) -> list[PlaceMention]:
        """Mark the reading that a following region or country pins down.

        "Birmingham, Alabama": the pair (Birmingham in Alabama, Alabama) is the
        best consistent pair, so both get it as their preferred candidate.  A
        pinned country then spreads back over a list: "Valencia and Córdoba in
        Spain" pins Valencia to Spain too.
        """
        pref: list[int | None] = [None] * len(mentions)
        gaps = [" ".join(text[a.end:b.start].split()) for a, b in zip(mentions, mentions[1:])]
        for k, gap in enumerate(gaps):
            if gap not in _QUALIFIER_GAPS:
                continue
            a, b = mentions[k], mentions[k + 1]
            best = None
            for ib, cb in enumerate(b.candidates):
                if cb.precision == "place":
                    continue
                for ia, ca in enumerate(a.candidates):
                    if ca.country != cb.country or ca is cb:
                        continue
                    same_region = cb.precision == "country" or ca.admin1 == cb.admin1
                    score = a.priors[ia] + b.priors[ib] + (2.0 if same_region else 0.0)
                    if best is None or score > best[0]:
                        best = (score, ia, ib)
            if best is not None:
                pref[k] = best[1]
                if pref[k + 1] is None:
                    pref[k + 1] = best[2]
        for k in range(len(gaps) - 1, -1, -1):
            if pref[k] is None and pref[k + 1] is not None and gaps[k] in _LIST_GAPS:
                country = mentions[k + 1].candidates[pref[k + 1]].country
                for ia, ca in enumerate(mentions[k].candidates):  # best first
                    if ca.country == country:
                        pref[k] = ia
                        break
        return [replace(m, preferred=p) if p is not None else m for m, p in zip(mentions, pref)]

    def _caps_ok(self, text: str, toks, folded, i: int, size: int, key: str) -> bool:
        if key in self._caps:
            return all(not t[2].isalpha() or t[2].isupper() for t in toks[i:i + size])
        if size == 1 and len(toks[i][2]) <= 4 and toks[i][2].isupper():
            # "NATO": an acronym, not the town Nato -- unless it opens a dateline ("KYIV, March 3", "LIMA -").
            start = toks[i][0]
            opens_line = start == 0 or text[start - 1] == "\n"
            return opens_line and i + 1 < len(toks) and toks[i + 1][2] in (",", "-", "–", "—")
        for j in range(i, i + size):
            w = toks[j][2]
            if w[0].isalpha() and not w[0].isupper() and folded[j] not in _PARTICLES \
                    and not (j > i and folded[j - 1] == "'"):  # "Cox's Bazar", "Murang'a"
                return False
        # A name must not end on a particle or a hyphen ("Rio de" / "Iran-").
        last = folded[i + size - 1]
        return last not in _PARTICLES or size == 1

    def _mention(self, text, toks, folded, i, size, key, hits) -> PlaceMention | None:
        """Apply the context cues and build the mention, or None when it is not a place."""
        end_tok = i + size
        info = self._key_info.get(key)
        if info is None:
            info = self._key_info[key] = self._describe(key, hits)
        skip, only_city, has_admin1 = info[:3]
        if skip:  # a hand-listed non-place ("Africa", "Washington Post") wins
            return None
        nxt = toks[end_tok] if end_tok < len(toks) else None
        prv = toks[i - 1] if i > 0 else None
        # "Iran-backed", "US-led": a hyphenated modifier, not a place.
        if nxt and nxt[2] == "-" and nxt[0] == toks[end_tok - 1][1] and end_tok + 1 < len(toks):
            after = toks[end_tok + 1][2]
            if after[0].islower():
                return None
        # "pro-Russia", "anti-Israel".
        if prv and prv[2] == "-" and prv[1] == toks[i][0] and i >= 2 and toks[i - 2][2][0].islower():
            return None
        # Titles: "President Jackson", "Gen. Lee".
        j = i - 1
        if j >= 0 and toks[j][2] == ".":
            j -= 1
        if j >= 0 and folded[j] in self._titles and toks[j][2][0].isupper():
            return None
        if size == 1 and prv and prv[2] in self._first_names:  # "George Washington", "Michael Jordan"
            return None
        if only_city and size == 1:
            if nxt and nxt[2] in self._org_suffixes:  # "Houston Rockets"
                return None
            if self._inside_longer_name(text, toks, folded, i, info):
                return None
        elif only_city and self._inside_longer_name(text, toks, folded, i, info, after=False):
            return None  # "Aberdares Country Club hotel": part of a longer name
        top_kind = info[3][0][0].precision if info[3][0] else None
        if size == 1 and top_kind == "country" and toks[i][2] in self._first_names and nxt \
                and self._surname(text, toks, folded, end_tok):
            return None  # "his lawyer, Chad Otieno": a person (not "the Jordan Valley", "Chad Says")
        if size == 1 and top_kind != "country":
            if (nxt and folded[end_tok] == key and toks[i][1] + 1 == nxt[0]) or (
                    prv and folded[i - 1] == key and prv[1] + 1 == toks[i][0]):
                return None  # "Boda boda operators": a doubled word, not the town Boda
            if prv and folded[i - 1] in _FEATURE_WORDS and prv[2][0].isupper():
                return None  # "Lake Victoria", "Mount Elgon": a lake or mountain, not the town
            if toks[i][2] in self._first_names and nxt and nxt[2][0].isupper() and nxt[2].isalpha():
                return None  # "George Clooney", "Paul Kagame": a given name, not a place
            if self._person_after(toks, folded, i, end_tok, info):
                return None  # "Manning said", "Wellington, 45, a lawyer": a person
            if key in self._demonyms and not (nxt and folded[end_tok] in self._type_words):
                return None  # "Somali traders" (not the Somali Region of Ethiopia)
            if key in self._descriptors and not (nxt and folded[end_tok] in self._type_words):
                return None  # "Lamu East": a compass word, not the East Region of Cameroon
        if key in self._stoplist and not self._followed_by_region(toks, folded, end_tok):
            return None
        admin_type = has_admin1 and nxt is not None and folded[end_tok] in self._type_words
        if admin_type and folded[end_tok] in ("county", "counties"):
            # "Vihiga county" is Kenya's Vihiga County; "Hamilton County" (Ohio) is no parish
            # of Bermuda: only admin1 regions that are counties themselves
            admin_type = any(fold(loc.name).endswith("county") for loc in info[4][0])
        locs, priors, gains = info[4] if admin_type else info[3]
        if not locs:
            return None
        if admin_type:
            end_tok += 1
        start, end = toks[i][0], toks[end_tok - 1][1]
        # A given name ("Paul", "Victoria") is a place only when the article's countries agree.
        # So is half of a hyphenated name ("Garba-Tula" is not Tula, Russia; "D-Charleston" is).
        weak = not admin_type and (info[6] or (not info[7] and (  # (an admin type moved end_tok on)
            (size == 1 and toks[i][2] in self._first_names)
            or (nxt is not None and folded[end_tok] in self._local_units)  # "Kani township"
            or self._joined_to_unknown(toks, folded, i, end_tok))))
        return PlaceMention(start, end, text[start:end], locs, priors, gains, weak=weak)

    def _person_after(self, toks, folded, i: int, j: int, info: tuple) -> bool:
        """A one-word name used as a person's: "Manning said", "Wellington, 45,". Only for
        towns under 100k or weak names (regions, capitals, big cities and hand-listed names
        speak for their governments or clubs: "Moscow said", "Ohio reported", "Liverpool
        said") and not after a preposition ("police in Selma say")."""
        if j >= len(toks):
            return False
        if toks[j][2] == "," and j + 2 < len(toks) and toks[j + 1][2].isdigit() \
                and len(toks[j + 1][2]) <= 2 and toks[j + 2][2] == ",":
            return True  # an age
        return (folded[j] in self._speech_verbs and info[1] and not info[7]
                and (info[6] or self._entries_pop(info) < 100_000)  # "Atlanta says": the city
                and not (i > 0 and folded[i - 1] in self._function_words))

    def _surname(self, text: str, toks, folded, j: int) -> bool:
        """Token j reads as the surname after a given name: a capitalised word that is no place
        name, no landform ("Valley"), type or function word, and not in a line of title case."""
        w = toks[j][2]
        if not (w[:1].isupper() and w.isalpha() and toks[j - 1][1] + 1 == toks[j][0]):
            return False
        f = folded[j]
        if f in self._index or f in self._landforms or f in self._type_words or f in self._function_words:
            return False
        start = text.rfind("\n", 0, toks[j][0]) + 1
        stop = text.find("\n", toks[j][0])
        words = re.findall(r"[A-Za-z][\w'-]*", text[start:stop if stop >= 0 else len(text)])
        return not (len(words) >= 3 and sum(x[0].isupper() for x in words) >= 0.75 * len(words))

    def _joined_to_unknown(self, toks, folded, i: int, end_tok: int) -> bool:
        """True when a hyphen glues the name to a capitalised word that is no place name
        ("Garba-Tula", "Tula-Garba"); "Isiolo-Garissa border" names two places."""
        if i >= 2 and toks[i - 1][2] == "-" and toks[i - 1][1] == toks[i][0] and toks[i - 2][1] == toks[i - 1][0]:
            w = toks[i - 2][2]
            if w[:1].isupper() and w.isalpha() and folded[i - 2] not in self._index:
                return True
        if end_tok + 1 < len(toks) and toks[end_tok][2] == "-" and toks[end_tok][0] == toks[end_tok - 1][1] \
                and toks[end_tok + 1][0] == toks[end_tok][1]:
            w = toks[end_tok + 1][2]
            if w[:1].isupper() and w.isalpha() and folded[end_tok + 1] not in self._index:
                return True
        return False

    def _inside_longer_name(self, text: str, toks, folded, i: int, info: tuple, after: bool = True) -> bool:
        """A one-word town name that is part of a longer capitalised name: "Ain Zara",
        "Maria Luna" (a capitalised word before it, mid-sentence), or, for towns under
        100k and names known only as a town's alternate name, "Hassan Nasrallah", "Doho
        Kosele" (a capitalised word after it)."""
        if i > 0:
            prev, pf = toks[i - 1], folded[i - 1]
            if (prev[2][0].isupper() and prev[2].isalpha() and prev[1] + 1 == toks[i][0]
                    and pf not in self._function_words and pf not in self._descriptors
                    and not self._sentence_start(text, toks, i - 1)):
                return True
        j = i + 1
        if after and j < len(toks) and info[3][0] and (self._entries_pop(info) < 100_000 or info[6]):
            nxt, nf = toks[j], folded[j]
            if (nxt[2][0].isupper() and nxt[2].isalpha() and toks[i][1] + 1 == nxt[0]
                    and nf not in self._type_words and nf not in self._function_words
                    and nf not in self._maxlen and nf not in ("city", "town", "village", "district")):
                return True
        return False

    @staticmethod
    def _entries_pop(info: tuple) -> int:
        return info[5]

    @staticmethod
    def _sentence_start(text: str, toks, j: int) -> bool:
        """True when token j opens a sentence, a line, a quote or a bracket."""
        if j == 0:
            return True
        p = toks[j - 1][2]
        return p in {".", "!", "?", ":", ";", '"', "“", "(", "[", "—", "-", "'", "‘"} or "\n" in text[toks[j - 1][1]:toks[j][0]]

    def _describe(self, key: str, hits: list[tuple[int, int]]) -> tuple:
        """What find() needs to know about a key, computed once per key and cached:
        (is a non-place, only cities, has an admin1, ranked (locations, priors),
        ranked admin1-only (locations, priors) for "X province")."""
        kinds = {self._entries[eid].kind for eid, _ in hits}

        local = {eid for eid, flags in hits if flags & _LOCAL}

        def ranked(admin_type: bool) -> tuple:
            r = self._ranked(hits, admin_type)
            if admin_type:
                r = [x for x in r if self._entries[x[1]].kind == ADMIN1]
            # Context lifts a country's readings by half when all of them are towns under 100k
            # (an American story does not move "Paris" to Texas); a local unit, named only in
            # its own country's news, gets the whole lift ("Yala" in a Kenyan story is the ward).
            big = {self._entries[eid].iso3 for _, eid in r
                   if self._entries[eid].kind != CITY or self._entries[eid].population >= 100_000
                   or eid in local}
            gains = tuple(1.0 if self._entries[eid].iso3 in big else 0.5 for _, eid in r)
            return tuple(self._location(eid) for _, eid in r), tuple(score for score, _ in r), gains

        has_admin1 = ADMIN1 in kinds
        biggest = max((self._entries[eid].population for eid, _ in hits), default=0)
        weak = kinds <= {CITY} and all(
            flags & _ALT or self._entries[eid].population < WEAK_TOWN_POPULATION for eid, flags in hits)
        # capitals, countries and hand-written aliases: names used for governments too
        sure = any(self._entries[eid].kind == COUNTRY or self._entries[eid].importance >= 2.0 or flags & _HAND
                   for eid, flags in hits)
        return (SKIP in kinds, kinds <= {CITY}, has_admin1, ranked(False),
                ranked(True) if has_admin1 else None, biggest, weak, sure)

    def _followed_by_region(self, toks, folded, j: int) -> bool:
        """True for "Mobile, Alabama": a stoplisted name is a place when a region follows."""
        if j + 1 >= len(toks) or toks[j][2] != ",":
            return False
        for size in (3, 2, 1):
            key = " ".join(folded[j + 1:j + 1 + size])
            for eid, _ in self._index.get(key, ()):
                if self._entries[eid].kind in (COUNTRY, ADMIN1) and toks[j + 1][2][0].isupper():
                    return True
        return False
