"""The trigger lexicon (data/triggers.yaml): which word reports which PLOVER root, in which company.

Sentences are our own; each checks one general reading rule of the lexicon, so a failing
case names the entry (or veto) that broke.
"""

import pytest
import yaml
from importlib import resources

from eventscribe.mapping import modes_by_type, normalize_mode
from eventscribe.nlp import parse
from eventscribe.triggers import lexicon


def found(sentence):
    doc = next(parse([sentence]))
    return {(doc[m.start:m.end].text, m.type) for m in lexicon().match(doc[:])}


def types(sentence):
    return {t for _, t in found(sentence)}


@pytest.mark.parametrize("sentence, trigger, type_", [
    ("Gunmen gunned down a village chief outside his home on Sunday.", "gunned down", "ASSAULT"),
    ("Government troops recaptured the town after two days of fighting.", "recaptured", "ASSAULT"),
    ("The army said it had repelled an attack on its base near the border.", "repelled", "ASSAULT"),
    ("Three soldiers were killed by an improvised explosive device on the highway.", "explosive device", "ASSAULT"),
    ("Angry depositors set fire to a bank branch in the city centre.", "set fire", "PROTEST"),
    ("The foreign ministry summoned the ambassador over the remarks.", "summoned", "ACCUSE"),
    ("The government lodged a formal protest with its neighbour.", "protest", "ACCUSE"),
    ("The two countries agreed to restore diplomatic ties next month.", "restore", "SUPPORT"),
    ("The minister apologised to the families of the victims.", "apologised", "SUPPORT"),
    ("Donors pledged 40 million dollars for the flood response.", "pledged", "AGREE"),
    ("The rebel leader offered to negotiate with the government.", "offered", "AGREE"),
    ("The authorities lifted the curfew in the capital on Friday.", "lifted", "RETREAT"),
    ("The government scrapped the planned fuel tax after a week of protests.", "scrapped", "CONCEDE"),
    ("The truckers' union called off the strike on Thursday.", "called off", "CONCEDE"),
    ("The country closed its border crossing with its neighbour on Monday.", "closed", "SANCTION"),
    ("The government expelled two hundred migrants on Tuesday.", "expelled", "COERCE"),
    ("The government expelled two diplomats on Tuesday.", "expelled", "SANCTION"),
    ("The minister cancelled her visit to the capital.", "cancelled", "SANCTION"),
    ("North Korea fired two ballistic missiles into the sea on Thursday.", "fired", "MOBILIZE"),
    ("The two navies resumed sharing radar data on missile launches.", "sharing", "COOPERATE"),
    ("India supplied diesel to its neighbour under a credit line.", "supplied", "AID"),
    ("The president telephoned his counterpart on Tuesday.", "telephoned", "CONSULT"),
    # plv: wire-style readings (PLOVER 2021 / CAMEO codebook categories)
    ("The junta released the detained opposition leaders on Monday.", "released", "RETREAT"),
    ("The authorities let free some forty political prisoners.", "let free", "RETREAT"),
    ("The museum returned the looted sculptures to the temple.", "returned", "RETREAT"),
    ("The two armies announced a three-day cease-fire.", "cease-fire", "RETREAT"),
    ("The governor granted a full pardon to the jailed activist.", "pardon", "CONCEDE"),
    ("The tribunal granted the opposition permission to hold a rally.", "granted", "CONCEDE"),
    ("The union lifted its boycott of the state broadcaster.", "lifted", "RETREAT"),
    ("The republic lowered tariffs on imported grain.", "lowered", "RETREAT"),
    ("The ministry provided $30 million in assistance to the flooded provinces.", "provided", "AID"),
    ("The agency gave two million dollars to the farmers of the region.", "gave", "AID"),
    ("The rebels said they would hand over their weapons to the monitors.", "hand over", "RETREAT"),
    ("The country sent two hundred peacekeepers to the island.", "sent", "AID"),
    ("Prosecutors filed new charges against the former mayor.", "charges", "ACCUSE"),
    ("A court found the former minister guilty of fraud.", "guilty", "ACCUSE"),
    ("The commission launched legal action against the member state.", "legal action", "ACCUSE"),
    ("The high court dismissed the petition filed by the opposition.", "dismissed", "REJECT"),
    ("The minister declined the invitation to the summit.", "declined", "REJECT"),
    ("The appeals court quashed the detention orders.", "quashed", "REJECT"),
    ("The police pressured the strikers to return to work.", "pressured", "REQUEST"),
    ("Thousands of villagers sought refuge across the border.", "sought", "REQUEST"),
    ("The council gave the company a thirty-day deadline to clear the site.", "deadline", "THREATEN"),
    ("The two governments signed a treaty on fishing rights.", "signed", "SUPPORT"),
    ("The two navies began joint naval exercises in the gulf.", "exercises", "COOPERATE"),
    ("Foreign instructors trained the country's pilots to fly the new jets.", "trained", "COOPERATE"),
    ("The prosecutor issued an arrest warrant for the tycoon.", "arrest warrant", "COERCE"),
    ("The president declared a state of siege in the province.", "state of siege", "COERCE"),
    ("The militants used the villagers as human shields.", "human shields", "ASSAULT"),
    ("The government expelled twenty aid workers.", "expelled", "SANCTION"),
    ("The alliance withdrew its peacekeepers from the buffer zone.", "withdrew", "SANCTION"),
    ("The border units remained on alert after the incident.", "on alert", "MOBILIZE"),
    ("The island state agreed to accept two hundred refugees from the camps.", "accept", "AID"),
    ("The dockworkers voted to end their strike after nine days.", "end their strike", "CONCEDE"),
    ("The rebels denied attacking the camp.", "denied", "REJECT"),  # a denial is a REJECT (deny)
])
def test_reading(sentence, trigger, type_):
    assert (trigger, type_) in found(sentence)


