"""Command line: `eventscribe extract|eval|ingest|events|export|stats|serve|review`.

Exit codes: 0 success; 1 some input failed (the rest was processed); 2 usage error;
3 database unavailable or locked (store commands).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, NoReturn

import typer

from .guard import DEFAULT_MAX_INFLIGHT

app = typer.Typer(
    help="Turn news articles into PLOVER event records.",
    no_args_is_help=True,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"eventscribe {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                      help="Print the version and exit.")) -> None:
    """Turn news articles into PLOVER event records."""

EXIT_OK = 0
EXIT_INPUT_FAILED = 1
EXIT_USAGE = 2


def _fail(message: str, code: int) -> NoReturn:
    """Stop the command with one line, ``error: message``, on standard error and the exit
    code; the exception being handled, if any, is not chained (no traceback to read)."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code) from None


# --- extraction (owner: lead) -------------------------------------------------


def document_error_line(item) -> str:
    """One line for an unreadable input, naming its path (and line, and document id when the
    id is not already in the path). Plain text: callers print it with markup off, so that
    square brackets in file names and messages survive."""
    where = f"{item.source}:{item.line}" if item.line else str(item.source)
    if item.doc_id and item.doc_id not in where:
        where += f" ({item.doc_id})"
    return f"error {where}: {item.message}"


def print_document_error(console, item) -> None:
    from rich.text import Text

    line = Text(document_error_line(item))
    line.stylize("red", 0, 5)
    console.print(line, highlight=False, soft_wrap=True)


def warn_undated(console, undated: list[str], limit: int = 5) -> None:
    """Once per run: documents without a publication date, whose relative dates ("on Friday",
    "last week") cannot be resolved and are left out rather than guessed."""
    if not undated:
        return
    names = ", ".join(undated[:limit]) + (f" and {len(undated) - limit} more" if len(undated) > limit else "")
    console.print(f"warning: {len(undated)} document{'s' if len(undated) > 1 else ''} without a publication "
                  f"date ({names}): relative dates in them are left out; give --published YYYY-MM-DD",
                  markup=False, highlight=False, soft_wrap=True)


