"""Review actions on a store (eventscribe.review), on SQLite and on PostgreSQL: every action
writes its history, reviewed values win over new sources and re-ingest, and survive an upgrade."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import create_engine, select

from eventscribe import review
from eventscribe.export import write_stored_events
from eventscribe.review import ReviewError, Reviewers
from eventscribe.store import TABLES, Store

D = dt.date(2024, 5, 6)
MARKET_A = ("A bomb went off in the main market of Baidoa on Monday, killing four traders, "
            "the district commissioner told reporters.")
MARKET_B = ("Seven people died when an explosive device hidden in a cart blew up in a market in "
            "Baidoa, a hospital doctor said on Monday.")
MARKET_C = ("Witnesses in Baidoa said the market blast on Monday left many shops burnt and at least "
            "five dead, with the toll expected to rise.")
RALLY = ("Hundreds of teachers marched through the centre of Nakuru on Monday demanding unpaid "
         "salaries, union officials said.")


def _market(helpers, doc_id, prose, killed, url):
    return helpers.make_doc(doc_id, prose, helpers.event_line(
        place="Baidoa", country="SOM", lat=3.11, lon=43.65, date=D, killed=killed, target="traders",
        trigger=prose.split()[1], mode="explosives"), url=url)


def _one_event(store, helpers):
    out = store.add(helpers.results_of(_market(helpers, "a", MARKET_A, 4, "https://a.example/1"))[0])
    return out.event_ids[0]


def _history(store, eid):
    return [(h.action, h.field, h.old, h.new, h.reviewer) for h in review.history(store, eid)]


def test_accept_reject_reopen_write_history_and_hide_rejected(store, helpers):
    eid = _one_event(store, helpers)
    assert store.event(eid).review_status == "unreviewed"
    review.set_status(store, eid, "accept", "ana", "checked against the wire")
    assert store.event(eid).review_status == "accepted"
    review.set_status(store, eid, "reject", "ben")
    assert [e.id for e in store.events()] == []  # rejected: hidden by default
    assert [e.id for e in store.events(review="rejected")] == [eid]
    assert [e.id for e in store.events(review="all")] == [eid]
    review.set_status(store, eid, "reopen", "ana")
    assert [e.id for e in store.events(review="unreviewed")] == [eid]
    assert _history(store, eid) == [
        ("accept", "review_status", "unreviewed", "accepted", "ana"),
        ("reject", "review_status", "accepted", "rejected", "ben"),
        ("reopen", "review_status", "rejected", "unreviewed", "ana")]
    assert review.history(store, eid)[0].note == "checked against the wire"
    with pytest.raises(ReviewError):
        review.set_status(store, eid, "approve", "ana")
    with pytest.raises(review.EventNotFound):
        review.set_status(store, 999, "accept", "ana")


def test_edit_sets_every_kind_of_field(store, helpers):
    eid = _one_event(store, helpers)
    changed = review.edit(store, eid, {
        "type": "assault", "mode": "suicide", "actor": {"name": "al-Shabaab", "country": "Somalia", "sector": "reb"},
        "target": {"name": "market traders", "country": "SOM", "sector": "CVL"},
        "place": {"name": "Baidoa", "country": "SOM", "admin1": "Bay", "lat": 3.1136, "lon": 43.6498},
        "date": "2024-05-05", "fatalities": {"low": 4, "best": 6, "high": 7}, "injured": 12, "arrested": 0,
    }, "ana", "from the ministry's statement")
    ev = store.event(eid)
    assert (ev.mode, ev.actor, ev.actor_country, ev.actor_sector) == ("suicide", "al-Shabaab", "SOM", "REB")
    assert (ev.target, ev.target_country, ev.target_sector) == ("market traders", "SOM", "CVL")
    assert (ev.location, ev.admin1, ev.lat, ev.lon, ev.geo_precision) == ("Baidoa", "Bay", 3.1136, 43.6498, "place")
    assert (ev.date_start, ev.date_end, ev.date_precision) == (dt.date(2024, 5, 5), dt.date(2024, 5, 5), "day")
    assert (ev.fatalities_low, ev.fatalities_best, ev.fatalities_high) == (4, 6, 7)
    assert (ev.injured_best, ev.arrested_low, ev.arrested_best, ev.arrested_high) == (12, 0, 0, 0)
    assert "fatalities_best" in changed and set(changed) == set(ev.reviewed_fields)
    [rec] = [h for h in review.history(store, eid) if h.field == "fatalities_best"]
    assert (rec.action, rec.old, rec.new, rec.reviewer) == ("edit", 4, 6, "ana")


@pytest.mark.parametrize("fields, words", [
    ({"type": "FIGHT"}, "not a PLOVER type"),
    ({"mode": "banquet"}, "not a mode of ASSAULT"),
    ({"type": "PROTEST", "mode": "drone"}, "not a mode of PROTEST"),
    ({"country": "XX1"}, "no country"),
    ({"actor": {"name": "x", "country": "Atlantis"}}, "no country"),
    ({"actor_sector": "ARMY"}, "not a sector"),
    ({"fatalities": -1}, "0 or more"),
    ({"injured": 2.5}, "whole number"),
    ({"fatalities": {"low": 9, "high": 3}}, "low <= best <= high"),
    ({"date": "05/05/2024"}, "YYYY-MM-DD"),
    ({"date": {"start": "2024-05-07", "end": "2024-05-01"}}, "after the end"),
    ({"place": {"lat": 3.1}}, "both lat and lon"),
    ({"lat": 123.0}, "between -90 and 90"),
    ({"colour": "red"}, "not a field"),
    ({}, "at least one field"),
])
def test_bad_values_are_refused_and_change_nothing(store, helpers, fields, words):
    eid = _one_event(store, helpers)
    before = store.event(eid)
    with pytest.raises(ReviewError, match=words):
        review.edit(store, eid, fields, "ana")
    assert store.event(eid) == before
    assert review.history(store, eid) == []


def test_a_new_type_drops_a_mode_it_does_not_have(store, helpers):
    eid = _one_event(store, helpers)
    review.edit(store, eid, {"type": "PROTEST"}, "ana")
    ev = store.event(eid)
    assert (ev.type, ev.mode) == ("PROTEST", None)
    assert ("edit", "mode", "explosives", None, "ana") in _history(store, eid)


def test_conflicting_edits_later_wins_both_in_history(store, helpers):
    eid = _one_event(store, helpers)
    review.edit(store, eid, {"fatalities": 5}, "ana")
    review.edit(store, eid, {"fatalities": 6}, "ben")
    assert store.event(eid).fatalities_best == 6
    best = [(h.reviewer, h.old, h.new) for h in review.history(store, eid) if h.field == "fatalities_best"]
    assert best == [("ana", 4, 5), ("ben", 5, 6)]


def test_reviewed_values_survive_new_mentions_and_reingest(store, helpers):
    eid = _one_event(store, helpers)
    review.edit(store, eid, {"fatalities": 4, "place": {"name": "Baidoa town", "lat": 3.12, "lon": 43.66}}, "ana")
    # a new source with another toll merges into the event: re-reconciled, the reviewed values win
    out = store.add(helpers.results_of(_market(helpers, "b", MARKET_B, 7, "https://b.example/2"))[0])
    assert out.event_ids == [eid]
    ev = store.event(eid)
    assert (ev.n_sources, ev.fatalities_best, ev.location) == (2, 4, "Baidoa town")
    # the same documents again add nothing and change nothing
    for doc in (_market(helpers, "a", MARKET_A, 4, "https://a.example/1"),
                _market(helpers, "b", MARKET_B, 7, "https://b.example/2")):
        assert store.add(helpers.results_of(doc)[0]).status == "exists"
    assert store.event(eid) == ev


def test_party_countries_and_arrests_are_reconciled_from_the_mentions(store, helpers):
    import json

    def raid(doc_id, arrested, url, prose=RALLY):
        spec = {"type": "COERCE", "mode": "arrest", "date": {"start": D.isoformat(), "end": D.isoformat()},
                "locations": [{"name": "Nakuru", "country": "KEN", "lat": -0.28, "lon": 36.07, "precision": "place"}],
                "actor": {"name": "police", "country": "KEN", "sector": "COP"},
                "target": {"name": "teachers", "country": "KEN", "sector": "CVL"},
                "arrested": {"min": arrested, "max": arrested}, "trigger": "marched"}
        return helpers.make_doc(doc_id, prose, "@event " + json.dumps(spec), url=url)

    [eid] = store.add(helpers.results_of(raid("k1", 12, "https://k.example/1"))[0]).event_ids
    store.add(helpers.results_of(raid("k2", 20, "https://m.example/2",
                                      RALLY + " Police later detained some of the marchers."))[0])
    ev = store.event(eid)
    assert (ev.n_sources, ev.actor_country, ev.target_country) == (2, "KEN", "KEN")
    assert (ev.arrested_low, ev.arrested_best, ev.arrested_high) == (12, 16, 20)


def test_revert_gives_the_field_back_to_the_sources(store, helpers):
    eid = _one_event(store, helpers)
    review.edit(store, eid, {"fatalities": 9, "arrested": 2}, "ana")
    review.revert(store, eid, ["fatalities_low", "fatalities_best", "fatalities_high", "arrested_best"], "ana")
    ev = store.event(eid)
    assert (ev.fatalities_best, ev.arrested_best, ev.arrested_low) == (4, None, 2)
    assert set(ev.reviewed_fields) == {"arrested_low", "arrested_high"}


def test_merge_moves_mentions_claims_links_and_keeps_reviewed_values(store, helpers):
    a = _one_event(store, helpers)
    # a report placed elsewhere that the merger keeps apart
    doc = helpers.make_doc("c", MARKET_C, helpers.event_line(
        place="Mogadishu", country="SOM", lat=2.04, lon=45.34, date=D, killed=(5, None),
        trigger="blast"), url="https://c.example/3")
    b = store.add(helpers.results_of(doc)[0]).event_ids[0]
    assert a != b
    review.edit(store, a, {"fatalities": 5}, "ana")
    review.edit(store, b, {"injured": 20, "fatalities": 50}, "ben")
    review.merge(store, a, b, "ana", "same blast")
    kept = store.event(a)
    assert {m.doc_id for m in kept.mentions} == {"a", "c"} and kept.n_sources == 2
    assert kept.fatalities_best == 5  # the kept event's reviewed value
    assert kept.injured_best == 20  # the other's fills a field the kept one had none for
    with store.engine.connect() as conn:
        claim_events = {r.event_id for r in conn.execute(select(TABLES.claims.c.event_id))}
    assert claim_events == {a}
    gone = store.event(b)
    assert gone.merged_into == a and gone.mentions == []
    assert [e.id for e in store.events(review="all")] == [a]
    stats = store.stats()
    assert (stats["merged_events"], stats["events_by_review_status"]) == (1, {"unreviewed": 1})
    assert ("merge", "merged_into", None, a, "ana") in _history(store, b)
    assert any(h[0] == "merge" and h[3] == {"merged": b} for h in _history(store, a))
    # a merged-away event takes no new mentions, and cannot be reviewed any more
    with pytest.raises(ReviewError, match="merged into"):
        review.set_status(store, b, "accept", "ana")
    with pytest.raises(ReviewError, match="itself"):
        review.merge(store, a, a, "ana")


def test_split_moves_mentions_into_a_new_event(store, helpers):
    eid = _one_event(store, helpers)
    store.add(helpers.results_of(_market(helpers, "b", MARKET_B, 7, "https://b.example/2"))[0])
    review.edit(store, eid, {"actor": "unknown gunmen"}, "ana")
    with store.engine.connect() as conn:
        mids = {r.doc_id: r.id for r in conn.execute(select(TABLES.mentions.c.id, TABLES.mentions.c.doc_id))}
    new = review.split(store, eid, [mids["b"]], "ben", "a second blast")
    old_ev, new_ev = store.event(eid), store.event(new)
    assert [m.doc_id for m in old_ev.mentions] == ["a"] and [m.doc_id for m in new_ev.mentions] == ["b"]
    assert (old_ev.fatalities_best, new_ev.fatalities_best) == (4, 7)  # each re-reconciled
    assert old_ev.actor == "unknown gunmen" and new_ev.reviewed_fields == []
    assert _history(store, new)[0][:2] == ("split", None)
    with pytest.raises(ReviewError, match="must stay"):
        review.split(store, eid, [mids["a"]], "ben")
    with pytest.raises(ReviewError, match="not a mention"):
        review.split(store, eid, [mids["b"]], "ben")


def test_queue_puts_what_needs_a_person_first(store, helpers):
    quiet = helpers.make_doc("rally", RALLY, helpers.event_line(
        "PROTEST", place="Nakuru", country="KEN", lat=-0.28, lon=36.07, date=D, actor="teachers",
        trigger="marched"), url="https://k.example/1")
    store.add(helpers.results_of(quiet)[0])
    a = _one_event(store, helpers)
    store.add(helpers.results_of(_market(helpers, "b", MARKET_B, 40, "https://b.example/2"))[0])
    items, scanned = review.queue(store, [])
    assert scanned == 2 and items[0].event_id == a
    assert "high toll" in items[0].reasons and any(r.startswith("sources disagree") for r in items[0].reasons)
    review.set_status(store, a, "accept", "ana")
    items, _ = review.queue(store, [])
    assert a not in [i.event_id for i in items]


def test_export_reviewed_only_and_reviewed_column(store, helpers, tmp_path):
    import csv
    import json

    a = _one_event(store, helpers)
    store.add(helpers.results_of(helpers.make_doc("rally", RALLY, helpers.event_line(
        "PROTEST", place="Nakuru", country="KEN", lat=-0.28, lon=36.07, date=D, trigger="marched"),
        url="https://k.example/1"))[0])
    review.edit(store, a, {"fatalities": 6}, "ana")
    review.set_status(store, a, "accept", "ana")
    path = tmp_path / "out.csv"
    write_stored_events(store.iter_events(review="accepted"), "csv", str(path))
    [row] = list(csv.DictReader(path.open()))
    assert (row["fatalities"], row["reviewed"], row["review_status"]) == ("6", "True", "accepted")
    rows = [json.loads(line) for line in _jsonl(store)]
    assert sorted(r["review_status"] for r in rows) == ["accepted", "unreviewed"]
    assert {r["reviewed"] for r in rows} == {True, False}


def _jsonl(store):
    import io

    buf = io.StringIO()
    write_stored_events(store.iter_events(), "jsonl", buf)
    return buf.getvalue().splitlines()


def test_reviewers_from_files_and_environment(tmp_path):
    tsv = tmp_path / "reviewers.tsv"
    tsv.write_text("# who may review\nname\ttoken\trole\nana\tt-ana\twrite\nkim\tt-kim\tread\n")
    yml = tmp_path / "reviewers.yaml"
    yml.write_text("- {name: ben, token: t-ben}\n- {name: lee, token: t-lee, role: read}\n")
    found = Reviewers.configured("t-admin", str(tsv), env={"EVENTSCRIBE_REVIEWERS": "zoe:t-zoe:read"})
    assert [(r.name, r.role) for r in found.items] == [("admin", "write"), ("ana", "write"), ("kim", "read"),
                                                       ("zoe", "read")]
    assert found.find("t-kim").name == "kim" and found.find("nope") is None
    assert [r.name for r in Reviewers.configured(env={"EVENTSCRIBE_REVIEWERS": str(yml)}).items] == ["ben", "lee"]
    with pytest.raises(ReviewError, match="role"):
        review.parse_inline_reviewers("ana:tok:admin")


def test_upgrade_of_an_old_store_keeps_its_data_and_reviews_work(tmp_path, helpers):
    """A store written before review (revision 0004, with documents, mentions and claims that
    point at its events) upgrades to the head with its events unreviewed and unchanged; a
    reviewed value then survives a new mention merging in."""
    from alembic import command
    from sqlalchemy import event as sa_event

    from eventscribe.store import _alembic_config, _sqlite_pragmas

    path = tmp_path / "old.db"
    with Store(str(path)) as s:  # the data, written by today's code ...
        s.add(helpers.results_of(_market(helpers, "a", MARKET_A, 4, "https://a.example/1"))[0])
    engine = create_engine(f"sqlite:///{path}")
    sa_event.listen(engine, "connect", _sqlite_pragmas)  # foreign keys on, as the store has them
    cfg = _alembic_config()
    with engine.begin() as conn:  # ... taken back to the schema before review
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004")
    engine.dispose()
    with Store(str(path)) as s:  # opening upgrades it
        [ev] = s.events()
        assert (ev.target_country, ev.arrested_best) == (None, None)  # the mention names none
        assert (ev.review_status, ev.reviewed_fields, ev.fatalities_best, ev.location, ev.n_articles) == (
            "unreviewed", [], 4, "Baidoa", 1)
        review.edit(s, ev.id, {"fatalities": 2}, "ana")
        s.add(helpers.results_of(_market(helpers, "b", MARKET_B, 7, "https://b.example/2"))[0])
        after = s.event(ev.id)
        assert (after.fatalities_best, after.n_sources) == (2, 2)


def test_cli_export_reviewed_only_and_review_commands(tmp_path, helpers):
    import csv
    import io

    from typer.testing import CliRunner

    from eventscribe.cli import app

    path = tmp_path / "cli.db"
    with Store(str(path)) as s:
        eid = _one_event(s, helpers)
        s.add(helpers.results_of(helpers.make_doc("rally", RALLY, helpers.event_line(
            "PROTEST", place="Nakuru", country="KEN", lat=-0.28, lon=36.07, date=D, trigger="marched"),
            url="https://k.example/1"))[0])
        review.edit(s, eid, {"fatalities": 6}, "ana", "wire update")
    runner = CliRunner()
    res = runner.invoke(app, ["review", "accept", str(eid), "--db", str(path), "--reviewer", "ben"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["export", "-f", "csv", "--all-types", "--reviewed-only", "--db", str(path)])
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert [(r["fatalities"], r["reviewed"], r["reviewed_fields"]) for r in rows] == [
        ("6", "True", "fatalities_best; fatalities_high; fatalities_low")]
    res = runner.invoke(app, ["export", "-f", "csv", "--all-types", "--db", str(path)])
    assert len(list(csv.DictReader(io.StringIO(res.stdout)))) == 2
    res = runner.invoke(app, ["review", "history", str(eid), "--db", str(path)])
    assert "ana" in res.stdout and "fatalities_best: 4 -> 6" in res.stdout and "(wire update)" in res.stdout
    assert "accept" in res.stdout and "ben" in res.stdout
    res = runner.invoke(app, ["review", "list", "--db", str(path)])
    assert res.exit_code == 0 and "PROTEST" in res.stdout and f"{eid:>6}" not in res.stdout


def test_upgrade_fills_party_countries_and_arrests_of_old_events(tmp_path, helpers):
    import json

    from alembic import command
    from sqlalchemy import event as sa_event

    from eventscribe.store import _alembic_config, _sqlite_pragmas

    spec = {"type": "COERCE", "mode": "arrest", "actor": {"name": "police", "country": "KEN", "sector": "COP"},
            "arrested": {"min": 30, "max": None}, "trigger": "marched"}
    path = tmp_path / "old.db"
    with Store(str(path)) as s:
        [eid] = s.add(helpers.results_of(helpers.make_doc("k", RALLY, "@event " + json.dumps(spec)))[0]).event_ids
    engine = create_engine(f"sqlite:///{path}")
    sa_event.listen(engine, "connect", _sqlite_pragmas)
    with engine.begin() as conn:  # as an older eventscribe left it: no reconciled party countries
        cfg = _alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0007")
        conn.exec_driver_sql("UPDATE events SET actor_country = NULL, arrested_low = NULL, "
                             "arrested_best = NULL, arrested_high = NULL")
    engine.dispose()
    with Store(str(path)) as s:
        ev = s.event(eid)
        assert (ev.actor_country, ev.arrested_low, ev.arrested_best, ev.arrested_high) == ("KEN", 30, 30, 30)
