"""Score eventscribe on the public peer data sets and on our own dev gold, in one table.

    python bench/peer.py                         # all sets, default sampling
    python bench/peer.py --only plover-gsr,case2021-task2 --sample 100
    python bench/peer.py --write docs/accuracy.md
    python bench/peer.py --update-baseline       # re-pin tests/baseline_scores.json and
                                                 # tests/baseline_realnews.json
    python bench/peer.py --only webpages-dev --half tune --format json   # for scripts
    python bench/peer.py --only plv-train --compare before.json   # changes against a saved run

The real-text dev sets (realnews-dev, plv-train, acled-dev, webpages-dev) report a tuning
half (``tune``: read it, tune on it) and a held-out half (``held``: only score it) side by
side; ``--half tune|held`` runs one. acled-dev defaults to a seeded sample of 300 notes per
file (``--sample N`` per file; a full run is 9,722 notes and takes about five minutes).

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
    acled_dev,
    case2021,
    ecbplus,
    geoparsing,
    india_police,
    petrarch,
    plover_gsr,
    plv_train,
    realnews_dev,
    webpages_dev,
    wikievents,
)
from peers.common import Row  # noqa: E402

Runner = Callable[[Path, "int | None"], list[Row]]

# name -> (runner, folder under the peer root, default sample size or None for all)
PEERS: dict[str, tuple[Runner, str, int | None]] = {
    "realnews-dev": (realnews_dev.run, "realnews-dev", None),
    "plv-train": (plv_train.run, "plv-train", None),
    "acled-dev": (acled_dev.run, "acled-dev", acled_dev.DEFAULT_SAMPLE),
    "webpages-dev": (webpages_dev.run, "webpages-dev", None),
    "plover-gsr": (plover_gsr.run, "plover-gsr", None),
    "case2021-task2": (case2021.run, "case2021-task2", None),
    "petrarch-validation": (petrarch.run, "petrarch-validation", None),
    "wikievents": (wikievents.run, "wikievents", None),
    "india-police-events": (india_police.run, "india-police-events", None),
    "geoparsing-gold": (geoparsing.run, "geoparsing-gold", None),
    "ecbplus": (ecbplus.run, "ecbplus", None),
}

# runners that take ``half=`` and score only that half (the others run whole and their rows
# are filtered by split)
HALF_AWARE = {"realnews-dev", "plv-train", "acled-dev", "webpages-dev"}
SPLITS_OF_HALF = {"tune": {"tune", "dev"}, "held": {"held", "held-out"}}

GOLD = REPO / "examples" / "gold"
BASELINE = REPO / "tests" / "baseline_scores.json"
REALNEWS_BASELINE = REPO / "tests" / "baseline_realnews.json"
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
    return realnews_dev.scores_rows("eventscribe dev gold", scores, "all")


def run_all(names: list[str], sample: int | None,
            half: str | None = None) -> tuple[list[Row], dict[str, float]]:
    root = peer_root()
    rows: list[Row] = []
    timings: dict[str, float] = {}
    if "dev-gold" in names and half is None and any(GOLD.glob("*.y*ml")):
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
        n = default_n if sample is None else (sample or None)  # --sample 0: everything
        try:
            if name in HALF_AWARE:
                rows += runner(root, n, half=half)
            else:
                rows += [r for r in runner(root, n)
                         if half is None or r.split in SPLITS_OF_HALF[half]]
        except ImportError as exc:  # a stage not written yet (e.g. eventscribe.geo)
            rows.append(Row(name, "not run", None, 0, note=f"{type(exc).__name__}: {exc}"))
        except Exception as exc:  # noqa: BLE001 - one crashing set must not lose the others
            import traceback

            traceback.print_exc()
            rows.append(Row(name, "crashed", None, 0, note=f"{type(exc).__name__}: {exc}"))
        timings[name] = time.perf_counter() - t0
        print(f"{name}: {timings[name]:.0f} s", file=sys.stderr)
    return rows, timings


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def pivot(rows: list[Row]) -> list[tuple[str, list[str], list[dict]]]:
    """Rows grouped by set, one line per metric with a value per split (halves side by side):
    [(set, splits, [{"metric", "cells": {split: Row}, "peer", "note"}])]."""
    groups: dict[str, dict] = {}
    for r in rows:
        g = groups.setdefault(r.dataset, {"splits": [], "metrics": {}})
        if r.split not in g["splits"]:
            g["splits"].append(r.split)
        line = g["metrics"].setdefault(r.metric, {"metric": r.metric, "cells": {}})
        line["cells"][r.split] = r
    out = []
    for name, g in groups.items():
        lines = []
        for line in g["metrics"].values():
            cells = line["cells"]
            peers = list(dict.fromkeys(c.peer for c in cells.values() if c.peer))
            notes = {s: c.note for s, c in cells.items() if c.note}
            if len(set(notes.values())) > 1:
                note = "; ".join(f"{s}: {n}" for s, n in notes.items())
            else:
                note = next(iter(notes.values()), "")
            lines.append({**line, "peer": "; ".join(peers), "note": note})
        out.append((name, g["splits"], lines))
    return out


Before = dict[tuple[str, str, str], tuple["float | None", int]]


def load_before(path: Path) -> Before:
    """Scores of an earlier ``--format json`` run, by (set, metric, split)."""
    import json

    return {(r["dataset"], r["metric"], r["split"]): (r["value"], r["n"])
            for r in json.loads(path.read_text("utf-8"))}


def _cell(row: Row | None, before: Before | None = None) -> str:
    if row is None:
        return ""
    text = f"{_fmt(row.value)} ({row.n})"
    key = (row.dataset, row.metric, row.split)
    if before is not None and key in before:
        old, old_n = before[key]
        if old is None or row.value is None or old_n != row.n:  # not the same items: no delta
            text += f" was {_fmt(old)} ({old_n})"
        elif abs(row.value - old) >= 0.0005:
            text += f" {row.value - old:+.3f}"
    return text


HALF_SPLITS = frozenset({"tune", "held", "dev", "held-out"})


def side_by_side(splits: list[str]) -> bool:
    """Splits that are halves of one set (or a single split) go in columns; other splits
    (e.g. three corpora of one set) keep a row each."""
    return len(splits) == 1 or set(splits) <= HALF_SPLITS


def markdown(rows: list[Row]) -> str:
    """One table per set; halves (tune / held, dev / held-out) side by side: "score (n)"."""
    parts = []
    for name, splits, lines in pivot(rows):
        if side_by_side(splits):
            head = ["metric", *[s or "all" for s in splits], "peer", "note"]
            body = [[line["metric"], *[_cell(line["cells"].get(s)) for s in splits],
                     line["peer"], line["note"]] for line in lines]
        else:
            head = ["metric", "split", "score (n)", "peer", "note"]
            body = [[r.metric, r.split, _cell(r), r.peer, r.note]
                    for r in rows if r.dataset == name]
        numeric = len(head) - 3
        table = ["| " + " | ".join(head) + " |",
                 "|---|" + ("---|" if not side_by_side(splits) else "")
                 + "---:|" * (numeric if side_by_side(splits) else 1) + "---|---|"]
        table += ["| " + " | ".join(c.replace("|", "/") for c in cells) + " |" for cells in body]
        parts.append(f"### {name}\n\n" + "\n".join(table))
    return "\n\n".join(parts)


def print_table(rows: list[Row], before: Before | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=None if sys.stdout.isatty() else 180)
    for name, splits, lines in pivot(rows):
        table = Table(title=name, title_justify="left")
        table.add_column("metric", overflow="fold")
        columns = splits if side_by_side(splits) else ["split", "score (n)"]
        for s in columns:
            table.add_column(s or "all", justify="right")
        table.add_column("note", overflow="fold", max_width=70)
        if side_by_side(splits):
            for line in lines:
                note = " / ".join(x for x in (line["peer"] and f"peer {line['peer']}",
                                              line["note"]) if x)
                table.add_row(line["metric"],
                              *[_cell(line["cells"].get(s), before) for s in splits], note)
        else:
            for r in (r for r in rows if r.dataset == name):
                note = " / ".join(x for x in (r.peer and f"peer {r.peer}", r.note) if x)
                table.add_row(r.metric, r.split, _cell(r, before), note)
        console.print(table)


def print_json(rows: list[Row], before: Before | None = None) -> None:
    """One JSON object per row (set, metric, split, n, value, peer, note; with ``--compare``
    also ``before``), as a list."""
    import dataclasses
    import json

    out = []
    for r in rows:
        item = dataclasses.asdict(r)
        if before is not None:
            item["before"] = before.get((r.dataset, r.metric, r.split), (None, None))[0]
        out.append(item)
    print(json.dumps(out, indent=1, ensure_ascii=False))


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
        f"({sum(timings.values()):.0f} s on this machine). Scores are fractions 0..1; each cell "
        "is `score (n)`, n the items it is computed over.",
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
    """Re-pin both quality gates: examples/gold, and realnews-dev where the peer data is.
    Pins that go down are named on stderr (lowering one needs a reason in the commit)."""
    import json

    from eventscribe.evaluate import evaluate, write_baseline

    targets = [(GOLD, BASELINE)]
    realnews = peer_root() / "realnews-dev"
    if any(realnews.glob("*.y*ml")):
        targets.append((realnews, REALNEWS_BASELINE))
    for gold, path in targets:
        old = json.loads(path.read_text("utf-8")) if path.exists() else {}
        data = write_baseline(evaluate(gold, keep_errors=False), path)
        print(f"wrote {path.relative_to(REPO)}: {data}")
        lower = [f"{k}: {v:.3f} -> {data.get(k, 0):.3f}" for k, v in sorted(old.items())
                 if data.get(k, 0) < v]
        if lower:
            print(f"  lower than before: {'; '.join(lower)}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", help="comma-separated sets (dev-gold," + ",".join(PEERS) + ")")
    ap.add_argument("--sample", type=int, default=None,
                    help="at most N items per set, per file for acled-dev, half from each half "
                    "(default: each set's own default; 0: everything)")
    ap.add_argument("--half", choices=("tune", "held"),
                    help="score only one half of the dev sets (tune: may be read; held: only scored)")
    ap.add_argument("--format", choices=("table", "json"), default="table",
                    help="table (default) or json (a list of rows, for scripts)")
    ap.add_argument("--compare", type=Path, metavar="OLD.json",
                    help="show each score's change against an earlier --format json run")
    ap.add_argument("--write", type=Path, help="write the table into this Markdown file")
    ap.add_argument("--update-baseline", action="store_true",
                    help="re-pin tests/baseline_scores.json (examples/gold) and "
                    "tests/baseline_realnews.json (realnews-dev) and exit")
    args = ap.parse_args(argv)
    if args.update_baseline:
        update_baseline()
        return 0
    names = args.only.split(",") if args.only else ["dev-gold", *PEERS]
    unknown = [n for n in names if n != "dev-gold" and n not in PEERS]
    if unknown:
        ap.error(f"unknown set(s): {', '.join(unknown)}")
    rows, timings = run_all(names, args.sample, args.half)
    before = load_before(args.compare) if args.compare else None
    if args.format == "json":
        print_json(rows, before)
    else:
        print_table(rows, before)
    if args.write:
        write_report(args.write, rows, timings, args.sample)
    return 0


if __name__ == "__main__":
    sys.exit(main())