def parse_date_option(value: str | None, option: str) -> dt.date | None:
    """A YYYY-MM-DD option value, or a usage error naming the option."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        _fail(f"{option} must be a date as YYYY-MM-DD, got {value!r}", EXIT_USAGE)


_DICTIONARY_HELP = ("User dictionary directory (actors.tsv, places.tsv, vetoes.tsv, PETRARCH *.actors.txt / "
                    "*.agents.txt) that extends ours; default $EVENTSCRIBE_DICTIONARY.")


def use_dictionary(path: str | None) -> None:
    """Read the user dictionary now (``--dictionary`` or the environment): a bad file stops
    the command with one line naming the file and line, before any work."""
    from .userdict import DictionaryError, use

    try:
        use(path)
    except DictionaryError as exc:
        _fail(f"user dictionary: {exc}", EXIT_USAGE)


@app.command()
def extract(
    paths: list[str] = typer.Argument(..., help="Files (.txt .html .jsonl .json .yaml), folders, feeds, WARC files, URLs, or - for stdin."),
    published: str = typer.Option(None, "--published", help="Fallback publication date (YYYY-MM-DD) for documents without one."),
    format: Literal["jsonl", "json", "csv", "table"] = typer.Option(None, "--format", "-f", help="Default: table on a terminal, jsonl when piped."),  # noqa: A002
    out: str = typer.Option(None, "--out", "-o", help="Write to this file instead of standard output."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Worker processes for extraction."),
    fetch_links: bool = typer.Option(False, "--fetch-links", help="Feeds: read the article each entry links to (http/https only, 10 s timeout, 1 s between requests to one host, 20 MB limit), not just its summary."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    dictionary: str = typer.Option(None, "--dictionary", metavar="DIR", help=_DICTIONARY_HELP),
) -> None:
    """Extract PLOVER events from news articles.

    Documents that cannot be read are reported on stderr, one line each; the
    others are still processed. Exit code 1 when any input failed.
    """
    import sys

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .export import EXTRACT_FORMATS, EventWriter
    from .model import DocumentError
    from .pipeline import Pipeline
    from .sources import count_inputs, read_sources

    fallback = parse_date_option(published, "--published")
    use_dictionary(dictionary)
    fmt = format or ("table" if sys.stdout.isatty() and out is None else "jsonl")
    if fmt not in EXTRACT_FORMATS:
        _fail(f"--format must be one of {', '.join(EXTRACT_FORMATS)}, got {fmt!r}", EXIT_USAGE)
    err = Console(stderr=True)
    failures = 0
    undated: list[str] = []

    def documents():
        nonlocal failures
        for item in read_sources(paths, fallback, fetch_articles=True if fetch_links else None):
            if isinstance(item, DocumentError):
                failures += 1
                print_document_error(err, item)
                progress.update(task, advance=1)
            else:
                if item.published is None:
                    undated.append(item.id)
                yield item

    stream = open(out, "w", encoding="utf-8", newline="") if out else sys.stdout
    n_docs = n_events = n_foreign = n_off_topic = 0
    pipeline = Pipeline(n_process=workers)
    try:
        writer = EventWriter(fmt, stream)
        with Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[events]} events"),
                      TimeElapsedColumn(), console=err, disable=quiet or not err.is_terminal, transient=True) as progress:
            total = count_inputs(paths) if err.is_terminal and not quiet else None
            task = progress.add_task("extract", total=total, events=0)
            for result in pipeline.extract(documents()):
                writer.write(result.events)
                if result.language not in (None, "en"):
                    # not silence: one line per document the English rules did not read
                    n_foreign += 1
                    where = result.document.source or result.document.id
                    err.print(f"skipped {where}: {result.skipped}", markup=False, highlight=False, soft_wrap=True)
                elif result.skipped:
                    n_off_topic += 1
                if result.failed:
                    failures += 1
                    where = result.document.source or result.document.id
                    err.print(f"failed {where}: the extractor raised {result.failed}", markup=False, highlight=False,
                              soft_wrap=True)
                if result.limited:
                    where = result.document.source or result.document.id
                    err.print(f"warning {where}: {result.limited}", markup=False, highlight=False, soft_wrap=True)
                n_docs += 1
                n_events += len(result.events)
                progress.update(task, advance=1, events=n_events)
        writer.close()
    finally:
        pipeline.close()
        if out:
            stream.close()
    warn_undated(err, undated)
    if not quiet:
        notes = [f"{n_foreign} not in English" if n_foreign else "",
                 f"{n_off_topic} not political or conflict news" if n_off_topic else "",
                 f"{failures} inputs failed" if failures else ""]
        err.print(", ".join([f"{n_docs} documents, {n_events} events", *filter(None, notes)]), highlight=False)
    raise typer.Exit(EXIT_INPUT_FAILED if failures else EXIT_OK)


@app.command()
def schema(out: str = typer.Option(None, "--out", "-o", help="Write to this file.")) -> None:
    """Print the JSON Schema of the event record."""
    import json

    from .model import Event

    text = json.dumps(Event.model_json_schema(), indent=2) + "\n"
    if out:
        with open(out, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        typer.echo(text, nl=False)


# --- evaluation (owner: eval) -------------------------------------------------


@app.command("eval")
def eval_command(
    gold: str = typer.Argument(..., help="Gold folder (YAML/JSON files) or JSONL file."),
    format: Literal["table", "json"] = typer.Option("table", "--format", help="Output format."),  # noqa: A002
    by: Literal["type", "field"] = typer.Option(None, "--by", help="Only the table by type or by field (default: both)."),
    errors: int = typer.Option(0, "--errors", help="Also list the first N errors."),
    write_baseline: str = typer.Option(
        None, "--write-baseline", help="Write the rounded scores to this JSON file "
        "(the quality gate's tests/baseline_scores.json)."),
    half: Literal["tune", "held"] = typer.Option(
        None, "--half", help="Score only one half: tune (stories at even positions, for "
        "tuning) or held (odd positions, held out)."),
    reliability: bool = typer.Option(False, "--reliability", help="Also print how often events of each "
                                     "confidence are right (bins, mean confidence, fraction right, ECE)."),
    dictionary: str = typer.Option(None, "--dictionary", metavar="DIR", help=_DICTIONARY_HELP),
) -> None:
    """Run the pipeline on gold documents and print precision, recall, F1 and field accuracy."""
    import json as _json

    from rich.console import Console

    from .evaluate import GoldFormatError, evaluate, render
    from .evaluate import write_baseline as _write_baseline

    if format not in ("table", "json") or by not in (None, "type", "field") \
            or half not in (None, "tune", "held"):
        typer.echo("--format must be table|json, --by type|field and --half tune|held", err=True)
        raise typer.Exit(EXIT_USAGE)
    use_dictionary(dictionary)
    from rich.progress import Progress

    try:
        err = Console(stderr=True)
        with Progress(console=err, disable=not err.is_terminal, transient=True) as progress:
            task = progress.add_task("evaluating", total=None)
            predictions: dict = {}
            scores = evaluate(gold, keep_errors=errors > 0, half=half, predictions=predictions,
                              progress=lambda done, total: progress.update(task, completed=done, total=total))
    except (GoldFormatError, FileNotFoundError) as exc:
        typer.echo(f"cannot read gold: {exc}", err=True)
        raise typer.Exit(EXIT_INPUT_FAILED) from exc
    if write_baseline:
        _write_baseline(scores, write_baseline)
    if format == "json":
        summary = scores.summary()
        if not errors:
            summary.pop("errors", None)
        else:
            summary["errors"] = summary.get("errors", [])[:errors]
        if reliability:
            table = _reliability(gold, half, predictions)
            summary["reliability"] = {"ece": round(table.ece, 4), "events": table.count, "bins": table.rows()}
        typer.echo(_json.dumps(summary, indent=2, default=str))
    else:
        Console().print(*render(scores, by=by, errors=errors), sep="\n")
        if reliability:
            from .reliability import markdown

            typer.echo("\n" + markdown("Reliability of confidence", _reliability(gold, half, predictions)))


def _reliability(gold: str, half: str | None, predictions: dict):
    """The reliability table of an eval run's events (``eval --reliability``)."""
    from .evaluate import load_gold, split_half
    from .reliability import labelled, reliability

    return reliability(labelled(split_half(load_gold(gold), half), predictions))


