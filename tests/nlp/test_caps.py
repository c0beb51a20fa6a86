"""Work per article is bounded: tables and long lists are not read, claims per measure are capped."""

from __future__ import annotations

import pytest

from pipeline.nlp.extract import MAX_CLAIMS_PER_MEASURE, MAX_QUANTITIES_PER_SENTENCE
from pipeline.types import Article


def claims_of(extractor, text: str):
    return extractor.extract(Article(source="t", text=text)).claims


@pytest.mark.parametrize(("amounts", "claims"), [(1, 1), (MAX_QUANTITIES_PER_SENTENCE + 1, 0)])
def test_a_sentence_listing_too_many_amounts_is_not_read(extractor, amounts, claims):
    listed = ", ".join(f"${10 + i} million" for i in range(amounts))
    assert len(claims_of(extractor, f"Acme Robotics raised {listed} from Sequoia Capital.")) == claims


@pytest.mark.parametrize("times", [MAX_CLAIMS_PER_MEASURE + 5])
def test_one_measure_repeated_keeps_the_first_claims(extractor, times):
    text = " ".join(f"Acme Robotics raised ${10 + i} million on Tuesday." for i in range(times))
    claims = claims_of(extractor, text)
    assert len(claims) == MAX_CLAIMS_PER_MEASURE
    assert [c.amount.value for c in claims] == [(10 + i) * 1e6 for i in range(MAX_CLAIMS_PER_MEASURE)]


def test_figures_of_no_measure_have_a_cap_of_their_own(extractor):
    """Figures share no measure: an article's 30 figures are all kept (MAX_FIGURES_PER_ARTICLE), after and
    beside its claims of a measure."""
    from pipeline.nlp.extract import MAX_FIGURES_PER_ARTICLE
    from pipeline.types import FigureClaim

    text = " ".join(f"The old mill on the river bank filled {100 + i} sacks with flour in week {i + 1} of the "
                    f"season." for i in range(30))
    claims = claims_of(extractor, text)
    figures = [c.value.value for c in claims if isinstance(c, FigureClaim)]
    assert 30 <= MAX_FIGURES_PER_ARTICLE
    assert sorted(v for v in figures if v >= 100) == [100 + i for i in range(30)]
