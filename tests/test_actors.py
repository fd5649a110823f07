"""Actor dictionary: find() on running text and compositional resolve() of noun phrases."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from pathlib import Path

import pycountry
import pytest
import yaml

from eventscribe.actors import ActorDictionary, ActorMention, actor_dictionary
from eventscribe.model import SECTORS


@pytest.fixture(scope="module")
def actors() -> ActorDictionary:
    return actor_dictionary()


def _r(actors: ActorDictionary, phrase: str, **kw):
    actor = actors.resolve(phrase, **kw)
    assert actor is not None, phrase
    return actor.country, actor.sector


# ---------------------------------------------------------------- resolve: the brief's examples

@pytest.mark.parametrize("phrase, country, sector", [
    ("U.S. forces", "USA", "MIL"),
    ("US Central Command", "USA", "MIL"),
    ("U.S. Central Command", "USA", "MIL"),
    ("CENTCOM", "USA", "MIL"),
    ("Israeli troops", "ISR", "MIL"),
    ("the Kenyan police", "KEN", "COP"),
    ("police in Nairobi", "KEN", "COP"),
    ("Russia", "RUS", "GOV"),
    ("Moscow", "RUS", "GOV"),
    ("President Joe Biden", "USA", "GOV"),
    ("Biden", "USA", "GOV"),
    ("the defence ministry", None, "GOV"),
    ("protesters", None, "CVL"),
    ("Hamas", "PSE", "REB"),
    ("Hezbollah", "LBN", "REB"),
    ("IRGC Quds Force", "IRN", "MIL"),
    ("Islamic Revolutionary Guard Corps", "IRN", "MIL"),
    ("Houthi rebels", "YEM", "REB"),
    ("the United Nations", None, "IGO"),
    ("Doctors Without Borders", None, "NGO"),
    ("villagers", None, "CVL"),
    ("a court in Lahore", "PAK", "JUD"),
])
def test_resolve_brief_examples(actors, phrase, country, sector):
    assert _r(actors, phrase) == (country, sector)


def test_sponsor_is_not_the_actors_country(actors):
    militias = actors.resolve("Iran-backed militias")
    assert militias.country is None and militias.sector == "REB"
    assert militias.name == "Iran-backed militias"
    groups = actors.resolve("Iranian-backed groups")
    assert (groups.country, groups.sector) == (None, "REB")
    # the sponsor after "supported by" is cut off as well
    assert actors.resolve("a militia supported by Iran").country is None
    # a stance is not a country either
    assert _r(actors, "pro-Russian separatists") == (None, "REB")
    assert _r(actors, "anti-government protesters") == (None, "CVL")
    # ... but "-led" and "-run" keep the owner
    assert _r(actors, "U.S.-led coalition") == ("USA", "MIL")
    assert _r(actors, "Hamas-run health ministry") == ("PSE", "GOV")


def test_regions_give_the_country_but_are_no_actors(actors):
    assert _r(actors, "Darfur rebels") == ("SDN", "REB")
    assert _r(actors, "protesters in Kashmir") == ("IND", "CVL")
    assert _r(actors, "people in Gaza") == ("PSE", "CVL")
    assert actors.resolve("Darfur") is None
    assert actors.resolve("the Gaza Strip") is None
    assert [m.text for m in actors.find("Fighting in Gaza and Darfur.")] == []


def test_names_containing_a_country_word(actors):
    text = "Ships sailed the South China Sea while Latin American leaders met in New Jersey."
    assert [m.text for m in actors.find(text)] == ["leaders"]
    assert actors.resolve("the South China Sea") is None
    assert actors.resolve("Latin American leaders").country is None
    assert _r(actors, "Chinese vessels in the South China Sea") == ("CHN", "UNK")
    assert actors.resolve("Heard") is None  # Heard Island's demonym is an English word


def test_membership_is_not_identity(actors):
    assert _r(actors, "NATO-member Norway") == ("NOR", "GOV")
    assert _r(actors, "Serbian forces") == ("SRB", "MIL")  # not the defunct Serbia and Montenegro


def test_opposition_lawmakers(actors):
    assert _r(actors, "opposition lawmakers")[1] in ("LEG", "OPP")
    assert _r(actors, "the opposition") == (None, "OPP")


def test_unknown_attackers(actors):
    for phrase in ("gunmen", "unidentified attackers", "unidentified gunmen", "assailants"):
        country, sector = _r(actors, phrase)
        assert country is None and sector in ("UNK", "REB"), phrase
    assert _r(actors, "unidentified gunmen") == (None, "UNK")


@pytest.mark.parametrize("phrase", [
    "the building", "Friday", "the attack", "rockets", "drones", "they", "us", "He",
    "the targets", "last week", "",
])
def test_non_actors_are_none(actors, phrase):
    assert actors.resolve(phrase) is None


# ---------------------------------------------------------------- resolve: composition

@pytest.mark.parametrize("phrase, country, sector", [
    ("Ukrainian soldiers", "UKR", "MIL"),
    ("the Nigerian army", "NGA", "MIL"),
    ("Burkinabe soldiers", "BFA", "MIL"),
    ("Pakistani police", "PAK", "COP"),
    ("Iran's foreign ministry", "IRN", "GOV"),
    ("Palestinian health officials", "PSE", "GOV"),
    ("three American soldiers", "USA", "MIL"),
    ("top US officials", "USA", "GOV"),
    ("Mexican authorities", "MEX", "GOV"),
    ("the Ukrainian president", "UKR", "GOV"),
    ("Chinese coast guard vessels", "CHN", "MIL"),
    ("Indian journalists", "IND", "MED"),
    ("the government of Iran", "IRN", "GOV"),
    ("protesters in Paris", "FRA", "CVL"),
    ("students at Dhaka University", "BGD", "CVL"),
    ("Iran's Supreme National Security Council", "IRN", "GOV"),
])
def test_demonym_or_country_plus_sector(actors, phrase, country, sector):
    assert _r(actors, phrase) == (country, sector)


@pytest.mark.parametrize("phrase, sector", [
    ("army officers", "MIL"),          # generic head defers to the specific modifier
    ("police officers", "COP"),
    ("court officials", "JUD"),
    ("rebel commanders", "REB"),
    ("security forces", "COP"),
    ("government forces", "MIL"),
    ("riot police", "COP"),
    ("aid groups", "NGO"),
    ("a local company", "BUS"),
    ("the ruling party", "POL"),
    ("parliament", "LEG"),
    ("journalists", "MED"),
    ("prosecutors", "JUD"),
    ("rights activists", "CVL"),       # activists on their own are civilians ...
    ("ruling party activists", "POL"),  # ... a party's activists are the party's
    ("party cadres", "POL"),
    ("the National Security Council", "GOV"),  # a state's council, not the UN's
])
def test_sector_nouns(actors, phrase, sector):
    assert _r(actors, phrase) == (None, sector)


def test_composed_name_is_the_phrase_without_determiners(actors):
    assert actors.resolve("the Kenyan police").name == "Kenyan police"
    assert actors.resolve("dozens of protesters").name == "protesters"


@pytest.mark.parametrize("capital, country", [
    ("Washington", "USA"), ("Moscow", "RUS"), ("Beijing", "CHN"), ("Kyiv", "UKR"),
    ("Kiev", "UKR"), ("Tehran", "IRN"), ("Pyongyang", "PRK"), ("Ankara", "TUR"),
])
def test_capital_metonymy(actors, capital, country):
    actor = actors.resolve(capital)
    assert (actor.country, actor.sector) == (country, "GOV")


def test_named_group_wins_unless_the_head_changes_sector(actors):
    hamas = actors.resolve("Hamas fighters")
    assert (hamas.name, hamas.country, hamas.sector) == ("Hamas", "PSE", "REB")
    assert actors.resolve("members of Hamas").name == "Hamas"
    assert actors.resolve("a spokesman for the UN").sector == "IGO"
    lawmakers = actors.resolve("Hezbollah lawmakers")
    assert (lawmakers.country, lawmakers.sector) == ("LBN", "LEG")
    assert actors.resolve("Yemen's Iran-aligned Houthis").name == "Houthis"


@pytest.mark.parametrize("phrase, name, country, sector", [
    ("Hezbollah", "Hezbollah", "LBN", "REB"),
    ("the IDF", "Israel Defense Forces", "ISR", "MIL"),
    ("the Pentagon", "Pentagon", "USA", "MIL"),
    ("the Kremlin", "Kremlin", "RUS", "GOV"),
    ("the White House", "White House", "USA", "GOV"),
    ("RSF", "Rapid Support Forces", "SDN", "REB"),
    ("Sudanese Armed Forces", "Sudanese Armed Forces", "SDN", "MIL"),
    ("M23 rebels", "M23", "COD", "REB"),
    ("Tatmadaw", "Tatmadaw", "MMR", "MIL"),
    ("Arakan Army", "Arakan Army", "MMR", "REB"),
    ("ISIS", "Islamic State", None, "REB"),
    ("Daesh", "Islamic State", None, "REB"),
    ("al-Shabab fighters", "al-Shabaab", "SOM", "REB"),
    ("Al Shabaab", "al-Shabaab", "SOM", "REB"),
    ("Wagner mercenaries", "Wagner Group", "RUS", "MIL"),
    ("Nato", "NATO", None, "IGO"),
    ("the ICC", "International Criminal Court", None, "JUD"),
    ("the Red Cross", "International Committee of the Red Cross", None, "NGO"),
    ("Kurdistan Workers' Party", "Kurdistan Workers' Party", "TUR", "REB"),
    ("People's Liberation Army", "People's Liberation Army", "CHN", "MIL"),
    ("Naxalites", "Maoists", "IND", "REB"),
])
def test_named_organisations(actors, phrase, name, country, sector):
    actor = actors.resolve(phrase)
    assert (actor.name, actor.country, actor.sector) == (name, country, sector)


# ---------------------------------------------------------------- persons

@pytest.mark.parametrize("phrase, name, country", [
    ("Biden", "Joe Biden", "USA"),
    ("Zelenskyy", "Volodymyr Zelensky", "UKR"),
    ("Netanyahu", "Benjamin Netanyahu", "ISR"),
    ("Israeli Prime Minister Benjamin Netanyahu", "Benjamin Netanyahu", "ISR"),
    ("Macron", "Emmanuel Macron", "FRA"),
    ("Xi", "Xi Jinping", "CHN"),
    ("Kenyan President William Ruto", "William Ruto", "KEN"),
    ("Gen. Asim Munir", "Asim Munir", "PAK"),
    ("S. Jaishankar", "Subrahmanyam Jaishankar", "IND"),
    ("Defense Secretary Austin", "Lloyd Austin", "USA"),  # "Austin" alone is a city
    ("Hamas leader Yahya Sinwar", "Yahya Sinwar", "PSE"),
])
def test_persons(actors, phrase, name, country):
    actor = actors.resolve(phrase)
    assert (actor.name, actor.country) == (name, country)


def test_ambiguous_surname_alone_is_not_a_person(actors):
    assert actors.resolve("Austin") is None
    assert actors.resolve("Sharif") is None  # two Sharifs in office history


def test_person_sector_depends_on_date(actors):
    assert actors.resolve("Trump", when=dt.date(2025, 3, 1)).sector == "GOV"
    assert actors.resolve("Trump", when=dt.date(2023, 3, 1)).sector == "POL"
    assert actors.resolve("Biden", when=dt.date(2024, 2, 2)).sector == "GOV"
    assert actors.resolve("Guterres").sector == "IGO"


# ---------------------------------------------------------------- find()

PARAGRAPH = (
    "Israeli troops pushed into Rafah on Tuesday as Hamas fighters fired rockets, the IDF said. "
    "In Washington, President Joe Biden told reporters the U.S. would keep talking to Egypt, "
    "while the United Nations warned of famine. Kenyan police broke up a protest in Nairobi. "
    "Let us hope, one resident told the BBC, that Iran-backed militias stay out of it."
)


def test_find_on_a_paragraph(actors):
    mentions = actors.find(PARAGRAPH)
    by_text = {m.text: m for m in mentions}
    for m in mentions:
        assert isinstance(m, ActorMention)
        assert PARAGRAPH[m.start:m.end] == m.text
        assert m.kind in ("country", "group", "person", "office", "igo", "org", "sector")
        assert m.actor.span is None
    expect = {
        "Israeli": ("country", "ISR"),
        "troops": ("sector", None),
        "Hamas": ("group", "PSE"),
        "IDF": ("org", "ISR"),
        "Washington": ("country", "USA"),
        "Joe Biden": ("person", "USA"),
        "U.S.": ("country", "USA"),
        "Egypt": ("country", "EGY"),
        "United Nations": ("igo", None),
        "Kenyan": ("country", "KEN"),
        "police": ("sector", None),
        "Nairobi": ("country", "KEN"),
        "BBC": ("org", None),
        "Iran": ("country", "IRN"),
        "militias": ("sector", None),
    }
    for text, (kind, country) in expect.items():
        assert text in by_text, text
        assert (by_text[text].kind, by_text[text].actor.country) == (kind, country), text
    assert by_text["Washington"].basis == "capital"
    assert by_text["Kenyan"].basis == "demonym"
    # "us" the pronoun is not the United States; "Rafah" is a place, not an actor
    assert "us" not in by_text and "Rafah" not in by_text
    # longest match, no overlaps
    assert "Nations" not in by_text and "Joe" not in by_text
    spans = sorted((m.start, m.end) for m in mentions)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:]))


def test_find_longest_match_first(actors):
    text = "Fighters of the Islamic State of Iraq and the Levant attacked."
    found = actors.find(text)
    assert [m.text for m in found if m.kind == "group"] == ["Islamic State of Iraq and the Levant"]


def test_find_case_rules(actors):
    assert [m.text for m in actors.find("turkey and chad for dinner")] == []
    assert [m.actor.country for m in actors.find("Turkey and Chad met.")] == ["TUR", "TCD"]
    assert [m.actor.country for m in actors.find("NATO and Nato")] == [None, None]
    assert actors.find("They told us so.") == []


def test_find_accents_and_hyphens(actors):
    names = [m.actor.name for m in actors.find("The Élysée and Al Shabaab and Lashkar e Taiba.")]
    assert names == ["Elysee Palace", "al-Shabaab", "Lashkar-e-Taiba"]


# ---------------------------------------------------------------- data files

def _data(name: str) -> str:
    return resources.files("eventscribe").joinpath("data", name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [
    "actors_countries.tsv", "actors_groups.yaml", "actors_persons.yaml", "actors_sectors.yaml",
])
def test_data_files_have_a_header(name):
    head = _data(name).splitlines()[:3]
    assert all(line.startswith("#") for line in head)


def _valid_country(code) -> bool:
    return code is None or code == "XKX" or pycountry.countries.get(alpha_3=code) is not None


def test_group_and_person_records_are_valid():
    groups = yaml.safe_load(_data("actors_groups.yaml"))
    persons = yaml.safe_load(_data("actors_persons.yaml"))["persons"]
    items = [i for section in groups.values() for i in section] + persons
    for item in items:
        assert _valid_country(item.get("country")), item["name"]
        assert item.get("sector", "GOV") in SECTORS, item["name"]
    assert len(groups["armed_groups"]) >= 120
    assert len(persons) >= 150
    names = [i["name"] for i in items]
    assert len(names) == len(set(names))


def test_country_rows_are_valid():
    for line in _data("actors_countries.tsv").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        alias, iso3, kind, *_ = line.split("\t")
        assert kind in ("name", "demonym", "people", "capital", "region", "block", "display",
                        "drop"), line
        assert _valid_country(iso3) or (kind == "block" and iso3 == "-"), line


def test_dictionary_sizes(actors):
    stats = actors.stats()
    assert stats["countries"] >= 200
    assert stats["group_actors"] >= 120
    assert stats["person_actors"] >= 150
    # every sovereign state is reachable by its name
    for code in ("AFG", "BRA", "FJI", "KEN", "NZL", "SSD", "URY", "YEM", "MLI", "NPL"):
        name = pycountry.countries.get(alpha_3=code).name
        assert actors.resolve(name).country == code, name


# ---------------------------------------------------------------- peer gold (read only, optional)

GSR = Path(__file__).resolve().parents[1].parent / "shared" / "peer" / "plover-gsr" / "PLOVER_GSR_CAMEO.txt"


@pytest.mark.skipif(not GSR.exists(), reason="shared/ peer data not present")
def test_country_agreement_on_plover_gold_actor_texts(actors):
    """The PLOVER GSR codes each source/target phrase with a country; most should agree.

    The records are CAMEO-manual examples from around 2000 (many persons we do not list,
    ethnic codes), so the bar is agreement on most phrases, not all.
    """
    records = json.loads(GSR.read_text(encoding="utf-8"))
    total = agree = 0
    for record in records:
        for role in ("source", "target"):
            for gold in record.get(role) or []:
                if not isinstance(gold, dict) or not gold.get("actorText"):
                    continue
                total += 1
                actor = actors.resolve(gold["actorText"])
                if actor is None:
                    continue
                code = gold.get("code")
                agree += actor.country == code or (actor.country is None and code in ("IGO", "NGO"))
    assert total > 500
    assert agree / total >= 0.78


# ---------------------------------------------------------------- person names in context

def test_surname_inside_an_office_name_is_not_the_politician(actors):
    """A county sheriff's office is not the vice-president."""
    actor = actors.resolve("the Harris County Sheriff's Office")
    assert actor is not None and actor.name != "Kamala Harris" and actor.sector == "COP"
    assert not [m for m in actors.find("Deputies of the Harris County Sheriff's Office arrived.")
                if m.kind == "person"]


