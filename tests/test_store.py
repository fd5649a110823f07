"""Store tests, each run against a real SQLite file and a real PostgreSQL database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from eventscribe import store as st
from eventscribe.store import Store, StoreUnavailable

D = dt.date(2024, 3, 13)

KHAN_A = ("Gunmen attacked a police checkpoint in Khan Yunis on Wednesday, killing five officers "
          "and wounding several others, local officials said.")
KHAN_B = ("Five policemen died when armed men stormed a checkpoint on the edge of Khan Yunis, "
          "according to the health ministry, which said the attackers fled.")
KHAN_C = ("Nine members of the security forces were killed in an attack on a checkpoint in "
          "Khan Yunis, a spokesman for the interior ministry told our correspondent.")
WIRE = ("A car bomb exploded near the central market of Mosul on Wednesday morning, killing "
        "seven people and wounding twenty, police said. No group has claimed the blast, which "
        "tore through stalls selling vegetables and clothes as shoppers gathered before noon. "
        "Security forces sealed off the area and ambulances took the wounded to hospital.")


MIGRATIONS = Path(st.__file__).with_name("migrations") / "versions"


def _count(s: Store, table) -> int:
    with s.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


def test_open_creates_schema_and_reopen_is_noop(db_url):
    with Store(db_url) as s:
        assert _count(s, st.events) == 0
    with Store(db_url) as s:  # migrations already at head: nothing to do, data kept
        with s.engine.connect() as conn:
            version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        newest = max(f.name[:4] for f in MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.py"))
        assert version == newest  # the newest migration in src/eventscribe/migrations/versions


def test_migration_matches_table_definitions(db_url):
    """The Alembic migration and the Core tables used by the code must not drift apart."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with Store(db_url) as s, s.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), st.metadata)
    assert diffs == []


def test_add_stores_document_mentions_and_event(store, helpers):
    doc = helpers.make_doc("a1", KHAN_A, helpers.event_line(
        place="Khan Yunis", country="PSE", lat=31.34, lon=34.30, date=D, actor="Gunmen",
        target="police", killed=5, trigger="attacked"), url="https://news-a.example/story/1")
    out = store.add(helpers.results_of(doc)[0])
    assert (out.status, out.mentions, out.events_created) == ("added", 1, 1)
    [ev] = store.events()
    assert (ev.type, ev.country, ev.location, ev.date_start) == ("ASSAULT", "PSE", "Khan Yunis", D)
    assert (ev.fatalities_low, ev.fatalities_best, ev.fatalities_high) == (5, 5, 5)
    assert (ev.n_articles, ev.n_sources) == (1, 1)
    assert ev.mentions[0].doc_id == "a1" and "checkpoint" in ev.mentions[0].evidence
    assert ev.event_id_cnty == f"PSE{ev.id}"


def test_same_input_twice_adds_nothing(store, helpers):
    line = helpers.event_line(place="Khan Yunis", country="PSE", lat=31.34, lon=34.30, date=D, killed=5)
    doc = helpers.make_doc("a1", KHAN_A, line, url="https://news-a.example/story/1?utm_source=feed")
    assert store.add(helpers.results_of(doc)[0]).status == "added"
    # same URL once trackers are gone, different id: still the same document
    again = helpers.make_doc("other-id", KHAN_A + " Updated.", line, url="https://news-a.example/story/1")
    # same text, no URL
    copy = helpers.make_doc("a1-copy", KHAN_A, line)
    for d in (doc, again, copy):
        assert store.add(helpers.results_of(d)[0]).status == "exists"
    assert _count(store, st.documents) == 1
    assert _count(store, st.mentions) == 1
    [ev] = store.events()
    assert ev.n_articles == 1


