"""Date expressions in news sentences, resolved against the publication date."""

from __future__ import annotations

import datetime as dt

import pytest

from eventscribe.dates import date_time_spans, event_date, find_dates, parse_published
from eventscribe.model import DateRange
from eventscribe.pipeline import extract_text

D = dt.date
MON = D(2024, 2, 5)   # a Monday
FRI = D(2024, 2, 2)   # a Friday
THU = D(2024, 3, 14)  # a Thursday
OFFSET = 1000


def dates(text: str, published: dt.date | None = MON, offset: int = OFFSET) -> list[DateRange]:
    """find_dates, with every span checked against the text it came from."""
    found = find_dates(text, published, offset)
    for r in found:
        assert r.span is not None
        assert text[r.span.start - offset:r.span.end - offset] == r.span.text
    return found


def only(text: str, published: dt.date | None = MON) -> DateRange:
    found = dates(text, published)
    assert len(found) == 1, [r.span.text for r in found]
    return found[0]


def rng(r: DateRange) -> tuple[dt.date, dt.date, str]:
    return r.start, r.end, r.precision


# ---------------------------------------------------------------- weekdays


def test_on_friday_is_most_recent_friday_before_publication():
    r = only("Gunmen attacked a checkpoint on Friday, officials said.")
    assert rng(r) == (FRI, FRI, "day")
    assert r.span.text == "Friday"


def test_weekday_equal_to_publication_day_is_that_day():
    assert rng(only("The militia struck on Friday.", FRI)) == (FRI, FRI, "day")


def test_weekday_parts_of_day_are_in_the_span():
    assert only("Clashes broke out Tuesday night.").span.text == "Tuesday night"
    assert rng(only("Clashes broke out Tuesday night.")) == (D(2024, 1, 30), D(2024, 1, 30), "day")
    r = only("The raid began early on Sunday.")
    assert r.span.text == "early on Sunday"
    assert r.start == D(2024, 2, 4)


def test_last_tuesday_is_strictly_before_publication():
    assert only("Talks were held last Tuesday.", D(2024, 2, 6)).start == D(2024, 1, 30)
    assert only("Talks were held last Tuesday.", MON).start == D(2024, 1, 30)


def test_next_friday_is_explicitly_future():
    assert only("The vote is due next Friday.", FRI).start == D(2024, 2, 9)


def test_possessive_weekday():
    r = only("Saturday's bombing was condemned.")
    assert r.span.text == "Saturday" and r.start == D(2024, 2, 3)


# ---------------------------------------------------------------- relative days and periods


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Police said yesterday that two men were held.", (D(2024, 2, 4), D(2024, 2, 4), "day")),
        ("Protesters gathered today in the capital.", (MON, MON, "day")),
        ("Explosions were heard last night.", (D(2024, 2, 4), D(2024, 2, 4), "day")),
        ("The army shelled the town two days ago.", (D(2024, 2, 3), D(2024, 2, 3), "day")),
        ("The strike happened last week.", (D(2024, 1, 29), D(2024, 2, 4), "week")),
        ("The ceasefire collapsed last month.", (D(2024, 1, 1), D(2024, 1, 31), "month")),
        ("Elections were held last year.", (D(2023, 1, 1), D(2023, 12, 31), "year")),
        ("Rebels took the town over the weekend.", (D(2024, 2, 3), D(2024, 2, 4), "week")),
        ("The deal was struck days ago.", (D(2024, 1, 29), D(2024, 2, 4), "week")),
    ],
)
def test_relative_expressions(text, expected):
    assert rng(only(text)) == expected


def test_earlier_this_month_ends_before_publication():
    r = only("Militants attacked the base earlier this month.", THU)
    assert rng(r) == (D(2024, 3, 1), D(2024, 3, 13), "month")
    assert r.span.text == "earlier this month"


def test_this_week_is_clipped_to_publication():
    assert rng(only("Protests spread this week.", THU)) == (D(2024, 3, 11), THU, "week")


def test_weeks_and_months_ago():
    assert rng(only("Troops arrived three weeks ago.", THU)) == (D(2024, 2, 19), D(2024, 2, 25), "week")
    assert rng(only("Troops arrived two months ago.", THU)) == (D(2024, 1, 1), D(2024, 1, 31), "month")


def test_overnight_saturday_is_one_expression():
    r = only("Israeli jets struck Gaza overnight Saturday.", THU)
    assert r.span.text == "overnight Saturday" and r.start == D(2024, 3, 9)


