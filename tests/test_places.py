"""Where events happen: located names, parties that are not places, anaphors, the story's place."""

from __future__ import annotations

import datetime as dt

import pytest

from eventscribe import geo, places
from eventscribe.pipeline import extract_text


@pytest.fixture(scope="module")
def gaz() -> geo.Gazetteer:
    return geo.gazetteer()


def place_names(text: str, type_: str | None = None) -> list[list[str]]:
    events = extract_text(text, published=dt.date(2025, 3, 4))
    return [[loc.name for loc in e.locations] for e in events if type_ is None or e.type == type_]


# ---------------------------------------------------------------- the words around a name
@pytest.mark.parametrize("text, name, expected", [
    ("Troops fired on crowds in Harare.", "Harare", True),
    ("Shelling hit the eastern city of Kharkiv overnight.", "Kharkiv", False),
    ("Shelling hit homes in the eastern city of Kharkiv overnight.", "Kharkiv", True),
    ("Protests spread across northern Ghana.", "Ghana", True),
    ("Clashes were reported in Kumasi, Tamale and Accra.", "Accra", True),
    ("Ghana condemned the raid.", "Ghana", False),
    ("The raid was condemned. Ghana said it was shocked.", "Ghana", False),
])
def test_located(text, name, expected):
    assert places.located(text, text.index(name)) is expected


def test_roles(gaz):
    text = "Peru's interior minister said troops in Lima detained 40 people. Quito said nothing."
    roles = {m.text: places.mention_role(text, m) for m in gaz.find(text)}
    assert roles == {"Peru": "possessive", "Lima": "located", "Quito": "speaker"}


# ---------------------------------------------------------------- nationality is not the place
def test_a_nationality_does_not_place_the_event():
    names = place_names("Chile's foreign minister condemned the bombing of a market in Mosul on Sunday.")
    assert names and all("Chile" not in n for n in names)
    assert ["Mosul"] in names


def test_a_located_name_inside_the_actor_phrase_places_the_event():
    names = place_names("Police in Cusco arrested twelve protesters on Monday.", "COERCE")
    assert names == [["Cusco"]]


# ---------------------------------------------------------------- anaphors and the story's place
def test_in_the_capital_is_the_capital_of_the_main_country():
    text = ("Kenya braced for more unrest on Tuesday.\n\n"
            "In the capital, police fired tear gas at hundreds of protesters.")
    assert ["Nairobi"] in place_names(text, "ASSAULT")


def test_possessive_capital(gaz):
    text = "Riot police in Peru's capital fired tear gas."
    found = places.anaphoric_places(text, gaz.find(text), gaz, {"PER": 1.0})
    assert [m.candidates[0].name for m in found] == ["Lima"]


def test_the_city_refers_back_to_the_last_town(gaz):
    text = "Rebels reached Bukavu on Friday. Gunfire was heard across the city overnight."
    found = places.anaphoric_places(text, gaz.find(text), gaz, {"COD": 1.0})
    assert [(m.text, m.candidates[0].name) for m in found] == [("the city", "Bukavu")]


def test_the_city_council_is_no_place(gaz):
    text = "Rebels reached Bukavu. The city council met in the city hall."
    assert places.anaphoric_places(text, gaz.find(text), gaz, {"COD": 1.0}) == []


def test_nationwide_is_the_country(gaz):
    text = "Unrest in Nepal: strikes spread nationwide."
    found = places.anaphoric_places(text, gaz.find(text), gaz, {"NPL": 2.0})
    assert [(m.text, m.candidates[0].country, m.anaphor) for m in found] == [("nationwide", "NPL", "country")]


def test_dateline_after_a_headline_places_unplaced_events():
    text = ("Rebels claim control of a key town in Congo\n\n"
            "BUKAVU, Democratic Republic of Congo — Shops stayed shut on Tuesday.\n\n"
            "Later, two civilians were killed by shelling, residents said.")
    located_events = place_names(text, "ASSAULT")
    assert located_events and all(names == ["Bukavu"] for names in located_events)


