"""For each missed gold event, show the predicted events of the same type and what kept them apart."""
import sys

from eventscribe.evaluate import _countries, compatible, date_gap, load_gold, match_events
from eventscribe.pipeline import Pipeline

docs = load_gold(sys.argv[1])
results = {r.document.id: r.events for r in Pipeline().extract(d.document() for d in docs)}
for d in docs:
    gold = [g for g in d.events if not g.negated and not g.hypothetical]
    pred = [p for p in results[d.id] if not p.negated and not p.hypothetical]
    matched = {gi for gi, _ in match_events(gold, pred)}
    for gi, g in enumerate(gold):
        if gi in matched:
            continue
        same = [p for p in pred if p.type == g.type]
        print(f"{d.id[:34]:34} {g.type:9} gold date {g.date.start if g.date else None} locs {sorted(_countries(g.locations))} trig={g.trigger!r}")
        for p in same:
            gap = date_gap(g.date, p.date) if g.date and p.date else None
            print(f"{'':34}   pred date {p.date.start if p.date else None}..{p.date.end if p.date else None} gap={gap} locs {sorted(_countries(p.locations))} trig={[e.trigger.text for e in p.evidence]}")
