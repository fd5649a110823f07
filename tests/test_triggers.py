import pytest

from eventscribe.nlp import parse
from eventscribe.triggers import inflections, lexicon


def triggers(sentence):
    doc = next(parse([sentence]))
    return [(doc[m.start:m.end].text, m.type, m.entry.mode) for m in lexicon().match(doc[:])]


def test_irregular_and_regular_forms_pass_the_prefilter():
    lex = lexicon()
    for words in (["struck"], ["shelled"], ["airstrikes"], ["detained"], ["withdrew"], ["opened", "fire"]):
        assert lex.may_hold_event(words), words
    assert not lex.may_hold_event(["the", "weather", "was", "fine"])


def test_prefilter_needs_the_context_of_context_bound_words():
    lex = lexicon()
    assert lex.may_hold_event("the army sent troops to the border".split())
    assert not lex.may_hold_event("she sent a letter to her mother".split())
    assert not lex.may_hold_event("the shop opened on monday".split())


def test_prefilter_needs_every_word_of_a_phrase_trigger():
    """ "on alert" with its context words: "police ... on" alone is no reason to parse."""
    lex = lexicon()
    assert lex.may_hold_event("troops were put on alert near the border".split())
    assert not lex.may_hold_event("police in the city relied on volunteers for the count".split())


def test_inflections_cover_consonant_doubling():
    assert {"banned", "banning", "bans"} <= inflections("ban", frozenset({"VERB"}))


@pytest.mark.parametrize("sentence, expected", [
    ("Warplanes struck the village overnight.", ("struck", "ASSAULT")),
    ("Teachers went on strike over unpaid wages.", ("went on strike", "PROTEST")),
    ("Gunmen opened fire on a bus.", ("opened fire", "ASSAULT")),
    ("Police arrested twelve people.", ("arrested", "COERCE")),
    ("The two leaders agreed to resume talks.", ("agreed", "AGREE")),
])
def test_trigger_types(sentence, expected):
    found = [(text, type_) for text, type_, _ in triggers(sentence)]
    assert expected in found


def test_context_words_veto_a_reading():
    assert not [t for t in triggers("She suffered a heart attack at home.") if t[1] == "ASSAULT"]
    assert not [t for t in triggers("The company fired its chief executive.") if t[1] == "ASSAULT"]


@pytest.mark.parametrize("sentence, word", [
    ("Peak demand for the new console is expected in December.", "demand"),
    ("Arrive before nine to beat the crowds at the museum.", "beat"),
    ("The hospital deployed antivirus software on every computer.", "deployed"),
    ("The bank deployed a new firewall and a patch for its servers.", "deployed"),
    ("The company's results demonstrate strong growth in sales.", "demonstrate"),
    ("The chef gave a cooking demonstration at the fair.", "demonstration"),
    ("In the game, a bandit attacks you when you leave the village.", "attacks"),
    ("The player must kill the bandit leader to finish the quest.", "kill"),
    ("The malware attacks computers that run old versions of the browser.", "attacks"),
    ("Phishing attacks on users rose sharply last year.", "attacks"),
    ("Some phone makers kill the app when it runs in the background.", "kill"),
    ("Frost will kill the plant if you leave it outside.", "kill"),
    ("The space probe sent back pictures of the outer planets.", "probe"),
    ("The river meets the sea a few miles south of the town.", "meets"),
    ("The browser warns you about each site you visit.", "visit"),
    ("As discussed above, the method needs two passes.", "discussed"),
    ("The library supports every version of the operating system.", "supports"),
    ("The shop offers a money-back guarantee on every purchase.", "offers"),
    ("The station is accessible for passengers with mobility aids.", "aids"),
    ("Over the years, threats on the web have grown more sophisticated.", "threats"),
    ("A shopkeeper, who asked not to be named, said the market stayed shut.", "asked"),
    ("One driver, who asked for anonymity, said the road was closed.", "asked"),
    ("A nurse, speaking by telephone, said the ward was full.", "speaking by telephone"),
])
def test_everyday_readings_of_event_words_are_no_events(sentence, word):
    assert not [t for t in triggers(sentence) if t[0] == word]