def test_story_place_is_the_dominant_town(gaz):
    text = ("Clashes in Bukavu left three dead. Bukavu residents fled. "
            "Aid reached Bukavu and Uvira on Friday.")
    setting = places.story_place(text, gaz.find(text), gaz, {"COD": 3.0})
    assert setting is not None and setting.name == "Bukavu" and setting.span is None


def test_no_story_town_when_the_article_says_nationwide(gaz):
    text = "Clashes in Bukavu left three dead. Bukavu residents fled. Protests spread nationwide."
    mentions = gaz.find(text)
    mentions += places.anaphoric_places(text, mentions, gaz, {"COD": 3.0})
    assert places.story_place(text, mentions, gaz, {"COD": 3.0}) is None


def test_a_meeting_is_placed_like_the_events_around_it():
    text = ("Government troops and rebels clashed in Bukavu on Sunday. "
            "The two commanders met on Monday and agreed to a truce.")
    events = extract_text(text, published=dt.date(2025, 3, 4))
    placed = {e.type: [loc.name for loc in e.locations] for e in events}
    assert placed.get("CONSULT") == ["Bukavu"] or placed.get("AGREE") == ["Bukavu"]


def test_the_datelines_own_names_are_not_each_sentences_places():
    text = ("Gangs storm a prison\n\n"
            "KINSHASA, Democratic Republic of Congo (AP) — Armed men attacked a prison on Saturday.")
    events = extract_text(text, published=dt.date(2025, 3, 4))
    assert events and all([loc.name for loc in e.locations] == ["Kinshasa"] for e in events)
    assert all(loc.span is None for e in events for loc in e.locations)


def test_an_anaphor_carries_the_name_of_its_town():
    text = "Thousands marched in Córdoba on Monday. Police fired tear gas at protesters in the city."
    names = {loc.name for e in extract_text(text, published=dt.date(2025, 3, 4)) for loc in e.locations}
    assert "the city" not in names and names & {"Córdoba"}


def test_with_a_dateline_parties_named_plainly_are_not_the_place():
    text = "LIMA - Peru and Chile agreed on Monday to set up joint patrols along their border."
    events = extract_text(text, published=dt.date(2025, 3, 4))
    assert events and all([loc.name for loc in e.locations] == ["Lima"] for e in events)


def test_the_country_across_a_border_is_not_where_it_happened():
    text = "Gunmen killed two herders near the border with Tanzania on Monday."
    assert places.beyond_border(text, text.index("Tanzania"))
    assert not places.beyond_border(text, text.index("Monday"))
    events = [e for e in extract_text(text, published=dt.date(2021, 3, 2)) if e.type == "ASSAULT"]
    assert events and all(loc.country != "TZA" for e in events for loc in e.locations)


def test_an_armed_groups_home_gives_way_to_the_place_named():
    # the group is Somali, the town is Kenyan: the unplaced second event is in Kenya
    text = ("Al-Shabaab fighters attacked a police post in Garissa on Monday. "
            "Two days later, the militants kidnapped three teachers.")
    events = extract_text(text, published=dt.date(2021, 3, 5))
    kidnap = [e for e in events if e.type == "ASSAULT" and e.mode == "abduct"]
    assert kidnap and {loc.country for loc in kidnap[0].locations} == {"KEN"}


def test_an_armed_group_alone_still_places_a_note_in_its_country():
    events = extract_text("Taliban militants ambushed a convoy, killing four soldiers.",
                          published=dt.date(2020, 3, 5))
    assert events and {loc.country for loc in events[0].locations} == {"AFG"}


def test_a_region_after_a_town_qualifies_the_town():
    gaz = geo.gazetteer()
    text = "Traders marched in Eldoret, Uasin Gishu, while police fired at the crowd."
    found = gaz.find(text)
    town, region = found[0], found[1]
    ctx = gaz.context(found, text)
    assert places.qualifies(text, town, gaz.resolve(town, ctx), region, gaz.resolve(region, ctx))
    listed = "Protests spread to Nakuru and to Eldoret on Monday."
    a, b = gaz.find(listed)[:2]
    ctx = gaz.context([a, b], listed)
    assert not places.qualifies(listed, a, gaz.resolve(a, ctx), b, gaz.resolve(b, ctx))