def test_another_given_name_makes_another_person(actors):
    assert actors.resolve("Lynda Bennett") is None
    assert not [m for m in actors.find("Lynda Bennett lost the primary.") if m.kind == "person"]


def test_titled_surname_is_the_person(actors):
    assert actors.resolve("Prime Minister Bennett").name == "Naftali Bennett"
    assert actors.resolve("Vice President Harris").name == "Kamala Harris"


def test_bare_surname_needs_the_document_to_introduce_the_person(actors):
    from eventscribe.actors import document_scope

    other = "Lynda Bennett, a county candidate, spoke in Phoenix. Bennett said she would run again."
    assert not [m for m in actors.find(other) if m.kind == "person"]
    with document_scope(actors.scope_of(other)):
        assert actors.resolve("Bennett") is None
    named = "Israeli Prime Minister Naftali Bennett spoke. Bennett said talks would go on."
    assert [m.actor.name for m in actors.find(named) if m.kind == "person"] == ["Naftali Bennett"] * 2
    with document_scope(actors.scope_of(named)):
        assert actors.resolve("Bennett").name == "Naftali Bennett"


def test_curated_surname_stands_alone(actors):
    from eventscribe.actors import document_scope

    with document_scope(actors.scope_of("Xi met officials on Monday.")):
        assert actors.resolve("Xi").name == "Xi Jinping"


