"""REST API tests: FastAPI's TestClient against a real SQLite store built by ingesting
``examples/gold`` with the real pipeline, a PostgreSQL run of the queries, and schemathesis
against the OpenAPI schema (no 5xx, responses as documented)."""

from __future__ import annotations

import datetime as dt
import shutil
import warnings
from collections import Counter
from pathlib import Path

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

with warnings.catch_warnings():  # Starlette's notice about its httpx-based client
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient  # noqa: E402

from eventscribe.api import MAX_LIMIT, create_app  # noqa: E402
from eventscribe.store import Store  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "examples" / "gold"
TOKEN = "s3cret-token"

KIRKUK = ("A car bomb tore through a crowded market in the northern Iraqi city of Kirkuk on "
          "Saturday evening, killing at least 12 people and wounding 30 others, police said.")


def gold_db_path(tmp_path_factory) -> Path:
    """A SQLite store of the gold corpus, ingested once per test session (shared with test_web)."""
    base = tmp_path_factory.getbasetemp()
    path, done = base / "gold-api.db", base / "gold-api.done"
    if not done.exists():
        from eventscribe.ingest import ingest

        with Store(str(path)) as store:
            report = ingest([str(GOLD)], store)
        assert report.failed == 0 and report.added == len(list(GOLD.glob("*.yaml")))
        done.write_text("ok")
    return path


@pytest.fixture(scope="module")
def gold_db(tmp_path_factory) -> Path:
    return gold_db_path(tmp_path_factory)


@pytest.fixture(scope="module")
def gold_store(gold_db):
    with Store(str(gold_db)) as store:
        yield store


@pytest.fixture(scope="module")
def client(gold_store):
    with TestClient(create_app(store=gold_store)) as c:
        yield c


def ids(events) -> list[int]:
    return [e["id"] if isinstance(e, dict) else e.id for e in events]


# --- GET /api/events -------------------------------------------------------------------------

def test_pages_cover_all_events_in_store_order(client, gold_store):
    expected = ids(gold_store.events(with_mentions=False))
    got, offset = [], 0
    while offset is not None:
        page = client.get("/api/events", params={"limit": 50, "offset": offset}).json()
        assert page["total"] == len(expected) and page["limit"] == 50
        got += ids(page["events"])
        offset = page["next_offset"]
    assert got == expected and len(expected) > 100


@pytest.mark.parametrize("filters", [
    {"type": "ASSAULT"},
    {"country": "geo"},
    {"actor": "police"},
    {"since": "2023-01-01", "until": "2023-12-31"},
    {"type": "PROTEST", "since": "2024-01-01"},
])
def test_filters_mean_what_the_cli_filters_mean(client, gold_store, filters):
    store_filters = {k: dt.date.fromisoformat(v) if k in ("since", "until") else v for k, v in filters.items()}
    expected = ids(gold_store.events(with_mentions=False, **store_filters))
    page = client.get("/api/events", params={**filters, "limit": MAX_LIMIT}).json()
    assert ids(page["events"]) == expected and page["total"] == len(expected) > 0


def test_empty_window_is_an_empty_page(client):
    page = client.get("/api/events", params={"since": "2024-05-01", "until": "2024-04-01"}).json()
    assert (page["total"], page["events"], page["next_offset"]) == (0, [], None)


def test_actor_filter_takes_wildcards_literally(client):
    assert client.get("/api/events", params={"actor": "%"}).json()["total"] == 0
    assert client.get("/api/events", params={"actor": "_"}).json()["total"] == 0


def test_geojson_holds_located_events_as_lon_lat_points(client, gold_store):
    fc = client.get("/api/events", params={"format": "geojson", "limit": MAX_LIMIT, "type": "ASSAULT"}).json()
    located = [e for e in gold_store.events(type="ASSAULT", with_mentions=False) if e.lat is not None]
    assert fc["type"] == "FeatureCollection" and fc["total"] == len(located)
    by_id = {e.id: e for e in located}
    for f in fc["features"]:
        ev = by_id[f["id"]]
        assert f["geometry"] == {"type": "Point", "coordinates": [ev.lon, ev.lat]}
        assert f["properties"]["type"] == "ASSAULT"


def test_stored_summaries_are_the_records_the_old_path_built(client, gold_store):
    """The list sends each event's stored JSON: the same values as an EventSummary built from
    the event's columns (what every request used to build), in JSON and in GeoJSON."""
    from eventscribe.api import EventSummary

    expected = [EventSummary(**e.model_dump(include=set(EventSummary.model_fields))).model_dump(mode="json")
                for e in gold_store.events(with_mentions=False)]
    page = client.get("/api/events", params={"limit": MAX_LIMIT}).json()
    assert page["events"] == expected and len(expected) > 100
    fc = client.get("/api/events", params={"limit": MAX_LIMIT, "format": "geojson"}).json()
    assert [f["properties"] for f in fc["features"]] == [e for e in expected if e["lat"] is not None]


def test_events_without_a_stored_summary_are_still_listed(store, helpers):
    """Rows written straight into the table (or by an older eventscribe) lack the summary:
    the page builds it from their columns."""
    from eventscribe.store import events

    doc = helpers.make_doc("k1", KIRKUK, helpers.event_line(place="Kirkuk", country="IRQ", lat=35.47, lon=44.39,
                                                            date=dt.date(2024, 3, 9), killed=12))
    store.add(helpers.results_of(doc)[0])
    with TestClient(create_app(store=store)) as c:
        before = c.get("/api/events").json()["events"]
        with store.engine.begin() as conn:
            conn.execute(events.update().values(summary=None, updated_at=dt.datetime(2030, 1, 1)))
        assert c.get("/api/events").json()["events"] == before and before[0]["fatalities_best"] == 12


