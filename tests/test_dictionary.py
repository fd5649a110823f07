"""User dictionaries: actors, places and vetoes a user adds, and PETRARCH/TABARI files read as ours.

Every text here is invented for these tests.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventscribe import petrarch, userdict
from eventscribe.actors import actor_dictionary
from eventscribe.cli import app
from eventscribe.geo import gazetteer
from eventscribe.pipeline import extract_text

DAY = dt.date(2024, 3, 6)


@pytest.fixture(autouse=True)
def _no_user_dictionary():
    """No user dictionary before or after each test, whatever the test (or a command it ran,
    which sets the environment for its worker processes) did."""
    saved = os.environ.pop(userdict.ENV, None)
    yield
    os.environ.pop(userdict.ENV, None)
    if saved is not None:
        os.environ[userdict.ENV] = saved
    userdict.current()  # the caches follow


@pytest.fixture
def user_dir(tmp_path):
    """An empty dictionary directory in force for one test."""
    os.environ[userdict.ENV] = str(tmp_path)
    return tmp_path


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def test_an_actor_only_in_the_user_dictionary_is_coded_with_its_country_and_sector(user_dir):
    text = "Fighters of the Zorvan Liberation Front attacked an army post on Monday, killing four soldiers."
    before = extract_text(text, DAY)[0]
    assert before.actor is None or before.actor.country is None
    write(user_dir / "actors.tsv", "# our actors\nname\tcountry\tsector\taliases\n"
                                   "Zorvan Liberation Front\tCOD\tREB\tZLF|Zorvan Front\n")
    event = extract_text(text, DAY)[0]
    assert (event.actor.name, event.actor.country, event.actor.sector) == ("Zorvan Liberation Front", "COD", "REB")
    alias = extract_text("ZLF gunmen attacked a village on Monday.", DAY)[0]
    assert alias.actor.country == "COD"


def test_override_replaces_our_reading_of_a_name_and_plain_entries_do_not(user_dir):
    assert actor_dictionary().resolve("Hezbollah").country == "LBN"
    write(user_dir / "actors.tsv", "name\tcountry\tsector\toverride\nHezbollah\tIRQ\tREB\tno\n")
    assert actor_dictionary().resolve("Hezbollah").country == "LBN"  # ours still wins
    write(user_dir / "actors.tsv", "name\tcountry\tsector\toverride\nHezbollah\tIRQ\tREB\tyes\n")
    userdict.current()
    assert actor_dictionary().resolve("Hezbollah").country == "IRQ"


def test_a_vetoed_word_or_phrase_stops_a_false_event(user_dir):
    charm = "The mayor launched a charm offensive on Monday to win back voters."
    stormed = "Shoppers stormed the new mall in Kampala on Saturday as the sale opened."
    assert extract_text(charm, DAY) and extract_text(stormed, DAY)
    write(user_dir / "vetoes.tsv", "kind\ttext\tnote\ntrigger\tcharm offensive\tpublic relations\n"
                                   "trigger\tstorm\tshoppers\n")
    assert extract_text(charm, DAY) == []
    assert extract_text(stormed, DAY) == []
    # the phrase vetoes only itself: an offensive elsewhere is still an event
    assert extract_text("The army launched an offensive against the rebels on Monday.", DAY)


def test_vetoed_place_and_actor_names(user_dir):
    text = "Police arrested twelve protesters in Mombasa on Monday."
    assert extract_text(text, DAY)[0].locations[0].name == "Mombasa"
    write(user_dir / "vetoes.tsv", "kind\ttext\nplace\tMombasa\nactor\tHezbollah\n")
    userdict.current()
    assert all(loc.name != "Mombasa" for e in extract_text(text, DAY) for loc in e.locations)
    assert not [m for m in actor_dictionary().find("Hezbollah fighters crossed.") if m.text == "Hezbollah"]


def test_a_user_place_resolves(user_dir):
    text = "Gunmen attacked a market in Kivubara on Monday, killing six traders."
    assert not extract_text(text, DAY)[0].locations
    write(user_dir / "places.tsv", "name\tcountry\tadmin1\tlat\tlon\taliases\n"
          "Kivubara\tCOD\tNorth Kivu\t-1.21\t29.11\tKivu Bara\n")
    loc = extract_text(text, DAY)[0].locations[0]
    assert (loc.name, loc.country, loc.admin1, loc.lat, loc.lon, loc.precision) == \
        ("Kivubara", "COD", "North Kivu", -1.21, 29.11, "place")
    assert gazetteer().find("They fled to Kivu Bara.")[0].candidates[0].country == "COD"
    assert actor_dictionary().resolve("police in Kivubara").country == "COD"  # a place tells the country


def test_a_user_place_without_coordinates_sits_at_its_country_centre(user_dir):
    write(user_dir / "places.tsv", "name\tcountry\nKivubara\tCOD\n")
    loc = gazetteer().resolve(gazetteer().find("They fled to Kivubara.")[0])
    assert loc.country == "COD" and loc.precision == "country" and loc.lat is not None


PETRARCH_ACTORS = """\
# A small actors file in the PETRARCH/TABARI format, written for this test.
ZORVAN_LIBERATION_FRONT_(ZLF)_ [CODREB]  # a rebel group
+ZORVAN_FRONT_

