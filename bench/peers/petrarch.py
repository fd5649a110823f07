"""PETRARCH validation records (CAMEO-coded sentences).

Unit tests (PETR.UnitTest.records.xml): functional tests of a dictionary coder with mostly
fictional actors, so only the event is scored: a gold coding with a CAMEO root 01-20 is
"reproduced" when one of our events has that CAMEO root (``cameo_root``), and at PLOVER
level when one has the PLOVER type of the gold code (``plover_from_cameo``). Records marked
``noevents`` should give no event; ``error`` records (e.g. bad datelines) are skipped.

PETR-2 GSR (PETR2_GSR_validation.xml, not well-formed XML, split on ``<Sentence``): the same
event scores plus the country prefix (first 3 letters) of the source/target actor codes
against our actor/target country, for the event that reproduces the gold root.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from eventscribe.mapping import plover_from_cameo
from eventscribe.model import Document

from .common import Row, event_cameo, extract_all, ratio, sample

NAME = "petrarch-validation"
CODING = re.compile(r"<EventCoding\s+([^>]*?)/?>")
ATTR = re.compile(r'(\w+)="([^"]*)"')


def _text(raw: str) -> str:
    return " ".join(raw.split())


def load_unit_tests(root: Path) -> list[dict]:
    tree = ET.parse(root / "petrarch-validation" / "PETR.UnitTest.records.xml")
    out = []
    for s in tree.getroot().iter("Sentence"):
        codings = [dict(c.attrib) for c in s.findall("EventCoding")]
        if any("error" in c for c in codings):
            continue
        text_el = s.find("Text")
        text = _text("".join(text_el.itertext())) if text_el is not None else ""
        if text:
            out.append({"id": s.get("id"), "text": text, "codings": codings})
    return out


def load_gsr(root: Path) -> list[dict]:
    raw = (root / "petrarch-validation" / "PETR2_GSR_validation.xml").read_text("utf-8")
    out = []
    for chunk in raw.split("<Sentence ")[1:]:
        head = dict(ATTR.findall(chunk.split(">", 1)[0]))
        codings = [dict(ATTR.findall(m)) for m in CODING.findall(chunk)]
        m = re.search(r"<Text>(.*?)</Text>", chunk, re.S)
        text = _text(m.group(1)) if m else ""
        if text:
            out.append({"id": head.get("id", f"gsr-{len(out)}"), "text": text,
                        "codings": codings})
    return out


def _score(name: str, records: list[dict], with_actors: bool) -> list[Row]:
    preds = extract_all([Document(id=r["id"], text=r["text"]) for r in records])
    n_codes = root_ok = plover_ok = 0
    neg = neg_ok = 0
    pred_events = pred_matched = 0
    actor = {"source": [0, 0], "target": [0, 0]}
    for r in records:
        events = preds.get(r["id"], [])
        if any(c.get("noevents") for c in r["codings"]):
            neg += 1
            neg_ok += not events
            continue
        gold = [c for c in r["codings"] if c.get("eventcode", "")[:2].isdigit()
                and 1 <= int(c["eventcode"][:2]) <= 20]
        roots = {event_cameo(e) for e in events}
        types = {e.type for e in events}
        gold_roots = {c["eventcode"][:2] for c in gold}
        pred_events += len(events)
        pred_matched += sum(event_cameo(e) in gold_roots for e in events)
        for c in gold:
            n_codes += 1
            root = c["eventcode"][:2]
            root_ok += root in roots
            plover_ok += plover_from_cameo(c["eventcode"])[0] in types
            if not with_actors:
                continue
            hit = next((e for e in events if event_cameo(e) == root), None)
            for key, role in (("sourcecode", "actor"), ("targetcode", "target")):
                code = c.get(key, "")
                if len(code) >= 3 and code[:3].isalpha() and code[:3] != "---":
                    ours = getattr(hit, role) if hit else None
                    slot = "source" if role == "actor" else "target"
                    actor[slot][0] += 1
                    actor[slot][1] += bool(ours and ours.country == code[:3])
    rows = [
        Row(NAME, f"{name}: CAMEO root reproduced", ratio(root_ok, n_codes), n_codes,
            note="gold codings with root 01-20"),
        Row(NAME, f"{name}: PLOVER type reproduced", ratio(plover_ok, n_codes), n_codes),
        Row(NAME, f"{name}: events with a gold root (precision)",
            ratio(pred_matched, pred_events), pred_events),
        Row(NAME, f"{name}: no-event records left empty", ratio(neg_ok, neg), neg),
    ]
    if with_actors:
        rows += [Row(NAME, f"{name}: {k} country (root-matched events)",
                     ratio(ok, tot), tot) for k, (tot, ok) in actor.items()]
    return rows


def run(root: Path, n: int | None = None) -> list[Row]:
    return (_score("unit tests", sample(load_unit_tests(root), n), with_actors=False)
            + _score("PETR-2 GSR", sample(load_gsr(root), n), with_actors=True))
