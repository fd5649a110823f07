"""The extraction pipeline: documents in, per-document event records out.

Stages, in the order data flows through them::

    clean (boilerplate)  ->  sentences  ->  gate (English? political news?)  ->
    trigger pre-filter  ->  parse (only
    candidate sentences)  ->  triggers, roles, modality  ->  actors, places,
    dates, counts, attribution  ->  within-document merge

The parser is the expensive step, so sentences without a trigger form never
reach it, and the sentences of many documents are parsed in one batch.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
import time
from contextlib import contextmanager
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from itertools import islice

from .actors import DocumentScope, actor_dictionary, document_scope
from .clean import article_blocks
from .attribution import find_attributions
from .casing import is_title_case, restore_case, sentence_cased
from .extract import Candidate, DocContext, sentence_candidates
from .event_dates import background_sentences  # after extract: dates must load first
from .gate import GateDecision, assess, mentions_sport
from .headlines import adopt, past_tense_reading
from .geo import _abroad_nouns, gazetteer
from . import places as places_mod
from . import userdict
from .merge import merge_document, toll_updates, unhosted_counts
from .model import Document, DocumentResult, Event, Sentence
from .nlp import parse, split_sentences
from .parseview import release, view
from .triggers import lexicon


class Pipeline:
    """Loads the language model and lexicons once; reuse one instance.

    ``n_process > 1`` runs whole documents in worker processes: each worker loads the model
    once and keeps it for every later :meth:`extract` call of this pipeline (``close()``, or
    ``with Pipeline(...) as p``, ends them); documents travel to the workers and results back,
    never spaCy objects, and results come back in input order.
    """

    def __init__(self, batch_size: int = 32, n_process: int = 1) -> None:
        self.batch_size = batch_size
        self.n_process = n_process
        self._pool = None

    def extract(self, documents: Iterable[Document]) -> Iterator[DocumentResult]:
        if self.n_process > 1:
            yield from self._extract_parallel(documents)
            return
        docs = iter(documents)
        while chunk := list(islice(docs, self.batch_size)):
            yield from extract_batch(chunk)

    def _workers(self):
        if self._pool is None:
            import multiprocessing as mp

            self._pool = mp.get_context("spawn").Pool(self.n_process, initializer=warm_up)
        return self._pool

    def _extract_parallel(self, documents: Iterable[Document]) -> Iterator[DocumentResult]:
        """Chunks go to the workers from this thread, at most :data:`IN_FLIGHT` per worker
        ahead of the reader: the input (reading files, ingest's "already stored?" check) is
        read here, never by the pool's feeder thread behind the reader's back, and results
        waiting for a slow reader stay bounded."""
        docs = iter(documents)
        pool = self._workers()
        pending: deque = deque()
        finished = False
        try:
            while True:
                while len(pending) < IN_FLIGHT * self.n_process and (chunk := list(islice(docs, WORKER_CHUNK))):
                    pending.append(pool.apply_async(extract_batch_json, (chunk,)))
                if not pending:
                    break
                yield from (DocumentResult.model_validate_json(r) for r in pending.popleft().get())
            finished = True
        finally:
            if not finished and self._pool is not None:  # the reader stopped: drop the work still queued
                self._pool.terminate()
                self._pool = None

    def close(self) -> None:
        """End the worker processes (a pipeline of one process has none)."""
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> Pipeline:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


WORKER_CHUNK = 4
"""Documents a worker takes at a time: enough sentences for the parser's batches (about 80; the
parse costs the same per sentence from batches of 32 up), few enough that the workers finish
together (the last chunk is the only one a worker waits for: with 8, two workers on 50 news
articles could reach at best 1.6x, with 4 1.86x)."""


IN_FLIGHT = 2
"""Chunks queued per worker: one to work on and one ready behind it, so that no worker waits
for the reader to hand it the next."""


def extract_batch_json(docs: list[Document]) -> list[str]:
    """:func:`extract_batch` in a worker process, its results as JSON: half the CPU of pickling
    the records both ways (0.8 against 2 ms an article), and the parent, which has the most
    to do besides, pays a third of it."""
    return [result.model_dump_json() for result in extract_batch(docs)]


def warm_up() -> None:
    """Load the model, lexicons and gazetteers now rather than on the first document."""
    extract_batch([Document(id="warm-up", text="Police arrested two men in Paris on Monday.")])


MAX_PARSED_SENTENCES = 2_000
"""What one document may cost: at most this many candidate sentences are parsed (a long news
article has a few dozen; a 1.5 MB page thousands). The rest is left out, and the document's
result says so, so that one huge input cannot hold a batch, or the API's writer, for minutes."""


