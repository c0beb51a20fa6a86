"""Numbers as written -> value, unit, qualifier and interval."""

from __future__ import annotations

import math

import pytest

from pipeline.nlp.numbers import parse_quantity

INF = math.inf


@pytest.mark.parametrize(("text", "value", "unit", "qualifier", "low", "high"), [
    ("$2 billion", 2e9, "USD", None, 1.9e9, 2.1e9),
    ("$2bn", 2e9, "USD", None, 1.9e9, 2.1e9),
    ("more than $2 billion", 2e9, "USD", "more than", 2e9, INF),
    ("$2.1 billion", 2.1e9, "USD", None, 2.05e9, 2.15e9),
    ("$2.05 billion", 2.05e9, "USD", None, 2.045e9, 2.055e9),
    ("2.5 million euros", 2.5e6, "EUR", None, 2.45e6, 2.55e6),
    ("€1.7B", 1.7e9, "EUR", None, 1.65e9, 1.75e9),
    ("¥3 trillion", 3e12, "JPY", None, 2.85e12, 3.15e12),
    ("£450m", 450e6, "GBP", None, 445e6, 455e6),
    ("between 10 and 15", 12.5, None, "between", 10, 15),
    ("18%", 18, "%", None, 17.5, 18.5),
    ("300 per cent", 300, "%", None, 285, 315),
    ("Eleven", 11, None, None, 11, 11),
    ("Only three", 3, None, "only", 3, 3),
    ("three hundred and forty", 340, None, None, 340, 340),
    ("a dozen", 12, None, None, 12, 12),
    ("a billion dollars", 1e9, "USD", None, 1e9, 1e9),
    ("548p", 5.48, "GBP", None, 5.475, 5.485),  # pence written with a p
    ("70 euro cents", 0.7, "EUR", None, 0.665, 0.735),
    ("just over $1bn", 1e9, "USD", "just over", 1e9, INF),
    ("1080p", 1080, None, None, 1075, 1085),  # a video resolution, not pence
    ("two dozen", 24, None, None, 24, 24),  # was 2: the quantity noun after a count multiplies
    ("2 hundred", 200, None, None, 190, 210),
    ("half", 0.5, None, None, 0.5, 0.5),
    ("nearly 3,000", 3000, None, "nearly", 2700, 3000),
    ("about 50", 50, None, "about", 45, 55),
    ("roughly 1,000", 1000, None, "roughly", 900, 1100),
    ("up to 10", 10, None, "up to", 0, 10),
    ("at least 5", 5, None, "at least", 5, INF),
    ("almost 200", 200, None, "almost", 180, 200),
    ("fewer than 20", 20, None, "fewer than", 0, 20),
    ("14", 14, None, None, 14, 14),
    ("3,000", 3000, None, None, 2850, 3150),
])
def test_parse_quantity(text, value, unit, qualifier, low, high):
    q = parse_quantity(text)
    assert q is not None
    assert q.value == pytest.approx(value)
    assert q.unit == unit
    assert q.qualifier == qualifier
    assert (q.interval.low if q.interval.low is not None else -INF) == pytest.approx(low)
    assert (q.interval.high if q.interval.high is not None else INF) == pytest.approx(high)


@pytest.mark.parametrize(("text", "open_low", "open_high"), [
    ("more than 5", True, False), ("at least 5", False, False), ("nearly 5", False, True),
    ("fewer than 5", False, True), ("up to 5", False, False),
])
def test_open_ends(text, open_low, open_high):
    q = parse_quantity(text)
    assert (q.interval.low_open, q.interval.high_open) == (open_low, open_high)


@pytest.mark.parametrize("text", ["", "billions", "the", "many", "several", "billions of"])
def test_no_number_no_quantity(text):
    assert parse_quantity(text) is None


@pytest.mark.parametrize(("text", "low", "high"), [
    ("hundreds", 200, 1000), ("Hundreds of", 200, 1000), ("thousands", 2000, 100_000),
    ("tens of thousands", 20_000, 100_000), ("hundreds of thousands", 200_000, 1_000_000),
    ("several hundred", 200, 1000), ("dozens", 24, 100), ("some thousands", 2000, 100_000),
])
def test_vague_counts_are_open_intervals(text, low, high):
    """'hundreds of people' is at least 200 and fewer than 1,000 (models/numbers.json: vague_quantities); it
    is shown as its words, and its low end is its figure."""
    q = parse_quantity(text)
    assert q.value == low and q.qualifier == text.lower().removeprefix("some ").removesuffix(" of")
    assert (q.interval.low, q.interval.high, q.interval.low_open, q.interval.high_open) == (low, high, False, True)


@pytest.mark.parametrize(("text", "value"), [
    ("half a billion dollars", 5e8), ("half a million pounds", 5e5), ("a quarter of a billion dollars", 2.5e8),
    ("half", 0.5),
])
def test_a_fraction_of_a_scale_is_read_whole(text, value):
    assert parse_quantity(text).value == value
