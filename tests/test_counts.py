"""Casualty, arrest, crowd and other counts in news sentences."""

from __future__ import annotations

import pytest

from eventscribe.counts import casualties, crowd_size, parse_number, quantities
from eventscribe.model import Count, Quantity

OFFSET = 500


def cas(text: str, offset: int = OFFSET) -> dict[str, tuple[int | None, int | None]]:
    """casualties() as key -> (min, max), with every span checked against the text."""
    found = casualties(text, offset)
    for c in found.values():
        assert c.span is not None
        assert text[c.span.start - offset:c.span.end - offset] == c.span.text
    return {k: (c.min, c.max) for k, c in found.items()}


def qty(text: str, offset: int = OFFSET) -> list[Quantity]:
    found = quantities(text, offset)
    for q in found:
        assert text[q.span.start - offset:q.span.end - offset] == q.span.text
    return found


def crowd(text: str, offset: int = OFFSET) -> Count | None:
    c = crowd_size(text, offset)
    if c is not None:
        assert text[c.span.start - offset:c.span.end - offset] == c.span.text
    return c


# ---------------------------------------------------------------- parse_number


@pytest.mark.parametrize(
    "text, value",
    [
        ("three", 3), ("40", 40), ("1,200", 1200), ("a dozen", 12), ("two dozen", 24),
        ("twenty-one", 21), ("Twenty one", 21), ("one hundred and twenty", 120),
        ("half a dozen", 6), ("1.5 million", 1_500_000), ("2.5", 2.5), ("a hundred", 100),
        ("hundreds", None), ("dozens", None), ("five seven", None), ("", None), ("killed", None),
        ("at least 5", None),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == value
    if value is not None:
        assert type(parse_number(text)) is type(value)


# ---------------------------------------------------------------- casualties: the brief's examples


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Three American soldiers were killed and around 40 were injured in a drone attack.",
         {"fatalities": (3, 3), "injured": (40, 40)}),
        ("At least 12 people died in the fire.", {"fatalities": (12, None)}),
        ("More than 20 wounded were taken to hospital.", {"injured": (20, None)}),  # news coders: "more than N" is N
        ("Up to 50 people were killed, residents said.", {"fatalities": (None, 50)}),
        ("Between five and seven soldiers were killed.", {"fatalities": (5, 7)}),
        ("Officials said 5-7 people were wounded.", {"injured": (5, 7)}),
        ("Dozens were killed in the shelling.", {"fatalities": (24, None)}),
        ("Scores of people were injured.", {"injured": (40, None)}),
        ("Hundreds were arrested after the riots.", {"arrested": (200, None)}),
        ("A dozen people were killed.", {"fatalities": (12, 12)}),
        ("One person was killed.", {"fatalities": (1, 1)}),
        ("A policeman was killed in the blast.", {"fatalities": (1, 1)}),
        ("Gunmen opened fire, killing 6 civilians, including 2 women.", {"fatalities": (6, 6)}),
        ("The death toll rose to 31 on Sunday.", {"fatalities": (31, 31)}),
        ("The explosion left 4 dead and 11 wounded.", {"fatalities": (4, 4), "injured": (11, 11)}),
        ("Police detained 40 protesters outside parliament.", {"arrested": (40, 40)}),
        ("Security forces arrested dozens in the capital.", {"arrested": (24, None)}),
        ("The bomber killed himself.", {"fatalities": (1, 1)}),
        ("The army said it killed 5 militants and lost 2 soldiers.", {"fatalities": (5, 5)}),
        ("No one was hurt in the attack.", {"fatalities": (0, 0), "injured": (0, 0)}),
        ("There were no casualties.", {"fatalities": (0, 0), "injured": (0, 0)}),
        ("Nearly 100 protesters were hurt in clashes with police.", {"injured": (100, 100)}),
        ("About 30 people were detained.", {"arrested": (30, 30)}),
        ("Approximately 15 civilians died.", {"fatalities": (15, 15)}),
    ],
)
def test_casualties_brief_examples(text, expected):
    assert cas(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "A 5-year-old boy and his 70-year-old grandmother fled the town.",
        "The group was founded in 2019 and fired 85 rockets.",
        "At 4 p.m., officials pledged $5 million to the families.",
        "The drone carried 3 missiles.",
        "Unemployment rose by 12 percent.",
        "Troops withdrew from Tower 22.",
        "Several people were hurt.",
    ],
)
def test_not_casualty_counts(text):
    assert cas(text) == {}


