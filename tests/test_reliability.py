"""Confidence reliability: the table and ECE, the calibration fit, and that extraction's
confidence goes through it. Invented numbers and sentences only."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventscribe import reliability
from eventscribe.cli import app
from eventscribe.evaluate import GoldDocument, GoldEvent
from eventscribe.pipeline import extract_text

FIX = Path(__file__).parent / "fixtures" / "eval"


def test_reliability_bins_and_expected_calibration_error():
    pairs = [(0.15, False)] * 4 + [(0.15, True)] + [(0.85, True)] * 3 + [(0.85, False)]
    table = reliability.reliability(pairs)
    low, high = table.bins[1], table.bins[8]
    assert (low.count, low.fraction_right, round(low.mean_confidence, 2)) == (5, 0.2, 0.15)
    assert (high.count, high.fraction_right) == (4, 0.75)
    # |0.15 - 0.2| * 5 + |0.85 - 0.75| * 4, over 9 events
    assert table.ece == pytest.approx((0.05 * 5 + 0.1 * 4) / 9)
    assert reliability.reliability([(1.0, True)]).bins[-1].count == 1  # 1.0 falls in the last bin


def test_fit_learns_the_odds_and_keeps_the_order():
    rng = random.Random(7)
    raw = [rng.random() for _ in range(2000)]
    truth = [0.2 + 0.6 * x for x in raw]  # right with probability 0.2 .. 0.8
    pairs = [(x, rng.random() < p) for x, p in zip(raw, truth)]
    a, b = reliability.fit(pairs)
    points = reliability.curve(a, b)
    assert all(y0 < y1 for (_, y0), (_, y1) in zip(points, points[1:]))  # strictly increasing
    before = reliability.reliability([(x, ok) for x, ok in pairs]).ece
    after = reliability.reliability([(reliability.calibrate(x, points), ok) for x, ok in pairs]).ece
    assert after < before / 2 and after < 0.03
    assert reliability.calibrate(0.5, points) == pytest.approx(0.5, abs=0.05)


def test_calibrate_is_linear_between_points_and_flat_beyond():
    points = [(0.2, 0.4), (0.6, 0.8)]
    assert reliability.calibrate(0.4, points) == pytest.approx(0.6)
    assert reliability.calibrate(0.0, points) == 0.4 and reliability.calibrate(1.0, points) == 0.8
    with reliability.raw_scores():
        assert reliability.calibrate(0.4, points) == 0.4


def test_the_packaged_calibration_is_increasing_and_has_a_header():
    text = (Path(reliability.__file__).parent / "data" / reliability.CALIBRATION_FILE).read_text()
    assert text.startswith("# Confidence calibration") and "TUNE halves" in text
    points = reliability.load_calibration()
    assert len(points) >= 2 and all(y0 < y1 for (_, y0), (_, y1) in zip(points, points[1:]))


def test_labelled_marks_matched_predictions_right():
    day = dt.date(2024, 3, 4)
    gold = GoldDocument(id="d", text="Gunmen attacked a village on Monday.", published=day,
                        events=[GoldEvent(type="ASSAULT")])
    events = extract_text("Gunmen attacked a village on Monday. Police arrested two men on Monday.", day)
    pairs = reliability.labelled([gold], {"d": events})
    assert sorted(ok for _, ok in pairs) == [False, True]
    assert all(0 < c < 1 for c, _ in pairs)


def test_extraction_confidence_is_the_calibrated_raw_score():
    text = "Gunmen attacked a village near Goma on Monday, killing four people."
    day = dt.date(2024, 3, 6)
    with reliability.raw_scores():
        raw = extract_text(text, day)[0].confidence
    calibrated = extract_text(text, day)[0].confidence
    assert calibrated == round(reliability.calibrate(raw), 3) and calibrated != raw


def test_eval_reliability_option_prints_the_table():
    result = CliRunner().invoke(app, ["eval", str(FIX / "gold"), "--format", "json", "--reliability"])
    assert result.exit_code == 0, result.output
    table = json.loads(result.output)["reliability"]
    assert len(table["bins"]) == 10 and table["events"] == sum(b["count"] for b in table["bins"])
    assert 0 <= table["ece"] <= 1
