"""Place names as the gazetteer indexes them: folding, index keys, admin1 short forms, and
the readers of the ``data/geo_*`` files (part of :mod:`eventscribe.geo`, which re-exports
what other modules use).

Kept apart from the index because every stage that compares names ("Córdoba" and
"Cordoba", "St. Louis" and "Saint Louis") needs the same folding, and the data readers are
shared by the index builder, the finder and :mod:`eventscribe.places`.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

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


@functools.lru_cache(maxsize=1)
def _abroad_nouns() -> frozenset[str]:
    """Nouns after a nationality that make its people foreigners where a story happens
    ("Sudanese refugees"), shared with eventscribe.pipeline."""
    import yaml

    data = yaml.safe_load((DATA / "geo_where.yaml").read_text(encoding="utf-8"))
    return frozenset(data["abroad_nouns"])


def _speech_verbs() -> frozenset[str]:
    """Verbs of saying after a name ("X said"), shared with eventscribe.places."""
    import yaml

    data = yaml.safe_load((DATA / "geo_where.yaml").read_text(encoding="utf-8"))
    return frozenset(data["speech_verbs"])


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))
