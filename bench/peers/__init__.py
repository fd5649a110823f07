"""Loaders and scorers for the public peer data sets in ../shared/peer (one module each).

Each module has ``run(root: Path, sample: int | None) -> list[Row]``; ``bench/peer.py``
collects the rows into one table. Peer data is read in place and never copied.
"""