def test_the_qualifying_region_goes_to_the_event_of_its_town():
    # "Dhaka" in the brackets is the division of the town, not the place of the later clash
    text = ("On 3 May 2023, students staged a protest in Tangail town (Tangail Sadar, Dhaka), "
            "against the clash between two student groups at the college.")
    events = extract_text(text, published=dt.date(2023, 5, 4))
    protest = [e for e in events if e.type == "PROTEST"]
    assert protest and {"Tangail", "Dhaka"} <= {loc.name for loc in protest[0].locations}


def test_a_brief_is_set_at_the_one_town_it_names():
    # the first sentence gives no event of its own, the second takes the brief's one town
    text = ("On Friday, a crowd gathered at the market in Eldoret after rumours spread. "
            "Gunmen later shot dead two traders.")
    shots = [e for e in extract_text(text, published=dt.date(2019, 4, 6)) if e.type == "ASSAULT"]
    assert shots and [loc.name for loc in shots[0].locations] == ["Eldoret"]


def test_a_long_article_is_not_set_at_a_town_it_names_once():
    gaz = geo.gazetteer()
    long_text = ("Ministers met in Eldoret to talk about the harvest. " +
                 "The talks went on for hours and ended without a deal. " * 20)
    found = gaz.find(long_text)
    ctx = gaz.context(found, long_text)
    ctx["KEN"] = ctx.get("KEN", 0) + 3
    assert places.story_place(long_text, found, gaz, ctx) is None
    brief = long_text[:120]
    assert places.story_place(brief, gaz.find(brief), gaz, ctx).name == "Eldoret"


def test_a_town_after_a_ward_of_its_county_names_the_same_place():
    # "Kangemi, Nairobi": the town only says where the ward lies, so the brief is set at the ward
    gaz = geo.gazetteer()
    text = "On Monday, three traders were shot dead in Kangemi, Nairobi. Police blamed a gang."
    found = gaz.find(text)
    ctx = gaz.context(found, text)
    setting = places.story_place(text, found, gaz, ctx)
    assert setting is not None and setting.name == "Kangemi"


@pytest.mark.parametrize("text, expected", [
    ("Herders said bandits from Ethiopia stole cattle.", True),
    ("Refugees from neighbouring Somalia staged a sit-in.", True),
    ("The army withdrew from Mali last year.", False),
    ("Ministers flew in from Ghana.", False),
])
def test_people_from_a_country_come_from_it(text, expected):
    gaz = geo.gazetteer()
    m = gaz.find(text)[-1]
    assert places.origin(text, m.start) is expected


def test_the_country_raiders_come_from_is_not_where_they_struck():
    names = place_names("Gunmen from Ethiopia raided a village in Marsabit county, killing four herders.",
                        "ASSAULT")
    assert names and "Ethiopia" not in names[0]


def test_the_region_whose_capital_a_city_is_is_not_the_place():
    text = ("Rebels marched into Bunia on Sunday. All night the town, which is the capital of "
            "Ituri province, was shaken by gunfire.")
    gaz = geo.gazetteer()
    m = [x for x in gaz.find(text) if x.text.startswith("Ituri")][0]
    assert places.mention_role(text, m) == "describes"
    shaken = [e for e in extract_text(text, published=dt.date(2025, 3, 4)) if e.type == "ASSAULT"]
    assert all("Ituri province" not in [loc.name for loc in e.locations] for e in shaken)


def test_a_town_the_clause_is_about_refers_back_to_the_town_named_before():
    gaz = geo.gazetteer()
    text = "Gunmen entered Beni at dawn; by noon the town was shelled from the hills."
    referred = places.anaphoric_places(text, gaz.find(text), gaz, {"COD": 1.0})
    assert [m.candidates[0].name for m in referred] == ["Beni"]


def test_an_upazila_and_its_district_set_a_brief_at_the_upazila():
    # Bangladesh's districts and upazilas are in the local table; the district and the
    # division in brackets only say where the upazila lies
    text = ("On Sunday, rival groups fought with sticks in Ullapara upazila (Sirajganj, Rajshahi). "
            "Several shops were looted. Police later fired shots in the air.")
    gaz = geo.gazetteer()
    found = gaz.find(text)
    setting = places.story_place(text, found, gaz, gaz.context(found, text))
    assert setting is not None and (setting.name, setting.country) == ("Ullapara", "BGD")
    shots = [e for e in extract_text(text, published=dt.date(2023, 5, 8)) if e.mode == "firearms"]
    assert shots and shots[-1].locations[0].name == "Ullapara"


