"""Pure reconciliation: claims -> facts (agreeing claims with one key) and contradictions, each with why
and how sure we are."""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from pipeline.types import COMPARABLE_STATUSES, ClaimKey, Interval, human_number

MODELS_DIR = Path(__file__).resolve().parents[2] / "models"

# Claims published within 30 days describe the same moment: a news cycle about one event
# rarely spans more, while a change in headcount or funding is reported months apart.
SAME_TIME_WINDOW_DAYS = 30
# Two disjoint amounts more than 20% apart are a clear error, not a rounding slip.
HIGH_SEVERITY_GAP = 0.20
# Two sentences sharing this share of their words (numbers aside) make one statement in two outlets'
# copies: a wire story and its reprint, or a copy with one figure restated. Calibrated on corpus/open:
# reprints of one BBC story score 0.8-1.0, different stories about the same company 0.1-0.35.
SAME_STATEMENT_SIMILARITY = 0.6
CONFIDENCES = ("high", "medium", "low")
# A claim compared by its statement (no complete key) meets the same statement on the same day only: a wire
# story updated the next day ("12 killed", then "15 killed") is news, not a disagreement.
STATEMENT_WINDOW_DAYS = 0


@dataclass(frozen=True, slots=True)
class ClaimView:
    """What reconciliation needs of a stored claim."""

    uid: str
    kind: str  # ClaimKind value
    topic: str
    measure: str | None
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
    object: str | None = None  # the key's counterparty
    period: str | None = None  # an explicit period; None: the claim's date stands for it
    status: str = "actual"
    keyed: bool = True  # subject and measure known: the claim may be merged and compared
    article: int | None = None  # claims of one article never contradict each other
    subject_explicit: bool = True
    cue: str | None = None  # the word that named the measure
    sentence: str = ""
    fingerprint: str | None = None  # identity independent of the article's version (see claim_fingerprint)
    dated: bool = True  # `when` comes from the article or the sentence, not a guess
    statement: str | None = None  # without a complete key: the statement it is made in (see store.writer)
    claimant: str | None = None  # who the sentence says gave the figure ("police", "the health ministry")

    @property
    def group_key(self) -> tuple:
        return (self.kind, self.topic, self.measure, self.object, self.period, self.status)

    @property
    def identity(self) -> str:
        return self.fingerprint or self.uid

    def key(self) -> ClaimKey:
        return ClaimKey(self.topic, self.measure, self.object, self.period, self.status,
                        self.unit if self.unit != "%" else None)


@dataclass(frozen=True, slots=True)
class FactView:
    kind: str
    topic: str
    measure: str | None
    anchor: str  # identity of its earliest claim: stable across re-runs and new versions of an article
    claims: tuple[str, ...]
    interval: Interval | None
    value: float | None
    unit: str | None
    first_seen: date | None
    last_seen: date | None
    investors: tuple[str, ...] = ()
    object: str | None = None
    period: str | None = None
    status: str = "actual"
    keyed: bool = True
    statement: str | None = None

    @property
    def key(self) -> str:
        if self.statement:
            return f"{self.kind}|statement|{self.statement}|{self.status}|{self.anchor}"
        if not self.keyed:
            return f"{self.kind}|unkeyed|{self.anchor}"
        return f"{self.kind}|{self.topic}|{self.measure}|{self.object or ''}|{self.period or ''}|{self.status}|" \
               f"{self.anchor}"