# ---------------------------------------------------------------- casualties: more news phrasing


@pytest.mark.parametrize(
    "text, expected",
    [
        ("No one was killed in the attack, police said.", {"fatalities": (0, 0)}),
        ("No one has been arrested.", {"arrested": (0, 0)}),
        ("There were no immediate reports of injuries.", {"injured": (0, 0)}),
        ("The Israeli military said four soldiers were lightly wounded.", {"injured": (4, 4)}),
        ("A suicide bomber blew himself up at a mosque, killing 14 worshippers and wounding at least 30 others.",
         {"fatalities": (14, 14), "injured": (30, None)}),
        ("Clashes between rival militias left two fighters dead.", {"fatalities": (2, 2)}),
        ("Authorities detained a journalist who covered the protest.", {"arrested": (1, 1)}),
        ("Police used tear gas and arrested 120 people, according to the ministry.", {"arrested": (120, 120)}),
        ("The strike killed a Hamas commander and his two sons.", {"fatalities": (3, 3)}),
        ("In 2019, 40 people were killed in a similar attack.", {"fatalities": (40, 40)}),
        ("The 2014 war killed 2,200 Palestinians.", {"fatalities": (2200, 2200)}),
        ("Dozens of people were injured, some of them seriously.", {"injured": (24, None)}),
        ("At least 22 people were killed and 40 others wounded when a car bomb exploded.",
         {"fatalities": (22, None), "injured": (40, 40)}),
        ("Two police officers were shot and wounded.", {"injured": (2, 2)}),
        ("The attack killed three people, police said, and wounded dozens.",
         {"fatalities": (3, 3), "injured": (24, None)}),
        ("A 17-year-old was arrested over the stabbing.", {"arrested": (1, 1)}),
        ("Eleven people, including three children, died when the building collapsed.",
         {"fatalities": (11, 11)}),
        ("Rescuers recovered 12 bodies from the rubble.", {"fatalities": (12, 12)}),
        ("Police said 35 suspects had been taken into custody.", {"arrested": (35, 35)}),
        ("Six Ukrainian servicemen were killed in the shelling.", {"fatalities": (6, 6)}),
        ("The fighting has claimed more than 500 lives since January.", {"fatalities": (500, None)}),
        ("A soldier died of his wounds on Monday.", {"fatalities": (1, 1)}),
        ("Two soldiers and three civilians were killed.", {"fatalities": (5, 5)}),
        ("The bomber killed himself and five others.", {"fatalities": (6, 6)}),
        ("Israeli troops shot dead two Palestinians near Jenin.", {"fatalities": (2, 2)}),
        ("12 injured people were taken to hospital.", {"injured": (12, 12)}),
        ("Three soldiers, including an officer, were killed.", {"fatalities": (3, 3)}),
        ("He was arrested on Tuesday.", {"arrested": (1, 1)}),
        ("Fighting killed more than a dozen people, the ministry said.", {"fatalities": (12, None)}),
        ("Five more were killed, bringing the death toll to 31.", {"fatalities": (5, 5)}),
        ("He said 3,000 troops had been deployed and 5 were injured.", {"injured": (5, 5)}),
        ("The blast wounded a policeman and two passers-by.", {"injured": (3, 3)}),
        ("Fewer than 10 people were hurt.", {"injured": (None, 9)}),
        ("Tens of thousands were detained during the crackdown.", {"arrested": (20000, None)}),
        ("Twenty-one people were killed and one hundred and five wounded.",
         {"fatalities": (21, 21), "injured": (105, 105)}),
        # victims a later clause adds to the toll
        ("Two herders died at the scene and a third later in hospital.", {"fatalities": (3, 3)}),
        ("One guard was shot dead and another died of his wounds on the way to hospital.", {"fatalities": (2, 2)}),
        ("At least four miners were killed and two others later succumbed to burns.", {"fatalities": (6, None)}),
        ("Two were killed; a third man was arrested later.", {"fatalities": (2, 2), "arrested": (1, 1)}),
        ("Five people were killed and another five were wounded.", {"fatalities": (5, 5), "injured": (5, 5)}),
        # what someone means to do is no toll: the count of the act done is
        ("The militia vowed to kill the governor over the raid that killed 14 villagers.", {"fatalities": (14, 14)}),
        ("The court ordered police to arrest 30 strikers.", {}),
        ("The gunmen tried to kill two guards but only wounded one.", {"injured": (1, 1)}),
        ("Traders beat up two men to death near the bus park.", {"fatalities": (2, 2)}),
        # the named victims a plural killing noun lists
        ("Lawyers marched over the killings of Ali Musa and Omar Said.", {"fatalities": (2, 2)}),
        ("Mourners gathered after the killings of Grace Achieng and her driver.", {"fatalities": (2, 2)}),
        ("Police are investigating the murders of Kenya and Uganda nationals.", {}),
    ],
)
def test_casualties_news_phrasing(text, expected):
    assert cas(text) == expected


