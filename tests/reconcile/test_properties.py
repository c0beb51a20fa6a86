"""Properties of the reconciler over generated claim sets: symmetry and order independence."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.nlp.numbers import parse_quantity
from pipeline.reconcile.logic import ClaimView, agree, reconcile, same_time
from pipeline.types import Interval

# Deterministic and quick enough for every CI run (the verdict table in test_logic.py pins
# the expected outcomes; these look for the claim sets nobody wrote down).
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, derandomize=True)

D = date(2025, 6, 1)
# Same week, same month, and months apart: around the 30-day "same moment" window.
OFFSETS = [0, 3, 29, 31, 120]

bounds = st.one_of(st.none(), st.integers(min_value=-50, max_value=50).map(float))


@st.composite
def intervals(draw) -> Interval:
    low, high = draw(bounds), draw(bounds)
    if low is not None and high is not None and low > high:
        low, high = high, low
    return Interval(low, high, draw(st.booleans()), draw(st.booleans()))


QUALIFIERS = ["", "more than ", "at least ", "about ", "nearly ", "up to ", "fewer than ", "only "]


@st.composite
def money_claims(draw, uid: str) -> ClaimView:
    qualifier = draw(st.sampled_from(QUALIFIERS))
    number = draw(st.sampled_from(["1.9", "2", "2.05", "2.1", "2.5", "3", "500"]))
    scale = draw(st.sampled_from(["million", "billion"]))
    symbol = draw(st.sampled_from(["$", "$", "€"]))
    text = f"{qualifier}{symbol}{number} {scale}"
    q = parse_quantity(text)
    return ClaimView(uid=uid, kind="funding", topic="Mistral AI",
                     measure=draw(st.sampled_from(["funding:total", "funding:total", "funding:series b"])),
                     interval=q.interval, value=q.value, unit=q.unit, qualifier=q.qualifier, text=text,
                     when=D + timedelta(days=draw(st.sampled_from(OFFSETS))),
                     investors=tuple(draw(st.lists(st.sampled_from(["Nvidia", "ASML", "a16z"]), max_size=2))))


@st.composite
def count_claims(draw, uid: str) -> ClaimView:
    qualifier = draw(st.sampled_from(QUALIFIERS))
    text = f"{qualifier}{draw(st.integers(min_value=1, max_value=16))}"
    q = parse_quantity(text)
    state = draw(st.sampled_from(["remain", "leave", "join"]))
    org = draw(st.sampled_from(["Meta", "Meta", "Mistral AI", None]))
    return ClaimView(uid=uid, kind="count", topic="llama paper researchers", measure=f"{state}:{org or ''}",
                     interval=q.interval, value=q.value, qualifier=q.qualifier, text=text,
                     when=D + timedelta(days=draw(st.sampled_from(OFFSETS))), state=state, org=org,
                     total=draw(st.sampled_from([None, None, 14, 15])))


@st.composite
def claim_sets(draw, max_size: int = 7) -> list[ClaimView]:
    n = draw(st.integers(min_value=1, max_value=max_size))
    kind = draw(st.sampled_from([money_claims, count_claims]))
    return [draw(kind(f"c{i:02d}")) for i in range(n)]


def verdict(claims: list[ClaimView]):
    """What a reconciliation says, independent of list order: facts and contradictions by identity."""
    result = reconcile(claims)
    facts = frozenset((f.key, frozenset(f.claims), f.interval, f.value, f.first_seen, f.last_seen)
                      for f in result.facts)
    conflicts = frozenset((c.uid, c.kind, frozenset((c.claim_a, c.claim_b)), c.reason, c.severity)
                          for c in result.conflicts)
    return facts, conflicts


@PROPERTY_SETTINGS
@given(a=intervals(), b=intervals())
def test_interval_intersection_is_symmetric(a, b):
    assert a.intersects(b) == b.intersects(a)
    assert a.intersects(a) or (a.low == a.high and (a.low_open or a.high_open))


@PROPERTY_SETTINGS
@given(pair=claim_sets(max_size=2).filter(lambda cs: len(cs) == 2))
def test_a_contradicts_b_iff_b_contradicts_a(pair):
    a, b = pair
    assert agree(a, b) == agree(b, a)
    assert verdict([a, b]) == verdict([b, a])
    if a.kind == "funding" and a.measure == b.measure:
        conflicting = {frozenset((c.claim_a, c.claim_b)) for c in reconcile([a, b]).conflicts}
        # two amounts for one round in one currency, stated in one news cycle, contradict exactly when no
        # value fits both; amounts in two currencies get no verdict without an exchange rate
        assert (frozenset(("c00", "c01")) in conflicting) == (
            same_time(a.when, b.when) and not agree(a, b) and a.unit == b.unit)


@PROPERTY_SETTINGS
@given(data=st.data(), claims=claim_sets())
def test_any_ingest_order_gives_the_same_facts_and_contradictions(data, claims):
    shuffled = data.draw(st.permutations(claims))
    assert verdict(shuffled) == verdict(claims)


@PROPERTY_SETTINGS
@given(claims=claim_sets())
def test_facts_partition_the_claims_and_agree_inside(claims):
    result = reconcile(claims)
    supporting = [uid for f in result.facts for uid in f.claims]
    assert sorted(supporting) == sorted(c.uid for c in claims)  # every claim in exactly one fact
    by_uid = {c.uid: c for c in claims}
    for fact in result.facts:
        members = [by_uid[u] for u in fact.claims]
        assert all(agree(x, y) for x in members for y in members)
        if fact.interval is not None:
            # the fact's interval is a value every supporting claim allows
            assert all(m.interval.intersects(fact.interval) for m in members if m.interval is not None)
    for conflict in result.conflicts:
        assert conflict.claim_a != conflict.claim_b


def _cluster_by_members(group: list[ClaimView]) -> list[list[str]]:
    """The clustering rule written out member by member (what logic._cluster computes from summaries)."""
    clusters: list[list[ClaimView]] = []
    for claim in group:
        for members in clusters:
            if all(agree(claim, o) for o in members) and any(same_time(claim.when, o.when) for o in members):
                members.append(claim)
                break
        else:
            clusters.append([claim])
    return [[c.uid for c in members] for members in clusters]


@PROPERTY_SETTINGS
@given(claim_sets(max_size=12))
def test_clustering_from_summaries_equals_member_by_member(claims):
    from pipeline.reconcile.logic import _cluster

    for measure in {c.measure for c in claims}:
        group = sorted((c for c in claims if c.measure == measure), key=lambda c: (c.when or date.min, c.uid))
        assert [[c.uid for c in cl.claims] for cl in _cluster(group)] == _cluster_by_members(group)
