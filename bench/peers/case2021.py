"""CASE 2021 shared task 2: ACLED sub-event type of short news snippets.

We run the pipeline on each snippet, take the main ACLED-relevant event (violent types
before protests before strategic developments), and map its PLOVER type+mode+sectors to an
ACLED sub-event type with ``eventscribe.mapping.acled_type``. Two snippet-level ACLED rules
need two events: a protest plus police/military violence against the protesters is
"Excessive force against protesters"; a protest plus arrests is "Protest with intervention".
The 25 ACLED classes are scored separately from the 5 unseen non-ACLED classes (organised
crime, disasters, diplomacy, attribution), where the right answer is "no ACLED event".
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from eventscribe.mapping import acled_type
from eventscribe.model import Document, Event

from .common import Row, extract_all, macro_f1, ratio, sample

NAME = "case2021-task2"

LABELS = {
    "Air/drone strike": "AIR_STRIKE",
    "Shelling/artillery/missile attack": "ART_MISS_ATTACK",
    "Remote explosive/landmine/IED": "REM_EXPLOS",
    "Suicide bomb": "SUIC_BOMB",
    "Grenade": "GRENADE",
    "Chemical weapon": "CHEM_WEAP",
    "Armed clash": "ARMED_CLASH",
    "Attack": "ATTACK",
    "Abduction/forced disappearance": "ABDUCT_DISSAP",
    "Sexual violence": "SEX_VIOL",
    "Peaceful protest": "PEACE_PROTEST",
    "Protest with intervention": "PROTEST_WITH_INTER",
    "Excessive force against protesters": "FORCE_AGAINST_PROTEST",
    "Violent demonstration": "VIOL_DEMONSTR",
    "Mob violence": "MOB_VIOL",
    "Arrests": "ARREST",
    "Agreement": "AGREEMENT",
    "Headquarters or base established": "HQ_ESTABLISHED",
    "Change to group/activity": "CHANGE_TO_GROUP_ACT",
    "Non-violent transfer of territory": "NON_VIOL_TERRIT_TRANSFER",
    "Looting/property destruction": "PROPERTY_DISTRUCT",
    "Other": "OTHER",
    "Government regains territory": "GOV_REGAINS_TERIT",
    "Non-state actor overtakes territory": "NON_STATE_ACTOR_OVERTAKES_TER",
    "Disrupted weapons use": "DISR_WEAP",
}
UNSEEN = ("ORG_CRIME", "NATURAL_DISASTER", "MAN_MADE_DISASTER", "DIPLO", "ATTRIB")
NONE = "NONE"
PRIORITY = ("Explosions/Remote violence", "Battles", "Violence against civilians", "Riots",
            "Protests", "Strategic developments")


def _acled(event: Event):
    if event.acled:
        return event.acled
    return acled_type(event.type, event.mode,
                      event.actor.sector if event.actor else None,
                      event.target.sector if event.target else None)


def snippet_label(events: list[Event]) -> str:
    """The CASE label our events imply for one snippet ("NONE" when no ACLED event)."""
    typed = [(e, a) for e in events if (a := _acled(e)) is not None]
    if not typed:
        return NONE
    protest = any(a.event_type == "Protests" for _, a in typed)
    if protest:
        for e, a in typed:
            forces = e.actor and e.actor.sector in ("COP", "MIL")
            if e.type == "ASSAULT" and forces:
                return "FORCE_AGAINST_PROTEST"
            if a.sub_event_type == "Arrests":
                return "PROTEST_WITH_INTER"
    typed.sort(key=lambda ea: PRIORITY.index(ea[1].event_type)
               if ea[1].event_type in PRIORITY else len(PRIORITY))
    return LABELS.get(typed[0][1].sub_event_type, "OTHER")


def load(root: Path) -> list[tuple[str, str, str]]:
    path = root / "case2021-task2" / "test_set_final_release_with_labels.tsv"
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        return [(r[0], r[1], r[2].strip()) for r in reader if len(r) >= 3]


def run(root: Path, n: int | None = None) -> list[Row]:
    rows_in = sample(load(root), n)
    preds = extract_all([Document(id=f"case-{i}", text=t) for i, t, _ in rows_in])
    pairs = [(gold, snippet_label(preds.get(f"case-{i}", []))) for i, _, gold in rows_in]
    seen = [(g, p) for g, p in pairs if g not in UNSEEN]
    unseen = [(g, p) for g, p in pairs if g in UNSEEN]
    seen_labels = sorted({g for g, _ in seen})
    confusions = Counter((g, p) for g, p in seen if g != p).most_common(3)
    return [
        Row(NAME, "ACLED sub-event accuracy (25 seen classes)",
            ratio(sum(g == p for g, p in seen), len(seen)), len(seen),
            peer="best CASE 2021 system: weighted F1 0.839 (subtask 1, trained)"),
        Row(NAME, "ACLED sub-event macro-F1 (seen)", macro_f1(seen, seen_labels) if seen else None,
            len(seen)),
        Row(NAME, "seen snippets with no ACLED event found",
            ratio(sum(p == NONE for _, p in seen), len(seen)), len(seen),
            note="lower is better"),
        Row(NAME, "unseen (non-ACLED) snippets mapped to no event",
            ratio(sum(p == NONE for _, p in unseen), len(unseen)), len(unseen),
            note="higher is better"),
        Row(NAME, "most frequent confusions", None, len(seen),
            note="; ".join(f"{g}->{p} ({c})" for (g, p), c in confusions)),
    ]
