"""Sentence table: real-world phrasings -> the structured claim a reader would write down."""

from __future__ import annotations

import pytest

from pipeline.types import Article, CountClaim, MoneyClaim, PercentageClaim, RoleClaim


def claims_of(extractor, sentence: str):
    return extractor.extract(Article(source="t", text=sentence)).claims


FUNDING = [
    ("Acme Robotics raised $12 million in a Series A round led by Sequoia Capital.",
     {"company": "Acme Robotics", "value": 12e6, "unit": "USD", "round": "series a",
      "investors": {"Sequoia Capital"}, "leads": {"Sequoia Capital"}}),
    ("Mistral AI, a Paris-based startup backed by $2 billion in funding from firms like Andreessen Horowitz and Salesforce, is growing.",
     {"company": "Mistral AI", "value": 2e9, "unit": "USD", "round": None,
      "investors": {"Andreessen Horowitz", "Salesforce"}}),
    ("Backed by $2 billion in funding, Mistral AI is rapidly gaining ground.",
     {"company": "Mistral AI", "value": 2e9, "unit": "USD", "round": None, "investors": set()}),
    ("Anthropic has raised more than $2 billion from Google.",
     {"company": "Anthropic", "value": 2e9, "unit": "USD", "qualifier": "more than", "investors": {"Google"}}),
    ("Helsing raised €450m in a Series C round led by General Catalyst.",
     {"company": "Helsing", "value": 450e6, "unit": "EUR", "round": "series c", "leads": {"General Catalyst"}}),
    ("The startup Poolside raised $500 million in a Series B, with participation from Nvidia.",
     {"company": "Poolside", "value": 500e6, "round": "series b", "investors": {"Nvidia"}}),
    ("Databricks closed a $10bn funding round led by Thrive Capital.",
     {"company": "Databricks", "value": 10e9, "unit": "USD", "leads": {"Thrive Capital"}}),
]

MONEY_KINDS = [
    ("OpenAI was valued at $157 billion in its latest round.", "valuation"),
    ("Snowflake reported revenue of $3.4 billion for the fiscal year.", "revenue"),
    ("Meta was fined €1.2 billion by the Irish regulator.", "money"),
    ("Apple paid $3 billion to acquire Beats.", "money"),
    ("Acme raised $5 million in seed funding.", "funding"),
]

COUNTS = [
    ("Eleven of the 14 scientists who contributed to the seminal 2023 Llama paper have now left Meta.",
     {"group": "llama paper researchers", "state": "leave", "value": 11, "total": 14, "org": "Meta"}),
    ("Only three of the 14 researchers credited on the 2023 Llama paper remain employed at Meta.",
     {"group": "llama paper researchers", "state": "remain", "value": 3, "total": 14, "org": "Meta"}),
    ("Five of the Llama paper's co-authors have joined Mistral in the past 18 months.",
     {"group": "llama paper researchers", "state": "join", "value": 5, "org": "Mistral AI"}),
    ("Of the 11 researchers who left Meta since the Llama paper's publication, most had been with the company for years.",
     {"group": "llama paper researchers", "state": "leave", "value": 11, "org": "Meta"}),
    ("Six of the eight Google researchers who wrote the Transformer paper have left Google.",
     {"state": "leave", "value": 6, "total": 8, "org": "Google"}),
    ("Twelve of the 20 engineers have joined OpenAI.",
     {"group": "engineers", "state": "join", "value": 12, "total": 20, "org": "OpenAI"}),
]

PERCENTAGES = [
    ("Meta's stock has declined by 18% over the past 18 months.",
     {"subject": "Meta", "measure": "stock price", "direction": "down", "value": 18}),
    ("Mistral's valuation has surged by 300% since its Series A in early 2024.",
     {"subject": "Mistral AI", "measure": "valuation", "direction": "up", "value": 300}),
    ("Nvidia shares rose 4.5% on Tuesday.",
     {"subject": "Nvidia", "measure": "stock price", "direction": "up", "value": 4.5}),
]

ROLES = [
    ("Mistral hired Marjorie Janiewicz, former chief revenue officer at Foursquare, as its first U.S. general manager.",
     {"person": "Marjorie Janiewicz", "role": "chief revenue officer", "org": "Foursquare", "former": True}),
    ("Mistral AI, a startup founded by former Meta researchers Guillaume Lample and Timothée Lacroix, is growing.",
     {"person": "Timothée Lacroix", "role": "co-founder", "org": "Mistral AI"}),
]

