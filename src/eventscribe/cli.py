"""Command line: `eventscribe extract|eval|ingest|events|export|stats|serve`.

Exit codes: 0 success; 1 some input failed (the rest was processed); 2 usage error.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Turn news articles into PLOVER event records.",
    no_args_is_help=True,
    add_completion=False,
)

EXIT_OK = 0
EXIT_INPUT_FAILED = 1
EXIT_USAGE = 2


# --- extraction (owner: lead) -------------------------------------------------


# --- evaluation (owner: eval) -------------------------------------------------


@app.command("eval")
def eval_command(
    gold: str = typer.Argument(..., help="Gold folder (YAML/JSON files) or JSONL file."),
    format: str = typer.Option("table", "--format", help="table | json"),  # noqa: A002
    by: str = typer.Option(None, "--by", help="type | field (default: both)"),
    errors: int = typer.Option(0, "--errors", help="Also list the first N errors."),
    write_baseline: str = typer.Option(
        None, "--write-baseline", help="Write the rounded scores to this JSON file "
        "(the quality gate's tests/baseline_scores.json)."),
) -> None:
    """Run the pipeline on gold documents and print precision, recall, F1 and field accuracy."""
    import json as _json

    from rich.console import Console

    from .evaluate import GoldFormatError, evaluate, render
    from .evaluate import write_baseline as _write_baseline

    if format not in ("table", "json") or by not in (None, "type", "field"):
        typer.echo("--format must be table|json and --by type|field", err=True)
        raise typer.Exit(EXIT_USAGE)
    try:
        scores = evaluate(gold, keep_errors=errors > 0)
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
        typer.echo(_json.dumps(summary, indent=2, default=str))
    else:
        Console().print(*render(scores, by=by, errors=errors), sep="\n")


# --- store: ingest / events / export / stats (owner: store) ------------------


# --- web: serve (owner: web) --------------------------------------------------


if __name__ == "__main__":
    app()
