"""User dictionaries: actors, places and vetoed words an analyst adds, read by the next extraction.

An analyst who corrects an event ("that militia is Congolese", "Lamu is the town in Kenya",
"'price war' is no war") wants the coder to know it next time. A *dictionary directory* holds
what they wrote by hand, brought from elsewhere or added with one click in the web page:

``actors.tsv``
    ``name  country  sector  aliases  kind  override  note``: an actor by name (``aliases`` are other
    spellings, separated by ``|``), its ISO 3166 alpha-3 country (empty for none), sector
    (``model.SECTORS``), kind (``group``, ``org``, ``igo``, ``person``; default ``group`` for
    REB, else ``org``) and ``override`` (``yes``: this entry replaces what our packaged
    dictionaries say of the same name; ``no``, the default: it only adds names we lack);
    ``note`` is free text (the API writes who added the entry, and when).
``places.tsv``
    ``name  country  admin1  lat  lon  aliases  override  note``: a place; without coordinates it
    sits at the centroid of its admin1 region or country. ``override``: the only reading of
    the name (else one more reading, preferred like our hand-written aliases).
``vetoes.tsv``
    ``kind  text  note``: ``trigger`` (a word or phrase that never reports an event: no
    trigger inside it), ``place`` (never a place name), ``actor`` (never an actor name).
``*.actors.txt``, ``*.agents.txt``
    PETRARCH/TABARI actor and agent dictionaries as event-data projects publish them
    (:mod:`eventscribe.petrarch`); their CAMEO codes become our country and sector.

Each TSV file may open with ``#`` comment lines; its first other line is the header, naming
columns in any order (unknown columns are an error, missing optional ones are empty). The
directory comes from ``--dictionary DIR`` on the commands that extract, or
``$EVENTSCRIBE_DICTIONARY``. It is read once per process and again only when one of its files
changes (a cheap ``stat`` per extraction batch), so that ``serve`` picks up an entry the API
just added. A bad file is a :class:`DictionaryError` naming the file and line.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .model import SECTORS

__all__ = ["ENV", "DictionaryError", "UserActor", "UserPlace", "Veto", "UserDictionary", "current",
           "directory", "use", "load", "on_change", "append_entry", "FILES"]

ENV = "EVENTSCRIBE_DICTIONARY"
ACTOR_KINDS = ("group", "org", "igo", "person", "country", "sector")
VETO_KINDS = ("trigger", "place", "actor")
FILES = {"actors": "actors.tsv", "places": "places.tsv", "vetoes": "vetoes.tsv"}
COLUMNS = {
    "actors": ("name", "country", "sector", "aliases", "kind", "override", "note"),
    "places": ("name", "country", "admin1", "lat", "lon", "aliases", "override", "note"),
    "vetoes": ("kind", "text", "note"),
}
REQUIRED = {"actors": ("name", "sector"), "places": ("name", "country"), "vetoes": ("kind", "text")}
HEADERS = {
    "actors": "# User actors for eventscribe (docs: README, 'User dictionaries'). Tab-separated;\n"
              "# aliases separated by |; override yes replaces what the packaged dictionaries say.\n",
    "places": "# User places for eventscribe (docs: README, 'User dictionaries'). Tab-separated;\n"
              "# lat/lon optional (then the admin1 or country centroid); override yes: the only reading.\n",
    "vetoes": "# Vetoed words for eventscribe (docs: README, 'User dictionaries'). Tab-separated;\n"
              "# kind: trigger (never reports an event), place (never a place), actor (never an actor).\n",
}


class DictionaryError(ValueError):
    """A user dictionary file that cannot be read: the message names the file and line."""


@dataclass(frozen=True)
class Period:
    """An actor's code for a stretch of time (PETRARCH date restrictions); None: open end."""

    start: dt.date | None
    end: dt.date | None
    country: str | None
    sector: str


@dataclass(frozen=True)
class UserActor:
    name: str
    country: str | None
    sector: str
    aliases: tuple[str, ...] = ()
    kind: str = "org"
    override: bool = False
    periods: tuple[Period, ...] = ()  # other codes on other dates (the defaults are the fields above)
    where: str = ""  # file:line, for messages
    note: str = ""  # free text: why, who added it


@dataclass(frozen=True)
class UserPlace:
    name: str
    country: str
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    aliases: tuple[str, ...] = ()
    override: bool = False
    where: str = ""
    note: str = ""


@dataclass(frozen=True)
class Veto:
    kind: str
    text: str
    note: str = ""


@dataclass(frozen=True)
class UserDictionary:
    """Everything one dictionary directory says (empty without one)."""

    directory: Path | None = None
    actors: tuple[UserActor, ...] = ()
    places: tuple[UserPlace, ...] = ()
    vetoes: tuple[Veto, ...] = ()

    def vetoed(self, kind: str) -> tuple[str, ...]:
        return tuple(v.text for v in self.vetoes if v.kind == kind)

    def __bool__(self) -> bool:
        return bool(self.actors or self.places or self.vetoes)


EMPTY = UserDictionary()


