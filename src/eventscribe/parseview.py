"""A compact, read-only copy of one parsed sentence for the rules that read the parse.

The rules after the parse (triggers, roles, modality, attribution) ask a sentence's tokens
for their lemma, dependency, head and children many times over: every ``doc[i]``,
``token.head`` or ``token.children`` of spaCy builds a new ``Token`` object and every
``lemma_`` or ``dep_`` looks its string up again, which made those lookups about a third of
our stages' time. :func:`view` reads the parse once (``Doc.to_array``: text, lower case,
lemma, part of speech, tag, dependency, head, offset) into plain Python objects with spaCy's
attribute names, so the rules stay written against spaCy's API and run unchanged on either.

Only what the rules read is copied; any other attribute is read from the spaCy token or doc
behind the copy (``__getattr__``), so a rule that asks for more still works, only slower.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy

from spacy.attrs import DEP, HEAD, IDX, IS_PUNCT, LEMMA, LOWER, ORTH, POS, SPACY, TAG
from spacy.parts_of_speech import NAMES as _POS_NAMES

_ATTRS = [ORTH, LOWER, LEMMA, POS, TAG, DEP, HEAD, IDX, SPACY, IS_PUNCT]


class _Strings(dict):
    """String hash -> string, shared by every sentence of the process; a new hash is looked up
    in the string store of the doc being copied (one store: the process's one model)."""

    strings = None

    def __missing__(self, key: int) -> str:
        value = self[key] = self.strings[key]
        return value


_STRINGS = _Strings()


class ParsedToken:
    """One token: spaCy's ``Token`` attributes that the rules read, as plain values."""

    __slots__ = ("doc", "i", "text", "lower_", "lemma_", "pos_", "tag_", "dep_", "head", "idx", "_kids")

    @property
    def whitespace_(self) -> str:
        return " " if self.doc.spaces[self.i] else ""

    @property
    def is_punct(self) -> bool:
        return self.doc.puncts[self.i] == 1

    @property
    def children(self) -> Iterator[ParsedToken]:
        return iter(self._kids)

    @property
    def lefts(self) -> Iterator[ParsedToken]:
        return iter([c for c in self._kids if c.i < self.i])

    @property
    def rights(self) -> Iterator[ParsedToken]:
        return iter([c for c in self._kids if c.i > self.i])

    @property
    def n_lefts(self) -> int:
        return sum(1 for c in self._kids if c.i < self.i)

    @property
    def n_rights(self) -> int:
        return sum(1 for c in self._kids if c.i > self.i)

    @property
    def subtree(self) -> Iterator[ParsedToken]:
        """The token and its descendants, in spaCy's order (left subtrees, itself, right ones)."""
        known = self.doc.subtrees
        out = known.get(self.i)
        if out is None:
            out = []
            for c in self._kids:
                if c.i < self.i:
                    out.extend(c.subtree)
            out.append(self)
            for c in self._kids:
                if c.i > self.i:
                    out.extend(c.subtree)
            known[self.i] = out
        return iter(out)

    @property
    def left_edge(self) -> ParsedToken:
        return self.doc.tokens[min(t.i for t in self.subtree)]

    @property
    def right_edge(self) -> ParsedToken:
        return self.doc.tokens[max(t.i for t in self.subtree)]

    @property
    def ancestors(self) -> Iterator[ParsedToken]:
        tok, n = self, len(self.doc.tokens)
        while tok.head is not tok and n > 0:
            tok = tok.head
            n -= 1
            yield tok

    def is_ancestor(self, descendant: ParsedToken) -> bool:
        return any(a is self for a in descendant.ancestors)

    @property
    def conjuncts(self) -> tuple[ParsedToken, ...]:
        """Coordinated tokens, as spaCy finds them: up the "conj" links, then down their right children."""
        start = self
        while start.head is not start and start.dep_ == "conj":
            start = start.head
        queue = [start]
        output = [start]
        for word in queue:
            for child in word._kids:
                if child.i > word.i and child.dep_ == "conj":
                    output.append(child)
                    queue.append(child)
        return tuple(w for w in output if w is not self)

    @property
    def text_with_ws(self) -> str:
        return self.text + self.whitespace_

    def nbor(self, i: int = 1) -> ParsedToken:
        k = self.i + i
        if not 0 <= k < len(self.doc.tokens):
            raise IndexError(f"token {self.i} has no neighbour at {i}")
        return self.doc.tokens[k]

    def __len__(self) -> int:
        return len(self.text)

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__

    def __getattr__(self, name: str):
        # anything else (morph, ent_type_, like_num, ...): ask the spaCy token itself
        return getattr(self.doc.spacy_doc[self.i], name)


class ParsedSpan:
    """Tokens ``start:end`` of a :class:`ParsedDoc` (what ``doc[a:b]`` gives)."""

    __slots__ = ("doc", "start", "end")

    def __init__(self, doc: ParsedDoc, start: int, end: int) -> None:
        self.doc, self.start, self.end = doc, start, end

    def __iter__(self) -> Iterator[ParsedToken]:
        return iter(self.doc.tokens[self.start:self.end])

    def __len__(self) -> int:
        return self.end - self.start

    def __getitem__(self, key):
        tokens = self.doc.tokens[self.start:self.end]
        if isinstance(key, slice):
            start, stop, _ = key.indices(len(tokens))
            return ParsedSpan(self.doc, self.start + start, self.start + max(start, stop))
        return tokens[key]

    @property
    def start_char(self) -> int:
        tokens = self.doc.tokens
        return tokens[self.start].idx if self.start < len(tokens) else len(self.doc.text)

    @property
    def end_char(self) -> int:
        if self.end == self.start:
            return self.start_char
        last = self.doc.tokens[self.end - 1]
        return last.idx + len(last.text)

    @property
    def text(self) -> str:
        return self.doc.text[self.start_char:self.end_char]

    @property
    def root(self) -> ParsedToken:
        for tok in self.doc.tokens[self.start:self.end]:
            if tok.head is tok:
                return tok
        return self.doc.tokens[self.doc.spacy_doc[self.start:self.end].root.i]  # spaCy's path-length rule

    def __str__(self) -> str:
        return self.text

    def __getattr__(self, name: str):
        return getattr(self.doc.spacy_doc[self.start:self.end], name)


class ParsedDoc:
    """A parsed sentence: its tokens (:class:`ParsedToken`), indexed and sliced as a spaCy ``Doc``.

    ``memo`` keeps what the rules read once per sentence for all its triggers (the actor of a
    token's phrase): a copy lives as long as one document's extraction.
    """

    __slots__ = ("tokens", "spacy_doc", "spaces", "puncts", "subtrees", "memo", "_text")

    @property
    def text(self) -> str:
        if self._text is None:  # what spaCy's Doc.text is: every token with its trailing space
            self._text = "".join([t.text + " " if s else t.text for t, s in zip(self.tokens, self.spaces)])
        return self._text

    def __getitem__(self, key):
        if isinstance(key, slice):
            start, stop, _ = key.indices(len(self.tokens))
            return ParsedSpan(self, start, max(start, stop))
        return self.tokens[key]

    def __iter__(self) -> Iterator[ParsedToken]:
        return iter(self.tokens)

    def __len__(self) -> int:
        return len(self.tokens)

    def char_span(self, start: int, end: int, *args, **kwargs) -> ParsedSpan | None:
        span = self.spacy_doc.char_span(start, end, *args, **kwargs)
        return None if span is None else ParsedSpan(self, span.start, span.end)

    def __str__(self) -> str:
        return self.text

    def __getattr__(self, name: str):
        return getattr(self.spacy_doc, name)


def view(doc) -> ParsedDoc:
    """The compact copy of a parsed spaCy ``Doc`` (a copy passes through unchanged)."""
    if isinstance(doc, ParsedDoc):
        return doc
    out = ParsedDoc()
    out.spacy_doc, out._text, out.subtrees, out.memo = doc, None, {}, {}
    n = len(doc)
    if not n:
        out.tokens, out.spaces, out.puncts = [], [], []
        return out
    array = doc.to_array(_ATTRS)
    # HEAD is an offset stored unsigned: read as signed and added to the positions, each head's index
    heads = (array[:, _HEAD_COLUMN].view(numpy.int64) + numpy.arange(n)).tolist()
    orth, lower, lemma, pos, tag, dep, _, idx, space, punct = array.T.tolist()
    _STRINGS.strings = doc.vocab.strings
    get = _STRINGS.__getitem__
    out.spaces, out.puncts = space, punct
    new = ParsedToken.__new__
    tokens = [new(ParsedToken) for _ in range(n)]
    kids = [[] for _ in range(n)]
    for t, i, a, b, c, p, g, d, x, h, k in zip(tokens, range(n), map(get, orth), map(get, lower), map(get, lemma),
                                               map(_POS_NAMES.__getitem__, pos), map(get, tag), map(get, dep), idx,
                                               heads, kids):
        t.doc = out
        t.i = i
        t.text = a
        t.lower_ = b
        t.lemma_ = c
        t.pos_ = p
        t.tag_ = g
        t.dep_ = d
        t.idx = x
        t._kids = k
        t.head = tokens[h]
        if h != i:
            kids[h].append(t)  # in token order, as spaCy's lefts then rights
    out.tokens = tokens
    return out


_HEAD_COLUMN = _ATTRS.index(HEAD)


def release(doc) -> None:
    """Break the reference cycles of a copy (each token points to its sentence, its head and
    its children): freed when the last reference goes, without waiting for the cyclic garbage
    collector to walk it. The copy is unusable afterwards; a spaCy ``Doc`` is left alone."""
    if not isinstance(doc, ParsedDoc):
        return
    for tok in doc.tokens:
        tok.doc = tok.head = tok._kids = None
    doc.tokens, doc.subtrees, doc.memo = [], {}, {}
