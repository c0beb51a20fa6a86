"""Entity types by evidence: each case names the evidence that decides it (pipeline/nlp/entities.py)."""

from __future__ import annotations

import pytest

from pipeline.types import Article, EntityType


def types_of(extractor, text: str) -> dict[str, EntityType]:
    return {m.name: m.type for m in extractor.extract(Article(source="t", text=text)).mentions}


@pytest.mark.parametrize(("text", "name", "want"), [
    # a given name alone never makes a person of what the model calls an organisation
    ("Shares of Morgan Stanley rose on Monday after the bank reported higher profits.", "Morgan Stanley",
     EntityType.COMPANY),
    # what only a company has, written in the plural: "X's shareholders"
    ("Enron's shareholders are still seeking damages from the banks.", "Enron", EntityType.COMPANY),
    # the text refers back to it as a thing: "said it would"
    ("Virgin Atlantic said it would cut 300 jobs at its Crawley base.", "Virgin Atlantic", EntityType.COMPANY),
    # organisation words in the name
    ("The Labour Party said the vote was a victory for Tony Blair.", "Labour Party", EntityType.ORG),
    ("The Asian Development Bank cut its forecast for the region.", "Asian Development Bank", EntityType.ORG),
    # company suffix
    ("Widget Holdings plc said sales rose in the year to March.", "Widget Holdings plc", EntityType.COMPANY),
    # a person cue: title, role noun, age
    ("Chief executive Stuart Rose said sales at the retailer had improved.", "Stuart Rose", EntityType.PERSON),
    ("Mr Blair told MPs that the plan would go ahead.", "Blair", EntityType.PERSON),
    # a name on a stock index (models/known_companies.txt), with no cue in the sentence
    ("Talks between Boeing and the unions resumed on Monday.", "Boeing", EntityType.COMPANY),
    ("Officials from Citigroup met regulators in Washington on Monday.", "Citigroup", EntityType.COMPANY),
    # a company noun names what the model took for a place
    ("India's biggest carmaker Maruti has reported a sharp increase in quarterly profit.", "Maruti",
     EntityType.COMPANY),
    # ... also when the model tags it as nothing at all
    ("Walmart reported fourth-quarter revenue of $173.4 billion on Tuesday.", "Walmart", EntityType.COMPANY),
    # a name the model tags as nothing, subject of a verb on its own thing only a company has
    ("Reddit priced its initial public offering at $34 per share on Wednesday.", "Reddit", EntityType.COMPANY),
    # a place the model split off the front of a company's name: "[UK] Coal"
    ("Shares in UK Coal have fallen after the mining group reported losses.", "UK Coal", EntityType.COMPANY),
    # central banks and statistics offices are organisations, whatever their head word
    ("The Bank of England kept interest rates at 4.75%.", "Bank of England", EntityType.ORG),
    ("The Office for National Statistics said the bank's output fell.", "Office for National Statistics",
     EntityType.ORG),
    # the employer of an analyst, economist or fund manager is a bank, broker or fund
    ("\"It could still rise,\" said Wallace Cheung, an analyst at DBS Vickers.", "DBS Vickers",
     EntityType.COMPANY),
    ("\"They are a bit more aggressive,\" said analyst Alex Potter at Lehman Brothers.", "Lehman Brothers",
     EntityType.COMPANY),
    ("Matt Williams, a fund manager at Perpetual Trustees, said the stake was a good buy.", "Perpetual Trustees",
     EntityType.COMPANY),
    # a name given as an example of companies
    ("Among the creditors are banking giants such as Barclays Capital and Sumitomo Mitsui.", "Sumitomo Mitsui",
     EntityType.COMPANY),
    # ... not a think tank, whose name says what it is
    ("\"It is bad,\" said Jane Smith, an analyst with the Brookings Institution.", "Brookings Institution",
     EntityType.ORG),
    # ... and a name on no list, with no cue, stays an organisation
    ("Talks between Qwest and the unions resumed on Monday.", "Qwest", EntityType.ORG),
])
def test_type_by_evidence(extractor, text, name, want):
    assert types_of(extractor, text).get(name) == want


@pytest.mark.parametrize(("text", "name"), [
    ("The FTSE 100 fell 2% in early trading in London.", "FTSE"),  # a stock index is no company
    ("The band Franz Ferdinand won two awards at the ceremony.", "Franz Ferdinand"),  # a group
    ("Franz Ferdinand have won two awards at the ceremony on Tuesday.", "Franz Ferdinand"),  # plural verb: a group
    ("AMSTERDAM (Reuters) - Acme Holdings raised 1.7 billion euros, the companies said.", "AMSTERDAM"),  # dateline
    ("Pickets were held in towns including Cardiff, Bangor and Aberystwyth.", "Aberystwyth"),  # a place
    ("European AI startup Mistral raised new funds on Monday.", "European AI"),  # a kind of startup, not a name
    ("Budget airline Ryanair has placed an order for 70 planes.", "Budget"),  # a kind of airline, capitalised
])
def test_not_a_person_or_company(extractor, text, name):
    assert types_of(extractor, text).get(name) not in (EntityType.PERSON, EntityType.COMPANY)