@dataclass(frozen=True, slots=True)
class Conflict:
    kind: str  # "value mismatch", "arithmetic", "total mismatch"
    claim_a: str
    claim_b: str
    reason: str
    severity: str  # "high" | "medium"
    topic: str
    confidence: str = "medium"  # "high" | "medium" | "low": how sure we are the two claims are comparable
    identity_a: str = ""
    identity_b: str = ""
    # stable across re-ingests and new versions of either article (a reviewer's verdict hangs on it); hashed once,
    # not at each reading: a store compares every conflict of a topic by it for each article that adds to it
    uid: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        a, b = sorted((self.identity_a or self.claim_a, self.identity_b or self.claim_b))
        object.__setattr__(self, "uid", hashlib.sha1(f"{self.kind}|{a}|{b}".encode()).hexdigest()[:20])


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
    articles: set = field(default_factory=set)
    before: int = 0  # its first members: a cluster of the group's earlier claims that this one goes on from (copy)

    def copy(self) -> _Cluster:
        return _Cluster(list(self.claims), self.interval, self.unit, self.proper, self.undated, self.first, self.last,
                        set(self.articles), len(self.claims))

    def add(self, claim: ClaimView) -> None:
        if not self.claims:
            self.unit = claim.unit
        self.claims.append(claim)
        self.articles.add(article_of(claim))
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

    def near_in_time(self, claim: ClaimView, window: int = SAME_TIME_WINDOW_DAYS) -> bool:
        """any(same_time(claim.when, m.when) for m in members), from the members' date range."""
        if claim.period is not None or claim.when is None or self.undated:
            return True  # an explicit period (part of the key) is the moment
        if claim.when >= self.last:
            return same_time(claim.when, self.last, window)
        if claim.when <= self.first:
            return same_time(claim.when, self.first, window)
        return any(same_time(claim.when, o.when, window) for o in self.claims)


def _non_empty(iv: Interval) -> bool:
    if iv.low is None or iv.high is None:
        return True
    return iv.low < iv.high or (iv.low == iv.high and not iv.low_open and not iv.high_open)


def same_time(a: date | None, b: date | None, window: int = SAME_TIME_WINDOW_DAYS) -> bool:
    """Unknown dates are taken as the same moment for merging; confidence() says how sure that is."""
    return a is None or b is None or abs((a - b).days) <= window


def article_of(c: ClaimView):
    """The article a claim comes from; a claim of unknown article stands alone."""
    return c.article if c.article is not None else ("claim", c.uid)


def same_article(a: ClaimView, b: ClaimView) -> bool:
    return a.article is not None and a.article == b.article


def intersection(a: Interval, b: Interval) -> Interval:
    lows = [(x.low, x.low_open) for x in (a, b) if x.low is not None]
    highs = [(x.high, x.high_open) for x in (a, b) if x.high is not None]
    low = max(lows, key=lambda p: (p[0], p[1])) if lows else (None, False)
    high = min(highs, key=lambda p: (p[0], not p[1])) if highs else (None, False)
    return Interval(low[0], high[0], low[1], high[1])


def agree(a: ClaimView, b: ClaimView) -> bool:
    """Same key: do their numbers admit a common value (and unit)?"""
    if a.unit != b.unit:
        return False
    if a.interval is None or b.interval is None:
        return True
    return a.interval.intersects(b.interval)


# ---------------------------------------------------------------- confidence

_WORD = re.compile(r"[a-z]+")


# Sentences whose word sets are kept, and pairs of sentences whose similarity is: a contradiction is shown
# with its most alike pair of sentences, so every member of two facts meets every member of the other, and
# a topic is reconciled again for each article that adds to it. A story's count topic holds a few hundred
# sentences (thousands of pairs). Bounded, so that a long ingest keeps its memory flat: a story's sentences are
# not met again once it ends (a new article brings ~1 sentence and ~6 pairs), and at most ~3 MB are kept (a
# sentence's words take ~2 KB), filled within ~1,500 articles.
SENTENCE_WORDS_CACHE = 1024
SENTENCE_PAIRS_CACHE = 4096


@functools.lru_cache(maxsize=SENTENCE_WORDS_CACHE)
def _words(sentence: str) -> frozenset[str]:
    return frozenset(_WORD.findall(sentence.lower()))