def _khan_yunis(helpers, doc_id: str, killed: int, url: str):
    line = helpers.event_line(place="Khan Yunis", country="PSE", lat=31.34, lon=34.30, date=dt.date(2024, 3, 13),
                              target="police", killed=killed, trigger="attacked")
    return helpers.make_doc(doc_id, f"Gunmen attacked a police checkpoint in Khan Yunis, killing {killed}.", line,
                            url=url)


def test_list_follows_a_merge_and_cached_maps_follow_ingest(store, helpers):
    """A second source joins the event: the list and the (cached) GeoJSON of the filtered map
    say two articles and the new toll, though the store was written behind the server's back."""
    with TestClient(create_app(store=store)) as c:
        store.add(helpers.results_of(_khan_yunis(helpers, "a", 5, "https://a.example/1"))[0])
        params = {"format": "geojson", "country": "PSE", "since": "2024-03-01"}
        first = c.get("/api/events", params=params)
        [f] = first.json()["features"]
        assert (f["properties"]["n_articles"], f["properties"]["fatalities_high"]) == (1, 5)
        assert c.get("/api/events", params=params, headers={"If-None-Match": first.headers["etag"]}).status_code == 304
        store.add(helpers.results_of(_khan_yunis(helpers, "b", 9, "https://b.example/2"))[0])
        [f] = c.get("/api/events", params=params).json()["features"]
        assert (f["properties"]["n_articles"], f["properties"]["fatalities_high"]) == (2, 9)
        [e] = c.get("/api/events", params={"country": "PSE"}).json()["events"]
        detail = c.get(f"/api/events/{e['id']}").json()
        assert {k: detail[k] for k in e} == e


def _event_doc(helpers, i: int, day: dt.date | None):
    """Events that never merge with each other: each its own country and place."""
    towns = [("Kano", "NGA", 12.0, 8.52), ("Goma", "COD", -1.68, 29.22), ("Mosul", "IRQ", 36.34, 43.13),
             ("Aleppo", "SYR", 36.2, 37.16), ("Gao", "MLI", 16.27, -0.04), ("Kandahar", "AFG", 31.61, 65.71),
             ("Lviv", "UKR", 49.84, 24.03), ("Sanaa", "YEM", 15.37, 44.19)]
    town, iso, lat, lon = towns[i % len(towns)]
    return helpers.make_doc(f"n{i}", f"Report {i}: gunmen attacked a market in {town} ({i}).",
                            helpers.event_line(place=town, country=iso, lat=lat + i / 100, lon=lon, actor=f"band {i}",
                                               date=day),
                            published=None, url=f"https://n{i}.example/{i}")


def _walk(c, params: dict, between=lambda: None) -> list[int]:
    """Every page of a list by cursor, calling ``between`` before each next page."""
    page, seen = c.get("/api/events", params=params).json(), []
    while True:
        seen += ids(page["events"])
        if page["next_cursor"] is None:
            return seen
        between()
        page = c.get("/api/events", params={**params, "cursor": page["next_cursor"]}).json()
        assert page["offset"] is None and page["next_offset"] is None


def test_cursor_pages_skip_nothing_while_events_are_ingested(store, helpers):
    """Walking by cursor while new events arrive before and after the current position (some
    joining events already sent): the walk skips no event there at its start or at its end,
    and brings an event twice only when it changed during the walk."""
    day = dt.date(2024, 5, 1)
    for i in range(10):
        store.add(helpers.results_of(_event_doc(helpers, i, day + dt.timedelta(days=i % 4) if i < 8 else None))[0])
    from sqlalchemy import select

    from eventscribe.store import events

    before = ids(store.events(with_mentions=False))
    started = store.version()[2]
    n = iter(range(10, 1000))

    def ingest():
        for when in (day - dt.timedelta(days=3), day + dt.timedelta(days=2), None):  # behind, around, undated
            store.add(helpers.results_of(_event_doc(helpers, next(n), when))[0])

    with TestClient(create_app(store=store)) as c:
        seen = _walk(c, {"limit": 3}, ingest)
        final = ids(store.events(with_mentions=False))
        assert set(before) <= set(seen) and set(final) <= set(seen)
        with store.engine.connect() as conn:
            changed = set(conn.execute(select(events.c.id).where(events.c.updated_at > started)).scalars())
        assert {i for i in seen if seen.count(i) > 1} <= changed
        assert c.get("/api/events", params={"limit": 3, "offset": 3, "cursor": "_1"}).status_code == 422
        for bad in ("2024-13-01_4", "yesterday", "2024-05-01_99999999999", "2024-05-01_4.123"):
            res = c.get("/api/events", params={"cursor": bad})
            assert res.status_code == 422 and "cursor" in res.json()["detail"], bad
        assert c.get("/api/events", params={"cursor": "2024-05-01_4"}).status_code == 200  # a cursor without watermark


@pytest.mark.parametrize("limit", [3, 1])
def test_cursor_walk_brings_an_event_whose_date_moved_behind_it(tmp_path, limit):
    """A merge (or a reviewer) moves an event not yet sent to a date the walk has passed: the
    next page still brings it, once; a walk during which nothing changes sends each event
    once, in the store's order."""
    from sqlalchemy import insert

    from eventscribe.store import events, write_summaries

    now = dt.datetime(2024, 6, 1)
    rows = [dict(type="PROTEST", actor="students", date_start=dt.date(2024, 5, 1 + i), date_end=dt.date(2024, 5, 1 + i),
                 n_articles=1, n_sources=1, first_seen=now, updated_at=now) for i in range(10)]
    with Store(str(tmp_path / "walk.db")) as store:
        with store.engine.begin() as conn:
            conn.execute(insert(events), rows)
            write_summaries(conn)
        order = ids(store.events(with_mentions=False))
        with TestClient(create_app(store=store)) as c:
            assert _walk(c, {"limit": limit}) == order
            moved = order[-1]
            calls = iter(range(100))

            def move_last_event_back():
                if next(calls) == 1:  # after the second page: event 10 (May 10) now dated April 30
                    with store.engine.begin() as conn:
                        conn.execute(events.update().where(events.c.id == moved).values(
                            date_start=dt.date(2024, 4, 30), date_end=dt.date(2024, 4, 30),
                            updated_at=dt.datetime(2024, 6, 2)))
                        write_summaries(conn, [moved])

            seen = _walk(c, {"limit": limit}, move_last_event_back)
            assert sorted(seen) == sorted(order) and seen.count(moved) == 1
            assert seen[:2 * limit] == order[:2 * limit] and seen[2 * limit] == moved  # on the next page, first


