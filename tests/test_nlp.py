"""Sentences and parses: any length of text is read, offsets stay true."""

import datetime as dt

from eventscribe.clean import article_blocks
from eventscribe.nlp import MAX_SENTENCE_CHARS, split_sentences, windows
from eventscribe.pipeline import extract_text


def test_windows_cut_after_sentence_ends_or_spaces():
    text = "One two. Three four five. Six seven eight nine."
    pieces = list(windows(text, 0, len(text), 30))
    assert "".join(text[s:e] for s, e in pieces) == text
    assert all(e - s <= 30 for s, e in pieces)
    assert text[pieces[0][0]:pieces[0][1]] == "One two. Three four five. "
    assert all(text[s:e].endswith(" ") for s, e in list(windows(text, 0, len(text), 12))[:-1])


def test_a_block_longer_than_spacys_limit_is_read_whole():
    """One block of over a million characters (spaCy's max_length) must not end the run."""
    filler = "Government officials and opposition leaders in the capital said the region was calm "
    text = ("Gunmen attacked a police post in Kano on Monday. " + filler * 12_000
            + "Police arrested twelve men in Lagos on Tuesday.")
    assert len(text) > 1_000_000
    sentences = split_sentences(text, article_blocks(text))
    assert all(text[s.start:s.end] == s.text for s, _ in sentences)
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s, _ in sentences)
    types = {e.type for e in extract_text(text, published=dt.date(2024, 3, 6))}
    assert {"ASSAULT", "COERCE"} <= types


def test_one_document_has_a_cost_limit(monkeypatch):
    """Past MAX_PARSED_SENTENCES candidate sentences the rest is left out, and the result says so."""
    from eventscribe import pipeline
    from eventscribe.model import Document

    monkeypatch.setattr(pipeline, "MAX_PARSED_SENTENCES", 5)
    text = " ".join(f"Gunmen attacked a police post in Kano on day {i}." for i in range(20))
    (result,) = pipeline.extract_batch([Document(id="long", text=text)])
    assert result.limited and "first 5 of 20" in result.limited
    (short,) = pipeline.extract_batch([Document(id="short", text="Gunmen attacked a police post in Kano.")])
    assert short.limited is None


def test_lemmas_are_the_models_own_for_new_and_known_words(monkeypatch):
    """Our tag-and-lemma step caches what spaCy's lemmatizer says per (word, POS): a word read
    the second time, or after the cache was emptied, gets the same lemma as the first time."""
    from eventscribe import nlp

    text = "Soldiers were shelling the villages while protesters marched and troops fired shots."
    first = [(t.text, t.pos_, t.lemma_) for t in next(nlp.parse([text]))]
    lemmatizer = nlp._LEMMATIZER[0]
    fresh = next(nlp.parse([text]))
    assert [(t.text, t.pos_, t.lemma_) for t in fresh] == first
    assert [t.lemma_ for t in fresh] == [lemmatizer.lemmatize(t)[0] for t in fresh]
    assert {("shelling", "shell"), ("marched", "march"), ("villages", "village")} <= {
        (t.text, t.lemma_) for t in fresh}
    monkeypatch.setattr(nlp, "LEMMA_CACHE_SIZE", 3)
    assert [(t.text, t.pos_, t.lemma_) for t in next(nlp.parse([text]))] == first
    assert len(nlp._LEMMAS) <= len(first)


def test_parts_of_speech_come_from_the_fine_tags():
    """Without the attribute ruler, the tag map still gives verbs, auxiliaries and nouns."""
    from eventscribe import nlp

    doc = next(nlp.parse(["Police have arrested two men."]))
    pos = {t.text: t.pos_ for t in doc}
    assert pos["Police"] == "NOUN" and pos["arrested"] == "VERB" and pos["have"] == "AUX"
    assert "lemmatizer" not in nlp.language().pipe_names


def test_sentences_end_where_spacys_sentencizer_ends_them():
    """Our reading of sentence ends from the token arrays gives spaCy's own sentences: after
    final punctuation and any closing quotes or brackets, abbreviations kept whole."""
    from spacy.pipeline import Sentencizer

    from eventscribe import nlp

    text = ("U.S. forces struck on Feb. 2 at 4 p.m. local time. “We will respond,” he said!! "
            "(Officials declined to comment.) Was it over? Nobody knew... Protesters gathered")
    doc = Sentencizer()(nlp.language().make_doc(text))
    theirs = [s.text for s in doc.sents]
    ours = [s.text for s, _ in split_sentences(text, article_blocks(text))]
    assert ours == theirs and len(ours) >= 5
    assert all(w == w.lower() for _, words in split_sentences(text, article_blocks(text)) for w in words)


def test_the_parse_multiplies_on_numpy_in_one_thread_and_parses_as_blis_does():
    """The model's layers are built on numpy's matrix product, held to one BLAS thread while a
    parse runs (extra threads would spin on the other core); tags and trees are those of the
    model as spaCy loads it."""
    import spacy
    from threadpoolctl import threadpool_info

    from eventscribe import nlp

    texts = ["Rebels shelled the town overnight, killing four civilians, officials said.",
             "The minister met his Turkish counterpart in Ankara to discuss the ceasefire."]
    assert all(not p.model.ops.use_blis for _, p in nlp.language().pipeline if hasattr(p, "model"))
    ours = nlp.parse(texts)
    first = next(ours)
    blas = [i for i in threadpool_info() if i["user_api"] == "blas"]
    # numpy's own BLAS is the one the parse multiplies on; scipy may have loaded a second
    # copy (datasketch imports it in other tests), which the parse never calls
    numpys = [i for i in blas if "numpy" in i["filepath"]] or blas
    threads = {i["num_threads"] for i in numpys}
    rest = list(ours)
    assert threads == {1}
    reference = spacy.load(nlp.MODEL, exclude=["ner"])
    assert [[(t.tag_, t.dep_, t.head.i) for t in d] for d in [first, *rest]] == [
        [(t.tag_, t.dep_, t.head.i) for t in d] for d in reference.pipe(texts)]
