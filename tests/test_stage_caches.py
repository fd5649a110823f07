"""What our stages read once per document is read once, and answers as reading it again would."""

from eventscribe import geo
from eventscribe.geo import gazetteer


class _CountingPattern:
    def __init__(self, pattern):
        self.pattern, self.calls = pattern, 0

    def findall(self, text):
        self.calls += 1
        return self.pattern.findall(text)


def test_a_text_s_peoples_are_read_once_for_every_context_it_asks(monkeypatch):
    gaz = gazetteer()
    text = "Lebanese officials said Israeli jets struck near Tyre; Oromo elders met Kenyan envoys."
    mentions = gaz.find(text)
    counting = _CountingPattern(geo._TOKEN)
    monkeypatch.setattr(geo, "_TOKEN", counting)
    first = gaz.context(mentions, text)
    fewer = gaz.context(mentions[:1], text)  # another set of places, the same document text
    assert counting.calls == 1
    other = "".join(["Kenyan ", "police said."])
    # a new text is read afresh (police act at home: their nationality counts double)
    assert gaz.context([], other) == {"KEN": 1.0} and counting.calls == 2
    assert first["LBN"] >= 0.5 and first["ISR"] >= 0.5 and first["KEN"] == 0.5 and first["ETH"] == 0.5
    assert fewer["KEN"] == 0.5 and fewer["ISR"] >= 0.5