@pytest.mark.parametrize(("text", "name"), [
    ("Defence lawyer Andrew Nicol QC told the court the case should be dropped.", "Andrew Nicol"),  # post-nominal
    ("Producer Mel Gibson said the film would be released in March.", "Mel Gibson"),  # role word in the span
    ("Former Scotland international Finlay Calder fears for the game. Calder said he was worried.",
     "Finlay Calder"),  # the model's ORG, a surname the article uses for a person
])
def test_person_names_are_read_whole(extractor, text, name):
    assert types_of(extractor, text).get(name) == EntityType.PERSON


def test_an_acronym_joins_the_name_it_abbreviates(extractor):
    text = ("The European Union agreed new rules on Friday. EU member states and lawmakers clinched the deal "
            "after talks in Brussels.")
    names = types_of(extractor, text)
    assert "European Union" in names and "EU" not in names


def test_one_company_under_two_legal_forms(extractor):
    text = ("Globex Corporation is seeking to buy out minority investors in its film studio. Globex Corp shares fell "
            "25 cents after the offer was announced, and Globex Corp investors voted to approve the move.")
    names = types_of(extractor, text)
    assert [n for n in names if n.startswith("Globex")] == ["Globex Corp"]


@pytest.mark.parametrize(("text", "name"), [
    ("Jet fuel supplier China Aviation Oil (CAO) announced its trading debacle.", "China Aviation Oil"),
    ("The Korea Development Bank - one of the creditors - put up $480m.", "Korea Development Bank"),
    ("Diageo said its wine arm - Diageo Chateau & Estate Wines - would buy Chalone.", "Diageo Chateau & Estate Wines"),
])
def test_a_name_ends_at_a_bracket_or_a_spaced_dash(extractor, text, name):
    names = types_of(extractor, text)
    assert name in names and not any(n != name and name in n for n in names)


def test_a_time_zone_is_no_organisation(extractor):
    assert "GMT" not in types_of(extractor, "Shares in Acme Holdings were up 3% by 1400 GMT in London.")


def test_a_place_the_model_once_calls_an_organisation_is_no_organisation(extractor):
    text = ("Salary scandal in Cameroon\n\nCameroon says widespread corruption in its finance ministry has cost it "
            "1bn CFA francs a month.\n\nFidelis Nanga, a journalist based in the Cameroon capital Yaounde, said the "
            "government was acting. Graft was said to be pervasive in Cameroon.")
    assert "Cameroon" not in types_of(extractor, text)


def test_an_economic_acronym_is_no_organisation(extractor):
    assert "FDI" not in types_of(extractor, "The FDI relaxation could ignite interest in the telecoms industry.")


@pytest.mark.parametrize(("text", "name"), [
    ("In Sri Lanka, some economists have said growth may be lost. Sri Lanka's stock market has fallen about 5% "
     "since the weekend.", "Sri Lanka"),
    ("The Maldives has gross domestic product of $660m. The Maldives said the cost could exceed it.", "Maldives"),
])
def test_a_country_is_no_person_or_organisation(extractor, text, name):
    assert name not in types_of(extractor, text)


def test_a_surname_that_names_a_country_stays_a_person(extractor):
    text = "Michael Jordan scored 30 points on Sunday. Jordan said the team had played well."
    assert types_of(extractor, text).get("Michael Jordan") == EntityType.PERSON


def test_the_acronym_of_a_public_body_is_no_company(extractor):
    types = types_of(extractor, "The European Central Bank (ECB) will not do anything to weaken the euro.")
    assert types.get("European Central Bank") == EntityType.ORG and "ECB" not in types


def test_a_company_named_by_its_web_address_is_the_company(extractor):
    text = ("A court found that Amazon.com can now be held liable for defective products. Amazon argued that it "
            "was not liable, but the court did not agree with Amazon's stance.")
    assert [n for n in types_of(extractor, text) if n.startswith("Amazon")] == ["Amazon"]


