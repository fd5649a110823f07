"""PLOVER gold-standard records (CAMEO manual examples, PLOVER 0.5b1 names).

Per sentence: the type of our main event (highest confidence) against the gold root after
renaming 0.5b1 roots (DEMAND->REQUEST, DISAPPROVE/INVESTIGATE->ACCUSE, FIGHT->ASSAULT);
"any" also accepts the gold type among all our events. Actor/target: for the event that
carries the gold type (else the main event), is our actor's country / sector / both among
the gold source list (same for target); sector only where the gold gives one, and gold
codes such as IGO count as the organisation sector. Mode accuracy on records with a gold mode.
Even-numbered ids are dev (we may look at them), odd-numbered ids are held out.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from eventscribe.mapping import normalize_mode, normalize_type
from eventscribe.model import PLOVER_TYPES, Document

from .common import Row, extract_all, macro_f1, ratio, sample, top_event

NAME = "plover-gsr"


def _gold_actors(value) -> list[tuple[str | None, str | None]]:
    if not isinstance(value, list):
        return []
    return [(a.get("code"), a.get("sector")) for a in value if isinstance(a, dict)]


NON_STATE_CODES = frozenset({"IGO", "NGO", "MNC", "BUS"})  # gold "country" codes that are sectors


def _role_checks(gold: list[tuple[str | None, str | None]], ours) -> list[tuple[str, bool]]:
    """(metric, correct) for one role: country always; sector and pair when gold gives one.

    Gold codes like IGO stand for an organisation without a country: we are right when our
    actor has no country and that sector. Gold sectors carry suffixes (``CVLkur``): the
    first three letters are compared.
    """
    c, s = (ours.country, ours.sector) if ours else (None, None)

    def country_ok(code: str | None) -> bool:
        if code in NON_STATE_CODES:
            return c is None and s == code[:3] if code != "MNC" else s == "BUS"
        return c is not None and c == code

    checks = [("country", any(country_ok(code) for code, _ in gold))]
    sectored = [(code, sec[:3]) for code, sec in gold if sec]
    if sectored:
        checks.append(("sector", s is not None and s in {sec for _, sec in sectored}))
        checks.append(("pair", any(country_ok(code) and s == sec for code, sec in sectored)))
    return checks


def load(root: Path) -> list[dict]:
    records = json.loads((root / "plover-gsr" / "PLOVER_GSR_CAMEO.txt").read_text("utf-8"))
    out = []
    for r in records:
        if r.get("event") == "DOCUMENT" or not r.get("text"):
            continue
        type_, implied_mode = normalize_type(r["event"], None)
        gold_mode = normalize_mode(r.get("mode") or None) or implied_mode
        number = int(re.search(r"(\d+)$", r["id"]).group(1))
        out.append({
            "id": r["id"], "text": r["text"], "type": type_, "mode": gold_mode,
            "source": _gold_actors(r.get("source")), "target": _gold_actors(r.get("target")),
            "split": "dev" if number % 2 == 0 else "held-out",
        })
    return out


def run(root: Path, n: int | None = None) -> list[Row]:
    records = sample(load(root), n)
    preds = extract_all([Document(id=r["id"], text=r["text"]) for r in records])
    rows: list[Row] = []
    for split in ("dev", "held-out"):
        part = [r for r in records if r["split"] == split]
        top_ok = any_ok = mode_n = mode_ok = 0
        role = {k: [0, 0] for k in ("actor_country", "actor_sector", "actor_pair",
                                     "target_country", "target_sector", "target_pair")}
        pairs = []
        for r in part:
            events = preds.get(r["id"], [])
            top = top_event(events)
            predicted = top.type if top else "NONE"
            pairs.append((r["type"], predicted))
            top_ok += predicted == r["type"]
            same = [e for e in events if e.type == r["type"]]
            any_ok += bool(same)
            chosen = same[0] if same else top
            if r["mode"]:
                mode_n += 1
                mode_ok += bool(chosen and normalize_mode(chosen.mode) == r["mode"])
            for key, gold in (("actor", r["source"]), ("target", r["target"])):
                if not gold:
                    continue
                ours = getattr(chosen, key) if chosen else None
                for metric, ok in _role_checks(gold, ours):
                    role[f"{key}_{metric}"][0] += 1
                    role[f"{key}_{metric}"][1] += ok
        rows += [
            Row(NAME, "type accuracy (main event)", ratio(top_ok, len(part)), len(part), split),
            Row(NAME, "type accuracy (any event)", ratio(any_ok, len(part)), len(part), split),
            Row(NAME, "type macro-F1 (main event)",
                macro_f1(pairs, PLOVER_TYPES) if part else None, len(part), split,
                note="over the 16 roots"),
            Row(NAME, "mode accuracy", ratio(mode_ok, mode_n), mode_n, split),
        ]
        rows += [Row(NAME, f"{k.replace('_', ' ')} accuracy", ratio(ok, tot), tot, split,
                     note="country+sector" if k.endswith("pair") else "")
                 for k, (tot, ok) in role.items()]
    return rows
