"""Score extraction against a hand-written gold file: precision, recall and F1 per claim and entity type."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.fetch.folder import read_file
from pipeline.nlp.extract import Extractor, without_legal_form
from pipeline.types import (
    Article,
    ClaimKind,
    CountClaim,
    EntityType,
    Extraction,
    FigureClaim,
    Interval,
    MoneyClaim,
    PercentageClaim,
    RoleClaim,
)

# A money claim matches gold when the gold value lies in the claim's interval or within this share of
# its point value: "$2 billion" in the text vs 2,000,000,000 in gold are one claim whatever the rounding.
VALUE_TOLERANCE = 0.005
# Percentages are written with at most one decimal in news copy ("18.5%").
PERCENT_TOLERANCE = 0.05

# figures of no measure are never written down in gold: they are not scored
CLAIM_TYPES = tuple(k.value for k in ClaimKind if k is not ClaimKind.FIGURE)
ENTITY_TYPES = tuple(t.value for t in EntityType)


@dataclass(frozen=True, slots=True)
class GoldArticle:
    """What a person read off one article: every entity and every claim of the types scored."""

    path: Path
    entities: dict[str, frozenset[str]]  # entity type -> names
    claims: tuple[dict, ...]
    note: str = ""
    # the claim types this gold writes down (its header's "types"); others are not scored
    types: tuple[str, ...] = CLAIM_TYPES
    # the measures this gold writes down for its counts (its header's "measures"); None: all of them
    measures: frozenset[str] | None = None


@dataclass(slots=True)
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.misses += other.misses
        self.spurious += other.spurious


@dataclass(frozen=True, slots=True)
class Evaluation:
    scores: dict[str, Score]  # "claim:funding", "entity:person", ..., "claims (all)", "entities (all)"
    articles: int

    def rows(self) -> list[dict]:
        def fmt(x: float | None) -> float | None:
            return round(x, 3) if x is not None else None
        return [{"type": name, "tp": s.tp, "fp": s.fp, "fn": s.fn, "precision": fmt(s.precision),
                 "recall": fmt(s.recall), "f1": fmt(s.f1)} for name, s in self.scores.items()]


def load_gold(path: Path) -> list[GoldArticle]:
    """One JSON object per line: {"article": path relative to the gold file, "entities": {...}, "claims": [...]}."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"cannot read gold file: {exc.strerror or exc}", where=str(path)) from exc
    gold = []
    types = CLAIM_TYPES
    measures: frozenset[str] | None = None
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            obj = json.loads(line)
            if "_doc" in obj:  # a header: which claim types the file writes down
                types = tuple(obj.get("types", CLAIM_TYPES))
                measures = frozenset(obj["measures"]) if "measures" in obj else None
                continue
            entities = {t: frozenset(obj.get("entities", {}).get(t, [])) for t in ENTITY_TYPES}
            claims = tuple(obj.get("claims", []))
            for claim in claims:
                if claim.get("type") not in CLAIM_TYPES:
                    raise ValueError(f"unknown claim type {claim.get('type')!r}")
            gold.append(GoldArticle(path=path.parent / obj["article"], entities=entities, claims=claims,
                                    note=obj.get("note", ""), types=types, measures=measures))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ConfigError(f"line {number}: {exc}", where=str(path)) from exc
    if not gold:
        raise ConfigError("no gold articles", where=str(path))
    return gold


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").casefold() == (b or "").casefold()


def _same_entity(a: str | None, b: str | None) -> bool:
    """One entity under two names as an article writes them: equal, one the start of the other ("SBC" for
    "SBC Communications"), or an acronym of it; a legal form is no part of the name ("News Corp", "News
    Corporation")."""
    if a is None or b is None:
        return a is None and b is None
    if without_legal_form(a).casefold() == without_legal_form(b).casefold():
        return True
    x, y = sorted((" ".join(a.casefold().split()), " ".join(b.casefold().split())), key=len)
    if x == y or x.replace(" ", "") == y.replace(" ", "") or y.startswith(x + " ") or y.endswith(" " + x):
        return True
    return len(x) >= 2 and "".join(w[0] for w in y.split() if w[:1].isalpha()) == x.replace(".", "")


def money_measure_of(claim: MoneyClaim) -> str:
    """The measure a money claim states, as the gold files name it ("funding", "valuation", "other" ...)."""
    if claim.kind is ClaimKind.FUNDING:
        return "investment" if claim.contributor else "funding"
    if claim.kind is ClaimKind.VALUATION:
        return "valuation"
    return claim.measure_id or "other"


def _period_matches(claim_period: str | None, gold: dict) -> bool:
    return "period" not in gold or (claim_period or None) == (gold["period"] or None)