@pytest.mark.parametrize("text", [
    "Unions in Lusaka said a national general strike would start on Monday.",
    "Kidnappings in Lusaka have spread to the country's towns.",
])
def test_a_national_strike_or_the_countrys_towns_refer_to_the_whole_country(text):
    gaz = geo.gazetteer()
    found = gaz.find(text)
    referred = places.anaphoric_places(text, found, gaz, gaz.context(found, text))
    assert [(m.anaphor, m.candidates[0].country) for m in referred] == [("country", "ZMB")]


def test_national_institutions_are_no_nationwide_place():
    gaz = geo.gazetteer()
    text = "The national police arrested ten people in Lusaka; the National Assembly met."
    found = gaz.find(text)
    assert places.anaphoric_places(text, found, gaz, gaz.context(found, text)) == []


# ---------------------------------------------------------------- helper session "place"
@pytest.mark.parametrize("text, name", [
    ("Shelling hit homes in the breakaway region of Abkhazia.", "Abkhazia"),
    ("Gunmen struck in the oil-rich province of Cabinda.", "Cabinda"),
    ("Police raided a market near the mountainous border town of Torkham.", "Torkham"),
])
def test_any_word_may_describe_the_kind_of_place_after_the_preposition(text, name):
    assert places.located(text, text.index(name))


def test_there_refers_back_to_the_place_named_last():
    text = ("A health official in the disputed region of Tigray said 14 people had been killed there "
            "on Tuesday in shelling by government forces. There was no comment from the army.")
    assert place_names(text, "ASSAULT") == [["Tigray"]]


@pytest.mark.parametrize("text", [
    "Officials in Tigray said there were clashes on Tuesday.",
    "Officials in Tigray said the fighters moved from there to the coast.",
])
def test_an_introducing_there_or_from_there_is_no_place(text):
    found = places.anaphoric_places(text, geo.gazetteer().find(text), geo.gazetteer(), {"ETH": 1.0})
    assert [m for m in found if m.anaphor == "there"] == []


def test_a_word_of_an_actor_inside_a_place_name_keeps_the_place():
    # "state" alone is a government; inside "Kaduna state" it is part of the place
    text = ("LAGOS, March 4 (Reuters) - Gunmen abducted 15 pupils from a school in Kuriga, a village "
            "in Kaduna state, on Thursday, police said.")
    assert "Kaduna State" in place_names(text, "ASSAULT")[0]


@pytest.mark.parametrize("text, name", [
    ("A Kigali defence ministry statement said troops had seized two hills.", "Kigali"),
    ("Students marched to the Odisha state secretariat on Monday.", "Odisha"),
    ("Kharkiv regional governor said the strike wounded three.", "Kharkiv"),
])
def test_a_name_before_an_institution_says_whose_it_is(text, name):
    m = next(m for m in geo.gazetteer().find(text) if m.text.startswith(name))
    assert places.mention_role(text, m) == "describes"


def test_police_of_a_city_still_act_there():
    text = "Nairobi police dispersed the crowd."
    m = geo.gazetteer().find(text)[0]
    assert places.mention_role(text, m) != "describes"


# ---------------------------------------------------------------- places the gazetteer lacks
def _unlisted(text: str) -> dict[str, tuple]:
    gaz = geo.gazetteer()
    found = gaz.find(text)
    return {m.text: (m.candidates[0].country, m.candidates[0].lat is not None)
            for m in places.unlisted_places(text, found, gaz, gaz.context(found, text))}


@pytest.mark.parametrize("text, name, country", [
    ("Gunmen stormed the village of Tungan Bako in Zamfara state overnight.", "Tungan Bako", "NGA"),
    ("Bandits raided Kwanar Dutse village in Maru district of Zamfara state.", "Kwanar Dutse", "NGA"),
    ("Pupils were seized at a school in Gidan Bakko, a village in Kaduna state, on Friday.", "Gidan Bakko", "NGA"),
    ("Rebels left the town of Rumangabo, about 40 km north of Goma, on Tuesday.", "Rumangabo", "COD"),
])
def test_a_name_given_its_kind_is_a_place_where_the_next_known_place_is(text, name, country):
    assert _unlisted(text).get(name) == (country, True)


