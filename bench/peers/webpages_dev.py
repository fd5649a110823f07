"""webpages-dev: ordinary web pages with no political or conflict event
(../shared/peer/webpages-dev/SOURCE.md): every asserted event is a false alarm.

Each HTML page is read as ``eventscribe extract`` reads it (``sources.read_sources``: main
text by trafilatura). Scores: asserted (not negated, not hypothetical) events per page, per
language (the ``lang`` column of SOURCE.md's file table), share of pages with any event, and
the list of those pages with their event types. Lower is better everywhere.

Halves: files sorted by name, even index tune, odd index held out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

from eventscribe.model import Document, Event

from .common import Row, extract_all, ratio, stratified_sample

NAME = "webpages-dev"
TABLE_ROW = re.compile(r"^\|\s*`([^`]+\.html)`\s*\|\s*([a-z]{2})\s*\|", re.M)


def languages(source_md: str) -> dict[str, str]:
    """File name -> language code, from the file table of SOURCE.md."""
    return dict(TABLE_ROW.findall(source_md))


def load(root: Path) -> list[dict]:
    folder = root / NAME
    source_md = folder / "SOURCE.md"
    langs = languages(source_md.read_text("utf-8")) if source_md.exists() else {}
    files = sorted(p.name for p in folder.glob("*.html"))
    return [{"file": name, "path": folder / name, "lang": langs.get(name, "?"),
             "half": "tune" if i % 2 == 0 else "held"} for i, name in enumerate(files)]


def read_pages(pages: Sequence[dict]) -> tuple[list[Document], dict[str, str]]:
    """Documents for the pages (keyed by file name) and the pages that could not be read."""
    from eventscribe.model import DocumentError
    from eventscribe.sources import read_sources

    docs, failed = [], {}
    for page in pages:
        for item in read_sources([str(page["path"])]):
            if isinstance(item, DocumentError):
                failed[page["file"]] = item.message
            else:
                docs.append(item.model_copy(update={"id": page["file"]}))
    return docs, failed


def type_list(events: Sequence[Event]) -> str:
    counts = Counter(e.type for e in events)
    return ", ".join(f"{t} {n}" if n > 1 else t for t, n in counts.most_common())


def rows_for(split: str, pages: Sequence[dict], events: Mapping[str, Sequence[Event]]) -> list[Row]:
    n = len(pages)
    total = sum(len(events.get(p["file"], ())) for p in pages)
    flagged = [p for p in pages if events.get(p["file"])]
    out = [
        Row(NAME, "asserted events per page", total / n if n else None, n, split,
            note="target <= 0.05; lower is better"),
        Row(NAME, "pages with events", ratio(len(flagged), n), n, split,
            note="; ".join(f"{p['file']}: {type_list(events[p['file']])}" for p in flagged)),
    ]
    by_lang: dict[str, list[dict]] = {}
    for p in pages:
        by_lang.setdefault("en" if p["lang"] == "en" else "other", []).append(p)
    for group, part in sorted(by_lang.items()):
        k = sum(len(events.get(p["file"], ())) for p in part)
        langs = Counter(p["lang"] for p in part)
        detail = ", ".join(
            f"{lang} {sum(len(events.get(p['file'], ())) for p in part if p['lang'] == lang)}"
            f"/{c}" for lang, c in sorted(langs.items()))
        out.append(Row(NAME, f"events per page ({'English' if group == 'en' else 'other languages'})",
                       k / len(part), len(part), split,
                       note="" if group == "en" else f"events/pages: {detail}"))
    return out


def run(root: Path, n: int | None = None, half: str | None = None) -> list[Row]:
    pages = stratified_sample(load(root), n, half)
    docs, failed = read_pages(pages)
    events = extract_all(docs)
    out: list[Row] = []
    for split in ("tune", "held"):
        if half in (None, split):
            out += rows_for(split, [p for p in pages if p["half"] == split], events)
    if failed:
        out.append(Row(NAME, "pages not read", ratio(len(failed), len(pages)), len(pages),
                       note="; ".join(f"{k}: {v}" for k, v in failed.items())))
    return out