def _names_in(wanted, found) -> bool:
    """Every investor the gold names is among those extracted (more may be found)."""
    have = {n.casefold() for n in found}
    return all(n.casefold() in have for n in wanted)


def _value_matches(claim_value, gold_value: float, tolerance: float) -> bool:
    if claim_value.interval.intersects(Interval.exact(gold_value)):
        return True
    return abs(claim_value.value - gold_value) <= tolerance * max(abs(gold_value), 1e-9)


# Gold names of general-news count measures that newsfacts files under another ("deaths" are the killed,
# as in GDELT's KILL).
NEWS_MEASURE_ALIASES = {"deaths": "killed", "dead": "killed"}


def news_measure(name: str) -> str:
    return NEWS_MEASURE_ALIASES.get(name, name)


def _count_value_matches(quantity, gold: dict) -> bool:
    """The figure the text gives ('more than 250' is 250), or a gold value inside a bounded reading of it
    ('between 2,000 and 4,000', 'hundreds'); an open-ended 'at least 20' does not match every larger count."""
    value = float(gold["value"])
    if quantity.value == value:
        return True
    iv = quantity.interval
    return iv.low is not None and iv.high is not None and iv.intersects(Interval.exact(value))


def claim_matches(claim, gold: dict) -> bool:
    """Does an extracted claim say what the gold claim says? Gold fields left out are not checked."""
    kind = gold["type"]
    if claim.kind.value != kind:
        return False
    if isinstance(claim, MoneyClaim):
        return (_same_entity(claim.subject, gold.get("company", claim.subject))
                and _same(claim.amount.unit, gold.get("currency", claim.amount.unit))
                and _value_matches(claim.amount, float(gold["value"]), VALUE_TOLERANCE)
                and ("measure" not in gold or money_measure_of(claim) == gold["measure"])
                and ("status" not in gold or str(claim.status) == gold["status"])
                and _period_matches(claim.period, gold)
                and ("counterparty" not in gold or _same_entity(claim.object, gold["counterparty"]))
                and ("round" not in gold or _same(claim.round, gold["round"]))
                and ("qualifier" not in gold or _same(claim.amount.qualifier, gold["qualifier"]))
                and ("contributor" not in gold or _same(claim.contributor, gold["contributor"]))
                and _names_in(gold.get("investors", ()), claim.investors)
                and _names_in(gold.get("leads", ()), claim.lead_investors))
    if isinstance(claim, CountClaim) and "state" not in gold and "measure" in gold:
        # a count of general news (corpus/gold-news-counts.jsonl): measure and figure; its event, group and
        # claimant are scored apart (see attachment_scores)
        return (claim.state == news_measure(gold["measure"]) and _count_value_matches(claim.value, gold)
                and (gold.get("total") is None or claim.total == gold["total"]))
    if isinstance(claim, CountClaim):
        return (claim.state == (gold.get("state") or gold.get("measure"))
                and _value_matches(claim.value, float(gold["value"]), 0.0)
                and ("total" not in gold or claim.total == gold["total"])
                and ("qualifier" not in gold or _same(claim.value.qualifier, gold["qualifier"]))
                and ("org" not in gold or _same_entity(claim.org, gold["org"]))
                and ("status" not in gold or str(claim.status) == gold["status"])
                and _period_matches(claim.period, gold)
                and ("group" not in gold or gold["group"] is None or gold["group"] in claim.group))
    if isinstance(claim, PercentageClaim):
        return (abs(claim.value.value - float(gold["value"])) <= PERCENT_TOLERANCE
                and claim.direction == gold.get("direction", claim.direction)
                and ("subject" not in gold or _same_entity(claim.subject, gold["subject"]))
                and ("measure" not in gold or (claim.measure_name or "other") == gold["measure"])
                and _period_matches(claim.period, gold))
    if isinstance(claim, RoleClaim):
        return (_same(claim.person, gold["person"]) and claim.role == gold["role"]
                and ("org" not in gold or _same(claim.org, gold["org"]))
                and ("former" not in gold or claim.former == gold["former"]))
    return False


def _less_specific(claim, gold: dict) -> bool:
    """ "co-founder Lample" after "Mistral AI co-founder Guillaume Lample": the same role, org unsaid."""
    return (isinstance(claim, RoleClaim) and gold["type"] == "role" and claim.org is None
            and _same(claim.person, gold["person"]) and claim.role == gold["role"])


