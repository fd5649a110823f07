"""`eventscribe dictionary check|list`: read a user dictionary directory as extraction would.

For a user who writes entries by hand or brings a PETRARCH/TABARI file: ``check`` says what
each file gave (or the first error, with file and line, exit 2), ``list`` prints the entries.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import typer

dictionary_app = typer.Typer(help="User dictionaries: check a directory, list its entries.", no_args_is_help=True)
_DIR_HELP = "The dictionary directory (default $EVENTSCRIBE_DICTIONARY)."


def _load(directory: str | None):
    from . import userdict
    from .cli import EXIT_USAGE, _fail

    root = directory or (str(userdict.directory()) if userdict.directory() else None)
    if root is None:
        _fail(f"give a directory (or set ${userdict.ENV})", EXIT_USAGE)
    try:
        return userdict.load(root)
    except userdict.DictionaryError as exc:
        _fail(f"user dictionary: {exc}", EXIT_USAGE)


@dictionary_app.command("check")
def check(directory: str = typer.Argument(None, help=_DIR_HELP)) -> None:
    """Read every file of the directory; one line per file with what it gave."""
    value = _load(directory)
    per_file: dict[str, Counter] = {}
    for kind, items in (("actors", value.actors), ("places", value.places)):
        for item in items:
            name = Path(item.where.rsplit(":", 1)[0]).name
            per_file.setdefault(name, Counter())[kind if kind != "actors" or item.kind != "sector" else "agents"] += 1
    if value.vetoes:
        per_file.setdefault("vetoes.tsv", Counter())["vetoes"] = len(value.vetoes)
    for name, counts in sorted(per_file.items()):
        typer.echo(f"{name}: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
    total = len(value.actors) + len(value.places) + len(value.vetoes)
    typer.echo(f"{value.directory}: {total} entries, ok")


@dictionary_app.command("list")
def list_entries(directory: str = typer.Argument(None, help=_DIR_HELP)) -> None:
    """Every entry as one JSON line: {"dictionary": actors|places|vetoes, ...}."""
    from .userdict import as_rows

    for kind, rows in as_rows(_load(directory)).items():
        for row in rows:
            typer.echo(json.dumps({"dictionary": kind, **row}, ensure_ascii=False, default=str))
