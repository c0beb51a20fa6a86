"""Pure reconciliation: the claims about one topic -> facts (agreeing claims) and contradictions."""

from __future__ import annotations

import hashlib
import itertools
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date

from pipeline.types import Interval, human_number

# Claims published within 30 days describe the same moment: a news cycle about one event
# rarely spans more, while a change in headcount or funding is reported months apart.
SAME_TIME_WINDOW_DAYS = 30
# Two disjoint amounts more than 20% apart are a clear error, not a rounding slip.
HIGH_SEVERITY_GAP = 0.20


@dataclass(frozen=True, slots=True)
class ClaimView:
    """What reconciliation needs of a stored claim."""

    uid: str
    kind: str  # ClaimKind value
    topic: str
    measure: str
    interval: Interval | None = None
    value: float | None = None
    unit: str | None = None
    qualifier: str | None = None
    text: str = ""
    when: date | None = None
    state: str | None = None  # counts
    org: str | None = None  # counts (left *Meta*), roles
    total: int | None = None  # counts
    investors: tuple[str, ...] = ()  # funding


@dataclass(frozen=True, slots=True)
class FactView:
    kind: str
    topic: str
    measure: str
    anchor: str  # uid of its earliest claim: a stable identity across re-runs
    claims: tuple[str, ...]
    interval: Interval | None
    value: float | None
    unit: str | None
    first_seen: date | None
    last_seen: date | None
    investors: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.kind}|{self.topic}|{self.measure}|{self.anchor}"


@dataclass(frozen=True, slots=True)
class Conflict:
    kind: str  # "value mismatch", "arithmetic", "total mismatch"
    claim_a: str
    claim_b: str
    reason: str
    severity: str  # "high" | "medium"
    topic: str

    @property
    def uid(self) -> str:
        a, b = sorted((self.claim_a, self.claim_b))
        return hashlib.sha1(f"{self.kind}|{a}|{b}".encode()).hexdigest()[:20]


@dataclass(frozen=True, slots=True)
class Reconciliation:
    facts: tuple[FactView, ...] = ()
    conflicts: tuple[Conflict, ...] = ()


@dataclass
class _Cluster:
    claims: list[ClaimView] = field(default_factory=list)
    interval: Interval | None = None
    # Summaries that let a new claim be tested against the cluster, not against each member:
    unit: str | None = None
    proper: bool = True  # every member's interval is non-empty (so Helly's theorem applies, below)
    undated: bool = False
    first: date | None = None
    last: date | None = None

    def add(self, claim: ClaimView) -> None:
        if not self.claims:
            self.unit = claim.unit
        self.claims.append(claim)
        if claim.interval is not None:
            self.interval = claim.interval if self.interval is None else intersection(self.interval, claim.interval)
            self.proper = self.proper and _non_empty(claim.interval)
        if claim.when is None:
            self.undated = True
        else:
            self.first = claim.when if self.first is None else min(self.first, claim.when)
            self.last = claim.when if self.last is None else max(self.last, claim.when)

    def agrees_with_all(self, claim: ClaimView) -> bool:
        """all(agree(claim, m) for m in members), without visiting the members when it can.

        Members agree pairwise, so they share one unit; non-empty intervals that pairwise intersect
        have a common part (Helly's theorem in one dimension), so the claim agrees with every member
        exactly when it meets their intersection.
        """
        if claim.unit != self.unit:
            return False
        if claim.interval is None or self.interval is None:
            return True
        if self.proper and _non_empty(claim.interval):
            return claim.interval.intersects(self.interval)
        return all(agree(claim, other) for other in self.claims)

    def near_in_time(self, claim: ClaimView) -> bool:
        """any(same_time(claim.when, m.when) for m in members), from the members' date range."""
        if claim.when is None or self.undated:
            return True
        if claim.when >= self.last:
            return same_time(claim.when, self.last)
        if claim.when <= self.first:
            return same_time(claim.when, self.first)
        return any(same_time(claim.when, o.when) for o in self.claims)


def _non_empty(iv: Interval) -> bool:
    if iv.low is None or iv.high is None:
        return True
    return iv.low < iv.high or (iv.low == iv.high and not iv.low_open and not iv.high_open)


def same_time(a: date | None, b: date | None) -> bool:
    """Unknown dates are taken as the same moment: a conflict is better shown than hidden."""
    return a is None or b is None or abs((a - b).days) <= SAME_TIME_WINDOW_DAYS


