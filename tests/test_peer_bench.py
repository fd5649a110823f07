"""Scoring functions of the real-text dev set runners (bench/peers/: plv-train, acled-dev,
webpages-dev) and the table code of bench/peer.py, on invented rows and hand-made events:
they measure the scorers, not the pipeline."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from eventscribe.model import AcledType, Actor, Count, DateRange, Event, Location, Span

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

from peers import acled_dev, plv_train, webpages_dev  # noqa: E402
from peers.common import Row, stratified_sample  # noqa: E402


def ev(type_: str, n: int = 0, **kw) -> Event:
    return Event(id=f"e{n}", doc_id="d", type=type_, **kw)


def day(s: str) -> DateRange:
    d = dt.date.fromisoformat(s)
    return DateRange(start=d, end=d)


# --- halves and sampling --------------------------------------------------------------


def test_stratified_sample_takes_evenly_from_both_halves_in_order():
    items = [{"i": i, "half": "tune" if i % 2 == 0 else "held"} for i in range(40)]
    picked = stratified_sample(items, 10)
    assert sum(it["half"] == "tune" for it in picked) == 5
    assert sum(it["half"] == "held" for it in picked) == 5
    assert [it["i"] for it in picked] == sorted(it["i"] for it in picked)
    assert picked == stratified_sample(items, 10)          # seeded
    assert {it["half"] for it in stratified_sample(items, 6, "held")} == {"held"}
    assert len(stratified_sample(items, None, "tune")) == 20


# --- plv-train --------------------------------------------------------------------------


def test_plv_yield_stands_for_concede_and_retreat():
    assert plv_train.paper_root("RETREAT") == "YIELD"
    assert plv_train.paper_root("CONCEDE") == "YIELD"
    assert plv_train.paper_root("ASSAULT") == "ASSAULT"
    assert plv_train.paper_root(None) == "NONE"


def test_plv_sentence_top_type_and_parties():
    events = [
        ev("CONSULT", 0, confidence=0.4),
        ev("RETREAT", 1, confidence=0.9,
           actor=Actor(name="Ruritanian army", span=Span(start=0, end=3, text="the army")),
           target=Actor(name="Borduria")),
    ]
    r = plv_train.score_sentence("YIELD", "Ruritania's army", "the border town", events)
    assert r["predicted"] == "YIELD" and r["has_gold_type"] and not r["no_event"]
    assert r["actor_ok"] and not r["target_ok"]
    none = plv_train.score_sentence("ACCUSE", "a minister", "rebels", [])
    assert none["predicted"] == "NONE" and none["no_event"] and not none["actor_ok"]


def test_plv_rows_accuracy_and_macro_over_present_roots():
    results = [
        {"gold": "ASSAULT", "predicted": "ASSAULT", "no_event": False, "has_gold_type": True,
         "actor_ok": True, "target_ok": False},
        {"gold": "AGREE", "predicted": "NONE", "no_event": True, "has_gold_type": False,
         "actor_ok": False, "target_ok": False},
    ]
    rows = {r.metric: r for r in plv_train.rows_for("tune", results)}
    assert rows["top type accuracy"].value == 0.5
    # ASSAULT F1 1.0, AGREE F1 0.0; the 13 roots that never occur are not averaged in
    assert rows["top type macro-F1"].value == pytest.approx(0.5)
    assert rows["sentences with no event"].value == 0.5
    assert rows["actor names the source"].value == 1.0 and rows["actor names the source"].n == 1


# --- acled-dev ----------------------------------------------------------------------------


def test_acled_dates_of_all_three_layouts():
    assert acled_dev.parse_date("5-Aug-24") == dt.date(2024, 8, 5)
    assert acled_dev.parse_date("31-12-19") == dt.date(2019, 12, 31)
    assert acled_dev.parse_date("21 March 2020") == dt.date(2020, 3, 21)
    with pytest.raises(ValueError):
        acled_dev.parse_date("sometime")


def _row(note: str, eid: str, **kw) -> dict:
    row = {"notes": note, "event_id_cnty": eid, "event_type": "Protests",
           "sub_event_type": "Peaceful protest", "iso": "50", "admin1": "North",
           "latitude": "10.0", "longitude": "20.0", "event_date": "3-Feb-23", "fatalities": "0"}
    row.update(kw)
    return row


def test_acled_notes_group_rows_and_alternate_halves():
    rows = [_row("Traders marched.", "X1"), _row("Traders marched.", "X1"),  # one per actor
            _row("Students marched.", "X2"), _row("Students marched.", "X3"),  # two places
            _row("Farmers marched.", "X4", iso3="KEN", event_date="31-12-19")]
    notes = acled_dev.group_notes(rows, "demo")
    assert [len(n["events"]) for n in notes] == [1, 2, 1]
    assert [n["half"] for n in notes] == ["tune", "held", "tune"]
    assert notes[0]["published"] == dt.date(2023, 2, 4)          # the day after
    assert notes[0]["events"][0]["country"] == "BGD"              # from the numeric code
    assert notes[2]["events"][0]["country"] == "KEN"


def test_acled_distance_and_admin1():
    assert acled_dev.km_between(0, 0, 0, 1) == pytest.approx(111.2, abs=0.2)
    locs = [Location(name="Far", lat=0.0, lon=5.0), Location(name="Near", lat=0.0, lon=0.3)]
    assert acled_dev.nearest_km(locs, 0.0, 0.0) == pytest.approx(33.4, abs=0.2)
    assert acled_dev.nearest_km([Location(name="Nowhere")], 0.0, 0.0) is None
    assert acled_dev.admin1_match([Location(name="x", admin1="Lakeside County")], "Lakeside")
    assert acled_dev.admin1_match([Location(name="x", admin1="Hill Province")], "hill")
    assert not acled_dev.admin1_match([Location(name="x", admin1="Hill")], "Lakeside")


def test_acled_root_compatibility():
    assert acled_dev.root_compatible("ASSAULT", "Battles", "Armed clash")
    assert acled_dev.root_compatible("ASSAULT", "Protests", "Excessive force against protesters")
    assert not acled_dev.root_compatible("ASSAULT", "Protests", "Peaceful protest")
    assert acled_dev.root_compatible("PROTEST", "Riots", "Violent demonstration")
    assert not acled_dev.root_compatible("CONSULT", "Battles", "Armed clash")


def _gold(**kw) -> dict:
    g = {"event_type": "Violence against civilians", "sub_event_type": "Attack",
         "country": "KEN", "admin1": "Lakeside", "lat": 0.0, "lon": 0.0,
         "date": dt.date(2019, 5, 2), "fatalities": 2}
    g.update(kw)
    return g


def test_acled_event_checks_use_the_acled_codable_main_event():
    attack = ev("ASSAULT", 1, confidence=0.6,
                acled=AcledType(event_type="Violence against civilians", sub_event_type="Attack"),
                locations=[Location(name="Village", country="KEN", admin1="Lakeside County",
                                    lat=0.0, lon=0.4)],
                date=day("2019-05-02"), fatalities=Count(min=2, max=None))
    talk = ev("CONSULT", 0, confidence=0.9)           # more confident, but not ACLED-codable
    r = acled_dev.score_event(_gold(), [talk, attack])
    assert r["found"] and r["event_type"] and r["sub_event_type"] and r["root"]
    assert r["country"] and r["admin1"] and r["near"] and r["far"] and r["date"]
    assert r["fatalities"] and r["deadly"]
    wrong = acled_dev.score_event(_gold(lat=0.0, lon=1.0, fatalities=3,
                                        date=dt.date(2019, 5, 9)), [attack])
    assert not wrong["near"] and wrong["far"]         # ~67 km away
    assert not wrong["date"] and not wrong["fatalities"]
    nothing = acled_dev.score_event(_gold(fatalities=0), [])
    assert not any(v for v in nothing.values()) and nothing["deadly"] is None


def test_acled_stated_toll_leaves_out_acled_coding_rules():
    assert acled_dev.states_toll("Gunmen shot dead two traders at a market.")
    assert acled_dev.states_toll("A mob lynched a suspected thief.")
    assert not acled_dev.states_toll("Police dispersed a crowd with tear gas.")
    assert not acled_dev.states_toll("3 soldiers were killed. Fatalities coded as 0 (source reported 3).")
    assert not acled_dev.states_toll("Rebels killed 12 people in 3 villages. Fatalities split across 3 events (4).")
    attack = ev("ASSAULT", 0, acled=AcledType(event_type="Battles", sub_event_type="Armed clash"),
                fatalities=Count(min=2, max=2))
    assert acled_dev.score_event(_gold(), [attack], "Two soldiers were killed in a raid.")["stated"] is True
    assert acled_dev.score_event(_gold(fatalities=3), [attack], "Three died.")["stated"] is False
    assert acled_dev.score_event(_gold(), [attack], "Troops raided a camp.")["stated"] is None
    assert acled_dev.score_event(_gold(), [], "Two soldiers were killed.")["stated"] is False


def test_acled_zero_fatalities_and_date_leeway():
    quiet = ev("PROTEST", date=DateRange(start=dt.date(2019, 5, 1), end=dt.date(2019, 5, 2)))
    assert acled_dev.fatalities_match(quiet, 0)
    assert not acled_dev.fatalities_match(quiet, 4)
    assert acled_dev.date_match(quiet, dt.date(2019, 5, 2))
    month = ev("PROTEST", date=DateRange(start=dt.date(2019, 5, 1), end=dt.date(2019, 5, 31),
                                         precision="month"))
    assert not acled_dev.date_match(month, dt.date(2019, 5, 2))


def test_acled_rows_count_over_all_gold_events():
    results = [{**{k: True for k, _ in acled_dev.METRICS}, "deadly": None},
               {**{k: False for k, _ in acled_dev.METRICS}, "deadly": False}]
    rows = {r.metric: r for r in acled_dev.rows_for("acled-dev demo", "tune", results)}
    assert rows["ACLED event type"].value == 0.5 and rows["ACLED event type"].n == 2
    assert rows["ACLED event type"].note == "found: 1.000"
    assert rows["fatalities (events with deaths)"].n == 1


# --- webpages-dev ---------------------------------------------------------------------------


def test_webpages_languages_from_the_file_table():
    md = ("| file | lang | kind |\n|---|---|---|\n"
          "| `a.example.html` | en | recipe |\n| `b.example.html` | de | sport |\n")
    assert webpages_dev.languages(md) == {"a.example.html": "en", "b.example.html": "de"}


def test_webpages_rows_per_page_language_and_list():
    pages = [{"file": "a.html", "lang": "en"}, {"file": "b.html", "lang": "en"},
             {"file": "c.html", "lang": "de"}, {"file": "d.html", "lang": "fr"}]
    events = {"a.html": [ev("CONSULT"), ev("CONSULT", 1)], "c.html": [ev("ASSAULT")]}
    rows = {r.metric: r for r in webpages_dev.rows_for("tune", pages, events)}
    assert rows["asserted events per page"].value == 0.75
    assert rows["pages with events"].value == 0.5
    assert "a.html: CONSULT 2" in rows["pages with events"].note
    assert "c.html: ASSAULT" in rows["pages with events"].note
    assert rows["events per page (English)"].value == 1.0
    assert rows["events per page (other languages)"].value == 0.5
    assert "de 1/1" in rows["events per page (other languages)"].note


# --- bench/peer.py tables -----------------------------------------------------------------


def test_markdown_puts_the_halves_side_by_side():
    import peer

    rows = [Row("set-a", "F1", 0.5, 10, "tune"), Row("set-a", "F1", 0.25, 8, "held"),
            Row("set-b", "accuracy", None, 0, "all", note="x|y")]
    md = peer.markdown(rows)
    assert "| metric | tune | held | peer | note |" in md
    assert "| F1 | 0.500 (10) | 0.250 (8) |  |  |" in md
    assert "### set-b" in md and "x/y" in md and "— (0)" in md


def test_cells_show_the_change_against_an_earlier_run(tmp_path):
    import json

    import peer

    old = tmp_path / "old.json"
    old.write_text(json.dumps([
        {"dataset": "s", "metric": "F1", "split": "tune", "n": 10, "value": 0.4, "peer": "", "note": ""},
        {"dataset": "s", "metric": "P", "split": "tune", "n": 10, "value": 0.5, "peer": "", "note": ""},
    ]))
    before = peer.load_before(old)
    assert peer._cell(Row("s", "F1", 0.45, 10, "tune"), before) == "0.450 (10) +0.050"
    assert peer._cell(Row("s", "P", 0.5, 10, "tune"), before) == "0.500 (10)"
    assert peer._cell(Row("s", "R", 0.5, 10, "tune"), before) == "0.500 (10)"
    # a different n (a sample against a full run) is not a change: both are shown
    assert peer._cell(Row("s", "F1", 0.45, 4, "tune"), before) == "0.450 (4) was 0.400 (10)"


# --- bench/acled_errors.py: per-note errors of the tune half only ---------------------------


def _acled_csv(root: Path) -> None:
    folder = root / "acled-dev"
    folder.mkdir()
    head = "event_id_cnty,event_date,event_type,sub_event_type,iso,admin1,location,latitude,longitude,fatalities,notes\n"
    lines = [f"X{i},0{i + 1}-03-19,Protests,Peaceful protest,404,Nairobi,Town{i},-1.0,36.0,0,"
             f"Note number {i}: traders marched in Town{i}.\n" for i in range(6)]
    (folder / acled_dev.FILES["kenya"]).write_text(head + "".join(lines), "utf-8")


def test_acled_errors_lists_tune_notes_only(tmp_path):
    import acled_errors

    _acled_csv(tmp_path)
    notes = acled_errors.tune_notes(tmp_path, "kenya", None)
    assert [d["index"] for d in notes] == [0, 2, 4]
    assert {d["half"] for d in notes} == {"tune"}
    assert len(acled_errors.tune_notes(tmp_path, "kenya", 2)) == 2   # peer.py --half tune --sample 2
    held = [d for d in acled_dev.load(tmp_path, "kenya") if d["half"] == "held"][0]
    with pytest.raises(ValueError):
        acled_errors.note_errors(held, [])


def test_acled_errors_record_names_gold_ours_and_distance(tmp_path):
    import acled_errors

    _acled_csv(tmp_path)
    note = acled_errors.tune_notes(tmp_path, "kenya", None)[0]
    ours = ev("PROTEST", confidence=0.9, acled=AcledType(event_type="Protests",
                                                         sub_event_type="Peaceful protest"),
              locations=[Location(name="Elsewhere", country="UGA", lat=0.0, lon=32.0)])
    (rec,) = acled_errors.note_errors(note, [ours])
    assert rec["text"].startswith("Note number 0")
    assert rec["gold"]["acled"] == "Protests / Peaceful protest"
    assert rec["gold"]["place"] == "Town0, Nairobi, KEN"
    assert rec["ours"]["places"] == ["Elsewhere (UGA, -; 0.000,32.000)"]
    assert rec["km"] > 400
    assert set(rec["failed"]) == {"country", "admin1", "near", "far", "date"}   # no date
