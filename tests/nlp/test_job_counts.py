"""Job counts of business news: shares of a stated workforce, cuts told without the company's name."""

from __future__ import annotations

from pipeline.types import Article, CountClaim


def counts(extractor, text: str) -> list[CountClaim]:
    return [c for c in extractor.extract(Article(source="t", text=text)).claims if isinstance(c, CountClaim)]


def test_a_share_of_a_stated_workforce_is_a_count_of_it(extractor):
    (claim,) = counts(extractor, "The airline will cut more than a quarter of its 8,000 staff.")
    assert (claim.state, claim.value.value, claim.total) == ("lay off", 2000, 8000)
    iv = claim.value.interval
    assert (iv.low, iv.low_open, iv.high) == (2000, True, 8000)  # more than 2,000, at most all 8,000


def test_a_percentage_of_a_stated_workforce(extractor):
    claims = extractor.extract(Article(source="t", text="Ford will cut 10% of its 12,000 staff in Europe.")).claims
    (count,) = [c for c in claims if isinstance(c, CountClaim)]
    assert (count.state, count.value.value, count.total, count.org) == ("lay off", 1200, 12000, "Ford")
    assert [c.kind.value for c in claims].count("percentage") == 1  # the percentage stays a claim of its own


def test_a_share_without_a_stated_whole_is_no_count(extractor):
    assert counts(extractor, "Ford will cut a quarter of its workforce.") == []


def test_the_company_that_says_jobs_will_go_owns_the_cut(extractor):
    text = ("SBC Communications said it expects to cut around 12,800 jobs following its takeover of AT&T. "
            "SBC said 5,125 positions would go as a result of network efficiencies. "
            "Another 1,700 will go from its sales department.")
    got = sorted((c.state, c.value.value, c.org) for c in counts(extractor, text))
    assert got == [("lay off", 1700, "SBC Communications"), ("lay off", 5125, "SBC Communications"),
                   ("lay off", 12800, "SBC Communications")]


def test_jobs_lost_at_a_company_belong_to_it(extractor):
    (claim,) = [c for c in counts(extractor, "Deutsche Bank said it would cut 1,920 jobs in Germany, while as "
                                             "many as 300 jobs will be lost at Credit Suisse First Boston.")
                if c.value.value == 300]
    assert claim.org == "Credit Suisse First Boston"