@pytest.mark.parametrize("sentence, expected", [
    ("Striking teachers marched to the ministry.", ("Striking", "PROTEST")),
    ("Workers at the car plant struck for a second day.", ("struck", "PROTEST")),
    ("A strike by nurses closed hospitals across the country.", ("strike", "PROTEST")),
    ("A drone strike killed the driver of the car.", ("strike", "ASSAULT")),
    ("The strike on the hospital killed two doctors and a nurse.", ("strike", "ASSAULT")),
    ("Police beat the crowd with batons outside parliament.", ("beat", "ASSAULT")),
    ("Soldiers beat detainees at the camp.", ("beat", "ASSAULT")),
    ("Army engineers were deployed to rebuild the bridge.", ("deployed", "MOBILIZE")),
    ("Thousands demonstrated against the election result.", ("demonstrated", "PROTEST")),
    ("Police fired live rounds at the demonstration.", ("demonstration", "PROTEST")),
    ("Bandits attacked a village in the north, killing six people.", ("attacked", "ASSAULT")),
    ("Rebels attacked the town during a football game.", ("attacked", "ASSAULT")),
    ("Gunmen killed a former football player outside his home.", ("killed", "ASSAULT")),
])
def test_workers_strikes_are_protests_and_the_political_readings_stay(sentence, expected):
    assert expected in [(text, type_) for text, type_, _ in triggers(sentence)]


@pytest.mark.parametrize("sentence, word", [
    ("Rival clans clashed over grazing land near the river.", "clashed"),
    ("Fighting between the two militias went on all night.", "Fighting"),
])
def test_fighting_between_two_sides_has_the_clash_mode(sentence, word):
    assert (word, "ASSAULT", "clash") in triggers(sentence)


@pytest.mark.parametrize("sentence, word", [
    ("Two herders died in a shootout with cattle thieves.", "shootout"),
    ("Soldiers and smugglers exchanged fire near the river crossing.", "exchanged fire"),
    ("A gun battle broke out between bandits and the police.", "gun battle"),
])
def test_an_exchange_of_fire_is_a_firefight(sentence, word):
    """Both sides shoot: a firefight, of the firearms family (a coder's firearms still matches)."""
    assert (word, "ASSAULT", "firefight") in triggers(sentence)


@pytest.mark.parametrize("sentence, word, expected", [
    ("Fierce battles raged between the army and the insurgents for three days.", "battles", "ASSAULT"),
    ("The family lost a long legal battle over the farm.", "battle", None),
    ("She has fought a brave battle with cancer.", "battle", None),
    ("A mob burned down the chief's house after the funeral.", "burned down", "ASSAULT"),
    ("Youths burnt two buses and a police post.", "burnt", "ASSAULT"),
    ("Brisk walking burns more calories than you think.", "burns", None),
    ("Rival supporters threw stones at each other outside the hall.", "threw", "ASSAULT"),
    ("Villagers pelted the convoy with rocks.", "pelted", "ASSAULT"),
    ("Rioting spread to three more towns overnight.", "Rioting", "PROTEST"),
])
def test_violence_of_crowds_and_fighting_words(sentence, word, expected):
    got = {text: type_ for text, type_, _ in triggers(sentence)}
    assert got.get(word) == expected, got


@pytest.mark.parametrize("sentence, word, mode", [
    ("Traders barricaded the main road with logs.", "barricaded", "barricade"),
    ("Motorcycle taxi riders blocked the highway for two hours.", "blocked", "obstruct"),
    ("Farmers blocked the entrance to the ministry.", "blocked", "obstruct"),
])
def test_a_road_closed_with_barricades_is_a_road_block(sentence, word, mode):
    assert (word, "PROTEST", mode) in triggers(sentence)


@pytest.mark.parametrize("sentence, word, type_", [
    ("The minister promised swift retribution against the kidnappers.", "promised", "THREATEN"),
    ("Donors promised new funding for the clinics.", "promised", "AGREE"),
    ("Insurgents captured several hilltop posts overnight.", "captured", "ASSAULT"),
    ("The two sides agreed to a truce brokered by Oman.", "truce", "AGREE"),
])
def test_the_words_around_a_trigger_choose_its_reading(sentence, word, type_):
    found = {(w, t) for w, t, _ in triggers(sentence)}
    assert (word, type_) in found, found


