"""corpus/compare_regkg_counts.py, its `score` half: classes of gold measures, newsfacts states and regkg count
types, and the matching of values, on a tiny hand-made dump and gold (no gdelt-regkg, no network)."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pipeline.types import CountClaim, Interval, Quantity

SCRIPT = Path(__file__).resolve().parents[1] / "corpus" / "compare_regkg_counts.py"
_spec = importlib.util.spec_from_file_location("compare_regkg_counts", SCRIPT)
cmp = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = cmp  # dataclasses look their module up
_spec.loader.exec_module(cmp)

GOLD = [
    {"type": "count", "measure": "killed", "value": 20, "qualifier": "at least"},
    {"type": "count", "measure": "deaths", "value": 150000, "qualifier": None},
    {"type": "count", "measure": "detained", "value": 12, "qualifier": None},
    {"type": "count", "measure": "crowd", "value": 5000, "qualifier": "more than"},
    {"type": "count", "measure": "homeless", "value": 2000000, "qualifier": "millions"},
    {"type": "count", "measure": "votes for", "value": 310, "qualifier": None},
]
DUMP = json.loads(json.dumps([
    # one mention, two labels of one class: counted once
    {"type": "KILL", "number": 20, "object": "people", "start": 9, "end": 30, "trigger_start": 24,
     "text": "20 people were killed"},
    {"type": "CRISISLEX_T03_DEAD", "number": 20, "object": "people", "start": 9, "end": 30, "trigger_start": 24,
     "text": "20 people were killed"},
    # a label of no class: neither for nor against precision
    {"type": "AFFECT", "number": 300, "object": "", "start": 40, "end": 52, "trigger_start": 44,
     "text": "300 affected"},
    # right number, wrong class: 12 were detained, not protesting
    {"type": "PROTEST", "number": 12, "object": "", "start": 60, "end": 74, "trigger_start": 60,
     "text": "12 protesters"},
    {"type": "ARREST", "number": 12, "object": "protesters", "start": 60, "end": 74, "trigger_start": 50,
     "text": "arrested 12 protesters"},
    # CRISISLEX_T08 is 'missing' unless its trigger is 'rescued'
    {"type": "CRISISLEX_T08_MISSINGFOUNDTRAPPEDPEOPLE", "number": 4, "object": "", "start": 80, "end": 97,
     "trigger_start": 89, "text": "four had been rescued"},
]))


@dataclass(frozen=True)
class NewsCount(CountClaim):
    """A CountClaim as the news count extraction will give it: with event and claimant."""

    event: str | None = None
    claimant: str | None = None


def quantity(value: float, low: float | None, high: float | None, qualifier: str | None = None) -> Quantity:
    return Quantity(value, Interval(low, high), qualifier)


def test_classes_of_gold_measures_newsfacts_states_and_regkg_types() -> None:
    assert [cmp.gold_class(g["measure"]) for g in GOLD] == [
        "killed", "killed", "arrested", "protest", "displaced", "votes"]
    for state, cls in (("kill", "killed"), ("wounded", "injured"), ("charged", "arrested"),
                       ("evacuated", "displaced"), ("protesters", "protest"), ("kidnapped", "missing")):
        assert cmp.CLASS_OF[state] == cls
    assert "lay off" not in cmp.CLASS_OF and "leave" not in cmp.CLASS_OF
    assert "votes" not in cmp.BOTH and "seats" not in cmp.BOTH and "killed" in cmp.BOTH
    counts, unclassed = cmp.regkg_counts(DUMP)
    assert sorted((c.cls, c.value) for c in counts) == [
        ("arrested", 12), ("killed", 20), ("protest", 12), ("rescued", 4)]
    assert unclassed == 1  # the AFFECT mention


def test_regkg_scored_by_class_and_value() -> None:
    counts, _ = cmp.regkg_counts(DUMP)
    t = cmp.tally(GOLD, counts)
    assert (t["killed"]["gold"], t["killed"]["found"], t["killed"]["extracted"], t["killed"]["right"]) == (2, 1, 1, 1)
    assert (t["arrested"]["found"], t["arrested"]["right"]) == (1, 1)
    assert (t["protest"]["gold"], t["protest"]["found"], t["protest"]["extracted"], t["protest"]["right"]) == (
        1, 0, 1, 0)
    assert (t["rescued"]["gold"], t["rescued"]["extracted"], t["rescued"]["right"]) == (0, 1, 0)
    assert (t["votes"]["gold"], t["votes"]["found"]) == (1, 0)  # a class regkg has no type for: a miss


def test_newsfacts_intervals_states_and_attributes() -> None:
    claims = [
        # gold's names as state, an event and a claimant
        NewsCount(group="people", state="killed", value=quantity(20, 20, None, "at least"),
                  event="attack", claimant="police"),
        # 'more than 1,000' is an open reading: it does not hold the gold's 5,000
        CountClaim(group="supporters", state="protesters", value=quantity(1000, 1000, None, "more than")),
        # 'millions' as an interval holds the gold's 2,000,000
        CountClaim(group="people", state="homeless", value=quantity(2000000, 2000000, 9999999, "millions")),
        # a business state: no class, not scored
        CountClaim(group="staff", state="lay off", value=quantity(300, 300, 300)),
        # a right class and a wrong value
        CountClaim(group="votes", state="votes for", value=quantity(301, 301, 301)),
    ]
    counts, unclassed = cmp.newsfacts_counts(claims)
    assert unclassed == 1
    assert [c.cls for c in counts] == ["killed", "protest", "displaced", "votes"]
    t = cmp.tally(GOLD, counts)
    total = Counter()
    for row in t.values():
        total.update(row)
    # 2 found: 'at least 20' is 20, not the 150,000 deaths (an open interval holds only its own figure)
    assert (total["gold"], total["found"], total["extracted"], total["right"]) == (6, 2, 4, 2)
    assert (total["right_event"], total["right_claimant"]) == (1, 1)
    rows = cmp.table({"newsfacts": t})
    assert rows[2] == "| newsfacts | all | 6 | 2 | 0.333 | 4 | 2 | 0.500 |"
    assert "| newsfacts | votes (no regkg type) | 1 | 0 | 0.000 | 1 | 0 | 0.000 |" in rows
