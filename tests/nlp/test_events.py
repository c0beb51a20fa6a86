"""Counts of general news read off single sentences: the measure from the grammar around the number, the
group, event, place and claimant, votes, part and whole, and the numbers that are no count of people."""

from __future__ import annotations

import pytest

from pipeline.types import Article, CountClaim


def counts(extractor, text: str) -> list[CountClaim]:
    return [c for c in extractor.extract(Article(source="t", text=text)).claims if isinstance(c, CountClaim)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Twelve people were killed in the earthquake in Nepal on Monday, police said.", [("killed", 12)]),
    ("The fire killed 25 people and injured 40 in Jakarta, officials said.", [("killed", 25), ("injured", 40)]),
    ("According to the health ministry, 30 people died in the floods in Bangladesh.", [("killed", 30)]),
    ("A crowd of 50,000 attended the rally in Madrid.", [("crowd", 50_000)]),
    ("Hundreds of people were evacuated from their homes.", [("evacuated", 200)]),
    ("Police arrested 14 people and charged three of them.", [("arrested", 14)]),
    ("Nine men have been arrested and freed on bail.", [("arrested", 9), ("released", 9)]),
    ("One protester was taken to hospital after the clash.", [("injured", 1)]),
    ("The bill was passed by 310 votes to 219.", [("votes for", 310), ("votes against", 219)]),
    ("The amendment was rejected by 300 votes to 200.", [("votes against", 300), ("votes for", 200)]),
    ("Twelve MPs abstained.", [("abstained", 12)]),
    ("Two of the five arrested were released on bail.", [("released", 2), ("arrested", 5)]),
])
def test_measure_and_figure(extractor, text, expected):
    assert sorted((c.state, c.value.value) for c in counts(extractor, text)) == sorted(expected)


@pytest.mark.parametrize("text", [
    "No one died in the crash, police said.",
    "The side came back to draw 1-1 in the second half.",
    "She won the seat by more than 700 votes.",
    "Both jets are aimed at the 200- to 300-seat market.",
    "Some 270 hunts met on Saturday, killing a total of 91 foxes - only four were killed by hounds.",
    "The company said 2,000 employees were told about the plan, and 40% of staff agreed.",
    "Call 555-0199 for details; the shop is at 12 High Street.",
    "He was one of the few who stayed.",
    "Three of the injured are in a critical condition.",
])
def test_no_count_of_people(extractor, text):
    news = {"killed", "injured", "arrested", "crowd", "votes for", "votes against", "seats", "released",
            "protesters", "cases", "missing", "charged", "detained"}
    assert [(c.state, c.value.value) for c in counts(extractor, text) if c.state in news] == []


def test_group_event_place_and_claimant(extractor):
    (claim,) = counts(extractor, "At least three people from Scotland died in the tsunami disaster in Thailand, "
                                 "the first minister said.")
    assert (claim.state, claim.value.interval.low, claim.value.interval.high) == ("killed", 3, None)
    assert claim.group == "people from Scotland" and claim.event == "tsunami disaster"
    assert claim.place == "Thailand" and claim.claimant == "first minister"
    assert claim.key.subject == "tsunami in Thailand" and claim.key.object == "people from Scotland"


def test_a_count_without_event_and_place_is_not_keyed(extractor):
    (claim,) = counts(extractor, "Four people were killed.")
    assert claim.key.subject is None and not claim.key.complete


def test_background_toll_has_no_claimant(extractor):
    (claim,) = counts(extractor, "Sri Lanka faces a $1.3bn bill for rebuilding after the tsunami which killed more "
                                 "than 30,000 people, its central bank said.")
    assert claim.state == "killed" and claim.claimant is None


def test_part_and_whole(extractor):
    claims = counts(extractor, "Of the 30 people killed in the attack in Kabul, 12 were children.")
    assert sorted((c.state, c.value.value, c.group, c.total) for c in claims) == [
        ("killed", 12, "children", 30), ("killed", 30, "people", None)]


def test_the_claimant_is_who_says_so_past_a_pronoun(extractor):
    (claim,) = counts(extractor, "The Countryside Alliance says it expects up to 4,000 supporters to demonstrate "
                                 "against the hunting ban.")
    assert claim.claimant == "Countryside Alliance"


def test_a_toll_in_a_clause_about_a_place_is_background(extractor):
    claims = counts(extractor, "In India, where more than 2,000 people are thought to have died, the rupee fell 0.1% "
                               "against the dollar, analysts said.")
    assert [(c.state, c.claimant) for c in claims] == [("killed", None)]


@pytest.mark.parametrize("text", [
    "The proposition received approximately 24,000 more yes votes than Proposition 4.",
    "Police said 300 more people died on the roads this year than last year.",
    "Acme will hire 500 more workers than it did last year.",
])
def test_a_number_more_than_another_is_no_count(extractor, text):
    assert counts(extractor, text) == []