def test_totals_leave_out_rejected_and_merged_events(store, helpers):
    """The default view's total is counted as every match minus the hidden ones (a partial
    index finds those): it must equal the events listed, with or without filters."""
    from eventscribe.store import events, write_summaries

    for i in range(8):
        store.add(helpers.results_of(_event_doc(helpers, i, dt.date(2024, 5, 1 + i)))[0])
    all_ids = ids(store.events(with_mentions=False))
    with store.engine.begin() as conn:
        conn.execute(events.update().where(events.c.id == all_ids[1]).values(review_status="rejected"))
        conn.execute(events.update().where(events.c.id == all_ids[2]).values(merged_into=all_ids[0]))
        write_summaries(conn, all_ids[1:3])
    with TestClient(create_app(store=store)) as c:
        for params in ({}, {"since": "2024-05-02"}, {"actor": "band"}, {"country": "IRQ"}, {"type": "ASSAULT"}):
            page = c.get("/api/events", params={**params, "limit": 100}).json()
            assert page["total"] == len(page["events"]) and all_ids[1] not in ids(page["events"]), params
            assert all_ids[2] not in ids(page["events"])
        assert c.get("/api/events").json()["total"] == len(all_ids) - 2
        assert c.get("/api/events", params={"review": "all"}).json()["total"] == len(all_ids) - 1


def test_offset_pages_carry_a_cursor_to_continue_from(client, gold_store):
    expected = ids(gold_store.events(with_mentions=False))
    page = client.get("/api/events", params={"limit": 40, "offset": 40}).json()
    got = ids(page["events"])
    while page["next_cursor"]:
        page = client.get("/api/events", params={"limit": 70, "cursor": page["next_cursor"]}).json()
        got += ids(page["events"])
    assert got == expected[40:]


@pytest.mark.parametrize("params, words", [
    ({"limit": MAX_LIMIT + 1}, ["limit", "1000"]),
    ({"limit": 0}, ["limit"]),
    ({"offset": -1}, ["offset"]),
    ({"since": "2024-13-01"}, ["since", "2024-13-01"]),
    ({"until": "yesterday"}, ["until"]),
    ({"type": "RIOT"}, ["type", "ASSAULT"]),
    ({"country": "Frannce and Spain"}, ["country"]),
    ({"format": "kml"}, ["format", "geojson"]),
])
def test_bad_query_is_422_with_a_clear_message(client, params, words):
    res = client.get("/api/events", params=params)
    assert res.status_code == 422
    detail = res.json()["detail"]
    assert isinstance(detail, str) and all(w in detail for w in words), detail


# --- GET /api/events/{id} and /api/documents/{id} ----------------------------------------

def _event_with_articles(store: Store, n: int):
    return next(e for e in store.events() if e.n_articles >= n)


def test_event_detail_has_mentions_with_evidence_from_the_document_text(client, gold_store):
    ev = _event_with_articles(gold_store, 2)
    detail = client.get(f"/api/events/{ev.id}").json()
    assert detail["id"] == ev.id and detail["type"] == ev.type
    assert (detail["fatalities_low"], detail["fatalities_best"]) == (ev.fatalities_low, ev.fatalities_best)
    assert sorted(m["doc_id"] for m in detail["mentions"]) == sorted(m.doc_id for m in ev.mentions)
    for m in detail["mentions"]:
        text = client.get(f"/api/documents/{m['doc_id']}").json()["text"]
        assert m["evidence"]
        for e in m["evidence"]:
            assert text[e["start"]:e["end"]] == e["text"]
            assert text[e["trigger"]["start"]:e["trigger"]["end"]] == e["trigger"]["text"]
            assert e["start"] <= e["trigger"]["start"] < e["trigger"]["end"] <= e["end"]


def test_claims_side_by_side_and_disagreements(client, gold_store):
    """Each source's count is listed; sources giving different counts are flagged."""
    checked = 0
    for ev in gold_store.events():
        if ev.n_articles < 2:
            continue
        d = client.get(f"/api/events/{ev.id}").json()
        by_mention = {m["mention_id"]: m for m in d["mentions"]}
        for c in d["claims"]:
            m = by_mention[c["mention_id"]]
            assert (c["low"], c["high"]) == (m[f"{c['field']}_min"], m[f"{c['field']}_max"])
            assert c["doc_id"] == m["doc_id"] and c["publisher"] == m["publisher"]
        fatal = sorted({(c["low"], c["high"]) for c in d["claims"] if c["field"] == "fatalities"}, key=str)
        disjoint = any((a[1] is not None and b[0] > a[1]) or (b[1] is not None and a[0] > b[1])
                       for i, a in enumerate(fatal) for b in fatal[i + 1:])
        assert ("fatalities" in d["disagreements"]) == disjoint
        checked += len(fatal) > 1
    assert checked >= 1  # the Kirkuk bombing: "at least 21" then 27 (which agree)


