"""The faster case-insensitive searches give the regular expressions' own answers."""

import re
import sys

import pytest

from eventscribe.textfold import Found, FoldedPattern, Sieved, folded, lower_pattern

ODD = "\u0130\u0131\u017f\u212a"  # dotted and dotless i, long s, Kelvin sign

SENTENCES = [
    "The minister SAID on Tuesday that talks would resume.",
    "Rebels, the army stated, had withdrawn from the town.",
    "Nobody spoke to reporters after the meeting.",
    "According to The Local Council, three shops burned.",
    "according to witnesses, the crowd was dispersed",
    "Two Years Later the war ended; that same year the border reopened.",
    "Strikers held a National General Strike across the country's towns.",
    "",
    "The governor told a news conference he had Made It Clear.",
    f"The mayor {ODD[2]}aid nothing.",  # long s: IGNORECASE matches it with "s"
    f"Police {ODD[0]}n the capital warned residents.",
    f"A wee{ODD[3]} later the talks failed, officials announced.",
]


def test_only_four_non_ascii_letters_fold_with_ascii_ones():
    """The premise of folded(): no other letter matches an ASCII letter under IGNORECASE, and
    only the dotted capital I changes length when lower-cased."""
    letters = re.compile("[a-z]", re.IGNORECASE)
    odd = sorted(chr(c) for c in range(128, sys.maxunicode + 1) if letters.fullmatch(chr(c)))
    assert "".join(odd) == ODD
    assert [chr(c) for c in range(sys.maxunicode + 1) if len(chr(c).lower()) != 1] == [ODD[0]]


def test_folded_is_the_lower_case_text_unless_a_letter_folds_otherwise():
    assert folded("Police SAID") == "police said"
    assert all(folded(f"a{c}b") is None for c in ODD)


def test_lower_pattern_keeps_escapes_and_group_names():
    assert lower_pattern(r"\bSaid\W+(?P<Who>[A-Z]\w+)\S") == r"\bsaid\W+(?P<Who>[a-z]\w+)\S"
    with pytest.raises(ValueError):
        lower_pattern("(?i)said")
    with pytest.raises(ValueError):
        lower_pattern("Élysée")


@pytest.mark.parametrize("pattern", [
    r"\b(said|says|stated|told|warned|made it clear|announced)\b",
    r"\baccording to (?:the )?([^,.;:“”\"]{2,60})",
    r"\b(?:a|\w+)\s+years?\s+(?:later|earlier)\b|\bthat\s+same\s+year\b",
    r"\bnational\s+(?:general\s+)?(?:strikes?|protests?)\b|\b(?:country|nation)['’]s\s+(?:\w+\s+)?towns\b",
])
def test_a_folded_pattern_finds_what_the_ignorecase_pattern_finds(pattern):
    folded_pattern, plain = FoldedPattern(pattern), re.compile(pattern, re.IGNORECASE)
    for text in SENTENCES:
        expected = [(m.span(), m.group(), m.groups()) for m in plain.finditer(text)]
        assert [(m.span(), m.group(), m.groups()) for m in folded_pattern.finditer(text)] == expected, text
        one, want = folded_pattern.search(text), plain.search(text)
        assert (one is None) == (want is None)
        if want is not None:
            assert (one.start(), one.end(), one.group(0), one.group(1) if plain.groups else None) == \
                (want.start(), want.end(), want.group(0), want.group(1) if plain.groups else None)


def test_a_found_match_gives_the_original_text_of_its_groups():
    found = FoldedPattern(r"according to ([a-z ]+)").search("Said according to The Council")
    assert isinstance(found, Found)
    assert found.group(1) == "The Council" and found[0] == "according to The Council"
    assert found.span(1) == (18, 29) and found.groups() == ("The Council",)


def test_a_sieved_pattern_skips_only_texts_it_cannot_match():
    then = re.compile(r"\bthat\s+same\s+year\b|\b(?:a|\w+)\s+years?\s+(?:later|earlier)\b", re.IGNORECASE)
    sieved = Sieved(then, ("year",))
    for text in SENTENCES + ["Three YEARS EARLIER the town fell.", "No date here."]:
        assert [m.span() for m in sieved.finditer(text)] == [m.span() for m in then.finditer(text)]
        assert (sieved.search(text) is None) == (then.search(text) is None)
    assert not sieved.may_match("No date here.") and sieved.may_match(f"a {ODD[3]}ey moment")
    case_sensitive = Sieved(re.compile(r"\bthe\s+(city|town)\b"), ("city", "town"))
    assert case_sensitive.search("in the City") is None and case_sensitive.search("in the city").group(1) == "city"
    with pytest.raises(ValueError):
        Sieved(then, ("Year",))
