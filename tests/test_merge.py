"""Within-document merge: one record per real event, and no more merging than that."""

import datetime as dt

from eventscribe.pipeline import extract_text
from reported import PUB, asserted


def test_two_bombings_in_two_cities_stay_two_events():
    text = ("A car bomb exploded at a market in Quetta on Tuesday, killing four people.\n\n"
            "Hours later a second bomb exploded outside a police station in Karachi, killing two officers.")
    bombs = asserted(extract_text(text, PUB), "ASSAULT")
    assert len(bombs) == 2
    assert {b.locations[0].name for b in bombs} == {"Quetta", "Karachi"}
    assert sorted(b.fatalities.min for b in bombs) == [2, 4]


def test_later_mentions_fold_into_the_first():
    text = ("Israeli aircraft struck a building in Rafah on Monday, killing seven people.\n\n"
            "The strike destroyed the three-storey building, witnesses said.\n\n"
            "The army said the airstrike targeted a weapons store.")
    strikes = asserted(extract_text(text, PUB), "ASSAULT")
    assert len(strikes) == 1
    assert len(strikes[0].evidence) == 3
    assert strikes[0].fatalities.min == 7
    assert strikes[0].date.start == dt.date(2024, 5, 13)


def test_an_attack_and_the_strike_that_answers_it_are_linked_not_merged():
    text = ("US jets struck militia depots in eastern Syria on Friday in retaliation for a rocket attack "
            "on a US base in Iraq that wounded two soldiers.")
    events = asserted(extract_text(text, PUB), "ASSAULT")
    assert len(events) == 2
    answer = next(e for e in events if e.locations and e.locations[0].country == "SYR")
    cause = next(e for e in events if e is not answer)
    assert cause.id in answer.responds_to
    assert cause.date.end < answer.date.start
    assert cause.injured.min == 2


def test_undated_follow_up_takes_the_date_of_the_lede():
    text = ("Police detained 30 protesters in Kampala on Thursday.\n\n"
            "Officers also arrested two opposition lawmakers at the scene.")
    arrests = asserted(extract_text(text, PUB), "COERCE")
    assert arrests and all(a.date.start == dt.date(2024, 5, 9) for a in arrests)
    assert all(a.locations[0].country == "UGA" for a in arrests)


# --- count fill-in: which event carries a toll given in another sentence ---


def test_toll_in_a_later_sentence_goes_to_the_attack_even_when_it_is_mentioned_again_later():
    text = ("Militants stormed an army post near Miranshah on Sunday, killing nine soldiers.\n\n"
            "Officials added later that 14 people had been wounded.\n\n"
            "The militants stormed the post from two sides, a local official said.")
    attacks = asserted(extract_text(text, PUB), "ASSAULT")
    assert len(attacks) == 1 and len(attacks[0].evidence) == 2
    assert (attacks[0].fatalities.min, attacks[0].injured.min) == (9, 14)


def test_a_lead_toll_with_no_event_of_its_own_goes_to_the_attack_named_after_it():
    text = ("At least eight people were killed and around 25 wounded on Friday in Gao, officials said.\n\n"
            "A truck packed with explosives blew up beside the bus station, witnesses said, and the "
            "blast destroyed a row of shops.")
    attacks = asserted(extract_text(text, PUB), "ASSAULT")
    assert len(attacks) == 1
    assert (attacks[0].fatalities.min, attacks[0].injured.min) == (8, 25)


def test_a_toll_beside_another_event_is_not_carried_forward_to_the_next_attack():
    text = ("Protesters marched across the capital on Monday, with one dead and several injured.\n\n"
            "Police fired tear gas at reporters outside the court.")
    attacks = asserted(extract_text(text, PUB), "ASSAULT")
    assert attacks and all(a.fatalities is None for a in attacks)


def test_a_count_goes_to_the_event_its_casualty_word_names():
    text = "Soldiers fired tear gas at a crowd in the square two days after three activists were shot dead."
    attacks = asserted(extract_text(text, PUB), "ASSAULT")
    shooting = [a for a in attacks if a.fatalities is not None]
    assert len(shooting) == 1 and shooting[0].fatalities.min == 3
    assert all(a.evidence[0].trigger.text != "tear gas" for a in shooting)


def test_a_running_total_over_a_period_is_no_one_attacks_toll():
    text = ("Gunmen attacked a bus on the highway near the town on Monday, killing nine passengers.\n\n"
            "At least 40 people have been killed in the province since January, police said.")
    attacks = asserted(extract_text(text, PUB), "ASSAULT")
    assert [a.fatalities.min for a in attacks] == [9]


def test_attackers_killed_are_no_toll_of_their_own_attack():
    text = ("Gunmen attacked a bus on the highway near the town on Monday.\n\n"
            "Three of its attackers were later found dead, police said.")
    attacks = asserted(extract_text(text, PUB), "ASSAULT")
    bus = [a for a in attacks if a.actor is not None and a.actor.name == "Gunmen"]
    assert len(bus) == 1 and bus[0].fatalities is None


def test_a_curfew_carries_no_death_toll():
    text = ("Authorities imposed a curfew in the city on Friday amid unrest that has claimed the lives "
            "of more than 40 people.")
    events = extract_text(text, PUB)
    curfews = asserted(events, "COERCE")
    assert curfews and all(c.fatalities is None for c in curfews)


