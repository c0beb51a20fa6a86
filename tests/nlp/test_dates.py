"""An explicit point in time in the sentence dates the claim; durations, plans and founding dates do not."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.nlp.dates import parse_point
from pipeline.types import Article, CountClaim, MoneyClaim

PUBLISHED = date(2025, 6, 1)


@pytest.mark.parametrize(("text", "expected"), [
    ("June 2024", date(2024, 6, 1)),
    ("March 3, 2025", date(2025, 3, 3)),
    ("2023", date(2023, 1, 1)),
    ("early 2024", date(2024, 1, 1)),
    ("the end of 2023", date(2023, 1, 1)),
    ("last year", date(2024, 1, 1)),
    ("Tuesday", date(2025, 5, 27)),
    ("yesterday", date(2025, 5, 31)),
    ("the past 18 months", None),
    ("more than five years", None),
    ("2030", None),  # after the article: a plan, not when the claim holds
    ("the summer", None),
])
def test_parse_point(text, expected):
    assert parse_point(text, PUBLISHED) == expected


@pytest.mark.parametrize(("sentence", "claim_type", "expected"), [
    ("In June 2024, Mistral AI raised €600 million in a Series B round led by General Catalyst.",
     MoneyClaim, date(2024, 6, 1)),
    ("Anthropic raised $4 billion from Amazon last year.", MoneyClaim, date(2024, 1, 1)),
    ("On Tuesday, OpenAI said it had raised $6.6 billion from Thrive Capital.", MoneyClaim, date(2025, 5, 27)),
    # the founding date is not when the money was raised: the article's date stands
    ("Founded in 2023, Mistral AI raised $2 billion from investors.", MoneyClaim, PUBLISHED),
    ("Eleven of the 14 researchers have left Meta over the past 18 months.", CountClaim, PUBLISHED),
    ("Mistral AI's valuation has risen since its Series A in early 2024, and it raised $2 billion.",
     MoneyClaim, PUBLISHED),
])
def test_claim_is_dated_by_its_sentence(extractor, sentence, claim_type, expected):
    article = Article(source="t.txt", text=sentence, published=PUBLISHED)
    [(_, extraction)] = list(extractor.extract_many([article]))
    claims = [c for c in extraction.claims if isinstance(c, claim_type)]
    assert claims, extraction.claims
    assert claims[0].stated_date == expected


def test_the_weekday_of_the_paper_is_that_day():
    """'on Monday' in Monday's paper is that Monday, not the one a week before."""
    from datetime import date

    from pipeline.nlp.dates import parse_point

    monday = date(2025, 3, 3)
    assert parse_point("Monday", monday) == monday
    assert parse_point("on Monday", monday) == monday
    assert parse_point("Sunday", monday) == date(2025, 3, 2)


def test_an_undated_article_resolves_only_dates_with_their_year():
    """'in March' in an article with no date: which March is not said; 'in March 2004' is."""
    from datetime import date

    from pipeline.nlp.dates import parse_point

    assert parse_point("March", None) is None
    assert parse_point("Monday", None) is None
    assert parse_point("March 2004", None) == date(2004, 3, 1)