def describe(claim) -> str:
    if isinstance(claim, dict):
        return json.dumps(claim, ensure_ascii=False, sort_keys=True)
    if isinstance(claim, MoneyClaim):
        extra = "".join(f" {k}={v}" for k, v in (("measure", claim.measure), ("period", claim.period),
                                                  ("status", claim.status)) if v and v not in ("actual",))
        return f"{claim.kind.value}: {claim.subject} {claim.amount.display()} round={claim.round}{extra}"
    if isinstance(claim, CountClaim):
        total = f" of {claim.total}" if claim.total else ""
        where = "".join(f" {k}={v}" for k, v in (("event", claim.event), ("claimant", claim.claimant)) if v)
        return f"count: {claim.value.display()}{total} {claim.group} {claim.state} {claim.org or ''}".rstrip() + where
    if isinstance(claim, PercentageClaim):
        period = f" period={claim.period}" if claim.period else ""
        return f"percentage: {claim.subject} {claim.measure_name} {claim.direction} {claim.value.display()}{period}"
    if isinstance(claim, RoleClaim):
        return f"role: {claim.person}, {'former ' if claim.former else ''}{claim.role}, {claim.org}"
    if isinstance(claim, FigureClaim):
        return f"figure: {claim.value.display()} {claim.noun or ''}".rstrip()
    return repr(claim)


def _match(predicted: list, gold: list[dict], matches: Callable[[object, dict], bool], where: str) -> Score:
    """Greedy one-to-one matching; extracted claims that repeat an already matched gold claim
    (the same fact stated in two sentences of one article) are neither credited nor penalised."""
    score = Score()
    matched: set[int] = set()
    for claim in predicted:
        hit = next((i for i, g in enumerate(gold) if i not in matched and matches(claim, g)), None)
        if hit is not None:
            matched.add(hit)
            score.tp += 1
        elif any(matches(claim, g) or _less_specific(claim, g) for g in gold):
            continue
        else:
            score.fp += 1
            score.spurious.append(f"{where}: {describe(claim)}")
    for i, g in enumerate(gold):
        if i not in matched:
            score.fn += 1
            score.misses.append(f"{where}: {describe(g)}")
    return score


def score_article(gold: GoldArticle, extraction: Extraction) -> dict[str, Score]:
    where = gold.path.name
    scores: dict[str, Score] = {}
    claims = [c for c in extraction.claims if not isinstance(c, CountClaim) or gold.measures is None
              or c.state in gold.measures]
    extraction = replace(extraction, claims=tuple(claims))
    for kind in gold.types:
        predicted = [c for c in extraction.claims if c.kind.value == kind]
        expected = [g for g in gold.claims if g["type"] == kind]
        scores[f"claim:{kind}"] = _match(predicted, expected, claim_matches, where)
    scores.update(_by_measure(gold, extraction, where))
    for etype in ENTITY_TYPES:
        found = {m.name.casefold() for m in extraction.mentions if m.type.value == etype}
        expected = {n.casefold() for n in gold.entities[etype]}
        s = Score(tp=len(found & expected), fp=len(found - expected), fn=len(expected - found))
        s.misses = [f"{where}: {etype} {n}" for n in sorted(expected - found)]
        s.spurious = [f"{where}: {etype} {n}" for n in sorted(found - expected)]
        scores[f"entity:{etype}"] = s
    return scores


MONEY_KINDS = ("funding", "valuation", "revenue", "money")


def _measure_of(claim) -> str | None:
    if isinstance(claim, MoneyClaim):
        return money_measure_of(claim)
    if isinstance(claim, PercentageClaim):
        return claim.measure_name or "other"
    if isinstance(claim, CountClaim):
        return claim.state
    return None


def _gold_measure(g: dict) -> str:
    return news_measure(g["measure"]) if g["type"] == "count" else g["measure"]


def _by_measure(gold: GoldArticle, extraction: Extraction, where: str) -> dict[str, Score]:
    """Per-measure scores ("measure:amount:profit", "measure:change:revenue") where the gold names measures:
    each measure's gold claims against the extracted claims of that measure, matched as above."""
    if not any("measure" in g for g in gold.claims):
        return {}
    groups = {"amount": [k for k in MONEY_KINDS if k in gold.types],
              "change": ["percentage"] if "percentage" in gold.types else [],
              "count": ["count"] if "count" in gold.types else []}
    scores: dict[str, Score] = {}
    for group, kinds in groups.items():
        expected = [g for g in gold.claims if g["type"] in kinds and "measure" in g]
        if not expected:
            continue
        predicted = [c for c in extraction.claims if c.kind.value in kinds]
        for measure in sorted({_gold_measure(g) for g in expected} | {m for c in predicted if (m := _measure_of(c))}):
            scores[f"measure:{group}:{measure}"] = _match(
                [c for c in predicted if _measure_of(c) == measure],
                [g for g in expected if _gold_measure(g) == measure], claim_matches, where)
    news_counts = [g for g in gold.claims if g["type"] == "count" and "measure" in g]
    if groups["count"] and news_counts:
        scores.update(attachment_scores([c for c in extraction.claims if isinstance(c, CountClaim)],
                                        news_counts, where))
    return scores


