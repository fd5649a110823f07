"""Crosswalks between PLOVER and the coding schemes users compare us with.

PLOVER is our native event ontology; users of GDELT/PETRARCH think in CAMEO root codes and
users of ACLED in event/sub-event types. Every event record carries both translations
(``Event.cameo``, ``Event.acled``) so that our output can sit next to theirs, and the
benchmarks need the reverse direction (CAMEO-coded gold -> PLOVER) to score us on their data.

The tables live in ``data/mappings.yaml`` (with their provenance); this module only applies
them.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from .model import PLOVER_TYPES, AcledType

UNKNOWN_SECTORS = frozenset({None, "", "UNK"})


@lru_cache(maxsize=1)
def _tables() -> dict[str, Any]:
    text = resources.files("eventscribe").joinpath("data/mappings.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def modes_by_type() -> dict[str, tuple[str, ...]]:
    """The modes eventscribe may emit, per PLOVER root (the vocabulary of ``Event.mode``)."""
    return {t: tuple(m) for t, m in _tables()["modes"].items()}


def normalize_mode(mode: str | None) -> str | None:
    """Lower-case, alias-resolved mode (``kidnap`` -> ``abduct``); ``None``/empty -> ``None``."""
    if mode is None:
        return None
    key = mode.strip().lower().replace("_", "-").replace(" ", "-")
    if not key:
        return None
    return _tables()["mode_aliases"].get(key, key)


def mode_matches(gold: str | None, predicted: str | None) -> bool:
    """Is ``predicted`` a right reading of the ``gold`` mode? Equal after aliasing, or a finer
    mode of the same family (gold heavy-weapons, predicted shelling)."""
    g, p = normalize_mode(gold), normalize_mode(predicted)
    if g == p:
        return True
    return p is not None and p in _tables().get("mode_families", {}).get(g, ())


def normalize_type(type_: str, mode: str | None = None) -> tuple[str | None, str | None]:
    """Current PLOVER root and mode for a root name, accepting PLOVER 0.5b1 names.

    ``DISAPPROVE`` -> (``ACCUSE``, ``disapprove``); an explicit mode wins over the implied one.
    Unknown names give ``(None, mode)``.
    """
    name = type_.strip().upper()
    mode = normalize_mode(mode)
    alias = _tables()["type_aliases"].get(name)
    if alias:
        name = alias[0]
        mode = mode or alias[1]
    return (name if name in PLOVER_TYPES else None), mode


def cameo_root(type: str, mode: str | None = None) -> str | None:  # noqa: A002 - PLOVER word
    """CAMEO root code ("01".."20") of a PLOVER root + mode, or ``None`` for unknown types.

    Several CAMEO roots split one PLOVER root by mode (ASSAULT: 18 unconventional violence,
    19 military fighting, 20 mass violence), so the mode matters; without one we take the
    root CAMEO coders fall back to.
    """
    type_, mode = normalize_type(type, mode)
    if type_ is None:
        return None
    by_mode = _tables()["cameo_root"][type_]
    return by_mode.get(mode, by_mode["default"]) if mode else by_mode["default"]


def plover_from_cameo(code: str) -> tuple[str | None, str | None]:
    """PLOVER (type, mode) of a CAMEO event code ("173", "0874", "19"), by longest prefix.

    Root 01 (public statement) and non-CAMEO codes (WEIS roots 21+ used by some PETRARCH
    test dictionaries) give ``(None, None)``.
    """
    code = code.strip()
    table = _tables()["cameo_to_plover"]
    for n in range(min(len(code), 4), 1, -1):
        hit = table.get(code[:n])
        if hit is not None:
            return hit[0], hit[1]
    return None, None


def _sector_class(sector: str | None) -> str:
    if sector in UNKNOWN_SECTORS:
        return "unknown"
    return "armed" if sector in _tables()["acled"]["armed_sectors"] else "unarmed"


def _rule_matches(rule: dict[str, Any], type_: str, mode: str | None,
                  actor_sector: str | None, target_sector: str | None) -> bool:
    if rule["type"] != type_:
        return False
    modes = rule.get("modes")
    if modes is not None and (mode or "none") not in modes:
        return False
    if "actor_sectors" in rule and actor_sector not in rule["actor_sectors"]:
        return False
    for key, sector in (("actor", actor_sector), ("target", target_sector)):
        wanted = rule.get(key, "any")
        if wanted != "any" and _sector_class(sector) != wanted:
            return False
    return True


def acled_type(type: str, mode: str | None = None,  # noqa: A002
               actor_sector: str | None = None,
               target_sector: str | None = None) -> AcledType | None:
    """ACLED event type / sub-event type of a PLOVER event, or ``None`` if ACLED would not code it.

    The weapon (mode) decides remote violence; for direct violence the sides decide: two
    armed sides (MIL/REB/COP) is a battle, an unarmed target an attack on civilians. Verbal
    and diplomatic events other than agreements have no ACLED equivalent.
    """
    type_, mode = normalize_type(type, mode)
    if type_ is None:
        return None
    for rule in _tables()["acled"]["rules"]:
        if _rule_matches(rule, type_, mode, actor_sector, target_sector):
            if rule["event_type"] is None:
                return None
            return AcledType(event_type=rule["event_type"], sub_event_type=rule["sub_event_type"])
    return None


def acled_types() -> list[AcledType]:
    """Every ACLED (event_type, sub_event_type) pair the rules can produce, in rule order."""
    seen: dict[tuple[str, str], AcledType] = {}
    for rule in _tables()["acled"]["rules"]:
        if rule["event_type"] is None:
            continue
        key = (rule["event_type"], rule["sub_event_type"])
        seen.setdefault(key, AcledType(event_type=key[0], sub_event_type=key[1]))
    return list(seen.values())
