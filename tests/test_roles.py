"""Roles: who did it to whom, read from the parse (eventscribe.roles), end to end."""

import datetime as dt

from eventscribe.pipeline import extract_text

DAY = dt.date(2024, 5, 2)


def _events(text, type_="ASSAULT"):
    return [e for e in extract_text(text, published=DAY) if e.type == type_ and not e.negated]


def _party(actor):
    return None if actor is None else (actor.name, actor.sector)


def test_clashes_between_two_sides():
    ev = _events("Clashes between farmers and herders left four dead in the valley on Monday.")[0]
    assert _party(ev.actor) == ("farmers", "CVL")
    assert ev.target is not None and ev.target.name == "herders"


def test_clashed_with_names_the_other_side():
    ev = _events("Striking miners clashed with police outside the mine on Monday.")[0]
    assert ev.target is not None and ev.target.sector == "COP"


def test_victims_of_an_ambush_named_in_a_passive_harm_clause():
    ev = _events("Four soldiers were killed following an ambush by insurgents near the border.")[0]
    assert ev.actor is not None and ev.actor.sector == "REB"
    assert ev.target is not None and ev.target.sector == "MIL"


def test_victim_of_firing_named_as_passive_subject():
    ev = _events("A shopkeeper was wounded in police firing at the market on Monday.")[0]
    assert ev.actor is not None and ev.actor.sector == "COP"
    assert ev.target is not None and ev.target.name == "shopkeeper"


def test_militia_attacking_a_checkpoint_is_a_battle():
    ev = _events("Militiamen attacked an army checkpoint outside the town on Monday.")[0]
    assert ev.target is not None and ev.target.sector == "MIL"
    assert ev.acled is not None and ev.acled.event_type == "Battles"


def test_a_group_sector_follows_the_publication_date():
    from eventscribe.actors import actor_dictionary

    actors = actor_dictionary()
    assert actors.resolve("the Taliban", when=dt.date(2019, 6, 1)).sector == "REB"
    assert actors.resolve("the Taliban", when=dt.date(2023, 6, 1)).sector == "GOV"


def test_a_mob_beating_a_man_is_mob_violence():
    ev = _events("A mob beat a man to death in the village on Sunday.")[0]
    assert ev.actor is not None and ev.actor.sector == "CVL"
    assert (ev.acled.event_type, ev.acled.sub_event_type) == ("Riots", "Mob violence")


def test_demonstrators_attacking_is_a_riot():
    evs = extract_text("Demonstrators attacked the town hall and set fire to two cars on Friday.", published=DAY)
    riots = [e for e in evs if e.type == "PROTEST" and e.mode == "riot"]
    assert riots and not [e for e in evs if e.type == "ASSAULT" and e.actor is not None
                          and e.actor.name.lower() == "demonstrators"]
    assert riots[0].acled.event_type == "Riots"


def test_a_demonstration_whose_marchers_clash_with_police_is_a_riot():
    evs = extract_text("Teachers held a demonstration and clashed with police in the capital on Friday.",
                       published=DAY)
    protests = [e for e in evs if e.type == "PROTEST"]
    assert protests and all(e.mode == "riot" for e in protests)


def test_a_peaceful_march_stays_a_protest():
    evs = extract_text("Teachers held a peaceful march in the capital on Friday.", published=DAY)
    assert [e.acled.sub_event_type for e in evs if e.type == "PROTEST"] == ["Peaceful protest"]


def test_vandalism_by_unknown_people_is_mob_violence():
    ev = _events("Unknown people vandalised a temple in the village on Tuesday.")[0]
    assert ev.mode == "destroy" and ev.acled.event_type == "Riots"


def test_police_clashing_with_demonstrators_is_a_riot_by_the_demonstrators():
    evs = extract_text("Police and anti-tax demonstrators clashed in the town on Friday.", published=DAY)
    riot = [e for e in evs if e.type == "PROTEST" and e.mode == "riot"]
    assert riot and riot[0].actor.sector == "CVL" and riot[0].target.sector == "COP"


def test_killed_by_named_raiders_is_an_attack_even_without_other_violent_words():
    evs = _events("Cattle raiders killed a herdsman near the river on Sunday.")
    assert evs and evs[0].actor.sector == "REB" and evs[0].acled.event_type == "Violence against civilians"
    assert not _events("Floods killed twelve people near the river on Sunday.")


