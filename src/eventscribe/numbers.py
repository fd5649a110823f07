"""Number phrases of English news text: digits ("1,200", "1.5 million", "$2 billion"),
number words ("twenty-one", "a dozen", "half a dozen") and the lexicon they and the counts
read (``data/counts_lexicon.yaml``).

The first seam of the counts stage: what a number phrase *says*. Which casualty word a
number counts is :mod:`eventscribe.counts`; which event a count belongs to is
:mod:`eventscribe.tolls`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

__all__ = ["parse_number"]

# --------------------------------------------------------------------------
# Number words (English grammar, not a lexicon: kept in code)
# --------------------------------------------------------------------------

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000,
           "billion": 1_000_000_000, "trillion": 1_000_000_000_000}
_SUFFIX_SCALES = {"bn": 1_000_000_000, "mn": 1_000_000}


def _alt(words) -> str:
    """A regex matching any of the phrases, spaces matching any whitespace.

    Built as a character trie ("kill(?:s|ed|ing)?") rather than a flat
    alternation: Python's re tries alternatives one by one, and the trie makes
    the big word lists several times faster to scan. Longer phrases win over
    their prefixes (the optional tails are greedy).
    """
    trie: dict = {}
    for w in {" ".join(w.split()) for w in words if w and w.strip()}:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        alts = [(r"\s+" if ch == " " else re.escape(ch)) + build(node[ch]) for ch in sorted(node) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if ends:
            return f"(?:{body})?"
        return body

    return build(trie)


_W = "(?:" + _alt([*_UNITS, *_TENS, *_SCALES, "dozen"]) + r")\b"
_SEP = r"(?:\s*-\s*|\s+|(?:(?<=hundred)|(?<=thousand)|(?<=million))\s+and\s+)"
# Numbers stop before ages, durations written as compounds, percentages.
_NOT_AFTER = (
    r"(?![\w%]|[.,:/]\d|\s?-\s?(?:years?|months?|weeks?|days?|hours?|minutes?|storey|story|old)\b"
    r"|\s+(?:years?|months?)(?:\s+|\s?-\s?)old\b"  # "a six year old boy": an age written without hyphens
    r"|\s*(?:percent|per\s+cent)\b)"
)
_NO_BEFORE = r"(?<![\w.,/:-])"
_DIGITS = (
    r"(?<![\w.,/:-])(?:(?P<cur>US\$|\$|€|£|¥|₹|₪)\s?)?(?<![\w.,/:-])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
    r"(?:\s+(?:hundred|thousand|million|billion|trillion)\b|\s?(?:bn|mn)\b)?"
)
_WORDNUM = (
    rf"(?:(?:half\s+)?\ban?\s+(?:dozen|hundred|thousand|million|billion)\b(?:{_SEP}{_W})*"
    rf"|\b{_W}(?:{_SEP}{_W})*)"
)


@lru_cache(maxsize=1)
def _lex() -> dict:
    """The word lists of data/counts_lexicon.yaml, loaded once."""
    text = resources.files("eventscribe").joinpath("data/counts_lexicon.yaml").read_text("utf-8")
    return yaml.safe_load(text)


@dataclass
class _Num:
    """A number phrase: qualifier + number(s), with what it means."""

    s: int
    e: int
    lo: float | None          # the number, or the low end of a range
    hi: float | None          # the high end of a range (== lo for a single number)
    kind: str | None          # None exact | approx | min | min_excl | max | max_excl | range | vague
    qual: str | None          # qualifier text as written, lowercased ("more than", "dozens")
    currency: str | None = None
    person: bool = False      # a singular person phrase ("a policeman") or pronoun
    zero: bool = False        # "no one", "nobody"
    subset: bool = False      # preceded by "including" / "among them"
    name: bool = False        # a person's name ("Ismail Haniyeh"): one person, attached strictly


def _word_value(words: str) -> float | None:
    """Value of a number written in words ("two hundred and fifty", "half a dozen")."""
    toks = [t for t in re.split(r"[\s-]+", words.lower()) if t and t != "and"]
    total, current, last = 0.0, 0.0, None
    mult = 1.0
    if toks and toks[0] == "half":
        mult, toks = 0.5, toks[1:]
    for t in toks:
        if t in ("a", "an"):
            current, last = 1, "unit"
        elif t in _UNITS:
            if last in ("unit", "teen") or (last == "tens" and _UNITS[t] >= 10):
                return None  # "five seven": two numbers, not one
            current += _UNITS[t]
            last = "teen" if _UNITS[t] >= 10 else "unit"
        elif t in _TENS:
            if last in ("unit", "teen", "tens"):
                return None
            current += _TENS[t]
            last = "tens"
        elif t == "dozen":
            current = (current or 1) * 12
            last = "scale"
        elif t == "hundred":
            current = (current or 1) * 100
            last = "scale"
        elif t in _SCALES:
            total += (current or 1) * _SCALES[t]
            current, last = 0, "scale"
        else:
            return None
    return (total + current) * mult if last is not None else None


def _one_value(text: str) -> tuple[float | None, str | None]:
    """Value and currency code of one number ("$2 billion", "1,200", "twenty-one")."""
    t = text.strip()
    m = re.match(r"(US\$|\$|€|£|¥|₹|₪)?\s?([\d,]+(?:\.\d+)?)\s*([A-Za-z]+)?$", t)
    if m:
        cur = _lex()["currencies"].get(m.group(1)) if m.group(1) else None
        digits = m.group(2).replace(",", "")
        try:
            value = float(digits)
        except ValueError:
            return None, None
        scale = (m.group(3) or "").lower()
        if scale:
            factor = _SCALES.get(scale) or _SUFFIX_SCALES.get(scale)
            if factor is None:
                return None, None
            value *= factor
        return value, cur
    return _word_value(t), None


def parse_number(text: str) -> int | float | None:
    """A number written in digits or words: "three" 3, "1,200" 1200, "a dozen" 12,
    "two dozen" 24, "twenty-one" 21, "1.5 million" 1500000, "$2 billion" 2000000000.

    Vague words ("hundreds", "dozens") and anything that is not one number give
    None; use :func:`casualties` or :func:`quantities` for those.
    """
    if not text or not text.strip():
        return None
    t = " ".join(text.split())
    m = re.fullmatch(rf"(?:{_DIGITS}|{_WORDNUM})", t, re.IGNORECASE)
    if not m:
        return None
    value, _ = _one_value(t)
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value
