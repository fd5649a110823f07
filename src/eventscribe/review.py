"""Analysts review, correct and curate events; the corrections stick (issue 12).

Everything a reviewer does is an action on a :class:`~eventscribe.store.Store`, run in one
write transaction that also writes its review records (who, when, which action and field, the
old and the new value, the note):

* :func:`set_status` — ``accept``, ``reject`` or ``reopen`` an event (``review_status``:
  unreviewed, accepted, rejected; rejected events are hidden from lists, map and exports).
* :func:`edit` — set fields (type, mode, actor/target name, country and sector, place, date,
  fatalities, injured, arrested), validated (:func:`normalize_fields`): a bad value is a
  :class:`ReviewError` (the API's 422) and changes nothing.
* :func:`merge` — another event's mentions, claims and links move to the kept event; the
  other is marked ``merged_into`` (hidden everywhere, its detail says where it went).
* :func:`split` — mentions move out of an event into a new one; both are re-reconciled.

**Reviewed values win.** A reviewed value is kept in ``events.overrides`` (JSON: column ->
value) and written over the column. Whenever the merge re-reconciles the event from its
mentions (:meth:`eventscribe.dedup.Merger.recompute`: a new mention merging in, a split), it
calls :func:`apply_overrides` last, so the reviewed values survive new sources, re-ingesting
the same documents (which adds nothing) and schema upgrades (migration 0005 only adds columns).
Two reviewers editing one field: the later edit wins, both are in the history.

Reviewers (:class:`Reviewers`) are named tokens with a role (``write`` or ``read``), from a
YAML or TSV file (``serve --reviewers FILE``) or ``$EVENTSCRIBE_REVIEWERS``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Float, and_, cast, func, literal_column, or_, select, true, update

REVIEW_STATUSES = ("unreviewed", "accepted", "rejected")
REVIEW_FILTERS = ("all", "unreviewed", "accepted", "rejected", "reviewed")
ACTIONS = {"accept": "accepted", "reject": "rejected", "reopen": "unreviewed"}
ENV_REVIEWERS = "EVENTSCRIBE_REVIEWERS"
ADMIN = "admin"  # the reviewer name of the server's single --token


class ReviewError(ValueError):
    """A review request that cannot be carried out as given (the API answers 422)."""


class EventNotFound(LookupError):
    """No such event (the API answers 404)."""


# --- reviewers ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reviewer:
    name: str
    token: str
    role: str = "write"  # write | read

    @property
    def can_write(self) -> bool:
        return self.role == "write"


class Reviewers:
    """The tokens a server knows, each with its reviewer; lookups compare in constant time."""

    def __init__(self, reviewers: Iterable[Reviewer] = ()) -> None:
        self.items = list(reviewers)
        names = [r.name for r in self.items]
        if len(set(names)) != len(names):
            raise ReviewError("two reviewers share a name")
        if len({r.token for r in self.items}) != len(self.items):
            raise ReviewError("two reviewers share a token")

    def __bool__(self) -> bool:
        return bool(self.items)

    @property
    def any_writer(self) -> bool:
        return any(r.can_write for r in self.items)

    def find(self, token: str | None) -> Reviewer | None:
        """The reviewer whose token this is (every token is compared: no timing hint)."""
        if not token:
            return None
        found = None
        for r in self.items:
            if secrets.compare_digest(token.encode(), r.token.encode()):
                found = r
        return found

    @classmethod
    def configured(cls, token: str | None = None, reviewers_file: str | None = None,
                   env: Mapping[str, str] | None = None) -> Reviewers:
        """The server's reviewers: the single ``--token`` (as reviewer ``admin``, write), the
        ``--reviewers`` file, and ``$EVENTSCRIBE_REVIEWERS`` (a file path, or inline entries
        ``name:token[:role]`` separated by commas or new lines)."""
        env = os.environ if env is None else env
        items: list[Reviewer] = []
        if token:
            items.append(Reviewer(ADMIN, token, "write"))
        if reviewers_file:
            items += read_reviewers(reviewers_file)
        value = (env.get(ENV_REVIEWERS) or "").strip()
        if value:
            items += read_reviewers(value) if Path(value).is_file() else parse_inline_reviewers(value)
        return cls(items)


def read_reviewers(path: str | os.PathLike) -> list[Reviewer]:
    """Reviewers from a file: YAML (a list of ``{name, token, role}``, or ``name: {token, role}``
    / ``name: token``) or TSV (``name<TAB>token<TAB>role``, ``#`` comments, optional header)."""
    text = Path(path).read_text(encoding="utf-8")
    if str(path).endswith((".yaml", ".yml")) or (":" in text and "\t" not in text):
        import yaml

        data = yaml.safe_load(text) or []
        if isinstance(data, dict):
            data = data.get("reviewers", data)
        if isinstance(data, dict):
            data = [{"name": k, **(v if isinstance(v, dict) else {"token": v})} for k, v in data.items()]
        return [_reviewer(d.get("name"), d.get("token"), d.get("role", "write"), path) for d in data]
    out = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [p.strip() for p in line.split("\t")]
        if parts[:2] == ["name", "token"]:
            continue  # header
        out.append(_reviewer(parts[0], parts[1] if len(parts) > 1 else None,
                             parts[2] if len(parts) > 2 and parts[2] else "write", path))
    return out


def parse_inline_reviewers(value: str) -> list[Reviewer]:
    """``ana:tok1,ben:tok2:read`` (commas or new lines between entries)."""
    out = []
    for entry in value.replace("\n", ",").split(","):
        if entry.strip():
            name, _, rest = entry.strip().partition(":")
            token, _, role = rest.partition(":")
            out.append(_reviewer(name, token, role or "write", ENV_REVIEWERS))
    return out


def _reviewer(name, token, role, where) -> Reviewer:
    name, token, role = str(name or "").strip(), str(token or "").strip(), str(role or "write").strip().lower()
    if not name or not token:
        raise ReviewError(f"{where}: every reviewer needs a name and a token")
    if role not in ("write", "read"):
        raise ReviewError(f"{where}: reviewer {name!r} has role {role!r}; give write or read")
    return Reviewer(name[:100], token, role)


# --- fields a reviewer may set ----------------------------------------------------------------

COUNT_FIELDS = ("fatalities", "injured", "arrested")
STRING_FIELDS = {"actor": 500, "target": 500, "location": 255, "admin1": 255}
COUNTRY_FIELDS = ("country", "actor_country", "target_country")
SECTOR_FIELDS = ("actor_sector", "target_sector")
DATE_FIELDS = ("date_start", "date_end")
EDITABLE = ("type", "mode", "actor", "actor_country", "actor_sector", "target", "target_country",
            "target_sector", "location", "country", "admin1", "lat", "lon", "geo_precision",
            "date_start", "date_end", "date_precision",
            *(f"{c}_{b}" for c in COUNT_FIELDS for b in ("low", "best", "high")))
"""Columns of ``events`` a reviewer may set (``PATCH /api/events/{id}``), plus the shortcuts
``place``, ``date``, ``actor``/``target`` as objects and ``fatalities``/``injured``/``arrested``
as one number or ``{low, best, high}`` (see :func:`normalize_fields`)."""
SHORTCUTS = ("place", "date", *COUNT_FIELDS)


def normalize_fields(fields: Mapping[str, Any], current: Mapping[str, Any]) -> dict[str, Any]:
    """The flat column values a PATCH body means, validated against our vocabularies.

    ``current`` is the event's row (for checks across fields: the new type's modes, low ≤ best ≤
    high, start ≤ end). Raises :class:`ReviewError` naming the field and what is wrong.
    """
    if not isinstance(fields, Mapping) or not fields:
        raise ReviewError("fields: give at least one field to set")
    flat: dict[str, Any] = {}
    for name, value in fields.items():
        if name in ("actor", "target") and isinstance(value, Mapping):
            flat.update(_party(name, value))
        elif name == "place":
            flat.update(_place(value))
        elif name == "date":
            flat.update(_date(value))
        elif name in COUNT_FIELDS:
            flat.update(_count(name, value))
        elif name in EDITABLE:
            flat[name] = value
        else:
            raise ReviewError(f"fields.{name}: not a field a reviewer can set (one of "
                              f"{', '.join(EDITABLE + SHORTCUTS)})")
    out = {name: _check(name, value) for name, value in flat.items()}
    _drop_stale_mode(out, current)
    _check_together(out, current)
    return out


def _drop_stale_mode(new: dict, current: Mapping[str, Any]) -> None:
    """A new type without a mode: the old mode goes when the new type has no such mode (an
    ASSAULT by explosives corrected to a PROTEST is no protest "by explosives")."""
    from .mapping import modes_by_type

    if "type" in new and "mode" not in new and current.get("mode") is not None:
        if current["mode"] not in modes_by_type().get(new["type"], ()):
            new["mode"] = None


def _party(role: str, value: Mapping) -> dict:
    unknown = set(value) - {"name", "country", "sector"}
    if unknown:
        raise ReviewError(f"fields.{role}: unknown key {sorted(unknown)[0]!r} (name, country, sector)")
    keys = {"name": role, "country": f"{role}_country", "sector": f"{role}_sector"}
    return {keys[k]: v for k, v in value.items()}


def _place(value) -> dict:
    """A gazetteer candidate or a map click: ``{name?, country?, admin1?, lat?, lon?, precision?}``."""
    if value is None:
        return dict(location=None, admin1=None, lat=None, lon=None, geo_precision=None)
    if not isinstance(value, Mapping):
        raise ReviewError("fields.place: give an object {name, country, admin1, lat, lon}")
    keys = {"name": "location", "country": "country", "admin1": "admin1", "lat": "lat", "lon": "lon",
            "precision": "geo_precision"}
    unknown = set(value) - set(keys) - {"population", "geonameid"}
    if unknown:
        raise ReviewError(f"fields.place: unknown key {sorted(unknown)[0]!r} ({', '.join(keys)})")
    out = {keys[k]: v for k, v in value.items() if k in keys}
    if ("lat" in out) != ("lon" in out):
        raise ReviewError("fields.place: give both lat and lon, or neither")
    if "geo_precision" not in out:
        out["geo_precision"] = ("place" if out.get("lat") is not None else
                                "admin1" if out.get("admin1") and not out.get("location") else
                                "country" if out.get("country") and not out.get("location") else "place")
    if "lat" not in out and "location" in out:
        out["lat"] = out["lon"] = None  # a new name without a point: the old point is not its
    return out


def _date(value) -> dict:
    if value is None:
        return dict(date_start=None, date_end=None, date_precision=None)
    if isinstance(value, str):
        return dict(date_start=value, date_end=value, date_precision="day")
    if not isinstance(value, Mapping) or "start" not in value:
        raise ReviewError("fields.date: give YYYY-MM-DD or {start, end?, precision?}")
    unknown = set(value) - {"start", "end", "precision"}
    if unknown:
        raise ReviewError(f"fields.date: unknown key {sorted(unknown)[0]!r} (start, end, precision)")
    end = value.get("end") or value["start"]
    return dict(date_start=value["start"], date_end=end,
                date_precision=value.get("precision") or ("day" if end == value["start"] else "week"))


def _count(name: str, value) -> dict:
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        return {f"{name}_low": value, f"{name}_best": value, f"{name}_high": value}
    if not isinstance(value, Mapping):
        raise ReviewError(f"fields.{name}: give a number, null, or {{low, best, high}}")
    unknown = set(value) - {"low", "best", "high"}
    if unknown:
        raise ReviewError(f"fields.{name}: unknown key {sorted(unknown)[0]!r} (low, best, high)")
    out = {f"{name}_{k}": v for k, v in value.items()}
    if "best" in value and "low" not in value and "high" not in value:
        out[f"{name}_low"] = out[f"{name}_high"] = value["best"]
    return out


def _check(name: str, value):
    """One field's value, normalised (alpha-3 codes, upper-case type, ISO dates) or refused."""
    from .mapping import normalize_mode
    from .model import PLOVER_TYPES, SECTORS

    where = f"fields.{name}"
    if value is None:
        if name == "type":
            raise ReviewError(f"{where}: an event needs a type")
        return None
    if name == "type":
        t = str(value).strip().upper()
        if t not in PLOVER_TYPES:
            raise ReviewError(f"{where}: {value!r} is not a PLOVER type ({', '.join(PLOVER_TYPES)})")
        return t
    if name == "mode":
        if not isinstance(value, str) or not value.strip():
            raise ReviewError(f"{where}: give a mode name or null")
        return normalize_mode(value)
    if name in COUNTRY_FIELDS:
        from .countries import UnknownCountry, resolve_country

        try:
            return resolve_country(str(value))
        except UnknownCountry as exc:
            raise ReviewError(f"{where}: {exc}") from None
    if name in SECTOR_FIELDS:
        s = str(value).strip().upper()
        if s not in SECTORS:
            raise ReviewError(f"{where}: {value!r} is not a sector ({', '.join(SECTORS)})")
        return s
    if name in STRING_FIELDS:
        if not isinstance(value, str) or not value.strip() or "\x00" in value:
            raise ReviewError(f"{where}: give a name (text, no NUL character) or null")
        if len(value) > STRING_FIELDS[name]:
            raise ReviewError(f"{where}: longer than {STRING_FIELDS[name]} characters")
        return " ".join(value.split())
    if name in ("lat", "lon"):
        limit = 90 if name == "lat" else 180
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                or abs(value) > limit:
            raise ReviewError(f"{where}: give a number between -{limit} and {limit}")
        return float(value)
    if name == "geo_precision":
        if value not in ("place", "admin1", "country"):
            raise ReviewError(f"{where}: give place, admin1 or country")
        return value
    if name == "date_precision":
        if value not in ("day", "week", "month", "year"):
            raise ReviewError(f"{where}: give day, week, month or year")
        return value
    if name in DATE_FIELDS:
        try:
            return dt.date.fromisoformat(str(value)) if len(str(value)) == 10 else _bad_date(where, value)
        except ValueError:
            return _bad_date(where, value)
    if name.split("_")[0] in COUNT_FIELDS:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                or value != int(value) or value < 0 or value > 10_000_000:
            raise ReviewError(f"{where}: give a whole number of people, 0 or more (got {value!r})")
        return int(value)
    raise ReviewError(f"{where}: not a field a reviewer can set")  # pragma: no cover


def _bad_date(where, value):
    raise ReviewError(f"{where}: give a date as YYYY-MM-DD (got {value!r})")


def _check_together(new: dict, current: Mapping[str, Any]) -> None:
    """Checks across fields, on the values the event will have after the edit."""
    from .mapping import modes_by_type

    merged = {**dict(current), **new}
    if new.get("mode") is not None or "type" in new:
        modes = modes_by_type().get(merged["type"], ())
        mode = merged.get("mode")
        if mode is not None and mode not in modes and "mode" in new:
            raise ReviewError(f"fields.mode: {mode!r} is not a mode of {merged['type']} ({', '.join(modes)})")
    for c in COUNT_FIELDS:
        vals = [merged.get(f"{c}_{b}") for b in ("low", "best", "high")]
        known = [v for v in vals if v is not None]
        if known != sorted(known):
            raise ReviewError(f"fields.{c}: low <= best <= high does not hold ({vals[0]}, {vals[1]}, {vals[2]})")
    d0, d1 = merged.get("date_start"), merged.get("date_end")
    if d0 is not None and d1 is not None and d0 > d1:
        raise ReviewError(f"fields.date: the start {d0} is after the end {d1}")


# --- overrides: stored as JSON, re-applied after every reconciliation ---------------------------

def encode(value) -> Any:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def decode_overrides(text: str | None) -> dict[str, Any]:
    """``events.overrides`` as column values (dates as dates)."""
    data = json.loads(text) if text else {}
    return {k: (dt.date.fromisoformat(v) if k in DATE_FIELDS and v is not None else v) for k, v in data.items()}


def apply_overrides(values: dict[str, Any], overrides: str | None) -> dict[str, Any]:
    """The reconciled column values with the reviewed ones written over them: called by
    :meth:`eventscribe.dedup.Merger.recompute` after it has reconciled the mentions."""
    if overrides:
        values.update(decode_overrides(overrides))
    return values


# --- actions -----------------------------------------------------------------------------------

def _event_row(conn, event_id: int, *, live: bool = True):
    from .store import TABLES

    row = conn.execute(select(TABLES.events).where(TABLES.events.c.id == event_id)).first()
    if row is None:
        raise EventNotFound(f"no event with id {event_id}")
    if live and row.merged_into is not None:
        raise ReviewError(f"event {event_id} was merged into event {row.merged_into}: review that one")
    return row


def _record(conn, event_id: int, reviewer: str, at: dt.datetime, action: str, field: str | None = None,
            old=None, new=None, note: str | None = None) -> None:
    from .store import TABLES

    conn.execute(TABLES.review_records.insert().values(
        event_id=event_id, reviewer=reviewer[:100], at=at, action=action, field=field,
        old_value=None if old is None else json.dumps(encode(old), ensure_ascii=False),
        new_value=None if new is None else json.dumps(encode(new), ensure_ascii=False),
        note=note or None))


def _done(conn, event_ids: Iterable[int], now: dt.datetime) -> None:
    """Every event an action changed: ``updated_at`` (the store's version, so cached lists
    are dropped) and its stored summary (what the list views send) rewritten."""
    from .store import TABLES, write_summaries

    ids = sorted(set(event_ids))
    conn.execute(update(TABLES.events).where(TABLES.events.c.id.in_(ids)).values(updated_at=now))
    write_summaries(conn, ids)


def _check_note(note: str | None) -> str | None:
    if note is not None and (not isinstance(note, str) or "\x00" in note or len(note) > 5000):
        raise ReviewError("note: text of at most 5000 characters, no NUL character")
    return note.strip() or None if note else None


def set_status(store, event_id: int, action: str, reviewer: str, note: str | None = None) -> str:
    """``accept``, ``reject`` or ``reopen`` the event; returns its new status."""
    from .store import TABLES

    if action not in ACTIONS:
        raise ReviewError(f"action: give {', '.join(ACTIONS)} (got {action!r})")
    note = _check_note(note)
    status = ACTIONS[action]
    with store._stamped_write() as (conn, now):
        row = _event_row(conn, event_id)
        conn.execute(update(TABLES.events).where(TABLES.events.c.id == event_id)
                     .values(review_status=status, reviewed_at=now))
        _record(conn, event_id, reviewer, now, action, "review_status", row.review_status, status, note)
        _done(conn, [event_id], now)
    return status


def edit(store, event_id: int, fields: Mapping[str, Any], reviewer: str, note: str | None = None) -> list[str]:
    """Set reviewed values; returns the columns that were set. The later of two edits of one
    field wins; each is a review record (old -> new)."""
    from .store import TABLES

    note = _check_note(note)
    ev = TABLES.events
    with store._stamped_write() as (conn, now):
        row = _event_row(conn, event_id)
        new = normalize_fields(fields, row._mapping)
        overrides = json.loads(row.overrides) if row.overrides else {}
        changed = []
        for name, value in new.items():
            old = row._mapping[name]
            if old == value and name in overrides:
                continue
            overrides[name] = encode(value)
            changed.append(name)
            _record(conn, event_id, reviewer, now, "edit", name, old, value, note)
        if changed:
            conn.execute(update(ev).where(ev.c.id == event_id).values(
                **{k: new[k] for k in changed}, overrides=json.dumps(overrides, ensure_ascii=False),
                reviewed_at=now, updated_at=now))
            _done(conn, [event_id], now)
    return changed


def revert(store, event_id: int, names: Iterable[str], reviewer: str, note: str | None = None) -> list[str]:
    """Drop reviewed values: the named columns go back to what the sources say."""
    from .store import TABLES

    note = _check_note(note)
    ev = TABLES.events
    with store._stamped_write() as (conn, now):
        row = _event_row(conn, event_id)
        overrides = json.loads(row.overrides) if row.overrides else {}
        names = list(dict.fromkeys(names))
        unknown = [n for n in names if n not in EDITABLE]
        if unknown or not names:
            raise ReviewError(f"fields: give reviewed columns to revert ({', '.join(EDITABLE)})")
        dropped = [n for n in names if n in overrides]
        for n in dropped:
            _record(conn, event_id, reviewer, now, "revert", n, overrides.pop(n), None, note)
        if dropped:
            conn.execute(update(ev).where(ev.c.id == event_id).values(
                overrides=json.dumps(overrides, ensure_ascii=False) if overrides else None, reviewed_at=now))
            store.merger.recompute(conn, event_id, now=now)
            _done(conn, [event_id], now)
    return dropped


def merge(store, keep_id: int, other_id: int, reviewer: str, note: str | None = None) -> None:
    """Merge event ``other_id`` into ``keep_id``: its mentions, claims and links move; the
    kept event keeps its reviewed values and takes the other's for fields it has none for."""
    from .store import TABLES

    note = _check_note(note)
    if keep_id == other_id:
        raise ReviewError("other: an event cannot be merged with itself")
    t = TABLES
    with store._stamped_write() as (conn, now):
        keep, other = _event_row(conn, keep_id), _event_row(conn, other_id)
        conn.execute(update(t.mentions).where(t.mentions.c.event_id == other_id).values(event_id=keep_id))
        conn.execute(update(t.claims).where(t.claims.c.event_id == other_id).values(event_id=keep_id))
        _move_links(conn, other_id, keep_id)
        conn.execute(update(t.events).where(t.events.c.merged_into == other_id).values(merged_into=keep_id))
        kept = json.loads(keep.overrides) if keep.overrides else {}
        taken = {k: v for k, v in (json.loads(other.overrides) if other.overrides else {}).items() if k not in kept}
        for name, value in taken.items():
            _record(conn, keep_id, reviewer, now, "merge", name, encode(keep._mapping[name]), value, note)
        _record(conn, keep_id, reviewer, now, "merge", None, None, {"merged": other_id}, note)
        _record(conn, other_id, reviewer, now, "merge", "merged_into", None, keep_id, note)
        conn.execute(update(t.events).where(t.events.c.id == other_id).values(
            merged_into=keep_id, reviewed_at=now, updated_at=now, n_articles=0, n_sources=0))
        conn.execute(update(t.events).where(t.events.c.id == keep_id).values(
            overrides=json.dumps({**kept, **taken}, ensure_ascii=False) if kept or taken else None,
            reviewed_at=now))
        store.merger.recompute(conn, keep_id, now=now)
        _done(conn, [keep_id, other_id], now)


def _move_links(conn, old: int, new: int) -> None:
    """Links of ``old`` become links of ``new``; a link between the two, or one ``new`` already
    has, is dropped (one relation per pair and direction)."""
    from .store import TABLES

    ln = TABLES.event_links
    for r in conn.execute(select(ln).where(or_(ln.c.from_event == old, ln.c.to_event == old))).all():
        a = new if r.from_event == old else r.from_event
        b = new if r.to_event == old else r.to_event
        dup = conn.execute(select(ln.c.id).where(ln.c.from_event == a, ln.c.to_event == b,
                                                 ln.c.relation == r.relation, ln.c.id != r.id)).first()
        if a == b or dup:
            conn.execute(ln.delete().where(ln.c.id == r.id))
        else:
            conn.execute(update(ln).where(ln.c.id == r.id).values(from_event=a, to_event=b))


def split(store, event_id: int, mention_ids: Iterable[int], reviewer: str, note: str | None = None) -> int:
    """Move the given mentions out of the event into a new event; returns the new id. Both are
    re-reconciled; the reviewed values stay on the original."""
    from .store import TABLES

    note = _check_note(note)
    t = TABLES
    mids = sorted(set(int(m) for m in mention_ids))
    if not mids:
        raise ReviewError("mentions: give the ids of the mentions to split out")
    with store._stamped_write() as (conn, now):
        _event_row(conn, event_id)
        own = {r.id: r for r in conn.execute(select(t.mentions).where(t.mentions.c.event_id == event_id))}
        foreign = [m for m in mids if m not in own]
        if foreign:
            raise ReviewError(f"mentions: {foreign[0]} is not a mention of event {event_id}")
        if len(mids) == len(own):
            raise ReviewError("mentions: at least one mention must stay with the event")
        first = own[mids[0]]
        new_id = conn.execute(t.events.insert().values(
            type=first.type, mode=first.mode, date_start=first.date_start, date_end=first.date_end,
            date_precision=first.date_precision, country=first.country, admin1=first.admin1,
            location=first.location, lat=first.lat, lon=first.lon, geo_precision=first.geo_precision,
            actor=first.actor, target=first.target, actor_sector=first.actor_sector,
            target_sector=first.target_sector, n_articles=0, n_sources=0, first_seen=now, updated_at=now,
        )).inserted_primary_key[0]
        conn.execute(update(t.mentions).where(t.mentions.c.id.in_(mids)).values(event_id=new_id))
        conn.execute(update(t.claims).where(t.claims.c.mention_id.in_(mids)).values(event_id=new_id))
        _record(conn, event_id, reviewer, now, "split", None, None, {"mentions": mids, "into": new_id}, note)
        _record(conn, new_id, reviewer, now, "split", None, None, {"mentions": mids, "from": event_id}, note)
        conn.execute(update(t.events).where(t.events.c.id == event_id).values(reviewed_at=now))
        store.merger.recompute(conn, event_id, now=now)
        store.merger.recompute(conn, new_id, now=now)
        _done(conn, [event_id, new_id], now)
    return new_id


# --- reading -------------------------------------------------------------------------------------

@dataclass
class ReviewRecord:
    id: int
    event_id: int
    reviewer: str
    at: dt.datetime
    action: str
    field: str | None
    old: Any
    new: Any
    note: str | None


def history(store, event_id: int, conn=None) -> list[ReviewRecord]:
    """The event's review records, oldest first."""
    from .store import TABLES

    rr = TABLES.review_records
    q = select(rr).where(rr.c.event_id == event_id).order_by(rr.c.id)
    if conn is None:
        with store.engine.connect() as own:
            rows = own.execute(q).all()
    else:
        rows = conn.execute(q).all()
    return [ReviewRecord(id=r.id, event_id=r.event_id, reviewer=r.reviewer, at=r.at, action=r.action,
                         field=r.field, old=json.loads(r.old_value) if r.old_value is not None else None,
                         new=json.loads(r.new_value) if r.new_value is not None else None, note=r.note)
            for r in rows]


def review_conditions(review: str | None) -> list:
    """WHERE clauses of the ``review`` filter. Merged-away events are never listed; rejected
    ones only when asked for (``all``, ``rejected``, ``reviewed``)."""
    from .store import TABLES

    ev = TABLES.events.c
    conds = [ev.merged_into.is_(None)]
    if review in (None, "", "default"):
        # a literal, as the partial indexes of the listed events state it (store.LISTED_SQL)
        conds.append(ev.review_status != literal_column("'rejected'"))
    elif review == "reviewed":
        conds.append(ev.review_status != "unreviewed")
    elif review in REVIEW_STATUSES:
        conds.append(ev.review_status == review)
    elif review != "all":
        raise ReviewError(f"review: give one of {', '.join(REVIEW_FILTERS)} (got {review!r})")
    return conds


# --- the review queue ------------------------------------------------------------------------------

QUEUE_SCAN = 5000  # unreviewed events looked at per queue request (the newest ones)


@lru_cache(maxsize=1)
def queue_weights() -> dict[str, Any]:
    import yaml

    return yaml.safe_load(resources.files("eventscribe").joinpath("data/review_queue.yaml").read_text("utf-8"))


@dataclass
class QueueItem:
    event_id: int
    priority: float
    reasons: list[str]
    confidence: float | None


def _confidence_expr(conn, mentions):
    """The mention's extraction confidence, read from its JSON record inside the database."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import JSONB

        return cast(cast(mentions.c.data, JSONB)["confidence"].astext, Float)
    return cast(func.json_extract(mentions.c.data, "$.confidence"), Float)


def queue(store, conds: list, *, limit: int = 50) -> tuple[list[QueueItem], int]:
    """Unreviewed events ordered by what most needs a person (weights in
    ``data/review_queue.yaml``): low confidence, sources that disagree, high tolls, parties the
    dictionaries did not know, places resolved only to a country. The newest ``QUEUE_SCAN``
    unreviewed events matching ``conds`` are ranked. Returns the top ``limit`` and how many
    events were ranked."""
    from .api import disagreements
    from .store import TABLES

    t = TABLES
    ev, mt = t.events.c, t.mentions.c
    w = queue_weights()
    where = and_(true(), *conds, ev.review_status == "unreviewed", ev.merged_into.is_(None))
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.events).where(where).order_by(ev.id.desc()).limit(QUEUE_SCAN)).all()
        ids = [r.id for r in rows]
        conf: dict[int, float] = {}
        by_event: dict[int, list] = {}
        for start in range(0, len(ids), 900):
            part = ids[start:start + 900]
            expr = _confidence_expr(conn, t.mentions)
            for eid, c in conn.execute(select(mt.event_id, func.max(expr)).where(mt.event_id.in_(part))
                                       .group_by(mt.event_id)):
                conf[eid] = c
            multi = [r.id for r in rows[start:start + 900] if r.n_articles > 1]
            if multi:
                for m in conn.execute(select(t.mentions).where(mt.event_id.in_(multi))):
                    by_event.setdefault(m.event_id, []).append(m)
    items = []
    for r in rows:
        reasons, score = [], 0.0
        c = conf.get(r.id)
        if c is not None:  # calibrated (eventscribe.reliability): 1 - c is the chance it is wrong
            score += w["low_confidence"]["weight"] * (1 - c)
            if c < w["low_confidence"]["below"]:
                reasons.append("low confidence")
        if by_event.get(r.id) and disagreements(by_event[r.id]):
            reasons.append("sources disagree: " + ", ".join(disagreements(by_event[r.id])))
            score += w["sources_disagree"]["weight"]
        toll = max(r.fatalities_best or 0, (r.injured_best or 0) // 3)
        if toll >= w["high_toll"]["at_least"]:
            reasons.append("high toll")
            score += w["high_toll"]["weight"]
        for role, name, sector in (("actor", r.actor, r.actor_sector), ("target", r.target, r.target_sector)):
            if name and not sector:
                reasons.append(f"{role} not in dictionaries")
                score += w["unknown_party"]["weight"]
        if not r.location or r.geo_precision == "country":
            reasons.append("place only a country" if r.location else "no place")
            score += w["country_only_place"]["weight"]
        if r.n_sources <= 1:
            reasons.append("single source")
            score += w["single_source"]["weight"]
        score += w.get("type_weight", {}).get(r.type, 0.0)
        items.append(QueueItem(r.id, round(score, 3), reasons, c))
    items.sort(key=lambda i: (-i.priority, -i.event_id))
    return items[:limit], len(rows)


# --- gazetteer candidates for the place picker --------------------------------------------------

def place_candidates(q: str | None = None, *, country: str | None = None, lat: float | None = None,
                     lon: float | None = None, limit: int = 10) -> list[dict]:
    """Places called ``q`` (exact name first, then names starting with it), or the places
    nearest to ``lat``/``lon`` (a map click), from the offline gazetteer."""
    from .geo import gazetteer

    gaz = gazetteer()
    if q is not None:
        return gaz.candidates(q, country=country, limit=limit)
    if lat is None or lon is None:
        raise ReviewError("give q (a place name), or lat and lon")
    return gaz.nearest(lat, lon, country=country, limit=limit)