def test_the_first_word_of_a_company_name_alone_is_the_company(extractor):
    text = ("Angela Bolger bought a battery from Hong Kong battery seller Lenoge Technology. Amazon placed itself "
            "between Lenoge and Bolger in the chain of distribution, and accepted the product from Lenoge.")
    types = types_of(extractor, text)
    assert "Lenoge" not in types and types.get("Lenoge Technology") == EntityType.COMPANY


def test_a_word_capitalised_only_where_a_sentence_begins_is_no_name(extractor):
    text = ("Nationwide said that in January house prices went up by 0.4% on the month.\n\n"
            "House prices have risen 0.9% this year, Nationwide said.")
    extraction = extractor.extract(Article(source="t", text=text))
    assert "House" not in {m.name for m in extraction.mentions}
    assert all(getattr(c, "subject", None) != "House" for c in extraction.claims)


def test_a_name_written_mid_sentence_too_stays_a_name(extractor):
    # "Shell" opens a sentence, is written mid-sentence too, and "shell" is a word of the article: still the company
    text = ("Shell said profits rose 20% in the quarter.\n\nAnalysts said the shell of the old plant would be sold, "
            "and shares in Shell rose 2%.")
    assert "Shell" in types_of(extractor, text)


@pytest.mark.parametrize(("text", "name", "want"), [
    # a person has no managing director, chief executive or chairman: the model's PERSON is a company (an
    # organisation may have them: a charity's chief executive leaves it an organisation)
    ("Oxfam's chief executive Barbara Stocking said aid was needed.", "Oxfam", EntityType.ORG),
    ("Reckitt Benckiser's chief executive Bart Becht said sales rose.", "Reckitt Benckiser", EntityType.COMPANY),
    ("Alfa Romeo's chief executive said the plan would work.", "Alfa Romeo", EntityType.COMPANY),
    # a person's chief of staff, or a film director, stays a person's
    ("Tony Blair's chief of staff resigned on Monday.", "Tony Blair", EntityType.PERSON),
])
def test_whose_officers_a_name_has(extractor, text, name, want):
    assert types_of(extractor, text)[name] == want


@pytest.mark.parametrize(("text", "name", "want"), [
    # a name the model tags ORG that is among the world's largest listed companies (models/listed_companies.txt)
    ("Merrill Lynch are sole bookrunners for Air China's flotation, which will take the form of a share placing.",
     "Merrill Lynch", EntityType.COMPANY),
    ("Last week, rival Shell reported an annual profit of $17.6bn.", "Shell", EntityType.COMPANY),
    # a newspaper is cited as an organisation, whoever publishes it
    ("The New York Times reported the story on Monday.", "New York Times", EntityType.ORG),
])
def test_listed_companies_the_model_calls_organisations(extractor, text, name, want):
    assert types_of(extractor, text)[name] == want


def test_the_listed_companies_file_holds_no_everyday_word():
    from pipeline.nlp.entities import entity_data
    listed = entity_data().listed_companies
    assert {"Merrill Lynch", "Heineken", "Toshiba", "Munich Re", "Yukos"} <= listed
    assert not {"Bank", "News", "Group", "Holdings", "Man", "New York Times"} & listed


def test_a_company_named_like_a_person_is_the_company_by_its_own_mentions(extractor):
    # the model reads the name as a person's each time; the text refers to it as a thing more often than not
    text = ("Clara Whitfield chief steps down\n\n"
            "Clara Whitfield is parting company with its chief executive Anna Brook.\n\n"
            "The clothing retailer said Ms Brook had resigned for personal reasons. In a statement, Clara Whitfield "
            "thanked Ms Brook for her services. In September, Clara Whitfield said its half-year sales had been below "
            "expectations.\n\n"
            "Clara Whitfield, which floated on the London Stock Exchange in 1995, has been hit by poor sales. "
            "\"Clara Whitfield is a shrivelled husk of a company,\" said analyst Tom Reed. Clara Whitfield was founded "
            "by its late namesake in 1955.")
    types = types_of(extractor, text)
    assert (types["Clara Whitfield"], types["Anna Brook"], types["Tom Reed"]) == (
        EntityType.COMPANY, EntityType.PERSON, EntityType.PERSON)


def test_a_chairman_whose_board_is_named_after_him_stays_a_person(extractor):
    text = ("Four members of the executive board, including the chairman, David Mackay, have resigned after a row.\n\n"
            "Mackay's executive board has been in a power struggle with the general committee.")
    assert types_of(extractor, text)["David Mackay"] == EntityType.PERSON


def test_which_after_a_lone_word_makes_no_name_of_it(extractor):
    text = ("However, rival suitor Euronext also upped the ante in the bid battle. In the meantime, Euronext, which "
            "combines the Paris, Amsterdam and Lisbon stock exchanges, also began talks with the LSE.")
    assert types_of(extractor, text).get("Euronext") != EntityType.PERSON