def test_casualty_spans():
    text = "Gunmen opened fire, killing 6 civilians, including 2 women."
    c = casualties(text, 100)["fatalities"]
    assert c.span.text == "killing 6 civilians"
    assert (c.span.start, c.span.end) == (100 + text.index("killing"), 100 + text.index(", including"))
    text = "Three American soldiers were killed."
    assert casualties(text)["fatalities"].span.text == "Three American soldiers were killed"


def test_casualties_returns_fresh_records():
    text = "Four people were killed."
    first = casualties(text, 10)
    first["fatalities"].min = 99
    assert casualties(text, 10)["fatalities"].min == 4
    assert casualties(text, 0)["fatalities"].span.start == 0


# ---------------------------------------------------------------- quantities


def q1(text: str) -> tuple:
    found = qty(text)
    assert len(found) == 1, found
    q = found[0]
    return q.min, q.max, q.unit, q.qualifier


def test_quantities_brief_examples():
    found = qty("US forces struck more than 85 targets with more than 125 precision munitions.")
    assert [(q.min, q.max, q.unit, q.qualifier) for q in found] == [
        (85, None, "targets", "more than"),
        (125, None, "precision munitions", "more than"),
    ]
    assert found[0].span.text == "more than 85 targets"
    found = qty("The Pentagon sent 10,000 troops and two aircraft carriers to the region.")
    assert [(q.min, q.max, q.unit) for q in found] == [(10000, 10000, "troops"), (2, 2, "aircraft carriers")]
    assert q1("Congress approved $2 billion in aid.") == (2e9, 2e9, "USD", None)
    assert q1("Some 3,000 protesters marched in Paris.") == (3000, 3000, "protesters", "some")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Russia launched up to 50 drones overnight.", (None, 50, "drones", "up to")),
        ("Hamas fired hundreds of rockets at Israel.", (200, None, "rockets", "hundreds")),
        ("The EU pledged more than €500 million.", (5e8, None, "EUR", "more than")),
        ("The fund paid out 3 million dollars.", (3e6, 3e6, "USD", None)),
        ("Around 300 vehicles crossed the border.", (300, 300, "vehicles", "around")),
        ("Artillery fired 1.5 million shells.", (1.5e6, 1.5e6, "shells", None)),
        ("The convoy carried at least 40 tonnes of food.", (40, None, "tonnes", "at least")),
        ("Rebels seized between 20 and 30 villages.", (20, 30, "villages", None)),
        ("Police seized 1,500 Hamas leaflets.", (1500, 1500, "Hamas leaflets", None)),
    ],
)
def test_quantities_news_phrasing(text, expected):
    assert q1(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Three soldiers were killed and 40 were injured.",   # casualties, not quantities
        "Resolution 2334 was adopted in 2016 after three days of debate.",
        "A 5-year-old boy was found at 4 p.m. on 3 March.",
        "One of the officials resigned.",
        "Unemployment rose by 12 percent.",
        "Some 5,000 gathered in the square.",
    ],
)
def test_no_quantities(text):
    assert qty(text) == []


