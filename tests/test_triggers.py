import pytest

from eventscribe.nlp import parse
from eventscribe.triggers import inflections, lexicon


def triggers(sentence):
    doc = next(parse([sentence]))
    return [(doc[m.start:m.end].text, m.type, m.entry.mode) for m in lexicon().match(doc[:])]


def test_irregular_and_regular_forms_pass_the_prefilter():
    lex = lexicon()
    for words in (["struck"], ["shelled"], ["airstrikes"], ["detained"], ["withdrew"], ["opened", "fire"]):
        assert lex.may_hold_event(words), words
    assert not lex.may_hold_event(["the", "weather", "was", "fine"])


def test_prefilter_needs_the_context_of_context_bound_words():
    lex = lexicon()
    assert lex.may_hold_event("the army sent troops to the border".split())
    assert not lex.may_hold_event("she sent a letter to her mother".split())
    assert not lex.may_hold_event("the shop opened on monday".split())


def test_inflections_cover_consonant_doubling():
    assert {"banned", "banning", "bans"} <= inflections("ban", frozenset({"VERB"}))


@pytest.mark.parametrize("sentence, expected", [
    ("Warplanes struck the village overnight.", ("struck", "ASSAULT")),
    ("Teachers went on strike over unpaid wages.", ("went on strike", "PROTEST")),
    ("Gunmen opened fire on a bus.", ("opened fire", "ASSAULT")),
    ("Police arrested twelve people.", ("arrested", "COERCE")),
    ("The two leaders agreed to resume talks.", ("agreed", "AGREE")),
])
def test_trigger_types(sentence, expected):
    found = [(text, type_) for text, type_, _ in triggers(sentence)]
    assert expected in found


def test_context_words_veto_a_reading():
    assert not [t for t in triggers("She suffered a heart attack at home.") if t[1] == "ASSAULT"]
    assert not [t for t in triggers("The company fired its chief executive.") if t[1] == "ASSAULT"]