def test_two_rival_groups_clashing_have_both_sides():
    ev = _events("Rival political groups clashed in the market town on Friday.")[0]
    assert ev.actor.sector == ev.target.sector == "POL"
    assert ev.acled.event_type == "Riots"


def test_an_unnamed_group_is_the_armed_group_named_before_not_the_main_country():
    text = ("Kenyan officials said al-Shabaab had crossed the border. Kenyan police and Kenyan troops "
            "were sent to Kenya's north-east. The militants attacked a police post near Mandera on Monday.")
    ev = [e for e in _events(text) if e.actor is not None and e.actor.sector == "REB"][0]
    assert ev.actor.country == "SOM"


def test_accused_the_government_of_has_the_government_as_target():
    ev = _events("The opposition accused the government of rigging the vote.", "ACCUSE")[0]
    assert ev.target is not None and ev.target.sector == "GOV"


def test_a_vow_to_retaliate_against_x_is_a_threat_aimed_at_x():
    ev = _events("The rebel commander vowed to retaliate against the army.", "THREATEN")[0]
    assert ev.target is not None and ev.target.sector == "MIL"


def test_condemning_an_attack_by_x_is_aimed_at_x():
    ev = _events("The bishop condemned the attack by the militia on the market.", "ACCUSE")[0]
    assert ev.target is not None and ev.target.sector == "REB"


def test_calling_for_a_country_to_halt_strikes_asks_its_government():
    ev = _events("The EU called for Turkey to halt its strikes on the border villages.", "REQUEST")[0]
    assert ev.target is not None and (ev.target.country, ev.target.sector) == ("TUR", "GOV")


def test_mortars_are_shelling_not_firearms():
    ev = _events("Gunmen opened fire with mortars on the convoy near the border on Monday.")[0]
    assert ev.mode == "shelling"
    assert ev.acled.event_type == "Explosions/Remote violence"


def test_the_aim_of_fired_shells_is_the_target():
    ev = _events("Insurgents fired mortar shells at an army base on Monday.")[0]
    assert ev.mode == "shelling" and ev.target is not None and ev.target.sector == "MIL"


def test_mortar_fire_is_no_natural_force():
    assert _events("Mortar fire hit the crowded market, killing five civilians.")


def test_demonstrators_clashing_with_no_other_side_found_is_still_a_riot():
    evs = extract_text("Farmers' demonstrators clashed using stones near the ministry on Friday.", published=DAY)
    riots = [e for e in evs if e.type == "PROTEST" and e.mode == "riot"]
    assert riots and all(e.target is None or e.target.name != e.actor.name for e in riots)


def test_each_listed_actor_is_an_event_of_its_own():
    events = extract_text("Egypt, Qatar and the Arab League condemned the shelling of the hospital on Sunday.",
                          published=dt.date(2024, 6, 3))
    accusers = sorted(e.actor.name for e in events if e.type == "ACCUSE" and not e.hypothetical)
    assert len(accusers) == 3 and any("Qatar" in a for a in accusers)
    assert len({e.id for e in events}) == len(events)


def test_one_kind_of_party_a_meeting_and_listed_targets_stay_one_event():
    pub = dt.date(2024, 6, 3)
    assert len([e for e in extract_text("Students and teachers marched in Lusaka on Monday.", pub)
                if e.type == "PROTEST"]) == 1
    assert len([e for e in extract_text("Police and soldiers fired on protesters in Lusaka on Monday, killing two.", pub)
                if e.type == "ASSAULT"]) == 2
    (sanction,) = [e for e in extract_text("The EU imposed sanctions on six generals and two state firms of Belarus.", pub)
                   if e.type == "SANCTION"]
    assert " and " in sanction.target.name


def test_the_parties_decide_some_readings():
    pub = dt.date(2024, 6, 3)
    blockade = [e for e in extract_text("Government troops have blockaded the mountain road to the enclave since May.", pub)
                if not e.hypothetical]
    assert [e.type for e in blockade] == ["COERCE"] and blockade[0].mode == "blockade"
    entered = [e for e in extract_text("Rebel fighters marched into the provincial capital on Sunday.", pub)
               if e.type in ("PROTEST", "ASSAULT")]
    assert [(e.type, e.mode) for e in entered] == [("ASSAULT", "territory")]
    met = extract_text("The marchers were met by riot police at the bridge on Monday.", pub)
    assert not [e for e in met if e.type == "CONSULT"]
    called = extract_text("The opposition leader called for a general strike on Monday.", pub)
    assert not [e for e in called if e.type == "REQUEST"]