@pytest.mark.parametrize("sentence, word", [
    ("One resident, who refused to give his name, described the scene.", "refused"),
    ("The crackdown is raising the threat of wider unrest.", "threat"),
    ("Unions called for a nationwide shutdown on Thursday.", "called for"),
])
def test_no_event_in_these_readings(sentence, word):
    assert word not in {w for w, _, _ in triggers(sentence)}


def test_a_mine_or_roadside_bomb_that_hits_is_an_attack():
    found = triggers("A landmine hit an army truck on the road to the market.")
    assert ("hit", "ASSAULT") in [(t, ty) for t, ty, _ in found]
    assert not [t for t in triggers("The new song hit the top of the charts.") if t[1] == "ASSAULT"]


def test_a_capitalised_plural_counts_as_its_singular_in_context():
    assert ("released", "RETREAT") in {(w, t) for w, t, _ in triggers("After long talks the rebels released six Christians and a priest.")}


def test_the_release_of_a_person_is_a_release_but_not_of_a_product():
    assert ("release", "RETREAT") in {(w, t) for w, t, _ in triggers("A judge ordered the release of the detained blogger.")}
    assert "release" not in {w for w, _, _ in triggers("The firm announced the release of its new tablet.")}


@pytest.mark.parametrize("sentence, word, type_", [
    ("The envoy pressed hard for a prisoner exchange.", "pressed hard for", "REQUEST"),
    ("The customs service returned the stolen icons to the monastery.", "returned", "RETREAT"),
    ("The court ordered the prosecution of two former ministers.", "prosecution", "ACCUSE"),
    ("The junta reinstated the dismissed judges on Monday.", "reinstated", "CONCEDE"),
    ("The rebels allowed aid convoys into the besieged town.", "allowed", "RETREAT"),
    ("The republic awarded its highest order to the retiring envoy.", "awarded", "SUPPORT"),
    ("The island opened its ports to refugees from the war.", "opened", "AID"),
    ("The president called his counterpart on Sunday.", "called", "CONSULT"),
])
def test_families_of_event_words(sentence, word, type_):
    assert (word, type_) in [(text, t) for text, t, _ in triggers(sentence)]


@pytest.mark.parametrize("sentence, word", [
    ("The ambassador returned to the capital on Monday.", "returned"),
    ("The troops returned fire after the ambush.", "returned"),
    ("The president called a snap election for June.", "called"),
    ("She felt a sense of relief after the exam.", "relief"),
])
def test_no_event_in_the_other_readings_of_those_words(sentence, word):
    assert word not in [text for text, t, _ in triggers(sentence) if t in ("RETREAT", "ASSAULT", "CONSULT", "AID")]


@pytest.mark.parametrize("sentence, expected", [
    ("The convoy came under heavy artillery fire near the river crossing.", ("artillery fire", "ASSAULT", "shelling")),
    ("Residents fled as mortar fire hit the market.", ("mortar fire", "ASSAULT", "shelling")),
    ("The foreign ministry expressed deep concern over the detention of the reporters.",
     ("deep concern", "ACCUSE", "disapprove")),
    ("The council said it was deeply concerned by the crackdown on students.",
     ("deeply concerned", "ACCUSE", "disapprove")),
    ("The envoy said Britain was gravely concerned by the mass arrests.", ("gravely concerned", "ACCUSE", "disapprove")),
    ("Brussels voiced serious concern over the closure of the newspaper.", ("serious concern", "ACCUSE", "disapprove")),
])
def test_nominal_shelling_and_stated_concern(sentence, expected):
    """Heavy weapons named with 'fire' are shelling; an official's stated concern is disapproval."""
    assert expected in triggers(sentence)


@pytest.mark.parametrize("sentence", [
    "The new strategy game lets the player call in artillery fire on enemy tanks.",
    "I am deeply concerned about my exam results next week.",
    "Parents were deeply concerned, and the teacher called them twice.",
    "The vet said he was seriously concerned about the health of our cat.",
])
def test_play_and_private_worry_are_no_event(sentence):
    assert not [t for t in triggers(sentence) if t[1] in ("ASSAULT", "ACCUSE")]


