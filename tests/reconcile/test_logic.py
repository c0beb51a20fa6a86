"""The reconciler's verdicts on claim sets, without a database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from pipeline.nlp.numbers import parse_quantity
from pipeline.reconcile.logic import ClaimView, reconcile

D = date(2025, 6, 1)


def count(uid, state, text, total=None, org="Meta", when=D, group="llama paper researchers"):
    q = parse_quantity(text)
    return ClaimView(uid=uid, kind="count", topic=group, measure=f"{state}:{org or ''}",
                     interval=q.interval, value=q.value, qualifier=q.qualifier, text=text, when=when,
                     state=state, org=org, total=total)


def money(uid, text, when=D, company="Mistral AI", measure="funding:total"):
    q = parse_quantity(text)
    return ClaimView(uid=uid, kind="funding", topic=company, measure=measure, interval=q.interval,
                     value=q.value, unit=q.unit, qualifier=q.qualifier, text=text, when=when)


def pct(uid, text, when=D):
    q = parse_quantity(text, unit="%")
    return ClaimView(uid=uid, kind="percentage", topic="Meta", measure="stock price:down",
                     interval=q.interval, value=q.value, unit="%", text=text, when=when)


CASES = [
    # (id, claims, expected number of facts, expected conflict kinds, words the reason must hold)
    ("seed: 3 of 14 remain + 11 of 14 left", [count("a", "remain", "three", 14), count("b", "leave", "eleven", 14)],
     2, [], None),
    ("4 of 14 remain + 11 left", [count("a", "remain", "four", 14), count("b", "leave", "eleven", 14)],
     2, ["arithmetic"], "4 remain + 11 left != 14"),
    ("5 joined Mistral, 11 left Meta", [count("a", "join", "five", org="Mistral AI"), count("b", "leave", "11", 14)],
     2, [], None),
    ("12 joined Mistral, 11 left Meta", [count("a", "join", "12", org="Mistral AI"), count("b", "leave", "11", 14)],
     2, ["arithmetic"], "12 joined Mistral AI but only 11 left Meta"),
    ("the same count twice is one fact", [count("a", "leave", "11", 14), count("b", "leave", "Eleven")],
     1, [], None),
    ("11 left vs 9 left, same week", [count("a", "leave", "11"), count("b", "leave", "9")],
     2, ["value mismatch"], '"11" vs "9"'),
    ("11 left in June, 13 left in December: a change over time",
     [count("a", "leave", "11", when=date(2025, 6, 1)), count("b", "leave", "13", when=date(2025, 12, 1))],
     2, [], None),
    ("totals disagree", [count("a", "remain", "3", 14), count("b", "leave", "11", 15)],
     2, ["total mismatch"], "number 15 in one article and 14 in another"),
    ("a part larger than another article's whole", [count("a", "leave", "15"), count("b", "remain", "3", 14)],
     2, ["arithmetic"], None),
    ("one claim alone never contradicts itself", [count("a", "leave", "15", 14)], 1, [], None),
    ("more than $2 billion vs $2.1 billion agree", [money("a", "more than $2 billion"), money("b", "$2.1 billion")],
     1, [], None),
    ("$2 billion vs $2.05 billion: rounding", [money("a", "$2 billion"), money("b", "$2.05 billion")], 1, [], None),
    ("$2 billion vs $1.5 billion contradict", [money("a", "$2 billion"), money("b", "$1.5 billion")],
     2, ["value mismatch"], "USD 2 billion"),
    ("different rounds never conflict", [money("a", "$2 billion"), money("b", "$500 million", measure="funding:series b")],
     2, [], None),
    ("nearly $3 billion vs $3 billion: 'nearly' excludes the number",
     [money("a", "nearly $3 billion"), money("b", "$3.2 billion")], 2, ["value mismatch"], None),
    ("about 50 vs 54 agree", [count("a", "leave", "about 50"), count("b", "leave", "54")], 1, [], None),
    ("up to 10 vs 12 contradict", [count("a", "leave", "up to 10"), count("b", "leave", "12")],
     2, ["value mismatch"], None),
    ("EUR vs USD same round: no exchange rate, no verdict", [money("a", "€1.7 billion"), money("b", "$2 billion")],
     2, [], None),
    ("18% vs 18.3% agree", [pct("a", "18%"), pct("b", "18.3%")], 1, [], None),
    ("18% vs 25% contradict", [pct("a", "18%"), pct("b", "25%")], 2, ["value mismatch"], None),
    ("$2B in January vs $6B in October: new funding, not a conflict",
     [money("a", "$2 billion", when=date(2025, 1, 10)), money("b", "$6 billion", when=date(2025, 10, 10))],
     2, [], None),
]


@pytest.mark.parametrize(("claims", "n_facts", "kinds", "reason"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_verdicts(claims, n_facts, kinds, reason):
    result = reconcile(claims)
    assert len(result.facts) == n_facts
    assert sorted(c.kind for c in result.conflicts) == sorted(kinds)
    if reason:
        assert any(reason in c.reason for c in result.conflicts), [c.reason for c in result.conflicts]


@pytest.mark.parametrize(("claims", "n_facts", "kinds", "reason"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_verdicts_do_not_depend_on_order(claims, n_facts, kinds, reason):
    forward = reconcile(claims)
    backward = reconcile(list(reversed(claims)))
    assert {c.uid for c in forward.conflicts} == {c.uid for c in backward.conflicts}
    assert {f.claims for f in forward.facts} == {f.claims for f in backward.facts}


def test_fact_keeps_every_supporting_claim():
    result = reconcile([count("a", "join", "five", org="Mistral AI", when=date(2025, 5, 31)),
                        count("b", "join", "Five", org="Mistral AI", when=date(2025, 6, 1))])
    (fact,) = result.facts
    assert fact.claims == ("a", "b")
    assert (fact.first_seen, fact.last_seen) == (date(2025, 5, 31), date(2025, 6, 1))


def test_contradiction_identity_is_stable():
    claims = [count("a", "remain", "four", 14), count("b", "leave", "eleven", 14)]
    assert [c.uid for c in reconcile(claims).conflicts] == [c.uid for c in reconcile(claims).conflicts]


# ---------------------------------------------------------------- keys, articles, statuses, confidence

def keyed(uid, text, article, *, topic="Acme", measure="revenue", status="actual", period=None, keyed=True,
          sentence="", cue="revenue", explicit=True, when=D, dated=True):
    q = parse_quantity(text)
    return ClaimView(uid=uid, kind="money", topic=topic, measure=measure, interval=q.interval, value=q.value,
                     unit=q.unit, qualifier=q.qualifier, text=text, when=when, status=status, period=period,
                     keyed=keyed, article=article, sentence=sentence, cue=cue, subject_explicit=explicit,
                     dated=dated)


KEY_CASES = [
    ("one article's two figures for a key never contradict each other",
     [keyed("a", "$5bn", 1), keyed("b", "$9bn", 1)], []),
    ("two outlets' figures for one key do", [keyed("a", "$5bn", 1), keyed("b", "$9bn", 2)], ["value mismatch"]),
    ("an estimate never contradicts an actual",
     [keyed("a", "$5bn", 1), keyed("b", "$9bn", 2, status="estimate")], []),
    ("prior guidance never contradicts new guidance: guidance of one period compares with guidance only",
     [keyed("a", "$5bn", 1, status="guidance"), keyed("b", "$9bn", 2, status="actual")], []),
    ("a hypothetical figure is not a fact", [keyed("a", "$5bn", 1), keyed("b", "$9bn", 2, status="hypothetical")], []),
    ("a claim without a complete key is never compared",
     [keyed("a", "$5bn", 1, keyed=False), keyed("b", "$9bn", 2, keyed=False)], []),
    ("different explicit periods are different keys",
     [keyed("a", "$5bn", 1, period="2004"), keyed("b", "$9bn", 2, period="2003")], []),
    ("the same explicit period compares however far apart the articles",
     [keyed("a", "$5bn", 1, period="2004", when=date(2005, 2, 1)),
      keyed("b", "$9bn", 2, period="2004", when=date(2005, 9, 1))], ["value mismatch"]),
    ("two outlets each stating both figures (a key that cannot tell two things apart) raise nothing",
     [keyed("a", "$5bn", 1), keyed("b", "$9bn", 1), keyed("c", "$5bn", 2), keyed("d", "$9bn", 2)], []),
    ("an outlet that states only one of them is set against the other",
     [keyed("a", "$5bn", 1), keyed("b", "$9bn", 2), keyed("c", "$5bn", 2)], ["value mismatch"]),
]


@pytest.mark.parametrize(("claims", "kinds"), [c[1:] for c in KEY_CASES], ids=[c[0] for c in KEY_CASES])
def test_only_claims_with_one_key_from_two_articles_conflict(claims, kinds):
    assert sorted(c.kind for c in reconcile(claims).conflicts) == kinds


SAME = "Acme Holdings said its annual revenue rose to {} in 2004, helped by demand from carmakers."


@pytest.mark.parametrize(("a", "b", "want"), [
    # one statement in two outlets' copies: time, subject and wording all agree
    (keyed("a", "$5bn", 1, sentence=SAME.format("$5bn"), dated=False, when=None),
     keyed("b", "$9bn", 2, sentence=SAME.format("$9bn"), dated=False, when=None), "high"),
    # dated the same week, subject named in both, the same word for the measure
    (keyed("a", "$5bn", 1, sentence="Acme's revenue was $5bn."),
     keyed("b", "$9bn", 2, sentence="Revenue at Acme hit $9bn, it said."), "high"),
    # a synonym ("sales" for "revenue"): medium
    (keyed("a", "$5bn", 1, sentence="Acme's revenue was $5bn."),
     keyed("b", "$9bn", 2, cue="sales", sentence="Sales at Acme hit $9bn, it said."), "medium"),
    # the subject carried over from another sentence, and a synonym: low
    (keyed("a", "$5bn", 1, sentence="Its revenue was $5bn.", explicit=False),
     keyed("b", "$9bn", 2, cue="sales", sentence="Sales at Acme hit $9bn, it said."), "low"),
    # undated articles, different sentences: nothing says they speak of the same moment
    (keyed("a", "$5bn", 1, sentence="Acme's revenue was $5bn.", dated=False, when=None),
     keyed("b", "$9bn", 2, sentence="Revenue at Acme hit $9bn, it said.", dated=False, when=None), "low"),
])
def test_confidence_comes_from_the_evidence_behind_the_key(a, b, want):
    (conflict,) = reconcile([a, b]).conflicts
    assert conflict.confidence == want
    assert "Acme, revenue" in conflict.reason  # the reason names the key


def test_contradiction_identity_does_not_depend_on_the_article_version():
    one = [keyed("v1:a", "$5bn", 1), keyed("v1:b", "$9bn", 2)]
    # the same claims after an edit elsewhere in article 2: new uids, the same fingerprints
    two = [keyed("v1:a", "$5bn", 1), keyed("v2:b", "$9bn", 3)]
    one = [replace(c, fingerprint=f"fp-{c.uid[-1]}") for c in one]
    two = [replace(c, fingerprint=f"fp-{c.uid[-1]}") for c in two]
    assert [c.uid for c in reconcile(one).conflicts] == [c.uid for c in reconcile(two).conflicts]


STATEMENT = "Officials said the blaze destroyed {} homes across the valley before crews contained it."


@pytest.mark.parametrize(("second_day", "kinds"), [
    (D, ["value mismatch"]),  # another outlet's copy of the statement, the same day, another figure
    (date(2025, 6, 2), []),  # the next day: an updated story, not a disagreement
])
def test_claims_without_a_key_meet_only_the_same_statement_the_same_day(second_day, kinds):
    a = replace(keyed("a", "40", 1, topic=None, keyed=False, sentence=STATEMENT.format(40)), statement="s1")
    b = replace(keyed("b", "55", 2, topic=None, keyed=False, sentence=STATEMENT.format(55), when=second_day),
                statement="s1")
    other = replace(keyed("c", "70", 3, topic=None, keyed=False, sentence="x"), statement="s2")
    conflicts = reconcile([a, b, other]).conflicts
    assert sorted(c.kind for c in conflicts) == kinds
    assert all("the same statement in two articles" in c.reason for c in conflicts)


def test_the_same_hypothetical_statement_with_two_figures_disagrees():
    """'104,000 jobs would be cut' in one copy, '130,000' in another: what was said differs, whatever its status;
    against an actual figure of another statement it is never set."""
    a = replace(keyed("a", "104,000", 1, keyed=False, status="hypothetical"), statement="s1")
    b = replace(keyed("b", "130,000", 2, keyed=False, status="hypothetical"), statement="s1")
    actual = keyed("c", "90,000", 3)
    assert [c.kind for c in reconcile([a, b, actual]).conflicts] == ["value mismatch"]


# ---------------------------------------------------------------- counts of an event: tolls over time, claimants

def toll(uid, text, article, *, measure="killed", when=D, claimant=None, topic="earthquake in Nepal", group=None,
         total=None):
    q = parse_quantity(text)
    return ClaimView(uid=uid, kind="count", topic=topic, measure=measure, interval=q.interval, value=q.value,
                     qualifier=q.qualifier, text=text, when=when, state=measure, article=article, object=group,
                     total=total, claimant=claimant, sentence=f"{text} people were killed in the earthquake",
                     cue="kill")


TOLL_CASES = [
    ("a later, larger toll is an update",
     [toll("a", "12", 1, when=date(2025, 6, 1)), toll("b", "15", 2, when=date(2025, 6, 2))], [], None),
    ("a toll that goes down is a disagreement, with both dates",
     [toll("a", "150", 1, when=date(2025, 6, 1)), toll("b", "120", 2, when=date(2025, 6, 3))],
     ["value mismatch"], '"150" on 2025-06-01 but "120" on 2025-06-03: a toll that goes down'),
    ("two tolls on one day from two claimants: both named",
     [toll("a", "12", 1, claimant="police"), toll("b", "30", 2, claimant="the health ministry")],
     ["value mismatch"], 'police: "12"'),
    ("the classic crowd case: police 5,000, organisers 20,000",
     [toll("a", "5,000", 1, measure="crowd", claimant="police"),
      toll("b", "20,000", 2, measure="crowd", claimant="organisers")],
     ["value mismatch"], 'police: "5000" vs organisers: "20000": the sources disagree'),
    ("a crowd is no toll: a later, larger crowd of the same event still disagrees",
     [toll("a", "5,000", 1, measure="crowd", when=date(2025, 6, 1)),
      toll("b", "20,000", 2, measure="crowd", when=date(2025, 6, 2))], ["value mismatch"], None),
    ("at least 20 then 25: an update", [toll("a", "at least 20", 1, when=date(2025, 6, 1)),
                                       toll("b", "25", 2, when=date(2025, 6, 2))], [], None),
    ("two events are two keys", [toll("a", "12", 1), toll("b", "30", 2, topic="flood in Nepal")], [], None),
    ("12 of the dead were children, but 10 were killed in all",
     [toll("a", "12", 1, group="children"), toll("b", "10", 2)], ["arithmetic"],
     "earthquake in Nepal: 12 children killed is more than the 10 killed in all"),
    ("12 children among 30 killed agree", [toll("a", "12", 1, group="children"), toll("b", "30", 2)], [], None),
    ("a part beyond another article's stated whole",
     [toll("a", "12", 1, group="children", total=30), toll("b", "40", 2, group="women", total=45)],
     ["arithmetic"], "40 women killed is more than the 30 killed another article counts in all"),
    ("two measures of one event never meet as part and whole",
     [toll("a", "2", 1, measure="released", group="arrested", total=5), toll("b", "1", 2, measure="arrested")],
     [], None),
]


@pytest.mark.parametrize(("claims", "kinds", "reason"), [c[1:] for c in TOLL_CASES], ids=[c[0] for c in TOLL_CASES])
def test_tolls(claims, kinds, reason):
    result = reconcile(claims)
    assert sorted(c.kind for c in result.conflicts) == kinds, [c.reason for c in result.conflicts]
    if reason:
        assert reason in result.conflicts[0].reason
    assert {c.uid for c in reconcile(list(reversed(claims))).conflicts} == {c.uid for c in result.conflicts}