# ---------------------------------------------------------------- crowd sizes


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Thousands of protesters marched through the capital.", (2000, None)),
        ("Tens of thousands of demonstrators rallied on Saturday.", (20000, None)),
        ("A crowd of about 5,000 gathered in the square.", (5000, 5000)),
        ("More than 10,000 people joined the march against the reform.", (10000, None)),
        ("Hundreds took to the streets after the verdict.", (200, None)),
        ("Some 300 students staged a sit-in at the university.", (300, 300)),
    ],
)
def test_crowd_size(text, expected):
    c = crowd(text)
    assert c is not None and (c.min, c.max) == expected


def test_crowd_size_span_and_none():
    c = crowd("A crowd of about 5,000 gathered in the square.")
    assert c.span.text == "crowd of about 5,000 gathered"
    assert crowd("Police arrested 40 protesters.") is None          # an arrest count
    assert crowd("Some 3,000 people live in the village.") is None  # no protest
    assert crowd("The army sent 10,000 troops.") is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The death toll from Saturday's suicide bombing at a market in Kirkuk rose to 27 on Monday.",
         {"fatalities": (27, 27)}),
        ("At least 10 people were taken to hospital with breathing problems.", {"injured": (10, None)}),
        ("Dozens of demonstrators were treated for the effects of tear gas.", {"injured": (24, None)}),
        ("Three men suspected of helping to prepare the vehicle were arrested by police.",
         {"arrested": (3, 3)}),
        ("One person, a young man who tried to raise the alarm, was shot dead.", {"fatalities": (1, 1)}),
        ("The blast killed at least 18 people, the toll of the dead later rising to 25.",
         {"fatalities": (18, None)}),
    ],
)
def test_casualties_long_subjects_and_tolls(text, expected):
    assert cas(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Four children were among the wounded.",
        "Two of the injured later left hospital.",
        "Three soldiers were among those killed.",
    ],
)
def test_subset_of_a_group_is_no_count(text):
    assert cas(text) == {}


# --- named and singular victims, ages, companions (real-news phrasing, our own sentences) ---


@pytest.mark.parametrize(
    "text, expected",
    [
        # a name is one victim as the subject of a singular passive or next to the verb
        ("Farid Osmani was killed when a shell hit his shop.", {"fatalities": (1, 1)}),
        ("Lena Brandt, who ran the village clinic, was shot dead on Sunday.", {"fatalities": (1, 1)}),
        ("Rebels killed regional governor Paolo Serra near the border.", {"fatalities": (1, 1)}),
        ("Police in the capital arrested Nadia Farouk on Friday.", {"arrested": (1, 1)}),
        # companions: "along with his bodyguard", "and one of his aides"
        ("Omar Selim was killed, along with his driver, when the car exploded.", {"fatalities": (2, 2)}),
        ("The drone strike killed Omar Selim along with his driver.", {"fatalities": (2, 2)}),
        ("A missile killed Omar Selim and one of his aides at the farm.", {"fatalities": (2, 2)}),
        # possessive determiners and prepositional phrases in one-person subjects
        ("The militia's commander was killed in the ambush.", {"fatalities": (1, 1)}),
        ("In the north, a teacher of the village school was killed by a stray bullet.", {"fatalities": (1, 1)}),
        ("A 62-year-old farmer was wounded by shrapnel.", {"injured": (1, 1)}),
        ("Her brother and a neighbour were injured in the blast.", {"injured": (2, 2)}),
        # ages are never tolls
        ("Karl Moser, 71, a retired teacher, was killed in the shelling.", {"fatalities": (1, 1)}),
        ("Karl Moser, 71, was killed in the crossfire.", {"fatalities": (1, 1)}),
        ("The shelling killed Karl Moser, 71, and his grandson, 9.", {"fatalities": (2, 2)}),
        ("Officials said Ines Vidal, 38, and her husband, 40, were killed.", {"fatalities": (2, 2)}),
        ("Two brothers, aged 19 and 23, were shot dead.", {"fatalities": (2, 2)}),
        # counts after a casualty noun, and "another N" sharing the first bound
        ("The blasts caused injuries to more than 300 people.", {"injured": (300, None)}),
        ("The number of dead rose to 40 on Friday.", {"fatalities": (40, 40)}),
        ("The number of injured has climbed to 212.", {"injured": (212, 212)}),
        ("At least 14 people were killed and another 60 wounded in the raids.",
         {"fatalities": (14, None), "injured": (60, None)}),
    ],
)
def test_casualties_names_ages_companions(text, expected):
    assert cas(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Demonstrators in Lagos were injured by rubber bullets.",  # "Lagos" is a place, not a victim
        "The air strike killed Syrian soldiers near the airport.",  # a nationality modifier, no count
        "On Thursday Ukrainian troops were wounded.",
        "Airstrikes killed Palestinians in the camp.",
    ],
)
def test_names_that_are_no_victims(text):
    assert "fatalities" not in cas(text) and "injured" not in cas(text)