@functools.lru_cache(maxsize=SENTENCE_PAIRS_CACHE)
def similarity(a: str, b: str) -> float:
    """Share of words two sentences have in common, numbers aside (Jaccard over lowercase words)."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    common = len(wa & wb)
    return common / (len(wa) + len(wb) - common)


def confidence(a: ClaimView, b: ClaimView, alike: float | None = None) -> str:
    """How sure we are that two claims measure the same thing at the same time.

    Evidence: the time (an explicit period both state, or both articles dated within the window), the
    subject (named in both sentences, not carried over from context), the wording (the same word names the
    measure in both). One statement in two outlets' copies (near-identical sentences) is evidence of all
    three. Without time evidence a conflict is low; with all three high; with time and one more, medium.
    `alike`: similarity(a.sentence, b.sentence), when the caller has it already.
    """
    if alike is None:
        alike = similarity(a.sentence, b.sentence)
    same_statement = bool(a.sentence and b.sentence) and alike >= SAME_STATEMENT_SIMILARITY
    time = same_statement or a.period is not None or (
        a.dated and b.dated and a.when is not None and b.when is not None and same_time(a.when, b.when))
    subject = a.subject_explicit and b.subject_explicit
    wording = same_statement or (a.cue is not None and a.cue == b.cue)
    if not time:
        return "low"
    if subject and wording:
        return "high"
    return "medium" if subject or wording else "low"


# ---------------------------------------------------------------- facts and value conflicts

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


def comparable(c: ClaimView) -> bool:
    return c.keyed and bool(c.topic) and bool(c.measure) and c.status in COMPARABLE_STATUSES


def reconcile(claims: list[ClaimView]) -> Reconciliation:
    """Group claims into facts per key; flag what cannot all be true. A claim without a complete key
    (subject or measure unknown, a hypothetical or prior figure, a figure of no measure) is never merged with
    or set against claims of a key: it meets only the same statement in another outlet's copy, the same day."""
    claims = _attach_orgless_roles(claims)
    by_key: dict[tuple, list[ClaimView]] = defaultdict(list)
    by_statement: dict[tuple, list[ClaimView]] = defaultdict(list)
    facts: list[FactView] = []
    # ordered by date, then by content (the uid): the same claims give the same facts whatever the paths
    for c in sorted(claims, key=lambda c: (c.when or date.min, c.uid)):
        if comparable(c):
            by_key[c.group_key].append(c)
        elif c.statement:  # the same statement in two copies disagrees whatever its status ("would be cut")
            by_statement[(c.kind, c.topic, c.statement, c.status)].append(c)
        else:
            cl = _Cluster()
            cl.add(c)
            facts.append(_fact(c.group_key, cl, keyed=False))
    conflicts: list[Conflict] = []
    count_clusters: list[_Cluster] = []
    for group_key, group in sorted(by_key.items(), key=lambda kv: tuple(str(p) for p in kv[0])):
        clusters, group_facts, group_conflicts = _group(group_key, group)
        facts.extend(group_facts)
        conflicts.extend(group_conflicts)
        if group_key[0] == "count":
            count_clusters.extend(clusters)
    # Claims without a complete key meet only the same statement in another outlet's copy, the same day.
    for (_kind, _topic, statement, _status), group in sorted(by_statement.items()):
        _, group_facts, group_conflicts = _group(group[0].group_key, group, STATEMENT_WINDOW_DAYS, statement)
        facts.extend(group_facts)
        conflicts.extend(group_conflicts)
    # Arithmetic runs over facts, not claims: two articles saying "11 left" are one fact, and
    # "4 remain" against it is one contradiction, not one per article.
    conflicts.extend(count_conflicts(count_clusters))
    return Reconciliation(tuple(facts), tuple(_unique(conflicts)))