# ---------------------------------------------------------------- months and years


def test_in_january_is_most_recent_january():
    assert rng(only("The ceasefire agreed in January collapsed.", THU)) == (D(2024, 1, 1), D(2024, 1, 31), "month")
    assert only("The ceasefire agreed in January collapsed.", THU).span.text == "January"
    # read in October 2023, "in December" is December 2022
    assert only("Riots broke out in December.", D(2023, 10, 2)).start == D(2022, 12, 1)


def test_in_current_month_is_clipped():
    assert rng(only("In March, the army withdrew.", THU)) == (D(2024, 3, 1), THU, "month")


def test_last_january_read_in_january_is_previous_year():
    assert only("The law passed last January.", D(2024, 1, 20)).start == D(2023, 1, 1)


def test_in_2019_is_a_year():
    r = only("The group was founded in 2019 by former officers.")
    assert rng(r) == (D(2019, 1, 1), D(2019, 12, 31), "year")
    assert r.span.text == "2019"


def test_month_year():
    assert rng(only("The war began in February 2022.")) == (D(2022, 2, 1), D(2022, 2, 28), "month")


def test_may_the_verb_is_not_a_month():
    assert dates("Lawmakers may vote on the bill.") == []
    r = only("Lawmakers may vote in May.", THU)
    assert r.span.text == "May" and r.start == D(2023, 5, 1)


# ---------------------------------------------------------------- absolute dates


@pytest.mark.parametrize(
    "text, day, span",
    [
        ("The summit opened on 2 February 2024 in Addis Ababa.", D(2024, 2, 2), "2 February 2024"),
        ("The summit opened on February 2, 2024.", D(2024, 2, 2), "February 2, 2024"),
        ("The record shows 2024-02-02 as the date.", D(2024, 2, 2), "2024-02-02"),
        ("Flight 17 was shot down on July 17, 2014.", D(2014, 7, 17), "July 17, 2014"),
        ("The decree was signed on Friday, Feb. 2.", D(2024, 2, 2), "Friday, Feb. 2"),
        ("The rally took place on the 3rd of February.", D(2024, 2, 3), "the 3rd of February"),
    ],
)
def test_absolute_dates(text, day, span):
    r = only(text)
    assert (r.start, r.end, r.precision) == (day, day, "day")
    assert r.span.text == span


def test_day_month_without_year_uses_publication_year():
    assert only("Voting is set for 3 March.", MON).start == D(2024, 3, 3)
    # more than a month after publication: last year's
    assert only("The law was passed on Dec. 28.", D(2024, 1, 10)).start == D(2023, 12, 28)
    assert only("The parade on May 9 was cancelled.", THU).start == D(2023, 5, 9)


def test_day_range():
    assert rng(only("Clashes erupted on March 3-5 in the north.", THU)) == (D(2024, 3, 3), D(2024, 3, 5), "day")


def test_clock_time_attached_to_date():
    r = only("At 4:00 p.m. (EST) Feb. 02, a drone struck the base.")
    assert (r.start, r.time) == (D(2024, 2, 2), "16:00 EST")
    assert r.span.text == "4:00 p.m. (EST) Feb. 02"


def test_clock_time_after_weekday_and_24h_time():
    r = only("The blast happened on Sunday at about 4 a.m. local time.")
    assert (r.start, r.time) == (D(2024, 2, 4), "04:00 local")
    r = only("It happened at 11:30 GMT on 14 March 2024.")
    assert (r.start, r.time, r.span.text) == (D(2024, 3, 14), "11:30 GMT", "11:30 GMT on 14 March 2024")


def test_time_without_date_is_dropped():
    assert dates("The curfew starts at 9 p.m. sharp.") == []


# ---------------------------------------------------------------- not dates


@pytest.mark.parametrize(
    "text",
    [
        "US forces struck more than 85 targets.",
        "Three soldiers died at Tower 22.",
        "The council cited Resolution 2334.",
        "Some 2000 troops were sent.",
        "He spent 20 years in prison.",
        "A protest march drew crowds.",
    ],
)
def test_numbers_that_are_not_dates(text):
    assert dates(text) == []


def test_without_publication_only_absolute_dates():
    found = dates("On Friday, and on 2 February 2024, and yesterday, and Feb. 2.", None)
    assert [r.span.text for r in found] == ["2 February 2024"]


def test_offsets_are_relative_to_passed_text_plus_offset():
    text = "Yesterday rebels took the town."
    r = find_dates(text, MON, offset=57)[0]
    assert (r.span.start, r.span.end) == (57, 66)


