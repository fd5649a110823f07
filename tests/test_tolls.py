"""Which event a casualty count belongs to, over whole articles (tolls.py, merge, coref):
background events keep their own tolls and the news event keeps the story's."""

import datetime as dt

from eventscribe.pipeline import extract_text

PUB = dt.date(2024, 6, 20)


def asserted(events, type_="ASSAULT"):
    return [e for e in events if e.type == type_ and not e.negated and not e.hypothetical]


def test_an_unplaced_toll_is_no_part_of_a_summed_one():
    # "killed along with his bodyguard" updates the strike's toll to two; the one shepherd shot
    # somewhere unnamed is no incident the two add up from
    text = ("The militia commander was killed in a strike on a house in Mosul on Monday, officials said.\n\n"
            "The strike killed the commander along with his bodyguard, the group said.\n\n"
            "Separately, gunmen shot dead one shepherd, police said.")
    attacks = asserted(extract_text(text, PUB))
    assert max(a.fatalities.min for a in attacks if a.fatalities is not None) == 2


def test_no_comment_on_the_blasts_does_not_deny_them():
    text = ("Explosions ripped through a fuel depot in Port Harcourt on Monday, killing 14 people, "
            "the state governor said.\n\n"
            "There was no immediate comment from the army on the wave of explosions that killed 14 people.")
    attacks = asserted(extract_text(text, PUB))
    assert len(attacks) == 1
    assert attacks[0].fatalities.min == 14
    assert not any(e.negated for e in extract_text(text, PUB) if e.type == "ASSAULT")


def test_an_attack_of_last_year_is_not_the_undated_attack_of_the_news():
    # the undated ambush is the news; "the group's March 2023 attacks" are background, with no
    # toll of the ambush and no place of the sentence around them
    text = ("Insurgents ambushed an army convoy, killing nine soldiers and wounding 30 others, officials said.\n\n"
            "The ambush came a year after the group's March 2023 attacks on army camps.")
    attacks = asserted(extract_text(text, PUB))
    old = [e for e in attacks if e.date is not None and e.date.start.year == 2023]
    assert len(old) == 1 and old[0].fatalities is None and old[0].injured is None
    ambush = next(e for e in attacks if e is not old[0])
    assert (ambush.fatalities.min, ambush.injured.min) == (9, 30)


def test_a_stated_range_says_more_than_the_estimate_inside_it():
    from eventscribe.counts import casualties
    from eventscribe.merge import _better_count

    estimate = casualties("The blasts wounded around 1,400 people.")["injured"]
    stated = casualties("Between 1,350 and 1,400 people were wounded, the ministry said.")["injured"]
    for a, b in ((estimate, stated), (stated, estimate)):
        kept = _better_count(a, b)
        assert (kept.min, kept.max) == (1350, 1400)
    exact = casualties("The blasts wounded 1,380 people.")["injured"]
    assert (_better_count(stated, exact).min, _better_count(exact, stated).max) == (1380, 1380)


def test_a_toll_since_an_event_began_is_a_running_total():
    from eventscribe.pipeline import extract_text
    text = ("A drone strike hit a house in the village of Kestel on Tuesday, killing one civilian, officials said. "
            "Since the incursion began, at least 31 civilians have been killed in the region.")
    strikes = [e for e in extract_text(text) if e.type == "ASSAULT"]
    assert strikes and all(e.fatalities is not None and e.fatalities.min == 1 for e in strikes)
    from eventscribe.tolls import period_toll
    from eventscribe.counts import casualties
    sentence = "Since the fighting in the north erupted, more than 200 people have died."
    count = casualties(sentence)["fatalities"]
    assert period_toll(sentence, "fatalities", count)
