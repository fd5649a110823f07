"""Headlines in title case, parsed as the sentences they are.

News headlines are often written in title case ("U.S. Lifts Travel Ban on Lebanon",
"Rebels Attack Army Base Near Goma"). The tagger reads every capitalised word there as a
proper noun, so the verb is lost and the headline holds no event. Before the parse, such a
sentence is given in sentence case: every capitalised word but the first is lower-cased,
except the names the dictionaries know (countries, groups, persons, places: the actor and
place mentions the document scan found) and acronyms ("U.S.", "IGAD"). The change keeps
every character's position, so the parse's offsets are those of the source text; after the
parse, :func:`restore_case` puts the source's words back in the copy of the parse, so spans
and names read from it are the text as written.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_MIN_CAPITALISED = 3      # content words a headline needs before it is read as title case
_TITLE_SHARE = 0.75       # share of its content words (4+ letters) that are capitalised


def is_title_case(text: str) -> bool:
    """Are most of a sentence's content words capitalised, as in a title-case headline (not
    an all-capitals line, not a sentence that merely holds several names)?"""
    words = [w for w in _WORD.findall(text) if len(w) >= 4]
    if len(words) < _MIN_CAPITALISED or text.isupper():
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised >= _MIN_CAPITALISED and capitalised >= _TITLE_SHARE * len(words)


def sentence_cased(text: str, offset: int, names: list[tuple[int, int]]) -> str | None:
    """The sentence-case form of a title-case sentence ``text`` that starts at ``offset`` in
    its document, keeping the words inside ``names`` (document spans) and acronyms; None when
    the sentence is not in title case. Lengths are kept, so offsets stay valid."""
    if not is_title_case(text):
        return None
    inside = [(s - offset, e - offset) for s, e in names if s < offset + len(text) and e > offset]
    chars = list(text)
    first = True
    for m in _WORD.finditer(text):
        word, start = m.group(), m.start()
        if first:
            first = False
            continue
        if not word[0].isupper() or _is_acronym(word) or any(s <= start < e for s, e in inside):
            continue
        low = word[0].lower()
        if len(low) == 1:
            chars[start] = low
    return "".join(chars)


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def restore_case(parsed, original: str):
    """Put the source's own words back in the copy of a parse made from the sentence-case
    form: the tags, lemmas and dependencies stay those of the sentence-case reading."""
    for tok in parsed.tokens:
        tok.text = original[tok.idx:tok.idx + len(tok.text)]
    parsed._text = None
    return parsed
