"""`eventscribe review list|history|accept|reject|reopen`: the review workflow from a shell.

The same actions as the API (:mod:`eventscribe.review`), on the store given by ``--db``; the
reviewer's name is ``--reviewer`` (default: the login name).
"""

from __future__ import annotations

import getpass
import json
import sys
from typing import Literal

import typer

review_app = typer.Typer(help="Review events: the queue, an event's history, accept/reject/reopen.",
                         no_args_is_help=True)
_DB_HELP = "Database: a SQLite file path or a SQLAlchemy URL. Default $EVENTSCRIBE_DB or eventscribe.db."


@review_app.command("list")
def list_queue(
    db: str = typer.Option(None, "--db", help=_DB_HELP),
    limit: int = typer.Option(20, "--limit", "-n", min=1, help="At most N events."),
    format: Literal["table", "jsonl"] = typer.Option("table", "--format", "-f"),  # noqa: A002
) -> None:
    """The review queue: unreviewed events, what most needs a person first, with the reasons."""
    from .cli import _open_store
    from .review import queue

    store = _open_store(db, must_exist=True, readonly=True)
    try:
        items, _ = queue(store, [], limit=limit)
        events = {e.id: e for e in store.events(review="unreviewed", with_mentions=False)} if items else {}
    finally:
        store.close()
    for item in items:
        e = events.get(item.event_id)
        if format == "jsonl":
            typer.echo(json.dumps({"id": item.event_id, "priority": item.priority, "reasons": item.reasons}))
        elif e is not None:
            where = ", ".join(x for x in (e.location, e.country) if x)
            typer.echo(f"{item.event_id:>6}  {item.priority:5.2f}  {e.type:<9} {str(e.date_start or ''):<10}  "
                       f"{(e.actor or '-')[:30]} -> {(e.target or '-')[:30]} @ {where}  [{'; '.join(item.reasons)}]")


@review_app.command("history")
def show_history(event_id: int = typer.Argument(..., help="The event's id."),
                 db: str = typer.Option(None, "--db", help=_DB_HELP)) -> None:
    """What reviewers did to an event, oldest first (time, reviewer, action, field: old -> new, note)."""
    from .cli import _open_store
    from .review import history

    store = _open_store(db, must_exist=True, readonly=True)
    try:
        records = history(store, event_id)
    finally:
        store.close()
    for h in records:
        change = f"{h.field}: {json.dumps(h.old)} -> {json.dumps(h.new)}" if h.field else json.dumps(h.new)
        typer.echo(f"{h.at:%Y-%m-%d %H:%M:%S}  {h.reviewer:<12} {h.action:<7} {change}"
                   + (f"  ({h.note})" if h.note else ""))


def _status_command(action: str):
    def run(event_id: int = typer.Argument(..., help="The event's id."),
            db: str = typer.Option(None, "--db", help=_DB_HELP),
            reviewer: str = typer.Option(None, "--reviewer", help="Your name in the history (default: login name)."),
            note: str = typer.Option(None, "--note", help="Why.")) -> None:
        from .cli import EXIT_USAGE, _fail, _open_store
        from .review import EventNotFound, ReviewError, set_status

        store = _open_store(db, must_exist=True)
        try:
            set_status(store, event_id, action, reviewer or getpass.getuser(), note)
        except (EventNotFound, ReviewError) as exc:
            _fail(str(exc), EXIT_USAGE)
        finally:
            store.close()
        print(f"event {event_id}: {action}ed".replace("eed", "ed"), file=sys.stderr)

    run.__doc__ = {"accept": "Accept an event (it is right as reviewed).",
                   "reject": "Reject an event (hidden from lists, map and exports).",
                   "reopen": "Put an event back to unreviewed."}[action]
    return run


for _action in ("accept", "reject", "reopen"):
    review_app.command(_action)(_status_command(_action))
