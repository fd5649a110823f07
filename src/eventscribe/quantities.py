"""Counts of things other than casualties: "more than 85 targets", "$2 billion", crowds.

The number phrases and casualty counts come from :mod:`eventscribe.counts` (its
docstring gives the contract: a Quantity keeps the number as written and the
qualifier as text; casualty counts and time spans are not quantities; crowd
counts are both a quantity and a crowd size).
"""

from __future__ import annotations

import re

from .counts import _casualties_at
from .count_phrases import _INVARIANT, _grammar, _is_plural, _numbers, _people_bounds
from .numbers import _W, _Num
from .model import Count, Quantity, Span

__all__ = ["quantities", "crowd_size"]

_CROWD_OF = re.compile(r"\bcrowds?\s+(?:of\s+)?$", re.IGNORECASE)
# compiled once (each re.search(pattern-string) call pays the module cache's lookup)
_MAY_COUNT = re.compile(r"\d|" + _W + r"|dozens|scores|hundreds|thousands|millions", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_SCALED = re.compile(r"(?:hundred|thousand|million|billion|dozen)\s*$", re.I)

def _unit_after(text: str, pos: int, allow_of: bool) -> tuple[str, int] | None:
    """The noun phrase naming what is counted, after ``pos``: up to 3 words.

    Words run until punctuation, a function word or a capitalised word after a
    lowercase one, and end at the first plural noun ("precision munitions",
    "aircraft carriers": "aircraft" only ends the phrase when no plural
    follows). Without a plural the phrase must be a unit of measure ("5 km").
    """
    g = _grammar()
    lead = re.match(r"\s+(?:(?:more|additional|other|new)\s+)?" + (r"(?:of\s+)?" if allow_of else ""), text[pos:])
    if lead is None:
        return None
    i = pos + lead.end()
    words: list[tuple[str, int]] = []
    while len(words) < 3:
        w = re.match(r"[A-Za-z][\w-]*(?:'(?![A-Za-z]))?", text[i:])
        if not w:
            break
        word = w.group(0)
        if word.lower().rstrip("'") in g.non_units or (
                words and word[0].isupper() and not words[-1][0][0].isupper()):
            break
        words.append((word, i + w.end()))
        i += w.end()
        gap = re.match(r"[ \t]*\n?[ \t]*", text[i:])
        if not gap or not gap.group(0) or len(gap.group(0)) > 3:
            break
        i += gap.end()
    if not words:
        return None
    for k, (word, _) in enumerate(words):
        lw = word.lower().rstrip("'")
        nxt = words[k + 1][0].lower() if k + 1 < len(words) else ""
        if lw in _INVARIANT and nxt and _is_plural(nxt) and nxt not in _INVARIANT:
            continue  # "aircraft carriers"
        if word[0].isupper() and k + 1 < len(words) and words[k + 1][0][0].islower():
            continue  # "Hamas fighters": a name, not a plural
        if _is_plural(lw):
            keep = words[: k + 1]
            break
    else:
        if words[0][0].lower() not in g.measure_units:
            return None  # "5,000 gathered", "two dozen given": no unit
        keep = words[:1]
    unit = " ".join(" ".join(w for w, _ in keep).split()).rstrip("'")
    end = keep[-1][1] - (1 if keep[-1][0].endswith("'") else 0)
    return unit, end


def _quantity_bounds(n: _Num) -> tuple[float | None, float | None]:
    kind = n.kind
    if kind in ("min", "min_excl", "vague"):
        return n.lo, None
    if kind in ("max", "max_excl"):
        return None, n.hi
    return n.lo, n.hi


def quantities(text: str, offset: int = 0) -> list[Quantity]:
    """Counts of things other than casualties: "more than 85 targets", "$2 billion".

    See the module docstring for the bounds and unit rules.
    """
    if not text or not _MAY_COUNT.search(text):
        return []
    g = _grammar()
    casualty_spans = [(c.span.start, c.span.end) for c in _casualties_at(text).values() if c.span]
    out: list[Quantity] = []
    for n in _numbers(text):
        if any(n.s < e and n.e > s for s, e in casualty_spans):
            continue
        if n.kind != "vague" and n.lo is not None and n.lo == 1 and not _DIGIT.search(text, n.s, n.e):
            continue  # "one of", "one day": not a count of things
        unit: str | None = None
        end = n.e
        if n.currency:
            unit = n.currency
        else:
            cw = g.currency_words.match(text[n.e:])
            if cw:
                unit = g.currencies[cw.group("w").lower()] if cw.group("w").lower() in g.currencies \
                    else g.currencies.get(cw.group("w"))
                end = n.e + cw.end()
        if unit is None:
            scaled = bool(_SCALED.search(text[n.s:n.e]))
            found = _unit_after(text, n.e, allow_of=n.kind == "vague" or scaled)
            if found is None:
                continue
            unit, end = found
            unit = g.currencies.get(unit.lower(), unit)  # "millions of dollars"
        lo, hi = _quantity_bounds(n)
        out.append(Quantity(
            min=lo, max=hi, unit=unit, qualifier=n.qual,
            span=Span(start=offset + n.s, end=offset + end, text=text[n.s:end]),
        ))
    return out


def crowd_size(text: str, offset: int = 0) -> Count | None:
    """The size of a crowd a sentence reports ("thousands of protesters"), or None.

    A number counts as a crowd when it is followed by a protest noun
    ("demonstrators", "marchers"), by "people"/"students"/... in a sentence
    about a protest, by a crowd verb ("took to the streets", "rallied"), or
    follows "crowd of". Counts that are casualties or arrests are not crowds.
    """
    if not text:
        return None
    g = _grammar()
    used = [(c.span.start, c.span.end) for c in _casualties_at(text).values() if c.span]
    nums = [n for n in _numbers(text) if not any(n.s < e and n.e > s for s, e in used)]
    protest_ctx = bool(g.protest.search(text))
    for n in nums:
        if n.currency or n.subset:
            continue
        after = text[n.e:]
        hit_end = None
        noun = g.crowd_noun.match(after)
        if noun and (noun.group("noun").lower() in g.crowd_specific or protest_ctx):
            hit_end = n.e + noun.end()
        elif g.crowd_verb.match(after):
            hit_end = n.e + g.crowd_verb.match(after).end()
        elif _CROWD_OF.search(text[max(0, n.s - 20): n.s]):
            hit_end = n.e
        if hit_end is None:
            continue
        lo, hi = _people_bounds(n)
        s = n.s
        pre = _CROWD_OF.search(text[max(0, n.s - 20): n.s])
        if pre:
            s = max(0, n.s - 20) + pre.start()
        return Count(min=lo, max=hi, span=Span(start=offset + s, end=offset + hit_end, text=text[s:hit_end]))
    return None
