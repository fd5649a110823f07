"""Database fixtures: every store test runs on a SQLite file and on PostgreSQL.

PostgreSQL tests need ``EVENTSCRIBE_TEST_PG_URL`` (``.ci/postgres.sh`` starts
a server and prints it); each test gets a database of its own, dropped
afterwards. Without the variable those tests are skipped, with the reason.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import uuid
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
sys.path.insert(0, str(FIXTURES))

PG_ENV = "EVENTSCRIBE_TEST_PG_URL"


def _pg_database(base_url: str):
    """Create a fresh database on the server of ``base_url``; yield its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = "es_test_" + uuid.uuid4().hex[:12]
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A URL of an empty database: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "events.db")
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set (run: eval \"$(bash .ci/postgres.sh)\")")
    yield from _pg_database(base)


@pytest.fixture
def store(db_url):
    from eventscribe.store import Store

    s = Store(db_url)
    yield s
    s.close()


def event_line(type="ASSAULT", *, place=None, country=None, admin1=None, lat=None, lon=None,
               date=None, actor=None, target=None, killed=None, injured=None, trigger=None,
               sentence=None, negated=False, mode=None) -> str:
    """An ``@event`` line for :mod:`canned_pipeline`: the event a test document reports."""
    spec: dict = {"type": type}
    if mode:
        spec["mode"] = mode
    if place or country:
        spec["locations"] = [{"name": place or country, "country": country, "admin1": admin1,
                              "lat": lat, "lon": lon,
                              "precision": "place" if place else "country"}]
    if date:
        d = date.isoformat() if isinstance(date, dt.date) else date
        spec["date"] = {"start": d, "end": d}
    if actor:
        spec["actor"] = {"name": actor}
    if target:
        spec["target"] = {"name": target}
    if killed is not None:
        lo, hi = killed if isinstance(killed, tuple) else (killed, killed)
        spec["fatalities"] = {"min": lo, "max": hi}
    if injured is not None:
        spec["injured"] = {"min": injured, "max": injured}
    if trigger:
        spec["trigger"] = trigger
    if sentence:
        spec["sentence"] = sentence
    if negated:
        spec["negated"] = True
    return "@event " + json.dumps(spec)


def make_doc(doc_id: str, prose: str, *events: str, url: str | None = None,
             published: dt.date | None = dt.date(2024, 3, 14), title: str | None = None):
    """A Document whose canned events are the given ``event_line`` strings."""
    from eventscribe.model import Document

    return Document(id=doc_id, text=prose + ("\n" + "\n".join(events) if events else ""),
                    url=url, published=published, title=title)


def results_of(*docs):
    """DocumentResults of the canned pipeline, for Store.add."""
    from canned_pipeline import CannedPipeline

    return list(CannedPipeline().extract(docs))


@pytest.fixture
def helpers():
    from types import SimpleNamespace

    return SimpleNamespace(event_line=event_line, make_doc=make_doc, results_of=results_of)