def test_a_time_zone_before_a_name_is_not_part_of_it(extractor):
    types = types_of(extractor, "Other investors barely blinked, and by 1300 GMT Carnival's shares in London were "
                                "down a single penny.")
    assert "GMT Carnival" not in types


def test_a_title_word_opens_an_organisations_name(extractor):
    # "General" is a person's title before a person's name, the first word of a company's name here
    types = types_of(extractor, "The fourth-quarter losses at General Motors Europe totalled $345m, up from $66m.")
    assert "General Motors Europe" in types and "Motors Europe" not in types


def test_a_company_named_like_a_persons_surname_stays_the_company(extractor):
    text = ("Ford gains from finance not cars\n\n"
            "Ford, the US car company, reported higher fourth quarter and full-year profits on Thursday.\n\n"
            "In the fourth quarter alone Ford reported net income of $104m. Chairman and chief executive Bill Ford "
            "said the company had gained momentum. But Ford declined to provide guidance for the first quarter. "
            "Recent new models introduced by Ford include the Five Hundred.")
    types = types_of(extractor, text)
    assert (types.get("Ford"), types.get("Bill Ford")) == (EntityType.COMPANY, EntityType.PERSON)


@pytest.mark.parametrize(("text", "name"), [
    # a buyer of a named organisation, directly or by the verb it agreed to
    ("Kraft agreed to acquire Cadbury for £11.9bn.", "Kraft"),
    # a buyer of a part of one, and the one it is a part of
    ("Fosters bought 18.8% of Southcorp for 4.17 Australian dollars per share.", "Fosters"),
    ("Fosters bought 18.8% of Southcorp for 4.17 Australian dollars per share.", "Southcorp"),
    # a bidder
    ("The board of MCI turned down a rival offer from Qwest, the newspaper said.", "Qwest"),
])
def test_the_parties_to_a_deal_are_companies(extractor, text, name):
    assert types_of(extractor, text).get(name) == EntityType.COMPANY


def test_a_club_that_buys_a_player_is_not_made_a_company_by_it(extractor):
    # a club buys players, not organisations: the deal's words say nothing of its kind
    assert types_of(extractor, "Chelsea bought Drogba for £24m.").get("Chelsea") is not EntityType.COMPANY


@pytest.mark.parametrize(("text", "name"), [
    ("Scottish rock band Franz Ferdinand, who shot to prominence in 2004, have won two Brit Awards.",
     "Brit Awards"),  # an event
    ("Producer Mel Gibson will not be using paid advertisements to promote The Passion of the Christ to voters in "
     "next year's Academy Awards.", "Academy Awards"),
    ("Under the US Foreign Corrupt Practices Act, it is a crime for American firms to bribe foreign officials.",
     "Foreign Corrupt Practices Act"),  # a law
    ("Turkish-Austrian consortium TAV was chosen to build and run Tehran's new Imam Khomeini International Airport - "
     "but the army closed it just hours after it opened in May 2004.", "Imam Khomeini International Airport"),
])
def test_an_events_a_laws_or_a_places_name_is_no_organisation(extractor, text, name):
    assert types_of(extractor, text).get(name) is None


@pytest.mark.parametrize(("text", "name"), [
    ("Mike Lake, a spokesman for Yukos, said the company would appeal.", "Mike Lake"),
    ("Barbara Castle, the former minister, died on Monday.", "Barbara Castle"),
])
def test_a_person_named_like_a_place_stays_a_person(extractor, text, name):
    assert types_of(extractor, text).get(name) == EntityType.PERSON


@pytest.mark.parametrize(("text", "name"), [
    ("The next step is for the supreme court to annul the sale altogether, opening the way for Krivorizhstal to be "
     "resold.", "supreme court"),
    ("Mackay's executive board has been in a power struggle with the general committee, which contains members "
     "elected by Scotland's club sides.", "general committee"),
])
def test_words_with_no_capital_letter_are_no_name(extractor, text, name):
    assert name not in types_of(extractor, text)


@pytest.mark.parametrize(("text", "name"), [
    ("Chief Executive Martin Sorrell on Friday told Reuters news agency that WPP had submitted a proposal for United "
     "Business Media's NOP World market research unit.", "NOP World"),
    ("Profits at Barclays rose 20% to £4.6bn. Its Global Investors wing made £347m, an 82% jump on 2003 figures.",
     "Global Investors"),
])
def test_a_companys_unit_is_a_company(extractor, text, name):
    # a company's unit, division, arm or wing reports figures of its own
    assert types_of(extractor, text).get(name) == EntityType.COMPANY
