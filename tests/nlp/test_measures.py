"""The measure vocabulary: what an amount measures, whose it is, its period and status (the claim's key)."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.types import Article, ClaimStatus, MoneyClaim, PercentageClaim

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


@pytest.mark.parametrize(("text", "payer", "authority"), [
    ("Monsanto fined $1.5m for bribery\n\nThe company declined to comment.", "Monsanto", None),  # a headline's passive
    ("The SEC fined Acme Holdings $2m.", "Acme Holdings", "SEC"),  # the one fined is the dative, not the amount
    ("Regulators have fined Acme Holdings $3m.", "Acme Holdings", None),
])
def test_who_pays_a_fine(extractor, text, payer, authority):
    (claim,) = [c for c in money(extractor, text) if c.measure == "fine"]
    assert (claim.subject, claim.counterparty) == (payer, authority)


@pytest.mark.parametrize(("sentence", "status"), [
    ("Analysts had expected Acme Holdings to report revenue of $5bn.", ClaimStatus.ESTIMATE),
    ("Acme Holdings said it expects revenue of $5bn this year.", ClaimStatus.GUIDANCE),
    ("Acme Holdings offered to pay $300m to settle the charges.", ClaimStatus.PROPOSED),
    ("A deal would value Acme Holdings at around $1 billion.", ClaimStatus.HYPOTHETICAL),
    ("Acme Holdings raised $5 million in seed funding.", ClaimStatus.ACTUAL),
    # the future of a flow is a forecast: the company's, or an outsider's
    ("Sales at Acme Holdings will dip by at least A$30m, the company said.", ClaimStatus.GUIDANCE),
    ("According to analysts' forecasts, Acme Holdings will report profits of £9.4bn.", ClaimStatus.ESTIMATE),
    # agreed terms of a deal are no forecast
    ("Acme Holdings will pay $76 for each Globex share, the companies said.", ClaimStatus.ACTUAL),
    # the small model lemmatizes "hoped" as "hop": the surface form decides
    ("Acme Holdings said it hoped to pay $100m to its creditors now.", ClaimStatus.PROPOSED),
])
def test_status(extractor, sentence, status):
    assert [c.status for c in money(extractor, sentence)][:1] == [status]


@pytest.mark.parametrize(("sentence", "status"), [
    # a reported "would" of a flow: the company's guidance, anybody else's estimate
    ("Acme Holdings said sales would rise 5% this year.", ClaimStatus.GUIDANCE),
    ("Analysts said profits at Acme Holdings would fall 3% in 2005.", ClaimStatus.ESTIMATE),
    ("The head of the government panel, Bert Ruerup, said that growth in Germany would be just 1% in 2005.",
     ClaimStatus.ESTIMATE),
])
def test_a_reported_future_of_a_flow_is_a_forecast(extractor, sentence, status):
    assert [c.status for c in percentages(extractor, sentence).values()] == [status]


@pytest.mark.parametrize("sentence", [
    "The federal budget deficit hit a record $412bn in the 12 months to 30 September and $377bn in the previous year.",
    "The budget deficit hit a record $412bn in 2004, after reaching $377bn in the previous fiscal year.",
])
def test_a_figure_of_the_previous_year_is_prior(extractor, sentence):
    claims = {c.amount.value: c.status for c in money(extractor, sentence)}
    assert (claims[412e9], claims[377e9]) == (ClaimStatus.ACTUAL, ClaimStatus.PRIOR)


def test_a_forecast_held_against_a_result_is_of_its_measure(extractor):
    # in the sentence: the forecast of a per-share figure is of the per-share figure, not of nothing
    claims = money(extractor, "Excluding special items, Acme Holdings' profit was 33 cents a share, but analysts "
                              "had expected 34 cents.")
    assert {c.amount.value: (c.measure, c.status) for c in claims} == {
        0.33: ("earnings per share", ClaimStatus.ACTUAL), 0.34: ("earnings per share", ClaimStatus.ESTIMATE)}
    # in the next sentence: "a figure" is the result just given
    claims = money(extractor, "Acme Holdings said its net profit for 2004 rose 28% to A$458.4m.\n\n"
                              "Analysts expected a figure closer to A$431m.")
    assert {c.amount.value: (c.measure, c.subject, c.period, c.status) for c in claims} == {
        458.4e6: ("net profit", "Acme Holdings", "2004", ClaimStatus.ACTUAL),
        431e6: ("net profit", "Acme Holdings", "2004", ClaimStatus.ESTIMATE)}


def test_the_earlier_value_of_a_change_is_prior(extractor):
    claims = money(extractor, "Acme Holdings said sales rose 2% to $11.1bn from $10.9bn.")
    assert {c.amount.value: c.status for c in claims} == {11.1e9: ClaimStatus.ACTUAL, 10.9e9: ClaimStatus.PRIOR}


@pytest.mark.parametrize("sentence", [
    "Deals: $139 (Originally $159) at Best Buy.",  # a product price names no measure we compare
    "The price is $25 a month.",
])
def test_amounts_without_owner_or_measure_are_never_keyed(extractor, sentence):
    assert all(not c.key.complete for c in money(extractor, sentence))


def test_spending_is_named_and_never_keyed(extractor):
    # a government or company spends on many things: "military spending" and "total spending for the month"
    # of one country are not one figure
    (claim,) = money(extractor, "US military spending is also set to rise by 4.8%, to reach $419.3bn.")
    assert (claim.measure, claim.key.complete) == ("investment spending", False)


def test_money_paid_for_rights_is_no_deal(extractor):
    assert all(c.measure != "acquisition price" for c in money(
        extractor, "Globex has paid $1bn for the rights to show Premier League matches."))


def test_a_price_is_named_and_never_keyed(extractor):
    claims = {c.amount.value: c for c in money(
        extractor, "The short-haul surcharge was raised from £2.50 to £4 a leg, British Airways said.")}
    assert [(c.measure, c.subject, c.key.complete) for c in claims.values()] == \
        [("price", "British Airways", False)] * 2  # the price of one of its services: many, none keyed
    (cost,) = money(extractor, "British Airways said fuel costs rose by £106m in the quarter.")
    assert cost.measure != "price"  # a company's costs are its expenses, not a price


@pytest.mark.parametrize(("sentence", "total", "part"), [
    ("Ten former directors at Acme Holdings have agreed to pay $54m, including $18m from their own pockets, "
     "to settle a class action lawsuit.", 54e6, 18e6),
    ("Under the terms of the $168m Acme Holdings settlement - $155m of which will be covered by insurance - "
     "none of the directors will admit any wrongdoing.", 168e6, 155e6),
])
def test_a_part_of_a_total_is_of_its_measure_and_never_keyed(extractor, sentence, total, part):
    claims = {c.amount.value: c for c in money(extractor, sentence)}
    whole, piece = claims[total], claims[part]
    assert (whole.measure, whole.subject, whole.part) == ("settlement", "Acme Holdings", False)
    assert (piece.measure, piece.subject, piece.part) == ("settlement", "Acme Holdings", True)
    assert whole.key.complete and not piece.key.complete  # another article may give the total alone


@pytest.mark.parametrize(("text", "unit"), [
    ("Acme Holdings posted a profit of 88 billion Hong Kong dollars last year.", "HKD"),
    ("Acme Holdings made a profit of 830bn rupees ($19bn).", "INR"),
    # dollars the tokenizer does not split by itself
    ("Acme Holdings' profit for the quarter was HK$327m (US$42m; £22m).", "HKD"),
    ("Acme Holdings posted a profit of NZ$5bn last year.", "NZD"),
])
def test_currency_names(extractor, text, unit):
    assert unit in {c.amount.unit for c in money(extractor, text)}


@pytest.mark.parametrize(("sentence", "target", "buyer"), [
    ("Citigroup has sold its Acme Life & Annuity insurance arm to MetLife for $11.5bn.", "Acme Life & Annuity",
     "MetLife"),
    ("Globex agreed to buy its former parent and phone pioneer Acme Holdings for about $16bn.", "Acme Holdings",
     None),
    # "its" takeover: the company the sentence's subject names
    ("Oracle has announced it is cutting about 5,000 jobs following the completion of its $10.3bn takeover of its "
     "smaller rival Peoplesoft last week.", "Peoplesoft", "Oracle"),
    # a passive participle on the target's name; a contest for a company; money paid for a company
    ("The market is consolidating fast, with former giant Acme Holdings being bought by former subsidiary Globex "
     "earlier this year for $16bn.", "Acme Holdings", "Globex"),
    ("Verizon has won a takeover battle for US phone firm Acme Holdings with a bid worth $6.8bn.", "Acme Holdings",
     "Verizon"),
    ("Globex Corp has paid $1bn for US wine maker Acme Holdings.", "Acme Holdings", "Globex Corp"),
    # money bid for a company: what is bid is the money, the company is what it would buy
    ("The Wall Street Journal reported on Thursday that Qwest has bid $6.3bn (£3.4bn) for MCI.", "MCI", "Qwest"),
    # a takeover by another, agreed to: the one who agreed is taken over
    ("Meanwhile, UK-based firm Aggregate Industries said it had agreed a £1.8bn takeover by Holcim.",
     "Aggregate Industries", "Holcim"),
])
def test_a_deal_price_belongs_to_the_target_its_noun_names(extractor, sentence, target, buyer):
    claims = [c for c in money(extractor, sentence) if c.measure == "acquisition price"]
    assert [c.subject for c in claims] == [target]
    assert buyer is None or claims[0].counterparty == buyer


@pytest.mark.parametrize(("sentence", "measure", "value", "unit"), [
    ("Excluding special items, Acme Holdings' profit was 33 cents a share.", "earnings per share", 0.33, "USD"),
    ("Acme Holdings earned $1.13 a share in the quarter.", "earnings per share", 1.13, "USD"),
    ("Shares in Acme Holdings were down 10% at 119 pence.", "share price", 1.19, "GBP"),
    ("Acme Holdings has received a $3bn takeover offer from Globex.", "acquisition price", 3e9, "USD"),
    ("Acme Holdings paid Jane Doe a pay package worth $40m.", "pay", 40e6, "USD"),
    ("The agreement will see some 12 trillion won of Acme Card's debt converted into equity.", "debt", 12e12, "KRW"),
    ("Acme Oil has liabilities totalling $648m.", "debt", 648e6, "USD"),
    ("However, Acme Holdings' share price rose 4p or nearly 1% in morning trading to 548p.", "share price", 5.48,
     "GBP"),  # the 4p is a move of the price, not a price
    # what the verb's object became: its measure is the object's, not the verb's ('raise' is no funding here)
    ("Acme Holdings said it would lift its dividend payment to 70 euro cents.", "dividend", 0.7, "EUR"),
    ("Acme Holdings raised its profit forecast to $5bn.", "profit", 5e9, "USD"),
    ("Turkey has agreed a draft proposal with the IMF to borrow $10bn.", "loan", 10e9, "USD"),
    ("Turkey has a huge debt burden, already owing $23bn to the IMF.", "debt", 23e9, "USD"),
])
def test_business_measures(extractor, sentence, measure, value, unit):
    claims = money(extractor, sentence)
    assert [(c.measure, round(c.amount.value, 2), c.amount.unit) for c in claims][:1] == [(measure, value, unit)]


@pytest.mark.parametrize(("sentence", "amount"), [
    ("Quarterly profits at Acme Holdings jumped 76% to $1.13bn (£600m).", (1.13e9, "USD")),
    ("Acme Holdings' pre-tax earnings were 77m euros (£53m; $100m) in the quarter.", (77e6, "EUR")),
    ("Acme Holdings had annual sales of $32bn (£16.7bn; 24.1bn euros) last year.", (32e9, "USD")),
])
def test_an_amount_and_its_conversions_in_brackets_are_one_claim(extractor, sentence, amount):
    assert [(c.amount.value, c.amount.unit) for c in money(extractor, sentence)] == [amount]


def test_a_move_of_the_share_price_is_not_an_amount(extractor):
    claims = money(extractor, "Acme Holdings' shares closed up four pence at 274.5 pence.")
    assert [(c.measure, round(c.amount.value, 3)) for c in claims] == [("share price", 2.745)]


@pytest.mark.parametrize(("sentence", "period"), [
    ("Reporting its results for the three months to 31 December 2004, Acme Holdings made a pre-tax profit "
     "of £75m.", "2004-Q4"),
    ("Acme Holdings saw net profits rise by 44% to $205.4m during October to December.", "2004-Q4"),
    ("For all of 2004, Acme Holdings' exports rose 12.3% to $1.15bn.", "2004"),
    ("Acme Holdings generated revenues of $12bn last year.", "2004"),
])
def test_period_words_around_the_figure(extractor, sentence, period):
    assert [c.period for c in money(extractor, sentence)][:1] == [period]


def test_an_undated_articles_last_year_is_a_full_year(extractor):
    claims = money(extractor, "Acme Holdings generated revenues of $12bn last year.", published=None)
    assert [c.period for c in claims] == ["FY"]


def test_a_results_story_states_its_period_once(extractor):
    text = ("Acme Holdings said its profits rose 44% to $205m in the fourth quarter, from $142m a year earlier.\n\n"
            "Sales were $935m, analysts said.\n\n"
            "Acme Holdings expects profits of $1bn next year.\n\n"
            "Acme Holdings was fined $5m by regulators.")
    claims = money(extractor, text)
    periods = {c.amount.value: (c.measure, c.status, c.period) for c in claims}
    assert periods[205e6] == ("profit", ClaimStatus.ACTUAL, "2004-Q4")
    assert periods[142e6] == ("profit", ClaimStatus.PRIOR, "2003-Q4")  # a year earlier
    assert periods[935e6][::2] == ("revenue", "2004-Q4")  # carried from the figure before
    assert periods[1e9][1:] == (ClaimStatus.GUIDANCE, "2006")  # a forecast looks ahead
    assert periods[5e6][2] is None  # a fine is no flow of a period


def test_a_company_the_article_types_by_evidence_owns_a_figure_its_sentence_does_not_name(extractor):
    text = ("Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn.\n\n"
            "For the full-year, TimeWarner posted a profit of $3.36bn, while revenues grew 6.4% to $42.09bn.")
    claims = money(extractor, text)
    assert {c.amount.value: c.subject for c in claims}[42.09e9] == "TimeWarner"


@pytest.mark.parametrize(("sentence", "want"), [
    # the earlier figure of a change is a figure of the measure it is compared with, a year before
    ("Acme Holdings said it posted a profit of $261.9m for the fourth quarter, up from $179.1m a year earlier.",
     {261.9e6: ("profit", "2004-Q4"), 179.1e6: ("profit", "2003-Q4")}),
    # a noun of change takes its measure from what it is a change in
    ("Acme Holdings has announced a 26% rise in annual profits to $16.2bn.", {16.2e9: ("profit", "2004")}),
    # of two dates, the nearest; a comparison ('below its third quarter') is no period
    ("Acme Holdings made profits of $3.65bn for the final three months of 2004, up from $2.89bn a year ago but "
     "below its third quarter.", {3.65e9: ("profit", "2004-Q4"), 2.89e9: ("profit", "2003-Q4")}),
    # a fiscal quarter we cannot name is no calendar quarter
    ("Acme Holdings posted a profit of $261.9m for the three months to 30 November.", {261.9e6: ("profit", None)}),
])
def test_measure_and_period_of_compared_figures(extractor, sentence, want):
    assert {c.amount.value: (c.measure, c.period) for c in money(extractor, sentence)} == want


def test_the_same_period_of_a_year_dates_the_base_and_the_figure_in_an_undated_article(extractor):
    sentence = ("Acme Holdings' pre-tax earnings in the fourth quarter were 77m euros, up from 38m in the same "
                "period of 2003.")
    assert {c.amount.value: (c.measure, c.period) for c in money(extractor, sentence, published=None)} == \
        {77e6: ("pre-tax profit", "2004-Q4"), 38e6: ("pre-tax profit", "2003-Q4")}


@pytest.mark.parametrize(("second", "owner"), [
    ("Globex Holdings has reported a 52% rise in net profit during the last three months of 2004.", "Globex Holdings"),
    ("The Asian Development Bank has reported a 52% rise in net profit in the last three months of 2004.", None),
])
def test_a_figure_without_owner_is_the_company_just_named_when_no_company_leads_the_article(extractor, second, owner):
    text = (f"Acme Motors said profits rose in the quarter.\n\n{second} "
            "Profit was 1.33bn rupees compared with 874.2m rupees a year earlier.")
    claims = money(extractor, text)
    assert {c.amount.value: c.subject for c in claims}[1.33e9] == owner


def test_an_undated_articles_annual_figures_are_of_the_year_its_results_name(extractor):
    text = ("Acme Sportswear has posted a 222% rise in annual profit after a strong summer.\n\n"
            "Pre-tax profit for 2004 was £15.4m.\n\n"
            "Acme Sportswear expects full-year sales to rise by 5%.")
    claims = extractor.extract(Article(source="t", text=text)).claims
    periods = {c.value.value if hasattr(c, "direction") else c.amount.value: c.period for c in claims
               if hasattr(c, "period")}
    assert periods[222] == "2004"  # "annual" in an article whose results are of 2004
    assert periods[15.4e6] == "2004"
    assert periods[5] != "2004"  # a forecast looks ahead: not the year just reported


def test_an_amount_of_no_measure_belongs_to_the_company_but_is_never_keyed(extractor):
    claims = money(extractor, "Consumer goods firm Unilever took a 1.5bn euro one-time charge in the fourth quarter.")
    assert [(c.subject, c.measure, c.key.complete) for c in claims] == [("Unilever", None, False)]


def test_an_amount_alone_on_a_line_states_nothing_even_in_an_article_about_a_company(extractor):
    text = "Acme Holdings raised €105m in seed funding, Acme Holdings said.\n\n€900 million\n\nAcme Holdings hires."
    assert [c.amount.value for c in money(extractor, text)] == [105e6]


def test_a_price_raised_in_the_passive_is_no_funding(extractor):
    sentence = ("In October, Acme Air increased this from £6 to £10 one-way for all long-haul flights, while the "
                "short-haul surcharge was raised from £2.50 to £4 a leg.")
    assert [c for c in money(extractor, sentence) if c.kind.value == "funding"] == []


def test_a_scale_letter_before_a_full_stop_ends_the_sentence(extractor):
    text = ("Analysts say the surcharge revenues - £160m - will be short of its extra fuel costs of £250m. "
            "Turnover for the quarter was up 4.3% to £1.97bn.")
    claims = extractor.extract(Article(source="t", text=text, published=FEB_2005)).claims
    amounts = {c.amount.value: c.evidence.sentence for c in claims if isinstance(c, MoneyClaim)}
    assert 160e6 in amounts and 250e6 in amounts  # "revenues - £160m": the model's label took the noun in
    assert amounts[1.97e9].startswith("Turnover for the quarter")


def percentages(extractor, text: str, published: date | None = FEB_2005):
    claims = extractor.extract(Article(source="t", text=text, published=published)).claims
    return {c.value.value: c for c in claims if isinstance(c, PercentageClaim)}


def test_an_economy_story_owns_its_figures_by_the_place_it_is_about(extractor):
    text = ("The US economy has grown more than expected, expanding at an annual rate of 3.8% in the last quarter "
            "of 2004, the Commerce Department said.\n\nIt was the best year for the US in five years.\n\n"
            "In the January-to-March quarter, the economy is expected to grow at an annual rate of about 4%, "
            "economists forecast.\n\n"
            "Exports rose 12.3% in 2004.")
    found = percentages(extractor, text)
    assert (found[3.8].subject, found[3.8].measure_name, found[3.8].direction, found[3.8].period) == \
        ("US", "economy", "up", "2004-Q4")  # "at an annual rate of": the verb's change
    assert (found[4].subject, found[4].status) == ("US", ClaimStatus.ESTIMATE)  # "is expected to grow"
    assert (found[12.3].subject, found[12.3].measure_name) == ("US", "exports")  # the place the story is about


def test_a_growth_rate_stated_as_a_level_is_the_economys_change(extractor):
    text = ("China's exports rose 35% in 2004, the Ministry of Commerce said.\n\n"
            "China's tax chief confirmed that growth had topped 9% in 2004 for the second year in a row.\n\n"
            "Economic growth in Turkey has averaged 6% in the past three years.\n\n"
            "Growth was at an annual rate of 4% in the third quarter of 2004.")
    found = percentages(extractor, text, published=date(2005, 1, 25))
    assert (found[9].subject, found[9].measure_name, found[9].direction, found[9].period) == \
        ("China", "economy", "up", "2004")  # "growth had topped 9%": the growth rate, no change word
    # an average over three years is no one year's figure, whatever year the story's other figures are of
    assert (found[6].subject, found[6].measure_name, found[6].period) == \
        ("Turkey", "economy", "in the past three years")
    # "an annual rate" is an annualised rate, not a year: the quarter is the figure's period
    assert (found[4].measure_name, found[4].period) == ("economy", "2004-Q3")


def test_the_growth_of_a_company_is_no_economy(extractor):
    found = percentages(extractor, "Acme Holdings said growth was 4% in the third quarter of 2004.",
                        published=date(2005, 1, 25))
    assert all(c.measure_name != "economy" for c in found.values())


def test_shares_of_a_name_we_do_not_know_are_not_the_articles_company(extractor):
    text = ("JPMorgan is advising Malcolm Glazer on his offer, JPMorgan said.\n\n"
            "Shares in Manchester United were up over 5% by noon on Monday following a new offer from Malcolm Glazer.")
    assert all(c.subject != "JPMorgan" for c in percentages(extractor, text).values())


def test_a_measure_many_surveys_publish_names_its_survey(extractor):
    text = ("UK house prices fell 0.7% in December, according to figures from the Land Registry.\n\n"
            "Last week, the Nationwide said that UK house prices fell 0.2% in December.\n\n"
            "Halifax said UK house prices rose by 0.8% in January and Nationwide reported a rise of 0.4% in January.")
    found = percentages(extractor, text, published=date(2005, 2, 10))
    assert {v: (c.subject, c.source) for v, c in found.items()} == {
        0.7: ("UK", "Land Registry"), 0.2: ("UK", "Nationwide"), 0.8: ("UK", "Halifax"), 0.4: ("UK", "Nationwide")}
    # two surveys of one month are two keys: no disagreement between the Land Registry and the Nationwide
    assert found[0.7].key != found[0.2].key


def test_a_regions_figure_is_not_the_countrys(extractor):
    text = ("UK house prices increased by 1.1% in December, the Halifax has said.\n\n"
            "In the North West and Yorkshire, Halifax said prices rose by 3% and 1.2% in the two regions respectively.\n\n"
            "At the other end of the scale, prices in the South East and London fell by 1.6% and 0.5% respectively.")
    found = percentages(extractor, text, published=date(2005, 1, 10))
    assert {v: c.subject for v, c in found.items()} == {1.1: "UK"}  # none of the regions' figures is the UK's


def test_a_verb_of_change_measures_its_object(extractor):
    found = percentages(extractor, "Deutsche Boerse, the German stock exchange that is trying to buy its London "
                                   "rival, has said it will boost its 2004 dividend payment by 27%.")
    assert all(c.measure_name != "stock price" for c in found.values())  # a dividend, not the exchange's "stock"
    found = percentages(extractor, "Acme Holdings said it would cut its workforce by 10% this year.")
    assert found[10].measure_name == "headcount"


def test_a_trading_partner_owns_no_figure_of_the_trade(extractor):
    text = ("China's exports rose 35% in 2004.\n\n"
            "In fact, Latin American exports to China grew 34%, to $14bn, the commission said.\n\n"
            "Imports from Japan rose 12% in 2004.")
    found = percentages(extractor, text, published=date(2005, 1, 25))
    # a flow with one partner is not the place's total, whoever the article is about
    assert sorted(found) == [35] and found[35].subject == "China"
    assert {c.amount.value: c.key.complete for c in money(extractor, text)} == {14e9: False}
    # "exports from China" are China's
    found = percentages(extractor, "Exports from China rose 35% in 2004, the ministry said.")
    assert (found[35].subject, found[35].measure_name) == ("China", "exports")


def test_the_number_of_what_a_modifier_names(extractor):
    found = percentages(extractor, "British Airways said passenger numbers rose 8.1% in January.")
    assert (found[8.1].subject, found[8.1].measure_name) == ("British Airways", "users")
    # a modifier of anything else names no count: "passenger jet orders" are no passengers
    found = percentages(extractor, "British Airways said passenger jet orders rose 5% in January.")
    assert all(c.measure_name != "users" for c in found.values())


def test_a_relative_clause_is_not_the_measure_of_a_change(extractor):
    found = percentages(extractor, "The ONS said the services sector, which accounts for nearly three-quarters "
                                   "of the UK economy, grew 1.0% in the quarter.")
    assert all(c.measure_name != "economy" for c in found.values())


@pytest.mark.parametrize("text", [
    ('Consumer goods giant Unilever is to merge its boards after reporting "unsatisfactory" earnings for 2004.\n\n'
     "Unilever said annual pre-tax profit fell 36% to 2.9bn euros.\n\nThe firm has to restate 2003 results."),
    ("Barclays, the UK's third-biggest bank, has seen annual pre-tax profits climb to record levels.\n\n"
     "Profits for the year to 31 December rose 20% to £4.6bn.\n\n"
     "The group is the first of Britain's five big banks to report 2004 results."),
])
def test_an_undated_results_story_takes_the_year_its_text_gives_its_results(extractor, text):
    claims = extractor.extract(Article(source="t", text=text)).claims
    assert {c.period for c in claims if isinstance(c, MoneyClaim)} == {"2004"}
    assert {c.period for c in percentages(extractor, text, published=None).values()} <= {"2004"}


@pytest.mark.parametrize(("words", "period"), [
    ("the January-to-March quarter", "2005-Q1"),
    ("October to December", "2004-Q4"),
    ("October-December", "2004-Q4"),
])
def test_a_range_of_months_is_a_quarter(words, period):
    from pipeline.nlp.claims.context import normalize_period
    assert normalize_period(words, FEB_2005) == period


def test_a_change_far_below_its_verb(extractor):
    found = percentages(extractor, "China's economy has expanded by a breakneck 9.5% during 2004.")
    assert (found[9.5].subject, found[9.5].measure_name, found[9.5].direction, found[9.5].period) == \
        ("China", "economy", "up", "2004")


def test_from_one_amount_to_another_is_a_change_not_a_range(extractor):
    text = "In October, Acme Air increased the long-haul surcharge from £6 to £10, and profits rose from $5m to $7m."
    got = sorted((c.amount.value, str(c.status), c.amount.qualifier) for c in money(extractor, text))
    assert got == [(6, "prior", None), (10, "actual", None), (5e6, "prior", None), (7e6, "actual", None)]


@pytest.mark.parametrize("sentence", [
    "Qwest Communications has itself come under suspicion, paying the Securities and Exchange Commission $250m "
    "in October to settle charges.",
    "Qwest Communications agreed to pay $250m to the Securities and Exchange Commission to settle charges.",
])
def test_who_is_paid_a_settlement(extractor, sentence):
    (claim,) = money(extractor, sentence)
    assert (claim.subject, claim.measure, claim.object) == (
        "Qwest Communications", "settlement", "Securities and Exchange Commission")


@pytest.mark.parametrize(("sentence", "earlier"), [
    ("Acme Holdings' pre-tax earnings in the fourth quarter were 77m euros (£53m; $100m), up from 38m in the same "
     "period of 2003.", (38e6, "EUR")),  # the currency written once, not the conversion's
    ("Acme Holdings' net profit was 3bn rupees ($98m; £52m), against 2.7bn a year earlier.", (2.7e9, "INR")),
])
def test_a_figure_compared_with_an_amount_is_an_amount_in_its_currency(extractor, sentence, earlier):
    claims = money(extractor, sentence)
    assert [(c.amount.value, c.amount.unit) for c in claims if c.status == ClaimStatus.PRIOR] == [earlier]


def test_a_count_compared_with_a_count_stays_a_count(extractor):
    assert [c.amount.value for c in money(extractor, "Acme Holdings has 50 staff, up from 38 in 2003.")] == []


@pytest.mark.parametrize(("words", "period"), [
    ("the year to 31 December", "2004"),
    ("twelve months to December 2004", "2004"),
    ("the year to March 2005", "FY"),  # a fiscal year, which calendar year it is the text does not say
    ("the six months ending 31 December", "2004-H2"),
    ("the three months to December", "2004-Q4"),
    ("the nine months to September", None),  # nine months: no period of ours
    ("the three months to 30 November", None),
])
def test_the_months_to_a_date(words, period):
    from pipeline.nlp.claims.context import normalize_period
    assert normalize_period(words, FEB_2005) == period


def test_the_organisation_an_article_names_most_is_the_firm_it_speaks_of(extractor):
    text = ("Ten former directors at WorldCom have agreed to pay a settlement, reports say.\n\n"
            "WorldCom filed for bankruptcy in 2002 when an accounting scandal was unearthed at WorldCom.\n\n"
            "The firm took a $1.5bn one-time charge in the fourth quarter.")
    claims = money(extractor, text)
    assert [(c.amount.value, c.subject) for c in claims] == [(1.5e9, "WorldCom")]


def test_a_change_noun_measures_what_it_is_a_change_in(extractor):
    found = percentages(extractor, "British Airways has blamed high fuel prices for a 40% drop in profits.")
    assert (found[40].measure_name, found[40].direction) == ("profit", "down")


@pytest.mark.parametrize(("sentence", "payer"), [
    ("Ten former directors at WorldCom have agreed to pay $54m to settle a class action lawsuit.", "WorldCom"),
    ("Eighteen former Enron directors have agreed a $168m settlement deal in a shareholder lawsuit.", "Enron"),
])
def test_people_of_a_company_who_settle_stand_for_it(extractor, sentence, payer):
    assert [(c.subject, c.measure) for c in money(extractor, sentence)][:1] == [(payer, "settlement")]


@pytest.mark.parametrize(("sentence", "want"), [
    # a part of a company's sales, or sales on another basis, is no change of its revenue: compared with the
    # revenue of another outlet's report, it would read as a contradiction
    ("Like-for-like sales at Acme Stores rose 6% in 2004, while its total sales rose 4%.",
     {6: "same-store sales", 4: "revenue"}),
    ("Comparable sales at Acme Stores rose 0.3% in the quarter, while its revenue rose 1.1%.",
     {0.3: "same-store sales", 1.1: "revenue"}),
    ("European sales at Acme Drinks fell 2.8% in 2004.", {2.8: None}),
    ("iPhone sales at Acme Phones rose 5% in the quarter.", {5: None}),
    ("Online sales at Acme Stores rose 12% in 2004.", {12: None}),
    ("Fourth-quarter sales at Acme Stores rose 8%.", {8: "revenue"}),
    ("Annual sales at Acme Stores rose 3% in 2004.", {3: "revenue"}),
    # sales in or at one business, division or unit of the company
    ("Sales in the generics business of Acme Stores fell 8.6% in 2004.", {8.6: None}),
    ("Sales at Acme Stores's US operations rose 5% in 2004.", {5: None}),
    ("Sales at the Acme Stores clothing division rose 7% in 2004.", {7: None}),
])
def test_a_part_or_basis_of_sales_is_not_the_revenue(extractor, sentence, want):
    found = percentages(extractor, sentence)
    assert {v: found[v].measure_name for v in want} == want


def test_an_amount_of_sales_in_one_business_is_never_keyed(extractor):
    text = ("The firm said sales fell 8% to 4.7bn rupees in the fourth quarter. Sales in Dr Reddy's generics business "
            "fell 8.6% to 966m rupees.")
    assert {c.amount.value: c.measure for c in money(extractor, text, published=None)} == {
        4.7e9: "revenue", 966e6: None}


def test_an_amount_of_part_of_sales_is_never_keyed(extractor):
    claims = money(extractor, "Acme Phones said iPhone sales of $46bn were a record, and revenue was $95bn.")
    assert {c.amount.value: c.measure for c in claims} == {46e9: None, 95e9: "revenue"}


def test_an_amount_a_share_is_of_what_it_restates(extractor):
    sentence = ("Acme Stores earned $854 million, or $1.85 per diluted share, in the quarter, compared with "
                "$971 million, or $2.10 per share, a year earlier.")
    assert {c.amount.value: (c.measure, c.status) for c in money(extractor, sentence)} == {
        854e6: ("profit", ClaimStatus.ACTUAL), 1.85: ("earnings per share", ClaimStatus.ACTUAL),
        971e6: ("profit", ClaimStatus.PRIOR), 2.10: ("earnings per share", ClaimStatus.PRIOR)}


@pytest.mark.parametrize(("sentence", "value", "measure"), [
    ("Acme Stores said it would raise its annual dividend by 9% to $0.83 a share.", 0.83, "dividend"),
    ("Acme Stores earned $1.13 a share in the quarter.", 1.13, "earnings per share"),
    ("Acme Stores said its earnings per share rose to 54 cents.", 0.54, "earnings per share"),
    # a takeover's price per share is neither earnings nor the market's price of the share: its own measure
    ("Acme Stores said it would buy Globex Holdings for $2.3 billion, or $11.50 per share, in cash.", 11.5,
     "price per share"),
])
def test_the_measure_of_an_amount_a_share(extractor, sentence, value, measure):
    assert {c.amount.value: c.measure for c in money(extractor, sentence)}[value] == measure


def test_a_results_story_names_its_period_once_without_a_figure(extractor):
    text = ("Acme Stores cut its forecast after reporting third-quarter earnings that fell short of expectations, "
            "sending its shares down 20%.\n\n"
            "The retailer earned $854 million, compared with $971 million a year earlier.\n\n"
            "Revenue rose 1.1% to $25.67 billion, below the $25.9 billion analysts had predicted.")
    claims = extractor.extract(Article(source="t", text=text, published=date(2024, 11, 20))).claims
    money_claims = {c.amount.value: (c.measure, c.status, c.period) for c in claims if isinstance(c, MoneyClaim)}
    assert money_claims == {
        854e6: ("profit", ClaimStatus.ACTUAL, "2024-Q3"), 971e6: ("profit", ClaimStatus.PRIOR, "2023-Q3"),
        25.67e9: ("revenue", ClaimStatus.ACTUAL, "2024-Q3"),
        # the forecast a result is held against is a forecast of the same measure and period
        25.9e9: ("revenue", ClaimStatus.ESTIMATE, "2024-Q3")}
    moves = {c.value.value: c.measure_name for c in claims if hasattr(c, "direction")}
    assert moves[20] == "stock price"  # what "sending" moved, not the earnings of the clause it hangs off


def test_money_raised_by_a_listing_is_its_proceeds_not_a_funding_round(extractor):
    text = ("Reddit priced its initial public offering at $34 per share on Wednesday, raising $519 million. "
            "Reddit had set a range of $31 to $34 per share.")
    claims = money(extractor, text)
    assert {c.amount.value: (c.subject, c.measure) for c in claims} == {
        34: ("Reddit", "share price"), 519e6: ("Reddit", "listing proceeds"),
        32.5: ("Reddit", None)}  # a price range a share (by its midpoint), with no word of earnings, is no EPS
    round_claims = money(extractor, "Acme AI raised $500 million in a Series D round led by Sequoia Capital ahead "
                                    "of an IPO next year.")
    assert [c.kind.value for c in round_claims] == ["funding"]


def test_the_economy_that_added_the_jobs_owns_them(extractor):
    from pipeline.types import CountClaim
    text = ("The US economy added 254,000 jobs in September, far more than expected, the Labor Department said.\n\n"
            "The unemployment rate fell to 4.1% from 4.2% in August.")
    claims = extractor.extract(Article(source="t", text=text, published=date(2024, 10, 4))).claims
    assert [(c.value.value, c.state, c.org) for c in claims if isinstance(c, CountClaim)] == [(254000, "hire", "US")]
    # a rate before and after its change is a level, not a change by that much
    assert [c for c in claims if hasattr(c, "direction")] == []


def test_an_economys_rate_over_the_year_to_a_month_is_that_months(extractor):
    text = ("The US economy added 254,000 jobs in September, the Labor Department said.\n\n"
            "The US economy grew at a 3.0% annualized rate in the second quarter. "
            "Consumer prices rose 2.5% in the year to August.")
    found = percentages(extractor, text, published=date(2024, 10, 4))
    # not 'FY': each month's annual rate is a figure of its own, and two months' rates never contradict
    assert (found[2.5].subject, found[2.5].measure_name, found[2.5].period) == ("US", "prices", "2024-08")


def test_earnings_per_share_of_an_amount(extractor):
    claims = money(extractor, "Acme Stores now expects adjusted earnings per share of $8.30 to $8.90 for the full year.")
    assert [(c.measure, c.status) for c in claims] == [("earnings per share", ClaimStatus.GUIDANCE)]


def test_a_companys_name_with_its_legal_form_is_the_company(extractor):
    text = ("Acme Stores' third-quarter profit fell 12%, the retailer said.\n\n"
            "Shares of Acme Stores Corp. tumbled 21% before the opening bell.")
    found = percentages(extractor, text, published=date(2024, 11, 20))
    assert (found[21].subject, found[21].measure_name) == ("Acme Stores", "stock price")


def test_the_price_of_a_stake_bought_is_the_stake_price(extractor):
    claims = money(extractor, "SoftBank took a 10% stake in Arm Holdings for $1.2 billion last year.")
    assert [(c.subject, c.measure) for c in claims] == [("Arm Holdings", "stake price")]


def test_a_regulator_named_most_is_not_what_the_firm_stands_for(extractor):
    text = ("A US defence firm has admitted bribery, the Securities and Exchange Commission said.\n\n"
            "The Securities and Exchange Commission said the firm hid the payments. "
            "The Securities and Exchange Commission fined two others.\n\nThe firm also paid $2.1m to an agent.")
    assert [c.subject for c in money(extractor, text)] == [None]


def test_a_sentence_opening_a_year_earlier_gives_earlier_figures(extractor):
    text = ("Acme Chips posted net income of $19.31 billion, or 78 cents a share, on revenue of $35.08 billion in the "
            "third quarter ended Oct. 27.\n\n"
            "A year earlier, it earned $9.24 billion, or 37 cents a share, on revenue of $18.12 billion.")
    claims = money(extractor, text, published=date(2024, 11, 20))
    assert {c.amount.value: (c.status, c.period) for c in claims} == {
        # the one quarter the sentence names is the period of each of its figures, wherever the parse hangs it
        19.31e9: (ClaimStatus.ACTUAL, "2024-Q3"), 0.78: (ClaimStatus.ACTUAL, "2024-Q3"),
        35.08e9: (ClaimStatus.ACTUAL, "2024-Q3"),
        # never the same quarter's figures: read so, they contradict the ones above
        9.24e9: (ClaimStatus.PRIOR, "2023-Q3"), 0.37: (ClaimStatus.PRIOR, "2023-Q3"),
        18.12e9: (ClaimStatus.PRIOR, "2023-Q3")}


def test_a_forecast_raised_and_the_one_it_replaced(extractor):
    text = ("Autodesk raised its full-year revenue forecast to $10 billion from $9.5 billion on Tuesday.\n\n"
            "The company said it now expects adjusted earnings of $4.10 to $4.20 per share for the year, up from "
            "its prior forecast of $3.90 to $4.00 per share.")
    claims = money(extractor, text, published=date(2024, 11, 5))
    assert {c.amount.value: (c.subject, c.measure, c.status) for c in claims} == {
        10e9: ("Autodesk", "revenue", ClaimStatus.GUIDANCE), 9.5e9: ("Autodesk", "revenue", ClaimStatus.PRIOR),
        4.15: ("Autodesk", "earnings per share", ClaimStatus.GUIDANCE),
        3.95: ("Autodesk", "earnings per share", ClaimStatus.PRIOR)}


def test_shares_valuing_the_company_give_its_market_value(extractor):
    claims = money(extractor, "Tesco shares rose 2% in early trading, valuing the company at about £20bn.")
    assert [(c.subject, c.measure) for c in claims] == [("Tesco", "market value")]


def test_the_year_of_the_same_period_is_the_base_of_a_change(extractor):
    text = ("Nike has reported its best second-quarter earnings.\n\n"
            "Revenues increased 11% to $3.1bn, from $2.8bn for the same period in 2003.")
    claims = extractor.extract(Article(source="t", text=text, published=None)).claims
    money_claims = {c.amount.value: (c.status, c.period) for c in claims if isinstance(c, MoneyClaim)}
    # the quarter the story names, for the figure and the one it is compared with; "in 2003" is the base's
    assert money_claims == {3.1e9: (ClaimStatus.ACTUAL, "Q2"), 2.8e9: (ClaimStatus.PRIOR, "Q2")}
    assert percentages(extractor, text, published=None)[11].period == "Q2"


def test_the_last_quarter_is_the_latest_one_not_the_fourth(extractor):
    text = ("Wipro has reported a 60% rise in profit.\n\n"
            "Net income in the last quarter was 4.3bn rupees, against 2.7bn a year earlier.\n\n"
            "Third-quarter sales rose 34% to 20.9bn rupees.")
    claims = money(extractor, text, published=None)
    # the one quarter the story names, even after its first figures
    assert {c.amount.value: c.period for c in claims} == {4.3e9: "Q3", 2.7e9: "Q3", 20.9e9: "Q3"}
    assert money(extractor, "Acme Holdings made a profit of $5m in the last quarter of 2004.")[0].period == "2004-Q4"


def test_a_story_with_annual_figures_does_not_give_a_quarter_to_its_first_ones(extractor):
    text = ("Acme Holdings said annual profits rose to $500m.\n\n"
            "Fourth-quarter sales rose 5% to $2bn.")
    claims = money(extractor, text, published=None)
    assert {c.amount.value: c.period for c in claims}[500e6] != "Q4"


@pytest.mark.parametrize(("sentence", "measure"), [
    ("Acme Holdings avoided bankruptcy only through a $4.5bn bail-out.", "rescue package"),  # a hyphenated cue
    ("Acme Holdings said investors recovered the $30 million that the company lost in the scandal.", "loss"),
    ("Acme Holdings repaid the $20 million it borrowed from banks.", "loan"),  # the amount's own clause
])
def test_measure_words_written_with_a_hyphen_or_in_the_amounts_own_clause(extractor, sentence, measure):
    assert [c.measure for c in money(extractor, sentence)] == [measure]


def test_the_gap_between_exports_and_imports_is_trade(extractor):
    claims = money(extractor, "The gap between US exports and imports hit an all-time high of $671.7bn in 2004.")
    assert [(c.subject, c.measure, c.period) for c in claims] == [("US", "trade", "2004")]


def test_a_forecast_that_something_would_happen_is_an_estimate_not_a_condition(extractor):
    claims = money(extractor, "Analysts had previously estimated that Acme Holdings would achieve 2005 revenues "
                              "of $4.37bn.")
    assert [c.status for c in claims] == [ClaimStatus.ESTIMATE]


def test_an_economys_figures_are_not_the_agency_that_reports_them(extractor):
    text = ("UK economy ends year with spurt\n\n"
            "The UK economy grew by an estimated 3.1% in 2004, says the Office for National Statistics.\n\n"
            "The ONS says gross domestic product (GDP) rose by 0.7% in the three months to 31 December.\n\n"
            "However, output in the production sector contracted 0.5%, the second quarterly fall in a row, the "
            "Bank of England said.")
    found = percentages(extractor, text)
    assert (found[0.7].subject, found[0.7].measure_name, found[0.7].period) == ("UK", "economy", "2004-Q4")
    assert found[0.5].subject == "UK"  # not the central bank, nor the statistics office the story names


def test_a_name_joined_by_an_ampersand_ends_its_sentence_with_a_full_stop(extractor):
    claims = money(extractor, "SBC Communications said it expects to cut 12,800 jobs following its $16bn takeover "
                              "of former parent AT&T.")
    assert [(c.subject, c.object, c.measure) for c in claims] == [("AT&T", "SBC Communications", "acquisition price")]


@pytest.mark.parametrize(("sentence", "measure", "lender"), [
    ("Turkey has a huge debt burden, already owing $23bn to the IMF.", "debt", "IMF"),
    ("Turkey's current $18.6bn loan agreement with the IMF expires in February.", "loan", "IMF"),
    ("Kenya took a $500m loan from the World Bank.", "loan", "World Bank"),
])
def test_who_lent_a_loan_or_is_owed_a_debt(extractor, sentence, measure, lender):
    assert [(c.measure, c.object) for c in money(extractor, sentence)] == [(measure, lender)]


def test_a_sentence_that_names_nobody_goes_on_about_the_last_sentences_subject(extractor):
    text = ("India's biggest carmaker Maruti has reported a sharp increase in quarterly profit.\n\n"
            "Maruti beat market expectations. Utility vehicle and tractor maker Mahindra has reported a 52% rise in "
            "net profit during the last three months of 2004. Profit was 1.33bn rupees compared with 874.2m rupees "
            "a year earlier.")
    claims = money(extractor, text)
    assert {c.amount.value: c.subject for c in claims} == {1.33e9: "Mahindra", 874.2e6: "Mahindra"}


def test_the_subject_of_a_clause_inside_the_last_sentence_is_not_its_subject(extractor):
    text = ("Shares in Parmalat rose after the firm said its pre-tax profit rose to 77m euros.\n\n"
            "Parmalat said it expects more growth.\n\n"
            "On Tuesday, the company's administrator, turnaround expert Enrico Bondi, sued Morgan Stanley, its "
            "former banker, to return 136m euros relating to a 2003 bond deal. That brought to 49 the number of "
            "banks that Mr Bondi has sued, a mass of legal action that could bring in as much as 3bn euros.")
    claims = money(extractor, text)
    assert {c.amount.value: c.subject for c in claims}.get(3e9) != "Morgan Stanley"


@pytest.mark.parametrize("sentence", [
    "The dollar was trading at $1.3652 versus the euro on Friday morning.",
    "On Monday afternoon, the euro was close to an all-time high against the dollar at above $1.30.",
    "One dollar bought 102.55 yen.",
])
def test_the_price_of_a_currency_is_no_amount_of_money(extractor, sentence):
    assert money(extractor, sentence) == []


def test_sales_against_the_euro_zone_are_no_exchange_rate(extractor):
    assert [c.measure for c in money(extractor, "Acme Holdings reported sales of $5bn against the euro zone rivals.")] \
        == ["revenue"]


def test_shares_trading_at_a_price_are_no_trade(extractor):
    claims = money(extractor, "Shares in Acme Holdings were trading at $17.04 on Tuesday.")
    assert [(c.subject, c.measure) for c in claims] == [("Acme Holdings", "share price")]


@pytest.mark.parametrize(("sentence", "value"), [
    ("Acme Holdings raised half a billion dollars.", 5e8),
    ("Acme Holdings paid half a million pounds for the site.", 5e5),
])
def test_a_fraction_of_a_scale(extractor, sentence, value):
    assert [c.amount.value for c in money(extractor, sentence)] == [value]


@pytest.mark.parametrize("sentence", [
    "Allianz chief Jan Smith anticipated that his own company's total claims would be less then those from the "
    "hurricanes, which the company put at $640m.",
    "Early estimates from the World Bank put the amount of aid needed for the worst affected countries at about $5bn.",
])
def test_putting_a_cost_at_an_amount_is_no_investment(extractor, sentence):
    assert all(c.kind.value != "funding" for c in money(extractor, sentence))


def test_what_a_deal_is_worth_is_its_price_not_a_valuation(extractor):
    claims = money(extractor, "Federated will assume $6bn of debt, bringing the deal's total value to $17bn.")
    assert {c.amount.value: c.measure for c in claims}[17e9] == "acquisition price"


def test_the_person_who_gives_a_figure_does_not_own_it(extractor):
    claims = money(extractor, '"If the positive trend continues, two-way trade could well cross half a billion '
                              'dollars this fiscal year," India\'s federal commerce Minister Kamal Nath said.')
    assert [c.subject for c in claims] != ["Kamal Nath"] and claims


def test_the_regulator_a_settlement_is_named_after_is_paid_not_paying(extractor):
    text = ("US bank in $515m SEC settlement\n\n"
            "Five Bank of America subsidiaries have agreed to pay a total of $515m to settle an investigation, the "
            "SEC said.\n\nBank of America said the deal was fair.")
    claims = money(extractor, text)
    assert (claims[0].subject, claims[0].measure, claims[0].object) == ("Bank of America", "settlement", "SEC")


def test_the_kind_of_company_the_article_calls_one_company(extractor):
    text = ("Circuit City Stores, the second-largest electronics retailer in the US, has received a $3.25bn "
            "takeover offer.\n\n"
            "The bid has come from private investment firm Highfields Capital Management, which already owns 6.7% "
            "of the company. Highfields Capital Management said it would pay in cash.\n\n"
            "Shares in the retailer were up 19.6% at $17.04 in trading in New York.")
    claims = money(extractor, text)
    assert {c.amount.value: c.subject for c in claims}[17.04] == "Circuit City Stores"


@pytest.mark.parametrize("sentence", [
    "A further 15m euros will be made available to wine cooperatives in low interest loans.",
    "Acme Holdings announced that 80bn rupees ($1.8bn) will be spent on building rural infrastructure.",
])
def test_an_amount_of_a_currency_as_its_subject_is_an_amount(extractor, sentence):
    assert money(extractor, sentence)


def test_a_countrys_taxes_are_not_its_prime_ministers(extractor):
    text = ("Italy to cut taxes\n\nItaly's prime minister Silvio Berlusconi met business leaders in Rome.\n\n"
            "Mr Berlusconi has previously promised to collect 6.5bn euros in taxes this year in Italy.")
    claims = money(extractor, text)
    assert [(c.subject, c.measure) for c in claims] == [("Italy", "tax")]


def test_an_amount_by_which_a_measure_changes_is_no_level_of_it(extractor):
    claims = money(extractor, "Acme Holdings was forced to restate its earnings by $4.4bn and to cut taxes by "
                              "6.5bn euros.")
    assert [c.measure for c in claims] == [None, None]  # a restatement and a cut, not a profit or a tax bill


def test_prices_in_a_story_about_an_agency_are_the_countrys(extractor):
    text = ("UK house prices cool\n\n"
            "UK house prices fell in November, according to the Office of the Deputy Prime Minister (ODPM).\n\n"
            "The ODPM said the monthly figures showed a cooling. The ODPM also said the UK market was stable.\n\n"
            "The Halifax, meanwhile, said last week that house prices increased by 1.1% in December. The lender "
            "is the UK's biggest.")
    found = percentages(extractor, text)
    assert found[1.1].subject == "UK"


def test_a_budget_deficit_is_no_trade_deficit(extractor):
    text = ("US budget deficit to reach $368bn\n\n"
            "The US budget deficit is set to hit a worse-than-expected $368bn this year, officials said.\n\n"
            "Analysts said the deficit could exceed $500bn next year.")
    claims = money(extractor, text)
    assert {c.amount.value: (c.subject, c.measure) for c in claims} == {
        368e9: ("US", "budget deficit"), 500e9: ("US", "budget deficit")}


def test_a_bare_deficit_is_the_one_the_article_names(extractor):
    text = ("US trade gap hits record\n\nThe US trade deficit hit a record $617bn in 2004.\n\n"
            "The deficit rose to $43.4bn in December.")
    assert {c.amount.value: c.measure for c in money(extractor, text)} == {617e9: "trade", 43.4e9: "trade"}


def test_a_deficit_of_something_else_is_no_trade(extractor):
    claims = money(extractor, "British Airways said its pension deficit was £1bn.")
    assert [c.measure for c in claims] == [None]


def test_a_balance_with_a_partner_is_not_the_whole_balance(extractor):
    text = ("US trade gap hits record\n\nThe US trade deficit hit a record $617bn in 2004.\n\n"
            "The deficit with China, up 30.5% at $162bn, was the largest ever recorded with a single country.\n\n"
            "The US said its trade with the 25 EU member countries was worth $155.2bn in 2003.")
    claims = money(extractor, text)
    assert {c.amount.value: (c.subject, c.measure, c.object) for c in claims} == {
        617e9: ("US", "trade", None), 162e9: ("US", "trade", "China"), 155.2e9: ("US", "trade", "EU")}


@pytest.mark.parametrize("sentence", [
    "Hyundai Motor expects its sales in India to grow 16% to 250,000 in 2005.",
    "China remains the main area of concern for BMW after sales there fell 16% last year.",
])
def test_sales_in_one_market_are_not_the_revenue(extractor, sentence):
    assert [c.measure_name for c in percentages(extractor, sentence).values()] == [None]


def test_a_measure_word_in_a_companys_name_names_no_measure(extractor):
    found = percentages(extractor, "Home furnishings store Pier 1 Imports saw its same store sales sink by a "
                                   "larger-than-forecast 8.8% as it battled.")
    assert found[8.8].measure_name == "same-store sales"


def test_an_agency_reports_figures_it_does_not_own(extractor):
    text = ("US trade gap widens\n\nThe US trade deficit widened in November.\n\n"
            "Figures from the Commerce Department for November showed exports down 2.3% to $95.6bn.")
    assert percentages(extractor, text)[2.3].subject == "US"
    claims = money(extractor, "Chile's copper industry has registered record earnings of $14.2bn in 2004, according "
                              "to the Chilean Copper Commission.")
    assert [c.subject for c in claims] != ["Chilean Copper Commission"]


def test_a_year_right_after_the_base_of_a_change_is_the_bases(extractor):
    text = ("Ericsson results\n\nFor the whole of 2004, Ericsson returned a net profit of 19bn kronor.\n\n"
            "Sales climbed to 131.9 billion kronor from 117.7bn kronor in 2003.")
    claims = money(extractor, text)
    assert {c.amount.value: (c.status, c.period) for c in claims if c.measure == "revenue"} == {
        131.9e9: (ClaimStatus.ACTUAL, "2004"), 117.7e9: (ClaimStatus.PRIOR, "2003")}


def test_a_company_the_model_takes_for_a_place_in_one_sentence(extractor):
    text = ("Brewers' profits lose their fizz\n\n"
            "Dutch firm Heineken saw its annual profits drop 33%. Danish brewer Carlsberg suffered a 3% fall in "
            "profits due to waning demand.\n\n"
            "Carlsberg, the world's fifth-largest brewer, saw annual pre-tax profits fall to 3.4bn Danish kroner.\n\n"
            "Carlsberg is more optimistic than Heineken about 2005, projecting a 15% rise in net profits.")
    assert percentages(extractor, text)[15].subject == "Carlsberg"


@pytest.mark.parametrize("sentence", [
    "In London, Corus fell 2.2% to 55.57 pence.",
    "Japan's biggest steel company Nippon Steel lost 2.5% to 270 yen.",
])
def test_a_company_that_fell_to_a_price_is_its_share_price(extractor, sentence):
    assert [c.measure for c in money(extractor, sentence)] == ["share price"]


def test_a_company_that_gives_its_own_figures_owns_them(extractor):
    text = ("Steel shares fall\n\nJapan's biggest steel company Nippon Steel lost 2.5% on Monday.\n\n"
            "Acme Holdings said sales fell 2% to $5bn.")
    assert percentages(extractor, text)[2].subject == "Acme Holdings"


def test_a_fall_of_an_amount_to_a_price_is_a_change_and_a_level_not_a_range(extractor):
    claims = money(extractor, "News Corp shares fell 25 cents to $17.65 after the share offer was announced.")
    assert [(c.subject, c.amount.value, c.measure) for c in claims] == [("News Corp", 17.65, "share price")]
    ranged = money(extractor, "EBay now forecasts 2005 revenue of $4.2bn to $4.35bn.")
    assert [(c.amount.interval.low, c.amount.interval.high) for c in ranged] == [(4.2e9, 4.35e9)]


@pytest.mark.parametrize(("sentence", "values"), [
    ("However the news sent shares in SSL, which also makes Scholl footwear, up more than 6%, or 16.75 pence to "
     "293.5p.", {0.1675, 2.935}),
    ("Shares in Tesco were up 25p to 300p.", {3.0}),
])
def test_a_change_restated_in_money_and_the_level_it_reached_are_no_range(extractor, sentence, values):
    claims = money(extractor, sentence)
    assert {round(c.amount.value, 4) for c in claims} == values
    assert all(c.amount.qualifier is None for c in claims)


def test_another_companys_year_does_not_date_a_companys_annual_figure(extractor):
    text = ("Diageo to buy US wine firm\n\nDiageo, the world's biggest spirits company, has agreed to buy Californian "
            "wine company Chalone for $260m.\n\n"
            "In July, Diageo reported an annual turnover of £8.89bn, down from £9.28bn a year earlier. In the year "
            "ending 31 December 2003, Chalone reported revenues of $69.4m.")
    claims = money(extractor, text, published=None)
    assert {c.amount.value: c.period for c in claims if c.measure == "revenue"}[8.89e9] == "FY"



def test_a_forecast_reaches_a_figure_past_a_conjunct_and_a_participle(extractor):
    claims = money(extractor, "EBay now forecasts 2005 revenue of $4.2bn to $4.35bn and earnings excluding items of "
                              "$1.48 to $1.52 per share.")
    assert {c.measure: c.status for c in claims} == {"revenue": ClaimStatus.GUIDANCE,
                                                     "earnings per share": ClaimStatus.GUIDANCE}


def test_an_amount_in_a_measure_written_after_it_whatever_the_parse(extractor):
    text = ("Titan Corp admits bribery\n\nTitan Corp pleaded guilty to falsifying its accounts.\n\n"
            "It agreed to pay $13m in criminal penalties, as well as $15.5m to settle a civil lawsuit brought by the "
            "Securities and Exchange Commission.")
    assert {c.amount.value: c.measure for c in money(extractor, text)} == {13e6: "fine", 15.5e6: "settlement"}


@pytest.mark.parametrize(("sentence", "value"), [
    ("The Telegraph Group says the cuts are needed to fund an £150m investment in new printing facilities.", 150e6),
    ("Acme Holdings will invest $2bn in new factories.", 2e9),
])
def test_an_investment_in_things_is_spending_not_a_funding_round(extractor, sentence, value):
    assert [(c.amount.value, c.measure) for c in money(extractor, sentence)] == [(value, "investment spending")]


def test_make_up_is_no_rise(extractor):
    text = ("UK-based bank Standard Chartered said it would spend $3.3bn on Korea First Bank. Standard Chartered "
            "shares fell 3%.\n\nSouth Korea's economy is expected to grow by 4.5% this year. Services now make up "
            "roughly 40% of the economy.")
    assert 40 not in percentages(extractor, text)


@pytest.mark.parametrize("sentence", [
    "London Brent crude closed at $40.15 on Thursday.",
    "Google shares have risen since but fell $12.33 on Tuesday to close at $172.55.",
])
def test_closing_at_a_price_is_no_funding_round(extractor, sentence):
    assert all(c.kind.value != "funding" for c in money(extractor, sentence))


def test_a_range_of_months_cut_in_two_and_the_date_of_the_base(extractor):
    text = ("General Motors saw its net profits fall 37% in the last quarter of 2004.\n\n"
            "The US giant earned $630m in the October-to-December period, down from $1bn in the fourth quarter "
            "of 2003.")
    claims = money(extractor, text, published=None)
    assert {c.amount.value: (c.status, c.period) for c in claims} == {
        630e6: (ClaimStatus.ACTUAL, "2004-Q4"), 1e9: (ClaimStatus.PRIOR, "2003-Q4")}



def test_a_range_the_model_cut_and_its_conversion_are_one_claim(extractor):
    text = ("Next cuts profit forecast\n\nNext has said its annual profit will be lower than previously expected.\n\n"
            "The High Street retailer said it now expected to report annual profits of between £415m and £425m "
            "($779m-798m).")
    claims = money(extractor, text)
    assert [(c.amount.interval.low, c.amount.interval.high, c.amount.unit) for c in claims] == [
        (415e6, 425e6, "GBP")]


@pytest.mark.parametrize(("sentence", "measure"), [
    ("Last week, MCI agreed to a buyout by Verizon Communications in a deal valued at $6.75bn.", "acquisition price"),
    ("Fairmont said it planned to invest $48m in renovating parts of the Savoy.", "investment spending"),
    # an order of goods values no company
    ("Budget airline Ryanair has placed an order for 70 Boeing 737-800 planes, in a deal valued at $4bn.", None),
])
def test_a_deal_valued_at_and_an_investment_in_doing(extractor, sentence, measure):
    assert [c.measure for c in money(extractor, sentence)] == [measure]


def test_shares_of_a_name_we_do_not_know_are_nobody_elses(extractor):
    text = ("Wine merger\n\nSouthcorp shares rose after the offer.\n\n"
            "Southcorp's shares rose 12% to A$4.76 on news of the offer but Foster's shares fell 3.7% to A$5.44.")
    assert 3.7 not in percentages(extractor, text) or percentages(extractor, text)[3.7].subject != "Southcorp"


def test_an_economy_is_a_countrys_not_the_agency_that_forecasts_it(extractor):
    found = percentages(extractor, "The French statistics agency, INSEE, expects the economy to grow by about 2.4% "
                                   "this year in France.")
    assert found[2.4].subject == "France"


def test_an_executives_lost_claim_is_no_loss_of_the_firm(extractor):
    claims = money(extractor, "A former executive at the London offices of Merrill Lynch has lost her £7.5m sex "
                              "discrimination claim against the firm.")
    assert all(c.subject != "Merrill Lynch" for c in claims)


@pytest.mark.parametrize(("sentence", "value", "measure"), [
    # the parse hangs "to £1.13bn" off "blamed"; it ends the noun of change right before it
    ("Acme Bank also blamed margins pressure on its mortgage business for a 1% fall in profits in its UK retail "
     "division to £1.13bn.", 1.13e9, "profit"),
    ("The expansion produced a 25.7% rise in tax revenues to 2.572 trillion yuan.", 2.572e12, "tax"),
    # what is repaid is a debt; the amount's own clause, read as the sentence's, says what it is
    ("Globex Oil has offered to repay its creditors $220m (£117m) of the $550m it lost on trading in oil futures.",
     220e6, "debt"),
    ("Globex Oil has offered to repay its creditors $220m (£117m) of the $550m it lost on trading in oil futures.",
     550e6, "loss"),
])
def test_the_measure_a_misread_clause_still_names(extractor, sentence, value, measure):
    assert [c.measure for c in money(extractor, sentence) if c.amount.value == value] == [measure]


def test_a_change_to_an_amount_after_a_verb_of_no_change_is_not_read_into_it(extractor):
    # "to" after a noun that is no change: the amount's measure is not taken from a change elsewhere
    claims = money(extractor, "Acme Holdings reported a 12% rise in profits and gave its shares to Globex for $45m.")
    assert all(c.measure != "profit" for c in claims if c.amount.value == 45e6)


@pytest.mark.parametrize("sentence", [
    "Shareholders lost about $180bn when Globex Communications collapsed in 2002.",
    "Acme Holdings said investors had lost $5m on the shares.",
])
def test_what_shareholders_lose_is_not_the_companys_loss(extractor, sentence):
    assert all(c.measure != "loss" for c in money(extractor, sentence))


def test_a_company_that_lost_money_has_a_loss(extractor):
    assert [c.measure for c in money(extractor, "Acme Holdings said it had lost $5m on the shares.")] == ["loss"]


@pytest.mark.parametrize(("text", "value"), [
    ("Acme Oil said profits rose 26%. Oil is currently above $40 a barrel.", 40),
    ("Acme Mining said its output rose as gold traded at $1,200 an ounce.", 1200),
])
def test_a_commodity_priced_per_unit_is_no_companys_price(extractor, text, value):
    (claim,) = [c for c in money(extractor, text) if c.amount.value == value]
    assert (claim.measure, claim.subject) == ("price", None)



def test_a_company_in_no_particular_is_no_owner(extractor):
    text = ("BP profits soar\n\nOil giant BP has announced a 26% rise in annual profits to $16.2bn.\n\nLast week, "
            "rival Shell reported an annual profit of $17.5bn - a record profit for a UK-listed company.")
    (claim,) = [c for c in money(extractor, text) if c.amount.value == 17.5e9]
    assert (claim.subject, claim.measure) == ("Shell", "profit")


def test_what_a_plan_needs_is_proposed(extractor):
    (claim,) = money(extractor, "Acme Newspapers says the cuts are needed to fund an £150m investment in new "
                                "printing facilities.")
    assert (claim.measure, claim.status) == ("investment spending", ClaimStatus.PROPOSED)


def test_the_circumstances_of_a_plan_are_what_is(extractor):
    claims = money(extractor, "With assets of $200m and liabilities totalling $648m, Acme Oil needs creditors' "
                              "backing for the offer to avoid going into bankruptcy.")
    assert sorted((c.amount.value, c.status) for c in claims) == [(200e6, ClaimStatus.ACTUAL),
                                                                   (648e6, ClaimStatus.ACTUAL)]


def test_a_forecaster_owns_no_change_it_forecasts(extractor):
    found = percentages(extractor, "Investment bank Morgan Stanley has forecast that India's mobile market is "
                                   "likely to grow by about 40% a year until 2007.")
    assert all(c.subject != "Morgan Stanley" for c in found.values())


def test_it_is_the_doer_of_the_last_passive_and_stays_so(extractor):
    text = ("Consolidation in the wine industry is being driven by Constellation, the world's biggest winemaker. It "
            "seized the top spot when it bought Australian firm BRL Hardy for just over $1bn in 2003. Since then, it "
            "has paid $1bn for US wine maker Robert Mondavi, bought last month.")
    deals = [(c.subject, c.object) for c in money(extractor, text) if c.measure == "acquisition price"]
    assert deals == [("BRL Hardy", "Constellation"), ("Robert Mondavi", "Constellation")]


@pytest.mark.parametrize(("words", "period"), [
    ("in the first month of the year", "2005-01"),
    ("the first three months of the year", "2005-Q1"),
    ("during the first six months of the fiscal year", "2004-H1"),
    ("the first six months of 2004", "2004-H1"),
    ("in the first nine months of the year", None),  # a span we do not name, not the year
])
def test_a_part_of_the_year_is_not_the_year(words, period):
    from pipeline.nlp.claims.context import normalize_period
    assert normalize_period(words, FEB_2005) == period


def test_a_currency_named_before_its_amount_is_the_amount_not_its_conversion(extractor):
    claims = money(extractor, "Despite making a record Australian dollars 648m ($492m) profit last year, Acme "
                              "Airways has argued that it needs to make considerable savings.")
    assert [(c.amount.unit, c.amount.value, c.measure) for c in claims] == [("AUD", 648e6, "profit")]


def test_money_put_up_to_buy_something_funds_nobody(extractor):
    claims = money(extractor, "The conglomerate made headlines when it put up 43 million euros ($46 million) to "
                              "acquire Gustave Caillebotte's 1877 A Boating Party for the Musée d'Orsay.")
    assert [(c.kind.value, c.measure) for c in claims] == [("money", None)]


def test_what_an_amounts_own_clause_did_with_it_is_done(extractor):
    claims = money(extractor, "Globex Oil has offered to repay its creditors $220m (£117m) of the $550m it lost on "
                              "trading in oil futures.")
    assert sorted((c.amount.value, c.status) for c in claims) == [(220e6, ClaimStatus.PROPOSED),
                                                                   (550e6, ClaimStatus.ACTUAL)]


@pytest.mark.parametrize(("sentence", "value", "status"), [
    ("Analyst Mike Powell says the surcharge will still be way short of its additional fuel costs - a predicted "
     "extra £250m.", 250e6, ClaimStatus.ESTIMATE),
    ("Acme Holdings reported profits of $5bn, above expected profits of $4.5bn.", 4.5e9, ClaimStatus.ESTIMATE),
    ("Acme Holdings reported profits of $5bn, above expected profits of $4.5bn.", 5e9, ClaimStatus.ACTUAL),
])
def test_an_estimated_amount_is_an_estimate(extractor, sentence, value, status):
    assert [c.status for c in money(extractor, sentence) if c.amount.value == value] == [status]


def test_an_estimated_growth_rate_is_the_statistics_own_reading(extractor):
    found = percentages(extractor, "The UK economy grew by an estimated 3.1% in 2004.")
    assert found[3.1].status == ClaimStatus.ACTUAL


def test_an_amount_per_hour_is_a_rate_never_compared_with_a_total(extractor):
    text = "Oil giant Acme Oil reported fourth-quarter profits of $4bn for 2004. The company is earning about $1.8m an hour."
    (rate,) = [c for c in money(extractor, text) if c.amount.value == 1.8e6]
    assert (rate.measure, rate.period, rate.comparable) == ("profit", None, False)


def test_a_long_company_names_first_word_alone_is_the_company(extractor):
    text = ("Acme Life buys insurer\n\nUS banking giant Globex has sold its Travelers Life & Annuity insurance arm to "
            "Acme Life for $11.5bn.\n\nTravelers had sales of $5.2bn in 2004 and made a profit of $901m.")
    owners = {c.amount.value: c.subject for c in money(extractor, text)}
    assert owners[5.2e9] == owners[901e6] == "Travelers Life & Annuity"


def test_it_after_an_organisation_is_that_organisation_not_the_articles_company(extractor):
    text = ("Acme Energy directors settle\n\nFormer Acme Energy directors have agreed a $168m settlement with "
            "investors.\n\nThe University of California said the deal was significant. It joined the lawsuit in "
            "2001, claiming it had lost $145m on its investments in the company.")
    (loss,) = [c for c in money(extractor, text) if c.amount.value == 145e6]
    assert (loss.subject, loss.measure) == ("University of California", "loss")


def test_it_after_a_public_body_is_not_the_body(extractor):
    text = ("Acme Energy results\n\nAcme Energy said profits rose.\n\nThe Commerce Department said exports rose. "
            "It said Acme Energy had made a profit of $5m.")
    assert all(c.subject != "Commerce Department" for c in money(extractor, text))


@pytest.mark.parametrize(("sentence", "measure"), [
    ("Acme Foods said it planned to spend 500m euros this year buying back shares.", "buyback"),
    ("Acme Holdings will spend $2bn on share buybacks.", "buyback"),
    ("Acme Holdings will spend $2bn on new factories.", "investment spending"),
])
def test_money_spent_is_named_by_what_it_is_spent_on(extractor, sentence, measure):
    assert [c.measure for c in money(extractor, sentence)] == [measure]


def test_a_target_held_against_a_result_is_a_target_of_its_measure(extractor):
    text = ("Acme Airways results\n\nDuring the first six months of the fiscal year, Acme Airways made savings of "
            "A$245m, and is on track to top its target of A$500m for the full year.")
    target = next(c for c in money(extractor, text) if c.amount.value == 500e6)
    assert (target.measure, target.subject, target.status) == ("cost savings", "Acme Airways", ClaimStatus.GUIDANCE)


@pytest.mark.parametrize(("sentence", "target", "buyer"), [
    ("Oracle bought PeopleSoft in a deal valued at $10bn.", "PeopleSoft", "Oracle"),
    ("Oracle agreed to buy PeopleSoft in a deal worth $10bn.", "PeopleSoft", "Oracle"),
    ("Last week, MCI agreed to a buyout by Verizon Communications in a deal valued at $6.75bn.", "MCI",
     "Verizon Communications"),
])
def test_a_deal_is_the_price_of_the_buying_it_is_the_form_of(extractor, sentence, target, buyer):
    claims = money(extractor, sentence)
    assert [(c.measure, c.subject, c.object) for c in claims] == [("acquisition price", target, buyer)]


def test_a_deal_for_things_prices_no_company(extractor):
    text = ("Budget airline Ryanair has placed an order for 70 Boeing 737-800 planes, in a deal valued at $4bn "
            "(£2.1bn) which should lead to 2,500 new Ryanair jobs.")
    assert [c.measure for c in money(extractor, text)] == [None]


@pytest.mark.parametrize("sentence", [
    "In December, Deutsche Boerse put an informal offer of 530 pence per LSE share on the table.",
    "The firm will pay $76 for each Guidant share, 6% more than Wednesday's closing price.",
])
def test_an_offer_per_named_share_is_no_funding_round(extractor, sentence):
    claims = extractor.extract(Article(source="t", text=sentence, published=FEB_2005)).claims
    assert [c.kind.value for c in claims if c.kind.value in ("funding", "money")] == ["money"]
    assert [c.measure for c in money(extractor, sentence)] == [None]


@pytest.mark.parametrize(("sentence", "measure"), [
    ("Its pilots are among the best paid, with senior members of staff earning in excess of $234,000 a year.",
     "pay"),
    ("Mr Smith earned $2m last year, the company said.", "pay"),
    ("Microsoft earned $2.6bn in the quarter.", "profit"),
])
def test_what_people_earn_is_pay(extractor, sentence, measure):
    assert [c.measure for c in money(extractor, sentence)] == [measure]


@pytest.mark.parametrize(("text", "measure"), [
    ("Utility vehicle and tractor maker Mahindra has reported a 52% rise in net profit during the last three months "
     "of 2004. Profit was 1.33bn rupees compared with 874.2m rupees a year earlier.", "net profit"),
    # another company's profit keeps its own word
    ("Mahindra has reported a 52% rise in net profit. Profits at Maruti were 2.39bn rupees.", "profit"),
    # a sentence that names the basis of a different amount does not carry it to an unrelated later one
    ("Mahindra said its net profit rose 52%. Two years later, Tata Motors made a profit of 5bn rupees.", "profit"),
])
def test_a_bare_profit_takes_the_basis_of_the_sentence_before(extractor, text, measure):
    claims = [c for c in money(extractor, text) if c.amount.value >= 1e9]
    assert [c.measure for c in claims] == [measure]


def test_a_change_whose_subject_is_a_name_we_do_not_know_is_nobodys(extractor):
    text = "Travel companies also took a hit, with Japan's Kinki Nippon sliding 1.5% and HIS dropping 3.3%."
    claims = extractor.extract(Article(source="t", text=text, published=FEB_2005)).claims
    assert [(c.subject, c.value.value) for c in claims if isinstance(c, PercentageClaim)] == [("Kinki Nippon", 1.5)]


@pytest.mark.parametrize(("text", "owners"), [
    # "Wimpey" is no entity here: its profit is nobody's we know, not the company of the sentence before
    ("Mortgage lender Bradford & Bingley said the buy-to-let market would grow. It reported a 6% rise in profits to "
     "£280.2m. Wimpey reported a 19% rise in profits to £450.7m and said reservations were better than expected.",
     [("Bradford & Bingley", 280.2e6)]),
    ("UK bank Barclays reported a 20% rise in annual profits to £4.6bn on Thursday.", [("Barclays", 4.6e9)]),
])
def test_whose_reported_rise_in_profits(extractor, text, owners):
    claims = money(extractor, text)
    assert [(c.subject, c.amount.value) for c in claims if c.subject] == owners


@pytest.mark.parametrize(("sentence", "borrower", "lender"), [
    ("The International Monetary Fund approved a $1bn loan to Pakistan on Monday.", "Pakistan",
     "International Monetary Fund"),
    ("The World Bank has given a $500m loan to Ghana.", "Ghana", "World Bank"),
    ("Alitalia will receive a 400m euro loan from the Italian government.", "Alitalia", None),
    # what is repaid "to" someone goes to the lender, not to a borrower
    ("Argentina must repay the $3bn loan to the IMF by 2006.", "Argentina", None),
])
def test_a_loan_to_someone_is_the_borrowers(extractor, sentence, borrower, lender):
    assert [(c.measure, c.subject, c.object) for c in money(extractor, sentence)] == [("loan", borrower, lender)]


@pytest.mark.parametrize("sentence", [
    "Acme Holdings said revenues slipped 11% from £3.24bn ($6.13bn) in 2003 to £2.89bn in 2004.",
    "Acme Holdings said revenues slipped 11% from £3.24bn in 2003 to £2.89bn in 2004.",
])
def test_a_change_from_a_base_of_one_year_to_the_next_is_of_the_later_year(extractor, sentence):
    claims = extractor.extract(Article(source="t", text=sentence, published=FEB_2005)).claims
    assert [(c.value.value, c.period) for c in claims if isinstance(c, PercentageClaim)] == [(11, "2004")]
    assert {c.amount.value: c.period for c in money(extractor, sentence)} == {3.24e9: "2003", 2.89e9: "2004"}


@pytest.mark.parametrize(("sentence", "want"), [
    ("Steel prices rose by 8% globally in January alone and by 24% in China.", {8: None, 24: None}),
    ("Oil prices rose 5% on Monday.", {5: None}),
    ("Consumer prices in China rose 2.4% in 2004.", {2.4: "prices"}),
    ("UK house prices rose 0.5% in February, the Nationwide said.", {0.5: "house prices"}),
])
def test_the_prices_of_a_good_are_no_countrys_prices(extractor, sentence, want):
    claims = extractor.extract(Article(source="t", text=sentence, published=FEB_2005)).claims
    found = {c.value.value: c.measure_name for c in claims if isinstance(c, PercentageClaim)}
    assert {v: found.get(v) for v in want} == want


def test_an_offer_written_pence_per_share_is_no_valuation(extractor):
    text = "Last month, the German exchange tabled a 530 pence-per-share offer for LSE, valuing it at £1.3bn."
    assert {c.amount.value: c.measure for c in money(extractor, text)}.get(5.3, "missing") is None


@pytest.mark.parametrize(("sentence", "want"), [
    # shares or a stake bought are a stake's price, owned by the company whose shares they are
    ("Shanda bought 19.5% of Sina's shares for about $230m.", ("stake price", "Sina", "Shanda")),
    # the remaining shares are the rest of the company: its takeover
    ("Novartis offered to buy the remaining shares of Eon Labs for $1bn.", ("acquisition price", "Eon Labs", "Novartis")),
    ("Novartis bought Hexal for 5.65bn euros.", ("acquisition price", "Hexal", "Novartis")),
])
def test_shares_bought_are_a_stake_not_the_company(extractor, sentence, want):
    assert [(c.measure, c.subject, c.object) for c in money(extractor, sentence)] == [want]


@pytest.mark.parametrize(("sentence", "want"), [
    # the change a change is compared with is the same measure's in the earlier period the sentence names
    ("The UK economy grew 0.7% in the three months to 31 December, compared with 0.5% in the previous quarter.",
     {0.7: ("UK", "economy", "2004-Q4", ClaimStatus.ACTUAL), 0.5: ("UK", "economy", "2004-Q3", ClaimStatus.PRIOR)}),
    ("China's exports rose 35% in 2004, up from 34.6% in 2003.",
     {35: ("China", "exports", "2004", ClaimStatus.ACTUAL), 34.6: ("China", "exports", "2003", ClaimStatus.PRIOR)}),
])
def test_a_change_compared_with_an_earlier_change(extractor, sentence, want):
    found = percentages(extractor, sentence)
    assert {v: (found[v].subject, found[v].measure_name, found[v].period, found[v].status) for v in want} == want


def test_a_change_of_an_index_is_not_the_companys(extractor):
    assert list(percentages(extractor, "Shares in Tesco rose 5%, compared with a 2% rise in the FTSE 100.")) == [5]


def test_money_raised_on_the_stock_market_is_a_listing_not_a_funding_round(extractor):
    text = "Paion is looking to raise more than 70m euros ($91m; £49m) on the stock market, its chief executive said."
    claims = extractor.extract(Article(source="t", text=text, published=FEB_2005)).claims
    assert [(c.kind.value, c.measure) for c in claims if isinstance(c, MoneyClaim)] == [("money", "listing proceeds")]


def test_a_price_gain_and_the_close_are_no_range(extractor):
    text = "Brent crude also rose in London trading, adding $1.89 to $48.62 at the close."
    assert sorted(c.amount.value for c in money(extractor, text)) == [1.89, 48.62]


@pytest.mark.parametrize("sentence", [
    "Since Yukos' founder, Mikhail Khodorkovsky, was arrested a year ago, the Russian market has dropped by 10%.",
    "Japanese shares fell 2% as Sony Corp warned on profits.",
])
def test_a_places_market_is_not_a_companys(extractor, sentence):
    assert percentages(extractor, sentence) == {}


@pytest.mark.parametrize(("sentence", "borrower", "lender"), [
    ("China lent Russia $6bn to help the Russian government renationalise the Yuganskneftegas unit.", "Russia", "China"),
    # the one lent to is a name we do not know: the loan is nobody's we know, not the lender's
    ("The Kremlin said on Tuesday that Russian state bank VEB lent $6bn to state-owned Rosneft.", None, None),
])
def test_money_lent_is_the_borrowers_loan(extractor, sentence, borrower, lender):
    assert [(c.measure, c.subject) for c in money(extractor, sentence)] == [("loan", borrower)]
    if lender:
        assert money(extractor, sentence)[0].object == lender


def test_a_clubs_figures_are_not_the_broadcasters_that_sold_its_stake(extractor):
    text = ("Takeover offer for Sunderland FC\n\nBob Murray, chairman of Sunderland FC, has launched a £1.5m ($2.8m) bid "
            "for the club after buying broadcaster BSkyB's stake in the business.\n\nMr Murray agreed to buy BSkyB's "
            "4.76% holding in the Wearside club on Tuesday - taking his stake to 42.3%.\n\nSunderland were relegated "
            "from the Premiership in 2003 but are currently pushing for promotion. The club managed to reduce its losses "
            "last year from £20.6m to £1.2m after selling a host of leading players. However, the club's turnover "
            "dropped sharply from £42.5m to £28.5m over the same period, because of a fall in broadcast revenues. "
            "BSkyB bought its stake in Sunderland in 1999 as part of a five year media partnership deal.")
    keyed = [(c.subject, c.measure, c.amount.value) for c in money(extractor, text, published=None) if c.measure]
    assert not any(subject == "BSkyB" for subject, _, _ in keyed), keyed
    assert money(extractor, "Acme Holdings said its profits rose to $5bn.")[0].subject == "Acme Holdings"


@pytest.mark.parametrize(("sentence", "measure"), [
    # a limit set on a measure is not the measure
    ("The government raised the income-tax threshold to 100,000 rupees ($2,300).", None),
    ("Congress raised the debt ceiling to $8.2 trillion.", None),
    # a limit noun whose own phrase names a measure keeps it
    ("The rally lifted Acme Holdings's market cap to $5bn.", "market value"),
    # what people earn is pay
    ("The budget reduced income tax for those earning less than 250,000 rupees ($5,700) to 20%.", "pay"),
    # money raised from a share offering is a listing's
    ("Analysts expect Jet Airways to raise at least 16.4bn rupees ($375m; £198m) from the offering.",
     "listing proceeds"),
])
def test_limits_earnings_and_offerings(extractor, sentence, measure):
    claims = [c for c in extractor.extract(Article(source="t", text=sentence, published=FEB_2005)).claims
              if isinstance(c, MoneyClaim)]
    assert [c.measure for c in claims] == [measure]


def test_a_day_of_trading_is_no_period(extractor):
    found = percentages(extractor, "Shares in Circuit City Stores were up 19.6% at $17.04 in Tuesday morning trading "
                                   "in New York.", published=None)
    assert found[19.6].period is None
    assert percentages(extractor, "Shares in Circuit City Stores have risen 20% over the past 18 months.",
                       published=None)[20].period == "over the past 18 months"


def test_the_exchange_a_share_trades_on_owns_no_price(extractor):
    text = ("Shares in UK pharmaceutical firm Phytopharm closed down 19.84% at 151.5 pence on the London Stock "
            "Exchange on Monday.")
    assert all(c.subject != "London Stock Exchange" for c in money(extractor, text))


def test_sales_counted_in_things_are_not_revenue(extractor):
    text = ("Maruti is India's biggest carmaker, Maruti said on Monday.\n\n"
            "Sales in the fiscal third quarter, including vans and utility vehicles, rose by 17.8% to 136,069 units. "
            "Third-quarter sales at Acme rose 34% to 20.9bn rupees.")
    found = percentages(extractor, text)
    assert (found[17.8].measure_name, found[17.8].period) == (None, "2004-Q3")  # units sold, in its subject's period
    assert found[34].measure_name == "revenue"  # rupees: money


def test_an_estimate_joined_to_another_is_an_estimate_too(extractor):
    text = ("Analysts had previously estimated that eBay would achieve 2005 revenues of $4.37bn and earnings of "
            "$1.62 per share, excluding items.")
    assert [(c.amount.value, str(c.status)) for c in money(extractor, text)] == [(4.37e9, "estimate"),
                                                                                 (1.62, "estimate")]


def test_an_undated_storys_quarter_takes_the_year_only_of_that_quarter(extractor):
    # a year's figures do not say which year's first quarter a story's "first quarter" is (a story of the first
    # quarter of 2005 may give 2004's annual profit); the same quarter with its year does
    text = ("Acme Stores said net profit rose 44% to $205.4m in the first quarter.\n\n"
            "For 2004 as a whole, Acme Stores earned $778.2m on sales of $3.27bn.")
    claims = {c.amount.value: c.period for c in money(extractor, text, published=None)}
    assert (claims[205.4e6], claims[778.2e6]) == ("Q1", "2004")
    text = ("The UK economy grew by 0.7% in the fourth quarter, compared with 0.5% in the previous quarter, the ONS "
            "said.\n\nGrowth in the final three months of 2004 marked the 50th consecutive quarter of expansion.")
    found = percentages(extractor, text, published=None)
    assert (found[0.7].period, found[0.5].period) == ("2004-Q4", "2004-Q3")  # and the quarter before, of that year


@pytest.mark.parametrize("sentence", [
    "Monsanto agreed to pay $15.5m to settle charges with the Securities and Exchange Commission.",
    "Monsanto agreed to pay $15.5m to settle the Securities and Exchange Commission's lawsuit.",
    "Monsanto will pay $15.5m to settle a Federal Trade Commission lawsuit.",
    "Monsanto agreed to pay $15.5m to settle charges brought by the Federal Trade Commission.",
    "Monsanto reached a $15.5m settlement with the Federal Trade Commission.",
    "Monsanto pleaded guilty. It agreed to pay $13m in criminal penalties, as well as $15.5m to settle a civil lawsuit "
    "brought by the US financial watchdog, the Securities and Exchange Commission (SEC).",
])
def test_a_settlement_is_paid_to_who_brought_what_it_settles(extractor, sentence):
    claims = {c.amount.value: c for c in money(extractor, sentence)}
    assert (claims[15.5e6].subject, claims[15.5e6].measure, claims[15.5e6].object) in [
        ("Monsanto", "settlement", "Securities and Exchange Commission"),
        ("Monsanto", "settlement", "Federal Trade Commission")]


def test_a_settlement_of_claims_by_people_names_no_payee(extractor):
    claims = money(extractor, "Monsanto agreed to pay $10m to settle claims by shareholders.")
    assert [(c.subject, c.measure, c.object) for c in claims] == [("Monsanto", "settlement", None)]


def test_house_prices_are_the_places_whoever_reports_or_forecasts_them(extractor):
    text = ("UK interest rates are set to remain on hold at 4.75%, the Bank of England said.\n\n"
            "House prices fell 0.4% in October, according to the Nationwide, their biggest monthly fall since 2001. "
            "Prices of homes in the UK rose 0.5% in February. In November, Barclays, which owns former building "
            "society the Woolwich, forecast an 8% fall in property prices.")
    found = percentages(extractor, text)
    assert [(found[v].subject, found[v].measure_name) for v in (0.4, 0.5, 8)] == [("UK", "house prices")] * 3


def test_a_stock_index_is_no_companys_shares(extractor):
    text = ("Concerns over rising oil prices pushed down US stock markets on Tuesday; the Dow Jones industrial average "
            "closed down 1.6%, while shares in Acme Holdings Inc fell 2.5%.")
    found = percentages(extractor, text)
    assert 1.6 not in found and (found[2.5].subject, found[2.5].measure_name) == ("Acme Holdings Inc", "stock price")


@pytest.mark.parametrize(("sentence", "funded", "investor"), [
    ("Microsoft's $10bn investment in OpenAI was announced on Monday.", "OpenAI", "Microsoft"),
    ("Microsoft made a $10bn investment in OpenAI.", "OpenAI", "Microsoft"),
    ("Microsoft announced a $10bn investment in OpenAI.", "OpenAI", "Microsoft"),
    ("OpenAI received a $10bn investment from Microsoft.", "OpenAI", "Microsoft"),
])
def test_an_investment_in_a_company_funds_that_company(extractor, sentence, funded, investor):
    claims = [c for c in extractor.extract(Article(source="t", text=sentence, published=FEB_2005)).claims
              if isinstance(c, MoneyClaim)]
    assert [(c.subject, c.amount.value) for c in claims] == [(funded, 10e9)]
    assert investor in (*claims[0].investors, claims[0].contributor)


@pytest.mark.parametrize("sentence", [
    "Recent investigations have exposed accounting errors at Fannie Mae, which supplies funds to America's $8 trillion "
    "mortgage market.",  # a market's size
    "Acme Holdings, the $5bn company, raised its dividend.",  # a company's size
    "Of the $18.4bn in reconstruction funds approved by Congress, less than $2bn has been spent.",  # a legislature's
    "BT Group cut its prices on Monday. It added that it plans to invest £10bn in the next five years to create a "
    "network.",  # spending over years
])
def test_no_funding_round_in_sizes_budgets_or_spending(extractor, sentence):
    claims = extractor.extract(Article(source="t", text=sentence, published=FEB_2005)).claims
    assert [c for c in claims if isinstance(c, MoneyClaim) and c.kind.value == "funding"] == []


def test_a_business_bought_is_priced_by_its_size(extractor):
    claims = money(extractor, "Acme Holdings bought a $5bn business from Beta Corp.")
    assert [(c.amount.value, c.measure) for c in claims] == [(5e9, "acquisition price")]


def test_the_amount_a_change_starts_from_is_prior_past_its_adjectives(extractor):
    claims = money(extractor, "Iran wants to increase its budget to 1,546 trillion rials from the previous 1,070 "
                              "trillion rials.")
    assert [(c.amount.value, str(c.status)) for c in claims] == [(1546e12, "proposed"), (1070e12, "prior")]


def test_an_investors_acronym_in_brackets_is_that_investor(extractor):
    text = ("AMBO is building a $1.2bn oil pipeline.\n\nAMBO has already raised about $900m from the Overseas Private "
            "Investment Corporation (OPIC).")
    claims = [c for c in extractor.extract(Article(source="t", text=text, published=FEB_2005)).claims
              if isinstance(c, MoneyClaim) and c.kind.value == "funding"]
    assert all(c.subject not in ("OPIC", "Overseas Private Investment Corporation") for c in claims)


def test_an_investment_by_a_company_is_no_funding_of_it(extractor):
    text = "This would be a $95 million investment by the Margaritaville group, according to county officials."
    claims = [c for c in extractor.extract(Article(source="t", text=text, published=FEB_2005)).claims
              if isinstance(c, MoneyClaim) and c.kind.value == "funding"]
    assert all(c.subject != "Margaritaville" for c in claims)


def test_house_price_inflation_and_bare_prices_of_a_house_price_story_are_house_prices(extractor):
    text = ("UK house prices fall in December\n\n"
            "The average house price in the UK fell in December, the ODPM said. But annual house price inflation in the "
            "UK is still running at 13.8%, having risen by 13.8% over the year.\n\n"
            "The UK's biggest mortgage lender, the Halifax, said prices rose 15.1% over the whole of 2004.")
    found = percentages(extractor, text)
    assert [(found[v].subject, found[v].measure_name) for v in (13.8, 15.1)] == [("UK", "house prices")] * 2


def test_prices_are_the_prices_the_words_say_where_a_story_names_other_prices_too(extractor):
    text = ("UK house prices rose 1% in December, while UK consumer prices rose 1.6%.\n\n"
            "The Bank of England said prices in the UK rose 2.1% over the whole of 2004.")
    assert percentages(extractor, text)[2.1].measure_name == "prices"


def test_a_story_of_two_countries_gives_neither_a_figure_that_names_no_one(extractor):
    text = ("China overtook the US to become Japan's biggest trading partner in 2004.\n\n"
            "China accounted for 20.1% of Japan's trade in 2004, compared with 18.6% for the US. In 2003, the US was "
            "ahead and China came second. Japanese trade with China rose. China's economy grew. The US fell behind.\n\n"
            "In December, the trade surplus grew 1.8% on a year ago to 1.14 trillion yen.")
    claims = money(extractor, text)
    assert [(c.subject, c.amount.value) for c in claims] == [(None, 1.14e12)]


def test_a_countrys_public_debt_is_no_companys(extractor):
    text = ("Russian oil firm Yukos faces a tax bill.\n\nYukos said its foreign debt of $3bn would be repaid. Gold and foreign "
            "currency reserves of $119bn beat its foreign public debt of some $113bn. Argentina restructured its "
            "foreign debt of $102.6bn.")
    claims = {c.amount.value: c.subject for c in money(extractor, text) if c.measure == "debt"}
    assert claims == {3e9: "Yukos", 113e9: None, 102.6e9: "Argentina"}


def test_the_value_of_a_holders_stake_is_no_valuation_of_the_company(extractor):
    text = ("Menatep is the majority owner of Russian oil firm Yukos.\n\nMenatep said the value of its Yukos "
            "shareholding had gone from $17.8bn to virtually nothing since 2003.")
    claims = extractor.extract(Article(source="t", text=text, published=FEB_2005)).claims
    assert [c for c in claims if isinstance(c, MoneyClaim) and c.kind.value == "valuation"] == []


def test_a_conversion_after_a_date_is_no_claim_of_its_own(extractor):
    text = ("Net income at Yangtze Electric Power jumped to 3bn yuan in 2004 ($365m; £190m), compared with 1.4bn yuan "
            "in 2003.")
    assert [(c.amount.unit, c.amount.value) for c in money(extractor, text)] == [("CNY", 3e9), ("CNY", 1.4e9)]


@pytest.mark.parametrize("sentence", [
    "Boeing lost a $23bn government contract after a Pentagon inquiry into the case.",  # a deal lost, no loss
    "The Pentagon subsequently revoked $1bn worth of contracts assigned to Boeing.",  # things worth, no valuation
])
def test_a_contract_lost_or_worth_an_amount_is_no_loss_or_valuation(extractor, sentence):
    assert [(c.kind.value, c.measure) for c in money(extractor, sentence)] == [("money", None)]


def test_money_lost_is_a_loss(extractor):
    assert [c.measure for c in money(extractor, "Boeing said it lost $23m in the quarter.")] == ["loss"]


@pytest.mark.parametrize("sentence", [
    "Prices at Best Buy range from $699.99 to $849.99, depending on model.",
    "Fines ranging from £1,000 to £10,000 will be imposed.",
])
def test_a_range_from_one_amount_to_another_is_a_range_not_a_change(extractor, sentence):
    claims = money(extractor, sentence)
    assert len(claims) == 1 and claims[0].status is ClaimStatus.ACTUAL and claims[0].amount.qualifier.startswith(
        "between")


def test_a_change_in_a_profit_on_a_basis_reaches_a_level_of_that_basis(extractor):
    claims = money(extractor, "Multiplex Group reported an 11% rise in pre-tax profits to A$67.7m for 2004.")
    assert [(c.amount.value, c.measure) for c in claims] == [(67.7e6, "pre-tax profit")]


def test_the_base_named_by_its_measure_is_prior_and_keeps_its_date_to_itself(extractor):
    text = ("Deutsche Telekom said net profit came in at 1.4bn euros, a dramatic change from the loss of 364m euros "
            "in 2003.")
    assert [(c.amount.value, c.measure, str(c.status), c.period) for c in money(extractor, text)] == [
        (1.4e9, "net profit", "actual", None), (364e6, "loss", "prior", "2003")]


def test_sales_counted_in_a_bare_number_are_not_revenue(extractor):
    text = "BMW said on Monday that its sales rose 2.3% to 80,600 cars, while its Mini sales rose 3.6% to 14,800."
    found = percentages(extractor, text)
    assert (found[2.3].measure_name, found[3.6].measure_name) == (None, None)


@pytest.mark.parametrize(("sentence", "measure"), [
    ("According to STATIN, Jamaica earned just over US$1.4 billion from exports last year.", "exports"),
    ("Acme Holdings Inc earned $5m from sales of its software.", "revenue"),
    ("Acme Holdings Inc earned $5m last year.", "profit"),
])
def test_money_earned_from_a_measure_is_an_amount_of_it(extractor, sentence, measure):
    assert [c.measure for c in money(extractor, sentence)] == [measure]


def test_a_change_from_one_price_to_another_is_not_a_range(extractor):
    # "ran from $5 to $10": the start and end of a move, two amounts, not one amount between them
    claims = extractor.extract(Article(source="t", text="Shares of Acme Holdings Inc ran from $5 to $10 in a week.",
                                       published=FEB_2005)).claims
    amounts = [c.value if hasattr(c, "value") else c.amount for c in claims]
    assert sorted(a.value for a in amounts) == [5, 10] and not any(a.qualifier for a in amounts)


@pytest.mark.parametrize(("sentence", "subject", "measure"), [
    # money a company or its unit made is its profit
    ("Profits at Barclays rose 20% to £4.6bn. Its Global Investors wing made £347m, an 82% jump on 2003 figures.",
     "Global Investors", "profit"),
    ("Acme Holdings made $5m last year.", "Acme Holdings", "profit"),
    # ... not what it made from something (a part of its sales), nor what a film or a person made
    ("Acme Holdings made $5m from ticket sales.", "Acme Holdings", None),
    ("The film made $100m at the box office, Acme Holdings said.", "Acme Holdings", None),
])
def test_what_a_business_made_is_its_profit(extractor, sentence, subject, measure):
    claims = [c for c in money(extractor, sentence) if c.amount.value < 1e9]
    assert [(c.subject, c.measure) for c in claims] == [(subject, measure)]


def test_a_change_set_after_an_amount_is_a_change_of_its_measure(extractor):
    text = "Profits at Barclays rose 20% to £4.6bn. Its Global Investors wing made £347m, an 82% jump on 2003 figures."
    change = percentages(extractor, text)[82.0]
    assert (change.subject, change.measure_name) == ("Global Investors", "profit")
    # an amount of no measure of changes gives the change none
    change = percentages(extractor, "Acme Holdings said it paid $7.1bn, a 5% rise on last year.")[5.0]
    assert (change.subject, change.measure_name) == ("Acme Holdings", None)


@pytest.mark.parametrize("text", [
    "Target Corp reported third-quarter net income of $1.2 billion. Analysts polled by FactSet had expected earnings "
    "of $2.12 per share and comparable sales to rise 1.2%.",
    "Target Corp reported third-quarter net income of $1.2 billion. Analysts surveyed by Reuters had expected "
    "earnings of $2.12 per share and comparable sales to rise 1.2%.",
])
def test_who_polled_the_analysts_owns_none_of_their_figures(extractor, text):
    claims = extractor.extract(Article(source="t", text=text, published=FEB_2005)).claims
    estimates = [c for c in claims if c.status == ClaimStatus.ESTIMATE]
    assert len(estimates) == 2 and {c.subject for c in estimates} == {"Target Corp"}


@pytest.mark.parametrize(("sentence", "value", "subject", "buyer"), [
    ("Microsoft agreed to buy Activision Blizzard for $95 a share in an all-cash deal valued at $68.7 billion.", 95,
     "Activision Blizzard", "Microsoft"),
    ("Fosters bought 18.8% of Southcorp for 4.17 Australian dollars per share.", 4.17, "Southcorp", "Fosters"),
    ("Novartis offered to buy the remaining shares of Eon Labs for $31 each.", 31, "Eon Labs", "Novartis"),
])
def test_a_deals_price_for_each_share_is_kept_apart_from_its_whole_price(extractor, sentence, value, subject, buyer):
    claim = next(c for c in money(extractor, sentence) if c.amount.value == value)
    assert (claim.measure, claim.subject, claim.object) == ("price per share", subject, buyer)
    # the whole price stays the acquisition price
    assert all(c.measure == "acquisition price" for c in money(extractor, sentence) if c.amount.value > 1e6)
