"""The review endpoints (eventscribe.api_review) over a real store, on SQLite and PostgreSQL:
every action, who may do it (401/403), conflicting edits, what lists, map and exports show."""

from __future__ import annotations

import datetime as dt
import warnings

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient  # noqa: E402

from eventscribe.api import create_app  # noqa: E402
from eventscribe.review import Reviewer, Reviewers  # noqa: E402

D = dt.date(2024, 5, 6)
ANA, BEN, KIM = ({"Authorization": f"Bearer t-{n}"} for n in ("ana", "ben", "kim"))
REVIEWERS = Reviewers([Reviewer("ana", "t-ana"), Reviewer("ben", "t-ben"), Reviewer("kim", "t-kim", "read")])

BLAST_A = ("A bomb went off in the main market of Baidoa on Monday, killing four traders, "
           "the district commissioner told reporters.")
BLAST_B = ("Seven people died when an explosive device hidden in a cart blew up in a market in "
           "Baidoa, a hospital doctor said on Monday.")
RAID = ("Soldiers raided a village near Kismayo on Monday and detained eleven men, elders said, "
        "after an ambush on a convoy last week.")


@pytest.fixture
def client(store, helpers):
    docs = [
        helpers.make_doc("a", BLAST_A, helpers.event_line(
            place="Baidoa", country="SOM", lat=3.11, lon=43.65, date=D, killed=4, target="traders",
            trigger="bomb", mode="explosives"), url="https://a.example/1"),
        helpers.make_doc("b", BLAST_B, helpers.event_line(
            place="Baidoa", country="SOM", lat=3.11, lon=43.65, date=D, killed=7, trigger="blew",
            mode="explosives"), url="https://b.example/2"),
        helpers.make_doc("r", RAID, helpers.event_line(
            "COERCE", place="Kismayo", country="SOM", lat=-0.36, lon=42.55, date=D, actor="Soldiers",
            trigger="raided", mode="raid"), url="https://r.example/3"),
    ]
    for result in helpers.results_of(*docs):
        store.add(result)
    with TestClient(create_app(store=store, token="t-admin", reviewers=REVIEWERS)) as c:
        yield c


def _ids(client, **params):
    return [e["id"] for e in client.get("/api/events", params=params).json()["events"]]


def _event(client, type_):
    return next(e for e in client.get("/api/events").json()["events"] if e["type"] == type_)


def test_accept_reject_reopen_and_rejected_events_are_hidden(client):
    blast = _event(client, "ASSAULT")["id"]
    res = client.post(f"/api/events/{blast}/review", json={"action": "accept", "note": "checked"}, headers=ANA)
    assert res.status_code == 200 and res.json()["review_status"] == "accepted"
    assert _ids(client, review="accepted") == [blast]
    res = client.post(f"/api/events/{blast}/review", json={"action": "reject"}, headers=BEN)
    assert res.json()["review_status"] == "rejected"
    assert blast not in _ids(client)
    assert blast not in [f["id"] for f in client.get("/api/events", params={"format": "geojson"}).json()["features"]]
    assert client.get("/api/timeline").json()["total"] == 1
    assert blast in _ids(client, review="all") and _ids(client, review="rejected") == [blast]
    client.post(f"/api/events/{blast}/review", json={"action": "reopen"}, headers=ANA)
    history = client.get(f"/api/events/{blast}/history").json()
    assert [(h["reviewer"], h["action"], h["old"], h["new"]) for h in history] == [
        ("ana", "accept", "unreviewed", "accepted"), ("ben", "reject", "accepted", "rejected"),
        ("ana", "reopen", "rejected", "unreviewed")]
    assert history[0]["note"] == "checked"
    assert client.get(f"/api/events/{blast}").json()["history"] == history


def test_edit_returns_the_event_with_reviewed_values_everywhere(client):
    blast = _event(client, "ASSAULT")["id"]
    res = client.patch(f"/api/events/{blast}", headers=ANA, json={
        "fields": {"fatalities": 9, "place": {"name": "Baidoa", "country": "SOM", "admin1": "Bay",
                                              "lat": 3.1136, "lon": 43.6498},
                   "actor": {"name": "al-Shabaab", "country": "SOM", "sector": "REB"}},
        "note": "ministry update"})
    assert res.status_code == 200, res.text
    body = res.json()
    assert (body["fatalities_best"], body["admin1"], body["actor"], body["actor_sector"]) == (9, "Bay", "al-Shabaab", "REB")
    assert {"fatalities_best", "admin1", "actor", "actor_country"} <= set(body["reviewed_fields"])
    listed = _event(client, "ASSAULT")
    assert (listed["fatalities_best"], listed["actor"]) == (9, "al-Shabaab")
    assert "fatalities_best" in listed["reviewed_fields"]
    feature = next(f for f in client.get("/api/events", params={"format": "geojson"}).json()["features"]
                   if f["id"] == blast)
    assert feature["geometry"]["coordinates"] == [43.6498, 3.1136]
    assert feature["properties"]["fatalities_best"] == 9


@pytest.mark.parametrize("fields, words", [
    ({"type": "FIGHT"}, "PLOVER type"), ({"country": "Narnia"}, "no country"),
    ({"fatalities": -3}, "0 or more"), ({"mode": "drone", "type": "PROTEST"}, "not a mode"),
    ({"date": "yesterday"}, "YYYY-MM-DD"), ({"nonsense": 1}, "not a field"),
])
def test_bad_values_are_422(client, fields, words):
    blast = _event(client, "ASSAULT")["id"]
    res = client.patch(f"/api/events/{blast}", headers=ANA, json={"fields": fields})
    assert res.status_code == 422 and words in res.json()["detail"]
    assert client.get(f"/api/events/{blast}/history").json() == []


