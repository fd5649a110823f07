"""The README's seed-article sample, generated from a real run (a test fails when it drifts).

    python scripts/readme_sample.py            # rewrite the block in README.md
    python scripts/readme_sample.py --check    # exit 1 when README.md is out of date

Runs the extractor on ``../shared/seed/article.txt`` (published 2024-02-03) and writes, between
the ``seed-sample`` markers of README.md, the main record (the strikes) shortened, and one line
per record of the page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seed" / "article.txt"
README = REPO / "README.md"
START, END = "<!-- seed-sample:start -->", "<!-- seed-sample:end -->"
PUBLISHED = dt.date(2024, 2, 3)


def _labels():
    sys.path.insert(0, str(REPO / "src"))
    from eventscribe.export import _actor_label, _count_label

    return _actor_label, _count_label


def seed_events():
    sys.path.insert(0, str(REPO / "src"))
    from eventscribe.model import Document
    from eventscribe.pipeline import default_pipeline

    doc = Document(id="article", text=SEED.read_text("utf-8"), published=PUBLISHED, source=str(SEED))
    return next(default_pipeline().extract([doc])).events


def record_line(e) -> str:
    party_label, count_label = _labels()
    _party = lambda a: party_label(a) or "-"  # noqa: E731
    _count = count_label
    flags = "".join(f" ({f})" for f, on in (("negated", e.negated), ("hypothetical", e.hypothetical)) if on)
    parts = [f"{e.type}{'/' + e.mode if e.mode else ''}{flags}", f"{_party(e.actor)} -> {_party(e.target)}"]
    if e.locations:
        parts.append("@ " + ", ".join(l.name for l in e.locations))
    if e.date:
        parts.append(e.date.start.isoformat() + (f"..{e.date.end.isoformat()}" if e.date.end != e.date.start else "")
                     + (f" {e.date.time}" if e.date.time else ""))
    for label, c in (("killed", e.fatalities), ("injured", e.injured), ("arrested", e.arrested)):
        if c is not None:
            parts.append(f"{label} {_count(c)}")
    if e.quantities:
        parts.append("; ".join(f"{q.qualifier + ' ' if q.qualifier else ''}{_count(q)} {q.unit}" for q in e.quantities))
    if e.attribution:
        parts.append(f"says {e.attribution.name}")
    parts.append(f"{len(e.evidence)} sentence{'s' if len(e.evidence) != 1 else ''}")
    return " · ".join(parts)


def main_record(events):
    asserted = [e for e in events if not (e.negated or e.hypothetical)]
    return max(asserted, key=lambda e: (e.type == "ASSAULT", len(e.evidence), e.confidence))


def shortened(e) -> str:
    data = json.loads(e.model_dump_json())
    for role in ("actor", "target", "attribution"):
        if data.get(role):
            data[role].pop("span", None)
    data["locations"] = [{k: l[k] for k in ("name", "country", "precision")} for l in data["locations"]]
    if data.get("date"):
        data["date"].pop("span", None)
    data["quantities"] = [{k: q[k] for k in ("min", "max", "unit", "qualifier")} for q in data["quantities"]]
    n = len(data["evidence"])
    first = data["evidence"][0]
    data["evidence"] = [{"sentence": first["sentence"], "start": first["start"], "end": first["end"],
                         "trigger": first["trigger"]["text"], "text": first["text"][:80] + ("…" if len(first["text"]) > 80 else "")},
                        f"… {n - 1} more sentences"] if n > 1 else data["evidence"]
    data["responds_to"] = [f"<id of the {len(data['responds_to'])} event(s) it answers>"] if data["responds_to"] else []
    data["id"] = data["id"][:6] + "…"
    return "{\n" + ",\n".join(f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in data.items()) + "\n}"


def block(events) -> str:
    lines = [START, "", "```json", shortened(main_record(events)), "```", "",
             f"All {len(events)} records of the page (`--format table` shows the same, one line each):", ""]
    lines += [f"- {record_line(e)}" for e in events]
    return "\n".join(lines + ["", END])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when README.md is out of date")
    args = parser.parse_args()
    text = README.read_text("utf-8")
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    new = head + block(seed_events()) + tail
    if args.check:
        if new != text:
            print("README.md's seed sample is out of date: python scripts/readme_sample.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(new, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