NEGATIVES = [
    "The company was founded in 2023 and employs people in Paris.",
    "Most had been with the company for more than five years.",
    "Meta's Llama 3 faces criticism for lacking focused applications.",
    "The AI industry's talent wars have reached a boiling point.",
    "It took 25 minutes to read the report.",
]


@pytest.mark.parametrize(("sentence", "want"), FUNDING, ids=[s[:40] for s, _ in FUNDING])
def test_funding(extractor, sentence, want):
    found = [c for c in claims_of(extractor, sentence) if isinstance(c, MoneyClaim)]
    assert len(found) == 1, found
    c = found[0]
    assert c.subject == want["company"]
    assert c.amount.value == pytest.approx(want["value"])
    assert c.amount.unit == want.get("unit", c.amount.unit)
    assert c.round == want.get("round", c.round)
    assert c.amount.qualifier == want.get("qualifier")
    if "investors" in want:
        assert set(c.investors) == want["investors"]
    if "leads" in want:
        assert set(c.lead_investors) == want["leads"]


@pytest.mark.parametrize(("sentence", "kind"), MONEY_KINDS, ids=[s[:40] for s, _ in MONEY_KINDS])
def test_money_is_classified(extractor, sentence, kind):
    found = [c for c in claims_of(extractor, sentence) if isinstance(c, MoneyClaim)]
    assert [c.kind.value for c in found] == [kind]


@pytest.mark.parametrize(("sentence", "want"), COUNTS, ids=[s[:40] for s, _ in COUNTS])
def test_count(extractor, sentence, want):
    found = [c for c in claims_of(extractor, sentence) if isinstance(c, CountClaim)]
    assert len(found) == 1, found
    c = found[0]
    assert c.state == want["state"]
    assert c.value.value == want["value"]
    assert c.total == want.get("total")
    assert c.org == want["org"]
    if "group" in want:
        assert c.group == want["group"]


@pytest.mark.parametrize(("sentence", "want"), PERCENTAGES, ids=[s[:40] for s, _ in PERCENTAGES])
def test_percentage(extractor, sentence, want):
    found = [c for c in claims_of(extractor, sentence) if isinstance(c, PercentageClaim)]
    assert len(found) == 1, found
    c = found[0]
    assert (c.subject, c.measure_name, c.direction, c.value.value) == (
        want["subject"], want["measure"], want["direction"], want["value"])


@pytest.mark.parametrize(("sentence", "want"), ROLES, ids=[s[:40] for s, _ in ROLES])
def test_role(extractor, sentence, want):
    found = [c for c in claims_of(extractor, sentence)
             if isinstance(c, RoleClaim) and c.person == want["person"]]
    assert any(c.role == want["role"] and c.org == want["org"] and c.former == want.get("former", False)
               for c in found), found


@pytest.mark.parametrize("sentence", NEGATIVES, ids=[s[:40] for s in NEGATIVES])
def test_no_claim(extractor, sentence):
    found = [c for c in claims_of(extractor, sentence) if not isinstance(c, RoleClaim)]
    assert found == []


def test_offsets_point_at_the_claim(extractor):
    text = "Acme\n\nAcme Robotics raised $12 million in a Series A round led by Sequoia Capital."
    (claim,) = [c for c in extractor.extract(Article(source="t", text=text)).claims
                if isinstance(c, MoneyClaim)]
    assert text[claim.evidence.start:claim.evidence.end] == "$12 million"
    assert text[claim.evidence.sent_start:].startswith(claim.evidence.sentence)


def test_a_head_of_states_title_is_no_role_at_the_company_of_the_story(extractor):
    text = ("Titan Corp has agreed to pay $28.5m.\n\n"
            "The Titan corporation was accused of funnelling more than $2m into the 2001 re-election campaign of "
            "President Mathieu Kerekou.")
    roles = [c for c in extractor.extract(Article(source="t", text=text)).claims if isinstance(c, RoleClaim)]
    assert all(c.org != "Titan Corp" and c.org != "Titan" for c in roles), roles