def attachment_scores(predicted: list[CountClaim], gold: list[dict], where: str) -> dict[str, Score]:
    """Of the counts found (matched to a gold count), how many carry the event and the claimant the gold
    gives: "attach:event" counts an event where the gold has one (any wording: events are named in many
    ways); "attach:claimant" asks for the gold claimant's words (a claimant where the gold has none is a
    false one)."""
    event, claimant = Score(), Score()
    matched: set[int] = set()
    for claim in predicted:
        hit = next((i for i, g in enumerate(gold) if i not in matched and claim_matches(claim, g)), None)
        if hit is None:
            continue
        matched.add(hit)
        g = gold[hit]
        if g.get("event"):
            if claim.event:
                event.tp += 1
            else:
                event.fn += 1
                event.misses.append(f"{where}: {describe(claim)}: no event ({g['event']})")
        want, got = g.get("claimant"), claim.claimant
        if want and got and _same_claimant(got, want):
            claimant.tp += 1
        elif want:
            claimant.fn += 1
            claimant.misses.append(f"{where}: {describe(claim)}: claimant {got!r}, gold {want!r}")
        if got and not (want and _same_claimant(got, want)):
            claimant.fp += 1
            claimant.spurious.append(f"{where}: {describe(claim)}: claimant {got!r}, gold {want!r}")
    return {"attach:event": event, "attach:claimant": claimant}


def _same_claimant(got: str, want: str) -> bool:
    """'Foreign Office' for 'the Foreign Office', 'Simon Hall' for 'BBC correspondent Simon Hall'."""
    a = {w for w in got.casefold().replace(".", "").split() if w not in ("the", "a", "an")}
    b = {w for w in want.casefold().replace(".", "").split() if w not in ("the", "a", "an")}
    return bool(a) and (a <= b or b <= a)


def evaluate(gold: list[GoldArticle], extractor: Extractor) -> Evaluation:
    articles: list[Article] = [read_file(g.path) for g in gold]
    totals: dict[str, Score] = defaultdict(Score)
    for g, (_, extraction) in zip(gold, extractor.extract_many(articles), strict=True):
        for name, score in score_article(g, extraction).items():
            totals[name].add(score)
    ordered = {name: totals[name] for name in sorted(totals)}
    ordered["claims (all)"] = _sum(s for n, s in ordered.items() if n.startswith("claim:"))
    ordered["entities (all)"] = _sum(s for n, s in ordered.items() if n.startswith("entity:"))
    return Evaluation(scores=ordered, articles=len(gold))


def _sum(scores: Iterable[Score]) -> Score:
    total = Score()
    for s in scores:
        total.add(s)
    return total


# A floor entry is a minimum ("claim:count": 1.0, an F1 or a score) or {"max": x} for a measure that must
# stay low ("open:contradictions per 100 articles": {"max": 1.0}).
Bound = tuple[str, float]  # ("min" | "max", value)


def load_floor(path: Path) -> dict[str, Bound]:
    """Pinned bounds per score name; raised by hand when extraction improves, never loosened silently."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        floor: dict[str, Bound] = {}
        for name, value in data.items():
            if name.startswith("_"):
                continue
            if isinstance(value, dict):
                (side, bound), = value.items()
                if side not in ("min", "max"):
                    raise ValueError(f"{name}: a bound is a number (minimum) or {{\"min\"|\"max\": number}}")
                floor[str(name)] = (side, float(bound))
            else:
                floor[str(name)] = ("min", float(value))
        return floor
    except (OSError, ValueError, AttributeError, TypeError) as exc:
        raise ConfigError(f"cannot read floor file: {exc}", where=str(path)) from exc


def outside_bounds(values: dict[str, float | None], floor: dict[str, Bound], label: str = "F1") -> list[str]:
    """Every bound of the floor that these values break (a value the report lacks breaks its bound)."""
    failing = []
    for name, (side, bound) in floor.items():
        value = values.get(name)
        shown = "n/a" if value is None else f"{value:.3f}"
        if side == "min" and (value is None or value + 1e-9 < bound):
            failing.append(f"{name}: {label} {shown} < {bound:.3f}")
        elif side == "max" and (value is None or value - 1e-9 > bound):
            failing.append(f"{name}: {label} {shown} > {bound:.3f}")
    return failing


def below_floor(evaluation: Evaluation, floor: dict[str, Bound]) -> list[str]:
    """The in-domain bounds (names without the open-domain prefix) this evaluation breaks."""
    in_domain = {n: b for n, b in floor.items() if not n.startswith(OPEN_PREFIX)}
    return outside_bounds({n: s.f1 for n, s in evaluation.scores.items()}, in_domain)


OPEN_PREFIX = "open:"
