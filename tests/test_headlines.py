"""Verbless headlines and notes in the present ("Raiders attack village") read with their verb."""

from __future__ import annotations

import datetime as dt

import pytest

from eventscribe.pipeline import extract_text

DAY = dt.date(2021, 5, 4)


def real(events, type_):
    return [e for e in events if not e.negated and not e.hypothetical and e.type == type_]


@pytest.mark.parametrize("text, type_", [
    ("Raiders from across the border attack remote village", "ASSAULT"),
    ("Police battle armed gang in market", "ASSAULT"),
    ("Dock workers protest delays at the port.", "PROTEST"),
])
def test_a_present_tense_headline_without_a_verb_holds_its_event(text, type_):
    assert real(extract_text(text, published=DAY), type_)


def test_the_reparsed_headline_keeps_the_source_words_and_offsets():
    text = "Raiders from across the border attack remote village near Lodwar"
    (event,) = real(extract_text(text, published=DAY), "ASSAULT")
    trigger = event.evidence[0].trigger
    assert text[trigger.start:trigger.end] == trigger.text == "attack"
    (place,) = event.locations
    assert text[place.span.start:place.span.end] == "Lodwar"


def test_a_noun_phrase_with_a_verb_elsewhere_is_left_alone():
    # the sentence has a verb: "attack helicopters" stays a noun
    assert not real(extract_text("The army displayed its new attack helicopters at the parade.",
                                 published=DAY), "ASSAULT")
