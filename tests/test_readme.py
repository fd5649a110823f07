"""The README's seed sample is what the extractor gives today (scripts/readme_sample.py)."""

import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _sample_module():
    spec = importlib.util.spec_from_file_location("readme_sample", REPO / "scripts" / "readme_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_seed_sample_matches_a_real_run():
    sample = _sample_module()
    if not sample.SEED.exists():
        pytest.skip(f"no seed article at {sample.SEED}")
    readme = sample.README.read_text("utf-8")
    assert sample.START in readme and sample.END in readme
    current = readme[readme.index(sample.START):readme.index(sample.END) + len(sample.END)]
    assert current == sample.block(sample.seed_events()), \
        "README.md's seed sample is out of date: run python scripts/readme_sample.py"
