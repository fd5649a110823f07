"""Merge logic without a database: scoring, reconciliation, links, near-copies."""

from __future__ import annotations

import datetime as dt
import math

from eventscribe import dedup
from eventscribe.dedup import MentionFacts, Merger
from eventscribe.model import Event, Evidence, Span

D = dt.date(2024, 5, 2)


def facts(**kw) -> MentionFacts:
    base = dict(type="ASSAULT", date_start=D, date_end=D, country="NGA")
    base.update(kw)
    return MentionFacts(**base)


def test_haversine_known_distance():
    # Paris - London is about 344 km
    assert 340 < dedup.haversine_km(48.8566, 2.3522, 51.5074, -0.1278) < 348
    assert dedup.haversine_km(10, 10, 10, 10) == 0


def test_score_prefers_same_place_and_vetoes_far_places():
    m = Merger(None)
    maiduguri = facts(location="Maiduguri", lat=11.85, lon=13.16, geo_precision="place")
    same = facts(location="Maiduguri", lat=11.83, lon=13.15, geo_precision="place")
    kano = facts(location="Kano", lat=12.0, lon=8.52, geo_precision="place")
    assert m.score(maiduguri, same) >= m.config.threshold
    assert m.score(maiduguri, kano) == -math.inf
    # names only: two different towns never merge, a town inside a longer name may
    assert m.score(facts(location="Kano", geo_precision="place"),
                   facts(location="Bauchi", geo_precision="place")) == -math.inf
    assert m.score(facts(location="Kano", geo_precision="place"),
                   facts(location="Kano city", geo_precision="place")) > 0
    assert m.score(facts(admin1="Borno"), facts(admin1="Yobe")) == -math.inf
    # a country centroid is not a place: two country-level reports get nothing for "place"
    nga = dict(location="Nigeria", lat=9.0, lon=8.0, geo_precision="country")
    assert m.score(facts(**nga), facts(**nga)) == m.score(facts(), facts())


def test_score_uses_actors_counts_and_text():
    m = Merger(None)
    base = facts(actor="Boko Haram fighters", fatalities_min=12, fatalities_max=12,
                 evidence="Boko Haram fighters raided the village and killed twelve farmers.")
    agree = facts(actor="Boko Haram", fatalities_min=10, fatalities_max=15,
                  evidence="Twelve farmers were killed when Boko Haram raided the village.")
    clash = facts(actor="Nigerian army", fatalities_min=200, fatalities_max=200,
                  evidence="The army said its troops repelled an attack on a base.")
    assert m.score(base, agree) > m.config.threshold
    assert m.score(base, clash) < 0
    # a day apart costs, an overlap helps
    assert m.score(base, facts(date_start=D + dt.timedelta(days=2), date_end=D + dt.timedelta(days=2))) < 0


def test_counts_compatibility():
    assert dedup._counts_compatible(5, 5, 3, 7) is True
    assert dedup._counts_compatible(5, None, 9, 9) is True  # "at least 5" vs 9
    assert dedup._counts_compatible(5, 5, 12, 12) is True  # tolls grow: within 3x + 2
    assert dedup._counts_compatible(2, 2, 40, 40) is False
    assert dedup._counts_compatible(None, None, 4, 4) is None


def test_reconcile_counts_ucdp_style():
    r = dedup.reconcile_counts([("a", True, 5, 5), ("b", True, 3, 7), ("c", True, 9, None),
                                ("copy", False, 90, 90)])
    assert (r.low, r.best, r.high) == (3, 5, 9)  # points 5, 5, 9: median 5; copy ignored
    # one outlet updating its toll counts once, with its highest report
    r = dedup.reconcile_counts([("a", True, 3, 3), ("a", True, 8, 8), ("b", True, 10, 10)])
    assert r.best == 9  # median of a=8, b=10
    # only copies give numbers: use them rather than nothing
    assert dedup.reconcile_counts([("x", False, 4, 4)]).best == 4
    assert dedup.reconcile_counts([]).best is None


def test_reconciled_name_is_the_most_reported_then_a_proper_name_before_a_common_noun():
    assert dedup._most_telling_name(["fighters", "al-Shabaab", "people"]) == "al-Shabaab"
    assert dedup._most_telling_name(["gunmen", "gunmen", "Jaish Brigade"]) == "gunmen"
    assert dedup._most_telling_name(["villagers", None, "", "residents"]) == "villagers"
    assert dedup._most_telling_name([None, ""]) is None


def _event(doc_text: str, idx: int, trigger: str, type="ASSAULT") -> Event:
    t0 = doc_text.index(trigger)
    ev = Evidence(doc_id="d", sentence=0, start=0, end=len(doc_text), text=doc_text,
                  trigger=Span(start=t0, end=t0 + len(trigger), text=trigger))
    return Event(id=f"d:{idx}", doc_id="d", type=type, evidence=[ev])


def test_find_links_retaliation_and_after():
    text = "Troops shelled the town in retaliation for an ambush that killed four soldiers."
    evs = [_event(text, 0, "shelled"), _event(text, 1, "ambush")]
    [h] = dedup.find_links(evs)
    assert (h.src, h.dst, h.relation) == (0, 1, "responds_to")

    text = "After the bombing of the market, police arrested six men."
    evs = [_event(text, 0, "bombing"), _event(text, 1, "arrested", type="COERCE")]
    [h] = dedup.find_links(evs)
    assert (h.src, h.dst, h.relation) == (1, 0, "follows")

    text = "Police arrested six men and troops shelled the town."
    assert dedup.find_links([_event(text, 0, "arrested"), _event(text, 1, "shelled")]) == []


ARTICLE = ("Heavy rain flooded low-lying districts of Accra on Monday, forcing hundreds of "
           "families from their homes, the national disaster agency said. Officials opened "
           "three schools as shelters and warned of more storms later in the week, while "
           "volunteers handed out water and blankets to those who had lost everything.")


def test_near_duplicate_index_finds_syndicated_copy_only():
    idx = dedup.NearDuplicateIndex(0.7)
    idx.add("orig", dedup.minhash_of(ARTICLE))
    copy = ARTICLE.replace("the national disaster agency said", "the disaster agency said") + " (Agency)"
    other = ("Parliament approved the budget on Monday after a long debate, with the opposition "
             "voting against it and promising to challenge several spending lines in court.")
    assert idx.find(dedup.minhash_of(copy)) == "orig"
    assert idx.find(dedup.minhash_of(other)) is None
    m = dedup.minhash_of(ARTICLE)
    assert dedup.minhash_from_bytes(dedup.minhash_to_bytes(m)).jaccard(m) == 1.0