def test_several_dates_in_order():
    found = dates("Talks collapsed on Monday after the January truce and the 2019 war.", THU)
    assert [r.span.text for r in found] == ["Monday", "January", "2019"]


# ---------------------------------------------------------------- event_date


def test_event_date_nearest_to_trigger():
    text = "The army said on Thursday that militants attacked the base on Tuesday."
    trigger = OFFSET + text.index("attacked")
    r = event_date(text, THU, trigger_start=trigger, offset=OFFSET)
    assert r is not None and r.span.text == "Tuesday" and r.start == D(2024, 3, 12)
    trigger = OFFSET + text.index("said")
    assert event_date(text, THU, trigger_start=trigger, offset=OFFSET).span.text == "Thursday"


def test_event_date_since_is_a_period_to_publication_and_falls_back_to_none():
    # "since X" starts a period that runs to publication: the date of a state or a campaign
    r = event_date("The group has been banned since 2014.", THU)
    assert (r.start, r.end, r.precision) == (D(2014, 1, 1), THU, "year")
    r = event_date("Phone lines have been cut since Monday.", THU)
    assert (r.start, r.end) == (D(2024, 3, 11), THU)
    assert event_date("Rebels attacked the town.", THU) is None
    r = event_date("The worst attack since 2014 came on Sunday.", THU)
    assert r.span.text == "Sunday"
    # a comparison is no period; another date of the sentence wins over the period
    assert event_date("It was the deadliest day since 2014.", THU) is None
    text = "Students, who have protested since January, marched on the ministry on Tuesday."
    r = event_date(text, THU, trigger_start=OFFSET + text.index("marched"), offset=OFFSET)
    assert r.span.text == "Tuesday"


def test_event_date_skips_other_clauses_and_possessives():
    text = "The party, which has governed since independence in 1962, faces charges of fraud."
    assert event_date(text, THU, trigger_start=OFFSET + text.index("charges"), offset=OFFSET) is None
    text = "The government deploys troops and cancels Friday's exams."
    assert event_date(text, THU, trigger_start=OFFSET + text.index("deploys"), offset=OFFSET) is None
    text = "Sunday's bombing killed four."
    r = event_date(text, THU, trigger_start=OFFSET + text.index("bombing"), offset=OFFSET)
    assert r.span.text == "Sunday"


def test_a_date_used_as_an_adjective_dates_its_noun_only():
    text = "The council, set up by leaders of the 2019 uprising, denounced the raid."
    assert event_date(text, THU, trigger_start=OFFSET + text.index("denounced"), offset=OFFSET) is None
    r = event_date(text, THU, trigger_start=OFFSET + text.index("uprising"), offset=OFFSET)
    assert r.span.text == "2019"
    text = "Veterans of the 2008 war marched through the capital on Sunday."
    r = event_date(text, THU, trigger_start=OFFSET + text.index("marched"), offset=OFFSET)
    assert r.span.text == "Sunday"
    text = "The 2016 military offensive displaced thousands."
    r = event_date(text, THU, trigger_start=OFFSET + text.index("offensive"), offset=OFFSET)
    assert r.span.text == "2016"


def test_years_before_1900_are_read_but_counts_of_people_are_not_years():
    assert [(r.start, r.end) for r in find_dates("The treaty was signed in 1648.", THU)] == \
        [(D(1648, 1, 1), D(1648, 12, 31))]
    assert find_dates("A crowd of 1200 people gathered.", THU) == []
    assert find_dates("Police counted 1500 people there in total.", THU) == []


def test_event_date_without_trigger_prefers_precise():
    r = event_date("Last month's talks failed, and on Monday troops crossed the border.", THU)
    assert r.span.text == "Monday"


# ---------------------------------------------------------------- parse_published and masks


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024-03-14", D(2024, 3, 14)),
        ("2024-03-14T10:00:00Z", D(2024, 3, 14)),
        ("2024-03-14 22:15:00+02:00", D(2024, 3, 14)),
        ("Thu, 14 Mar 2024 10:00:00 GMT", D(2024, 3, 14)),
        ("March 14, 2024", D(2024, 3, 14)),
        ("14/03/2024", D(2024, 3, 14)),
        ("", None),
        ("not a date", None),
        ("2024-13-45", None),
        ("yesterday", None),
    ],
)
def test_parse_published(value, expected):
    assert parse_published(value) == expected