def test_a_warning_about_ones_own_conduct_or_a_risk_is_no_threat():
    pub = dt.date(2024, 6, 3)
    for text in ("The commander warned soldiers against using their phones near the front.",
                 "The ministry warned the decision risked inflaming tensions."):
        assert not [e for e in extract_text(text, pub) if e.type == "THREATEN"], text
    assert [e for e in extract_text("The rebels warned the army of a harsh response.", pub) if e.type == "THREATEN"]


def test_a_participle_of_a_listed_party_is_not_split():
    events = extract_text("Riot police and students demanding new elections clashed in Lusaka on Monday.", dt.date(2024, 6, 3))
    assert len([e for e in events if e.type == "REQUEST"]) <= 1


def test_demonstrators_who_free_inmates_concede_nothing():
    pub = dt.date(2024, 6, 3)
    crowd = extract_text("Demonstrators broke into the district jail and freed scores of inmates on Friday.", pub)
    assert not [e for e in crowd if e.type == "RETREAT"]
    state = extract_text("The government freed three detained opposition leaders on Friday.", pub)
    assert [e for e in state if e.type == "RETREAT"]


# --- sponsors, places and sources (issue 9, "who and whom") ---------------------------------


def test_a_sponsored_attacker_keeps_its_sponsor_and_takes_no_country_from_where_it_struck():
    text = "A drone attack by a faction backed by Syria on a border post in Cyprus wounded two guards on Monday."
    ev = _events(text)[0]
    assert ev.actor is not None and ev.actor.name.endswith("backed by Syria")
    assert ev.actor.country is None and ev.actor.sector == "REB"


def test_a_sponsored_group_that_is_hit_where_it_is_takes_that_country():
    text = "Jets bombed camps of Turkey-aligned fighters near Afrin in Syria on Tuesday."
    ev = _events(text)[0]
    assert ev.target is not None and ev.target.country == "SYR"


def test_the_country_a_party_goes_back_to_is_no_target():
    text = "On Monday the Chinese engineers left the mining areas of Zambia and returned to China."
    ev = _events(text, "RETREAT")[0]
    assert ev.target is None


def test_a_place_named_through_a_place_noun_is_no_party():
    text = "The rebels withdrew from the areas of Chad and Niger on Sunday."
    evs = _events(text, "RETREAT")
    assert evs and all(e.target is None or e.target.country is None for e in evs)


def test_a_fragment_the_parser_splits_off_after_a_parenthesis_still_lists_parties():
    import spacy
    from spacy.tokens import Doc

    from eventscribe.settle import _fragment_conjuncts

    words = ["Jets", "hit", "the", "Lion", "Brigade", "(", "LB", ")", "Unit", "and", "allied", "gangs", "."]
    heads = [1, 1, 4, 4, 1, 4, 4, 4, 8, 8, 11, 8, 8]
    deps = ["nsubj", "ROOT", "det", "compound", "dobj", "punct", "appos", "punct", "ROOT", "cc", "amod", "conj",
            "punct"]
    pos = ["NOUN", "VERB", "DET", "PROPN", "PROPN", "PUNCT", "PROPN", "PUNCT", "PROPN", "CCONJ", "ADJ", "NOUN",
           "PUNCT"]
    doc = Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps, pos=pos)
    assert [t.text for t in _fragment_conjuncts(doc[2:7])] == ["gangs"]
    assert _fragment_conjuncts(doc[0:1]) == ()


def test_a_demand_made_as_a_passive_aside_is_aimed_at_the_main_clause_subject():
    ev = _events("The rebels agreed to lay down their weapons, as demanded by the government.", "REQUEST")[0]
    assert ev.actor is not None and ev.actor.sector == "GOV"
    assert ev.target is not None and ev.target.name == "rebels"


