"""Opening the event database: URLs, SQLite connection settings, migrations, one-line errors.

Everything :class:`eventscribe.store.Store` needs before it reads or writes a row: which
database ``--db`` names, how SQLite connections are set up (WAL, the write lock taken at
BEGIN, read-only readers), bringing the schema to the newest Alembic revision, and errors
that say in one line which database is unavailable, never with its password.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import Engine

DEFAULT_DB = "eventscribe.db"
ENV_DB = "EVENTSCRIBE_DB"


class StoreUnavailable(RuntimeError):
    """The database cannot be opened or is locked (CLI exit code 3)."""


def resolve_db_url(db: str | None = None) -> str:
    """``--db`` value to a SQLAlchemy URL: a path means SQLite, a URL is used as is.

    No value: ``$EVENTSCRIBE_DB``, else ``eventscribe.db`` in the working directory.
    """
    db = db or os.environ.get(ENV_DB) or DEFAULT_DB
    if "://" in db:
        return db
    return "sqlite:///" + str(Path(db).expanduser().resolve())


def missing_sqlite_file(db: str | None = None) -> str | None:
    """The path of the SQLite file that ``--db`` names when that file does not exist
    (``None`` when it exists or ``db`` is a server URL): read-only commands refuse it
    instead of creating an empty database."""
    url = resolve_db_url(db)
    if not url.startswith("sqlite:///") or url == "sqlite:///:memory:":
        return None
    path = Path(url[len("sqlite:///"):])
    return None if path.exists() else str(path)



WRITER_LOCK_KEY = 7_263_001  # PostgreSQL advisory lock id held by a document's write transaction


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # Let SQLAlchemy, not the sqlite3 module, issue BEGIN (see _sqlite_begin).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=10000")  # first: switching to WAL may have to wait too
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    _sqlite_cache_pragmas(cur)
    cur.close()


def _sqlite_begin(conn) -> None:
    """``BEGIN IMMEDIATE`` for writes: take the write lock up front.

    A deferred transaction that reads and then writes can fail at once with
    "database is locked" when another process committed in between (the
    busy timeout does not apply to that upgrade); IMMEDIATE waits instead.
    """
    immediate = conn.get_execution_options().get("es_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _sqlite_read_pragmas(dbapi_conn, _record) -> None:
    """A reader changes nothing: no journal-mode switch, which would need write access."""
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA query_only=ON")
    _sqlite_cache_pragmas(cur)
    cur.close()


def _sqlite_cache_pragmas(cur) -> None:
    """Read the file through a memory map and keep more pages per connection: a list page
    looks up rows all over the table, and through SQLite's default 2 MB cache each lookup
    was a read() call (a third of a filtered page's CPU on 100k events)."""
    cur.execute("PRAGMA mmap_size=268435456")
    cur.execute("PRAGMA cache_size=-8192")


def _alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    return cfg


@lru_cache(maxsize=1)
def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def schema_revision(engine: Engine) -> str | None:
    """The database's Alembic revision, read without a write transaction (None: no schema)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (no-op when current).

    The revision is read first, without a write transaction: a database that is already
    current is opened without taking the write lock, so opening never waits for a writer."""
    from alembic import command

    if schema_revision(engine) == head_revision():
        return
    cfg = _alembic_config()
    # a write transaction (BEGIN IMMEDIATE on SQLite): two processes opening a
    # new database at once must not both try to create it
    with engine.connect().execution_options(es_write=True) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK_KEY})")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _is_unavailable(exc: Exception) -> bool:
    msg = str(exc).lower()
    return any(s in msg for s in ("locked", "unable to open", "connection", "could not connect",
                                  "server closed", "readonly", "read-only", "disk i/o"))


def masked_url(url: str) -> str:
    """The URL with its password replaced by ***: error messages never show a secret."""
    return _mask(url)


def _mask(text: str) -> str:
    return re.sub(r"://([^:@/\s]*):[^@/\s]+@", r"://\1:***@", text)


def _one_line(exc: Exception, url: str) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = _mask(" ".join(str(orig).split()))
    return f"database unavailable ({masked_url(url)}): {text[:200]}"