# --- store: ingest / events / export / stats (owner: store) ------------------

EXIT_DB_UNAVAILABLE = 3

_DB_HELP = "Database: a SQLite file path or a SQLAlchemy URL (postgresql+psycopg://...). Default $EVENTSCRIBE_DB or eventscribe.db."
_DASK_ADDRESS = r"^(tcp|tls|inproc|ucx|ws|wss)://|^[\w.\-]+:\d+$"


def _refuse_missing_database(db: str | None) -> None:
    """Exit 3 with one line when --db names a SQLite file that does not exist."""
    from .store import missing_sqlite_file

    missing = missing_sqlite_file(db)
    if missing:
        _fail(f"no database at {missing} (create one with: eventscribe ingest FILES --db {missing})", EXIT_DB_UNAVAILABLE)


def _open_store(db: str | None, must_exist: bool = False, readonly: bool = False):
    """Open the store or exit 3 with one line saying why. Commands that only read
    (``must_exist``) refuse a SQLite path with no file rather than create an empty database
    and answer with nothing: a mistyped --db is the usual cause."""
    from .store import Store, StoreUnavailable

    if must_exist:
        _refuse_missing_database(db)
    try:
        return Store(db, readonly=readonly)
    except StoreUnavailable as exc:
        _fail(str(exc), EXIT_DB_UNAVAILABLE)


