"""Verbless headlines parsed with their verb.

Headlines and incident notes write their act in the present ("Raiders from Uganda attack
Kenyan village", "Police battle Mungiki sect", "Shippers protest delays at the port"). The
tagger often reads such a line as one long noun phrase ("Uganda attack", "battle Mungiki
sect"): no verb, so no event. A sentence whose parse has no verb at all and a word of
``data/headline_verbs.yaml`` right after a noun is parsed again with that word in the past
tense ("attacked"), which the tagger reads as a verb; when it does, that parse is kept and
the copy gets the source's words and offsets back (the lemma is the verb's).
"""

from __future__ import annotations

from functools import lru_cache

import yaml

from .geo_names import DATA

_MAX_TOKENS = 30      # a headline or a note's line, not a list or a table row
_SUBJECT_POS = frozenset({"NOUN", "PROPN", "NUM", "PRON"})


@lru_cache(maxsize=1)
def _past_forms() -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in
            yaml.safe_load((DATA / "headline_verbs.yaml").read_text(encoding="utf-8")).items()}


def past_tense_reading(parsed, text: str) -> tuple[str, int, int] | None:
    """For a verbless parse of ``text``: the text with its first headline verb in the past
    tense, that token's index and the change in length; else None."""
    tokens = list(parsed)
    if len(tokens) > _MAX_TOKENS or any(t.pos_ in ("VERB", "AUX") for t in tokens):
        return None
    forms = _past_forms()
    for k in range(1, len(tokens)):
        tok = tokens[k]
        past = forms.get(tok.lower_)
        if past and tok.pos_ in ("NOUN", "PROPN") and tokens[k - 1].pos_ in _SUBJECT_POS:
            start, end = tok.idx, tok.idx + len(tok.text)
            if text[start:end].lower() != tok.lower_:
                return None
            return text[:start] + past + text[end:], k, len(past) - len(tok.text)
    return None


def adopt(reparsed, k: int, delta: int, original: str) -> bool:
    """Give the past-tense parse the source's words and offsets back (changed in place); False
    when the word did not become a verb or the tokens do not line up."""
    tokens = list(reparsed)
    if k >= len(tokens) or tokens[k].pos_ != "VERB":
        return False
    word = tokens[k]
    for tok in tokens[k + 1:]:
        tok.idx -= delta
    length = len(word.text) - delta
    word.text = original[word.idx:word.idx + length]
    word.lower_ = word.text.lower()
    for tok in tokens:
        if tok is not word:
            tok.text = original[tok.idx:tok.idx + len(tok.text)]
    reparsed._text = None
    return True