def test_counts_disagree_only_when_no_number_fits_both():
    from eventscribe.api import MentionOut, disagreements

    def m(lo, hi):
        return MentionOut.model_construct(type="ASSAULT", date_start=None, location=None, actor=None,
                                          target=None, fatalities_min=lo, fatalities_max=hi,
                                          injured_min=None, injured_max=None)

    assert "fatalities" not in disagreements([m(21, None), m(27, 27)])  # "at least 21" and "27"
    assert "fatalities" not in disagreements([m(24, None), m(30, 40)])  # "dozens" and "30 to 40"
    assert "fatalities" in disagreements([m(3, 3), m(5, 5)])
    assert "fatalities" in disagreements([m(None, 10), m(12, None)])  # "up to 10" and "at least 12"


def test_links_are_shown_from_both_ends(client, gold_store):
    from sqlalchemy import select

    from eventscribe.store import event_links

    with gold_store.engine.connect() as conn:
        links = conn.execute(select(event_links)).all()
    assert links
    for link in links:
        src = client.get(f"/api/events/{link.from_event}").json()
        dst = client.get(f"/api/events/{link.to_event}").json()
        assert (link.relation, link.to_event) in {(x["relation"], x["event"]["id"]) for x in src["links_out"]}
        assert (link.relation, link.from_event) in {(x["relation"], x["event"]["id"]) for x in dst["links_in"]}


def test_unknown_or_malformed_event_id(client):
    res = client.get("/api/events/987654")
    assert res.status_code == 404 and res.json()["detail"] == "no event with id 987654"
    assert client.get("/api/events/abc").status_code == 422
    assert client.get("/api/events/99999999999999999999").status_code == 422


def test_document_has_text_and_the_spans_that_produced_events(client, gold_store):
    doc_id = "a-kirkuk-bombing-toll-rises"
    import yaml

    gold = yaml.safe_load((GOLD / f"{doc_id}.yaml").read_text(encoding="utf-8"))
    doc = client.get(f"/api/documents/{doc_id}").json()
    assert (doc["id"], doc["title"], doc["published"]) == (doc_id, gold["title"], gold["published"].isoformat())
    assert doc["text"].split() == gold["text"].split()
    assert doc["spans"]
    for s in doc["spans"]:
        assert doc["text"][s["sentence"]["start"]:s["sentence"]["end"]] == s["sentence"]["text"]
        assert doc["text"][s["trigger"]["start"]:s["trigger"]["end"]] == s["trigger"]["text"]
    event_ids = {s["event_id"] for s in doc["spans"] if s["event_id"]}
    for eid in event_ids:
        assert doc_id in [m.doc_id for m in gold_store.event(eid).mentions]


def test_unknown_document_is_404(client):
    res = client.get("/api/documents/no-such-article")
    assert res.status_code == 404 and "no-such-article" in res.json()["detail"]


# --- timeline, stats ---------------------------------------------------------------------------

@pytest.mark.parametrize("filters", [{}, {"type": "ASSAULT"}, {"country": "UKR", "since": "2023-01-01"}])
def test_timeline_counts_events_per_start_day(client, gold_store, filters):
    store_filters = {k: dt.date.fromisoformat(v) if k == "since" else v for k, v in filters.items()}
    evs = gold_store.events(with_mentions=False, **store_filters)
    expected = Counter(e.date_start.isoformat() for e in evs if e.date_start)
    tl = client.get("/api/timeline", params=filters).json()
    assert {d["date"]: d["count"] for d in tl["days"]} == expected
    assert [d["date"] for d in tl["days"]] == sorted(expected)
    assert tl["total"] == len(evs) and tl["undated"] == sum(1 for e in evs if not e.date_start)


def test_timeline_rejects_bad_dates(client):
    res = client.get("/api/timeline", params={"since": "01/02/2024"})
    assert res.status_code == 422 and "since" in res.json()["detail"]


def test_stats_are_the_store_stats(client, gold_store):
    assert client.get("/api/stats").json() == gold_store.stats()


# --- POST /api/documents -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def writable(tmp_path_factory):
    """A server with a token over an empty store of its own."""
    path = tmp_path_factory.mktemp("post") / "post.db"
    with Store(str(path)) as store, TestClient(create_app(store=store, token=TOKEN)) as c:
        yield c


AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_read_only_server_refuses_writes_with_403(client):
    res = client.post("/api/documents", json={"text": KIRKUK}, headers=AUTH)
    assert res.status_code == 403 and "read-only" in res.json()["detail"]


@pytest.mark.parametrize("headers, word", [({}, "missing"), ({"Authorization": "Bearer nope"}, "wrong"),
                                           ({"Authorization": "Basic czNjcmV0"}, "missing")])
def test_missing_or_wrong_token_is_401(writable, headers, word):
    res = writable.post("/api/documents", json={"text": KIRKUK}, headers=headers)
    assert res.status_code == 401 and word in res.json()["detail"]
    assert res.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("body, words", [
    ({"title": "no text"}, ["exactly one of 'text' or 'html'"]),
    ({"text": "a", "html": "<p>b</p>"}, ["exactly one of"]),
    ({"text": "   "}, ["text", "non-space"]),
    ([{"text": KIRKUK}, {"html": "<p>x</p>", "text": "y"}], ["body[1]", "exactly one of"]),
    ({"html": 42}, ["html", "string"]),
    ({"text": KIRKUK, "published": "last week"}, ["published"]),
    ({"text": KIRKUK, "colour": "red"}, ["colour"]),
    ([], ["at least 1"]),
    ([{"text": KIRKUK}] * 101, ["at most 100"]),
])
def test_malformed_body_is_422(writable, body, words):
    res = writable.post("/api/documents", json=body, headers=AUTH)
    assert res.status_code == 422
    assert all(w in res.json()["detail"] for w in words), res.json()["detail"]