def _group(group_key: tuple, group: list[ClaimView], window: int = SAME_TIME_WINDOW_DAYS,
           statement: str | None = None) -> tuple[list[_Cluster], tuple[FactView, ...], tuple[Conflict, ...]]:
    """The clusters of a group of claims (one key, or one statement: `statement`), their facts and value conflicts."""
    ident = tuple(map(id, group))
    key = ("group", window, statement, ident)
    kept = _KEPT.get(key)
    if kept is None:
        # the claims are in order (by date, then uid): a group an article adds to usually gets its claims last, and
        # clustering goes on from the clusters its claims so far gave (the same clusters as starting over)
        last = (window, statement, group_key)
        before = _LAST.get(last)
        if before is not None and ident[:len(before[0])] == before[0]:
            clusters = _cluster(group[len(before[0]):], window, [cl.copy() for cl in before[1]])
        else:
            clusters = _cluster(group, window)
        keyed = statement is None
        facts = tuple(_kept_fact(group_key, cl, keyed, statement) for cl in clusters)
        kept = _remember(key, (clusters, facts, tuple(_value_conflicts(clusters, window))), group)
        _LAST.pop(last, None)
        forget_oldest(_LAST, LAST_GROUPS)
        _LAST[last] = (ident, clusters, tuple(group))  # the claims are kept: their ids name them
    return kept[0]


# The last clusters of each group (by key, or statement), to go on from when an article adds claims to it; bounded,
# the group written longest ago forgotten first (a story's groups are written again by its next articles).
LAST_GROUPS = 512
_LAST: dict[tuple, tuple] = {}


def _cluster(group: list[ClaimView], window: int = SAME_TIME_WINDOW_DAYS,
             clusters: list[_Cluster] | None = None) -> list[_Cluster]:
    """Each claim joins the first cluster it agrees with, in order; `clusters`: those of the claims before these."""
    clusters = [] if clusters is None else clusters
    for claim in group:
        for cl in clusters:
            if cl.agrees_with_all(claim) and cl.near_in_time(claim, window):
                cl.add(claim)
                break
        else:
            cl = _Cluster()
            cl.add(claim)
            clusters.append(cl)
    return clusters


def _fact(group_key: tuple, cl: _Cluster, keyed: bool = True, statement: str | None = None) -> FactView:
    kind, topic, measure, obj, period, status = group_key
    dates = [c.when for c in cl.claims if c.when]
    # The most precise claim stands for the fact ("$2.1 billion" over "more than $2 billion").
    best = min(cl.claims, key=lambda c: _width(c.interval))
    return FactView(
        kind=kind, topic=topic, measure=measure, anchor=cl.claims[0].identity,
        claims=tuple(c.uid for c in cl.claims), interval=cl.interval, value=best.value,
        unit=best.unit, first_seen=min(dates) if dates else None,
        last_seen=max(dates) if dates else None,
        investors=tuple(dict.fromkeys(i for c in cl.claims for i in c.investors)),
        object=obj, period=period, status=status, keyed=keyed, statement=statement)


def _kept_fact(group_key: tuple, cl: _Cluster, keyed: bool, statement: str | None) -> FactView:
    """_fact, kept by the cluster's members: a group an article adds to keeps most of its clusters."""
    return _kept_result(("fact", group_key, keyed, statement, tuple(map(id, cl.claims))),
                        lambda: _fact(group_key, cl, keyed=keyed, statement=statement), cl.claims)


def _width(iv: Interval | None) -> float:
    if iv is None or iv.low is None or iv.high is None:
        return float("inf")
    return iv.high - iv.low


def _value_conflicts(clusters: list[_Cluster], window: int = SAME_TIME_WINDOW_DAYS) -> list[Conflict]:
    out = []
    idents = [tuple(map(id, cl.claims)) for cl in clusters]
    for (x, ix), (y, iy) in itertools.combinations(zip(clusters, idents, strict=True), 2):
        found = _kept_result(("value", window, ix, iy), functools.partial(_value_conflict, x, y, window), x.claims,
                             y.claims)
        if found is not None:
            out.append(found)
    return out


