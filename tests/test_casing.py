"""Title-case headlines are parsed in sentence case, and read back as written."""

from eventscribe.casing import is_title_case, sentence_cased
from eventscribe.pipeline import extract_text


def test_title_case_is_told_from_sentences_with_names():
    assert is_title_case("Rebels Attack Army Base Near Goma, Killing Five Soldiers")
    assert not is_title_case("Rebels attacked an army base near Goma on Monday, officials said.")
    assert not is_title_case("PRESIDENT RESIGNS")  # all capitals: not this rule's
    assert not is_title_case("Oil Prices")  # too short to tell


def test_sentence_case_keeps_names_acronyms_and_positions():
    text = "U.S. Lifts Sanctions on Venezuela After Talks With Maduro"
    names = [(100 + text.index("Venezuela"), 100 + text.index("Venezuela") + 9),
             (100 + text.index("Maduro"), 100 + len(text))]
    cased = sentence_cased(text, 100, names)
    assert cased == "U.S. lifts sanctions on Venezuela after talks with Maduro"
    assert len(cased) == len(text)
    assert sentence_cased("Police said the march was peaceful.", 0, []) is None


def test_a_title_case_headline_gives_its_event_with_the_words_as_written():
    text = ("Militants Storm Police Station in Northern Town of Kidal, Killing Four Officers\n\n"
            "The station was overrun before dawn, a regional official told reporters on Sunday.")
    events = [e for e in extract_text(text) if e.type == "ASSAULT"]
    assert events, "the headline's verb is read"
    ev = events[0]
    assert ev.fatalities is not None and ev.fatalities.min == 4
    for span in (ev.actor.span if ev.actor else None, ev.target.span if ev.target else None):
        if span is not None:
            assert text[span.start:span.end] == span.text  # the source's own words and case