# --------------------------------------------------------------------------- reading


def _countries() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.countries) | {"XKX"}


def check_country(value: str, where: str) -> str:
    code = value.strip().upper()
    if code not in _country_codes():
        raise DictionaryError(f"{where}: country {value!r} is not an ISO 3166 alpha-3 code (e.g. KEN)")
    return code


_COUNTRY_CODES: frozenset[str] | None = None


def _country_codes() -> frozenset[str]:
    global _COUNTRY_CODES
    if _COUNTRY_CODES is None:
        _COUNTRY_CODES = _countries()
    return _COUNTRY_CODES


def _flag(value: str, where: str, column: str) -> bool:
    v = value.strip().lower()
    if v in ("", "no", "false", "0"):
        return False
    if v in ("yes", "true", "1"):
        return True
    raise DictionaryError(f"{where}: {column} must be yes or no, got {value!r}")


def _number(value: str, where: str, column: str, low: float, high: float) -> float | None:
    if not value.strip():
        return None
    try:
        x = float(value)
    except ValueError:
        raise DictionaryError(f"{where}: {column} must be a number, got {value!r}") from None
    if not low <= x <= high:
        raise DictionaryError(f"{where}: {column} must be between {low:g} and {high:g}, got {value!r}")
    return x


def _aliases(value: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in value.split("|") if a.strip())


def _rows(text: str, name: str, kind: str) -> Iterable[tuple[str, dict[str, str]]]:
    """(file:line, row by column) of a TSV text with ``#`` comments and a header line."""
    header: list[str] | None = None
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        where = f"{name}:{n}"
        if header is None:
            header = [c.lower() for c in cells]
            unknown = [c for c in header if c not in COLUMNS[kind]]
            missing = [c for c in REQUIRED[kind] if c not in header]
            if unknown or missing:
                raise DictionaryError(
                    f"{where}: the header must name tab-separated columns of {', '.join(COLUMNS[kind])} "
                    f"(needs {', '.join(REQUIRED[kind])})"
                    + (f"; unknown: {', '.join(unknown)}" if unknown else "")
                    + (f"; missing: {', '.join(missing)}" if missing else ""))
            continue
        if len(cells) > len(header):
            raise DictionaryError(f"{where}: {len(cells)} tab-separated cells, the header names {len(header)}")
        row = dict(zip(header, cells + [""] * (len(header) - len(cells))))
        for col in REQUIRED[kind]:
            if not row.get(col):
                raise DictionaryError(f"{where}: empty {col}")
        yield where, row


def read_actors(text: str, name: str = "actors.tsv") -> list[UserActor]:
    out = []
    for where, row in _rows(text, name, "actors"):
        sector = _one_of(row["sector"].upper(), SECTORS, where, "sector", row["sector"], sep=" ")
        country = check_country(row["country"], where) if row.get("country") else None
        kind = _one_of((row.get("kind") or ("group" if sector == "REB" else "org")).lower(),
                       ACTOR_KINDS[:4], where, "kind", row.get("kind"))
        out.append(UserActor(row["name"], country, sector, _aliases(row.get("aliases", "")), kind,
                             _flag(row.get("override", ""), where, "override"), where=where,
                             note=row.get("note", "")))
    return out


def _one_of(value: str, allowed, where: str, what: str, given, sep: str = ", ") -> str:
    """``value`` when it is one of ``allowed``; else the error names the file, line and what was given."""
    if value not in allowed:
        raise DictionaryError(f"{where}: {what} {given!r} is not one of {sep.join(allowed)}")
    return value


def read_places(text: str, name: str = "places.tsv") -> list[UserPlace]:
    out = []
    for where, row in _rows(text, name, "places"):
        lat = _number(row.get("lat", ""), where, "lat", -90, 90)
        lon = _number(row.get("lon", ""), where, "lon", -180, 180)
        if (lat is None) != (lon is None):
            raise DictionaryError(f"{where}: give both lat and lon, or neither")
        out.append(UserPlace(row["name"], check_country(row["country"], where), row.get("admin1") or None,
                             lat, lon, _aliases(row.get("aliases", "")),
                             _flag(row.get("override", ""), where, "override"), where=where,
                             note=row.get("note", "")))
    return out


def read_vetoes(text: str, name: str = "vetoes.tsv") -> list[Veto]:
    out = []
    for where, row in _rows(text, name, "vetoes"):
        kind = _one_of(row["kind"].lower(), VETO_KINDS, where, "kind", row["kind"])
        out.append(Veto(kind, " ".join(row["text"].split()), row.get("note", "")))
    return out


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DictionaryError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise DictionaryError(f"{path}: cannot read ({exc.strerror})") from None


