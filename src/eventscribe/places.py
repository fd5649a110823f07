"""Where an event happened: which place names locate it, and where a story is set.

The gazetteer (:mod:`eventscribe.geo`) finds every place name of an article; this module
decides which of them say where something happened, because a country named in a sentence
is as often a party or a nationality as a place:

* a name is *located* when a preposition of place governs it, over a few filler words
  ("in Goma", "near the border town of Rafah", "across northern Gaza");
* "Iran's foreign minister" (a possessive), "Rwanda-backed" (dropped by the gazetteer) and
  "Moscow said" (a speaker) name parties, not places;
* "in the capital", "across the city", "throughout the country" and "nationwide" refer back
  to a place: the capital of the country named just before or of the article's main
  country, the last town named, the main country (:func:`anaphoric_places`);
* a story is set at its dateline ("GOMA, Democratic Republic of Congo -- ...") or, failing
  that, at the one town that most of its place names in the main country name
  (:func:`story_place`); events the text places nowhere are placed there.

The word lists are in ``data/geo_where.yaml``.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import yaml

from .dates import _MONTH_NUM, _WEEKDAY_NUM
from .geo import DATA, Gazetteer, PlaceMention
from .model import Location
from .textfold import Sieved

_TOKEN = re.compile(r"[’']s\b|\w+(?:-\w+)*|[^\w\s]")
_CLAUSE_END = frozenset(".;:!?\n\"“”()")
_MAX_FILLERS = 6


@dataclass(frozen=True)
class _Words:
    origin_nouns: frozenset[str]
    prepositions: frozenset[str]
    fillers: frozenset[str]
    speech_verbs: frozenset[str]
    anaphors: Mapping[str, str]
    nationwide: frozenset[str]
    place_nouns: frozenset[str]
    unlisted_kinds: frozenset[str]
    national_measures: frozenset[str]
    consequence_verbs: frozenset[str]
    local_offices: frozenset[str]
    institution_nouns: frozenset[str]


@functools.lru_cache(maxsize=1)
def _words() -> _Words:
    data = yaml.safe_load((DATA / "geo_where.yaml").read_text(encoding="utf-8"))
    return _Words(
        origin_nouns=frozenset(data["origin_nouns"]),
        prepositions=frozenset(data["prepositions"]),
        fillers=frozenset(str(w) for w in data["fillers"]),
        speech_verbs=frozenset(data["speech_verbs"]),
        anaphors=dict(data["anaphors"]),
        nationwide=frozenset(data["nationwide"]),
        place_nouns=frozenset(data["place_nouns"]),
        unlisted_kinds=frozenset(data["unlisted_kinds"]),
        national_measures=frozenset(data["national_measures"]),
        consequence_verbs=frozenset(data["consequence_verbs"]),
        local_offices=frozenset(data["local_offices"]),
        institution_nouns=frozenset(data["institution_nouns"]),
    )


def located(text: str, start: int) -> bool:
    """True when a preposition of place governs the name starting at ``start``.

    Walks back over filler words ("the eastern city of"), other names of a list ("in Dhaka,
    Chattogram and Rangpur") and at most six of them in all; stops at a clause boundary.
    """
    words = _words()
    window = text[max(0, start - 120):start]
    skipped = 0
    after = ""  # the word after ``tok`` in the text
    for tok in reversed(_TOKEN.findall(window)):
        low = tok.lower().replace("’", "'")
        if low in words.prepositions:
            return True
        if tok in _CLAUSE_END or skipped >= _MAX_FILLERS:
            return False
        # any word that describes a place noun: "the breakaway region of", "the oil-rich province of"
        describes = after in words.place_nouns and tok.replace("-", "").isalpha()
        if low in words.fillers or low == "'s" or tok[:1].isupper() or describes:
            skipped += 1
            after = low
            continue
        return False
    return False


def possessive(text: str, end: int) -> bool:
    """ "Iran's", "Mozambique’s": the name owns what follows."""
    return text[end:end + 2] in ("'s", "’s")


def speaker(text: str, end: int) -> bool:
    """ "Baku said", "Moscow has warned": the name is the one who speaks."""
    toks = _TOKEN.findall(text[end:end + 40])
    words = _words()
    for tok in toks[:3]:
        low = tok.lower()
        if low in words.speech_verbs:
            return True
        if low not in ("has", "have", "had", "also", "later", "earlier", "again", "then"):
            return False
    return False


_BORDER_WITH = re.compile(r"\b(?:border|borders|frontier|boundary)\s+with\s+(?:the\s+)?$", re.I)


def beyond_border(text: str, start: int) -> bool:
    """ "near the border with Somalia": the name is the country on the other side."""
    return _BORDER_WITH.search(text, max(0, start - 30), start) is not None


_ADMIN_WORDS = (r"district|upazila|sadar|county|province|division|region|state|city|town|village|area|"
                r"sub-county|constituency|ward|municipality|union")
_QUALIFIER_GAP = re.compile(rf"^(?:\s+(?:\w+\s+)?(?:{_ADMIN_WORDS}))?\s*[,(]\s*$", re.I)
# a town qualifying a town needs more than a comma: "Tangail Sadar (Dhaka)", "Kibwezi town, Makueni"
_TOWN_QUALIFIER_GAP = re.compile(rf"^(?:\s+(?:\w+\s+)?(?:{_ADMIN_WORDS})\s*[,(]|\s*\()\s*$", re.I)


def qualifies(text: str, first: PlaceMention, first_loc: Location, then: PlaceMention,
              then_loc: Location) -> bool:
    """ "Kisumu, Kenya", "Tangail Sadar (Dhaka)", "Sherzad district, Nangarhar", "Kangemi,
    Nairobi" (a town of the first's own region): the second name only says where the first lies (the region or country around it), so it locates the same
    event as the first, not the trigger nearest to it."""
    if then_loc.precision == "place" and first_loc.precision != "place":
        return False
    if then_loc.country != first_loc.country or then_loc.name == first_loc.name:
        return False
    gap = _TOWN_QUALIFIER_GAP if then_loc.precision == "place" else _QUALIFIER_GAP
    return gap.match(text[first.end:then.start]) is not None or _encloses(text, first, first_loc, then, then_loc)


_FROM = re.compile(r"([A-Za-z]+)\s+from\s+(?:neighbouring\s+|neighboring\s+|the\s+)?$")


def origin(text: str, start: int) -> bool:
    """ "militia from South Sudan", "refugees from Somalia": the name says where people come
    from, not where they acted ("fled from Syria", "withdrew from Niger" stay places)."""
    hit = _FROM.search(text, max(0, start - 40), start)
    return hit is not None and hit.group(1).lower() in _words().origin_nouns


# "the city, which serves as the capital of North Kivu province": the region only says whose
# capital the city is; the place is the city
_CAPITAL_OF = re.compile(r"\bcapital\s+of\s+(?:the\s+)?$", re.I)


# "about 25 km west of Goma", "north of the capital": the name is a landmark to measure from
_OFFSET_OF = re.compile(r"\b(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of\s+(?:the\s+)?$", re.I)


def offset(text: str, start: int) -> bool:
    """ "the town of Sake, about 25 km west of Goma": the name only says where the place named
    before it lies."""
    return _OFFSET_OF.search(text, max(0, start - 30), start) is not None


def mention_role(text: str, m: PlaceMention) -> str:
    """How a sentence uses a place name: "located", "possessive", "speaker", "border" (the
    neighbour across a border: "near the border with Somalia"), "origin" ("raiders from
    Uganda"), "describes" ("the city, the capital of North Kivu": whose capital) or "plain"."""
    if possessive(text, m.end):  # "in Congo's largest city": the place is the city, not Congo
        return "possessive"
    if beyond_border(text, m.start):
        return "border"
    if origin(text, m.start):
        return "origin"
    if located(text, m.start):
        return "located"
    if speaker(text, m.end):
        return "speaker"
    if _CAPITAL_OF.search(text, max(0, m.start - 30), m.start) or institution(text, m.end):
        return "describes"
    return "plain"


_AFTER_WORDS = re.compile(r"\s+([a-z]+)(?:\s+([a-z]+))?(?:\s+([a-z]+))?")


def institution(text: str, end: int) -> bool:
    """ "a Baku defence ministry statement said", "the Telangana state secretariat", "Kharkiv
    regional governor": the name says whose institution or office it is, not where the act was
    (``institution_nouns`` of data/geo_where.yaml, after at most two lower-case words)."""
    hit = _AFTER_WORDS.match(text, end)
    if hit is None:
        return False
    nouns = _words().institution_nouns
    return any(w in nouns for w in hit.groups() if w)


def consequence_verbs() -> frozenset[str]:
    """Verbs whose participle clause reports what an act led to ("..., prompting a crackdown")."""
    return _words().consequence_verbs


def main_country(countries: Mapping[str, float]) -> str | None:
    """The country an article is most about (the heaviest context weight)."""
    best = max(countries.items(), key=lambda kv: kv[1], default=None)
    return best[0] if best and best[1] > 0 else None


# ----------------------------------------------------------------------------- anaphors

# only a text that holds one of the nouns is searched (textfold.Sieved)
_ANAPHOR = Sieved(re.compile(r"\b(?:the|this|that|its|their|\w+['’]s)\s+(?:(?:[a-z]+-)?[a-z]+\s+){0,2}?"
                             r"(capital|city|town|country|nation|area)\b(?!\s+(?:of|council|hall|police|'s|’s)\b)"),
                  ("capital", "city", "town", "country", "nation", "area"))
_TO_BEFORE = re.compile(r"\bto\s+$")  # "deployed to the area"
_NATIONWIDE = re.compile(r"\b(?:nationwide|countrywide|country-wide|nation-wide)\b"
                         # "a national general strike", "national protests": the whole country
                         r"|\bnational\s+(?:general\s+)?(?:strikes?|shutdowns?|protests?|demonstrations?|"
                         r"day\s+of\s+(?:protest|action|mourning))\b"
                         # "the country's cities", "across the nation's towns"
                         r"|\b(?:country|nation)['’]s\s+(?:\w+\s+)?(?:cities|towns|provinces|regions|streets)\b",
                         re.I)
_NATIONWIDE = Sieved(_NATIONWIDE, ("nation", "country"))  # every form holds one of them


# "the city, which serves as ...", "the town was rocked by": the noun is what the clause is about
_SUBJECT_AFTER = re.compile(r",?\s+(?:which|was|were)\b")


def anaphoric_places(text: str, mentions: Sequence[PlaceMention], gaz: Gazetteer,
                     countries: Mapping[str, float]) -> list[PlaceMention]:
    """Place mentions for "in the capital", "across the city", "throughout the country",
    "nationwide": each refers back to a place named earlier, or to the main country.

    Only located anaphors count ("the city council", "the country's president" are not
    places) and those the clause is about ("the city was rocked by gunfire"), and "the city
    of X" is left to X.
    """
    main = main_country(countries)
    out: list[PlaceMention] = []
    towns = [(m.start, m) for m in mentions]
    for match in _ANAPHOR.finditer(text):
        kind = _words().anaphors.get(match.group(1))
        if not located(text, match.start()) and not _SUBJECT_AFTER.match(text, match.end()) \
                and not (kind == "area" and _TO_BEFORE.search(text, max(0, match.start() - 4), match.start())):
            continue
        loc = None
        if kind == "capital":
            loc = _capital_before(text, match.start(), mentions, gaz, countries) or (
                gaz.capital(main) if main else None)
        elif kind == "town":
            loc = _last_town(towns, match.start(), gaz, countries)
        elif kind == "country" and main:
            loc = gaz.country(main)
        elif kind == "area":  # the last part of a country named: "troops were deployed to the area"
            loc = _last_part(mentions, match.start(), text, gaz, countries)
        if loc is not None:
            out.append(_synthetic(match.start(), match.end(), text, loc, kind))
    for match in _THERE.finditer(text):
        loc = _last_place(mentions, match.start(), text, gaz, countries)
        if loc is not None:
            out.append(_synthetic(match.start(), match.end(), text, loc, "there"))
    if main:
        for match in _NATIONWIDE.finditer(text):
            out.append(_synthetic(match.start(), match.end(), text, gaz.country(main), "country"))
    return out


# "had been killed there", "fighting there": the place named last. Not the "there" that
# introduces ("there were clashes", "there is no sign"), nor "from there" (where people came
# from), nor a "there" at the start of a clause.
_THERE = Sieved(re.compile(r"(?<![.;:!?\n\"“”(])(?<!\bfrom)(?<!\bthan)(?<!\bover)\s\b(there)\b(?!\s*[’']s\b)"
                           r"(?!\s+(?:is|are|was|were|be|been|being|has|have|had|will|would|may|might|must|"
                           r"could|should|can|seems?|seemed|appears?|appeared|remains?|remained|exists?|"
                           r"existed|lies|lay|comes?|came|followed|arose|ensued|is|isn['’]t|aren['’]t|"
                           r"wasn['’]t|weren['’]t)\b)", re.I), ("there",))


def _last_place(mentions: Sequence[PlaceMention], start: int, text: str, gaz: Gazetteer,
                countries: Mapping[str, float]) -> Location | None:
    """The place named last before ``start`` that is a place of the text (not a speaker, an
    owner or a neighbour across a border): what "there" points back to."""
    for m in reversed(mentions):
        if m.end <= start and mention_role(text, m) not in ("speaker", "possessive", "border", "origin"):
            return gaz.resolve(m, countries)
    return None


def _last_part(mentions: Sequence[PlaceMention], start: int, text: str, gaz: Gazetteer,
               countries: Mapping[str, float]) -> Location | None:
    """The part of a country (a town or a region) named last before ``start``, other than a
    speaker, an owner or a neighbour across a border. ("The region" is left alone: as often
    as a region of the country it is a wider one, "tensions in the region".)"""
    for m in reversed(mentions):
        if m.end <= start and mention_role(text, m) not in ("speaker", "possessive", "border", "origin"):
            loc = gaz.resolve(m, countries)
            if loc.precision != "country":
                return loc
    return None


def _synthetic(start: int, end: int, text: str, loc: Location, kind: str) -> PlaceMention:
    return PlaceMention(start, end, text[start:end], (loc,), (0.0,), (1.0,), anaphor=kind)


def _capital_before(text: str, start: int, mentions, gaz: Gazetteer, countries) -> Location | None:
    """ "Mozambique's capital": the capital of the country owning the noun."""
    for m in mentions:
        if m.end <= start and possessive(text, m.end) and start - m.end <= 6:
            loc = gaz.resolve(m, countries)
            if loc.precision == "country" and loc.country:
                return gaz.capital(loc.country)
    return None


def _last_town(towns, start: int, gaz: Gazetteer, countries) -> Location | None:
    for pos, m in reversed(towns):
        if pos < start:
            loc = gaz.resolve(m, countries)
            if loc.precision == "place":
                return loc
    return None


# ----------------------------------------------------------------------------- names the gazetteer lacks

# A capitalised name of one to three words ("Kuriga", "Mocimboa da Praia", "Ras al-Ain")
_NAME = r"[A-Z][\w'’-]+(?:\s+(?:(?:de|da|do|dos|das|del|la|le|el|al|ez|es|ul|wa)\s+)?[A-Z][\w'’-]+){0,2}"
_KIND_OF = re.compile(rf"\b(?P<kind>[a-z-]+)\s+of\s+(?P<name>{_NAME})")            # "the village of Kuriga"
_NAME_KIND = re.compile(rf"(?<![\w.])(?P<name>{_NAME})\s+(?P<kind>[a-z-]+)\b")       # "Kadawa village"
_NAME_A_KIND = re.compile(rf"(?<![\w.])(?P<name>{_NAME}),\s+(?:an?|the)\s+(?:[a-z-]+\s+){{0,2}}?(?P<kind>[a-z-]+)\s+"
                          r"(?:in|near|of|outside|on)\b")                              # "Kuriga, a village in"
_ANCHOR_REACH = 80  # characters after the name within which a known place says where it lies
_BEFORE_REACH = 30  # ... and before its phrase ("the Maputo city neighbourhood of")


def unlisted_places(text: str, mentions: Sequence[PlaceMention], gaz: Gazetteer,
                    countries: Mapping[str, float], taken: Sequence[tuple[int, int]] = ()) -> list[PlaceMention]:
    """Villages, towns and districts the gazetteer does not list, named with their kind: "the
    village of Kuriga", "Kadawa village", "Kuriga, a village in Kaduna state", "the town of Sake,
    25 km west of Goma" (kinds in ``unlisted_kinds`` of data/geo_where.yaml). Each lies where the
    known place named right after it lies (in its country, at its point), else in the main
    country, at no point. Names the dictionaries already know (``taken``: actors) are left alone.
    """
    kinds = _words().unlisted_kinds
    known = [(m.start, m.end) for m in mentions] + list(taken)
    out: list[PlaceMention] = []
    seen: set[tuple[int, int]] = set()
    for pattern in (_KIND_OF, _NAME_A_KIND, _NAME_KIND):
        for hit in pattern.finditer(text):
            if hit.group("kind") not in kinds:
                continue
            start, end = hit.span("name")
            if pattern is _NAME_KIND and _sentence_start(text, start):
                continue  # "Village elders said": a sentence's first word may be any capitalised word
            if (start, end) in seen or any(s < end and start < e for s, e in known):
                continue
            name = _trim_name(hit.group("name"))
            if not name or gaz.people_word(name.split()[0]) or name.split()[0].lower() in _words().fillers \
                    or gaz.common_word(name):
                continue  # "the Iraqi town of", "Northern district", "Police camp": not a name
            end = start + len(name)
            # "the Armenian city of Kornidzor": the people's word before the kind names the country
            before = re.search(r"([A-Z][\w'’-]+)\s+(?:[a-z-]+\s+)?$", text[max(0, hit.start("kind") - 30):hit.start("kind")])
            home = gaz.people_word(before.group(1)) if before and pattern is _KIND_OF else None
            loc = _unlisted_location(text, name, hit.start(), end, mentions, gaz, countries, home)
            if loc is None:
                continue
            seen.add((start, end))
            out.append(PlaceMention(start, end, text[start:end], (loc,), (0.0,), (1.0,)))
    # one name, one place: where its best-placed mention lies ("Qadis district, Badghis" and
    # later "outside Qadis district centre")
    best: dict[str, Location] = {}
    for m in out:
        if m.text not in best or (best[m.text].lat is None and m.candidates[0].lat is not None):
            best[m.text] = m.candidates[0]
    out = [PlaceMention(m.start, m.end, m.text, (best[m.text],), (0.0,), (1.0,)) for m in out]
    # named again without its kind ("The rebels seized Sake in February"): the same place
    for first in list(out):
        for hit in re.finditer(rf"(?<![\w-]){re.escape(first.text)}(?![\w-])", text):
            span = hit.span()
            if span not in seen and not any(s < span[1] and span[0] < e for s, e in known) \
                    and not any(m.start < span[1] and span[0] < m.end for m in out):
                seen.add(span)
                out.append(PlaceMention(span[0], span[1], first.text, first.candidates, (0.0,), (1.0,)))
    return sorted(out, key=lambda m: m.start)


def _trim_name(name: str) -> str:
    """ "Huddur Tuesday" -> "Huddur": a name ends before a weekday or a month."""
    words = name.split()
    for k, w in enumerate(words):
        if w.lower() in _WEEKDAY_NUM or w.lower() in _MONTH_NUM:
            words = words[:k]
            break
    return " ".join(words)


def _sentence_start(text: str, start: int) -> bool:
    before = text[max(0, start - 3):start].strip()
    return start == 0 or before == "" and "\n" in text[max(0, start - 3):start] or before[-1:] in (".", "!", "?", "\"", "“")


def _unlisted_location(text: str, name: str, start: int, end: int, mentions: Sequence[PlaceMention],
                       gaz: Gazetteer, countries: Mapping[str, float], home: str | None = None) -> Location | None:
    """Where an unlisted name lies: at the known place named right after it ("Kuriga, a village
    in Kaduna state"), else right before its phrase ("the Maputo city neighbourhood of X"),
    else in the country its people's word names or the main country."""
    stop = min((i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0), default=len(text))
    after = [m for m in mentions if end <= m.start < min(end + _ANCHOR_REACH, stop)]
    before = [m for m in mentions if start - _BEFORE_REACH <= m.end <= start and "." not in text[m.end:start]]
    for m in after + before[::-1]:
        around = gaz.resolve(m, countries)
        if home is not None and around.country != home:
            continue
        if around.precision == "country":
            return Location(name=name, country=around.country)
        return Location(name=name, country=around.country, admin1=around.admin1, lat=around.lat, lon=around.lon)
    main = home or main_country(countries)
    if main is None:
        return None
    # else near the last town or region of that country named before ("Two shells struck the
    # Mugunga district" in a story from Goma): an estimate
    for m in reversed([m for m in mentions if m.end <= start]):
        around = gaz.resolve(m, countries)
        if around.precision != "country" and around.country == main:
            return Location(name=name, country=main, admin1=around.admin1, lat=around.lat, lon=around.lon)
    return Location(name=name, country=main)


# ----------------------------------------------------------------------------- national measures

def national_measure(ev) -> bool:
    """ "President Lopez declared a state of emergency": a measure a national government (or no
    one named) takes for the whole country, where the text places it nowhere; not a governor's
    or a city's ("the governor declared a state of emergency in the county" is placed by its words;
    measures and offices in ``national_measures`` and ``local_offices`` of data/geo_where.yaml)."""
    words = _words()
    if ev.type != "COERCE" or ev.mode not in words.national_measures:
        return False
    actor = ev.actor
    if actor is None:
        return True
    said = (actor.span.text if actor.span is not None else actor.name).lower()
    return actor.sector == "GOV" and not any(w in words.local_offices for w in re.findall(r"[a-z]+", said))


# ----------------------------------------------------------------------------- the story's place

_DATELINE_TAIL = re.compile(r"\s*(?:,[^-–—\n]{0,40})?(?:\([^)\n]{1,30}\))?\s*[-–—:]")


def dateline(text: str, blocks, mentions: Sequence[PlaceMention], gaz: Gazetteer,
             countries: Mapping[str, float]) -> Location | None:
    """The place a story was filed from: "TBILISI - ...", "KYIV, Ukraine (AP) -- ...",
    "GOMA, Democratic Republic of Congo—..."; looked for at the start of the first three
    blocks (a headline and a standfirst may come first)."""
    for block in list(blocks)[:3]:
        first = next((m for m in mentions if block.start <= m.start < block.end), None)
        if first is None:
            continue
        lead = text[block.start:first.start]
        if len(lead.strip()) <= 2 and _DATELINE_TAIL.match(text, first.end):
            return gaz.resolve(first, countries)
    return None


def in_dateline(text: str, filed: Location | None, m: PlaceMention) -> bool:
    """True for the names of the dateline itself ("SEOUL, South Korea (AP) —"): they say
    where the story was filed, which places the lede's events through :func:`story_place`,
    not as names of each sentence."""
    if filed is None or filed.span is None or m.start < filed.span.start:
        return False
    tail = _DATELINE_TAIL.match(text, filed.span.end)
    return tail is not None and m.end <= tail.end()


_ENCLOSING_GAP = re.compile(rf"^(?:\s+(?:{_ADMIN_WORDS}))?\s*(?:,|\(|\bin\b)\s*$", re.I)


def _encloses(text: str, first: PlaceMention, first_loc: Location, then: PlaceMention,
              then_loc: Location) -> bool:
    """ "Baba Dogo, Nairobi", "Kondele in Kisumu", "Saltha upazila (Faridpur": a town right after a smaller place of its own
    region names the area around it, not a second place of the story."""
    return (first_loc.precision == "place" and then_loc.precision in ("place", "admin1")
            and first_loc.country == then_loc.country and first_loc.admin1 is not None
            and first_loc.admin1 == then_loc.admin1 and first_loc.name != then_loc.name
            and _ENCLOSING_GAP.match(text[first.end:then.start]) is not None)


# A brief (a wire snippet, an event note) is this short: the one town it names is its setting.
BRIEF_CHARS = 800


def story_place(text: str, mentions: Sequence[PlaceMention], gaz: Gazetteer,
                countries: Mapping[str, float], filed: Location | None = None) -> Location | None:
    """Where the story is set: its dateline, else the town (or region) of the main country
    that more than half of the article's sub-national place names name, at least twice --
    unless the article says its events span the country ("nationwide", "across the country")."""
    if filed is not None and filed.precision != "country":
        return filed
    # "Kenya: police disperse protesters in Nakuru": a country before a colon labels the story;
    # where it is set is still its towns
    main = (filed.country if filed is not None else None) or main_country(countries)
    if main is None or any(m.anaphor == "country" for m in mentions):
        return filed
    counts: Counter[str] = Counter()
    first: dict[str, Location] = {}
    before: tuple[PlaceMention, Location] | None = None
    for m in mentions:
        if speaker(text, m.end):
            continue
        loc = gaz.resolve(m, countries)
        inside = before is not None and _encloses(text, *before, m, loc)
        before = (m, loc)
        if loc.precision == "country" or loc.country != main or inside:
            continue
        counts[loc.name] += 1
        first.setdefault(loc.name, loc)
    if not counts:
        return filed
    name, n = counts.most_common(1)[0]
    if (n >= 2 and 2 * n > sum(counts.values())) or (len(counts) == 1 and len(text) <= BRIEF_CHARS):
        return first[name].model_copy(update={"span": None})
    return filed


def _says_nationwide(loc: Location) -> bool:
    """ "arrested across the country", "nationwide": the text itself spans the country."""
    return loc.span is not None and loc.span.text[:1].islower()


def narrow_to_setting(events, setting: Location) -> None:
    """In a brief set in one town, an event placed only at that town's country is placed at the
    town: "Migori residents protested over ... criminality in Kenya" names Kenya for the crime,
    and the brief's one town is where its events happened (changed in place); not an event the
    brief itself says spans the country ("70 people were arrested across the country")."""
    for ev in events:
        if national_measure(ev):
            continue  # "declared a state of emergency": the whole country's
        if ev.locations and all(loc.precision == "country" and loc.country == setting.country
                                and not _says_nationwide(loc) for loc in ev.locations):
            ev.locations = [setting.model_copy(update={"span": None})]