@pytest.mark.parametrize("sentence, not_type", [
    ("A powerful typhoon struck the islands on Monday.", "ASSAULT"),
    ("Their young winger led the attack in the second half.", "ASSAULT"),
    ("Forecasters warned that heavy rain could cause landslides.", "THREATEN"),
    ("Business groups warned that prices will rise next year.", "THREATEN"),
    ("The company said it was in talks with several phone makers.", "CONSULT"),
    ("The airport suspended flights because of the storm.", "SANCTION"),
    ("Police found and defused an improvised explosive device near the market.", "ASSAULT"),
    ("Mourners gathered for the funeral of the singer.", "PROTEST"),
    ("The senator blasted the decision as reckless.", "ASSAULT"),
    ("Hundreds of people attended the campaign rally in the capital.", "PROTEST"),
    ("The band released a new album and a video on Friday.", "RETREAT"),
    ("The spokesman declined to comment on the report.", "REJECT"),
    ("Sales declined to their lowest level in a decade.", "REJECT"),
    ("The startup provided $5 million to its investors.", "AID"),
    ("Applicants must meet the deadline set for submissions.", "THREATEN"),
    ("Analysts called it an attempt to pressure the neighbours into talks.", "REQUEST"),
    ("She trains her dog every morning in the park.", "COOPERATE"),
    ("Police said the blockade ended peacefully in the afternoon.", "CONCEDE"),
])
def test_veto_or_missing_context_stops_a_reading(sentence, not_type):
    assert not_type not in types(sentence)


def test_protesters_demands_are_part_of_the_protest():
    assert "REQUEST" not in types("Thousands of farmers marched through the capital, demanding higher prices.")
    assert "REQUEST" in types("The minister demanded the release of the detained journalists.")


def test_yaml_word_lists_hold_only_strings():
    """YAML 1.1 reads bare on/off/yes/no as booleans: such words must be quoted."""
    data = yaml.safe_load(resources.files("eventscribe.data").joinpath("triggers.yaml").read_text())
    for entry in data["triggers"]:
        for key in ("context", "veto", "forms"):
            assert all(isinstance(w, str) for w in entry.get(key) or ()), entry


def test_modes_belong_to_the_mode_vocabulary():
    data = yaml.safe_load(resources.files("eventscribe.data").joinpath("triggers.yaml").read_text())
    vocab = modes_by_type()
    for entry in data["triggers"]:
        if entry.get("mode"):
            assert normalize_mode(entry["mode"]) in vocab[entry["type"]], entry
    for type_, cues in data["mode_cues"].items():
        for mode in cues:
            assert normalize_mode(mode) in vocab[type_], (type_, mode)
