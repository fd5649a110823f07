"""Event words of real news in their event and their everyday senses (issue 9).

Every sentence here is written for the test, in our own words."""
import datetime as dt

import pytest

from eventscribe.pipeline import extract_text

PUB = dt.date(2024, 5, 6)


def asserted(sentence: str) -> set[tuple[str, str | None]]:
    """(type, mode) of the events the sentence asserts (not negated, not hypothetical)."""
    return {(e.type, e.mode) for e in extract_text(sentence, PUB) if not e.negated and not e.hypothetical}


def types(sentence: str) -> set[str]:
    return {t for t, _ in asserted(sentence)}


@pytest.mark.parametrize("sentence", [
    "Authorities cut mobile phone services in the capital on Friday to calm the unrest.",
    "Internet and messaging services have been suspended across the country since Monday.",
    "The government imposed a nationwide internet shutdown on Tuesday.",
    "The regulator blocked access to social media platforms before the vote.",
])
def test_communications_cut_by_the_authorities_are_censorship(sentence):
    assert ("COERCE", "censor") in asserted(sentence)


@pytest.mark.parametrize("sentence", [
    "Officials cut the price of fuel by ten percent.",
    "The storm cut power to thousands of homes.",
    "The operator cut its roaming charges for travellers.",
])
def test_other_cuts_are_no_censorship(sentence):
    assert "COERCE" not in types(sentence)


@pytest.mark.parametrize("sentence", [
    "Soldiers were patrolling the streets of the capital on Saturday.",
    "The militia said it was at the highest level of readiness to defend the town.",
])
def test_troops_on_the_streets_and_full_readiness_show_force(sentence):
    assert "MOBILIZE" in types(sentence)


@pytest.mark.parametrize("sentence", [
    "The minister arrived in the capital to attend the new president's inauguration on Sunday.",
    "The exiled leader was in the capital to attend the president's swearing-in ceremony.",
    "The opposition leader attended the swearing-in ceremony of the president.",
])
def test_attending_a_leaders_inauguration_is_a_visit(sentence):
    assert ("CONSULT", "visit") in asserted(sentence)


def test_a_school_ceremony_attended_is_no_visit():
    assert "CONSULT" not in types("Hundreds of parents attended the graduation ceremony at the school.")


@pytest.mark.parametrize("sentence", [
    "A journalists' union has sought an independent inquiry into the reporter's death.",
    "The rights group sought a full investigation into the shootings.",
])
def test_seeking_an_inquiry_is_a_request(sentence):
    assert "REQUEST" in types(sentence)


@pytest.mark.parametrize("sentence, absent", [
    ("The firm deployed a new payment system across its branches.", "MOBILIZE"),
    ("He withdrew money from the bank on Friday.", "RETREAT"),
    ("The party withdrew its candidate from the race.", "RETREAT"),
    ("Protesters were met with tear gas and rubber bullets.", "CONSULT"),
    ("The minister warned that any attack on the port would be met with force.", "CONSULT"),
    ("The health ministry urged residents to stay indoors.", "REQUEST"),
    ("Hospitals called for blood donations after the blast.", "REQUEST"),
    ("Police blocked the road to the parliament.", "PROTEST"),
    ("Gunmen stormed the prison, freeing hundreds of inmates.", "RETREAT"),
])
def test_everyday_senses_of_event_verbs_report_no_such_event(sentence, absent):
    assert absent not in types(sentence)


@pytest.mark.parametrize("sentence, expected", [
    ("Troops were deployed along the border on Monday.", "MOBILIZE"),
    ("The army withdrew its troops from the West Bank town.", "RETREAT"),
    ("The rebels released 20 hostages on Friday.", "RETREAT"),
    ("The junta freed three detained ministers on Monday.", "RETREAT"),
    ("The president urged the rebels to lay down their arms.", "REQUEST"),
    ("The foreign minister met his counterpart in the capital on Monday.", "CONSULT"),
    ("Protesters blocked the main highway into the city with burning tyres.", "PROTEST"),
])
def test_the_event_senses_stay(sentence, expected):
    assert expected in types(sentence)


@pytest.mark.parametrize("sentence", [
    "The United States suspended aid to the country after the coup.",
    "The European Union suspended budget support to the government.",
    "The World Bank halted its financial support for the country.",
    "The United States paused some aid programmes to the country.",
    "Washington froze military assistance to the army.",
    "Nigeria cut electricity supplies to its neighbour after the coup.",
])
def test_aid_taken_away_is_a_sanction_not_aid(sentence):
    found = types(sentence)
    assert "SANCTION" in found and "AID" not in found


def test_aid_given_stays_aid_and_a_storm_imposes_nothing():
    assert "AID" in types("The United States provided 50 million dollars in budget support.")
    assert not types("The storm cut electricity supplies to the island.")


def test_civilians_leaving_a_region_are_no_retreat():
    assert "RETREAT" not in types("Tens of thousands of residents have left the region since the offensive began.")
    assert "RETREAT" in types("The rebels left the town on Tuesday after the army advanced.")


def test_part_of_a_rallying_crowd_that_attacks_riots():
    found = asserted("Thousands of supporters of the junta rallied in the capital, and some attacked the embassy.")
    assert ("PROTEST", "riot") in found and "ASSAULT" not in {t for t, _ in found}