def test_two_publishers_one_attack_reconciled(store, helpers):
    """Three outlets report one attack with different tolls: one event, UCDP-style counts."""
    common = dict(country="PSE", date=D, target="police")
    docs = [
        helpers.make_doc("a", KHAN_A, helpers.event_line(place="Khan Yunis", lat=31.34, lon=34.30,
                         killed=5, trigger="attacked", **common), url="https://a.example/1"),
        helpers.make_doc("b", KHAN_B, helpers.event_line(place="Khan Yunis", lat=31.35, lon=34.31,
                         killed=(3, 7), trigger="stormed", **common), url="https://b.example/2"),
        helpers.make_doc("c", KHAN_C, helpers.event_line(
            place="Khan Yunis", lat=31.34, lon=34.30, killed=9, trigger="attack", **common),
            url="https://c.example/3"),
    ]
    outs = [store.add(r) for r in helpers.results_of(*docs)]
    assert [o.events_created for o in outs] == [1, 0, 0]
    [ev] = store.events()
    assert (ev.n_articles, ev.n_sources) == (3, 3)
    # points: 5, 5 (midpoint of 3..7), 9 -> median 5; low = smallest bound, high = largest
    assert (ev.fatalities_low, ev.fatalities_best, ev.fatalities_high) == (3, 5, 9)
    with store.engine.connect() as conn:
        n_claims = conn.execute(select(func.count()).select_from(st.claims)
                                .where(st.claims.c.event_id == ev.id)).scalar()
    assert n_claims == 3


def _stored_summaries(s: Store) -> dict[int, dict]:
    import json

    with s.engine.connect() as conn:
        return {r.id: json.loads(r.summary) if r.summary else None
                for r in conn.execute(select(st.events.c.id, st.events.c.summary))}


def test_every_merge_rewrites_the_stored_summary(store, helpers):
    """The JSON the API sends is written with the event: after a second source joins, it says
    two articles and the new toll range, the same values as the event's columns."""
    line = dict(place="Khan Yunis", country="PSE", lat=31.34, lon=34.30, date=D, target="police")
    a = helpers.make_doc("a", KHAN_A, helpers.event_line(killed=5, **line), url="https://a.example/1")
    b = helpers.make_doc("b", KHAN_C, helpers.event_line(killed=9, **line), url="https://c.example/3")
    ra, rb = helpers.results_of(a, b)
    store.add(ra)
    [(eid, first)] = _stored_summaries(store).items()
    assert (first["n_articles"], first["fatalities_high"], first["event_id_cnty"]) == (1, 5, f"PSE{eid}")
    store.add(rb)
    after = _stored_summaries(store)[eid]
    [ev] = store.events(with_mentions=False)
    assert (after["n_articles"], after["fatalities_low"], after["fatalities_high"]) == (2, 5, 9)
    assert after == ev.model_dump(mode="json", include=set(st.EventValues.model_fields))


def test_migration_fills_summaries_of_existing_events(db_url, helpers):
    """A store made before summaries were stored gets them when it is upgraded."""
    from alembic import command

    with Store(db_url) as s:
        s.add(helpers.results_of(helpers.make_doc("a", KHAN_A, helpers.event_line(
            place="Khan Yunis", country="PSE", date=D, killed=5)))[0])
        expected = _stored_summaries(s)
        cfg = st._alembic_config()
        with s.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0003")
    with Store(db_url) as s:  # opening upgrades to head
        assert _stored_summaries(s) == expected and all(expected.values())


def test_same_day_same_country_different_cities_stay_apart(store, helpers):
    a = helpers.make_doc("mosul", WIRE, helpers.event_line(
        place="Mosul", country="IRQ", lat=36.34, lon=43.13, date=D, killed=7, trigger="exploded",
        mode="explosives"), url="https://a.example/m")
    b = helpers.make_doc("basra", WIRE.replace("Mosul", "Basra"), helpers.event_line(
        place="Basra", country="IRQ", lat=30.51, lon=47.78, date=D, killed=7, trigger="exploded",
        mode="explosives"), url="https://b.example/b")
    # and without coordinates: different place names in different provinces
    c = helpers.make_doc("kirkuk", WIRE.replace("Mosul", "Kirkuk") + " Extra words here.",
                         helpers.event_line(place="Kirkuk", country="IRQ", admin1="Kirkuk",
                                            date=D, killed=7, trigger="exploded"),
                         url="https://c.example/k")
    d = helpers.make_doc("najaf", WIRE.replace("Mosul", "Najaf") + " Other words there.",
                         helpers.event_line(place="Najaf", country="IRQ", admin1="Najaf",
                                            date=D, killed=7, trigger="exploded"),
                         url="https://d.example/n")
    for r in helpers.results_of(a, b, c, d):
        store.add(r)
    assert sorted(e.location for e in store.events()) == ["Basra", "Kirkuk", "Mosul", "Najaf"]


