"""Live mode: poll feeds, ingest what is new, for as long as the analyst wants (`eventscribe watch`).

Each round reads every feed (fetching the linked articles, never one already stored), extracts
and merges the new documents into the store, and reports one line per feed. A feed that is
down, slow or broken costs only its own line in that round; a database that is briefly
unavailable is retried next round. Rounds start ``every`` seconds apart (a round that takes
longer starts the next at once), so a watch can run for weeks without drifting or growing.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .ingest import IngestReport, ingest
from .store import Store, StoreUnavailable

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> float:
    """"15m", "90s", "1h30m", "2d" or plain seconds ("600") -> seconds (at least 1)."""
    value = text.strip().lower()
    if re.fullmatch(r"\d+(\.\d+)?", value):
        seconds = float(value)
    else:
        parts = re.findall(r"(\d+(?:\.\d+)?)([smhd])", value)
        if not parts or "".join(n + u for n, u in parts) != value:
            raise ValueError(f"not an interval: {text!r} (use e.g. 30s, 15m, 1h, 1h30m)")
        seconds = sum(float(n) * _UNITS[u] for n, u in parts)
    if seconds < 1:
        raise ValueError(f"interval {text!r} is under one second")
    return seconds


@dataclass
class FeedRound:
    """What one feed gave in one round."""

    feed: str
    report: IngestReport | None = None
    problem: str | None = None


def watch(feeds: Sequence[str], store: Store, *, every: float, rounds: int | None = None,
          published: dt.date | None = None, fetch_links: bool = True, pipeline=None,
          on_feed: Callable[[int, FeedRound], None] | None = None,
          sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> int:
    """Poll ``feeds`` every ``every`` seconds, ``rounds`` times (None: until interrupted).

    Returns the number of rounds run. ``on_feed(round_number, FeedRound)`` is called after
    each feed of each round (the command line prints it)."""
    done = 0
    while rounds is None or done < rounds:
        started = clock()
        done += 1
        for feed in feeds:
            outcome = FeedRound(feed)
            try:
                outcome.report = ingest([feed], store, published=published, fetch_links=fetch_links,
                                        pipeline=pipeline)
            except StoreUnavailable as exc:
                outcome.problem = f"database unavailable, retrying next round ({exc})"
            except Exception as exc:  # noqa: BLE001 - a watch outlives any one feed's failure
                outcome.problem = f"unexpected error: {' '.join(str(exc).split())[:300]}"
            if on_feed is not None:
                on_feed(done, outcome)
        if rounds is not None and done >= rounds:
            break
        sleep(max(0.0, started + every - clock()))
    return done