def test_contradicting_tolls_of_one_event_keep_the_higher_one():
    from eventscribe.merge import _better_count
    from eventscribe.model import Count

    early, revised = Count(min=9, max=9), Count(min=15, max=None)
    assert _better_count(early, revised) is revised   # "at least 15" revises "9 killed" upwards
    assert _better_count(revised, early) is revised
    assert _better_count(Count(min=3, max=None), Count(min=3, max=3)).max == 3  # agreeing: the tighter


# --- date fill-in: what an undated event may borrow ---


def test_undated_events_never_borrow_a_year_or_a_future_date():
    text = ("The ruling party, in power since a disputed vote in 1998, faces fresh accusations of fraud.\n\n"
            "Opposition leaders said they would hold a referendum later this year.\n\n"
            "Riot police fired tear gas at students marching on the parliament.")
    events = extract_text(text, PUB)
    police = next(e for e in asserted(events, "ASSAULT"))
    assert police.date.end <= PUB and police.date.start >= PUB - dt.timedelta(days=1)
    accusation = next(e for e in asserted(events, "ACCUSE"))  # "since ... 1998": a period up to now
    assert accusation.date is None or accusation.date.end >= PUB - dt.timedelta(days=1)


def test_a_paragraph_far_from_the_dated_lede_takes_the_news_date():
    text = ("Gunmen attacked a bus near Kandahar on Thursday, killing six passengers.\n\n"
            "The route links the city to the border.\n\n"
            "Traffic on it has doubled in two years.\n\n"
            "Protesters blocked the highway demanding better security.")
    protests = asserted(extract_text(text, PUB), "PROTEST")
    assert protests and protests[0].date.start == PUB - dt.timedelta(days=1)


def test_a_national_toll_that_sums_the_incidents_is_split_by_place():
    text = ("At least five people were killed on Tuesday as clashes spread across the country.\n\n"
            "In Mombasa, three protesters were shot dead by police during a march.\n\n"
            "In Kisumu, two people were killed when police opened fire on a crowd.")
    attacks = asserted(extract_text(text, PUB), "ASSAULT")
    tolls = sorted(a.fatalities.min for a in attacks if a.fatalities is not None)
    assert 5 not in tolls and {2, 3} <= set(tolls)


def test_the_injured_of_a_split_national_toll_are_national_too():
    text = ("At least five people were killed and about 300 injured on Tuesday as clashes spread across the country.\n\n"
            "In Mombasa, three protesters were shot dead by police during a march.\n\n"
            "In Kisumu, two people were killed when police opened fire on a crowd.")
    attacks = asserted(extract_text(text, PUB), "ASSAULT")
    assert all(a.injured is None for a in attacks if a.fatalities is not None and a.fatalities.min in (2, 3))


def test_one_victim_in_two_records_is_no_split():
    text = ("A drone strike killed the militia commander and his driver in Mosul on Monday.\n\n"
            "Residents said the strike killed the commander in his car in Mosul.")
    attacks = asserted(extract_text(text, PUB), "ASSAULT")
    assert max(a.fatalities.min for a in attacks if a.fatalities is not None) == 2


def test_an_event_that_happened_is_not_dated_in_the_future():
    pub = dt.date(2024, 9, 18)
    text = "The war began with the October 7 attacks by Hamas gunmen on Israeli towns."
    attacks = asserted(extract_text(text, pub), "ASSAULT")
    assert attacks and attacks[0].date.start == dt.date(2023, 10, 7)
    text = "Opposition parties said they would hold a rally on October 2."
    rallies = [e for e in extract_text(text, pub) if e.type == "PROTEST"]
    assert all(r.date is None or r.date.start.year == 2024 for r in rallies)  # an upcoming plan keeps its year


def test_a_denial_is_aimed_at_the_accusation_made_before_it():
    text = "Russia accused Ukraine of shelling the power plant on Monday. Kyiv denied the claim."
    denial = next(e for e in extract_text(text, PUB) if e.type == "REJECT")
    assert denial.mode == "deny"
    assert denial.actor.country == "UKR" and denial.target.country == "RUS"


def test_a_clock_time_in_a_later_mention_joins_the_event_date():
    import datetime as dt

    from eventscribe.pipeline import extract_text

    text = ("Navy jets struck rebel depots near the port on Friday, officials said.\n\n"
            "At 9:30 p.m. (GMT) on Friday, the jets carried out the strikes on the depots, the navy said.")
    (strike,) = [e for e in extract_text(text, published=dt.date(2024, 3, 9)) if e.type == "ASSAULT"]
    assert strike.date.start == dt.date(2024, 3, 8) and strike.date.time == "21:30 GMT"


def test_mode_is_the_one_most_mentions_name():
    text = ("Coalition forces carried out air and drone strikes on militia depots in Deir ez-Zor on Sunday.\n\n"
            "The airstrikes destroyed two warehouses, a spokesman said.\n\n"
            "Officials said the airstrikes used guided bombs.")
    (strike,) = asserted(extract_text(text, PUB), "ASSAULT")
    assert strike.mode == "aerial"  # aerial: three mentions; drone: one


def test_mode_tie_keeps_the_first_mentions_mode():
    text = ("A drone strike hit a pickup truck near Marib on Sunday, killing two men.\n\n"
            "The air strike was the third in the province this week.")
    (strike,) = asserted(extract_text(text, PUB), "ASSAULT")
    assert strike.mode == "drone"
