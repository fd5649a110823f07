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


def test_a_towns_toll_is_no_sum_of_tolls_in_other_towns():
    # five herders killed in one town; three and two killed in two other towns are incidents of
    # their own, not the parts of the five
    text = ("Raiders killed five herders in the town of Garissa on Tuesday, police said.\n\n"
            "In Mandera, bandits shot dead three traders on Wednesday, an official said.\n\n"
            "In Wajir, two people were killed on Thursday when attackers opened fire on a bus.")
    tolls = sorted(e.fatalities.min for e in asserted(extract_text(text, PUB)) if e.fatalities is not None)
    assert tolls == [2, 3, 5]


def test_bringing_the_toll_to_n_updates_the_earlier_event():
    # the new deaths have no doer of their own: more victims of the ambush, whose toll is now 10
    text = ("Insurgents ambushed a police convoy near Bama on Friday, killing eight officers, the army said.\n\n"
            "Two more officers died of their wounds on Saturday, bringing the toll to 10.")
    attacks = asserted(extract_text(text, PUB))
    assert [(e.fatalities.min, e.fatalities.max) for e in attacks] == [(10, 10)]
    text = ("A car bomb exploded outside a hotel in Mogadishu on Monday, killing 9 people, police said.\n\n"
            "Rescuers recovered three more bodies on Tuesday, raising the number of dead to 12.")
    assert [e.fatalities.min for e in asserted(extract_text(text, PUB))] == [12]


def test_a_running_total_of_a_period_or_a_war_updates_no_event():
    from eventscribe.counts import toll_updates
    assert toll_updates("Two more died overnight, bringing the death toll to 14.")["fatalities"].min == 14
    assert toll_updates("Gunmen killed four more, bringing the number of people killed in the state this year to 210.") == {}
    assert toll_updates("The strike killed six, bringing the toll of the war to 38,000.") == {}
    # new deaths with a doer of their own are an event of their own, and the total is of both
    text = ("Gunmen killed 12 villagers in Garissa on Sunday, police said.\n\n"
            "On Monday, bandits killed three more villagers in Mandera, bringing the toll to 15.")
    tolls = sorted(e.fatalities.min for e in asserted(extract_text(text, PUB)) if e.fatalities is not None)
    assert tolls == [3, 12]


def test_a_killing_an_after_clause_dates_earlier_keeps_its_own_toll():
    # the shooting of last week is what the protests began after, not Monday's tear gas
    text = ("Police fired tear gas at protesters in the capital on Monday.\n\n"
            "The demonstrations started after soldiers killed 6 students on campus last week.")
    attacks = asserted(extract_text(text, PUB))
    gas = [e for e in attacks if e.mode == "crowd-control"]
    killing = [e for e in attacks if e.fatalities is not None]
    assert gas and gas[0].fatalities is None
    assert [e.fatalities.min for e in killing] == [6]


def test_a_toll_told_apart_from_tear_gas_goes_to_an_act_that_may_kill():
    # a toll told in a sentence with no attack of its own goes to the shooting reported before,
    # not to the tear gas reported nearer
    text = ("Soldiers opened fire on protesters in Kisumu on Friday, witnesses said.\n\n"
            "On Saturday riot police fired tear gas at marchers in the capital.\n\n"
            "A rights group said at least three people were killed.")
    attacks = asserted(extract_text(text, PUB))
    gas = [e for e in attacks if e.mode == "crowd-control"]
    assert gas and all(e.fatalities is None for e in gas)
    assert [(e.fatalities.min, e.fatalities.max) for e in attacks if e.fatalities] == [(3, None)]
    # with no act that may kill in the article, the tear gas is still the one it is told with
    text = ("Riot police fired tear gas at marchers in the capital on Saturday.\n\n"
            "A rights group said at least three people were killed.")
    gas = [e for e in asserted(extract_text(text, PUB)) if e.mode == "crowd-control"]
    assert [(e.fatalities.min, e.fatalities.max) for e in gas if e.fatalities] == [(3, None)]



def test_an_act_an_after_clause_reports_is_not_the_act_of_its_sentence():
    # what the clause of "after" reports came before the attack its sentence is about: the
    # ambush keeps its 20, the mosque attack its 12
    text = ("Gunmen killed at least 12 worshippers at a mosque in the village of Fambita on Friday, officials said.\n\n"
            "The attack comes weeks after jihadists killed 20 soldiers in an ambush near the border.")
    tolls = sorted((e.fatalities.min, e.fatalities.max) for e in asserted(extract_text(text, PUB)) if e.fatalities)
    assert tolls == [(12, None), (20, 20)]


def test_a_villages_toll_is_no_sum_of_tolls_elsewhere_in_its_state():
    # the toll's sentence names a village and its state: the village is its place, and the two
    # other towns of the state are no parts of it
    text = ("Bandits killed six herders in the village of Dogo in Plateau state on Monday, police said.\n\n"
            "In the town of Bokkos, raiders shot dead four traders on Tuesday.\n\n"
            "In Mangu, two people were killed on Wednesday when attackers opened fire on a bus.")
    tolls = sorted(e.fatalities.min for e in asserted(extract_text(text, PUB)) if e.fatalities is not None)
    assert 6 in tolls and 4 in tolls