def test_the_record_cites_the_source_most_mentions_cite():
    text = ("Navy ships shelled rebel positions near the port on Monday, a local official said.\n\n"
            "Navy gunboats shelled the rebel positions for three hours, the Navy said in a statement.\n\n"
            "The Navy said its ships shelled the positions near the port on Monday.")
    ev = _events(text)[0]
    assert ev.attribution is not None and ev.attribution.name == "Navy"


def test_the_speaker_of_a_sentence_is_no_source_for_the_attack_it_came_after():
    text = ("Gunmen attacked a police station in the town on Saturday, killing two officers.\n\n"
            "After the attack, the governor said the station would be closed.")
    ev = _events(text)[0]
    assert ev.attribution is None or ev.attribution.name != "governor"


def test_a_named_command_is_the_actor_over_the_bare_country_an_earlier_mention_gives():
    text = ("The United States struck 12 targets in Yemen on Monday.\n\n"
            "Central Command forces struck the targets in Yemen on Monday, officials said.")
    ev = _events(text)[0]
    assert ev.actor is not None and (ev.actor.name, ev.actor.country) == ("US Central Command", "USA")


def test_one_count_of_one_thing_is_one_quantity_the_qualified_one():
    text = ("Jets struck 40 targets in Yemen on Monday.\n\n"
            "The jets struck more than 40 targets in Yemen on Monday, the army said.")
    ev = _events(text)[0]
    targets = [q for q in ev.quantities if q.unit == "targets"]
    assert len(targets) == 1 and targets[0].qualifier == "more than"


def test_an_announcement_after_an_attack_is_dated_after_that_attack():
    text = ("Gunmen attacked a police station in the town on Saturday, killing two officers.\n\n"
            "After the attack, the group announced that it would not attack police stations again.")
    evs = extract_text(text, published=DAY)
    attack = next(e for e in evs if e.type == "ASSAULT")
    later = [e for e in evs if e.type in ("CONCEDE", "THREATEN")]
    assert later and later[0].date.start >= attack.date.start and later[0].date.end == DAY


# --- pronouns, speakers and verbs that only report an act ------------------------------------


def test_a_relative_pronoun_subject_is_the_noun_it_hangs_on():
    text = "The truce was brokered by Ankara, which sent two hundred Turkish troops to the border area."
    ev = next(e for e in extract_text(text, published=DAY) if e.type in ("AID", "MOBILIZE"))
    assert ev.actor is not None and ev.actor.country == "TUR"


def test_an_object_pronoun_is_not_its_own_verbs_subject():
    text = "Venezuela has kept silent about the bombing, but Colombia and Peru have accused it of planning the attack."
    evs = _events(text, "ACCUSE")
    assert evs and all(e.target is not None and e.target.country == "VEN" for e in evs)


def test_the_one_accused_of_an_attack_carried_it_out():
    text = "Kenya's government has accused Somalia of shelling the border town of Mandera on Monday."
    ev = _events(text)[0]
    assert ev.actor is not None and ev.actor.country == "SOM"


def test_an_accusation_of_supporting_a_group_reports_no_support():
    text = "Officials accused Chad and Sudan of secretly supporting the rebel group on Monday."
    assert all(e.actor is None or e.actor.country not in ("TCD", "SDN") for e in _events(text, "SUPPORT"))


def test_an_act_said_without_a_doer_is_the_speakers_own():
    text = ("The mayor welcomed the decision, while the ministry stated that an investigation had been "
            "opened into the deaths.")
    ev = _events(text, "ACCUSE")[0]
    assert ev.actor is not None and ev.actor.name == "ministry"


def test_we_in_a_quote_is_the_speaker():
    text = "\u201cWe condemn this cowardly attack on our village,\u201d the rebel group said on Monday."
    ev = _events(text, "ACCUSE")[0]
    assert ev.actor is not None and ev.actor.sector == "REB"


def test_who_confirms_or_disperses_an_act_did_not_carry_it_out():
    killed = _events("The district governor confirmed the killings of three farmers on Monday.")
    assert all(e.actor is None or e.actor.sector != "GOV" for e in killed)
    protest = _events("Riot police dispersed a student protest outside parliament on Monday.", "PROTEST")
    assert all(e.actor is None or e.actor.sector != "COP" for e in protest)


def test_police_reporting_arrests_made_them():
    ev = _events("Police reported eleven arrests after the march in the capital on Monday.", "COERCE")[0]
    assert ev.actor is not None and ev.actor.sector == "COP"