def test_date_time_spans_cover_dates_and_times():
    text = "On 3 March at 4 p.m. two days ago 85 targets"
    covered = {text[s:e] for s, e in date_time_spans(text)}
    assert {"3 March", "4 p.m.", "two days ago"} <= covered
    assert not any("85" in c for c in covered)


def test_weekday_ranges():
    pub = D(2023, 10, 4)  # a Wednesday
    r = only("Agents rounded up 450 people between Monday and Friday of last week.", pub)
    assert rng(r) == (D(2023, 9, 25), D(2023, 9, 29), "day")
    assert r.span.text == "between Monday and Friday of last week"
    assert rng(only("Talks ran from Tuesday to Thursday.", THU)) == (D(2024, 3, 12), D(2024, 3, 14), "day")


def test_event_date_skips_statement_dates():
    text = "Gunmen abducted dozens of villagers in a night raid, police said on Monday."
    trig = text.index("abducted")
    assert event_date(text, THU, trigger_start=trig) is None
    assert event_date(text, THU, trigger_start=text.index("said")).span.text == "Monday"
    text = "Police said on Monday that they had arrested four men."
    assert event_date(text, THU, trigger_start=text.index("arrested")) is None
    # without a trigger a statement date is still better than nothing
    assert event_date(text, THU).span.text == "Monday"


def test_event_date_skips_dates_of_earlier_events():
    text = "The interior minister resigned on Friday, a week after police shot dead four protesters."
    assert event_date(text, THU, trigger_start=text.index("shot dead")) is None
    assert event_date(text, THU, trigger_start=text.index("resigned")).start == D(2024, 3, 8)


def test_a_fronted_date_dates_a_clause_after_a_closed_after_clause():
    text = "In 2019, the rebels took the port before a truce was brokered by Oman, which sent observers."
    r = event_date(text, THU, trigger_start=OFFSET + text.index("sent"), offset=OFFSET)
    assert r is not None and r.start == D(2019, 1, 1)
    text = "He resigned on Friday, a week after police shot dead two protesters."
    assert event_date(text, THU, trigger_start=OFFSET + text.index("shot"), offset=OFFSET) is None


def test_a_pattern_runs_only_when_its_cue_word_is_there(monkeypatch):
    """Skipping the patterns whose cue (month, weekday, "ago", a digit...) is missing finds the
    same dates as running them all."""
    from eventscribe import dates

    sentences = ["Gunmen attacked the convoy two weeks ago, police said on Friday.",
                 "The talks, held on 3 March 2021 and again in early May, failed.",
                 "Troops withdrew overnight; by 4 p.m. the town was quiet.",
                 "The ministry said the curfew would be lifted later this month."]
    pub = dt.date(2024, 2, 3)
    skipped = [dates._collect(s, pub) for s in sentences]
    monkeypatch.setattr(dates, "_PATTERN_CUES", {p: () for p in dates._PATTERN_CUES})  # every pattern runs
    assert [dates._collect(s, pub) for s in sentences] == skipped
    assert all(skipped)


def test_a_sentence_s_dates_are_read_once_for_all_its_triggers():
    """Two triggers of one sentence share the reading of its dates and each gets its own record."""
    from eventscribe import event_dates

    text = "Police said on Monday that gunmen attacked a bus on Saturday and a school last week."
    pub = dt.date(2024, 3, 6)
    event_dates._date_facts.cache_clear()
    bus = event_date(text, pub, trigger_start=text.index("attacked"))
    school = event_date(text, pub, trigger_start=text.index("school"))
    again = event_date(text, pub, trigger_start=text.index("attacked"))
    assert event_dates._date_facts.cache_info().misses == 1
    assert bus.start == dt.date(2024, 3, 2) and school.precision == "week"
    assert again == bus and again is not bus  # callers may change theirs


# --- background (issue 9 item 8) ----------------------------------------------------------------

def test_an_event_noun_that_gives_its_length_spans_it():
    from eventscribe.event_dates import lasting

    text = "The port reopened after a nine-month naval blockade."
    r = lasting(text, text.index("blockade"), None, D(2024, 3, 7))
    assert r is not None and (r.start, r.end, r.precision) == (D(2023, 6, 1), D(2024, 3, 7), "month")
    assert r.span.text == "nine-month naval"
    text = "Troops ended a two-year siege on Tuesday."
    assert lasting(text, text.index("siege"), None, D(2024, 3, 7)).start == D(2022, 3, 1)
    assert lasting("Troops ended the siege.", 15, None, D(2024, 3, 7)) is None