@pytest.mark.parametrize("text,expected", [
    # mob killings and "... to death" verbs with their object after them
    ("Villagers lynched a man accused of stealing goats.", {"fatalities": (1, 1)}),
    ("Two suspected burglars were lynched by an angry crowd.", {"fatalities": (2, 2)}),
    ("Residents stoned to death two men caught breaking into a shop.", {"fatalities": (2, 2)}),
    # singular nouns after a number
    ("Bandits raided the camp at dawn, one death, two injuries.", {"fatalities": (1, 1), "injured": (2, 2)}),
    # an age written without hyphens is no toll
    ("A nine year old girl was killed by a stray bullet.", {"fatalities": (1, 1)}),
    # headlines: a bare singular noun as subject or object
    ("Teenage shepherd shot dead near border post", {"fatalities": (1, 1)}),
    ("Nine year old boy killed in market shooting", {"fatalities": (1, 1)}),
    ("Crowd kills suspected robber in village square", {"fatalities": (1, 1)}),
    ("Police arrest driver after checkpoint shooting", {"arrested": (1, 1)}),
    # what the victims were accused of is no toll of this event ...
    ("Three youths suspected of killing a farmer were lynched by residents.", {"fatalities": (3, 3)}),
    ("Four men accused of murdering a nurse were beaten to death by a mob.", {"fatalities": (4, 4)}),
    # ... unless the sentence gives no other
    ("Police detained a driver suspected of killing two pastors.", {"fatalities": (2, 2), "arrested": (1, 1)}),
])
def test_casualties_mob_killings_headlines_allegations(text, expected):
    assert cas(text) == expected


@pytest.mark.parametrize("text", [
    "Rebels killed civilians in the border villages.",     # no number, no singular
    "The injured officer said he was fine.",             # an adjective, then no count phrase
    "A court sentenced him to death in absentia.",
    "Students rallied against the death of 2 classmates in a road accident.",
    "The fighting has taken a heavy toll on the 3 towns.",
])
def test_no_count_without_a_counted_noun(text):
    assert "fatalities" not in cas(text)


def test_running_totals_and_perpetrator_counts():
    from eventscribe.counts import counts_perpetrators, running_total

    assert running_total("At least 300 people have been killed since the war began.")
    assert running_total("Over the past three weeks, 25 soldiers were wounded.")
    assert not running_total("Five people were killed in the market on Friday.")
    assert counts_perpetrators(casualties("Two gunmen were shot dead by police.")["fatalities"])
    assert not counts_perpetrators(casualties("Two police officers were shot dead.")["fatalities"])


@pytest.mark.parametrize("text,expected", [
    # reported, confirmed, feared, found: still the subject's count
    ("Six herders were reported dead and 15 others injured.", {"fatalities": (6, 6), "injured": (15, 15)}),
    ("Four miners are feared dead after the raid.", {"fatalities": (4, 4)}),
    ("Two guards were confirmed killed.", {"fatalities": (2, 2)}),
    # initials with stops are no sentence end and no person's name
    ("Five U.N. peacekeepers were killed and more than 20 wounded.", {"fatalities": (5, 5), "injured": (20, None)}),
    ("Two U.S. contractors were injured in the blast.", {"injured": (2, 2)}),
    # the number of those killed is a toll
    ("The number of those killed has risen to 18.", {"fatalities": (18, 18)}),
    # a headline's bare "toll"
    ("Toll in market bombing climbs to 14", {"fatalities": (14, 14)}),
])
def test_casualties_reported_initials_and_number_of_those(text, expected):
    assert cas(text) == expected


# ---------------------------------------------------------------- issue 9, item 7: how many