def test_syndicated_copy_is_linked_and_not_an_independent_source(store, helpers):
    line = helpers.event_line(place="Mosul", country="IRQ", lat=36.34, lon=43.13, date=D,
                              killed=7, trigger="exploded")
    orig = helpers.make_doc("wire", WIRE, line, url="https://wire.example/bomb")
    copy_text = WIRE.replace("police said", "police told reporters") + " (Wire service)"
    copy = helpers.make_doc("copy", copy_text, helpers.event_line(
        place="Mosul", country="IRQ", lat=36.34, lon=43.13, date=D, killed=70, trigger="exploded"),
        url="https://reprint.example/news/bomb")
    assert store.add(helpers.results_of(orig)[0]).status == "added"
    out = store.add(helpers.results_of(copy)[0])
    assert (out.status, out.duplicate_of) == ("syndicated", "wire")
    [ev] = store.events()
    assert (ev.n_articles, ev.n_sources) == (2, 1)
    assert ev.fatalities_best == 7  # the copy's (garbled) 70 is not an independent claim
    assert {m.duplicate_of for m in ev.mentions} == {None, "wire"}


def test_near_duplicate_index_is_shared_by_every_writer(db_url, helpers):
    """Two stores open on one database (two processes, or serve beside an ingest): a copy
    stored by one of an original stored by the other is still a copy."""
    line = helpers.event_line(place="Mosul", country="IRQ", lat=36.34, lon=43.13, date=D,
                              killed=7, trigger="exploded")
    orig = helpers.make_doc("wire", WIRE, line, url="https://wire.example/bomb")
    copy = helpers.make_doc("copy", WIRE.replace("police said", "police told reporters"), line,
                            url="https://reprint.example/news/bomb")
    other = helpers.make_doc("other", KHAN_A, helpers.event_line(place="Khan Yunis", date=D))
    with Store(db_url) as a, Store(db_url) as b:
        assert b.add(helpers.results_of(other)[0]).status == "added"  # b is warm before a writes
        assert a.add(helpers.results_of(orig)[0]).status == "added"
        out = b.add(helpers.results_of(copy)[0])
        assert (out.status, out.duplicate_of) == ("syndicated", "wire")


def test_merge_is_incremental_across_reopen(db_url, helpers):
    line = dict(place="Khan Yunis", country="PSE", lat=31.34, lon=34.30, date=D, target="police")
    with Store(db_url) as s:
        s.add(helpers.results_of(helpers.make_doc("a", KHAN_A, helpers.event_line(
            killed=5, trigger="attacked", **line), url="https://a.example/1"))[0])
    with Store(db_url) as s:
        out = s.add(helpers.results_of(helpers.make_doc("b", KHAN_B, helpers.event_line(
            killed=5, trigger="stormed", **line), url="https://b.example/1"))[0])
        assert (out.events_created, out.events_joined) == (0, 1)
        [ev] = s.events()
        assert ev.n_sources == 2


def test_two_events_in_one_document_never_merge_and_link(store, helpers):
    sentence = ("Troops shelled the village of Tal Abyad on Thursday in retaliation for a rocket "
                "attack on their base in Tal Abyad that killed two soldiers.")
    doc = helpers.make_doc("r", sentence,
                           helpers.event_line(place="Tal Abyad", country="SYR", lat=36.69, lon=38.95,
                                              date=D, trigger="shelled", actor="Troops"),
                           helpers.event_line(place="Tal Abyad", country="SYR", lat=36.69, lon=38.95,
                                              date=D, trigger="attack", killed=2),
                           url="https://a.example/r")
    out = store.add(helpers.results_of(doc)[0])
    assert (out.events_created, out.links) == (2, 1)
    evs = {e.id: e for e in store.events()}
    shelling = next(e for e in evs.values() if e.actor == "Troops")
    [link] = shelling.links
    assert (link.from_event, link.relation) == (shelling.id, "responds_to")
    assert evs[link.to_event].fatalities_best == 2
    assert not store.add_link(link.from_event, link.to_event, "responds_to")  # idempotent


