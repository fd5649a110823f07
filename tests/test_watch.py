"""`eventscribe watch`: rounds of feed polling into one store, surviving feeds that are down."""

from __future__ import annotations

import socket

import pytest

from eventscribe.store import Store
from eventscribe.watch import parse_interval, watch
from test_sources import _Handler, server  # noqa: F401 - the local HTTP test server fixture


def test_intervals():
    assert parse_interval("15m") == 900 and parse_interval("1h30m") == 5400 and parse_interval("45") == 45
    for bad in ("soon", "0s", "15 minutes", "m"):
        with pytest.raises(ValueError):
            parse_interval(bad)


def test_rounds_ingest_what_is_new_and_survive_a_feed_that_is_down(server, tmp_path):  # noqa: F811
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    down = f"http://127.0.0.1:{sock.getsockname()[1]}/feed.xml"
    sock.close()  # nothing listens there
    seen, slept = [], []
    _Handler.hits.clear()
    with Store(str(tmp_path / "live.db")) as store:
        n = watch([down, f"{server}/feed.xml"], store, every=60, rounds=2,
                  on_feed=lambda r, outcome: seen.append((r, outcome)), sleep=slept.append)
        assert n == 2 and len(slept) == 1 and 0 < slept[0] <= 60
        first = [o.report for r, o in seen if r == 1]
        second = [o.report for r, o in seen if r == 2]
        assert first[0].failed == 1 and "cannot connect" in first[0].errors[0].message  # the down feed
        assert first[1].added == 3  # two articles and one summary (its article is gone)
        assert (second[1].documents_read, second[1].added, second[1].failed) == (0, 0, 0)
        assert store.stats()["documents"] == 3
    # articles stored in round 1 were not fetched again in round 2
    assert _Handler.hits["/articles/two.html"] == 1


def test_watch_command_runs_rounds_on_a_feed_file(tmp_path):
    from pathlib import Path

    from typer.testing import CliRunner

    from eventscribe.cli import app

    feed = Path(__file__).parent / "fixtures" / "sources" / "national.rss"
    db = tmp_path / "w.db"
    result = CliRunner().invoke(app, ["watch", str(feed), "--db", str(db), "--every", "1s", "--rounds", "2",
                                      "--summaries-only"])
    assert result.exit_code == 0, result.output
    lines = [l for l in result.stderr.splitlines() if " round " in l]
    assert len(lines) == 2 and " new" in lines[0]
    assert CliRunner().invoke(app, ["watch", str(feed), "--db", str(db), "--every", "soon"]).exit_code == 2