def load(path: str | os.PathLike) -> UserDictionary:
    """Read a dictionary directory (a missing file is an empty one; a missing directory an error)."""
    from . import petrarch

    root = Path(path)
    if not root.is_dir():
        raise DictionaryError(f"{root}: no such dictionary directory")
    actors: list[UserActor] = []
    places: list[UserPlace] = []
    vetoes: list[Veto] = []
    for file in sorted(root.iterdir()):
        if not file.is_file():
            continue
        name = file.name
        label = str(file)
        if name == FILES["actors"]:
            actors += read_actors(_read_text(file), label)
        elif name == FILES["places"]:
            places += read_places(_read_text(file), label)
        elif name == FILES["vetoes"]:
            vetoes += read_vetoes(_read_text(file), label)
        elif name.lower().endswith(".actors.txt"):
            actors += petrarch.read_actors(_read_text(file), label)
        elif name.lower().endswith(".agents.txt"):
            actors += petrarch.read_agents(_read_text(file), label)
    return UserDictionary(root, tuple(actors), tuple(places), tuple(vetoes))


# --------------------------------------------------------------------------- the process's dictionary


@dataclass
class _State:
    key: tuple | None = None
    value: UserDictionary = EMPTY
    listeners: list[Callable[[], None]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


_STATE = _State()


def directory() -> Path | None:
    """The dictionary directory of this process: ``$EVENTSCRIBE_DICTIONARY``, or None."""
    value = os.environ.get(ENV, "").strip()
    return Path(value) if value else None


def use(path: str | os.PathLike | None) -> UserDictionary:
    """Make ``path`` this process's dictionary directory (and its worker processes': it is
    passed on in the environment), read it now so that a bad file stops a command before
    any work, and return it. ``None`` keeps the environment's choice."""
    if path is not None:
        os.environ[ENV] = str(Path(path).resolve())
    return current(strict=True)


def _stamp(root: Path) -> tuple:
    try:
        return tuple(sorted((e.name, st.st_mtime_ns, st.st_size)
                            for e in os.scandir(root) if e.is_file() for st in (e.stat(),)))
    except OSError:
        return ("missing",)


def current(strict: bool = False) -> UserDictionary:
    """The user dictionary in force, re-read when a file of its directory changed.

    A directory that became unreadable keeps the last good reading (with a warning) unless
    ``strict``, or unless there never was one: then the :class:`DictionaryError` is raised.
    """
    root = directory()
    key = None if root is None else (str(root), _stamp(root))
    if key == _STATE.key:
        return _STATE.value
    with _STATE.lock:
        if key == _STATE.key:
            return _STATE.value
        try:
            value = EMPTY if root is None else load(root)
        except DictionaryError as exc:
            if strict or _STATE.key is None or _STATE.key[0] != str(root):
                raise
            import warnings

            warnings.warn(f"user dictionary not reloaded: {exc}", stacklevel=2)
            _STATE.key = key  # warn once per change
            return _STATE.value
        changed = value != _STATE.value
        _STATE.key, _STATE.value = key, value
    if changed:
        for clear in list(_STATE.listeners):
            clear()
    return value


def on_change(clear: Callable[[], None]) -> None:
    """Call ``clear`` whenever the dictionary in force changes (the loaders' cache_clear)."""
    _STATE.listeners.append(clear)


# --------------------------------------------------------------------------- writing (the API)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return "|".join(str(v) for v in value)
    text = str(value)
    if "\t" in text or "\n" in text or "\r" in text:
        raise DictionaryError(f"a value may not hold a tab or a line break: {text!r}")
    return text


def append_entry(root: str | os.PathLike, kind: str, entry: dict) -> dict:
    """Add one entry to ``kind``'s TSV file of directory ``root`` (made with its header when
    absent), after checking it as the reader would; returns the entry as written.

    The line is checked by reading the file's header and the new line together, so what the
    API writes is always what the next extraction can read.
    """
    if kind not in FILES:
        raise DictionaryError(f"unknown dictionary {kind!r}: one of {', '.join(FILES)}")
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    path = root / FILES[kind]
    existing = _read_text(path) if path.exists() else ""
    header_line = next((line for line in existing.splitlines()
                        if line.strip() and not line.lstrip().startswith("#")), None)
    columns = [c.strip().lower() for c in header_line.split("\t")] if header_line else list(COLUMNS[kind])
    line = "\t".join(_cell(entry.get(c)) for c in columns)
    reader = {"actors": read_actors, "places": read_places, "vetoes": read_vetoes}[kind]
    reader("\t".join(columns) + "\n" + line + "\n", f"{path} (new entry)")
    with _STATE.lock, open(path, "a", encoding="utf-8", newline="") as fh:
        if not existing:
            fh.write(HEADERS[kind] + "\t".join(columns) + "\n")
        elif not existing.endswith("\n"):
            fh.write("\n")
        fh.write(line + "\n")
    return {c: entry.get(c) for c in columns if entry.get(c) not in (None, "")}


def as_rows(value: UserDictionary) -> dict[str, list[dict]]:
    """The dictionary as plain rows (the API's listing)."""
    def clean(d: dict) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in d.items()
                if v not in (None, "", (), False) and k not in ("periods",)}

    from dataclasses import asdict

    return {
        "actors": [clean(asdict(a)) for a in value.actors],
        "places": [clean(asdict(p)) for p in value.places],
        "vetoes": [clean(asdict(v)) for v in value.vetoes],
    }