def test_a_call_between_parties_is_a_consultation():
    found = [(t, ty) for t, ty, _ in triggers("The prime minister spoke by phone with her Japanese counterpart.")]
    assert ("spoke by phone", "CONSULT") in found


def test_money_or_means_called_support_or_funding_is_aid():
    from eventscribe.pipeline import extract_text
    types = {e.type for e in extract_text("Norway provided $30 million in budget support to Somalia's government on Monday.")}
    assert "AID" in types
    types = {e.type for e in extract_text("The health ministry received emergency funding from the World Bank last week.")}
    assert "AID" in types
    # support declared is still SUPPORT, and a start-up's funding round is business
    assert "AID" not in {e.type for e in extract_text("France expressed strong support for the talks in Geneva.")}
    assert not extract_text("The start-up received funding from investors in a seed round.")


@pytest.mark.parametrize("sentence, word, type_", [
    ("A court in Lyon ordered the retrial of the former mayor.", "retrial", "ACCUSE"),
    ("The general went on trial for war crimes in The Hague.", "trial", "ACCUSE"),
    ("The governor lashed out at the ministry over the delays.", "lashed out", "ACCUSE"),
    ("The minister hit out at the unions over the stoppage.", "hit out", "ACCUSE"),
    ("The auditor faulted the agency for its slow response.", "faulted", "ACCUSE"),
    ("The president ruled out talks with the armed groups.", "ruled out", "REJECT"),
    ("The king had lunch with the Spanish prime minister in Madrid.", "lunch", "CONSULT"),
    ("The chancellor spoke with her Italian counterpart about the crisis.", "spoke", "CONSULT"),
    ("Kenya said it would boycott the regional summit in Kigali.", "boycott", "PROTEST"),
    ("The board revoked the decision to close the border post.", "revoked", "CONCEDE"),
    ("The governor commuted the death sentence of the prisoner.", "commuted", "CONCEDE"),
    ("The junta handed over power to a civilian government.", "handed over", "CONCEDE"),
    ("Norway contributed $20 million to the relief fund.", "contributed", "AID"),
    ("The two countries broke off diplomatic relations in 2017.", "broke off", "SANCTION"),
    ("The regime cracked down on student groups.", "cracked down", "COERCE"),
])
def test_more_words_of_the_plover_roots(sentence, word, type_):
    assert any(text == word and t == type_ for text, t, _ in triggers(sentence)), triggers(sentence)


@pytest.mark.parametrize("sentence, word", [
    ("The spokesman spoke with reporters outside the ministry.", "spoke"),
    ("The police handed over the suspect to the Ecuadorian authorities.", "handed over"),
    ("The drug trial ended early after promising results.", "trial"),
    ("The start-up was funded by venture investors in a seed round.", "funded"),
])
def test_the_new_words_keep_their_other_senses_out(sentence, word):
    assert not any(text == word and t in ("CONSULT", "CONCEDE", "ACCUSE", "AID") for text, t, _ in triggers(sentence)), \
        triggers(sentence)