def test_shared_organisation_name_goes_to_the_document_country(actors):
    """An Indian party's "Congress" is not the US Congress."""
    from eventscribe.actors import document_scope

    text = "In India, Congress workers marched in Delhi. Congress said the Indian government had failed."
    assert {m.actor.name for m in actors.find(text) if m.kind == "org"} == {"Indian National Congress"}
    with document_scope(actors.scope_of(text)):
        assert actors.resolve("Congress").country == "IND"
    us = "In Washington, Congress passed the bill; the US president signed it."
    with document_scope(actors.scope_of(us)):
        assert actors.resolve("Congress").country == "USA"


def test_democratic_republic_of_congo_without_the_article_is_the_drc(actors):
    assert actors.resolve("Democratic Republic of Congo troops").country == "COD"
    assert actors.resolve("Republic of Congo troops").country == "COG"


@pytest.mark.parametrize("phrase, expected", [
    ("KDF soldiers", ("KEN", "MIL")),
    ("GSU officers", ("KEN", "COP")),
    ("ODM supporters", ("KEN", "POL")),
    ("Mungiki members", ("KEN", "REB")),
])
def test_kenyan_forces_parties_and_gangs_belong_to_kenya(actors, phrase, expected):
    actor = actors.resolve(phrase)
    assert actor is not None and (actor.country, actor.sector) == expected


