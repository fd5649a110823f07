"""ECB+ event coreference: hook for the store engineer (merging is scored by the store).

Fill in ``run`` to return rows (e.g. B-cubed / CoNLL F1 of merged event records against the
(topic, sub-topic) partition, see ../shared/peer/ecbplus/SOURCE.md); ``bench/peer.py`` picks
them up with the other peers. Until then it reports that the set is not scored.
"""

from __future__ import annotations

from pathlib import Path

from .common import Row

NAME = "ecbplus"


def run(root: Path, n: int | None = None) -> list[Row]:
    return [Row(NAME, "cross-document event merging", None, 0,
                note="not scored yet (owner: store; see bench/peers/ecbplus.py)")]