def test_body_that_is_not_json_is_422(writable):
    res = writable.post("/api/documents", content=b"{not json", headers={**AUTH, "Content-Type": "application/json"})
    assert res.status_code == 422 and "JSON" in res.json()["detail"]


def test_post_extracts_stores_and_is_idempotent(writable):
    doc = {"id": "kirkuk-market", "text": KIRKUK, "published": "2024-06-09", "url": "https://news.example/kirkuk?utm_source=x"}
    res = writable.post("/api/documents", json=doc, headers=AUTH)
    assert res.status_code == 200, res.text
    [out] = res.json()["documents"]
    assert out["status"] == "added" and out["doc_id"] == "kirkuk-market" and out["event_ids"]
    ev = writable.get(f"/api/events/{out['event_ids'][0]}").json()
    assert ev["type"] == "ASSAULT" and ev["location"] == "Kirkuk" and ev["date_start"] == "2024-06-08"
    assert ev["fatalities_low"] == 12
    assert writable.get("/api/documents/kirkuk-market").json()["text"] == KIRKUK
    again = writable.post("/api/documents", json=[doc], headers=AUTH).json()["documents"]
    assert [d["status"] for d in again] == ["exists"]
    assert writable.get("/api/documents/kirkuk-market").json()["url"] == doc["url"]


def test_unreadable_document_fails_alone(writable):
    posted = [{"id": "menu-only", "html": "<html><body><nav><a href='/a'>Home</a></nav></body></html>"},
              {"id": "goma-shelling", "published": "2024-02-08",
               "text": "Shells fired by rebels hit a crowded camp near Goma on Wednesday, killing six people, aid workers said."}]
    res = writable.post("/api/documents", json=posted, headers=AUTH)
    assert res.status_code == 200, res.text
    failed, added = res.json()["documents"]
    assert (failed["doc_id"], failed["status"]) == ("menu-only", "failed") and "main text" in failed["error"]
    assert (added["doc_id"], added["status"]) == ("goma-shelling", "added") and added["event_ids"]
    assert writable.get("/api/documents/menu-only").status_code == 404


def test_post_html_document_gets_main_text(writable):
    html = ("<html><head><title>Protest in Nairobi</title></head><body><nav><a href='/'>Home</a></nav>"
            "<article><h1>Protest in Nairobi</h1><p>Thousands of traders marched through central Nairobi on "
            "Tuesday to protest against a new fuel tax, blocking roads near parliament, witnesses said.</p>"
            "<p>Police fired tear gas to disperse the crowd.</p></article></body></html>")
    res = writable.post("/api/documents", json={"html": html, "published": "2024-07-03"}, headers=AUTH)
    assert res.status_code == 200, res.text
    [out] = res.json()["documents"]
    assert out["status"] == "added" and out["doc_id"].startswith("api-")
    text = writable.get(f"/api/documents/{out['doc_id']}").json()["text"]
    assert "Thousands of traders marched" in text and "<p>" not in text and "Home" not in text


def test_broken_database_is_503_not_500(tmp_path):
    from sqlalchemy import text

    with Store(str(tmp_path / "broken.db")) as store, TestClient(create_app(store=store)) as c:
        with store.engine.begin() as conn:
            conn.execute(text("ALTER TABLE events RENAME TO events_gone"))
        res = c.get("/api/events")
        assert res.status_code == 503 and res.json()["detail"].startswith("database unavailable: no such table")


# --- offline docs page -----------------------------------------------------------------------------

def test_docs_page_is_served_without_any_cdn(client):
    import re

    html = client.get("/docs").text
    urls = re.findall(r"""(?:src|href)=["']([^"']+)""", html) + re.findall(r"url: '([^']+)'", html)
    assert urls and not [u for u in urls if "://" in u]
    for u in urls:
        assert client.get(u).status_code == 200, u
    assert client.get("/openapi.json").json()["paths"]["/api/events"]


# --- PostgreSQL (and SQLite): the same queries on both databases --------------------------------

def test_queries_on_both_databases(store, helpers):
    d = dt.date(2024, 3, 13)
    a = helpers.make_doc("a1", "Gunmen attacked a police checkpoint in Khan Yunis, killing five officers.",
                         helpers.event_line(place="Khan Yunis", country="PSE", lat=31.34, lon=34.30, date=d,
                                            actor="Gunmen_100%", target="police", killed=5, trigger="attacked"),
                         url="https://a.example/1")
    b = helpers.make_doc("b1", "Nine members of the security forces were killed in an attack in Khan Yunis.",
                         helpers.event_line(place="Khan Yunis", country="PSE", lat=31.34, lon=34.30, date=d,
                                            actor="armed men", target="police", killed=9, trigger="attack"),
                         url="https://b.example/2")
    for r in helpers.results_of(a, b):
        store.add(r)
    with TestClient(create_app(store=store)) as c:
        page = c.get("/api/events", params={"actor": "_100%", "since": "2024-03-01"}).json()
        assert page["total"] == 1
        [ev] = c.get("/api/events", params={"country": "pse"}).json()["events"]
        detail = c.get(f"/api/events/{ev['id']}").json()
        assert detail["n_articles"] == 2 and "fatalities" in detail["disagreements"]
        assert sorted((cl["publisher"], cl["low"]) for cl in detail["claims"]) == [("a.example", 5), ("b.example", 9)]
        assert c.get("/api/timeline").json()["days"] == [{"date": "2024-03-13", "count": 1}]
        assert c.get("/api/documents/b1").json()["spans"][0]["trigger"]["text"] == "attack"
        assert c.get("/api/events/2147483647").status_code == 404
        assert c.get("/api/events", params={"actor": "a\x00b"}).status_code == 422


