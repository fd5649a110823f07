"""Print what the extractor sees in each candidate sentence of a text file (developer aid)."""
import datetime as dt
import sys

from eventscribe.clean import article_blocks
from eventscribe.attribution import find_attributions
from eventscribe.extract import DocContext, sentence_candidates
from eventscribe.geo import gazetteer
from eventscribe.nlp import parse, split_sentences
from eventscribe.triggers import lexicon
from collections import Counter

text = open(sys.argv[1]).read()
pub = dt.date.fromisoformat(sys.argv[2]) if len(sys.argv) > 2 else None
blocks = article_blocks(text)
sents = split_sentences(text, blocks)
from eventscribe.pipeline import document_context
from eventscribe.model import Document
parsed = {s.index: next(parse([s.text])) for s, w in sents if lexicon().may_hold_event(w)}
ctx = document_context(Document(id="d", text=text, published=pub), blocks, [s for s, _ in sents], parsed)
print("PLACES", [(m.text, m.candidates[0].country if m.candidates else None) for m in ctx.place_mentions])
print("ATTR", {k: v.name for k, v in ctx.attributions.items()})
for s, words in sents:
    if not lexicon().may_hold_event(words):
        continue
    doc = next(parse([s.text]))
    print("\n#", s.index, s.text[:150])
    if "-v" in sys.argv:
        print("   ", " ".join(f"{t.text}/{t.dep_}<{t.head.i}" for t in doc))
    for c in sentence_candidates(doc, s, ctx):
        e = c.event
        print("  ", e.type, e.mode, "NEG" if e.negated else "", "HYP" if e.hypothetical else "", "trig=", e.evidence[0].trigger.text,
              "| A:", e.actor and (e.actor.name, e.actor.country, e.actor.sector, e.actor.span and e.actor.span.text),
              "| T:", e.target and (e.target.name, e.target.country, e.target.sector, e.target.span and e.target.span.text),
              "| L:", [l.name for l in e.locations], "| D:", e.date and (str(e.date.start), e.date.span and e.date.span.text),
              "| K:", e.fatalities and (e.fatalities.min, e.fatalities.max), "| I:", e.injured and (e.injured.min, e.injured.max),
              "| Ar:", e.arrested and (e.arrested.min, e.arrested.max))
