"""The phrases the counts stage reads in a sentence: number phrases with their qualifiers
("at least 12", "between five and seven", "dozens"), minus dates, ages and labels, and
phrases that name people ("a policeman", "he", "Ismail Haniyeh", the bare headline noun of
"Gunmen kill farmer"), over the grammar built from ``data/counts_lexicon.yaml``.

A seam of the counts stage: :mod:`eventscribe.numbers` says what one number is worth; this
module finds the phrases; :mod:`eventscribe.counts` decides which casualty word each phrase
counts; :mod:`eventscribe.tolls` which event may carry the count; :mod:`eventscribe.quantities`
reads the phrases that count things other than people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .dates import date_time_spans
from .numbers import _DIGITS, _NO_BEFORE, _NOT_AFTER, _WORDNUM, _Num, _alt, _lex, _one_value

# --------------------------------------------------------------------------
# Number phrases
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Grammar:
    num: re.Pattern
    qual_kind: dict[str, str]
    vague: dict[str, int]
    person_sing: re.Pattern
    person_any: re.Pattern
    zero_subj: re.Pattern
    zero_phrases: tuple[tuple[re.Pattern, tuple[str, ...]], ...]
    triggers: re.Pattern
    trigger_info: dict[str, tuple[str, str]]
    currencies: dict[str, str]
    currency_words: re.Pattern
    non_units: frozenset[str]
    non_person: frozenset[str]
    measure_units: frozenset[str]
    crowd_noun: re.Pattern
    crowd_verb: re.Pattern
    protest: re.Pattern
    crowd_specific: frozenset[str]
    name_stop: frozenset[str]
    titles: frozenset[str]
    allegation: re.Pattern
    bare_subject: re.Pattern
    bare_object: re.Pattern


# words that open a noun phrase with its own count or determiner: no bare headline noun follows
_DETS = (r"a|an|the|his|her|their|its|our|one|two|three|four|five|six|seven|eight|nine|ten|another|"
         r"this|that|these|those|some|many|several|dozens|hundreds|no|every|each|all|both|any|\d[\d,]*")


def _plural(noun: str) -> list[str]:
    """Regular English plurals of a (possibly multi-word) person noun."""
    *head, last = noun.split()
    pre = " ".join(head) + (" " if head else "")
    if last == "person":
        return [pre + "people", pre + "persons"]
    if last.endswith("man"):
        return [pre + last[:-3] + "men"]
    if last == "child":
        return [pre + "children"]
    if last == "wife":
        return [pre + "wives"]
    if last in ("passer-by", "passerby"):
        return ["passers-by", "passersby"]
    if last.endswith("y") and last[-2:-1] not in "aeiou":
        return [pre + last[:-1] + "ies"]
    if last.endswith(("s", "sh", "ch", "x")):
        return [pre + last + "es"]
    return [pre + last + "s"]


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    lex = _lex()
    quals = lex["qualifiers"]
    qual_kind = {" ".join(q.split()): kind for kind, qs in quals.items() for q in qs}
    vague = {" ".join(k.split()): int(v) for k, v in lex["vague"].items()}
    qual_re = _alt(qual_kind)
    vague_re = _alt(vague)
    one = rf"(?:{_DIGITS}|{_WORDNUM})"
    # the second number of a range or "between" may follow a hyphen: "5-7"
    inner = rf"(?:{_DIGITS.replace('(?P<cur>', '(?:').replace(_NO_BEFORE, '')}|{_WORDNUM})"
    num = re.compile(
        rf"(?:\bbetween\s+(?P<a>{inner})\s+and\s+(?P<b>{inner}){_NOT_AFTER}"
        rf"|(?:\b(?P<qual>{qual_re})\s+)?(?:(?P<vague>\b(?:{vague_re})\b)"
        rf"|(?P<n>{one}){_NOT_AFTER}(?:\s*(?:-|–|\bto\b|\bor\b)\s*(?P<n2>{inner}){_NOT_AFTER})?))",
        re.IGNORECASE,
    )
    sing = list(lex["person_singular"])
    plur = [p for n in sing for p in _plural(n)] + list(lex["person_plural_extra"])
    sing_re = _alt(sing)
    person_sing = re.compile(
        rf"\b(?:(?P<det>an?|one|another|the|his|her|their|its|(?-i:[A-Z])[\w-]*(?:'s|’s|'|’))\s+"
        rf"(?:(?!(?:an?|the|on|in|of|at|by|and|or|to|for|with|was|were|is)\b)[\w'’-]+\s+){{0,3}}?"
        rf"(?:\d+-year-old(?:\s+(?:{sing_re}))?|{sing_re})\b(?!-)"
        rf"|(?P<pron>he|she|himself|herself|him)\b)",
        re.IGNORECASE,
    )
    person_any = re.compile(
        rf"\b(?i:{_alt(plur + sing)})\b|\b\d+-year-olds?\b|\b[A-Z][a-z]+(?:is|ns|es|ts|ks|ds|rs|gs|os|hs)\b",
    )
    zero = lex["zero"]
    zero_subj = re.compile(rf"\b(?:{_alt(zero['subjects'])})\b", re.IGNORECASE)
    zero_phrases = tuple(
        (re.compile(rf"\b(?:{rx})\b", re.IGNORECASE), tuple(keys)) for rx, keys in zero["phrases"].items()
    )
    info: dict[str, tuple[str, str]] = {}
    for key, kinds in lex["triggers"].items():
        for kind, words in kinds.items():
            for w in words or ():
                info.setdefault(" ".join(w.lower().split()), (key, kind))
    triggers = re.compile(rf"\b(?:{_alt(info)})\b", re.IGNORECASE)
    cur = lex["currencies"]
    currency_words = re.compile(
        rf"^\s*(?:(?:US|U\.S\.|American|Canadian|Australian)\s+)?(?P<w>{_alt([c for c in cur if c[0].isalpha()])})\b",
        re.IGNORECASE,
    )
    crowd_nouns = list(lex["crowd_nouns"])
    return _Grammar(
        num=num, qual_kind=qual_kind, vague=vague,
        person_sing=person_sing, person_any=person_any,
        zero_subj=zero_subj, zero_phrases=zero_phrases,
        triggers=triggers, trigger_info=info,
        currencies=cur, currency_words=currency_words,
        non_units=frozenset(w.lower() for w in lex["non_units"]),
        non_person=frozenset(w.lower() for w in lex["non_person_heads"]),
        name_stop=frozenset(w.lower() for w in lex["name_stop"]),
        titles=frozenset(w.lower() for n in [*lex["person_singular"], *lex["title_words"]] for w in n.split()),
        measure_units=frozenset(w.lower() for w in lex["measure_units"]),
        bare_subject=re.compile(
            rf"^\s*(?!(?:a|an|the|his|her|their|its|our|this|that|one|another)\b)(?:[\w'’-]+\s+){{0,3}}?"
            rf"(?:{sing_re})\b(?=\s+(?:(?:reportedly|allegedly|apparently|feared|found|believed)\s+)?(?:{_alt(info)})\b)",
            re.IGNORECASE),
        bare_object=re.compile(
            rf"^\s+(?!(?:{_DETS})\b)(?:(?-i:[a-z])[\w'’-]*\s+){{0,2}}?(?:{sing_re})\b"
            rf"(?=\s*(?:$|[,.;:]|(?:in|at|on|near|after|as|during|over|from|for|who|while|and)\b))", re.IGNORECASE),
        allegation=re.compile(rf"\b(?:{_alt(lex['allegation_cues'])})\s+(?:(?:the|a|an)\s+)?$", re.IGNORECASE),
        crowd_noun=re.compile(rf"^\s+(?:more\s+)?(?:of\s+)?(?:[\w'-]+\s+){{0,2}}?(?P<noun>{_alt(crowd_nouns)})\b", re.IGNORECASE),
        crowd_verb=re.compile(rf"^\s+(?:more\s+|people\s+|others\s+)?(?:(?:have|had|has)\s+)?(?:{_alt(lex['crowd_verbs'])})\b", re.IGNORECASE),
        protest=re.compile(rf"\b(?:{_alt(lex['protest_words'])})\b", re.IGNORECASE),
        crowd_specific=frozenset(n for n in crowd_nouns if n not in {
            "people", "students", "workers", "residents", "farmers", "teachers", "women",
            "citizens", "youths", "pensioners", "miners", "doctors", "nurses", "employees",
            "members", "fans", "worshippers", "supporters", "opponents"}),
    )


def _num_from_match(m: re.Match, text: str) -> _Num | None:
    g = _grammar()
    if m["a"] is not None:
        lo, _ = _one_value(m["a"])
        hi, _ = _one_value(m["b"])
        if lo is None or hi is None or hi < lo:
            return None
        return _Num(m.start(), m.end(), lo, hi, "range", None)
    qual = " ".join(m["qual"].lower().split()) if m["qual"] else None
    if m["vague"] is not None:
        v = g.vague[" ".join(m["vague"].lower().split())]
        vq = " ".join(m["vague"].lower().split())
        return _Num(m.start(), m.end(), v, None, "vague", vq if qual is None else f"{qual} {vq}")
    value, cur = _one_value(m["n"])
    if value is None:
        return None
    if m["n2"] is not None:
        hi, _ = _one_value(m["n2"])
        sep = text[m.end("n"):m.start("n2")]
        if hi is None or hi < value or (hi > 10 * value and "or" not in sep.lower()):
            # "5 to 70" is odd; keep the first number only
            return _Num(m.start(), m.end("n"), value, value, g.qual_kind.get(qual) if qual else None, qual, cur)
        return _Num(m.start(), m.end(), value, hi, "range", qual, cur)
    return _Num(m.start(), m.end(), value, value, g.qual_kind.get(qual) if qual else None, qual, cur)


_PREV_WORD = re.compile(r"([\w.#]+)\s*$")
_LABEL_PREV = frozenset({"aged", "age", "ages", "no.", "no", "number", "#", "article", "resolution",
                         "chapter", "section", "page", "route", "highway", "flight", "paragraph"})
_SUBSET = re.compile(r"(?:including|among\s+them|among\s+whom|of\s+whom|among\s+the\s+dead\s+were|"
                     r"mostly|mainly|most\s+of\s+them)\s*$", re.IGNORECASE)


@lru_cache(maxsize=512)
def _numbers(text: str) -> tuple[_Num, ...]:
    """Number phrases of a sentence, minus dates, times, ages, percentages and labels.

    Cached: casualties(), quantities() and crowd_size() of one sentence share it.
    The _Num records are never changed after this returns.
    """
    g = _grammar()
    masks = date_time_spans(text)
    out: list[_Num] = []
    for m in g.num.finditer(text):
        if not m.group(0).strip():
            continue
        n = _num_from_match(m, text)
        if n is None:
            continue
        core_s = m.start("n") if m["n"] is not None else n.s
        if any(s < n.e and e > core_s for s, e in masks):
            continue
        prev = _PREV_WORD.search(text[max(0, n.s - 30): n.s])
        if prev:
            word = prev.group(1)
            if word.lower() in _LABEL_PREV:
                continue
            if (n.qual is None and word[:1].isupper() and m["n"] is not None
                    and m["n"][:1].isdigit() and word.lower() not in g.qual_kind
                    and word.lower() not in g.name_stop):  # "Another 12 people" is no "Tower 22"
                continue  # "Tower 22", "Resolution 2334"
        if _is_age(text, n, m):
            continue
        n.subset = bool(_SUBSET.search(text[max(0, n.s - 40): n.s]))
        out.append(n)
    return tuple(out)


_AGE_BEFORE = re.compile(r"([\w'’-]+)\s*,\s*$")
_AGE_AFTER = re.compile(r"\s*(?:,|\)|$|\.(?!\d)|\band\b|\bor\b)")


def _is_age(text: str, n: _Num, m: re.Match) -> bool:
    """ "Ahmed Karim, 45, a shopkeeper", "his wife, 49, and": a bare number set off by
    commas after a name or a person noun is an age; so is the second of "aged 30 and 41"."""
    if n.qual is not None or m["n"] is None or not re.fullmatch(r"\d{1,3}", m["n"]) or m["n2"] is not None:
        return False
    before = text[max(0, n.s - 40):n.s]
    if re.search(r"\baged?\s+\d{1,3}\s*(?:and|or|to|-)\s*$", before, re.IGNORECASE):
        return True
    listed = re.search(r"([\w'’-]+)\s*,\s*\d{1,3}(?:\s*,\s*\d{1,3})*\s*,?\s*(?:and|or|&)\s*$", before)
    if listed and _AGE_AFTER.match(text[n.e:]) and _is_person_head(listed.group(1)):
        return True  # "the victims, 19 and 23,"
    prev = _AGE_BEFORE.search(before)
    if prev is None or not _AGE_AFTER.match(text[n.e:]):
        return False
    word = prev.group(1)
    return word[0].isupper() or _is_person_head(word) or word.lower() in _grammar().titles




def _people_bounds(n: _Num) -> tuple[int | None, int | None]:
    """Integer bounds of a count of people (see the module docstring)."""
    if n.zero:
        return 0, 0
    lo = None if n.lo is None else int(round(n.lo))
    hi = None if n.hi is None else int(round(n.hi))
    kind = n.kind
    if kind in (None, "approx", "range"):
        return lo, hi
    if kind == "vague":
        return lo, None
    if kind == "min":
        return lo, None
    if kind == "min_excl":
        return (None if lo is None else lo + 1), None
    if kind == "max":
        return None, hi
    if kind == "max_excl":
        return None, (None if hi is None else max(hi - 1, 0))
    return lo, hi


def _add(a: tuple[int | None, int | None], b: tuple[int | None, int | None]) -> tuple[int | None, int | None]:
    lo = None if a[0] is None or b[0] is None else a[0] + b[0]
    hi = None if a[1] is None or b[1] is None else a[1] + b[1]
    return lo, hi


def _person_phrases(text: str) -> list[_Num]:
    """One-person phrases ("a policeman", "the driver", "he") and zero subjects ("no one")."""
    g = _grammar()
    out = []
    for m in g.person_sing.finditer(text):
        out.append(_Num(m.start(), m.end(), 1, 1, None, None, person=True))
    for m in g.zero_subj.finditer(text):
        out.append(_Num(m.start(), m.end(), 0, 0, None, None, zero=True))
    for m in _ANOTHER.finditer(text):  # "killed a trader and wounded another"
        out.append(_Num(m.start(), m.end(), 1, 1, None, None, person=True))
    for m in _AGES_OF.finditer(text):  # "the victims, aged 19 and 23,": as many as their ages
        if _is_person_head(m["noun"]) and _is_plural(m["noun"]):
            n = len(re.findall(r"\d+", m["ages"]))
            out.append(_Num(m.start(), m.end(), n, n, None, None, person=True))
    out.extend(_named_people(text))
    for n in out:
        n.subset = bool(_SUBSET.search(text[max(0, n.s - 40): n.s]))
    return out


# "another" standing for one more person: "wounded another", "another was hurt" (not "another 20")
_ANOTHER = re.compile(r"\b(?:another|one\s+other)\b(?=\s*(?:$|[,.;:!?)]|(?:in|at|on|near|when|as|during|and|"
                      r"while|before|after|with|was|is|had|has|died|later)\b))", re.IGNORECASE)
# a plural noun of people with the ages of each: "the victims, aged 19 and 23, were", "both men, 30 and 41,"
_AGES_OF = re.compile(
    r"\b(?:the|both|his|her|their|its)\s+(?:[\w'’-]+\s+){0,2}?(?P<noun>[\w'’-]+)\s*,\s*(?:aged\s+|ages\s+)?"
    r"(?P<ages>\d{1,3}(?:\s*,\s*\d{1,3})*\s*,?\s*(?:and|&)\s*\d{1,3})(?=\s*,)", re.IGNORECASE)


_NAME_TOKEN = r"(?:[A-Z][a-z][\w'’-]*|[A-Z]\.)"
_NAME = re.compile(
    rf"(?<![\w'’-]){_NAME_TOKEN}(?:\s+(?:(?:al|el|bin|ibn|de|da|van|von|der|ul|abu)[-\s]+)?{_NAME_TOKEN})*")
_NOT_NAME_AFTER = re.compile(r"^\s+(?:[a-z][\w-]*)")
_PREP_BEFORE = re.compile(
    r"\b(?:in|at|from|of|near|across|to|into|on|for|by|with|against|outside|inside|around|over|"
    r"under|towards?|via|than)\s+(?:the\s+)?$", re.IGNORECASE)


_VICTIMS_OF = re.compile(r"\b(?:killings|murders|assassinations|deaths|abductions)\s+of\s+$", re.IGNORECASE)


def _named_people(text: str) -> list[_Num]:
    """Names of one person ("Ismail Haniyeh", "Hamas leader Ismail Haniyeh", "Mehedi").

    A capitalised sequence is a name when it is neither a modifier (followed by
    a lowercase plural or person noun: "Israeli soldiers", "Hamas fighters"), a
    place after a preposition ("in Dhaka"), a sentence-opening function word,
    a weekday or month, nor a plural ("Palestinians"). Such a phrase only
    counts as the victim of a casualty word through the strict attachment
    rules: next to the verb, or subject of a singular passive ("was killed").
    """
    g = _grammar()
    out = []
    for m in _NAME.finditer(text):
        s, e = m.start(), m.end()
        words = m.group(0).split()
        while words and words[0].lower() in g.name_stop:
            s = text.index(words[1], s + len(words[0])) if len(words) > 1 else e
            words = words[1:]
        if not words or s >= e:
            continue
        last = words[-1]
        if any(w.lower() in g.name_stop for w in words) or last.endswith(("'s", "’s", "'", "’")):
            continue
        if g.person_any.fullmatch(last) or (_is_plural(last) and last.lower().endswith("ns")):
            continue  # "Palestinians", "Americans"
        after = _NOT_NAME_AFTER.match(text[e:])
        if after and (_is_person_head(after.group(0).strip()) or g.person_any.fullmatch(after.group(0).strip())):
            continue  # "Israeli soldiers", "Hamas commander": a modifier
        if _PREP_BEFORE.search(text[max(0, s - 16):s]) and not _VICTIMS_OF.search(text[max(0, s - 30):s]):
            continue  # "in Dhaka", "of Begum Rokeya University" (but "the killings of Ali Musa and ...")
        if _DOTTED_ABBREVIATION.search(text[max(0, s - 2):e + 2]):
            continue  # "U.S.", "U.N.": initials of a country or body, no person
        out.append(_Num(s, e, 1, 1, None, None, person=True, name=True))
    return out


def _bare_people(text: str, trig: list[re.Match], cands: list[_Num]) -> list[_Num]:
    """One person named by a bare singular noun, as headlines write it: the subject opening
    "Suspected thief lynched in market town", "Six year old boy killed", or the object of a
    casualty verb, "Mob kills suspected burglar", "Police arrest driver after crash". Only
    spots no other count or person phrase covers."""
    g = _grammar()
    out = []
    m = g.bare_subject.match(text)
    if m:
        out.append(_Num(len(text) - len(text.lstrip()), m.end(), 1, 1, None, None, person=True))
    for t in trig:
        if g.trigger_info[" ".join(t.group(0).lower().split())][1] != "verb":
            continue
        if re.search(rf"\b(?:{_DETS})\s+(?:[\w-]+\s+)?$", text[max(0, t.start() - 30):t.start()], re.IGNORECASE):
            continue  # "the injured officer": an adjective, not a verb with its object
        o = g.bare_object.match(text[t.end():])
        if o:
            start = t.end() + len(o.group(0)) - len(o.group(0).lstrip())
            out.append(_Num(start, t.end() + o.end(), 1, 1, None, None, person=True))
    # a capitalised headline word is no name here: "Six year old boy killed"
    return [n for n in out if not any(c.s < n.e and n.s < c.e and not c.name for c in cands)]



_DOTTED_ABBREVIATION = re.compile(r"\b(?:[A-Z]\.){2,}")

def _is_person_head(word: str) -> bool:
    """Is ``word`` a noun for people: from the lexicon, a demonym plural, or an
    unknown plural that is not a known thing ("servicemen", "Palestinians")."""
    g = _grammar()
    w = word.lower()
    if g.person_any.fullmatch(word):
        return True
    return w not in g.non_person and (w.endswith("men") or _is_plural(w)) and w not in g.non_units


_INVARIANT = frozenset({"aircraft", "personnel", "police", "people", "artillery", "equipment",
                        "ammunition", "livestock", "cattle", "sheep", "fish", "staff", "crew",
                        "men", "women", "children", "militia", "infantry", "cavalry",
                        "spacecraft", "hovercraft", "deer", "swine", "poultry", "data"})


def _is_plural(word: str) -> bool:
    w = word.lower()
    return w in _INVARIANT or w.endswith("men") or (
        len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")))
