"""PETRARCH / TABARI actor and agent dictionaries, read as user dictionaries.

Many event-data users keep their actors in the dictionary format of the TABARI and PETRARCH
coders (the Phoenix and ICEWS-era ``*.actors.txt`` and ``*.agents.txt`` files). Bringing such a
file into a dictionary directory (:mod:`eventscribe.userdict`) makes its names ours:

Actors file::

    # comments anywhere after a '#'
    BARACK_OBAMA_  [USAELI 090120-170120]     a name, words joined by '_', and its code
    +OBAMA_                                   '+' lines: other names of the actor above
    HAMID_KARZAI_                             codes may follow on their own lines, each
        [AFGELI 750101-000101]                with an optional date restriction:
        [AFGGOV >011222]                      YYMMDD-YYMMDD, >YYMMDD (from), <YYMMDD (before);
        [AFGELI]                              a code without dates is the default

Agents file: ``POLICE_OFFICER [~COP]`` lines (a ``~`` code is a sector without a country),
``{PLURALS}`` after the word (``{}``: none, else ``+S`` is assumed), substitution sets such as
``!PERSON! = MAN, MEN, WOMAN`` used as ``BUSINESS!PERSON!``.

A CAMEO code is read in three-letter pieces (``data/cameo_codes.tsv``): a country (ISO alpha-3,
or an old CAMEO code), a region (no country) or a non-state top code (IGO, NGO ...), then the
first role piece gives our sector ("AFGGOVMIL" -> AFG GOV). A code with a country and no role
is that country (its government). Six-digit years are 19YY from 30 on, 20YY below.
Names become title case ("HAMID_KARZAI_" -> "Hamid Karzai"); a short all-capital single word
stays an acronym ("ETA"); an acronym in brackets is another name ("ETA_(ETA)_").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from .userdict import DictionaryError, Period, UserActor

__all__ = ["read_actors", "read_agents", "code_actor"]

_CODE = re.compile(r"\[([^\]]*)\]")
_DATE = r"(\d{6}|\d{8})"
_RESTRICTION = re.compile(rf"^(?:{_DATE}\s*-\s*{_DATE}|>\s*{_DATE}|<\s*{_DATE})$")
_FUNCTION = frozenset("of the and for in on de del des du da al el la le bin ibn".split())
_SUBST = re.compile(r"^(![A-Za-z]+!)\s*=\s*(.+)$")


@lru_cache(maxsize=1)
def _codes() -> dict[str, tuple[str, str]]:
    text = resources.files("eventscribe").joinpath("data", "cameo_codes.tsv").read_text("utf-8")
    out = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("code\t"):
            continue
        code, what, value = line.split("\t")[:3]
        out[code] = (what, value)
    return out


def _country_code(piece: str) -> str | None:
    from .userdict import _country_codes

    what = _codes().get(piece)
    if what and what[0] == "country":
        return what[1]
    return piece if piece in _country_codes() else None


def code_actor(code: str, where: str) -> tuple[str | None, str, bool]:
    """(country, sector, is a country alone) of a CAMEO code such as ``USAGOV`` or ``~COP``."""
    code = code.strip().upper()
    if not re.fullmatch(r"~?[A-Z0-9]{3,}", code):
        raise DictionaryError(f"{where}: {code!r} is not a CAMEO actor code (e.g. USAGOV, ~COP)")
    agent = code.startswith("~")
    pieces = [code.lstrip("~")[i:i + 3] for i in range(0, len(code.lstrip("~")), 3)]
    table = _codes()
    country: str | None = None
    sector: str | None = None
    rest = pieces
    if not agent:
        what = table.get(pieces[0])
        if what is None or what[0] in ("country", "region"):
            country = _country_code(pieces[0]) if what is None or what[0] == "country" else None
            rest = pieces[1:]  # (a code we do not know, "KKL": no country)
        elif what[0] == "top":
            sector, rest = what[1], pieces[1:]
    for piece in rest:
        if sector is not None:
            break
        what = table.get(piece)
        if what and what[0] == "role":
            sector = what[1]
    if sector is None:
        if agent:
            raise DictionaryError(f"{where}: agent code {code!r} names no sector we know (e.g. ~GOV, ~COP)")
        return country, "GOV" if country else "UNK", country is not None and len(pieces) == 1
    return country, sector, False


def _year(digits: str) -> int:
    if len(digits) == 8:
        return int(digits[:4])
    yy = int(digits[:2])
    return 1900 + yy if yy >= 30 else 2000 + yy


def _date(digits: str, where: str) -> dt.date:
    try:
        return dt.date(_year(digits), int(digits[-4:-2]), int(digits[-2:]))
    except ValueError:
        raise DictionaryError(f"{where}: {digits!r} is not a date (YYMMDD or YYYYMMDD)") from None


def _restriction(text: str, where: str) -> tuple[dt.date | None, dt.date | None]:
    m = _RESTRICTION.match(text.replace(" ", ""))
    if not m:
        raise DictionaryError(f"{where}: date restriction {text!r} is not YYMMDD-YYMMDD, >YYMMDD or <YYMMDD")
    a, b, after, before = m.groups()
    if after:
        return _date(after, where), None
    if before:
        return None, _date(before, where)
    return _date(a, where), _date(b, where)


def _words(raw: str) -> list[str]:
    return [w for w in raw.replace("_", " ").split() if w]


def _title(word: str) -> str:
    return "-".join(p[:1].upper() + p[1:].lower() for p in word.split("-"))


def display_name(raw: str) -> tuple[str, list[str]]:
    """ "HAMID_KARZAI_" -> "Hamid Karzai"; bracketed acronyms come back as other names."""
    acronyms = [a.replace("_", "") for a in re.findall(r"\(([^)]*)\)", raw)]
    raw = re.sub(r"\([^)]*\)", " ", raw)
    words = _words(raw)
    if len(words) == 1 and len(words[0]) <= 5 and words[0].isalpha() and words[0].isupper():
        name = words[0]  # "ETA", "HAMAS": an acronym matches as one
    else:
        name = " ".join(w.lower() if k and w.lower() in _FUNCTION else _title(w) for k, w in enumerate(words))
    return name, [a for a in acronyms if 2 <= len(a) <= 5 and a.isalpha() and a.isupper() and not _is_country(a)]


def _is_country(word: str) -> bool:
    import pycountry

    try:
        pycountry.countries.lookup(word)
        return True
    except LookupError:
        return False


@dataclass
class _Block:
    name: str
    line: int
    aliases: list[str] = field(default_factory=list)
    codes: list[tuple[str, int]] = field(default_factory=list)


def _split_codes(text: str) -> tuple[str, list[str]]:
    return _CODE.sub(" ", text).strip(), _CODE.findall(text)


def read_actors(text: str, name: str = "actors.txt") -> list[UserActor]:
    """The actors of a PETRARCH/TABARI ``.actors.txt`` file (blocks without a code are skipped)."""
    blocks: list[_Block] = []
    current: _Block | None = None
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        where = f"{name}:{n}"
        if line.count("[") != line.count("]"):
            raise DictionaryError(f"{where}: unbalanced [ ] in {line!r}")
        rest, codes = _split_codes(line)
        if not rest:  # a code line: belongs to the block above
            if current is None:
                raise DictionaryError(f"{where}: a code {line!r} before any actor name")
            current.codes += [(c, n) for c in codes]
        elif rest.startswith("+"):
            if current is None:
                raise DictionaryError(f"{where}: a synonym {rest!r} before any actor name")
            current.aliases.append(rest[1:].strip())
            current.codes += [(c, n) for c in codes]
        else:
            current = _Block(rest, n, codes=[(c, n) for c in codes])
            blocks.append(current)
    return [a for b in blocks if (a := _block_actor(b, name)) is not None]


def _block_actor(block: _Block, name: str) -> UserActor | None:
    if not block.codes:
        return None
    periods: list[Period] = []
    default: tuple[str | None, str, bool] | None = None
    for raw, n in block.codes:
        where = f"{name}:{n}"
        parts = raw.split(None, 1)
        if not parts or parts[0] in ("---", "-"):
            continue
        country, sector, bare = code_actor(parts[0], where)
        if len(parts) > 1:
            start, end = _restriction(parts[1], where)
            periods.append(Period(start, end, country, sector))
        else:
            default = (country, sector, bare)
    if default is None and not periods:
        return None
    if default is None:  # the latest period when no code is undated
        last = max(periods, key=lambda p: p.end or dt.date.max)
        default = (last.country, last.sector, False)
    display, acronyms = display_name(block.name)
    aliases = [display_name(a)[0] for a in block.aliases] + acronyms
    aliases = [a for a in dict.fromkeys(aliases) if a and a != display]
    country, sector, bare = default
    if periods:
        kind = "person"
    elif bare:
        kind = "country"
    else:
        kind = "group" if sector == "REB" else ("igo" if sector == "IGO" else "org")
    return UserActor(display, country, sector, tuple(aliases), kind, periods=tuple(periods),
                     where=f"{name}:{block.line}")


def _plural(word: str) -> str:
    if word.endswith("man"):
        return word[:-3] + "men"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def read_agents(text: str, name: str = "agents.txt") -> list[UserActor]:
    """The sector nouns of a PETRARCH ``.agents.txt`` file (kind ``sector``, no country)."""
    subst: dict[str, list[str]] = {}
    out: list[UserActor] = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        where = f"{name}:{n}"
        m = _SUBST.match(line)
        if m:
            subst[m.group(1).upper()] = [w.strip() for w in m.group(2).split(",") if w.strip()]
            continue
        rest, codes = _split_codes(line.replace("[~", " [~"))
        if len(codes) != 1:
            raise DictionaryError(f"{where}: an agent line is WORD [~CODE], got {line!r}")
        _, sector, _ = code_actor(codes[0].split()[0] if codes[0].split() else "", where)
        plurals: list[str] | None = None
        braces = re.search(r"\{([^}]*)\}", rest)
        if braces:
            plurals = _words(braces.group(1))
            rest = (rest[:braces.start()] + rest[braces.end():]).strip()
        for form in _expand(rest.replace(" ", "_"), subst, where):
            noun = " ".join(_words(form)).lower()
            if not noun:
                continue
            forms = [p.lower() for p in plurals] if plurals is not None else [_plural(noun)]
            out.append(UserActor(noun, None, sector, tuple(f for f in forms if f != noun), "sector",
                                 where=where))
    return out


def _expand(word: str, subst: dict[str, list[str]], where: str) -> list[str]:
    m = re.search(r"![A-Za-z]+!", word)
    if not m:
        return [word]
    key = m.group().upper()
    if key not in subst:
        raise DictionaryError(f"{where}: substitution set {m.group()} is not defined above (e.g. !PERSON! = MAN, MEN)")
    out = []
    for value in subst[key]:
        out += _expand(word[:m.start()] + value + word[m.end():], subst, where)
    return out
