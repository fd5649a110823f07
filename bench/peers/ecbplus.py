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
    """Document grouping B-cubed of pipeline + store merge (scorer: bench/ecbplus.py)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("_ecbplus_bench", Path(__file__).parents[1] / "ecbplus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if (root / "ecbplus").is_dir():  # peer.py passes the peer root; the scorer wants the set's folder
        root = root / "ecbplus"
    if not (root / "ECB+.zip").exists():
        return [Row(NAME, "doc grouping B³ F1 (conflict topics)", None, 0, note="ECB+.zip not found")]
    return module.rows(root, n)