def test_paging_across_dated_and_undated_events(store, helpers):
    """Undated events come last; every page size walks the same order as the store."""
    places = [("Kano", "NGA", 12.0, 8.52), ("Goma", "COD", -1.68, 29.22), ("Mosul", "IRQ", 36.34, 43.13),
              ("Aleppo", "SYR", 36.2, 37.16), ("Gao", "MLI", 16.27, -0.04)]
    for i, (town, iso, lat, lon) in enumerate(places):
        dated = i % 2 == 0
        doc = helpers.make_doc(f"d{i}", f"Report {i}: gunmen attacked a market in {town}.",
                               helpers.event_line(place=town, country=iso, lat=lat, lon=lon, actor="gunmen",
                                                  date=dt.date(2024, 5, 10 - i) if dated else None),
                               published=None, url=f"https://n{i}.example/{i}")
        store.add(helpers.results_of(doc)[0])
    expected = ids(store.events(with_mentions=False))
    assert len(expected) == 5 and [e.date_start is None for e in store.events()][-2:] == [True, True]
    with TestClient(create_app(store=store)) as c:
        for size in (1, 2, 3, 5):
            got, offset = [], 0
            while offset is not None:
                page = c.get("/api/events", params={"limit": size, "offset": offset}).json()
                got += ids(page["events"])
                offset = page["next_offset"]
            assert got == expected, size
        assert c.get("/api/events", params={"offset": 7}).json()["events"] == []
        assert c.get("/api/timeline").json()["undated"] == 2


# --- schemathesis: the OpenAPI schema, fuzzed -------------------------------------------------------

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402

# Every operation of the schema (test_fuzzed_operations_are_all_operations keeps this complete).
OPERATIONS = [("GET", "/api/events"), ("GET", "/api/events/{event_id}"), ("GET", "/api/timeline"),
              ("GET", "/api/documents/{doc_id}"), ("GET", "/api/stats"), ("GET", "/api/countries"),
              ("POST", "/api/documents"), ("GET", "/api/dictionary"), ("POST", "/api/dictionary/actors"),
              ("POST", "/api/dictionary/places"), ("POST", "/api/dictionary/vetoes"),
              # the review endpoints (eventscribe.api_review; their own tests: test_api_review.py)
              ("POST", "/api/events/{event_id}/review"), ("PATCH", "/api/events/{event_id}"),
              ("POST", "/api/events/{event_id}/revert"), ("POST", "/api/events/{event_id}/merge"),
              ("POST", "/api/events/{event_id}/split"), ("GET", "/api/events/{event_id}/history"),
              ("GET", "/api/review/queue"), ("GET", "/api/review/me"), ("GET", "/api/places/candidates")]
# operations where a schema-valid request may rightly be refused: ids that do not exist, values
# our vocabularies refuse (a country name no schema pattern states, a mode of another type)
MAY_REFUSE_VALID = {"/api/events", "/api/timeline", "/api/review/queue", "/api/places/candidates",
                    "/api/events/{event_id}/review", "/api/events/{event_id}", "/api/events/{event_id}/revert",
                    "/api/events/{event_id}/merge", "/api/events/{event_id}/split", "/api/review/me"}


@pytest.fixture(scope="module")
def api_schema(gold_db, tmp_path_factory):
    """The schema of a writable server over a copy of the gold store (POST may add to it)."""
    import os

    from eventscribe import userdict

    path = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    shutil.copy(gold_db, path)
    store = Store(str(path))
    saved = os.environ.get(userdict.ENV)
    os.environ[userdict.ENV] = str(tmp_path_factory.mktemp("fuzz-dictionary"))  # POST /api/dictionary adds here
    yield schemathesis.openapi.from_asgi("/openapi.json", create_app(store=store, token=TOKEN))
    store.close()
    os.environ.pop(userdict.ENV)
    if saved is not None:
        os.environ[userdict.ENV] = saved
    userdict.current()


def test_fuzzed_operations_are_all_operations(api_schema):
    found = {(r.ok().method.upper(), r.ok().path) for r in api_schema.get_all_operations()}
    assert found == set(OPERATIONS)