def _value_conflict(x: _Cluster, y: _Cluster, window: int) -> Conflict | None:
    # Two facts conflict through a pair of claims from two articles about the same moment: "€105 million
    # in June 2023" and "€600 million in June 2024" are two rounds on a timeline, not a contradiction.
    # An article that gives both figures for one key is giving two things the key cannot tell apart
    # (a firm's sales and its group's): the pair must come from an article that states one figure only.
    only_x = x.articles - y.articles
    only_y = y.articles - x.articles
    pairs = [(a, b) for a in x.claims for b in y.claims
             if (article_of(a) in only_x or article_of(b) in only_y) and not same_article(a, b)
             and (a.period is not None or same_time(a.when, b.when, window)) and not agree(a, b)
             and not an_update(a, b)]
    if not pairs:
        return None
    a, b = most_comparable(pairs)
    if a.unit != b.unit and a.unit and b.unit:
        # "€1.7 billion" and "$2 billion" are the same round in two outlets' currencies; without
        # an exchange rate for that day no verdict is honest, so both stand as separate facts.
        return None
    return _conflict("value mismatch", a, b, _mismatch_reason(a, b), _severity(a, b))


# What reconciling depends on is a group's claims alone: a group's clusters, facts and value conflicts, and the pair
# a contradiction between two facts is shown with. A topic is reconciled again for each article that adds to it,
# while most of its groups and facts keep their claims: these results are kept by the claims' identities (the
# claims are kept with the result, so their ids name them while it is kept; a ClaimView is immutable, and the
# store's connection keeps the same views from one article to the next). Bounded, the oldest forgotten first: an
# article adds ~50 results, and the next articles of its stories use them; a few thousand are enough, and more
# would hold more claims for Python's garbage collector to go over at each full collection.
KEPT_RESULTS = 4096
_KEPT: dict[tuple, tuple] = {}


def _kept_result(key: tuple, make, *members):
    """The result kept under `key`, else `make()`'s, kept (see _remember)."""
    kept = _KEPT.get(key)
    return (kept if kept is not None else _remember(key, make(), *members))[0]


def _remember(key: tuple, result, *members) -> tuple:
    """Keep `result` under `key` (ids of `members`): the entry holds the members, so no other object takes an id."""
    forget_oldest(_KEPT, KEPT_RESULTS)
    entry = _KEPT[key] = (result, *map(tuple, members))
    return entry


# Entries a full dictionary of kept results forgets at once, as a share of its size: finding a dictionary's oldest key
# steps over the slots its deleted keys left at the front until it is resized, so forgetting one entry per new one
# stepped over hundreds of empty slots each time (2.5% of the samples of a store-only run); a batch steps over them
# once.
FORGET_SHARE = 16