MARTA_KELLIVAN_
+PRESIDENT_KELLIVAN_
    [NORGOV 150101-191231]
    [NORELI]

OSTRAVIAN_POLICE_SERVICE_ [CZECOP]
NORDIC_COUNCIL_ [IGOEUR]
"""

PETRARCH_AGENTS = """\
# agents, written for this test
!PERSON! = MAN, WOMAN
HARBOUR_WARDEN [~COP]
FERRY!PERSON! [~CVL]
RANGERS {} [~MIL]
"""


def test_petrarch_actor_file_maps_cameo_codes_to_country_and_sector():
    actors = {a.name: a for a in petrarch.read_actors(PETRARCH_ACTORS, "test.actors.txt")}
    front = actors["Zorvan Liberation Front"]
    assert (front.country, front.sector, front.kind) == ("COD", "REB", "group")
    assert set(front.aliases) == {"Zorvan Front", "ZLF"}
    person = actors["Marta Kellivan"]
    assert person.kind == "person" and (person.country, person.sector) == ("NOR", "POL")  # the undated code
    assert person.periods[0].start == dt.date(2015, 1, 1) and person.periods[0].sector == "GOV"
    assert actors["Ostravian Police Service"].sector == "COP"
    assert (actors["Nordic Council"].country, actors["Nordic Council"].sector) == (None, "IGO")


def test_petrarch_dates_choose_the_code_of_the_publication_date(user_dir):
    write(user_dir / "test.actors.txt", PETRARCH_ACTORS)
    d = actor_dictionary()
    assert d.resolve("Marta Kellivan", when=dt.date(2017, 5, 1)).sector == "GOV"
    assert d.resolve("Marta Kellivan", when=dt.date(2022, 5, 1)).sector == "POL"
    event = extract_text("ZLF fighters attacked an army base on Monday.", DAY)[0]
    assert (event.actor.country, event.actor.sector) == ("COD", "REB")


def test_petrarch_agents_are_sector_nouns(user_dir):
    write(user_dir / "test.agents.txt", PETRARCH_AGENTS)
    d = actor_dictionary()
    assert d.resolve("two harbour wardens").sector == "COP"
    assert d.resolve("a ferrywoman").sector == "CVL"
    assert [a.name for a in petrarch.read_agents(PETRARCH_AGENTS)][:3] == ["harbour warden", "ferryman", "ferrywoman"]


@pytest.mark.parametrize("name, text, message", [
    ("actors.tsv", "name\tcountry\tsector\nZorvan Front\tZZZ\tREB\n", "actors.tsv:2: country 'ZZZ'"),
    ("actors.tsv", "name\tcountry\tsector\n# fine\nZorvan Front\tCOD\tWARLORD\n", "actors.tsv:3: sector 'WARLORD'"),
    ("actors.tsv", "name\tnation\tsector\n", "actors.tsv:1: the header"),
    ("places.tsv", "name\tcountry\tlat\tlon\nKivubara\tCOD\t-1.2\t\n", "places.tsv:2: give both lat and lon"),
    ("places.tsv", "name\tcountry\tlat\tlon\nKivubara\tCOD\tnorth\t29\n", "places.tsv:2: lat must be a number"),
    ("vetoes.tsv", "kind\ttext\nverb\tstorm\n", "vetoes.tsv:2: kind 'verb'"),
    ("bad.actors.txt", "+ORPHAN_SYNONYM_\n", "bad.actors.txt:1: a synonym"),
    ("bad.actors.txt", "ZORVAN_FRONT_ [COD REB 1501]\n", "bad.actors.txt:1: date restriction"),
    ("bad.agents.txt", "GUARD [~XYZ]\n", "bad.agents.txt:1: agent code"),
])
def test_a_bad_file_names_its_file_and_line(tmp_path, name, text, message):
    write(tmp_path / name, text)
    with pytest.raises(userdict.DictionaryError) as info:
        userdict.load(tmp_path)
    assert message in str(info.value)


def test_the_command_line_refuses_a_bad_dictionary_with_one_line(tmp_path):
    write(tmp_path / "vetoes.tsv", "kind\ttext\nverb\tstorm\n")
    doc = tmp_path / "doc.txt"
    write(doc, "Police arrested twelve protesters in Mombasa on Monday.")
    result = CliRunner().invoke(app, ["extract", str(doc), "--dictionary", str(tmp_path), "-f", "jsonl"])
    assert result.exit_code == 2
    assert "vetoes.tsv:2" in result.output and "kind 'verb'" in result.output


def test_the_command_line_uses_the_dictionary(tmp_path):
    write(tmp_path / "actors.tsv", "name\tcountry\tsector\nZorvan Liberation Front\tCOD\tREB\n")
    doc = tmp_path / "doc.txt"
    write(doc, "The Zorvan Liberation Front attacked an army post on Monday.")
    result = CliRunner().invoke(app, ["extract", str(doc), "--dictionary", str(tmp_path), "-f", "jsonl",
                                      "--published", "2024-03-06", "-q"])
    assert result.exit_code == 0, result.output
    assert '"country":"COD"' in result.output.replace(" ", "")


def test_append_entry_writes_what_the_reader_reads(tmp_path):
    userdict.append_entry(tmp_path, "actors", {"name": "Zorvan Front", "country": "COD", "sector": "REB",
                                               "aliases": ["ZF"], "override": False})
    userdict.append_entry(tmp_path, "vetoes", {"kind": "trigger", "text": "charm offensive"})
    loaded = userdict.load(tmp_path)
    assert loaded.actors[0].aliases == ("ZF",) and loaded.vetoed("trigger") == ("charm offensive",)
    assert (tmp_path / "actors.tsv").read_text().startswith("#")  # a header comment says what it is
    with pytest.raises(userdict.DictionaryError):
        userdict.append_entry(tmp_path, "places", {"name": "Nowhere", "country": "XX"})
    assert not (tmp_path / "places.tsv").exists() or "Nowhere" not in (tmp_path / "places.tsv").read_text()


# --- the API ------------------------------------------------------------------------------

TOKEN = "dictionary-test-token"


@pytest.fixture
def api(tmp_path):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from eventscribe.api import create_app
    from eventscribe.store import Store

    with Store(str(tmp_path / "d.db")) as store, TestClient(create_app(store=store, token=TOKEN)) as client:
        yield client


AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_api_add_then_the_next_extraction_uses_it(api, user_dir):
    text = "The Zorvan Liberation Front attacked a market in Kivubara on Monday, killing six traders."
    got = api.post("/api/dictionary/actors", headers=AUTH,
                   json={"name": "Zorvan Liberation Front", "country": "cod", "sector": "REB", "aliases": ["ZLF"]})
    assert got.status_code == 201, got.text
    assert got.json()["entry"]["country"] == "COD"
    assert api.post("/api/dictionary/places", headers=AUTH,
                    json={"name": "Kivubara", "country": "COD", "lat": -1.21, "lon": 29.11}).status_code == 201
    assert api.post("/api/dictionary/vetoes", headers=AUTH,
                    json={"kind": "trigger", "text": "charm offensive"}).status_code == 201
    listing = api.get("/api/dictionary").json()
    assert [a["name"] for a in listing["actors"]] == ["Zorvan Liberation Front"]
    assert listing["places"][0]["country"] == "COD" and listing["vetoes"][0]["text"] == "charm offensive"
    # the server's own next extraction (POST /api/documents) reads it
    posted = api.post("/api/documents", headers=AUTH, json={"id": "kivu", "text": text, "published": "2024-03-06"})
    assert posted.status_code == 200, posted.text
    event = api.get("/api/events").json()["events"][0]
    assert (event["actor"], event["country"], event["location"]) == ("Zorvan Liberation Front", "COD", "Kivubara")
    # and so does any other process reading the directory
    event = extract_text(text, DAY)[0]
    assert (event.actor.country, event.locations[0].name) == ("COD", "Kivubara")
    assert extract_text("The mayor launched a charm offensive on Monday to win back voters.", DAY) == []


def test_api_refuses_without_the_token_and_bad_entries(api, user_dir):
    entry = {"name": "Zorvan Front", "country": "COD", "sector": "REB"}
    assert api.post("/api/dictionary/actors", json=entry).status_code == 401
    assert api.post("/api/dictionary/actors", json=entry,
                    headers={"Authorization": "Bearer wrong"}).status_code == 401
    bad = [{**entry, "country": "ZZZ"}, {**entry, "sector": "WARLORD"}, {**entry, "name": "a\tb"}, {"name": "x"}]
    for body in bad:
        assert api.post("/api/dictionary/actors", json=body, headers=AUTH).status_code == 422, body
    assert not (user_dir / "actors.tsv").exists()  # nothing half-written


def test_api_without_a_dictionary_directory_says_how_to_have_one(api):
    got = api.post("/api/dictionary/vetoes", headers=AUTH, json={"kind": "place", "text": "Store"})
    assert got.status_code == 409 and "--dictionary" in got.json()["detail"]
    assert api.get("/api/dictionary").json() == {"directory": None, "actors": [], "places": [], "vetoes": []}


def test_api_notes_the_reviewer_and_refuses_a_read_only_one(tmp_path, user_dir):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from eventscribe.api import create_app
    from eventscribe.review import Reviewer, Reviewers
    from eventscribe.store import Store

    people = Reviewers([Reviewer("amina", "tok-amina"), Reviewer("guest", "tok-guest", "read")])
    with Store(str(tmp_path / "r.db")) as store, \
            TestClient(create_app(store=store, reviewers=people)) as client:
        entry = {"name": "Zorvan Front", "country": "COD", "sector": "REB"}
        refused = client.post("/api/dictionary/actors", json=entry, headers={"Authorization": "Bearer tok-guest"})
        assert refused.status_code == 403
        added = client.post("/api/dictionary/actors", json=entry, headers={"Authorization": "Bearer tok-amina"})
        assert added.status_code == 201, added.text
    assert userdict.load(user_dir).actors[0].note.startswith("added by amina on ")


def test_dictionary_check_and_list_commands(tmp_path):
    write(tmp_path / "actors.tsv", "name\tcountry\tsector\nZorvan Front\tCOD\tREB\n")
    write(tmp_path / "test.actors.txt", PETRARCH_ACTORS)
    write(tmp_path / "test.agents.txt", PETRARCH_AGENTS)
    runner = CliRunner()
    checked = runner.invoke(app, ["dictionary", "check", str(tmp_path)])
    assert checked.exit_code == 0, checked.output
    assert "test.actors.txt: 4 actors" in checked.output and "test.agents.txt: 4 agents" in checked.output
    listed = runner.invoke(app, ["dictionary", "list", str(tmp_path)])
    assert '"name": "Zorvan Front"' in listed.output
    write(tmp_path / "vetoes.tsv", "kind\ttext\nverb\tstorm\n")
    bad = runner.invoke(app, ["dictionary", "check", str(tmp_path)])
    assert bad.exit_code == 2 and "vetoes.tsv:2" in bad.output