def test_conflicting_edits_later_wins_and_both_are_in_history(client):
    blast = _event(client, "ASSAULT")["id"]
    client.patch(f"/api/events/{blast}", headers=ANA, json={"fields": {"fatalities": 5}})
    res = client.patch(f"/api/events/{blast}", headers=BEN, json={"fields": {"fatalities": 8}})
    assert res.json()["fatalities_best"] == 8
    best = [(h["reviewer"], h["old"], h["new"]) for h in client.get(f"/api/events/{blast}/history").json()
            if h["field"] == "fatalities_best"]
    assert best[-2:] == [("ana", best[-2][1], 5), ("ben", 5, 8)]


def test_merge_and_split(client):
    blast, raid = _event(client, "ASSAULT"), _event(client, "COERCE")
    mention_b = next(m["mention_id"] for m in client.get(f"/api/events/{blast['id']}").json()["mentions"]
                     if m["doc_id"] == "b")
    res = client.post(f"/api/events/{blast['id']}/split", headers=ANA, json={"mentions": [mention_b]})
    assert res.status_code == 200, res.text
    out = res.json()
    assert [m["doc_id"] for m in out["event"]["mentions"]] == ["a"]
    assert [m["doc_id"] for m in out["new_event"]["mentions"]] == ["b"]
    new_id = out["new_event"]["id"]
    res = client.post(f"/api/events/{blast['id']}/merge", headers=BEN, json={"other": new_id, "note": "same"})
    assert res.status_code == 200 and sorted(m["doc_id"] for m in res.json()["mentions"]) == ["a", "b"]
    assert new_id not in _ids(client, review="all")
    gone = client.get(f"/api/events/{new_id}").json()
    assert gone["merged_into"] == blast["id"] and [h["action"] for h in gone["history"]] == ["split", "merge"]
    assert client.post(f"/api/events/{new_id}/review", json={"action": "accept"}, headers=ANA).status_code == 422
    assert client.post(f"/api/events/{raid['id']}/merge", json={"other": 99999}, headers=ANA).status_code == 404
    assert client.post(f"/api/events/{raid['id']}/split", json={"mentions": [mention_b]}, headers=ANA).status_code == 422


def test_who_may_write(client, store):
    blast = _event(client, "ASSAULT")["id"]
    url, body = f"/api/events/{blast}/review", {"action": "accept"}
    assert client.post(url, json=body).status_code == 401
    assert client.post(url, json=body, headers={"Authorization": "Bearer nope"}).status_code == 401
    res = client.patch(f"/api/events/{blast}", json={"fields": {"fatalities": 1}}, headers=KIM)
    assert res.status_code == 403 and "kim" in res.json()["detail"]
    admin = client.post(url, json=body, headers={"Authorization": "Bearer t-admin"})  # the single --token
    assert admin.status_code == 200 and admin.json()["history"][-1]["reviewer"] == "admin"
    assert client.get("/api/review/me", headers=KIM).json() == {"name": "kim", "role": "read"}
    assert client.get("/api/review/me").status_code == 401
    with TestClient(create_app(store=store)) as read_only:
        assert read_only.post(url, json=body, headers=ANA).status_code == 403


def test_queue_orders_by_need_and_leaves_reviewed_events_out(client):
    queue = client.get("/api/review/queue").json()
    assert queue["scanned"] == 2
    first = queue["events"][0]
    assert first["type"] == "ASSAULT" and any(r.startswith("sources disagree") for r in first["reasons"])
    assert first["priority"] > queue["events"][1]["priority"]
    client.post(f"/api/events/{first['id']}/review", json={"action": "accept"}, headers=ANA)
    assert first["id"] not in [e["id"] for e in client.get("/api/review/queue").json()["events"]]
    assert [e["type"] for e in client.get("/api/review/queue", params={"type": "COERCE"}).json()["events"]] == ["COERCE"]


def test_place_candidates_by_name_and_by_point(client):
    found = client.get("/api/places/candidates", params={"q": "Baidoa"}).json()
    assert found[0]["country"] == "SOM" and found[0]["population"] > 0 and found[0]["lat"] is not None
    near = client.get("/api/places/candidates", params={"lat": 3.12, "lon": 43.64}).json()
    assert near[0]["name"] == "Baidoa" and near[0]["km"] < 5
    assert client.get("/api/places/candidates").status_code == 422


def test_lists_follow_review_changes_despite_the_cache(client):
    blast = _event(client, "ASSAULT")["id"]
    first = client.get("/api/events")
    client.patch(f"/api/events/{blast}", headers=ANA, json={"fields": {"injured": 3}})
    second = client.get("/api/events", headers={"If-None-Match": first.headers["etag"]})
    assert second.status_code == 200 and _event(client, "ASSAULT")["injured_best"] == 3


def test_workers_read_reviewers_from_the_environment(store, tmp_path, monkeypatch):
    """`serve --workers N --reviewers FILE` hands the file to each worker through the environment."""
    from eventscribe.api import app_from_environment

    path = tmp_path / "reviewers.tsv"
    path.write_text("name\ttoken\trole\nzoe\tt-zoe\twrite\n")
    monkeypatch.setenv("EVENTSCRIBE_DB", store.url)
    monkeypatch.setenv("EVENTSCRIBE_REVIEWERS", str(path))
    monkeypatch.delenv("EVENTSCRIBE_API_TOKEN", raising=False)
    app = app_from_environment()
    try:
        with TestClient(app) as c:
            assert c.get("/api/review/me", headers={"Authorization": "Bearer t-zoe"}).json() == {
                "name": "zoe", "role": "write"}
    finally:
        app.state.store.close()
