"""Word lists of the extraction rules, kept in data files (``data/<stage>.yaml``, each with a
header that says what its lists are for) and read once per process."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml


@lru_cache(maxsize=None)
def word_lists(filename: str, ordered: frozenset[str] = frozenset()) -> dict[str, frozenset[str] | tuple[str, ...]]:
    """The lists of ``data/<filename>``: sets, except the keys in ``ordered``, which the
    rules read in order and get as tuples."""
    text = resources.files("eventscribe.data").joinpath(filename).read_text("utf-8")
    return {key: tuple(words) if key in ordered else frozenset(words) for key, words in yaml.safe_load(text).items()}