@app.command()
def ingest(
    sources: list[str] = typer.Argument(..., help="Files, folders, JSONL, feeds, WARC files, URLs, or - for stdin."),
    db: str = typer.Option(None, "--db", help=_DB_HELP),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Extraction processes (spaCy n_process; Dask workers with --dask)."),
    dask: bool = typer.Option(False, "--dask", help="Extract on Dask: a LocalCluster of --workers processes (or --scheduler)."),
    scheduler: str = typer.Option(None, "--scheduler", metavar="ADDRESS",
                                  help="Extract on the Dask scheduler at ADDRESS (tcp://host:8786); implies --dask."),
    published: str = typer.Option(None, "--published", help="Fallback publication date (YYYY-MM-DD)."),
    fetch_links: bool = typer.Option(False, "--fetch-links", help="Feeds: read the article each entry links to (entries already stored are not fetched again)."),
    format: Literal["table", "json"] = typer.Option("table", "--format", "-f", help="Format of the summary."),  # noqa: A002
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    dictionary: str = typer.Option(None, "--dictionary", metavar="DIR", help=_DICTIONARY_HELP),
) -> None:
    """Read articles, extract events, and merge them into the event database.

    Re-running on the same input adds nothing; an interrupted run can simply be
    re-run. Exit codes: 0 ok, 1 some input failed, 2 usage, 3 database unavailable.
    """
    import json as _json
    import re

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from .ingest import ingest as run_ingest
    from .store import StoreUnavailable

    if format not in ("table", "json"):
        _fail(f"--format must be table or json, got {format!r}", EXIT_USAGE)
    fallback = parse_date_option(published, "--published")
    if scheduler is not None and not re.search(_DASK_ADDRESS, scheduler):
        _fail(f"--scheduler must be an address such as tcp://host:8786, got {scheduler!r}", EXIT_USAGE)
    dask_arg = scheduler or (True if dask else None)
    use_dictionary(dictionary)
    err = Console(stderr=True)
    store = _open_store(db)
    try:
        with Progress(SpinnerColumn(), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                      TimeElapsedColumn(), console=err, disable=quiet or not err.is_terminal, transient=True) as progress:
            from .sources import count_inputs

            total = count_inputs(sources) if err.is_terminal and not quiet else None
            task = progress.add_task("ingesting", total=total)

            def tick(r):
                progress.update(task, completed=r.documents_read + r.failed, description=(
                    f"{r.documents_read} read, {r.added} new, {r.syndicated} copies, "
                    f"{r.already_stored} known, {r.failed} failed; {r.events_created} events"))

            report = run_ingest(sources, store, published=fallback, workers=workers, dask=dask_arg, progress=tick,
                                fetch_links=True if fetch_links else None)
    except StoreUnavailable as exc:
        _fail(f"{exc} (documents committed before this stay stored)", EXIT_DB_UNAVAILABLE)
    finally:
        store.close()
    for e in report.errors:
        print_document_error(err, e)
    for w in report.warnings:
        err.print(f"warning {w}", markup=False, highlight=False, soft_wrap=True)
    if format == "json":
        typer.echo(_json.dumps(report.to_json(), indent=2))
    elif not quiet:
        rate = report.documents_read / report.seconds if report.seconds else 0.0
        err.print(f"{report.documents_read} documents read: {report.added} added, {report.syndicated} syndicated copies, "
                  f"{report.already_stored} already stored, {report.failed} failed; {report.mentions} mentions -> "
                  f"{report.events_created} new events, {report.events_joined} merged, {report.links} links "
                  f"({report.seconds:.1f} s, {rate:.1f} docs/s)", highlight=False)
    raise typer.Exit(EXIT_INPUT_FAILED if report.failed else EXIT_OK)


