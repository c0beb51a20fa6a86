"""Properties of number and money parsing, over generated numbers rather than a table."""

from __future__ import annotations

import math

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.nlp.numbers import parse_number, parse_quantity, vocabulary
from pipeline.types import Interval

# Deterministic and quick enough for every CI run; the table tests in test_numbers.py pin the
# exact intervals, these look for the inputs nobody wrote down.
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, derandomize=True)

ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
SCALE_WORDS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "bn": 1e9, "m": 1e6, "k": 1e3}
CURRENCIES = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "US$": "USD", "C$": "CAD"}


def words(n: int) -> str:
    """English words for 0 <= n < 10**9, as a writer spells them ("three hundred and forty")."""
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("-" + ONES[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        return f"{ONES[n // 100]} hundred" + (f" and {words(rest)}" if rest else "")
    for size, name in ((10**6, "million"), (10**3, "thousand")):
        if n >= size:
            rest = n % size
            return f"{words(n // size)} {name}" + (f" {words(rest)}" if rest else "")
    raise ValueError(n)


def with_commas(n: int) -> str:
    return f"{n:,}"


qualifiers = vocabulary().qualifiers
ABOVE = sorted(q for q, v in qualifiers.items() if v["kind"] == "above")
BELOW = sorted(q for q, v in qualifiers.items() if v["kind"] == "below")
APPROX = sorted(q for q, v in qualifiers.items() if v["kind"] == "approximately")
APPROACHING = sorted(q for q, v in qualifiers.items() if v["kind"] == "approaching")
EXACT = sorted(q for q, v in qualifiers.items() if v["kind"] == "exact")

amounts = st.integers(min_value=1, max_value=10**12)
decimals = st.decimals(min_value="0.01", max_value="999.99", places=2, allow_nan=False, allow_infinity=False)


def contains(iv: Interval, x: float) -> bool:
    return iv.intersects(Interval.exact(x))


@PROPERTY_SETTINGS
@given(n=amounts)
def test_digits_with_and_without_commas_parse_to_the_number(n):
    assert parse_number(str(n)) == n
    assert parse_number(with_commas(n)) == n


@PROPERTY_SETTINGS
@given(n=st.integers(min_value=0, max_value=999_999_999))
@example(n=340).via("README: three hundred and forty")
@example(n=1_000_011)
def test_number_words_parse_to_the_number(n):
    assert parse_number(words(n)) == n
    assert parse_number(words(n).capitalize()) == n


@PROPERTY_SETTINGS
@given(n=st.integers(min_value=1, max_value=99))
@example(n=2).via("'two dozen' once parsed as 2")
def test_a_count_of_dozens_multiplies(n):
    assert parse_number(f"{words(n)} dozen") == 12 * n
    assert parse_number(f"{n} dozen") == 12 * n


@PROPERTY_SETTINGS
@given(x=decimals, scale=st.sampled_from(sorted(SCALE_WORDS)), symbol=st.sampled_from(sorted(CURRENCIES)),
       space=st.sampled_from(["", " "]))
def test_money_with_scale_and_symbol(x, scale, symbol, space):
    number = f"{x.normalize():f}"
    text = f"{symbol}{number}{' ' if len(scale) > 2 else space}{scale}"  # "$2.5 billion", "$2.5bn", "$2.5 bn"
    q = parse_quantity(text)
    assert q is not None, text
    assert q.unit == CURRENCIES[symbol], text
    assert q.value == pytest.approx(float(x) * SCALE_WORDS[scale], rel=1e-12), text
    assert contains(q.interval, q.value), (text, q.interval)


@PROPERTY_SETTINGS
@given(n=amounts, unit=st.sampled_from(["", "%", " per cent", " euros", " dollars"]))
def test_unqualified_interval_contains_its_value_within_rounding(n, unit):
    q = parse_quantity(f"{with_commas(n)}{unit}")
    assert q is not None
    assert contains(q.interval, q.value)
    # the writer's rounding never stretches a number by more than 5% either way
    assert q.interval.low >= n * 0.95 - 1e-9 and q.interval.high <= n * 1.05 + 1e-9


@PROPERTY_SETTINGS
@given(n=amounts, qualifier=st.sampled_from(ABOVE), money=st.booleans())
def test_more_than_x_starts_at_x(n, qualifier, money):
    q = parse_quantity(f"{qualifier} {'$' if money else ''}{with_commas(n)}")
    assert q.qualifier == qualifier and q.value == n
    assert q.interval.low >= n and q.interval.high is None
    assert contains(q.interval, n) == (not q.interval.low_open)
    assert contains(q.interval, n * 10)


@PROPERTY_SETTINGS
@given(n=amounts, qualifier=st.sampled_from(BELOW))
def test_less_than_x_ends_at_x(n, qualifier):
    q = parse_quantity(f"{qualifier} {with_commas(n)}")
    assert q.qualifier == qualifier and q.value == n
    assert q.interval.high <= n
    assert contains(q.interval, n) == (not q.interval.high_open)
    assert not contains(q.interval, n * 1.01 + 1)


@PROPERTY_SETTINGS
@given(n=amounts, qualifier=st.sampled_from(APPROX))
def test_about_x_contains_x_and_its_neighbourhood(n, qualifier):
    q = parse_quantity(f"{qualifier} {with_commas(n)}")
    assert q.qualifier == qualifier
    assert contains(q.interval, n)
    assert contains(q.interval, n * 0.97) and contains(q.interval, n * 1.03)


@PROPERTY_SETTINGS
@given(n=amounts, qualifier=st.sampled_from(APPROACHING))
def test_nearly_x_is_just_below_x(n, qualifier):
    q = parse_quantity(f"{qualifier} {with_commas(n)}")
    assert q.qualifier == qualifier
    assert not contains(q.interval, n) and not contains(q.interval, n * 1.01)
    assert contains(q.interval, n * 0.97)


@PROPERTY_SETTINGS
@given(n=st.integers(min_value=1, max_value=99), qualifier=st.sampled_from(EXACT))
def test_only_x_is_exactly_x(n, qualifier):
    q = parse_quantity(f"{qualifier} {words(n)}")
    assert q.interval == Interval.exact(n)


@PROPERTY_SETTINGS
@given(a=amounts, b=amounts)
def test_between_a_and_b_spans_both(a, b):
    q = parse_quantity(f"between {with_commas(a)} and {with_commas(b)}")
    assert q is not None
    assert (q.interval.low, q.interval.high) == (min(a, b), max(a, b))
    assert contains(q.interval, q.value)


@PROPERTY_SETTINGS
@given(text=st.text(max_size=60))
def test_any_text_parses_to_a_number_or_none_without_raising(text):
    q = parse_quantity(text)
    if q is not None:
        assert not math.isnan(q.value)
        assert q.interval.low is None or q.interval.high is None or q.interval.low <= q.interval.high