def intersection(a: Interval, b: Interval) -> Interval:
    lows = [(x.low, x.low_open) for x in (a, b) if x.low is not None]
    highs = [(x.high, x.high_open) for x in (a, b) if x.high is not None]
    low = max(lows, key=lambda p: (p[0], p[1])) if lows else (None, False)
    high = min(highs, key=lambda p: (p[0], not p[1])) if highs else (None, False)
    return Interval(low[0], high[0], low[1], high[1])


def agree(a: ClaimView, b: ClaimView) -> bool:
    """Same subject and measure: do their numbers admit a common value (and unit)?"""
    if a.unit != b.unit:
        return False
    if a.interval is None or b.interval is None:
        return True
    return a.interval.intersects(b.interval)


def _attach_orgless_roles(claims: list[ClaimView]) -> list[ClaimView]:
    """'co-founder Lample' (no company named) is the same fact as 'co-founder Lample of Mistral AI'."""
    named = defaultdict(set)
    for c in claims:
        if c.kind == "role" and c.org:
            named[(c.topic, c.measure.split(":")[0])].add(c.measure)
    out = []
    for c in claims:
        if c.kind == "role" and not c.org and len(named[(c.topic, c.measure.split(":")[0])]) == 1:
            measure = next(iter(named[(c.topic, c.measure.split(":")[0])]))
            c = replace(c, measure=measure, org=measure.split(":", 1)[1])
        out.append(c)
    return out


def reconcile(claims: list[ClaimView]) -> Reconciliation:
    """Group claims into facts per (kind, topic, measure); flag what cannot all be true."""
    claims = _attach_orgless_roles(claims)
    by_key: dict[tuple[str, str, str], list[ClaimView]] = defaultdict(list)
    for c in sorted(claims, key=lambda c: (c.when or date.min, c.uid)):
        by_key[(c.kind, c.topic, c.measure)].append(c)
    facts: list[FactView] = []
    conflicts: list[Conflict] = []
    count_facts: list[ClaimView] = []
    for (kind, topic, measure), group in sorted(by_key.items()):
        clusters = _cluster(group)
        facts.extend(_fact(kind, topic, measure, cl) for cl in clusters)
        conflicts.extend(_value_conflicts(clusters))
        if kind == "count":
            count_facts.extend(_representative(cl) for cl in clusters)
    # Arithmetic runs over facts, not claims: two articles saying "11 left" are one fact, and
    # "4 remain" against it is one contradiction, not one per article.
    conflicts.extend(count_conflicts(count_facts))
    return Reconciliation(tuple(facts), tuple(_unique(conflicts)))


def _representative(cl: _Cluster) -> ClaimView:
    totals = [c.total for c in cl.claims if c.total is not None]
    return replace(cl.claims[0], interval=cl.interval, total=totals[0] if totals else None)


def _cluster(group: list[ClaimView]) -> list[_Cluster]:
    clusters: list[_Cluster] = []
    for claim in group:
        for cl in clusters:
            if cl.agrees_with_all(claim) and cl.near_in_time(claim):
                cl.add(claim)
                break
        else:
            cl = _Cluster()
            cl.add(claim)
            clusters.append(cl)
    return clusters


def _fact(kind: str, topic: str, measure: str, cl: _Cluster) -> FactView:
    dates = [c.when for c in cl.claims if c.when]
    # The most precise claim stands for the fact ("$2.1 billion" over "more than $2 billion").
    best = min(cl.claims, key=lambda c: _width(c.interval))
    return FactView(
        kind=kind, topic=topic, measure=measure, anchor=cl.claims[0].uid,
        claims=tuple(c.uid for c in cl.claims), interval=cl.interval, value=best.value,
        unit=best.unit, first_seen=min(dates) if dates else None,
        last_seen=max(dates) if dates else None,
        investors=tuple(dict.fromkeys(i for c in cl.claims for i in c.investors)))


def _width(iv: Interval | None) -> float:
    if iv is None or iv.low is None or iv.high is None:
        return float("inf")
    return iv.high - iv.low


