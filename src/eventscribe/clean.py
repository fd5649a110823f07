"""Find the article's own text in a document: drop page boilerplate.

Cleaning never rewrites the text: it returns the character ranges of the
paragraphs worth reading, so every offset downstream still points into
``Document.text`` and provenance survives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

_SHORT_LINE_WORDS = 12


@dataclass(frozen=True)
class Block:
    """A paragraph of the document that holds article text."""

    start: int
    end: int


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, tuple[str, ...]]:
    data = yaml.safe_load(resources.files("eventscribe.data").joinpath("boilerplate.yaml").read_text())
    whole = re.compile(r"^(?:" + "|".join(f"(?:{p})" for p in data["whole_line"]) + r")$", re.IGNORECASE)
    return whole, tuple(s.lower() for s in data["contains"])


def is_boilerplate(line: str) -> bool:
    """True for lines such as "Photo of author", "Leave a comment", share bars."""
    whole, contains = _patterns()
    core = line.strip().strip(" .:|-–—•·»«\"'")
    if not core:
        return True
    if whole.match(core):
        return True
    if len(core.split()) < _SHORT_LINE_WORDS:
        low = core.lower()
        return any(s in low for s in contains)
    return False


def article_blocks(text: str) -> list[Block]:
    """Paragraph ranges of ``text`` that are article content, in order.

    Scraped pages put one paragraph per line, and a headline without a full
    stop must not run into the next sentence; plain-text files are often
    hard-wrapped. So a line break ends a paragraph unless the line is long
    and stops mid-sentence, in which case the next line continues it.
    """
    blocks: list[Block] = []
    current: list[tuple[int, int]] = []  # lines of the paragraph being built

    def flush() -> None:
        if current:
            blocks.append(Block(current[0][0], current[-1][1]))
            current.clear()

    offset = 0
    for line in text.split("\n"):
        start, offset = offset, offset + len(line) + 1
        if not line.strip() or is_boilerplate(line):
            flush()
            continue
        lead = len(line) - len(line.lstrip())
        current.append((start + lead, start + len(line.rstrip())))
        if not _continues(line):
            flush()
    flush()
    return blocks


_WRAP_MIN_CHARS = 40


def _continues(line: str) -> bool:
    """Does this line run on into the next one (hard-wrapped prose)?"""
    stripped = line.rstrip()
    return len(stripped) >= _WRAP_MIN_CHARS and stripped[-1] not in ".!?:;\"”’'»)"