def forget_oldest(kept: dict, size: int) -> None:
    """Make room for one more: the oldest entries go (a dict keeps its keys in the order they were put in), a
    sixteenth of `size` at a time."""
    if len(kept) >= size:
        for key in list(itertools.islice(kept, len(kept) - size + 1 + size // FORGET_SHARE)):
            del kept[key]


@functools.cache
def _events_vocabulary() -> dict:
    """The `events` section of models/measures.json (read once: both lookups below are cached)."""
    return json.loads((MODELS_DIR / "measures.json").read_text(encoding="utf-8"))["events"]


@functools.cache
def cumulative_measures() -> frozenset[str]:
    """Counts of an event that only grow as it is reported (models/measures.json, events.cumulative)."""
    return frozenset(_events_vocabulary()["cumulative"])


def _dated_apart(a: ClaimView, b: ClaimView) -> bool:
    return a.dated and b.dated and a.when is not None and b.when is not None and a.when != b.when


def an_update(a: ClaimView, b: ClaimView) -> bool:
    """A later, larger toll of the same event ("12 killed" on Monday, "15 killed" on Tuesday) is news, not a
    disagreement; a later, smaller one is (see _mismatch_reason)."""
    if a.kind != "count" or a.measure not in cumulative_measures() or not _dated_apart(a, b):
        return False
    early, late = sorted((a, b), key=lambda c: c.when)
    if early.interval is None or late.interval is None:
        return True
    return early.interval.low is None or late.interval.high is None or late.interval.high >= early.interval.low


def _mismatch_reason(a: ClaimView, b: ClaimView) -> str:
    what = "the same statement in two articles" if a.statement else a.key().describe()
    if a.kind == "count" and a.measure in cumulative_measures() and _dated_apart(a, b):
        early, late = sorted((a, b), key=lambda c: c.when)
        return (f"{what}: {_said(early)} on {early.when} but {_said(late)} on {late.when}: a toll that goes "
                "down is a disagreement, not an update")
    if a.claimant or b.claimant:
        # "police: 5,000; organisers: 20,000" -- two sources of one figure, the classic crowd case
        return f"{what}: {_said(a)} vs {_said(b)}: the sources disagree"
    noun = "figures" if a.statement else "amounts"
    return f"{what}: {_says(a)} vs {_says(b)}: the {noun} cannot both be true"


def _said(c: ClaimView) -> str:
    return f"{c.claimant}: {_says(c)}" if c.claimant else _says(c)


def most_comparable(pairs: list[tuple[ClaimView, ClaimView]]) -> tuple[ClaimView, ClaimView]:
    """The pair a contradiction is shown with: the most confident, then the most alike sentences, then by
    content (so the choice does not depend on ingest order or file paths)."""
    def rank(pair: tuple[ClaimView, ClaimView]) -> tuple:
        a, b = pair
        alike = similarity(a.sentence, b.sentence)
        return CONFIDENCES.index(confidence(a, b, alike)), -alike, a.uid, b.uid

    return min(pairs, key=rank)


def _conflict(kind: str, a: ClaimView, b: ClaimView, reason: str, severity: str) -> Conflict:
    return Conflict(kind, a.uid, b.uid, reason, severity, a.topic, confidence(a, b), a.identity, b.identity)


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


@dataclass(frozen=True, slots=True)
class _CountFact:
    """One count cluster: its representative claim (the cluster's interval) and its members."""

    rep: ClaimView
    members: tuple[ClaimView, ...]
    ident: tuple[int, ...] = ()  # the members' identities (_KEPT)
    before: int = 0  # its first members: the fact of the group's earlier claims it goes on from (_Cluster.before)

    def pair_with(self, other: _CountFact) -> tuple[ClaimView, ClaimView] | None:
        """Two members from different articles about the same moment, the most comparable pair first."""
        return _kept_result(("pair", self.ident, other.ident), lambda: self._pair_with(other), self.members,
                            other.members)

    def _pair_with(self, other: _CountFact) -> tuple[ClaimView, ClaimView] | None:
        # the most comparable of all pairs is the most comparable of the pair kept for earlier members of the two
        # facts and the pairs with a member added since: the ranking is a total order (it ends with both uids)
        earlier, i, j = self._earlier("pair", other)
        if earlier is None:
            pairs = [(a, b) for a in self.members for b in other.members if _pairable(a, b)]
        else:
            pairs = list(self._pairs_since(other, i, j))
            if earlier[0] is not None:
                pairs.append(earlier[0])
        return most_comparable(pairs) if pairs else None

    def _earlier(self, what: str, other: _CountFact) -> tuple[tuple | None, int, int]:
        """The result kept for the first i members of this fact and the first j of the other, with i and j: each fact
        as it is or as it went on from (`before`). A fact a new article left as it was keeps the `before` of when it
        last grew, so the result of the previous article is the one with this fact's earlier members and all of the
        other's, or the other way round."""
        n, m = len(self.members), len(other.members)
        for i, j in ((self.before, m), (n, other.before), (self.before, other.before)):
            if i and j and (i, j) != (n, m):
                earlier = _KEPT.get((what, self.ident[:i], other.ident[:j]))
                if earlier is not None:
                    return earlier, i, j
        return None, 0, 0

    def _pairs_since(self, other: _CountFact, i: int, j: int):
        """The pairable members of the two facts with at least one member after the first i of this fact and j of the
        other."""
        yield from ((a, b) for a in self.members[i:] for b in other.members if _pairable(a, b))
        yield from ((a, b) for a in self.members[:i] for b in other.members[j:] if _pairable(a, b))

    def can_pair_with(self, other: _CountFact) -> bool:
        """pair_with(other) is not None, without ranking every pair (that is for a conflict to be shown)."""
        return _kept_result(("can pair", self.ident, other.ident), lambda: self._can_pair_with(other), self.members,
                            other.members)

    def _can_pair_with(self, other: _CountFact) -> bool:
        earlier, i, j = self._earlier("can pair", other)
        if earlier is None:
            return any(_pairable(a, b) for a in self.members for b in other.members)
        return earlier[0] or any(True for _ in self._pairs_since(other, i, j))


def _count_fact(cl: _Cluster) -> _CountFact:
    ident = tuple(map(id, cl.claims))

    def make() -> _CountFact:
        totals = [c.total for c in cl.claims if c.total is not None]
        rep = replace(cl.claims[0], interval=cl.interval, total=totals[0] if totals else None)
        return _CountFact(rep, tuple(cl.claims), ident, cl.before)

    return _kept_result(("count fact", ident), make, cl.claims)


def _pairable(a: ClaimView, b: ClaimView) -> bool:
    return not same_article(a, b) and same_time(a.when, b.when) and a.status == b.status and a.period == b.period


def count_conflicts(clusters: list[_Cluster]) -> list[Conflict]:
    """remain + left = total; joined <= left; every part <= total; totals agree."""
    out: list[Conflict] = []
    by_group: dict[str, list[_CountFact]] = defaultdict(list)
    events: dict[tuple[str, str], list[_CountFact]] = defaultdict(list)
    for cl in clusters:
        fact = _count_fact(cl)
        rep = fact.rep
        if rep.measure in event_measures():
            # an event's counts: a part's total is the whole of its own measure, never of another
            events[(rep.topic, rep.measure)].append(fact)
        else:
            by_group[rep.topic].append(fact)
    out.extend(_event_count_conflicts(events))
    for group, members in by_group.items():
        with_total = [f for f in members if f.rep.total is not None]
        # each rule is tested first; the pair a conflict is shown with is ranked only for a conflict. What a rule
        # finds between two facts depends on their members (and the total it assumes) alone: kept (_KEPT)
        for x, y in itertools.combinations(with_total, 2):
            if x.rep.total != y.rep.total:
                found = _kept(("total", x.ident, y.ident), _total_mismatch, group, x, y)
                if found is not None:
                    out.append(found)
        remain = [f for f in members if f.rep.state == "remain"]
        left = [f for f in members if f.rep.state == "leave"]
        joined = [f for f in members if f.rep.state == "join"]
        for r, lv in itertools.product(remain, left):
            if not _orgs_match(r.rep.org, lv.rep.org):
                continue
            total = r.rep.total if r.rep.total is not None else lv.rep.total
            if total is None and with_total:
                total = with_total[0].rep.total
            if total is None or r.rep.interval is None or lv.rep.interval is None:
                continue
            found = _kept(("remain", r.ident, lv.ident, total), _remain_and_left, group, r, lv, total)
            if found is not None:
                out.append(found)
        for j, lv in itertools.product(joined, left):
            if j.rep.org == lv.rep.org:
                continue
            found = _kept(("joined", j.ident, lv.ident), _joined_and_left, group, j, lv)
            if found is not None:
                out.append(found)
        for part in members:
            whole = next((t for t in with_total if t is not part and t.rep.total is not None
                          and t.can_pair_with(part)), None)
            if whole is None:
                continue
            found = _kept(("part", part.ident, whole.ident), _part_and_whole, group, part, whole)
            if found is not None:
                out.append(found)
    return out


def _kept(key: tuple, rule, group: str, x: _CountFact, y: _CountFact, *args) -> Conflict | None:
    """What `rule` finds between two count facts, kept by their members' identities (and what else `key` holds)."""
    return _kept_result(key, lambda: rule(group, x, y, *args), x.members, y.members)


def _total_mismatch(group: str, x: _CountFact, y: _CountFact) -> Conflict | None:
    pair = x.pair_with(y)
    if pair is None:
        return None
    return _conflict("total mismatch", *pair, f"the {group} number {x.rep.total} in one article and {y.rep.total} "
                     "in another", "high")


def _remain_and_left(group: str, r: _CountFact, lv: _CountFact, total: int) -> Conflict | None:
    both = r.rep.interval + lv.rep.interval
    if both.intersects(Interval.exact(total)) or (pair := r.pair_with(lv)) is None:
        return None
    return _conflict("arithmetic", *pair, f"{_n(r.rep.interval)} remain + {_n(lv.rep.interval)} left != {total}: "
                     f"together they make {_n(both)}, but the {group} number {total}", "high")


def _joined_and_left(group: str, j: _CountFact, lv: _CountFact) -> Conflict | None:
    ji, li = j.rep.interval, lv.rep.interval
    if not (ji and li and ji.low is not None and li.high is not None and ji.low > li.high) \
            or (pair := j.pair_with(lv)) is None:
        return None
    return _conflict(
        "arithmetic", *pair,
        f"{_n(ji)} joined {j.rep.org or 'elsewhere'} but only {_n(li)} left {lv.rep.org or 'at all'}: those who "
        f"joined must be among those who left ({_n(ji)} > {_n(li)})", "high")


def _part_and_whole(group: str, part: _CountFact, whole: _CountFact) -> Conflict | None:
    iv = part.rep.interval
    if not (iv and iv.low is not None and iv.low > whole.rep.total):
        return None
    return _conflict("arithmetic", *part.pair_with(whole),
                     f"{_n(iv)} {part.rep.state} is more than the whole group of {whole.rep.total} {group}", "high")


@functools.cache
def event_measures() -> frozenset[str]:
    """The count measures of general news (models/measures.json, events): killed, arrested, crowd, ..."""
    data = _events_vocabulary()
    names = {m for key in ("patient_verbs", "subject_verbs", "adjectives", "nouns", "of_nouns")
             for m in data[key]}
    return frozenset(names | {"votes for", "votes against", "abstained", "seats"})


def _event_count_conflicts(events: dict[tuple[str, str], list[_CountFact]]) -> list[Conflict]:
    """One event's counts of one measure: a group's count ("12 of the dead were children") cannot exceed the
    count of all ("10 people were killed"), nor a part its own stated whole ("12 of the 30 killed")."""
    out = []
    for (topic, measure), members in events.items():
        whole = [f for f in members if not f.rep.object]
        for part in members:
            iv = part.rep.interval
            if not part.rep.object or iv is None or iv.low is None:
                continue
            for w in whole:
                w_iv = w.rep.interval
                if w_iv is not None and w_iv.high is not None and iv.low > w_iv.high \
                        and (pair := part.pair_with(w)) is not None:
                    out.append(_conflict(
                        "arithmetic", *pair,
                        f"{topic}: {_n(iv)} {part.rep.object} {measure} is more than the {_n(w_iv)} {measure} in "
                        "all", "high"))
            totals = [t for t in members if t.rep.total is not None and t is not part]
            for t in totals:
                if t.rep.total < iv.low and (pair := part.pair_with(t)) is not None:
                    out.append(_conflict(
                        "arithmetic", *pair,
                        f"{topic}: {_n(iv)} {part.rep.object} {measure} is more than the {t.rep.total} {measure} "
                        "another article counts in all", "high"))
    return out


def _unique(conflicts: list[Conflict]) -> list[Conflict]:
    seen: dict[str, Conflict] = {}
    for c in conflicts:
        seen.setdefault(c.uid, c)
    return list(seen.values())