def country_option(value: str | None) -> str | None:
    """A country given as ISO alpha-3, alpha-2 or name, as the alpha-3 code the store keeps;
    a usage error with the hint otherwise (never a silent empty answer)."""
    if value is None:
        return None
    from .countries import UnknownCountry, resolve_country

    try:
        return resolve_country(value)
    except UnknownCountry as exc:
        _fail(f"--country: {exc}", EXIT_USAGE)


@app.command()
def events(
    db: str = typer.Option(None, "--db", help=_DB_HELP),
    since: str = typer.Option(None, "--since", help="Events ending on or after this date (YYYY-MM-DD)."),
    until: str = typer.Option(None, "--until", help="Events starting on or before this date."),
    type: str = typer.Option(None, "--type", "-t", help="PLOVER type, e.g. ASSAULT."),  # noqa: A002
    country: str = typer.Option(None, "--country", "-c", help="Country: ISO 3166 alpha-3 code (IRQ) or name (Iraq)."),
    actor: str = typer.Option(None, "--actor", "-a", help="Text in the actor or target name."),
    format: Literal["table", "json", "jsonl", "csv"] = typer.Option(None, "--format", "-f", help="Default: table on a terminal, jsonl when piped."),  # noqa: A002
    limit: int = typer.Option(None, "--limit", "-n", min=1, help="At most N events."),
    review: Literal["all", "unreviewed", "accepted", "rejected", "reviewed"] = typer.Option(
        None, "--review", help="Events of this review status (default: all but the rejected ones)."),
) -> None:
    """List canonical (merged) events from the database."""
    import sys

    from .export import EVENTS_LIST_FORMATS, print_stored_event_table, write_stored_events
    from .model import PLOVER_TYPES

    fmt = format or ("table" if sys.stdout.isatty() else "jsonl")
    if fmt not in EVENTS_LIST_FORMATS:
        _fail(f"--format must be one of {', '.join(EVENTS_LIST_FORMATS)}, got {fmt!r}", EXIT_USAGE)
    if type and type.upper() not in PLOVER_TYPES:
        _fail(f"--type must be a PLOVER type ({', '.join(PLOVER_TYPES)}), got {type!r}", EXIT_USAGE)
    d0, d1 = parse_date_option(since, "--since"), parse_date_option(until, "--until")
    country = country_option(country)
    store = _open_store(db, must_exist=True, readonly=True)
    try:
        found = store.iter_events(since=d0, until=d1, type=type, country=country, actor=actor, limit=limit,
                                  review=review)
        if fmt == "table":
            print_stored_event_table(found, sys.stdout)
        else:
            write_stored_events(found, fmt, sys.stdout)
    finally:
        store.close()


@app.command("export")
def export_command(
    format: Literal["jsonl", "json", "csv", "geojson", "parquet"] = typer.Option(..., "--format", "-f", help="csv and parquet: ACLED's columns, then ours."),  # noqa: A002
    db: str = typer.Option(None, "--db", help=_DB_HELP),
    out: str = typer.Option(None, "--out", "-o", help="Output file (required for parquet; default standard output)."),
    all_types: bool = typer.Option(False, "--all-types", help="csv/parquet: also the verbal and diplomatic events ACLED does not code (empty event_type)."),
    reviewed_only: bool = typer.Option(False, "--reviewed-only", help="Only the events a reviewer accepted (the dataset to publish)."),
    review: Literal["all", "unreviewed", "accepted", "rejected", "reviewed"] = typer.Option(
        None, "--review", help="Events of this review status (default: all but the rejected ones)."),
) -> None:
    """Export all canonical events of the database (csv and parquet: ACLED's 31 columns, then ours).

    Reviewed values are exported, with review_status and reviewed (accepted) per row; rejected
    events are left out unless --review all or rejected asks for them."""
    import sys

    from .export import STORE_EXPORT_FORMATS, write_stored_events

    if format not in STORE_EXPORT_FORMATS:
        _fail(f"--format must be one of {', '.join(STORE_EXPORT_FORMATS)}, got {format!r}", EXIT_USAGE)
    if format == "parquet" and not out:
        _fail("--format parquet needs --out FILE", EXIT_USAGE)
    from rich.console import Console
    from rich.progress import track

    store = _open_store(db, must_exist=True, readonly=True)
    err = Console(stderr=True)
    try:
        events = store.iter_events(review="accepted" if reviewed_only else review)
        if out and err.is_terminal:  # a bar only when the events go to a file, not the terminal
            events = track(events, total=store.stats()["events"], description="exporting", console=err, transient=True)
        n = write_stored_events(events, format, out or sys.stdout, only_acled=not all_types)
    finally:
        store.close()
    if out:
        typer.echo(f"{n} events written to {out}", err=True)