def test_the_space_agency_is_no_kenyan_alliance(actors):
    actor = actors.resolve("NASA")
    assert actor is None or actor.country != "KEN"


def test_a_sponsor_is_read_from_a_hyphen_a_by_phrase_or_a_pro_prefix():
    from eventscribe.actors import actor_dictionary

    actors = actor_dictionary()
    assert actors.sponsor_of("Qatar-funded militias") == "QAT"
    assert actors.sponsor_of("a brigade armed by Turkey") == "TUR"
    assert actors.sponsor_of("pro-Russian separatists") == "RUS"
    assert actors.sponsor_of("Russian separatists") is None
    assert actors.sponsor_of("gunmen") is None


def test_a_phrase_with_a_sponsor_clause_keeps_it_in_its_name_but_not_its_country():
    from eventscribe.actors import actor_dictionary

    found = actor_dictionary().resolve("a rebel faction supported by Egypt")
    assert found is not None and found.name == "rebel faction supported by Egypt"
    assert found.country is None


def test_only_a_bare_country_name_is_a_country_name():
    from eventscribe.actors import actor_dictionary

    actors = actor_dictionary()
    assert actors.is_country_name("the Philippines") and actors.is_country_name("Nairobi")
    assert not actors.is_country_name("Kenyan officials")
    assert not actors.is_country_name("two Filipinos")
    assert not actors.is_country_name("Kenyan funding")