def test_sentences_that_go_on_about_the_past_are_background():
    from eventscribe.event_dates import background_sentences

    sentences = ["Rebels shelled the port on Monday.",
                 "In 2011 the two sides fought a long war.",
                 "A truce brokered by Oman ended it.",            # continues 2011
                 "The rebels took the port the following year.",  # says so
                 "Since then the port has changed hands twice.",  # moves on
                 "Residents fled the fighting."]
    assert background_sentences(sentences, D(2024, 3, 7)) == {2, 3}
    # a period up to now is no past of its own
    assert background_sentences(["The party has ruled since independence in 1975.", "It won again."],
                                D(2024, 3, 7)) == frozenset()
    assert background_sentences(sentences, None) == frozenset()


def test_an_undated_background_event_takes_no_news_date():
    events = extract_text("Rebels shelled the port of Aden on Monday. In 2011, the two sides fought a long war. "
                          "A truce brokered by Oman ended the war. Police arrested ten people.",
                          published=D(2024, 3, 7))
    (truce,) = [e for e in events if e.type == "AGREE"]
    assert truce.date is None
    (arrests,) = [e for e in events if e.type == "COERCE"]
    assert arrests.date is not None


def test_the_date_pre_check_and_cues_answer_as_their_case_insensitive_patterns():
    """The pre-check and the word cues are read on the lower-cased text: the same answer as the
    IGNORECASE patterns, also for the letters that fold otherwise (dotted and dotless i, long s, Kelvin sign)."""
    from eventscribe import dates

    sentences = ["Rebels shelled the port town at dawn.", "The Mayor marched with the crowd.",
                 "TROOPS LEFT THE BASE OVERNIGHT.", "Talks resume in Sept. with both sides.",
                 "Fighting flared again this Afternoon.", "Strikes hit 12 villages.", "No date here at all.",
                 "The decree was signed on MAY 3.", "Police met in \u0130zmir on Sunday.", "A wee\u212a of unrest.",
                 "ye\u017fterday the army moved", "the \u0131des of march", "Apr\u0131l", "", "A market fire."]
    for s in sentences:
        assert dates._may_hold_date(s) == (dates._PRECHECK.search(s) is not None), s
        low = dates.folded(s)
        for cue, words in dates._CUES.items():
            if isinstance(words, tuple):
                assert dates._cue_present(cue, s, low) == (dates._CUE_WORDS_ANY_CASE[cue].search(s) is not None), (cue, s)
    assert dates.folded("A wee\u212a") is None and dates.folded("Week") == "week"
    assert not dates._may_hold_date("A market fire.") and dates._may_hold_date("A wee\u212a of unrest.")


# ---------------------------------------------------------------- helper session "place"
def test_a_datelines_date_is_the_filing_day_not_the_events():
    text = "ABUJA, May 9 (Reuters) - Gunmen seized 20 farmers in a raid on Tuesday, police said."
    r = event_date(text, dt.date(2024, 5, 9), trigger_start=text.index("seized"))
    assert r is not None and r.start == dt.date(2024, 5, 7)


def test_a_datelines_date_dates_the_event_when_nothing_else_does():
    text = "ABUJA, May 9 (Reuters) - Gunmen seized 20 farmers in a raid, police said."
    events = extract_text(text, published=dt.date(2024, 5, 10))
    assert events and all(e.date.start <= dt.date(2024, 5, 9) <= e.date.end for e in events)


def test_at_the_time_points_back_to_a_date_of_any_precision():
    text = ("The opposition leader led mass protests in 2018 against a third term. "
            "Police arrested hundreds of his supporters at the time.")
    arrests = [e for e in extract_text(text, published=dt.date(2024, 5, 10)) if e.type == "COERCE"]
    assert arrests and arrests[0].date is not None and arrests[0].date.start.year == 2018


def test_a_future_date_after_before_is_another_events():
    text = "Opposition supporters clashed with police in the capital, weeks before elections due later this year."
    r = event_date(text, dt.date(2024, 5, 10), trigger_start=text.index("clashed"))
    assert r is None


def test_since_a_date_when_dates_the_when_clause():
    text = "The rebels have held the town since October, when they overran an army base."
    r = event_date(text, dt.date(2024, 5, 10), trigger_start=text.index("overran"))
    assert r is not None and (r.start, r.end) == (dt.date(2023, 10, 1), dt.date(2023, 10, 31))
