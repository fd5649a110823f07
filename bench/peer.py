"""Score eventscribe on the public peer data sets and on our own dev gold, in one table.

    python bench/peer.py                         # all sets, default sampling
    python bench/peer.py --only plover-gsr,case2021-task2 --sample 100
    python bench/peer.py --write docs/accuracy.md
    python bench/peer.py --update-baseline       # rewrite tests/baseline_scores.json

The peer data lives outside the repository (default ``../shared/peer`` next to the repo,
or ``$EVENTSCRIBE_PEER_DIR``); it is read in place and never copied. Each set's loader and
scoring rules are in ``bench/peers/<set>.py``. A set that is missing is skipped.

To add a set (e.g. the ECB+ merge score): write ``run(root, n) -> list[Row]`` in a module
under ``bench/peers/`` and register it with :func:`add_peer` (or in ``PEERS`` below).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from peers import (  # noqa: E402
    case2021,
    ecbplus,
    geoparsing,
    india_police,
    petrarch,
    plover_gsr,
    wikievents,
)
from peers.common import Row  # noqa: E402

Runner = Callable[[Path, "int | None"], list[Row]]

# name -> (runner, folder under the peer root, default sample size or None for all)
PEERS: dict[str, tuple[Runner, str, int | None]] = {
    "plover-gsr": (plover_gsr.run, "plover-gsr", None),
    "case2021-task2": (case2021.run, "case2021-task2", None),
    "petrarch-validation": (petrarch.run, "petrarch-validation", None),
    "wikievents": (wikievents.run, "wikievents", None),
    "india-police-events": (india_police.run, "india-police-events", None),
    "geoparsing-gold": (geoparsing.run, "geoparsing-gold", None),
    "ecbplus": (ecbplus.run, "ecbplus", None),
}

GOLD = REPO / "examples" / "gold"
BASELINE = REPO / "tests" / "baseline_scores.json"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def add_peer(name: str, runner: Runner, folder: str, default_sample: int | None = None) -> None:
    """Register another benchmark set (a hook for sets scored by other modules)."""
    PEERS[name] = (runner, folder, default_sample)


def peer_root() -> Path:
    return Path(os.environ.get("EVENTSCRIBE_PEER_DIR", REPO.parent / "shared" / "peer"))


def dev_gold_rows() -> list[Row]:
    """Our own dev gold (examples/gold) through `eventscribe eval`."""
    from eventscribe.evaluate import evaluate

    scores = evaluate(GOLD, keep_errors=False)
    o = scores.overall
    split = f"{scores.documents} docs"
    rows = [
        Row("eventscribe dev gold", "event F1", o.f1, o.gold, split,
            note=f"P {o.precision:.2f} R {o.recall:.2f}"),
    ]
    rows += [Row("eventscribe dev gold", f"field: {name}", fs.accuracy, fs.n, split,
                 note=f"accuracy over matched; recall over gold {fs.recall:.2f} (n={fs.gold})")
             for name, fs in scores.fields.items() if fs.n and fs.recall is not None]
    inv = scores.invented
    rows.append(Row("eventscribe dev gold", "documents with invented events",
                    inv.with_events / inv.documents if inv.documents else None,
                    inv.documents, split, note=f"{inv.events} events; lower is better"))
    return rows


def run_all(names: list[str], sample: int | None) -> tuple[list[Row], dict[str, float]]:
    root = peer_root()
    rows: list[Row] = []
    timings: dict[str, float] = {}
    if "dev-gold" in names and any(GOLD.glob("*.y*ml")):
        t0 = time.perf_counter()
        rows += dev_gold_rows()
        timings["dev-gold"] = time.perf_counter() - t0
    for name in names:
        if name not in PEERS:
            continue
        runner, folder, default_n = PEERS[name]
        if not (root / folder).is_dir():
            print(f"skip {name}: {root / folder} not found", file=sys.stderr)
            continue
        t0 = time.perf_counter()
        try:
            rows += runner(root, sample if sample is not None else default_n)
        except ImportError as exc:  # a stage not written yet (e.g. eventscribe.geo)
            rows.append(Row(name, "not run", None, 0, note=f"{type(exc).__name__}: {exc}"))
        timings[name] = time.perf_counter() - t0
        print(f"{name}: {timings[name]:.0f} s", file=sys.stderr)
    return rows, timings


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def markdown(rows: list[Row]) -> str:
    lines = ["| set | metric | split | n | eventscribe | peer | note |",
             "|---|---|---|---:|---:|---|---|"]
    for r in rows:
        cells = [r.dataset, r.metric, r.split, str(r.n), _fmt(r.value), r.peer, r.note]
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return "\n".join(lines)


def print_table(rows: list[Row]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="eventscribe accuracy")
    for col in ("set", "metric", "split", "n", "ours", "peer", "note"):
        table.add_column(col, justify="right" if col in ("n", "ours") else "left",
                         overflow="fold")
    for r in rows:
        table.add_row(r.dataset, r.metric, r.split, str(r.n), _fmt(r.value), r.peer, r.note)
    Console(width=None if sys.stdout.isatty() else 180).print(table)


def git_head() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def write_report(path: Path, rows: list[Row], timings: dict[str, float], sample: int | None) -> None:
    """Replace the generated block of ``path`` (between bench markers), keeping the prose."""
    block = "\n".join([
        START,
        f"Measured {dt.date.today().isoformat()} at commit `{git_head()}` with "
        f"`python bench/peer.py{'' if sample is None else f' --sample {sample}'}` "
        f"({sum(timings.values()):.0f} s on this machine). Scores are fractions 0..1.",
        "",
        markdown(rows),
        END,
    ])
    text = path.read_text("utf-8") if path.exists() else "# Accuracy\n\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, "utf-8")


def update_baseline() -> None:
    from eventscribe.evaluate import evaluate, write_baseline

    data = write_baseline(evaluate(GOLD, keep_errors=False), BASELINE)
    print(f"wrote {BASELINE.relative_to(REPO)}: {data}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", help="comma-separated sets (dev-gold," + ",".join(PEERS) + ")")
    ap.add_argument("--sample", type=int, default=None,
                    help="at most N items per set (default: each set's own default)")
    ap.add_argument("--write", type=Path, help="write the table into this Markdown file")
    ap.add_argument("--update-baseline", action="store_true",
                    help="rewrite tests/baseline_scores.json from examples/gold and exit")
    args = ap.parse_args(argv)
    if args.update_baseline:
        update_baseline()
        return 0
    names = args.only.split(",") if args.only else ["dev-gold", *PEERS]
    unknown = [n for n in names if n != "dev-gold" and n not in PEERS]
    if unknown:
        ap.error(f"unknown set(s): {', '.join(unknown)}")
    rows, timings = run_all(names, args.sample)
    print_table(rows)
    if args.write:
        write_report(args.write, rows, timings, args.sample)
    return 0


if __name__ == "__main__":
    sys.exit(main())