@pytest.mark.parametrize("method, path", OPERATIONS)
def test_openapi_schema_fuzzed(api_schema, method, path):
    """Generated requests (valid and invalid): no 5xx; status codes, content types and
    bodies as the schema documents them. Bounded: 25 examples per operation."""
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    operation = api_schema[path][method]
    headers = AUTH if method in ("POST", "PATCH") else None
    # `country` takes a code or a country name, which no schema pattern can state: a random
    # string the schema admits may rightly be refused (422, "no country ..."), so the
    # "schema-valid data must be accepted" check does not apply to the filtered lists
    # (nor to dictionary entries: the schema cannot list the ISO 3166 codes a country must be;
    # nor to review actions on ids that may not exist or values our vocabularies refuse)
    excluded = [positive_data_acceptance] if path in MAY_REFUSE_VALID or path.startswith("/api/dictionary/") else []

    @given(case=operation.as_strategy())
    @settings(max_examples=25, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate(headers=headers, excluded_checks=excluded)

    check()


# --- guards: token before body, body size, back-pressure, headers ------------------------------

def test_unauthenticated_writes_are_refused_before_the_body_is_read(tmp_path):
    """A large body without the token gets 401 at once: the server never buffers it."""
    with Store(str(tmp_path / "g.db")) as store, TestClient(create_app(store=store, token=TOKEN, max_body=10_000)) as c:
        big = b'{"text": "' + b"x" * 50_000 + b'"}'
        assert c.post("/api/documents", content=big, headers={"Content-Type": "application/json"}).status_code == 401
        too_big = c.post("/api/documents", content=big, headers={**AUTH, "Content-Type": "application/json"})
        assert too_big.status_code == 413 and "limit" in too_big.json()["detail"]

        def chunks():  # no Content-Length: counted as it arrives
            yield b'{"text": "'
            for _ in range(20):
                yield b"y" * 1000
            yield b'"}'
        chunked = c.post("/api/documents", content=chunks(), headers={**AUTH, "Content-Type": "application/json"})
        assert chunked.status_code == 413


def test_busy_server_answers_503_with_retry_after(tmp_path):
    with Store(str(tmp_path / "b.db")) as store:
        app = create_app(store=store, max_inflight=1)
        with TestClient(app) as c:
            guard = app.guard
            guard.inflight = 1  # one request already being served
            res = c.get("/api/stats")
            assert res.status_code == 503 and res.headers["retry-after"] == "1"
            guard.inflight = 0
            assert c.get("/api/stats").status_code == 200


def test_requests_past_the_queue_get_503_and_the_queue_is_served(tmp_path):
    """Five requests at once to a guard that admits two: three 503s with Retry-After at once,
    the two admitted ones answered when the app gets to them."""
    import asyncio

    import httpx

    from eventscribe.guard import Guard

    release = asyncio.Event()

    async def slow_app(scope, receive, send):
        await release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    async def burst():
        guard = Guard(slow_app, token=None, max_inflight=2)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=guard), base_url="http://t") as client:
            tasks = [asyncio.create_task(client.get("/api/events")) for _ in range(5)]
            while guard.inflight < 2 or sum(t.done() for t in tasks) < 3:
                await asyncio.sleep(0.01)
            refused = [t.result() for t in tasks if t.done()]
            waiting = [t for t in tasks if not t.done()]
            release.set()
            return refused, [await t for t in waiting]

    refused, served = asyncio.run(asyncio.wait_for(burst(), 20))
    assert [(r.status_code, r.headers["retry-after"]) for r in refused] == [(503, "1")] * 3
    assert [r.status_code for r in served] == [200, 200]


def test_security_headers_and_only_http_urls(client, tmp_path):
    res = client.get("/")
    csp = res.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self';" in csp
    assert res.headers["x-content-type-options"] == "nosniff" and res.headers["x-frame-options"] == "DENY"
    with Store(str(tmp_path / "u.db")) as store, TestClient(create_app(store=store, token=TOKEN)) as c:
        bad = c.post("/api/documents", json={"text": KIRKUK, "url": "javascript:alert(1)"}, headers=AUTH)
        assert bad.status_code == 422


@pytest.mark.parametrize("value", ["0", "20240101", "1"])
def test_dates_must_be_iso_days(client, value):
    res = client.get("/api/events", params={"since": value})
    assert res.status_code == 422 and "since" in res.json()["detail"]
    assert client.get("/api/timeline", params={"until": value}).status_code == 422


# --- caching, compression, workers ---------------------------------------------------------------

def test_lists_carry_etags_are_cached_and_follow_the_store(tmp_path):
    with Store(str(tmp_path / "c.db")) as store, TestClient(create_app(store=store, token=TOKEN)) as c:
        first = c.get("/api/events", params={"format": "geojson"})
        etag = first.headers["etag"]
        again = c.get("/api/events", params={"format": "geojson"}, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.headers["etag"] == etag
        assert c.post("/api/documents", json={"text": KIRKUK, "published": "2024-03-10"}, headers=AUTH).status_code == 200
        after = c.get("/api/events", params={"format": "geojson"}, headers={"If-None-Match": etag})
        assert after.status_code == 200 and after.headers["etag"] != etag and after.json()["features"]
        assert c.get("/api/timeline").headers["etag"]


def test_worker_processes_build_each_list_answer_once(gold_store, tmp_path, monkeypatch):
    """Two apps sharing an answers folder (the workers of serve --workers 2): the second is
    sent what the first built, byte for byte, without querying; a new store version is built
    again."""
    import eventscribe.api as api_module

    calls = []
    real = api_module.query_page
    monkeypatch.setattr(api_module, "query_page", lambda *a, **k: calls.append(1) or real(*a, **k))
    monkeypatch.setenv(api_module.ENV_SHARED_ANSWERS, str(tmp_path))
    params = {"type": "ASSAULT", "limit": 7}
    with TestClient(create_app(store=gold_store)) as one, TestClient(create_app(store=gold_store)) as two:
        first = one.get("/api/events", params=params)
        second = two.get("/api/events", params=params)
        assert calls == [1] and second.content == first.content and second.headers["etag"] == first.headers["etag"]
        zipped = two.get("/api/events", params={"limit": 300}, headers={"Accept-Encoding": "gzip"})
        plain = one.get("/api/events", params={"limit": 300}, headers={"Accept-Encoding": "identity"})
        assert zipped.headers["content-encoding"] == "gzip" and zipped.json() == plain.json() and len(calls) == 2
        monkeypatch.setattr(two.app.state.versions, "current", lambda: ("a new version",))
        assert two.get("/api/events", params=params).json()["events"] == first.json()["events"] and len(calls) == 3


def test_store_version_is_asked_again_only_after_a_commit(tmp_path, monkeypatch):
    """The list views ask the store's version per request; it is read again only when some
    other connection (here another Store on the same file, as another process would) has
    committed since."""
    from eventscribe.answers import StoreVersion

    path = tmp_path / "v.db"
    with Store(str(path)) as reader, Store(str(path)) as writer:
        versions = StoreVersion(reader)
        asked = []
        real = reader.version
        monkeypatch.setattr(reader, "version", lambda: asked.append(1) or real())
        before = versions.current()
        assert versions.current() == before and versions.current() == before and len(asked) == 1
        with writer.engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO events (type, n_articles, n_sources, first_seen, updated_at) "
                                 "VALUES ('PROTEST', 1, 1, '2024-01-01 00:00:00', '2024-01-01 00:00:00')")
        after = versions.current()
        assert after != before and len(asked) == 2 and versions.current() == after and len(asked) == 2


