"""Who says each sentence: "X said", "according to X", or the speaker named after a quote.

A stage of its own after the parse: :mod:`eventscribe.extract` reads the events of each
sentence, this module the attribution the pipeline gives every event of a sentence
(``Event.attribution``). Parsed sentences give the subject of the speech verb; the others
fall back to the document's dictionary actors around the verb.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc as SpacyDoc

from .actors import actor_dictionary
from .model import Actor, Attribution, Sentence, Span
from .modality import _SPEECH_VERBS, _is_clear_speech
from .roles import _actor_from_token, _subject_of
from .textfold import FoldedPattern, Sieved

# case-insensitive, searched on the lower-cased sentence (textfold: the same matches, 2-3x faster)
_SPEECH_FORMS = FoldedPattern(
    r"\b(said|says|say|stated|states|told|tells|announced|announces|wrote|writes|claimed|claims|"
    r"reported|reports|added|declared|confirmed|insisted|noted|posted|tweeted|stressed|explained|"
    r"warned|made it clear|said in a statement)\b")
_ACCORDING_TO = Sieved(re.compile(r"\baccording to (?:the )?([^,.;:“”\"]{2,60})", re.IGNORECASE), ("according to",))
_QUOTE = re.compile(r"“[^”]{20,}”|\"[^\"\n]{20,}\"", re.DOTALL)


def find_attributions(text: str, sentences: list[Sentence], parsed: dict[int, SpacyDoc] | None = None) -> dict[int, Attribution]:
    """Who says each sentence: "X said", "according to X", or the speaker named after a quote.

    Parsed sentences give the grammatical subject of the speech verb; the
    others (the "Joe Biden stated on X." after a quote holds no trigger and
    is never parsed) fall back to the nearest dictionary actor before the verb.
    """
    parsed = parsed or {}
    speakers = {}
    for s in sentences:
        sp = _speaker_in_parse(parsed[s.index], s) if s.index in parsed else None
        sp = sp or _speaker_in(s, text)
        if sp is not None:
            speakers[s.index] = sp
    out = dict(speakers)
    for quote in _QUOTE.finditer(text):
        qs, qe = quote.span()
        inside = [s for s in sentences if s.start < qe and s.end > qs]
        speaker = None
        for s in sentences:
            if s.end <= qe - 1 and s.start < qs:
                continue
            sp = speakers.get(s.index)
            if sp is not None and sp.span is not None and (sp.span.start >= qe or sp.span.end <= qs):
                speaker = sp
                break
            if s.start > qe and s.index > (inside[-1].index + 1 if inside else 0):
                break
        if speaker is not None:
            for s in inside:
                out[s.index] = speaker
    return out


def _speaker_in(s: Sentence, text: str = "") -> Attribution | None:
    actors = actor_dictionary()
    acc = _ACCORDING_TO.search(s.text)
    if acc:
        phrase = acc.group(1).strip()
        start = s.start + acc.start(1)
        found = actors.find(phrase)
        if found:
            m = found[0]
            return _attribution_from(m.actor, s, start + m.start, start + m.end, m.text)
        words = phrase.split()
        if len(words) <= 5:
            return Attribution(name=phrase, span=Span(start=start, end=start + len(phrase), text=phrase, sentence=s.index))
    verb = _SPEECH_FORMS.search(s.text)
    if verb is None:
        return None
    mentions = _sentence_mentions(s, text)
    before = [m for m in mentions if m.end <= verb.start()]
    after = [m for m in mentions if m.start >= verb.end()]
    pick = before[-1] if before else (after[0] if after and verb.start() > len(s.text) * 0.5 else None)
    if pick is None:
        return None
    return _attribution_from(pick.actor, s, s.start + pick.start, s.start + pick.end, pick.text)


def _sentence_mentions(s: Sentence, text: str) -> list:
    """The dictionary actors of sentence ``s`` of the document ``text``: from the tokens the
    document-level scan kept when the sentence is that part of the text, not tokenised again."""
    actors = actor_dictionary()
    if text[s.start:s.end] == s.text:
        return actors.find_part(text, s.start, s.end)
    return actors.find(s.text)


def _speaker_in_parse(doc: SpacyDoc, s: Sentence) -> Attribution | None:
    if _ACCORDING_TO.search(s.text):
        return None  # the text rule reads "according to X" well
    for tok in doc:
        if tok.pos_ in ("VERB", "AUX") and (tok.lemma_.lower() in _SPEECH_VERBS or _is_clear_speech(tok)):
            subj = _subject_of(tok)
            if subj is None or subj.pos_ == "PRON" or subj.lower_ in ("that", "which", "who"):
                continue
            actor = _actor_from_token(subj, s)
            if actor is not None and actor.span is not None:
                return _attribution_from(actor, s, actor.span.start, actor.span.end, actor.span.text)
    return None


def _attribution_from(actor: Actor, s: Sentence, start: int, end: int, text: str) -> Attribution:
    name = actor.name if actor.name else text
    return Attribution(name=name, country=actor.country, sector=actor.sector,
                       span=Span(start=start, end=end, text=text, sentence=s.index))