@app.command()
def watch(
    feeds: list[str] = typer.Argument(..., help="Feed URLs or files (RSS/Atom)."),
    db: str = typer.Option(None, "--db", help=_DB_HELP),
    every: str = typer.Option("15m", "--every", help="Time between rounds: 30s, 15m, 1h, 1h30m ..."),
    rounds: int = typer.Option(0, "--rounds", min=0, help="Stop after N rounds (0: run until interrupted)."),
    published: str = typer.Option(None, "--published", help="Fallback publication date (YYYY-MM-DD)."),
    fetch_links: bool = typer.Option(True, "--fetch-links/--summaries-only", help="Read the linked articles (default) or only the feeds' own text."),
    dictionary: str = typer.Option(None, "--dictionary", metavar="DIR", help=_DICTIONARY_HELP),
) -> None:
    """Poll feeds and ingest what is new, round after round, until interrupted (Ctrl-C).

    One line per feed per round; a feed that is down costs only its line, a database that is
    briefly unavailable is retried next round. Already stored articles are never fetched again.
    """
    from rich.console import Console

    from .watch import parse_interval
    from .watch import watch as run_watch

    try:
        interval = parse_interval(every)
    except ValueError as exc:
        _fail(f"--every: {exc}", EXIT_USAGE)
    fallback = parse_date_option(published, "--published")
    use_dictionary(dictionary)
    err = Console(stderr=True)
    store = _open_store(db)

    def report(n: int, outcome) -> None:
        stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        if outcome.problem:
            err.print(f"{stamp} round {n} {outcome.feed}: {outcome.problem}", markup=False, highlight=False, soft_wrap=True)
            return
        r = outcome.report
        err.print(f"{stamp} round {n} {outcome.feed}: {r.added} new, {r.syndicated} copies, {r.already_stored} known, "
                  f"{r.failed} failed; {r.events_created} new events, {r.events_joined} merged",
                  markup=False, highlight=False, soft_wrap=True)
        for e in r.errors:
            print_document_error(err, e)

    try:
        run_watch(feeds, store, every=interval, rounds=rounds or None, published=fallback,
                  fetch_links=fetch_links, on_feed=report)
    except KeyboardInterrupt:
        err.print("stopped", markup=False)
    finally:
        store.close()


@app.command()
def stats(
    db: str = typer.Option(None, "--db", help=_DB_HELP),
    format: Literal["table", "json"] = typer.Option("table", "--format", "-f", help="Output format."),  # noqa: A002
) -> None:
    """Summary of the database: documents, copies, mentions, events, links."""
    import json as _json

    from rich.console import Console
    from rich.table import Table

    if format not in ("table", "json"):
        _fail(f"--format must be table or json, got {format!r}", EXIT_USAGE)
    store = _open_store(db, must_exist=True, readonly=True)
    try:
        data = store.stats()
    finally:
        store.close()
    if format == "json":
        typer.echo(_json.dumps(data, indent=2))
        return
    table = Table(title="eventscribe database", show_header=False)
    for key, value in data.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items()) or "-"
        table.add_row(key.replace("_", " "), "-" if value is None else str(value))
    Console().print(table)



# --- web: serve (owner: web) --------------------------------------------------


