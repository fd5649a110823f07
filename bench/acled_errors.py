"""List acled-dev errors note by note, for the TUNE half only (the held half is never read out).

    python bench/acled_errors.py kenya                       # the bench's tune sample of Kenya
    python bench/acled_errors.py kenya --sample 0            # every tune note of the file
    python bench/acled_errors.py kenya --check near,country  # only notes wrong on these checks
    python bench/acled_errors.py kenya --format jsonl > errs.jsonl

Per gold event: the note, gold type / sub-type / place (location, admin1, point), ours (the
main event's ACLED type and its locations with country and point), the distance from our
nearest location to the gold point, and the checks that failed (``acled_dev.score_event``:
found, event_type, sub_event_type, country, admin1, near, far, date, fatalities).

There is no ``--half``: the notes are always the tune half (``stratified_sample(..., "tune")``)
and each is checked again before it is printed, so a held note cannot be shown by mistake.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from peers import acled_dev  # noqa: E402
from peers.common import extract_all, stratified_sample  # noqa: E402

from eventscribe.model import Document  # noqa: E402

CHECKS = ("found", "event_type", "sub_event_type", "country", "admin1", "near", "far",
          "date", "fatalities")
HALF = "tune"  # fixed: the held half is scored by bench/peer.py only, never listed


def peer_root() -> Path:
    return Path(os.environ.get("EVENTSCRIBE_PEER_DIR", HERE.parent.parent / "shared" / "peer"))


def tune_notes(root: Path, file_key: str, n: int | None) -> list[dict]:
    """The tune notes of one file: the seeded sample of ``bench/peer.py --half tune --sample n``
    (``n`` tune notes), or every tune note when ``n`` is None."""
    notes = stratified_sample(acled_dev.load(root, file_key), n, HALF)
    return [d for d in notes if d["half"] == HALF]


def note_errors(note: dict, events: list) -> list[dict]:
    """One record per gold event of a tune note: gold, ours, distance, failed checks."""
    if note["half"] != HALF:
        raise ValueError(f"refusing to list a {note['half']} note")
    main = acled_dev.main_event(events)
    out = []
    for gold in note["events"]:
        checks = acled_dev.score_event(gold, events, note["text"])
        km = acled_dev.nearest_km(main.locations, gold["lat"], gold["lon"]) if main else None
        ours = None
        if main is not None:
            ours = {
                "type": main.type, "mode": main.mode,
                "acled": f"{main.acled.event_type} / {main.acled.sub_event_type}"
                if main.acled else None,
                "places": [f"{loc.name} ({loc.country}, {loc.admin1 or '-'}; "
                           f"{_point(loc.lat, loc.lon)})" for loc in main.locations],
                "fatalities": acled_dev.count_value(main),
            }
        out.append({
            "id": note["id"], "text": note["text"],
            "gold": {"acled": f"{gold['event_type']} / {gold['sub_event_type']}",
                     "place": ", ".join(x for x in (gold.get("location"), gold.get("admin2"),
                                                    gold["admin1"], gold["country"]) if x),
                     "point": _point(gold["lat"], gold["lon"]),
                     "fatalities": gold["fatalities"]},
            "ours": ours, "km": None if km is None else round(km, 1),
            "failed": [c for c in CHECKS if checks.get(c) is False],
        })
    return out


def _point(lat: float | None, lon: float | None) -> str:
    return "-" if lat is None or lon is None else f"{lat:.3f},{lon:.3f}"


def show(rec: dict) -> str:
    ours = rec["ours"] or {}
    lines = [f"== {rec['id']}  failed: {', '.join(rec['failed']) or '-'}",
             f"   note : {rec['text']}",
             f"   gold : {rec['gold']['acled']} | {rec['gold']['place']} "
             f"({rec['gold']['point']}) | fatalities {rec['gold']['fatalities']}",
             f"   ours : {ours.get('acled')} [{ours.get('type')}/{ours.get('mode')}] | "
             f"{'; '.join(ours.get('places') or []) or 'no place'} | "
             f"fatalities {ours.get('fatalities')}",
             f"   km   : {rec['km']}"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", choices=sorted(acled_dev.FILES), help="which acled-dev file")
    ap.add_argument("--sample", type=int, default=acled_dev.DEFAULT_SAMPLE,
                    help="tune notes per file, the sample of bench/peer.py --half tune --sample N "
                    "(default 300); 0: every tune note")
    ap.add_argument("--check", default="",
                    help="comma-separated checks; list only events failing one of them "
                    f"({', '.join(CHECKS)}); default: any failure")
    ap.add_argument("--all", action="store_true", help="also list events with no failure")
    ap.add_argument("--format", choices=("text", "jsonl"), default="text")
    args = ap.parse_args(argv)
    wanted = [c for c in args.check.split(",") if c]
    bad = [c for c in wanted if c not in CHECKS]
    if bad:
        ap.error(f"unknown check(s): {', '.join(bad)}")
    notes = tune_notes(peer_root(), args.file, args.sample or None)
    preds = extract_all([Document(id=d["id"], text=d["text"], published=d["published"])
                         for d in notes])
    shown = total = 0
    for note in notes:
        for rec in note_errors(note, preds.get(note["id"], [])):
            total += 1
            failed = set(rec["failed"])
            if not (args.all or (failed & set(wanted) if wanted else failed)):
                continue
            shown += 1
            print(json.dumps(rec, ensure_ascii=False, default=str) if args.format == "jsonl"
                  else show(rec))
    print(f"{shown} of {total} tune gold events listed ({len(notes)} tune notes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