# ---------------------------------------------------------------- find_part: a document's own tokens

_STORY = ("Kenyan police said on Monday that al-Shabaab fighters attacked a camp. "
          "Defence Secretary Aden Duale told reporters the army had repelled them. "
          "Officials in Mogadishu blamed the group, said J. Smith")


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for i, ch in enumerate(text):
        if ch == "." and text[i + 1:i + 2] == " " and text[i - 1:i] != "J":
            spans.append((start, i + 1))
            start = i + 2
    spans.append((start, len(text)))
    return spans


def test_find_part_reads_the_kept_tokens_and_says_what_find_says(actors, monkeypatch):
    from eventscribe import actor_words

    actors.find_document(_STORY)
    calls = []
    real = actor_words._read_tokens
    monkeypatch.setattr(actor_words, "_read_tokens", lambda text: calls.append(text) or real(text))
    monkeypatch.setattr(actor_words, "_phrase_tokens", lambda text: tuple(actor_words._read_tokens(text)))
    parts = [actors.find_part(_STORY, s, e) for s, e in _sentences(_STORY)]
    assert calls == []  # every sentence came from the document's tokens
    for (s, e), found in zip(_sentences(_STORY), parts):
        assert found == actors.find(_STORY[s:e]), _STORY[s:e]
    assert len(calls) == 3  # find() itself tokenises each sentence
    for (s, e), found in zip(_sentences(_STORY), parts):
        assert found == actors.find(_STORY[s:e]), _STORY[s:e]
    assert any(m.text == "al-Shabaab" for m in parts[0])