def extract_batch(docs: list[Document]) -> list[DocumentResult]:
    """Extract a batch of documents, parsing all their candidate sentences together.

    An error of ours on one document never loses the others: the batch is read again one
    document at a time, and the document that fails alone comes back with ``failed`` set
    (no events) for the caller to report."""
    try:
        return _extract_batch_in_one(docs)
    except Exception as exc:  # noqa: BLE001 - any bug of ours, reported per document below
        if len(docs) == 1:
            return [DocumentResult(document=docs[0], failed=f"{type(exc).__name__}: {exc}")]
        return [result for doc in docs for result in extract_batch([doc])]


def _extract_batch_in_one(docs: list[Document]) -> list[DocumentResult]:
    with _collector_paused():
        return _extract_batch(docs)


@contextmanager
def _collector_paused():
    """No cyclic garbage collection while a batch is read; one afterwards.

    A batch allocates millions of short-lived objects (the copies of its parses are cycles of
    tokens and their sentence; records, spans, sets of words), and Python's collector, run every
    700 allocations, walked each survivor again and again, the growing caches included: 15% of
    the stages after the parse. What a batch leaves behind is collected once at its end
    (generation 0: the garbage of the batch), and the batch reads the same either way."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _extract_batch(docs: list[Document]) -> list[DocumentResult]:
    started = time.process_time()
    userdict.current()  # re-read the user dictionary if a file of it changed (one stat per batch)
    lex = lexicon()
    prepared = []
    limited: dict[int, str] = {}
    to_parse: list[tuple[int, Sentence]] = []
    for i, doc in enumerate(docs):
        blocks = article_blocks(doc.text)
        sentences = split_sentences(doc.text, blocks)
        found = _dictionary_mentions(doc)
        gate = _gate(doc, blocks, found[0])
        prepared.append((blocks, [s for s, _ in sentences], found, gate))
        if gate.passed:
            candidates = [(i, s) for s, words in sentences if lex.may_hold_event(words)]
            if len(candidates) > MAX_PARSED_SENTENCES:
                last = candidates[MAX_PARSED_SENTENCES - 1][1]
                limited[i] = (f"only the first {MAX_PARSED_SENTENCES:,} of {len(candidates):,} candidate sentences "
                              f"were read (up to character {last.end:,}); split the document to read all of it")
                candidates = candidates[:MAX_PARSED_SENTENCES]
            to_parse.extend(candidates)
    prepared_at = time.process_time()
    parsed: dict[int, dict[int, object]] = {i: {} for i in range(len(docs))}
    texts = [_parse_text(s, prepared[i][2]) for i, s in to_parse]
    verbless = []
    for (i, sentence), text, spacy_doc in zip(to_parse, texts, parse(texts)):
        parsed[i][sentence.index] = restore_case(view(spacy_doc), sentence.text) if text is not sentence.text else spacy_doc
        again = past_tense_reading(spacy_doc, text)
        if again is not None:
            verbless.append((i, sentence, again))
    # "Raiders attack village": a verbless headline read again with its verb in the past tense
    for (i, sentence, (_, k, delta)), spacy_doc in zip(verbless, parse([v[2][0] for v in verbless])):
        copy = view(spacy_doc)
        if len(copy) == len(parsed[i][sentence.index]) and adopt(copy, k, delta, sentence.text):
            parsed[i][sentence.index] = copy
    parsed_at = time.process_time()
    results = [
        DocumentResult(document=doc, events=_document_events(doc, blocks, sentences, parsed[i], found, gate.sports),
                       language=gate.language, skipped=gate.skipped, limited=limited.get(i))
        for i, (doc, (blocks, sentences, found, gate)) in enumerate(zip(docs, prepared))
    ]
    STAGE_SECONDS["prepare"] += prepared_at - started
    STAGE_SECONDS["parse"] += parsed_at - prepared_at
    STAGE_SECONDS["events"] += time.process_time() - parsed_at
    _freeze_loaded_objects()
    return results


_FROZEN = [False]


def _freeze_loaded_objects() -> None:
    """After the first batch the model, lexicons and gazetteer are loaded: several hundred
    thousand objects that live as long as the process. Moved out of the garbage collector's
    reach, they are no longer walked by every full collection (each took ~0.1 s, one every
    few dozen articles)."""
    if not _FROZEN[0]:
        _FROZEN[0] = True
        gc.freeze()


STAGE_SECONDS: Counter[str] = Counter()
"""CPU seconds this process has spent in each step of :func:`extract_batch`: ``prepare``
(cleaning, sentences, dictionaries, gate, trigger pre-filter), ``parse`` (spaCy on the
candidate sentences) and ``events`` (every stage after the parse); the bench reads it."""


def _name_spans(found) -> list[tuple[int, int]]:
    """The document spans of the names the dictionaries know (not their common nouns such as
    "rebels" or "leaders"): kept capitalised when a title-case headline is sentence-cased."""
    actors, places = found
    return [(m.start, m.end) for m in actors if m.kind != "sector"] + [(m.start, m.end) for m in places]


def _parse_text(sentence: Sentence, found) -> str:
    """What the parser reads of a sentence: its text, or a title-case headline in sentence case
    (the names to keep are gathered only then: most sentences are not headlines)."""
    if not is_title_case(sentence.text):
        return sentence.text
    return sentence_cased(sentence.text, sentence.start, _name_spans(found)) or sentence.text


def _gate(doc: Document, blocks, actor_mentions) -> GateDecision:
    """The gate reads the article text the cleaner kept (no share bars, no cookie banners)."""
    article = "\n".join(doc.text[b.start:b.end] for b in blocks) if blocks else doc.text
    inside = [(b.start, b.end) for b in blocks]
    actors = [m for m in actor_mentions if not inside or any(s <= m.start and m.end <= e for s, e in inside)]
    return assess(article, actors)


def _dictionary_mentions(doc: Document) -> tuple[list, list]:
    """Every actor and every place the dictionaries find in a document (one pass each)."""
    return actor_dictionary().find_document(doc.text, when=doc.published), gazetteer().find(doc.text)


def _document_events(doc: Document, blocks, sentences: list[Sentence], parsed: dict, found=None,
                     sports: bool = False) -> list[Event]:
    if not parsed:
        return []
    parsed = {k: view(v) for k, v in parsed.items()}  # the rules read plain copies of the parses
    found = found or _dictionary_mentions(doc)
    # every phrase of the document is read knowing whom the document names in full
    try:
        with document_scope(_actor_scope(found[0], doc.published)):
            return _scoped_document_events(doc, blocks, sentences, parsed, found, sports)
    finally:
        for copy in parsed.values():
            release(copy)  # the records hold no token: the copies go now, not at the next collection


def _actor_scope(actor_mentions, published: dt.date | None = None) -> DocumentScope:
    """Persons the document introduces, its countries by how often actors name them, its date."""
    countries = Counter(m.actor.country for m in actor_mentions if m.kind == "country" and m.actor.country)
    groups = tuple((m.start, m.actor.name, m.actor.country) for m in actor_mentions
                   if m.kind == "group" and m.actor.sector == "REB")
    return DocumentScope(persons=frozenset(m.actor.name for m in actor_mentions if m.kind == "person"),
                         countries=tuple(c for c, _ in countries.most_common()), published=published,
                         groups=groups)


def _scoped_document_events(doc: Document, blocks, sentences: list[Sentence], parsed: dict, found,
                            sports: bool = False) -> list[Event]:
    ctx = document_context(doc, blocks, sentences, parsed, found)
    candidates: list[Candidate] = []
    for sentence in sentences:
        spacy_doc = parsed.get(sentence.index)
        if spacy_doc is None or (sports and mentions_sport({t.lower_ for t in spacy_doc} | {t.lemma_.lower() for t in spacy_doc})):
            continue  # "the striker fired a shot", "the captain struck the winner"
        candidates.extend(sentence_candidates(spacy_doc, sentence, ctx))
    weights = ctx.setting_weights if ctx.setting_weights is not None else ctx.country_weights
    setting = places_mod.story_place(doc.text, ctx.place_mentions, gazetteer(), weights, ctx.dateline)
    events = merge_document(candidates, doc.published, Counter(weights), setting,
                            unhosted_counts(sentences, candidates), headline=has_headline(blocks, sentences),
                            updates=toll_updates(sentences))
    if setting is not None and setting.precision != "country" and len(doc.text) <= places_mod.BRIEF_CHARS:
        places_mod.narrow_to_setting(events, setting)
    return events


def has_headline(blocks, sentences: list[Sentence]) -> bool:
    """Does the article open with a headline: a first block of one sentence, no final stop?"""
    if not blocks or len(sentences) < 2 or sentences[1].start < blocks[0].end:
        return False
    return not sentences[0].text.rstrip().endswith((".", "!", "?", ".”", ".\"", "!”", "?”", ":"))


# An armed group's home country weighs this much (a country's name or a town weighs 1): al-Shabaab
# fights in Kenya, the Taliban in Pakistan, so its home is a weak hint of where a story is set.
ARMED_GROUP_WEIGHT = 0.5


def _roams(mention) -> bool:
    """A named armed group: its country says whose group it is, not where it acted."""
    return mention.kind == "group" and mention.actor.sector == "REB"


_ABROAD_AFTER = re.compile(r"\s+(\w+)")


def _abroad(text: str, mention) -> bool:
    """ "Sudanese refugees", "Chinese nationals": a nationality of foreigners where the story
    happens says nothing of where it is set (``abroad_nouns`` of data/geo_where.yaml)."""
    if mention.kind != "country":
        return False
    hit = _ABROAD_AFTER.match(text, mention.end)
    return hit is not None and hit.group(1).lower() in _abroad_nouns()


def _setting_weights(countries: Counter, actor_mentions, places, text: str) -> dict[str, float]:
    """The countries that may be an unplaced event's country: those the text places things
    in or names as nations, but not the neighbour across a border ("near the border with
    Somalia") nor where people come from ("raiders from Uganda"); else (a note that names nothing but the group) the armed groups'."""
    beyond = [m for m in places if places_mod.beyond_border(text, m.start) or places_mod.origin(text, m.start)]
    if not beyond:
        setting = Counter(countries)
    else:
        across = {(m.start, m.end) for m in beyond}
        setting = Counter(gazetteer().context([m for m in places if (m.start, m.end) not in across], text))
        setting.update(m.actor.country for m in actor_mentions if m.actor.country and not _roams(m)
                       and (m.start, m.end) not in across)
    if setting:
        return dict(setting)
    shut = {c.country for m in beyond for c in m.candidates[:1]}
    return dict(Counter(m.actor.country for m in actor_mentions
                        if m.actor.country and _roams(m) and m.actor.country not in shut))


def _inside(start: int, end: int, place) -> bool:
    """An actor's word inside a longer place name ("state" in "Kaduna state") leaves the place
    a place; only a name that holds the place ("Quds" in "Quds Force") makes it part of an
    actor's name."""
    return place.start <= start and end <= place.end and end - start < place.end - place.start


def document_context(doc: Document, blocks, sentences: list[Sentence], parsed: dict, found=None) -> DocContext:
    """What every sentence of a document may need: its places, countries and speakers."""
    gaz = gazetteer()
    inside = [(b.start, b.end) for b in blocks]
    actor_mentions, place_mentions = found or _dictionary_mentions(doc)
    named = [(m.start, m.end) for m in actor_mentions if m.kind != "country"]
    places = [m for m in place_mentions
              if any(s <= m.start and m.end <= e for s, e in inside)
              and not any(s < m.end and m.start < e and not _inside(s, e, m) for s, e in named)]  # "Quds" in "Quds Force"
    countries: Counter = Counter(gaz.context(places, doc.text))
    # "Dominican authorities", "the Lebanese army": nationalities tell which Santiago or Tripoli
    countries.update(m.actor.country for m in actor_mentions if m.actor.country and not _roams(m)
                     and not _abroad(doc.text, m))
    setting = _setting_weights(countries, actor_mentions, places, doc.text)
    for m in actor_mentions:
        if m.actor.country and _roams(m):
            countries[m.actor.country] += ARMED_GROUP_WEIGHT
    # "the village of Kuriga", "Kadawa village": places the gazetteer does not list
    places = sorted(places + places_mod.unlisted_places(doc.text, places, gaz, countries, named), key=lambda m: m.start)
    # "in the capital", "across the city", "nationwide": places the text refers back to
    referred = places_mod.anaphoric_places(doc.text, places, gaz, countries)
    return DocContext(
        dateline=places_mod.dateline(doc.text, blocks, places, gaz, countries),
        doc_id=doc.id,
        text=doc.text,
        published=doc.published,
        place_mentions=sorted(places + referred, key=lambda m: m.start),
        country_weights=dict(countries),
        setting_weights=setting,
        attributions=find_attributions(doc.text, sentences, parsed),
        background=background_sentences([s.text for s in sentences], doc.published),
    )


_default: Pipeline | None = None


def default_pipeline() -> Pipeline:
    global _default
    if _default is None:
        _default = Pipeline()
    return _default


def extract_text(text: str, published: dt.date | None = None, doc_id: str = "doc") -> list[Event]:
    """Events of one text: the shortest way in, for tests and notebooks."""
    doc = Document(id=doc_id, text=text, published=published)
    return next(default_pipeline().extract([doc])).events