def test_negated_mentions_are_kept_but_make_no_event(store, helpers):
    doc = helpers.make_doc("n", "The army denied shelling the town of Idlib on Tuesday.",
                           helpers.event_line(place="Idlib", country="SYR", date=D,
                                              trigger="shelling", negated=True))
    out = store.add(helpers.results_of(doc)[0])
    assert (out.mentions, out.events_created) == (1, 0)
    assert store.events() == []


def test_event_filters(store, helpers):
    docs = [
        helpers.make_doc("p1", "Protesters marched through Nairobi demanding lower fuel prices.",
                         helpers.event_line("PROTEST", place="Nairobi", country="KEN", lat=-1.29,
                                            lon=36.82, date="2024-03-01", actor="Protesters",
                                            trigger="marched")),
        helpers.make_doc("p2", "Rebels ambushed an army convoy near Goma, killing four soldiers.",
                         helpers.event_line(place="Goma", country="COD", lat=-1.68, lon=29.22,
                                            date="2024-03-10", actor="M23 rebels", target="army",
                                            killed=4, trigger="ambushed")),
    ]
    for r in helpers.results_of(*docs):
        store.add(r)
    assert [e.location for e in store.events(type="protest")] == ["Nairobi"]
    assert [e.location for e in store.events(country="cod")] == ["Goma"]
    assert [e.location for e in store.events(since=dt.date(2024, 3, 5))] == ["Goma"]
    assert [e.location for e in store.events(until=dt.date(2024, 3, 5))] == ["Nairobi"]
    assert [e.location for e in store.events(actor="m23")] == ["Goma"]
    assert [e.location for e in store.events(actor="ARMY")] == ["Goma"]  # target matches too
    assert len(store.events(limit=1)) == 1
    stats = store.stats()
    assert (stats["documents"], stats["events"], stats["mentions"]) == (2, 2, 2)
    assert stats["events_by_type"] == {"ASSAULT": 1, "PROTEST": 1}
    assert stats["fatalities_best"] == 4


def test_locked_sqlite_is_reported_as_unavailable(tmp_path, helpers):
    path = tmp_path / "locked.db"
    Store(str(path)).close()
    holder = create_engine(f"sqlite:///{path}", connect_args={"timeout": 0.1})
    with holder.connect() as conn:
        conn.exec_driver_sql("BEGIN EXCLUSIVE")
        s = Store.__new__(Store)
        s.url = f"sqlite:///{path}"
        s.engine = create_engine(s.url, connect_args={"timeout": 0.2})
        s.merger, s._near_threshold = st.dedup.Merger(st.TABLES), 0.7
        doc = helpers.make_doc("x", KHAN_A)
        with pytest.raises(StoreUnavailable, match="locked"):
            s.add(helpers.results_of(doc)[0])
        conn.exec_driver_sql("ROLLBACK")
    holder.dispose()


def test_unreachable_server_is_reported_as_unavailable():
    with pytest.raises(StoreUnavailable, match="unavailable"):
        Store("postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2")


def test_resolve_db_url(monkeypatch, tmp_path):
    monkeypatch.setenv("EVENTSCRIBE_DB", str(tmp_path / "env.db"))
    assert st.resolve_db_url(None) == f"sqlite:///{tmp_path / 'env.db'}"
    assert st.resolve_db_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    monkeypatch.delenv("EVENTSCRIBE_DB")
    monkeypatch.chdir(tmp_path)
    assert st.resolve_db_url(None) == f"sqlite:///{tmp_path / 'eventscribe.db'}"