def test_the_personal_possessor_of_a_killing_is_its_victim():
    text = ("The opposition leader was shot dead outside his home on Monday. His killing was condemned "
            "by the United Nations.")
    evs = _events(text)
    assert evs and all(e.actor is None or e.actor.sector != "OPP" for e in evs)


def test_demonstrators_named_by_the_trigger_are_the_protest_actor():
    ev = _events("Angry Malian protesters stormed the French embassy in Bamako on Monday.", "PROTEST")[0]
    assert ev.actor is not None and (ev.actor.country, ev.actor.sector) == ("MLI", "CVL")


def test_a_protest_without_named_demonstrators_is_by_protesters_of_the_place():
    ev = _events("Protests continued for a third day in Nairobi on Monday.", "PROTEST")[0]
    assert ev.actor is not None and (ev.actor.country, ev.actor.sector) == ("KEN", "CVL")


def test_the_leaders_of_a_led_protest_are_its_actors():
    ev = _events("Student-led protests against the new tax spread across Kampala on Monday.", "PROTEST")[0]
    assert ev.actor is not None and ev.actor.sector == "CVL" and ev.actor.name != "protesters"


# --- names we do not know, forces that move ---------------------------------------------------


def test_an_unknown_proper_name_is_a_party_of_no_known_country():
    ev = _events("A court in Hamburg convicted Veltrona Logistics of tax fraud on Monday.", "ACCUSE")[0]
    assert ev.target is not None and ev.target.name == "Veltrona Logistics"
    assert (ev.target.country, ev.target.sector) == (None, "UNK")


def test_a_place_a_time_or_a_dateline_is_no_unknown_party():
    evs = extract_text("MOGADISHU - Pirates attacked a cargo ship near Hobyo on Monday.", published=DAY)
    assert all(e.actor is None or e.actor.name.lower() != "mogadishu" for e in evs)
    evs = extract_text("The ministers agreed on patrols along the Line of Actual Control on Monday.", published=DAY)
    assert all(e.target is None or "Control" not in e.target.name for e in evs)


def test_an_unknown_name_that_acts_is_a_party_even_if_a_town_shares_it():
    ev = _events("Mandela refused to meet the visiting envoy on Monday.", "REJECT")[0]
    assert ev.actor is not None and ev.actor.name == "Mandela"


def test_the_forces_a_party_moves_are_no_target():
    ev = _events("Turkey withdrew its troops from the disputed island on Monday.", "RETREAT")[0]
    assert ev.target is None or "troops" not in ev.target.name
    ev = next(e for e in extract_text("Egypt mobilized the army on Monday.", published=DAY) if e.type == "MOBILIZE")
    assert ev.target is None


def test_what_is_granted_to_a_party_is_aimed_at_it():
    ev = _events("Bolivia granted political asylum to the Peruvian dissident on Monday.", "AID")[0]
    assert ev.target is not None and ev.target.country == "PER"


def test_a_vow_in_a_participle_of_an_accusation_is_aimed_at_the_accused():
    text = "The militia blamed Ethiopia for the ambush on Monday, vowing to retaliate."
    ev = _events(text, "THREATEN")[0]
    assert ev.target is not None and ev.target.country == "ETH"


def test_force_used_to_scatter_a_crowd_hits_the_crowd():
    ev = _events("Riot police fired rubber bullets to disperse the protesters outside the court on Monday.")[0]
    assert ev.target is not None and ev.target.name == "protesters"


def test_an_event_noun_is_no_target_of_itself():
    ev = _events("Nine villagers were killed on Sunday as a result of a Turkish military offensive.")[0]
    assert ev.actor is not None and ev.actor.country == "TUR"
    assert ev.target is None or "offensive" not in ev.target.name


def test_a_group_named_with_a_place_noun_is_a_party():
    ev = _events("Jordanian jets carried out air strikes against Islamic State in the desert.")[0]
    assert _party(ev.target) == ("Islamic State", "REB")


def test_clashes_that_broke_out_between_two_sides():
    ev = _events("Fighting erupted between the army and rebels near the border on Monday.")[0]
    assert _party(ev.actor) == ("army", "MIL") and _party(ev.target) == ("rebels", "REB")