def test_find_part_tokenises_anew_where_the_document_tokens_may_differ(actors, monkeypatch):
    from eventscribe import actor_words

    text = "Troops of the pro-Iran militia fired at U.S. bases, said S. Jaishankar"
    actors.find_document(text)
    calls = []
    real = actor_words._read_tokens
    monkeypatch.setattr(actor_words, "_read_tokens", lambda t: calls.append(t) or real(t))
    monkeypatch.setattr(actor_words, "_phrase_tokens", lambda t: tuple(actor_words._read_tokens(t)))
    cut = text.index("Iran")  # a word joined by the hyphen before the part
    assert actors.find_part(text, cut, len(text)) == actors.find(text[cut:])
    initial = text.rindex("S.") + 2  # "S." is an initial only before "Jaishankar"
    assert actors.find_part(text, 0, initial) == actors.find(text[:initial])
    mid_word = text.index("roops")
    assert actors.find_part(text, mid_word, len(text)) == actors.find(text[mid_word:])
    assert actors.find_part("Not kept: Kenyan police.", 10, 24) == actors.find("Kenyan police.")
    assert len([c for c in calls if c in (text[cut:], text[:initial], text[mid_word:])]) == 6


@pytest.mark.parametrize("phrase", ["an international press freedom and rights body",
                                    "the rights organisation", "a regional rights watchdog"])
def test_a_rights_body_is_an_ngo_whatever_else_it_watches(actors, phrase):
    assert actors.resolve(phrase).sector == "NGO"
