"""Exports of canonical events: JSONL, ACLED-style CSV, GeoJSON, Parquet."""

from __future__ import annotations

import csv
import io
import json

import pytest

from eventscribe.export import ACLED_COLUMNS, write_stored_events
from eventscribe.store import Store

KANO = "Gunmen attacked a police station in Kano on Monday, killing three officers, police said."
KANO_2 = "Three policemen were killed when armed men stormed a station in Kano, officials said."
TALKS = "The foreign ministers of two neighbouring states met in Geneva for talks on the border."


@pytest.fixture
def filled(db_url, helpers):
    mk, line = helpers.make_doc, helpers.event_line
    docs = [
        mk("k1", KANO, line(place="Kano", country="NGA", admin1="Kano", lat=12.0, lon=8.52,
                            date="2024-03-11", actor="Gunmen", target="police", killed=3,
                            trigger="attacked"), url="https://a.example/k1"),
        mk("k2", KANO_2, line(place="Kano", country="NGA", admin1="Kano", lat=12.0, lon=8.52,
                              date="2024-03-11", actor="armed men", target="police", killed=3,
                              trigger="stormed"), url="https://b.example/k2"),
        mk("g1", TALKS, line("CONSULT", country="CHE", date="2024-03-12", actor="foreign ministers",
                             trigger="met"), url="https://c.example/g1"),
    ]
    with Store(db_url) as s:
        for r in helpers.results_of(*docs):
            s.add(r)
        yield s


def test_jsonl_has_mentions(filled):
    buf = io.StringIO()
    assert write_stored_events(filled.iter_events(), "jsonl", buf) == 2
    rows = [json.loads(l) for l in buf.getvalue().splitlines()]
    kano = next(r for r in rows if r["location"] == "Kano")
    assert {m["doc_id"] for m in kano["mentions"]} == {"k1", "k2"}
    assert all(m["evidence"] for m in kano["mentions"])
    assert (kano["n_sources"], kano["fatalities"], kano["event_date"]) == (2, 3, "2024-03-11")
    assert [k for k in rows[0] if k not in ("id", "mentions", "links")] == list(ACLED_COLUMNS)  # one vocabulary


def test_csv_acled_columns(filled):
    buf = io.StringIO()
    write_stored_events(filled.iter_events(), "csv", buf)
    assert ACLED_COLUMNS[:31] == (
        "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
        "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
        "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
        "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
        "fatalities", "tags", "timestamp")
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert tuple(rows[0].keys()) == ACLED_COLUMNS
    for col in ("event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
                "actor1", "inter1", "actor2", "inter2", "country", "admin1", "location", "latitude",
                "longitude", "geo_precision", "source", "notes", "fatalities"):
        assert col in ACLED_COLUMNS
    kano = next(r for r in rows if r["location"] == "Kano")
    assert kano["event_id_cnty"].startswith("NGA")
    assert (kano["country"], kano["iso"], kano["iso3"], kano["region"]) == ("Nigeria", "566", "NGA", "Western Africa")
    assert kano["timestamp"].isdigit() and kano["admin2"] == "" and kano["assoc_actor_1"] == ""
    assert (kano["event_date"], kano["year"], kano["fatalities"]) == ("2024-03-11", "2024", "3")
    assert (kano["latitude"], kano["longitude"], kano["geo_precision"]) == ("12.0", "8.52", "1")
    assert kano["source"] == "a.example; b.example"
    talks = next(r for r in rows if r["plover_type"] == "CONSULT")
    assert talks["event_type"] == ""  # ACLED does not code meetings
    assert talks["fatalities"] == "0"
    acled_only = io.StringIO()
    assert write_stored_events(filled.iter_events(), "csv", acled_only, only_acled=True) == 1
    assert "CONSULT" not in acled_only.getvalue()


def test_geojson_points_are_lon_lat(filled):
    buf = io.StringIO()
    n = write_stored_events(filled.iter_events(), "geojson", buf)
    fc = json.loads(buf.getvalue())
    assert fc["type"] == "FeatureCollection" and n == len(fc["features"]) == 1  # talks: no point
    [f] = fc["features"]
    assert f["geometry"] == {"type": "Point", "coordinates": [8.52, 12.0]}
    assert f["properties"]["n_articles"] == 2
    assert f["properties"]["latitude"] == 12.0 and "event_type" in f["properties"]  # the CSV's names


def test_parquet_roundtrip(filled, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "events.parquet"
    assert write_stored_events(filled.iter_events(), "parquet", str(path)) == 2
    table = pq.read_table(path)
    assert table.column_names[1:32] == list(ACLED_COLUMNS[:31])  # the CSV's vocabulary
    rows = {r["location"] or r["iso3"]: r for r in table.to_pylist()}
    assert rows["Kano"]["fatalities"] == 3 and sorted(rows["Kano"]["doc_ids"]) == ["k1", "k2"]
    assert str(rows["Kano"]["event_date"]) == "2024-03-11" and rows["Kano"]["latitude"] == 12.0
    with pytest.raises(ValueError):
        write_stored_events(filled.iter_events(), "parquet", io.StringIO())
