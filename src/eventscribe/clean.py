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

    A paragraph is a line; scraped pages put one paragraph per line, and a
    headline without a full stop must not run into the next sentence.
    """
    blocks = []
    for match in re.finditer(r"[^\n]+", text):
        line = match.group()
        if line.strip() and not is_boilerplate(line):
            lead = len(line) - len(line.lstrip())
            blocks.append(Block(match.start() + lead, match.start() + len(line.rstrip())))
    return blocks
