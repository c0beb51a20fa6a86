"""Frozen value types passed between the stages: fetch -> nlp -> reconcile -> store."""

from __future__ import annotations

import enum
import hashlib
import math
from dataclasses import dataclass, field
from datetime import date


class EntityType(enum.StrEnum):
    PERSON = "person"
    COMPANY = "company"
    ORG = "org"  # an organisation that is not a company (agency, university, team)


class ClaimKind(enum.StrEnum):
    FUNDING = "funding"
    VALUATION = "valuation"
    REVENUE = "revenue"
    MONEY = "money"  # money in no classified context (fines, salaries, market caps)
    COUNT = "count"
    PERCENTAGE = "percentage"
    ROLE = "role"


@dataclass(frozen=True, slots=True)
class Article:
    """One fetched document: its main text and the metadata trafilatura (or the file) gave."""

    source: str  # path or URL it was read from
    text: str
    title: str | None = None
    author: str | None = None
    published: date | None = None
    site: str | None = None
    url: str | None = None

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)

    @property
    def word_count(self) -> int:
        return len(self.text.split())


def content_hash(text: str) -> str:
    """Identity of an article's content: the same text under two names is one article."""
    normalized = " ".join(text.split())
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class FailedSource:
    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class UnchangedSource:
    """A source known to hold nothing new (HTTP 304, or content already stored): nothing to extract."""

    source: str


@dataclass(frozen=True, slots=True)
class SkippedSource:
    """A source left alone by policy (robots.txt disallows it): not a failure, not retried."""

    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class UrlState:
    """What the last successful fetch of a URL returned: validators for a conditional request."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None


@dataclass(frozen=True, slots=True)
class Interval:
    """A closed/open numeric range; None bounds mean unbounded."""

    low: float | None
    high: float | None
    low_open: bool = False
    high_open: bool = False

    @classmethod
    def exact(cls, value: float) -> Interval:
        return cls(value, value)

    def intersects(self, other: Interval) -> bool:
        lo_a = -math.inf if self.low is None else self.low
        hi_a = math.inf if self.high is None else self.high
        lo_b = -math.inf if other.low is None else other.low
        hi_b = math.inf if other.high is None else other.high
        if lo_a > hi_b or lo_b > hi_a:
            return False
        if lo_a == hi_b and (self.low_open or other.high_open):
            return False
        if lo_b == hi_a and (other.low_open or self.high_open):
            return False
        return True

    def __add__(self, other: Interval) -> Interval:
        low = None if self.low is None or other.low is None else self.low + other.low
        high = None if self.high is None or other.high is None else self.high + other.high
        return Interval(low, high, self.low_open or other.low_open, self.high_open or other.high_open)

    def __str__(self) -> str:
        lo = "-inf" if self.low is None else _fmt(self.low)
        hi = "inf" if self.high is None else _fmt(self.high)
        left = "(" if self.low_open or self.low is None else "["
        right = ")" if self.high_open or self.high is None else "]"
        return f"{left}{lo}, {hi}{right}"


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number as written: its point value, what the writer's words allow, and the raw text."""

    value: float
    interval: Interval
    qualifier: str | None = None  # "more than", "about", "nearly", ...
    unit: str | None = None  # currency code ("USD") or "%" or None for a plain count
    text: str = ""

    def display(self) -> str:
        lo, hi = self.interval.low, self.interval.high
        if self.qualifier == "between" and lo is not None and hi is not None:
            return f"between {self._show(lo)} and {self._show(hi)}"
        q = f"{self.qualifier} " if self.qualifier else ""
        if self.unit and self.unit != "%":
            return f"{q}{self.unit} {human_number(self.value)}"
        if self.unit == "%":
            return f"{q}{_fmt(self.value)}%"
        return f"{q}{human_number(self.value)}"


    def _show(self, value: float) -> str:
        if self.unit == "%":
            return f"{_fmt(value)}%"
        return f"{self.unit} {human_number(value)}" if self.unit else human_number(value)


def human_number(value: float) -> str:
    for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= scale:
            return f"{_fmt(round(value / scale, 3))} {word}"
    return _fmt(value)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a claim or mention came from: the sentence and char offsets into the article text."""

    sentence: str
    sent_start: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Mention:
    name: str  # normalized, merged name ("Mistral AI", "Guillaume Lample")
    type: EntityType
    text: str  # as written ("Mistral's")
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class FundingClaim:
    company: str
    amount: Quantity
    kind: ClaimKind = ClaimKind.FUNDING  # FUNDING, VALUATION, REVENUE or MONEY
    round: str | None = None  # "seed", "series a", "debt", ... None = total/unspecified
    investors: tuple[str, ...] = ()
    lead_investors: tuple[str, ...] = ()
    stated_date: date | None = None
    evidence: Evidence | None = None
    contributor: str | None = None  # one investor's share ("ASML is investing €1.3 billion in Mistral")

    @property
    def topic(self) -> str:
        return self.company

    @property
    def measure(self) -> str:
        if self.kind is ClaimKind.FUNDING:
            if self.contributor:
                return f"investment:{self.contributor}"
            return f"funding:{self.round or 'total'}"
        if self.kind is ClaimKind.VALUATION and self.round:
            return f"valuation:{self.round}"  # "pre-money" apart from the post-money figure
        return self.kind.value


@dataclass(frozen=True, slots=True)
class CountClaim:
    group: str  # normalized group ("llama paper researchers")
    state: str  # verb lemma: remain, leave, join, lay off, hire, ...
    value: Quantity
    total: int | None = None
    org: str | None = None  # the organization the state refers to (left *Meta*)
    stated_date: date | None = None
    evidence: Evidence | None = None
    kind: ClaimKind = ClaimKind.COUNT

    @property
    def topic(self) -> str:
        return self.group

    @property
    def measure(self) -> str:
        return f"{self.state}:{self.org or ''}"


@dataclass(frozen=True, slots=True)
class PercentageClaim:
    subject: str
    measure_name: str  # "stock price", "valuation", "revenue", "headcount", ...
    direction: str  # "up", "down" or "" (a level, not a change)
    value: Quantity
    period: str | None = None
    stated_date: date | None = None
    evidence: Evidence | None = None
    kind: ClaimKind = ClaimKind.PERCENTAGE

    @property
    def topic(self) -> str:
        return self.subject

    @property
    def measure(self) -> str:
        return f"{self.measure_name}:{self.direction}"


@dataclass(frozen=True, slots=True)
class RoleClaim:
    person: str
    role: str  # "co-founder", "chief revenue officer", ...
    org: str | None
    former: bool = False
    evidence: Evidence | None = None
    kind: ClaimKind = ClaimKind.ROLE
    stated_date: date | None = None

    @property
    def topic(self) -> str:
        return self.person

    @property
    def measure(self) -> str:
        return f"{self.role}:{self.org or ''}"


Claim = FundingClaim | CountClaim | PercentageClaim | RoleClaim


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything the NLP stage found in one article."""

    mentions: tuple[Mention, ...] = ()
    claims: tuple[Claim, ...] = field(default=())