def test_iter_events_streams_in_chunks(store, helpers):
    towns = [("Gao", 16.27, -0.04), ("Mopti", 14.49, -4.2), ("Kidal", 18.44, 1.41),
             ("Segou", 13.43, -6.26), ("Kayes", 14.45, -11.44)]
    docs = [helpers.make_doc(f"m{i}", f"Soldiers clashed with fighters near {t} on Sunday, report {i}.",
                             helpers.event_line(place=t, country="MLI", lat=la, lon=lo, date=D,
                                                trigger="clashed"))
            for i, (t, la, lo) in enumerate(towns)]
    for r in helpers.results_of(*docs):
        store.add(r)
    got = list(store.iter_events(chunk=2))
    assert sorted(e.location for e in got) == sorted(t for t, _, _ in towns)
    assert all(len(e.mentions) == 1 for e in got)


def test_readers_open_read_only_and_never_wait_for_a_writer(tmp_path, helpers):
    import os
    import time

    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "events.db"
    with Store(str(path)) as s:
        s.add(helpers.results_of(helpers.make_doc("a", KHAN_A, helpers.event_line(place="Khan Yunis", date=D)))[0])
    # a writer holds the write lock: a reader still answers at once
    holder = create_engine(f"sqlite:///{path}")
    with holder.connect() as conn:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        started = time.monotonic()
        with Store(str(path), readonly=True) as reader:
            assert len(reader.events()) == 1
        assert time.monotonic() - started < 5  # the busy timeout is 10 s
        conn.exec_driver_sql("ROLLBACK")
    holder.dispose()
    # a reader changes nothing, and reads even where SQLite cannot create its -shm file (as
    # in a read-only folder; a directory in its place stands in for that here, as tests may
    # run as root, who can write anywhere)
    for leftover in folder.glob("events.db-*"):
        leftover.unlink()
    before = path.read_bytes()
    (folder / "events.db-shm").mkdir()
    with Store(str(path), readonly=True) as reader:
        assert len(reader.events()) == 1
        with pytest.raises(Exception):
            with reader.engine.begin() as conn:
                conn.exec_driver_sql("DELETE FROM events")
    assert path.read_bytes() == before


def test_a_reader_refuses_an_old_schema_instead_of_upgrading_it(tmp_path):
    path = tmp_path / "old.db"
    Store(str(path)).close()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0002'")
    engine.dispose()
    with pytest.raises(StoreUnavailable, match="upgrade"):
        Store(str(path), readonly=True)


def test_a_new_event_is_written_with_the_values_a_recompute_gives(store, helpers):
    """An event started by one mention is written whole at once, not inserted and then
    recomputed: its row must be what a recompute from the stored mention, claims and JSON
    record gives (parties' countries, arrests, a syndicated copy's publisher, sectors)."""
    import json

    def line(**spec):
        return "@event " + json.dumps(spec)

    arrest = line(type="COERCE", mode="arrest", actor={"name": "Kenya Police", "country": "KEN", "sector": "COP"},
                  target={"name": "protesters", "country": "KEN", "sector": "CVL"},
                  arrested={"min": 12, "max": None}, injured={"min": 3, "max": 3},
                  locations=[{"name": "Nairobi", "country": "KEN", "lat": -1.28, "lon": 36.82, "precision": "place"}],
                  date={"start": "2024-03-12", "end": "2024-03-12"})
    undated = line(type="ACCUSE", actor={"name": "opposition"}, fatalities={"min": None, "max": 4})
    original = helpers.make_doc("wire", WIRE, arrest, undated, url="https://wire.example/1")
    copy = helpers.make_doc("copy", WIRE, arrest, undated, line(type="PROTEST", actor={"name": "students"}),
                            url="https://copy.example/1")
    for result in helpers.results_of(original, copy):
        store.add(result)
    columns = [c for c in st.events.c if c.name not in ("updated_at", "summary")]
    with store.engine.connect() as conn:
        written = {r.id: r for r in conn.execute(select(*columns).order_by(st.events.c.id))}
    assert len(written) == 3 and written[1].arrested_low == 12 and written[1].actor_country == "KEN"
    with store._write() as conn:
        for event_id in written:
            store.merger.recompute(conn, event_id, now=dt.datetime(2030, 1, 1))
        again = {r.id: r for r in conn.execute(select(*columns).order_by(st.events.c.id))}
    assert again == written
    assert (written[3].n_articles, written[3].n_sources) == (1, 0)  # the copy's own event: no independent source