def test_a_party_or_militia_clashing_with_civilians_is_the_attacker():
    ev = _events("Clashes broke out between students and Awami League activists in Sylhet.")[0]
    assert ev.actor is not None and ev.actor.sector == "POL"
    assert _party(ev.target) == ("students", "CVL")
    ev = _events("Villagers clashed with militants near the market on Friday.")[0]
    assert _party(ev.actor) == ("militants", "REB") and _party(ev.target) == ("Villagers", "CVL")


def test_an_adjective_before_an_event_noun_that_names_no_party():
    ev = _events("Seven opposition parties organized a general strike in Lagos on Monday.", "PROTEST")[0]
    assert ev.actor is not None and ev.actor.sector == "OPP"


def test_a_demand_that_someone_act_is_aimed_at_them():
    ev = _events("Striking nurses demanded that the health ministry should raise their wages.", "REQUEST")[0]
    assert ev.target is not None and ev.target.sector == "GOV"


def test_the_meeting_of_a_body_is_held_by_that_body():
    ev = _events("An emergency meeting of the Arab League was held in Cairo on Sunday.", "CONSULT")[0]
    assert _party(ev.actor) == ("Arab League", "IGO")
    ev = _events("A meeting of the foreign ministers of Egypt and Jordan took place in Amman.", "CONSULT")[0]
    assert ev.actor is not None and ev.actor.country == "EGY"
    assert ev.target is not None and ev.target.country == "JOR"


def test_who_faces_criticism_is_its_target():
    ev = _events("The ruling party faces accusations of fraud from the opposition.", "ACCUSE")[0]
    assert _party(ev.target) == ("ruling party", "POL")
    assert ev.actor is not None and ev.actor.sector == "OPP"
    ev = _events("The interior minister faced criticism from lawmakers on Tuesday.", "ACCUSE")[0]
    assert ev.target is not None and ev.target.sector == "GOV"
    assert ev.actor is not None and ev.actor.sector == "LEG"


def test_a_headline_victim_after_a_time_word_is_no_doer():
    """ "after X killed" in a headline drops the auxiliary: X was killed, X did not kill."""
    (ev,) = _events("Rebels vow revenge after senior militia commander killed in air strike")
    assert ev.target is not None and "commander" in ev.target.name
    assert ev.actor is None or "commander" not in ev.actor.name


def test_an_active_harm_verb_after_a_time_word_keeps_its_doer():
    (ev,) = _events("Fighting spread after gunmen killed and fled into the forest.")
    assert ev.actor is not None and ev.actor.name == "gunmen"


def test_a_second_participle_shares_the_passive_subject():
    """ "they were surrounded ... and shot dead": they were shot, they did not shoot."""
    (ev,) = _events("The two opposition lawyers were driving home when they were surrounded "
                    "by other cars and shot dead on Saturday, witnesses said.")
    assert ev.target is not None and "lawyers" in ev.target.name
    assert ev.actor is None or "lawyers" not in ev.actor.name


def test_the_object_of_prompting_does_what_the_infinitive_says():
    """ "prompting police to fire": the police fire, not whoever prompted them."""
    events = _events("Demonstrators pushed against the barricade, prompting police to fire tear gas.")
    (ev,) = [e for e in events if e.actor is not None and e.actor.sector == "COP"] or events
    assert ev.actor is not None and ev.actor.sector == "COP"


def test_rejecting_a_demand_is_aimed_at_who_made_it():
    (ev,) = _events("The council rejected demands from striking nurses to raise their pay.", "REJECT")
    assert ev.target is not None and "nurses" in ev.target.name


def test_the_possessor_of_a_request_is_the_one_answered_not_the_request():
    (ev,) = _events("The chancellor turned down Poland's request for more tanks.", "REJECT")
    assert ev.target is not None and (ev.target.name, ev.target.country) == ("Poland", "POL")


def test_rejecting_an_event_reported_before_is_aimed_at_its_doer():
    text = ("The interior ministry imposed a ban on all rallies in the capital on Sunday. "
            "The opposition coalition rejected the ban on Monday.")
    (ev,) = _events(text, "REJECT")
    assert ev.target is not None and ev.target.name == "interior ministry"


