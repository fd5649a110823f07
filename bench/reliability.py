"""Reliability of eventscribe's confidence: how often an event of confidence c is right.

    python bench/reliability.py                    # tables before/after calibration, both halves
    python bench/reliability.py --fit              # refit data/confidence_calibration.tsv (tune half only)
    python bench/reliability.py --write docs/accuracy.md   # the generated section of that file

"Right" is the eval matcher's: an asserted predicted event matched to a gold event of its
document (`eventscribe eval` rules). Sets: realnews-dev tune and held halves (in ../shared/peer,
skipped when absent) and examples/gold. The pipeline runs once per set with raw scores; the
calibrated confidences are the calibration applied to them (nothing in extraction depends on
the confidence, so this is exactly what the calibrated pipeline gives).
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from eventscribe import reliability  # noqa: E402
from eventscribe.evaluate import load_gold, split_half  # noqa: E402

START, END = "<!-- reliability:start -->", "<!-- reliability:end -->"
DATA = REPO / "src" / "eventscribe" / "data" / reliability.CALIBRATION_FILE


def raw_pairs(gold: Path, half: str | None) -> list[tuple[float, bool]]:
    from eventscribe.pipeline import Pipeline

    docs = split_half(load_gold(gold), half)
    with reliability.raw_scores():
        predictions = {r.document.id: r.events for r in Pipeline().extract(d.document() for d in docs)}
    return reliability.labelled(docs, predictions)


def plv_pairs(half: str) -> list[tuple[float, bool]]:
    """plv-train: one sentence, one coded event (its PLOVER root): of a sentence's asserted
    events the most confident one of the gold root is right, every other one wrong."""
    sys.path.insert(0, str(REPO / "bench"))
    from peers.plv_train import load, paper_root

    from eventscribe.model import Document
    from eventscribe.pipeline import Pipeline

    rows = [r for r in load(PEER) if r["half"] == half]
    with reliability.raw_scores():
        events = {r.document.id: [e for e in r.events if not e.negated and not e.hypothetical]
                  for r in Pipeline().extract(Document(id=row["id"], text=row["sentence"]) for row in rows)}
    out = []
    for row in rows:
        found = sorted(events.get(row["id"], []), key=lambda e: -e.confidence)
        hit = next((e for e in found if paper_root(e.type) == row["gold"]), None)
        out += [(e.confidence, e is hit) for e in found]
    return out


PEER = REPO.parent / "shared" / "peer"


def sets() -> list[tuple[str, Path, str | None]]:
    out = []
    realnews = PEER / "realnews-dev"
    if any(realnews.glob("*.y*ml")):
        out += [("realnews-dev tune", realnews, "tune"), ("realnews-dev held", realnews, "held")]
    out.append(("examples/gold", REPO / "examples" / "gold", None))
    return out


def git_head() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--fit", action="store_true", help="refit the calibration on the tune halves of realnews-dev and plv-train")
    ap.add_argument("--no-plv", dest="plv", action="store_false", help="leave out plv-train (about a minute)")
    ap.add_argument("--write", type=Path, help="write the tables into this Markdown file (between markers)")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    measured = [(name, raw_pairs(gold, half)) for name, gold, half in sets()]
    if args.plv and (PEER / "plv-train").is_dir():
        measured += [(f"plv-train {half} (right = the sentence's coded root)", plv_pairs(half))
                     for half in ("tune", "held")]
    if args.fit:
        tunes = [pairs for name, pairs in measured if " tune" in name]
        if len(tunes) < 2:
            print("realnews-dev and plv-train are not both in ../shared/peer: nothing to fit on", file=sys.stderr)
            return 1
        # each tune half weighs the same, however many events it has
        total = sum(len(pairs) for pairs in tunes)  # (weights sum to the number of events)
        weighted = [(c, ok, total / (len(tunes) * len(pairs))) for pairs in tunes for c, ok in pairs]
        a, b = reliability.fit(weighted)
        sizes = " and ".join(f"{len(p)}" for p in tunes)
        reliability.write_calibration(a, b, DATA, f"Fitted {dt.date.today().isoformat()} at commit {git_head()} "
                                                  f"on {sizes} events.")
        print(f"wrote {DATA.relative_to(REPO)}: a = {a:.3f}, b = {b:.3f}", file=sys.stderr)
    points = reliability.load_calibration()
    blocks = []
    for name, pairs in measured:
        before = reliability.reliability(pairs)
        after = reliability.reliability((reliability.calibrate(c, points), ok) for c, ok in pairs)
        blocks.append((name, before, after))
    text = render(blocks, time.perf_counter() - started)
    if args.write:
        write_section(args.write, text)
    else:
        print(text)
    return 0


def render(blocks, seconds: float) -> str:
    lines = [f"Measured {dt.date.today().isoformat()} at commit `{git_head()}` with `python bench/reliability.py` "
             f"({seconds:.0f} s). ECE = expected calibration error (count-weighted mean |mean confidence − "
             "fraction right| over the bins). *Before*: the raw score; *after*: through "
             f"`data/{reliability.CALIBRATION_FILE}` (fitted on the tune halves of realnews-dev and plv-train only, "
             "weighing the same).", "",
             "| set | events | right | ECE before | ECE after |", "|---|---:|---:|---:|---:|"]
    for name, before, after in blocks:
        lines.append(f"| {name} | {before.count} | {reliability._pct(before.fraction_right)} | "
                     f"{before.ece:.3f} | {after.ece:.3f} |")
    for name, before, after in blocks:
        lines += ["", f"#### {name}", "", reliability.markdown("Before (raw score)", before), "",
                  reliability.markdown("After (calibrated)", after)]
    return "\n".join(lines)


def write_section(path: Path, text: str) -> None:
    block = START + "\n" + text + "\n" + END
    doc = path.read_text("utf-8") if path.exists() else "# Accuracy\n"
    if START in doc and END in doc:
        head, rest = doc.split(START, 1)
        doc = head + block + rest.split(END, 1)[1]
    else:
        doc = doc.rstrip() + "\n\n## Confidence reliability\n\n" + block + "\n"
    path.write_text(doc, "utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
