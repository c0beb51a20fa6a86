"""A claim without a complete key is compared by the statement it is made in (store.writer.statement_of)."""

from __future__ import annotations

from pipeline.nlp.numbers import parse_quantity
from pipeline.store.writer import statement_of
from pipeline.types import CountClaim, Evidence

SENTENCE = "Officials said the blaze destroyed {} homes across the valley before crews contained it."


def claim(sentence: str, figure: str) -> CountClaim:
    start = sentence.index(figure)
    return CountClaim(value=parse_quantity(figure), group="homes", state="destroyed",
                      evidence=Evidence(sentence=sentence, sent_start=0, start=start, end=start + len(figure)))


def test_the_same_sentence_with_another_figure_is_the_same_statement():
    assert statement_of(claim(SENTENCE.format("40"), "40")) == statement_of(claim(SENTENCE.format("55"), "55"))


def test_spacing_and_case_do_not_make_another_statement():
    other = "OFFICIALS said the blaze  destroyed 55 homes across the valley before crews contained it."
    assert statement_of(claim(SENTENCE.format("40"), "40")) == statement_of(claim(other, "55"))


def test_another_sentence_or_another_figure_of_it_is_another_statement():
    two = "Officials said the blaze destroyed 40 homes and 12 barns across the valley before crews contained it."
    assert statement_of(claim(two, "40")) != statement_of(claim(two, "12"))
    assert statement_of(claim(SENTENCE.format("40"), "40")) != statement_of(claim(two, "40"))


def test_a_short_sentence_is_no_statement():
    assert statement_of(claim("The toll rose to 40 homes.", "40")) is None