def _value_conflicts(clusters: list[_Cluster]) -> list[Conflict]:
    out = []
    for x, y in itertools.combinations(clusters, 2):
        # Two facts conflict through a pair of claims about the same moment: "€105 million in June
        # 2023" and "€600 million in June 2024" are two rounds on a timeline, not a contradiction.
        pair = next(((a, b) for a in x.claims for b in y.claims
                     if same_time(a.when, b.when) and not agree(a, b)), None)
        if pair is None:
            continue
        a, b = pair
        if a.unit != b.unit and a.unit and b.unit:
            # "€1.7 billion" and "$2 billion" are the same round in two outlets' currencies; without
            # an exchange rate for that day no verdict is honest, so both stand as separate facts.
            continue
        reason = f"{_says(a)} vs {_says(b)}: the amounts cannot both be true"
        out.append(Conflict("value mismatch", a.uid, b.uid, reason, _severity(a, b), a.topic))
    return out


def _severity(a: ClaimView, b: ClaimView) -> str:
    if a.value and b.value:
        gap = abs(a.value - b.value) / max(abs(a.value), abs(b.value))
        return "high" if gap > HIGH_SEVERITY_GAP else "medium"
    return "medium"


def _says(c: ClaimView) -> str:
    number = human_number(c.value) if c.value is not None else "?"
    unit = f"{c.unit} " if c.unit and c.unit != "%" else ""
    pct = "%" if c.unit == "%" else ""
    qual = f"{c.qualifier} " if c.qualifier else ""
    return f'"{qual}{unit}{number}{pct}"'


# ---------------------------------------------------------------- part/whole arithmetic

def _orgs_match(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def _n(iv: Interval) -> str:
    if iv.low is not None and iv.low == iv.high:
        return human_number(iv.low)
    return str(iv)


def count_conflicts(claims: list[ClaimView]) -> list[Conflict]:
    """remain + left = total; joined <= left; every part <= total; totals agree."""
    out: list[Conflict] = []
    by_group: dict[str, list[ClaimView]] = defaultdict(list)
    for c in claims:
        by_group[c.topic].append(c)
    for group, members in by_group.items():
        totals = [c for c in members if c.total is not None]
        for a, b in itertools.combinations(totals, 2):
            if a.total != b.total and same_time(a.when, b.when):
                out.append(Conflict("total mismatch", a.uid, b.uid,
                                    f"the {group} number {a.total} in one article and {b.total} "
                                    "in another", "high", group))
        remain = [c for c in members if c.state == "remain"]
        left = [c for c in members if c.state == "leave"]
        joined = [c for c in members if c.state == "join"]
        for r, lv in itertools.product(remain, left):
            if not (_orgs_match(r.org, lv.org) and same_time(r.when, lv.when)):
                continue
            total = r.total if r.total is not None else lv.total
            if total is None and totals:
                total = totals[0].total
            if total is None or r.interval is None or lv.interval is None:
                continue
            both = r.interval + lv.interval
            if not both.intersects(Interval.exact(total)):
                out.append(Conflict(
                    "arithmetic", r.uid, lv.uid,
                    f"{_n(r.interval)} remain + {_n(lv.interval)} left != {total}: together they make "
                    f"{_n(both)}, but the {group} number {total}",
                    "high", group))
        for j, lv in itertools.product(joined, left):
            if j.org == lv.org or not same_time(j.when, lv.when):
                continue
            if j.interval and lv.interval and j.interval.low is not None and lv.interval.high is not None \
                    and j.interval.low > lv.interval.high:
                out.append(Conflict(
                    "arithmetic", j.uid, lv.uid,
                    f"{_n(j.interval)} joined {j.org or 'elsewhere'} but only {_n(lv.interval)} "
                    f"left {lv.org or 'at all'}: those who joined must be among those who left "
                    f"({_n(j.interval)} > {_n(lv.interval)})", "high", group))
        for part in members:
            total = next((t.total for t in totals if same_time(t.when, part.when)), None)
            if total is not None and part.interval and part.interval.low is not None \
                    and part.interval.low > total:
                other = next(t for t in totals if t.total == total)
                if other.uid == part.uid:
                    continue  # "15 of 14" in one sentence is a misreading, not two sources
                out.append(Conflict(
                    "arithmetic", part.uid, other.uid,
                    f"{_n(part.interval)} {part.state} is more than the whole group of {total} {group}",
                    "high", group))
    return out


def _unique(conflicts: list[Conflict]) -> list[Conflict]:
    seen: dict[str, Conflict] = {}
    for c in conflicts:
        seen.setdefault(c.uid, c)
    return list(seen.values())
