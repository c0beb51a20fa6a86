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


def test_cuts_written_as_nouns_and_workforces_by_their_number(extractor):
    text = ("The Daily Telegraph is axing 90 journalist jobs. Correspondents say 6,000 job losses had been "
            "expected. Acme Bank will make 1,200 redundancies. Acme Bank said it would reduce its German "
            "workforce by 1,920. SBC currently employs 163,000 people while AT&T employs 47,000.")
    got = {c.value.value: (c.state, c.group) for c in counts(extractor, text)}
    assert got[90] == ("lay off", "employees")  # jobs a compound of the trade names
    assert got[6000] == ("lay off", "employees")
    assert got[1200] == ("lay off", "employees")
    assert got[1920] == ("lay off", "employees")  # "reduce its workforce by"
    assert got[47000] == ("employ", "employees")  # "AT&T employs 47,000"


def test_a_trade_is_a_group_of_its_own(extractor):
    (claim,) = counts(extractor, "The two Telegraph titles currently employ 521 journalists.")
    assert (claim.state, claim.group, claim.value.value) == ("employ", "journalists", 521)


def test_jobs_still_to_go_are_a_plan_whatever_the_wording(extractor):
    statuses = {c.value.value: str(c.status) for c in counts(extractor, (
        "Acme Bank is to cut 2,850 jobs. Acme Bank will cut 500 jobs in Asia. Acme Bank said 300 positions "
        "would go in Europe. Acme Bank expects to cut 200 jobs in Africa. Acme Bank could cut 4,000 jobs. "
        "If sales fall, Acme Bank could cut 100 jobs. Acme Bank cut 70 jobs last year."))}
    assert statuses == {2850: "proposed", 500: "proposed", 300: "proposed", 200: "proposed",
                        4000: "guidance", 100: "hypothetical", 70: "actual"}


def test_jobs_that_are_to_go_at_a_company(extractor):
    (claim,) = counts(extractor, "Up to 2,500 jobs are to go at US insurance broker Marsh & McLennan in a shake up.")
    assert (claim.state, claim.value.value, claim.org, str(claim.status)) == (
        "lay off", 2500, "Marsh & McLennan", "proposed")


def test_losing_money_is_no_job_cut(extractor):
    text = ("A lawyer representing one of the directors said the 10 had agreed to pay those who lost billions. "
            "About 20,000 workers lost their jobs at WorldCom.")
    assert [(c.state, c.value.value) for c in counts(extractor, text)] == [("lay off", 20000)]


def test_it_opening_a_sentence_is_the_company_the_last_one_was_about(extractor):
    text = ("Acme Stores said it would buy Globex Holdings for $2.3 billion. Globex Holdings shares jumped 16%. "
            "Globex Holdings makes televisions.\n\n"
            "Acme Stores reported revenue of $173.4 billion. It also said it would cut 1,500 jobs and raise its "
            "annual dividend by 9%.")
    (claim,) = counts(extractor, text)
    # the job cut is Acme's, whichever company the article names most; and of no year the dividend's
    # "annual" names
    assert (claim.value.value, claim.org, claim.period) == (1500, "Acme Stores", None)


def test_a_cut_restated_as_jobs_and_its_share_of_the_workforce_are_one_plan(extractor):
    text = ("Intel to cut more than 15% of workforce as it slashes costs\n\n"
            "Intel said on Thursday it would cut more than 15% of its workforce, or about 15,000 jobs, as the "
            "chipmaker tries to reduce costs by $10 billion in 2025.")
    claims = extractor.extract(Article(source="t", text=text)).claims
    assert [(c.value.value, c.state, c.org, c.status, c.period) for c in claims if isinstance(c, CountClaim)] == [
        (15000, "lay off", "Intel", "proposed", None)]
    shares = [(c.measure_name, c.status, c.period) for c in claims if getattr(c, "measure_name", None) == "headcount"]
    # the headline's "to cut" and the body's "would cut" are one plan, and the cost target's year is not theirs
    assert shares == [("headcount", "proposed", None)] * 2


def test_cuts_by_firms_in_general_are_nobodys_count(extractor):
    text = ("Acme Holdings is axing 90 journalist jobs. A union official said the company had ignored the "
            "consultation period required for companies planning more than 10 redundancies.")
    assert [(c.value.value, c.org) for c in counts(extractor, text)] == [(90, "Acme Holdings")]


def test_counts_that_share_the_verb_of_the_count_before_them(extractor):
    text = ("Acme Communications said 5,125 positions would go. Another 1,700 will go from its sales department, "
            "3,400 from business operations and 2,600 across legal, advertising and public relations.")
    found = sorted((c.value.value, c.state, c.org) for c in counts(extractor, text))
    assert found == [(1700, "lay off", "Acme Communications"), (2600, "lay off", "Acme Communications"),
                     (3400, "lay off", "Acme Communications"), (5125, "lay off", "Acme Communications")]


def test_a_number_beside_a_count_with_a_verb_of_its_own_is_not_gapped(extractor):
    # "sold 3,000 cars": the number has its own verb and is no count of people
    found = counts(extractor, "Acme Motors said 300 jobs would go, and it sold 3,000 cars last year.")
    assert sorted(c.value.value for c in found) == [300]


def test_a_workforce_from_one_size_to_another(extractor):
    found = counts(extractor, "Acme Steel said it could see its workforce trimmed from 155,000 to 110,000 staff "
                              "by 2010.")
    assert sorted((c.value.value, c.state, c.org, str(c.status), c.period) for c in found) == [
        (110000, "employ", "Acme Steel", "guidance", "2010"), (155000, "employ", "Acme Steel", "actual", None)]


def test_a_workforce_already_cut_had_its_first_size_before(extractor):
    found = counts(extractor, "Acme Motors has reduced its headcount from 5,000 to 4,200.")
    assert sorted((c.value.value, str(c.status)) for c in found) == [(4200, "actual"), (5000, "prior")]


def test_a_price_from_one_level_to_another_is_no_workforce(extractor):
    assert counts(extractor, "Shares in Acme Motors rose from 120 to 130 pence after staff were told.") == []


def test_people_left_in_a_state_did_not_leave(extractor):
    text = ("Thousands of people possibly hoping yesterday to beat the month-end and long-weekend crowds at Massy Stores "
            "were left frustrated, as the popular grocery chain was forced to close all of its branches.")
    assert [c for c in counts(extractor, text) if c.state == "leave"] == []
    assert [(c.value.value, c.state) for c in counts(extractor, "Five researchers left the company last year.")] == [
        (5, "leave")]


def test_what_a_person_has_or_has_to_do_is_no_workforce(extractor):
    for text in ("At last count, I have 34 - one for each year I've circled the sun.",
                 "He has one from a Progressive Caucus member and three from New Democratic Coalition members.",
                 "We also face the grim fact that over 50,000 people will once again have to sign-on this week."):
        assert [c for c in counts(extractor, text) if c.state == "employ"] == [], text
    assert [(c.value.value, c.org) for c in counts(extractor, "IBM has 330,000 worldwide.")] == [(330000, "IBM")]
