"""The measure vocabulary: what an amount measures, whose it is, its period and status (the claim's key)."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.types import Article, ClaimStatus, MoneyClaim

FEB_2005 = date(2005, 2, 10)


def money(extractor, sentence: str, published: date | None = FEB_2005) -> list[MoneyClaim]:
    claims = extractor.extract(Article(source="t", text=sentence, published=published)).claims
    return [c for c in claims if isinstance(c, MoneyClaim)]


@pytest.mark.parametrize(("sentence", "subject", "measure", "period"), [
    ("For the full-year, TimeWarner posted a profit of $3.36bn, up 27% from its 2003 performance.",
     "TimeWarner", "profit", "2004"),
    ("Acme Widgets said that its annual revenue rose to $412m in 2004.", "Acme Widgets", "revenue", "2004"),
    ("Marsh & McLennan posted a $676m loss for the year.", "Marsh & McLennan", "loss", "2004"),
    ("General Electric said net profits were $5.37bn in the fourth quarter.", "General Electric", "net profit",
     "2004-Q4"),
    ("Allied Domecq has a market capitalisation of £5.7bn.", "Allied Domecq", "market value", None),
    ("Meta was fined €1.2 billion by the Irish regulator.", "Meta", "fine", None),
])
def test_measure_subject_and_period(extractor, sentence, subject, measure, period):
    claims = money(extractor, sentence)
    assert [(c.subject, c.measure, c.period) for c in claims][:1] == [(subject, measure, period)]


@pytest.mark.parametrize(("sentence", "status"), [
    ("Analysts had expected Acme Holdings to report revenue of $5bn.", ClaimStatus.ESTIMATE),
    ("Acme Holdings said it expects revenue of $5bn this year.", ClaimStatus.GUIDANCE),
    ("Acme Holdings offered to pay $300m to settle the charges.", ClaimStatus.PROPOSED),
    ("A deal would value Acme Holdings at around $1 billion.", ClaimStatus.HYPOTHETICAL),
    ("Acme Holdings raised $5 million in seed funding.", ClaimStatus.ACTUAL),
])
def test_status(extractor, sentence, status):
    assert [c.status for c in money(extractor, sentence)][:1] == [status]


def test_the_earlier_value_of_a_change_is_prior(extractor):
    claims = money(extractor, "Acme Holdings said sales rose 2% to $11.1bn from $10.9bn.")
    assert {c.amount.value: c.status for c in claims} == {11.1e9: ClaimStatus.ACTUAL, 10.9e9: ClaimStatus.PRIOR}


@pytest.mark.parametrize("sentence", [
    "Deals: $139 (Originally $159) at Best Buy.",  # a product price names no measure we compare
    "The price is $25 a month.",
])
def test_amounts_without_owner_or_measure_are_never_keyed(extractor, sentence):
    assert all(not c.key.complete for c in money(extractor, sentence))


@pytest.mark.parametrize(("text", "unit"), [
    ("Acme Holdings posted a profit of 88 billion Hong Kong dollars last year.", "HKD"),
    ("The group was valued at 830bn rupees ($19bn).", "INR"),
])
def test_currency_names(extractor, text, unit):
    assert unit in {c.amount.unit for c in money(extractor, text)}