@pytest.mark.parametrize("sentence, word, type_", [
    ("The opposition called a nationwide hartal against the fuel price hike.", "hartal", "PROTEST"),
    ("The junta suppressed the student protests with live fire.", "suppressed", "COERCE"),
    ("The court dissolved the main opposition party on Friday.", "dissolved", "COERCE"),
    ("Customs officers impounded the cargo at the port.", "impounded", "COERCE"),
    ("The coastguard intercepted a vessel carrying weapons.", "intercepted", "COERCE"),
    ("The militia tried to intimidate voters in the east.", "intimidate", "THREATEN"),
    ("The ombudsman questioned the legitimacy of the vote.", "questioned", "ACCUSE"),
    ("The council repudiated the agreement signed by its predecessor.", "repudiated", "REJECT"),
    ("Two members of the council blocked the resolution on the ceasefire.", "blocked", "REJECT"),
    ("The rebels ignored the ultimatum to leave the town.", "ignored", "REJECT"),
    ("The families implored the president to intervene.", "implored", "REQUEST"),
    ("The minority accepted the proposal of the mediators.", "accepted", "AGREE"),
    ("The premier expressed his full solidarity with the flood victims.", "solidarity", "SUPPORT"),
    ("The minister lauded the work of the aid agencies.", "lauded", "SUPPORT"),
    ("The government bowed to pressure and dropped the tax.", "bowed to", "CONCEDE"),
    ("The general relinquished control of the capital to the council.", "relinquished", "CONCEDE"),
    ("The state abandoned its plan to build the dam.", "abandoned", "CONCEDE"),
    ("The militia disbanded its armed wing in June.", "disbanded", "RETREAT"),
    ("The two agencies teamed up to track the smugglers.", "teamed up", "COOPERATE"),
    ("The navy airlifted food to the stranded villages.", "airlifted", "AID"),
    ("The bank extended a loan of $50 million to Ghana.", "extended", "AID"),
    ("Germany took in thousands of refugees in 2015.", "took in", "AID"),
])
def test_still_more_words_of_the_plover_roots(sentence, word, type_):
    assert any(text == word and t == type_ for text, t, _ in triggers(sentence)), triggers(sentence)


@pytest.mark.parametrize("sentence, word", [
    ("The price of bread could intimidate shoppers.", "intimidate"),
    ("Police questioned the suspect for six hours.", "questioned"),
    ("The bond yielded four percent last year.", "yielded"),
    ("The committee allocated seats to the new members.", "allocated"),
])
def test_the_newest_words_keep_their_other_senses_out(sentence, word):
    assert not any(text == word for text, _, _ in triggers(sentence)), triggers(sentence)


def test_prefilter_takes_every_form_of_a_phrase_word():
    """A sentence whose only trigger is a phrase with an inflected later word ("cut ties",
    "human shields", "war games") must still be parsed."""
    lex = lexicon()
    assert lex.may_hold_event("the two states cut ties last year".split())
    assert lex.may_hold_event("the gunmen used villagers as human shields".split())
    assert lex.may_hold_event("the navies launch war games today".split())


@pytest.mark.parametrize("sentence, word, type_", [
    ("Thousands chanted slogans against the junta outside parliament.", "chanted", "PROTEST"),
    ("The ministry expressed its outrage at the shelling of the embassy.", "outrage", "ACCUSE"),
    ("The premier brushed aside calls for his resignation.", "brushed aside", "REJECT"),
    ("The envoy insisted on the release of the crew.", "insisted", "REQUEST"),
    ("The rebels expressed their willingness to resume talks.", "willingness", "AGREE"),
    ("The two ministers exchanged views on the border dispute.", "exchanged views", "CONSULT"),
    ("The government backtracked on the fuel tax.", "backtracked", "CONCEDE"),
    ("The regulator restored internet access in the region.", "restored", "CONCEDE"),
    ("The army halted its offensive on the city for a week.", "halted", "RETREAT"),
    ("The army declared a cessation of hostilities for the holiday.", "cessation of hostilities", "RETREAT"),
    ("The envoys brokered a cessation of hostilities in the valley.", "cessation of hostilities", "AGREE"),
    ("The fighters handed in their weapons at the camp.", "handed in", "RETREAT"),
    ("The board terminated the cooperation agreement with the agency.", "terminated", "SANCTION"),
    ("Police beefed up security around the parliament.", "beefed up", "MOBILIZE"),
    ("The air force scrambled jets to meet the bombers.", "scrambled", "MOBILIZE"),
])
def test_a_fourth_round_of_plover_words(sentence, word, type_):
    assert any(text == word and t == type_ for text, t, _ in triggers(sentence)), triggers(sentence)


@pytest.mark.parametrize("sentence, word", [
    ("The army halted the rebel advance at the river.", "halted"),
    ("The monks chanted prayers at dawn.", "chanted"),
])
def test_stopping_the_other_side_or_chanting_prayers_is_neither(sentence, word):
    assert not any(text == word and t in ("RETREAT", "PROTEST") for text, t, _ in triggers(sentence)), triggers(sentence)
