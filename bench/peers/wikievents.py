"""WikiEvents (KAIROS ontology, dev+test, 40 news documents about attacks).

KAIROS types map to PLOVER: Conflict.Attack.* -> ASSAULT, Justice.ArrestJailDetain ->
COERCE, Contact.ThreatenCoerce -> THREATEN, Conflict.Demonstrate -> PROTEST (Life.Die and
Life.Injure are casualty attributes of attacks, not events). The gold is mention-level and
our output is event-level, so both are reduced to (sentence, PLOVER type) units: a unit is
found when one of our events of that type has its trigger in that sentence. The provided
token offsets drift from ``text``, so sentences are located by their text.

Arguments, for found ASSAULT units: our actor against the gold Attacker, our target against
Target (or Victim of a Life.Die/Injure in the same sentence), our location names against
Place; a name matches when it shares a content word with the gold argument or with any
mention in the same entity-coreference cluster.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from eventscribe.model import Document

from .common import Row, extract_all, name_overlap, prf, ratio

NAME = "wikievents"
KAIROS = {
    "Conflict.Attack": "ASSAULT",
    "Justice.ArrestJailDetain": "COERCE",
    "Contact.ThreatenCoerce": "THREATEN",
    "Conflict.Demonstrate": "PROTEST",
}
ROLES = {"actor": ("Attacker", "Killer", "Perpetrator"), "target": ("Target", "Victim"),
         "place": ("Place",)}


def _plover(kairos_type: str) -> str | None:
    return KAIROS.get(".".join(kairos_type.split(".")[:2]))


def load(root: Path) -> list[dict]:
    docs = []
    for split in ("dev", "test"):
        base = root / "wikievents"
        clusters: dict[str, list[str]] = {}
        coref = base / "coref" / f"{split}.jsonlines"
        if coref.exists():
            for line in coref.read_text("utf-8").splitlines():
                if line.strip():
                    c = json.loads(line)
                    clusters[c["doc_key"]] = c["clusters"]
        for line in (base / f"{split}.jsonl").read_text("utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                d["clusters"] = clusters.get(d["doc_id"], [])
                docs.append(d)
    return docs


def _sentence_spans(d: dict) -> list[tuple[int, int]]:
    spans, cursor = [], 0
    for _, sent_text in d["sentences"]:
        at = d["text"].find(sent_text, cursor)
        if at < 0:
            at = d["text"].find(sent_text[:30], cursor)
        if at < 0:
            spans.append((-1, -1))
            continue
        spans.append((at, at + len(sent_text)))
        cursor = at + len(sent_text)
    return spans


def _names_for(d: dict) -> dict[str, list[str]]:
    """Entity id -> texts of every mention in its coreference cluster (itself at least)."""
    text_of = {m["id"]: m["text"] for m in d["entity_mentions"]}
    names = {eid: [t] for eid, t in text_of.items()}
    for cluster in d["clusters"]:
        texts = [text_of[e] for e in cluster if e in text_of]
        for e in cluster:
            names[e] = texts
    return names


def run(root: Path, n: int | None = None) -> list[Row]:
    docs = load(root)[:n] if n else load(root)
    preds = extract_all([Document(id=d["doc_id"], text=d["text"]) for d in docs])
    tp = n_pred = n_gold = 0
    att_tp = att_pred = att_gold = 0
    roles = {k: [0, 0] for k in ROLES}
    empty_sents = empty_fp = 0
    for d in docs:
        spans = _sentence_spans(d)
        names = _names_for(d)
        gold_units: dict[tuple[int, str], dict[str, list[list[str]]]] = {}
        victims: dict[int, list[list[str]]] = defaultdict(list)
        event_sents = set()
        for m in d["event_mentions"]:
            s = m["trigger"]["sent_idx"]
            event_sents.add(s)
            if m["event_type"].startswith("Life."):
                victims[s] += [names.get(a["entity_id"], [a["text"]])
                               for a in m["arguments"] if a["role"] == "Victim"]
            ptype = _plover(m["event_type"])
            if not ptype:
                continue
            unit = gold_units.setdefault((s, ptype), defaultdict(list))
            for a in m["arguments"]:
                for key, wanted in ROLES.items():
                    if a["role"] in wanted:
                        unit[key].append(names.get(a["entity_id"], [a["text"]]))
        pred_units: dict[tuple[int, str], list] = defaultdict(list)
        for e in preds.get(d["doc_id"], []):
            for ev in e.evidence:  # a merged event is found in every sentence that reports it
                for i, (a, b) in enumerate(spans):
                    if a <= ev.trigger.start < b:
                        pred_units[(i, e.type)].append(e)
                        if i not in event_sents:
                            empty_fp += 1
        empty_sents += sum(1 for i in range(len(spans)) if i not in event_sents)
        mapped_pred = {u for u in pred_units if u[1] in KAIROS.values()}
        n_pred += len(mapped_pred)
        n_gold += len(gold_units)
        tp += len(mapped_pred & set(gold_units))
        att_pred += sum(1 for u in mapped_pred if u[1] == "ASSAULT")
        att_gold += sum(1 for u in gold_units if u[1] == "ASSAULT")
        for unit, args in gold_units.items():
            if unit[1] != "ASSAULT" or unit not in pred_units:
                continue
            att_tp += 1
            ours = pred_units[unit]
            args = dict(args)
            if not args.get("target") and victims.get(unit[0]):
                args["target"] = victims[unit[0]]
            for key in ROLES:
                gold_names = [t for group in args.get(key, []) for t in group]
                if not gold_names:
                    continue
                roles[key][0] += 1
                if key == "place":
                    mine = [loc.name for e in ours for loc in e.locations]
                else:
                    mine = [getattr(e, key).name for e in ours if getattr(e, key)]
                roles[key][1] += any(name_overlap(m, g) for m in mine for g in gold_names)
    p, r, f = prf(tp, n_pred, n_gold)
    ap, ar, af = prf(att_tp, att_pred, att_gold)
    split = f"{len(docs)} docs"
    return [
        Row(NAME, "event units F1 (ASSAULT/COERCE/THREATEN/PROTEST)", f, n_gold, split,
            note=f"P {p:.2f} R {r:.2f}; unit = sentence + type"),
        Row(NAME, "attack recall", ar, att_gold, split, note=f"precision {ap:.2f}, F1 {af:.2f}"),
        Row(NAME, "attacker found (found attacks)", ratio(roles["actor"][1], roles["actor"][0]),
            roles["actor"][0], split),
        Row(NAME, "target found (found attacks)", ratio(roles["target"][1], roles["target"][0]),
            roles["target"][0], split),
        Row(NAME, "place found (found attacks)", ratio(roles["place"][1], roles["place"][0]),
            roles["place"][0], split),
        Row(NAME, "events per sentence without any gold event", ratio(empty_fp, empty_sents),
            empty_sents, split, note="false alarms, lower is better"),
    ]
