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


# --- store: ingest / events / export / stats (owner: store) ------------------


# --- web: serve (owner: web) --------------------------------------------------


if __name__ == "__main__":
    app()