@pytest.mark.parametrize("text,expected", [
    # a capitalised word that opens the sentence is no label before a number ("Tower 22")
    ("Another 9 villagers were wounded in the raid.", {"injured": (9, 9)}),
    ("All 12 crew members died.", {"fatalities": (12, 12)}),
    # reported speech inside the subject's verb group
    ("Forty herders are said to have been killed in the raids.", {"fatalities": (40, 40)}),
    ("Six miners were feared to have been killed.", {"fatalities": (6, 6)}),
    ("One guard dies.", {"fatalities": (1, 1)}),
    # two coordinated passive verbs share the subject's count
    ("A schoolteacher was abducted and killed by gunmen.", {"fatalities": (1, 1)}),
    ("Two traders were robbed and stabbed to death near the market.", {"fatalities": (2, 2)}),
    # person nouns of rural and criminal violence
    ("A suspected cattle rustler was beaten to death by villagers.", {"fatalities": (1, 1)}),
    ("Three bandits and a herdsman were killed in the gunfight.", {"fatalities": (4, 4)}),
    # an apposition describes the one victim; a list adds victims
    ("One farmer, a father of five, was shot dead.", {"fatalities": (1, 1)}),
    ("Two guards, a cook and a driver were killed.", {"fatalities": (4, 4)}),
    ("The militants killed three guards, a cook and a driver.", {"fatalities": (5, 5)}),
    ("Gunmen shot dead a judge in addition to two of his bodyguards.", {"fatalities": (3, 3)}),
    ("Two soldiers died, a military spokesman said, and three were hurt.",
     {"fatalities": (2, 2), "injured": (3, 3)}),
    # a headline's bare noun with an adverb before the verb
    ("Farmer reportedly killed in land dispute", {"fatalities": (1, 1)}),
])
def test_casualties_subjects_lists_and_appositions(text, expected):
    assert cas(text) == expected


@pytest.mark.parametrize("text", [
    "Two soldiers were killed or wounded by a sniper.",   # a casualty, not which kind
    "The shelling left 14 people dead or injured.",
])
def test_either_killed_or_wounded_gives_no_count(text):
    found = cas(text)
    assert "fatalities" not in found and "injured" not in found


@pytest.mark.parametrize("text,total", [
    ("The group, whose insurgency has killed more than 30,000 people since 2011, denied it.", True),
    ("Over 2,000 civilians have died in the region so far this year, the agency said.", True),
    ("Since the start of the uprising, 800 people have been killed.", True),
    ("The protests, now in their fourth week, have left 52 people dead.", True),
    ("It was the deadliest day since the coup, which has left 120 people dead.", True),
    ("The blast killed 18 people, the deadliest attack in the city since 2016.", False),
    ("Gunmen killed 7 villagers on Sunday.", False),
])
def test_period_tolls_are_told_apart_from_an_events_toll(text, total):
    from eventscribe.counts import period_toll
    count = casualties(text)["fatalities"]
    assert period_toll(text, "fatalities", count) is total


def test_arrests_over_a_period_are_the_crackdowns_own_count():
    from eventscribe.counts import period_toll
    text = "Police have detained more than 300 protesters since the unrest began."
    assert not period_toll(text, "arrested", casualties(text)["arrested"])


# ---------------------------------------------------------------- issue 9, item 7: sentence grammar of tolls


@pytest.mark.parametrize("text,expected", [
    # a plural subject whose ages are listed counts one victim per age
    ("The two brothers' friends, aged 17 and 20, were stabbed to death outside a bar.", {"fatalities": (2, 2)}),
    ("Both herders, 34, 41 and 52, were hacked to death.", {"fatalities": (3, 3)}),
    # "another" as the object or subject of a casualty verb is one person
    ("The mob lynched a vendor and injured another.", {"fatalities": (1, 1), "injured": (1, 1)}),
    ("One guard was killed and another was hurt.", {"fatalities": (1, 1), "injured": (1, 1)}),
    ("Another 12 were wounded.", {"injured": (12, 12)}),
    # a later clause's own count of those who died later adds to the toll
    ("Four miners died at the site and two succumbed to their injuries overnight.", {"fatalities": (6, 6)}),
    ("Three villagers died on the spot, while one later died in hospital.", {"fatalities": (4, 4)}),
    # a victim described by an apposition, then a list that adds to it
    ("One trader, a father of three, and his two sons were shot dead.", {"fatalities": (3, 3)}),
    ("A farmer and his two nephews were killed.", {"fatalities": (3, 3)}),
    # the injured who then died are dead, not hurt
    ("The guard was taken to hospital, where he died.", {"fatalities": (1, 1)}),
    ("A passer-by was wounded and later died.", {"fatalities": (1, 1)}),
    ("Two teachers were taken to hospital where they later died.", {"fatalities": (2, 2)}),
])
def test_casualties_ages_another_later_deaths_and_appositions(text, expected):
    assert cas(text) == expected