def read_token(token: str | None, token_file: str | None, from_command_line: bool, err) -> str | None:
    """The server's write token: from --token-file, $EVENTSCRIBE_API_TOKEN, or --token (which
    every user of the machine can read in `ps`, so it gets a warning)."""
    if token_file:
        try:
            value = open(token_file, encoding="utf-8").read().strip()
        except OSError as exc:
            _fail(f"cannot read --token-file {token_file}: {exc.strerror or exc}", EXIT_USAGE)
        if not value:
            _fail(f"--token-file {token_file} is empty", EXIT_USAGE)
        return value
    if token and from_command_line:
        err.print("warning: --token on the command line is visible to every user in `ps`; "
                  "use --token-file FILE or $EVENTSCRIBE_API_TOKEN", markup=False, highlight=False)
    return token or None


def port_in_use(host: str, port: int) -> bool:
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


@app.command()
def serve(
    ctx: typer.Context,
    db: str = typer.Option(None, "--db", help=_DB_HELP),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port to listen on."),
    token_file: str = typer.Option(None, "--token-file", help="File holding the Bearer token that POST /api/documents requires; without a token the API is read-only."),
    token: str = typer.Option(None, "--token", envvar="EVENTSCRIBE_API_TOKEN", show_envvar=True,
                              help="The token itself (prefer --token-file or the environment: a command line is visible in `ps`)."),
    max_body: int = typer.Option(25 * 1024 * 1024, "--max-body", min=1024, help="Largest request body in bytes (413 past it)."),
    max_inflight: int = typer.Option(DEFAULT_MAX_INFLIGHT, "--max-inflight", min=1,
                                     help="Requests admitted at once per worker (served or waiting their turn); past it 503 with Retry-After."),
    workers: int = typer.Option(None, "--workers", "-w", min=1, help="Server processes sharing the port (default: the number of cores)."),
    log_level: Literal["critical", "error", "warning", "info", "debug"] = typer.Option("info", "--log-level", help="Server log level."),
    dictionary: str = typer.Option(None, "--dictionary", metavar="DIR", help=_DICTIONARY_HELP + " POST /api/dictionary adds to it."),
    reviewers: str = typer.Option(None, "--reviewers", metavar="FILE",
                                  help="Reviewers' named tokens (YAML or TSV: name, token, role write|read); also $EVENTSCRIBE_REVIEWERS."),
) -> None:
    """Serve the REST API (/api, docs at /docs) and the map/timeline page (/) — all offline."""
    from click.core import ParameterSource
    from rich.console import Console

    from .api import serve as run_server
    from .store import StoreUnavailable

    _refuse_missing_database(db)
    if dictionary is not None:
        from pathlib import Path

        Path(dictionary).mkdir(parents=True, exist_ok=True)  # the API may add the first entry
    use_dictionary(dictionary)
    if reviewers:
        from .review import ReviewError, Reviewers

        try:
            Reviewers.configured(reviewers_file=reviewers)
        except (OSError, ReviewError, ValueError) as exc:
            _fail(f"--reviewers {reviewers}: {exc}", EXIT_USAGE)
    secret = read_token(token, token_file, ctx.get_parameter_source("token") == ParameterSource.COMMANDLINE,
                        Console(stderr=True))
    if port and port_in_use(host, port):
        _fail(f"cannot listen on {host}:{port}: the port is in use (another server?); choose --port", EXIT_USAGE)
    try:
        import os

        run_server(db, host=host, port=port, token=secret, log_level=log_level, max_body=max_body,
                   max_inflight=max_inflight, workers=workers or os.cpu_count() or 1, reviewers_file=reviewers)
    except StoreUnavailable as exc:
        _fail(str(exc), EXIT_DB_UNAVAILABLE)


from .cli_review import review_app  # noqa: E402  (registers `eventscribe review ...`)

app.add_typer(review_app, name="review")

from .cli_dictionary import dictionary_app  # noqa: E402  (registers `eventscribe dictionary ...`)

app.add_typer(dictionary_app, name="dictionary")

if __name__ == "__main__":
    app()