def test_etags_name_the_request_the_version_and_the_server_run():
    """An answer's ETag is the same for the same request at the same store version within one
    server run (every worker of it), and differs at another version or after a restart."""
    from eventscribe.answers import make_answer

    key = ("/api/events", "limit=5", (3, 4, "2024-01-01"))
    same = make_answer(key, b"{}", tag="run-a").etag
    assert make_answer(key, b"{}", tag="run-a").etag == same
    assert make_answer((*key[:2], (3, 5, "2024-01-01")), b"{}", tag="run-a").etag != same
    assert make_answer(key, b"{}", tag="run-b").etag != same


def test_large_answers_are_gzipped(client):
    res = client.get("/api/events", params={"limit": 200}, headers={"Accept-Encoding": "gzip"})
    assert res.headers.get("content-encoding") == "gzip" and res.json()["events"]


def test_serve_with_two_worker_processes(gold_db, tmp_path):
    import os
    import socket
    import subprocess
    import sys
    import time

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "eventscribe", "serve", "--db", str(gold_db), "--port", str(port),
                             "--workers", "2", "--log-level", "warning"],
                            env={**os.environ, "EVENTSCRIBE_API_TOKEN": ""}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                res = httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=2, trust_env=False)
                if res.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, proc.stdout.read().decode()[-2000:]
            time.sleep(0.3)
        pages = [httpx.get(f"http://127.0.0.1:{port}/api/events", params={"limit": 5}, timeout=10,
                           trust_env=False).json()["total"] for _ in range(6)]
        assert len(set(pages)) == 1 and pages[0] > 0
    finally:
        proc.terminate()
        proc.wait(20)


def test_actor_totals_from_name_pairs_match_the_database(tmp_path):
    """The total of an actor filter is counted from the distinct (actor, target) pairs: it
    must be what the SQL filter counts, for letters in either case, letters outside ASCII
    (which SQLite's LIKE does not fold), ``%`` and ``_`` taken literally, missing targets,
    and without the rejected and merged-away events."""
    from sqlalchemy import insert

    from eventscribe.listing import Filters, Reading, TotalsCache, statements
    from eventscribe.store import events

    names = [("Police", None), ("POLICE forces", "students"), ("Ölpolizei", "öl workers"), ("100%_sure", "a_b"),
             (None, "riot police"), ("İstanbul governor", None), ("militia", "Police"), ("ab", "x")]
    now = dt.datetime(2024, 1, 1)
    rows = [dict(type="PROTEST", actor=a, target=t, date_start=dt.date(2024, 1, 1 + i) if i % 3 else None,
                 n_articles=1, n_sources=1, first_seen=now, updated_at=now,
                 review_status="rejected" if i == 9 else "unreviewed", merged_into=1 if i == 10 else None)
            for i, (a, t) in enumerate(names * 2)]
    with Store(str(tmp_path / "pairs.db")) as store:
        with store.engine.begin() as conn:
            conn.execute(insert(events), rows)
        totals, version = TotalsCache(), store.version()
        for needle in ("police", "POLICE", "öl", "Öl", "ÖL", "%", "_", "0%_", "a_b", "İstanbul", "istanbul", "b", "zz"):
            f = Filters(actor=needle)
            with store.engine.connect() as conn:
                q = Reading(conn)
                by_sql = tuple(q.all(statements(f.shape(), "sqlite"), "count", f.params())[0])
                assert totals.get(q, f, version) == by_sql, needle
        assert totals._pairs is not None and totals._pairs[1] is not None  # the pairs were used


QUERIES = ["", "limit=5", "limit=0100&type=ASSAULT", "type=assault", "type=", "country=Iraq&since=2020-01-01",
           "country=IRQ&until=2030-12-31&format=geojson", "country=Narnia", "since=2024-02-30", "since=2024-2-3",
           "actor=police&limit=3", "actor=", "review=all&limit=2", "review=nope", "limit=0", "limit=1001",
           "limit=+5", "offset=3&limit=4", "offset=-1", "cursor=_1&limit=2", "cursor=2024-13-01_4",
           "offset=2&cursor=_1", "cursor=2024-01-01_99999999999", "format=xml", "limit=3&limit=4", "colour=red",
           "since=2025-01-01&until=2020-01-01", "actor=%25&limit=2", "actor=a%00b"]


@pytest.mark.parametrize("query", QUERIES)
def test_quick_list_reader_answers_as_fastapi_does(gold_store, query):
    """The cache front reads plainly valid list parameters itself (no FastAPI on the way): for
    every query, valid or not, the answer (status and body) is the one FastAPI's route gives."""
    quick, slow = create_app(store=gold_store), create_app(store=gold_store)
    slow.guard.app.quick = {}
    with TestClient(quick) as q, TestClient(slow) as s:
        got, want = q.get(f"/api/events?{query}"), s.get(f"/api/events?{query}")
        assert (got.status_code, got.json()) == (want.status_code, want.json()), query
    from eventscribe.api import quick_events_request

    taken = quick_events_request(quick.state, {"query_string": query.encode()}) is not None
    assert taken == (query in QUICK_TAKES), query  # the rest went to FastAPI


QUICK_TAKES = {"", "limit=5", "limit=0100&type=ASSAULT", "country=Iraq&since=2020-01-01",
               "country=IRQ&until=2030-12-31&format=geojson", "actor=police&limit=3", "actor=", "review=all&limit=2",
               "offset=3&limit=4", "cursor=_1&limit=2", "since=2025-01-01&until=2020-01-01", "actor=%25&limit=2"}