@pytest.mark.parametrize("text,total", [
    # violence as a whole over a year or more is a tally of many events
    ("More than 4,000 people were killed in cartel violence last year, the report said.", True),
    ("Attacks by the militia killed 900 civilians in 2022.", True),
    ("Over the past decade, fighting in the region has killed 12,000 people.", True),
    # one act dated last year is that act's toll
    ("A bombing at the stadium killed 14 people last year.", False),
    ("Gunmen killed six miners in an ambush on Tuesday.", False),
])
def test_a_years_tally_of_violence_is_no_events_toll(text, total):
    from eventscribe.counts import period_toll
    count = casualties(text)["fatalities"]
    assert period_toll(text, "fatalities", count) is total


@pytest.mark.parametrize("text,expected", [
    ("Four people, aged between 18 and 30, were shot dead.", {"fatalities": (4, 4)}),
    ("One child died at the scene and another two died on the way to hospital.", {"fatalities": (3, 3)}),
    ("Six were killed and a further 4 later died of their wounds.", {"fatalities": (10, 10)}),
    ("The mine killed the herder and injured his three sons.", {"fatalities": (1, 1), "injured": (3, 3)}),
])
def test_casualties_age_ranges_further_victims_and_possessed_objects(text, expected):
    assert cas(text) == expected


@pytest.mark.parametrize("text,total", [
    # a whole war, or violence at large, as the doer of a toll: background to the news
    ("The war has killed more than 25,000 civilians, the agency said.", True),
    ("The insurgency, which began in 2009, has killed tens of thousands of people.", True),
    ("The raid is the latest in a spate of violence that has left over 80 people dead.", True),
    # an act of the war, or an offensive on one day, keeps its toll
    ("In the war's deadliest attack this month, a missile killed 19 people.", False),
    ("The offensive killed 30 fighters on Monday.", False),
])
def test_a_wars_toll_is_no_events_toll(text, total):
    from eventscribe.counts import period_toll
    count = casualties(text)["fatalities"]
    assert period_toll(text, "fatalities", count) is total


@pytest.mark.parametrize("text,expected", [
    # the wounded who died are dead, not hurt
    ("Four wounded policemen died in hospital overnight.", {"fatalities": (4, 4)}),
    ("The raiders wounded two herders, who later died.", {"fatalities": (2, 2)}),
    ("Three people were hurt and one died.", {"fatalities": (1, 1), "injured": (3, 3)}),
    # a count with a verb of its own after "and" starts a clause, no list
    ("The mine wounded three soldiers and two villagers died.", {"fatalities": (2, 2), "injured": (3, 3)}),
])
def test_casualties_the_wounded_who_died_and_clauses_after_and(text, expected):
    assert cas(text) == expected


@pytest.mark.parametrize("text,total", [
    ("At least 900 people were killed in the first six months of the year, the agency said.", True),
    ("The blast raised the death toll from bombings in the province this month to 61.", True),
    ("The death toll from Friday's blast has risen to 61.", False),
])
def test_tallies_over_part_of_a_year_or_a_month_of_bombings(text, total):
    from eventscribe.counts import period_toll
    count = casualties(text)["fatalities"]
    assert period_toll(text, "fatalities", count) is total


@pytest.mark.parametrize("text,expected", [
    ("Seven people, four of them children, were hurt.", {"injured": (7, 7)}),
    ("Nine villagers, two of whom were elders, were killed.", {"fatalities": (9, 9)}),
])
def test_casualties_a_parenthetical_share_is_no_count_of_its_own(text, expected):
    assert cas(text) == expected
