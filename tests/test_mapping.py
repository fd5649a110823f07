"""The PLOVER <-> CAMEO / ACLED crosswalks."""

import pytest

from eventscribe.mapping import (
    acled_type,
    acled_types,
    cameo_root,
    mode_matches,
    modes_by_type,
    normalize_mode,
    normalize_type,
    plover_from_cameo,
)
from eventscribe.model import PLOVER_TYPES


def test_every_plover_type_has_modes_and_a_cameo_root():
    modes = modes_by_type()
    assert set(modes) == set(PLOVER_TYPES)
    for type_ in PLOVER_TYPES:
        root = cameo_root(type_)
        assert root is not None and 1 <= int(root) <= 20, type_
        for mode in modes[type_]:
            assert 1 <= int(cameo_root(type_, mode)) <= 20


@pytest.mark.parametrize(
    ("type_", "mode", "root"),
    [
        ("ASSAULT", "aerial", "19"),
        ("ASSAULT", "firearms", "19"),
        ("ASSAULT", "explosives", "18"),
        ("ASSAULT", "abduct", "18"),
        ("ASSAULT", "massacre", "20"),
        ("ASSAULT", None, "18"),
        ("COERCE", "arrest", "17"),
        ("COERCE", "occupy", "19"),
        ("ACCUSE", "investigate", "09"),
        ("ACCUSE", "disapprove", "11"),
        ("PROTEST", "riot", "14"),
        ("REQUEST", None, "10"),
        ("FIGHT", None, "18"),  # PLOVER 0.5b1 name
        ("DISAPPROVE", None, "11"),
        ("INVESTIGATE", None, "09"),
    ],
)
def test_cameo_root(type_, mode, root):
    assert cameo_root(type_, mode) == root


def test_unknown_type_has_no_cameo_root():
    assert cameo_root("DANCE") is None


def test_mode_aliases_and_old_type_names():
    assert normalize_mode("Kidnap") == "abduct"
    assert normalize_mode("suicide_attack") == "suicide"
    assert normalize_mode("") is None
    assert normalize_type("DEMAND") == ("REQUEST", None)
    assert normalize_type("DISAPPROVE") == ("ACCUSE", "disapprove")
    assert normalize_type("DISAPPROVE", "allege") == ("ACCUSE", "allege")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("ASSAULT", "aerial"), ("Explosions/Remote violence", "Air/drone strike")),
        (("ASSAULT", "drone", "MIL", "REB"), ("Explosions/Remote violence", "Air/drone strike")),
        (("ASSAULT", "shelling", "MIL", "CVL"),
         ("Explosions/Remote violence", "Shelling/artillery/missile attack")),
        (("ASSAULT", "explosives", "REB", "CVL"),
         ("Explosions/Remote violence", "Remote explosive/landmine/IED")),
        (("ASSAULT", "suicide-attack", "REB", "MIL"), ("Explosions/Remote violence", "Suicide bomb")),
        (("ASSAULT", "firearms", "REB", "MIL"), ("Battles", "Armed clash")),
        (("ASSAULT", "firearms", "COP", "REB"), ("Battles", "Armed clash")),
        (("ASSAULT", "firearms", "REB", "CVL"), ("Violence against civilians", "Attack")),
        (("ASSAULT", "beat", "COP", "OPP"), ("Violence against civilians", "Attack")),
        (("ASSAULT", "kidnap", "REB", "CVL"),
         ("Violence against civilians", "Abduction/forced disappearance")),
        (("ASSAULT", "sexual", "MIL", "CVL"), ("Violence against civilians", "Sexual violence")),
        # soldiers or police taken in an attack: a battle, not an abduction of civilians
        (("ASSAULT", "kidnap", "REB", "MIL"), ("Battles", "Armed clash")),
        (("ASSAULT", "kidnap", None, "COP"), ("Battles", "Armed clash")),
        (("PROTEST", "demonstration"), ("Protests", "Peaceful protest")),
        (("PROTEST", None), ("Protests", "Peaceful protest")),
        (("PROTEST", "riot"), ("Riots", "Violent demonstration")),
        (("PROTEST", "mob"), ("Riots", "Mob violence")),
        # a crowd, villagers or party supporters hitting someone: rioters, not an armed attack
        (("ASSAULT", "beat", "CVL", "CVL"), ("Riots", "Mob violence")),
        (("ASSAULT", None, "POL", "POL"), ("Riots", "Mob violence")),
        (("ASSAULT", "firearms", "CVL", "COP"), ("Riots", "Mob violence")),
        # crude bombs thrown by party activists or villagers: rioters; by rebels: remote violence
        (("ASSAULT", "explosives", "POL", "POL"), ("Riots", "Mob violence")),
        (("ASSAULT", "explosives", "REB", "POL"), ("Explosions/Remote violence", "Remote explosive/landmine/IED")),
        # property destroyed by a crowd or unknown people is mob violence, by soldiers a development
        (("ASSAULT", "destroy", None, None), ("Riots", "Mob violence")),
        (("ASSAULT", "destroy", "MIL", None), ("Strategic developments", "Looting/property destruction")),
        # an armed group attacking soldiers or police is a battle, whatever the weapon word
        (("ASSAULT", None, "REB", "MIL"), ("Battles", "Armed clash")),
        (("ASSAULT", None, "UNK", "COP"), ("Battles", "Armed clash")),
        (("ASSAULT", "shelling", "REB", "MIL"), ("Explosions/Remote violence", "Shelling/artillery/missile attack")),
        # two sides fighting each other: an armed clash even when the text names neither side
        # ("a shootout left three dead") or only one armed side ("police clashed with raiders")
        (("ASSAULT", "clash", None, None), ("Battles", "Armed clash")),
        (("ASSAULT", "clash", "COP", None), ("Battles", "Armed clash")),
        (("ASSAULT", "clash", "REB", "REB"), ("Battles", "Armed clash")),
        # ... but villagers, party supporters or students fighting (each other or the police)
        # are rioters, and so are the people hurt in such a brawl
        (("ASSAULT", "clash", "POL", "POL"), ("Riots", "Mob violence")),
        (("ASSAULT", "clash", None, "CVL"), ("Riots", "Mob violence")),
        (("ASSAULT", "clash", "COP", "CVL"), ("Riots", "Mob violence")),
        # an exchange of fire has two armed sides, whoever the text names
        (("ASSAULT", "firefight", None, "CVL"), ("Battles", "Armed clash")),
        (("ASSAULT", "firefight", "CVL", None), ("Battles", "Armed clash")),
        # a road blocked with barricades or burning tyres: ACLED's violent demonstration
        (("PROTEST", "barricade"), ("Riots", "Violent demonstration")),
        (("PROTEST", "obstruct"), ("Protests", "Peaceful protest")),
        (("COERCE", "arrest", "COP", "OPP"), ("Strategic developments", "Arrests")),
        (("COERCE", "occupy", "REB"), ("Battles", "Non-state actor overtakes territory")),
        (("COERCE", "occupy", "MIL"), ("Battles", "Government regains territory")),
        (("AGREE", None), ("Strategic developments", "Agreement")),
        (("MOBILIZE", "base"), ("Strategic developments", "Headquarters or base established")),
        (("MOBILIZE", "troops"), ("Strategic developments", "Change to group/activity")),
        (("RETREAT", "withdraw"), ("Strategic developments", "Non-violent transfer of territory")),
    ],
)
def test_acled_type(args, expected):
    got = acled_type(*args)
    assert got is not None
    assert (got.event_type, got.sub_event_type) == expected