def test_welcoming_an_agreement_reported_before_is_aimed_at_its_parties():
    text = ("The government and the rebels signed a peace agreement on Saturday. "
            "The African Union welcomed the agreement on Sunday.")
    ev = next(e for e in _events(text, "SUPPORT") if e.actor is not None and e.actor.sector == "IGO")
    assert ev.target is not None and ev.target.sector == "GOV"


def test_a_state_attack_naming_no_one_is_aimed_at_the_other_side_of_the_war():
    text = ("Eritrean troops ambushed Ethiopian soldiers near the border town of Zalambessa on "
            "Monday, killing four. On Wednesday the Eritrean army launched a fresh offensive in "
            "the Tigray region.")
    offensive = [e for e in _events(text) if e.actor is not None and e.actor.name == "Eritrean army"]
    assert offensive and offensive[0].target is not None and offensive[0].target.country == "ETH"


def test_a_story_of_one_country_has_no_other_side():
    text = ("Sudanese troops clashed with rebels of the Rapid Support Forces in Khartoum on "
            "Monday. On Tuesday the army launched an offensive in Omdurman.")
    offensive = [e for e in _events(text) if e.actor is not None and e.actor.name == "army"]
    assert offensive and (offensive[0].target is None or offensive[0].target.country == "SDN")


def test_an_unknown_name_takes_the_sector_its_apposition_gives():
    (ev,) = _events("Gunmen abducted Halima Yerima, a nurse at the district hospital, on Sunday.")
    assert ev.target is not None and ev.target.name == "Halima Yerima" and ev.target.sector == "CVL"


def test_a_countrys_drones_are_fired_by_its_military_a_groups_by_the_group():
    (state,) = _events("Ukrainian attack drones hit an oil depot near Belgorod overnight, officials said.")
    assert state.actor is not None and (state.actor.country, state.actor.sector) == ("UKR", "MIL")
    (group,) = _events("Houthi drones hit a cargo ship off the coast of Yemen on Monday.")
    assert group.actor is not None and group.actor.sector == "REB"


def test_an_arrest_no_one_is_named_making_is_made_by_the_police():
    events = _events("Roughly 50 people were detained in the capital on Tuesday night after the rally.", "COERCE")
    assert events and events[0].actor is not None and events[0].actor.sector == "COP"


def test_a_sentence_passed_names_no_police():
    events = _events("The former minister was jailed for five years on Monday in Nairobi.", "COERCE")
    assert all(e.actor is None or e.actor.sector != "COP" for e in events)


def test_the_doer_of_a_light_verb_does_every_act_its_object_lists():
    events = _events("Riot police used water cannon and tear gas to break up a rally outside parliament on Tuesday.")
    assert events and all(e.actor is not None and e.actor.sector == "COP" for e in events)


def test_the_sides_of_running_battles_one_engaged_in():
    """'Police and protesters engaged in running battles': the subject and its conjunct are the
    sides (a riot); 'youths engaged police in battles': the subject and the object."""
    import datetime as dt

    from eventscribe.pipeline import extract_text

    day = dt.date(2021, 5, 4)
    (riot,) = [e for e in extract_text("Police and protesters engaged in running battles in the town.",
                                       published=day) if not e.hypothetical]
    assert (riot.type, riot.mode) == ("PROTEST", "riot")
    (fight,) = [e for e in extract_text("Youths engaged police in running battles in the town.",
                                        published=day) if not e.hypothetical]
    assert (fight.actor.sector, fight.target.sector) == ("CVL", "COP")
    assert fight.acled.event_type == "Riots"


def test_an_adjective_that_is_a_party_only_as_a_noun_names_no_party():
    (ev,) = _events("Dock workers staged a general strike across the country on Monday.", "PROTEST")
    assert ev.target is None or ev.target.sector != "MIL"


def test_a_phrase_whose_reading_comes_back_to_itself_names_no_one_and_does_not_recurse():
    """A relative clause whose subject leads back, through "they", to the phrase it modifies
    (lower-cased wire text) once recursed without end and lost the whole document."""
    import datetime as dt

    from eventscribe.pipeline import extract_text

    text = ("the researcher says most of the marchers in the 2010 riots in the city whom interviewed "
            "told her that they were jobless. Police arrested 12 people in the city on Monday.")
    events = extract_text(text, published=dt.date(2011, 5, 4))
    assert any(e.type == "COERCE" for e in events)