@pytest.mark.parametrize("sentence", [
    "In 2020, the two countries fought a six-week war over the region.",
    "The rebels have waged a war against the state for a decade.",
    "The 1994 genocide killed about 800,000 people.",
])
def test_a_war_fought_and_a_genocide_are_violence(sentence):
    assert "ASSAULT" in types(sentence)


@pytest.mark.parametrize("sentence", [
    "The offensive raised fears of a wider war in the region.",
    "The country faces a genocide case at the world court.",
    "Rights groups warned of the risk of genocide.",
])
def test_war_and_genocide_as_setting_fear_or_charge_are_no_violence(sentence):
    assert "ASSAULT" not in types(sentence)


def test_a_corridor_blockaded_is_coercion_and_a_road_blockaded_by_farmers_a_protest():
    assert "COERCE" in types("The army has blockaded the corridor for nine months.")
    assert "PROTEST" in types("Farmers blockaded the roads into the capital with tractors.")


def test_a_phone_call_is_not_the_summit_of_the_day_before():
    text = ("West African leaders held an emergency summit in Abuja on Sunday to discuss the coup.\n\n"
            "The US secretary of state spoke by phone with the ousted president on Monday, a spokesman said.\n")
    consults = [e for e in extract_text(text, dt.date(2023, 7, 31)) if e.type == "CONSULT" and not e.hypothetical]
    assert len(consults) == 2


def test_meetings_of_other_parties_on_one_day_are_two_meetings():
    text = ("The Chinese foreign minister held talks with his Russian counterpart on Monday.\n\n"
            "The French president met an envoy on Monday, officials said.\n")
    consults = [e for e in extract_text(text, dt.date(2023, 7, 31)) if e.type == "CONSULT" and not e.hypothetical]
    assert len(consults) == 2


@pytest.mark.parametrize("sentence", [
    "The United Nations has warned that the violence has displaced more than 15,000 people this month.",
    "Aid agencies warned that the hospitals were running out of fuel.",
])
def test_a_warning_of_what_has_happened_is_no_threat(sentence):
    assert "THREATEN" not in types(sentence)


@pytest.mark.parametrize("sentence", [
    "The army warned that it would respond with force to any attack.",
    "The general warned that troops are ready to strike.",
    "The minister warned the rebels that they will pay a heavy price.",
])
def test_a_warning_of_what_the_speaker_will_do_is_a_threat(sentence):
    assert "THREATEN" in types(sentence)


def test_troops_sent_to_guard_an_embassy_are_no_aid():
    found = types("The United States said it was sending a team of Marines to reinforce security at its embassy "
                  "and evacuated its staff.")
    assert "MOBILIZE" in found and "AID" not in found
    assert "AID" in types("The army sent troops to rescue families trapped by the floods.")


def test_the_victims_of_the_attack_are_of_the_attack_already_reported():
    text = ("Gangs storm main prison\n\n"
            "Armed gangs attacked the country's largest prison overnight, freeing thousands of inmates.\n\n"
            "At least 12 people were killed in the attack, officials said.\n")
    attacks = [e for e in extract_text(text, dt.date(2024, 3, 4)) if e.type == "ASSAULT" and not e.hypothetical]
    assert len(attacks) == 1 and attacks[0].fatalities.min == 12


def test_calling_an_event_names_it_and_is_no_phone_call():
    found = asserted('The president called the incursion a "large-scale provocation" and held a meeting with his generals.')
    kinds = {t for t, _ in found}
    assert ("CONSULT", "phone") not in found and "ACCUSE" in kinds and ("CONSULT", "meet") in found
    assert ("CONSULT", "phone") in asserted("The minister called his French counterpart on Monday.")


def test_a_clause_beside_a_vow_or_a_call_is_its_own_act():
    """ "called X a provocation and held a meeting": the meeting is no content of the call."""
    events = extract_text("The general called the raid a provocation and held talks with the mediators on Monday.", PUB)
    assert any(e.type == "CONSULT" and not e.hypothetical for e in events)
    events = extract_text("The government would suspend the survey and hold talks.", PUB)
    assert all(e.hypothetical for e in events if e.type == "CONSULT")


@pytest.mark.parametrize("sentence", [
    "The hijackers released some women and children later in the day.",
    "The kidnappers released the abducted missionaries on Friday.",
    "The junta released the former president's son.",
    "Soldiers returned to barracks on Wednesday.",
    "The government lifted the ban on public gatherings.",
])
def test_captives_let_go_and_troops_sent_back_are_retreats(sentence):
    assert "RETREAT" in types(sentence)


@pytest.mark.parametrize("sentence", [
    "The company released a new line of children's clothes.",
    "All the jets returned safely to base after the raid.",
])
def test_products_released_and_aircraft_back_from_a_sortie_are_no_retreat(sentence):
    assert "RETREAT" not in types(sentence)


def test_a_crowd_gathered_shouting_protests():
    assert "PROTEST" in types("Thousands of people gathered outside the assembly, shouting for the president to resign.")


def test_a_weapon_held_at_people_during_an_attack_is_no_separate_threat():
    found = types("Masked gunmen burst into the studio during a live broadcast, threatening staff with guns and explosives.")
    assert "ASSAULT" in found and "THREATEN" not in found
    assert "THREATEN" in types("The minister threatened the rebels with sanctions.")


def test_demonstrators_who_defy_a_ban_protest_and_the_ban_stands():
    found = types("Police cracked down on protesters who defied a ban on public gatherings.")
    assert "REJECT" not in found and "COERCE" in found
    assert "REJECT" in types("The opposition leader defied a court order to appear.")