@pytest.mark.parametrize("type_", ["ACCUSE", "THREATEN", "REQUEST", "CONSULT", "SANCTION", "AID"])
def test_verbal_and_diplomatic_types_are_not_acled_events(type_):
    assert acled_type(type_, None, "GOV", "GOV") is None


def test_acled_types_lists_distinct_pairs():
    pairs = [(a.event_type, a.sub_event_type) for a in acled_types()]
    assert len(pairs) == len(set(pairs))
    assert ("Battles", "Armed clash") in pairs


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("173", ("COERCE", "arrest")),
        ("1831", ("ASSAULT", "suicide")),
        ("183", ("ASSAULT", "explosives")),
        ("190", ("ASSAULT", None)),
        ("195", ("ASSAULT", "aerial")),
        ("192", ("COERCE", "occupy")),
        ("0874", ("RETREAT", "surrender")),
        ("081", ("CONCEDE", None)),
        ("036", ("AGREE", None)),
        ("020", ("REQUEST", None)),
        ("112", ("ACCUSE", "allege")),
        ("010", (None, None)),  # public statement: not a PLOVER event
        ("212", (None, None)),  # WEIS-style code from PETRARCH test dictionaries
    ],
)
def test_plover_from_cameo(code, expected):
    assert plover_from_cameo(code) == expected


def test_cameo_round_trip_keeps_the_root_for_most_codes():
    """Coding a CAMEO code into PLOVER and back lands on the same root, except where PLOVER
    merges roots (02 appeal -> REQUEST -> 10, 03 intent -> AGREE stays, 08 splits)."""
    for code in ["03", "04", "05", "06", "07", "09", "10", "11", "12", "13", "14", "15", "16",
                 "173", "181", "193", "203"]:
        type_, mode = plover_from_cameo(code)
        assert cameo_root(type_, mode) == code[:2], code


def test_mode_families_accept_finer_predicted_modes():
    assert mode_matches("heavy-weapons", "shelling")
    assert mode_matches("demo", "demonstration")
    assert mode_matches("suicide-attack", "suicide")
    assert not mode_matches("shelling", "heavy-weapons")  # less specific than the gold
    assert not mode_matches("firearms", None)


def test_modes_the_trigger_lexicon_emits_are_in_the_vocabulary():
    """Every (type, mode) in data/triggers.yaml is a known mode, so the crosswalks see it."""
    from importlib import resources

    import yaml

    modes = modes_by_type()
    text = resources.files("eventscribe").joinpath("data/triggers.yaml").read_text("utf-8")
    found: set[tuple[str, str]] = set()

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") in modes and node.get("mode"):
                found.add((node["type"], node["mode"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(yaml.safe_load(text))
    assert found, "no typed modes found in triggers.yaml"
    unknown = sorted((t, m) for t, m in found if normalize_mode(m) not in modes[t])
    assert unknown == []


def test_rules_can_say_acled_codes_nothing():
    assert acled_type("MOBILIZE", "exercise") is None
    assert acled_type("ASSAULT", "crowd-control", "COP", "CVL").sub_event_type == \
        "Protest with intervention"


def test_a_lynching_is_mob_violence():
    """A lynching is done by a crowd, named or not: ACLED's mob violence, and of the beat family."""
    from eventscribe.mapping import acled_type, mode_matches

    for actor in (None, "CVL", "REB"):
        hit = acled_type("ASSAULT", "lynch", actor, "CVL")
        assert (hit.event_type, hit.sub_event_type) == ("Riots", "Mob violence")
    assert mode_matches("beat", "lynch")
