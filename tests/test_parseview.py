"""The plain copy of a parse answers every question the rules ask exactly as spaCy does."""

from eventscribe.nlp import parse
from eventscribe.parseview import ParsedDoc, view

SENTENCES = [
    "Militants from the group, which is backed by Tehran, fired rockets and mortars at two bases near Erbil on Friday.",
    "The governor said police and soldiers would not release the 12 detained students - nor their teachers.",
    "“We will respond,” the minister told reporters in Kyiv.",
]


def _tree(tok):
    return (tok.i, tok.text, tok.lower_, tok.lemma_, tok.pos_, tok.tag_, tok.dep_, tok.idx, tok.whitespace_,
            tok.is_punct, len(tok), tok.head.i, [c.i for c in tok.children], [c.i for c in tok.lefts],
            [c.i for c in tok.rights], [t.i for t in tok.subtree], [a.i for a in tok.ancestors],
            [c.i for c in tok.conjuncts], tok.left_edge.i, tok.right_edge.i, tok.text_with_ws)


def test_every_token_reads_as_in_spacy():
    for doc in parse(SENTENCES):
        copy = view(doc)
        assert len(copy) == len(doc) and copy.text == doc.text
        for ours, theirs in zip(copy, doc):
            assert _tree(ours) == _tree(theirs)


def test_spans_read_as_in_spacy():
    doc = next(parse(SENTENCES[:1]))
    copy = view(doc)
    for start, end in [(0, 1), (0, 3), (4, 9), (9, 14), (2, len(doc)), (5, 5)]:
        ours, theirs = copy[start:end], doc[start:end]
        assert (ours.start, ours.end, ours.text, ours.start_char, ours.end_char) == \
            (theirs.start, theirs.end, theirs.text, theirs.start_char, theirs.end_char)
        if end > start:
            assert ours.root.i == theirs.root.i
            assert [t.i for t in ours] == [t.i for t in theirs]
    found = copy.char_span(12, 17, alignment_mode="expand")  # inside "the group"
    assert found.text == doc.char_span(12, 17, alignment_mode="expand").text
    assert copy[-1].i == len(doc) - 1 and copy[:].end == len(doc)


def test_a_copy_is_built_once_and_asks_spacy_for_the_rest():
    doc = next(parse(["Two soldiers were killed in 2023."]))
    copy = view(doc)
    assert isinstance(copy, ParsedDoc) and view(copy) is copy  # the rules may pass it on as it is
    assert copy[0].head is copy[1]  # one object per token: a rule's token is the same everywhere
    assert copy[0].like_num == doc[0].like_num and copy[-2].like_num  # not copied: read from spaCy


def test_the_actor_of_a_phrase_is_read_once_per_sentence(monkeypatch):
    from eventscribe import roles
    from eventscribe.model import Sentence

    text = "Israeli troops raided the camp."
    copy = view(next(parse([text])))
    sentence = Sentence(index=0, start=0, end=len(text), text=text)
    reads = []
    real = roles._read_actor
    monkeypatch.setattr(roles, "_read_actor", lambda tok, s: reads.append(tok.i) or real(tok, s))
    first = roles._actor_from_token(copy[1], sentence)
    again = roles._actor_from_token(copy[1], sentence)
    assert reads == [1]  # the second trigger that asks gets the first answer
    assert first == again and first is not again  # a copy: one event's changes stay its own
    assert first.country == "ISR" and first.sector == "MIL"


def test_strings_new_to_the_process_are_looked_up_once():
    from eventscribe import parseview

    doc = next(parse(["The Zorvathian envoy quibbled with Threnody officials."]))
    copy = view(doc)
    assert [t.text for t in copy] == [t.text for t in doc] and [t.lemma_ for t in copy] == [t.lemma_ for t in doc]
    key = doc.vocab.strings["Zorvathian"]
    assert parseview._STRINGS[key] == "Zorvathian"
    assert [t.head.i for t in view(next(parse(["Zorvathian envoys left."])))] == [1, 2, 2, 2]


def test_a_released_copy_lets_go_of_its_tokens_and_extraction_leaves_the_collector_on():
    import gc

    from eventscribe.parseview import release
    from eventscribe.pipeline import extract_text

    copy = view(next(parse(["Zorvathian envoys left the capital."])))
    tokens = copy.tokens
    release(copy)
    assert copy.tokens == [] and all(t.head is None and t.doc is None for t in tokens)
    release(next(parse(["A plain spaCy parse is left alone."])))  # not a copy: nothing to do
    assert gc.isenabled()
    extract_text("Police arrested two men in Paris on Monday.")
    assert gc.isenabled()  # the batch paused the collector and turned it back on