def test_a_demonym_before_the_kind_names_the_country():
    text = "Reporters met refugees in Yerevan and then in the Armenian town of Vardashat, near Baku's lines."
    assert _unlisted(text)["Vardashat"][0] == "ARM"


@pytest.mark.parametrize("text", [
    "Village elders said the raid lasted an hour.",              # a sentence's first word
    "Gunmen attacked the Iraqi town of Fallujah on Sunday.",     # known; 'Iraqi' is no town's name
    "The rebels took the town of Huddur Tuesday.",               # a weekday is no part of the name
])
def test_no_unlisted_place_from_common_capitalised_words(text):
    assert set(_unlisted(text)) <= {"Huddur"}


def test_an_unlisted_place_named_again_alone_is_the_same_place():
    # and "north of Goma" only says where it lies; alone, the landmark is the best place known
    text = ("Troops retook the town of Rumangabo, north of Goma, on Monday. "
            "The rebels had seized Rumangabo in February. Fighting raged 30 km north of Goma on Friday.")
    assert place_names(text) == [["Rumangabo"], ["Rumangabo"], ["Goma"]]


def test_a_brief_set_in_one_town_places_its_country_level_events_there():
    """'Kitale residents protested ... crime in Kenya': Kenya is the crime's, the brief's one
    town the protest's."""
    import datetime as dt

    from eventscribe.pipeline import extract_text

    events = extract_text("Kitale residents protested over the failure of police to tackle crime "
                          "in Kenya.", published=dt.date(2021, 5, 4))
    protest = next(e for e in events if e.type == "PROTEST")
    assert [loc.name for loc in protest.locations] == ["Kitale"]


def test_a_participle_of_consequence_is_not_placed_by_the_clause_before_it():
    # Lima is where the escape was, not the crackdown it prompted
    text = ("Police raided gang hideouts in Trujillo and Chiclayo on Monday. Their leader escaped from a "
            "prison in Lima on Sunday, prompting the crackdown.")
    assert all("Lima" not in names for names in place_names(text))


def test_a_national_state_of_emergency_is_the_countrys():
    text = ("Gunmen stormed a radio station in Arequipa on Tuesday and held its staff hostage. "
            "President Maria Lopez declared a state of emergency and ordered the army onto the streets.")
    assert place_names(text, "COERCE")[-1] == ["Peru"]


def test_a_governors_state_of_emergency_is_not_the_countrys():
    text = ("Floods cut roads around Kisumu on Monday. The county governor declared a state of emergency.")
    assert ["Kenya"] not in place_names(text, "COERCE")


def test_a_brief_that_says_across_the_country_keeps_the_country():
    text = ("QUITO, Jan 10 (Reuters) - Soldiers patrolled the streets of the capital on Wednesday. "
            "Authorities said 70 people had been arrested across the country.")
    assert place_names(text, "COERCE") == [["Ecuador"]]


def test_the_area_refers_back_to_the_part_of_the_country_named_last():
    text = ("MAPUTO, March 4 (Reuters) - Insurgents beheaded three villagers near the town of Mocimboa da Praia, "
            "officials said on Monday.\n\nResidents fled into the bush. Soldiers were later deployed to the area, "
            "the defence ministry said.")
    assert place_names(text, "MOBILIZE") == [["Mocimboa da Praia"]]


def test_a_corridor_or_crossing_named_with_its_kind_is_a_place():
    assert _unlisted("Troops closed the Kelbeshan corridor on Friday near Goris in Armenia.")["Kelbeshan"][0] == "ARM"


def test_a_country_before_a_colon_labels_the_story_its_town_sets_it():
    text = ("Kenya: police disperse protesters in Nakuru\n\n"
            "Police fired tear gas to disperse hundreds of traders protesting against new market fees on Tuesday.\n\n"
            "The traders said the fees had doubled. Several were arrested.")
    assert place_names(text, "COERCE") == [["Nakuru"]]