# --- stamps in commit order (the API's cursor watermark) ---------------------------------------

def _wait_before_the_lock(s: Store, gate, waiting) -> None:
    """Make ``s`` stop at ``gate`` whenever it opens a write, before it asks for the lock:
    a writer held up there, as by another writer's lock, commits after one that came later."""
    import contextlib

    opened = s._write

    @contextlib.contextmanager
    def held_up():
        waiting.set()
        gate.wait(10)
        with opened() as conn:
            yield conn

    s._write = held_up


def _stamps(s: Store) -> dict:
    with s.engine.connect() as conn:
        return {r.location: r.updated_at for r in conn.execute(select(st.events.c.location, st.events.c.updated_at))}


def _town_results(helpers, *towns):
    return helpers.results_of(*(
        helpers.make_doc(f"t{i}", f"Soldiers clashed with fighters near {town} on Sunday.",
                         helpers.event_line(place=town, country="MLI", date=D, trigger="clashed"))
        for i, town in enumerate(towns)))


@pytest.mark.parametrize("late_writer", ["ingest", "review"])
def test_a_writer_that_waited_for_the_lock_stamps_after_the_one_that_committed_first(db_url, helpers, late_writer):
    """Writer A starts, is held up before the write lock; writer B starts later, commits; then
    A commits. A's change must carry the later stamp: a cursor whose watermark is B's stamp
    would otherwise never bring A's change (eventscribe.listing)."""
    import threading
    import time

    from eventscribe import review

    gao, mopti, kidal = _town_results(helpers, "Gao", "Mopti", "Kidal")
    late, early = Store(db_url), Store(db_url)
    try:
        late.add(gao)
        gate, waiting, failed = threading.Event(), threading.Event(), []
        _wait_before_the_lock(late, gate, waiting)
        write = (lambda: late.add(mopti)) if late_writer == "ingest" else (
            lambda: review.set_status(late, 1, "accept", "ana"))

        def run():
            try:
                write()
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                failed.append(exc)

        thread = threading.Thread(target=run)
        thread.start()
        assert waiting.wait(10)
        time.sleep(0.002)  # the clock moves on while A waits
        early.add(kidal)
        gate.set()
        thread.join(30)
        assert not thread.is_alive() and not failed
        stamps = _stamps(early)
        a_place = "Mopti" if late_writer == "ingest" else "Gao"
        assert stamps[a_place] > stamps["Kidal"]
    finally:
        late.close()
        early.close()


def test_stamps_keep_rising_when_the_clock_steps_back(store, helpers, monkeypatch):
    """Each commit's stamp is after every stamp stored before, whatever the clock says."""
    from eventscribe import review

    gao, mopti = _town_results(helpers, "Gao", "Mopti")
    store.add(gao)
    monkeypatch.setattr(st, "_clock", lambda: dt.datetime(2001, 1, 1))
    store.add(mopti)
    after_ingest = _stamps(store)
    assert after_ingest["Mopti"] > after_ingest["Gao"]
    review.set_status(store, 1, "accept", "ana")
    assert _stamps(store)["Gao"] > after_ingest["Mopti"]


def test_opening_a_new_database_another_process_is_creating_tries_again(tmp_path, monkeypatch):
    """SQLite may say "database is locked" at once while a second process creates the same new
    file; opening waits a moment and tries again instead of failing (a lock that stays fails)."""
    from sqlalchemy.exc import OperationalError

    from eventscribe import store as store_mod

    real, calls = store_mod.migrate, []

    def locked_once(engine):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("PRAGMA journal_mode=WAL", {}, Exception("database is locked"))
        real(engine)

    monkeypatch.setattr(store_mod, "migrate", locked_once)
    with store_mod.Store(str(tmp_path / "new.db")) as s:
        assert s.stats()["documents"] == 0
    assert len(calls) == 2

    def always_locked(engine):
        raise OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))

    monkeypatch.setattr(store_mod, "migrate", always_locked)
    with pytest.raises(store_mod.StoreUnavailable, match="locked"):
        store_mod.Store(str(tmp_path / "other.db"))
