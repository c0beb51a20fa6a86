"""Frozen value types passed between the stages: fetch -> nlp -> reconcile -> store."""

from __future__ import annotations

import enum
import hashlib
import math
from dataclasses import dataclass, field
from datetime import date

from pipeline.untrusted import storable


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
    # a number the text states with no measure we know ("a fleet of 35,000 test cars"): kept with its
    # sentence and compared only with the same statement in another outlet's copy of the story
    FIGURE = "figure"


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

    def __post_init__(self) -> None:
        _make_storable(self)

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

    def __post_init__(self) -> None:
        _make_storable(self)


def _make_storable(item) -> None:
    """The one narrow point every fetched text passes: no NUL (PostgreSQL refuses it in text), no terminal
    control characters, no undecodable file-name bytes, whatever the source (file, web page, test)."""
    for name in item.__slots__:
        value = getattr(item, name)
        if isinstance(value, str):
            clean = storable(value)
            if clean is not value:
                object.__setattr__(item, name, clean)


@dataclass(frozen=True, slots=True)
class SkippedSource:
    """A source passed over on purpose, with why: a file or folder a walk does not read (hidden, not an
    article type), a page robots.txt disallows. Listed, never failed, never retried."""

    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class UnchangedSource:
    """A source known to hold nothing new (HTTP 304, or content already stored): nothing to extract."""

    source: str


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


class ClaimStatus(enum.StrEnum):
    """What a figure is: only claims of one status are ever compared."""

    ACTUAL = "actual"  # what happened or was announced: "raised", "reported", "will cut"
    ESTIMATE = "estimate"  # analysts' or outsiders' forecasts: "analysts expected", "is forecast to"
    GUIDANCE = "guidance"  # the company's own forecast or target: "it expects sales of"
    PROPOSED = "proposed"  # offered, bid, sought, planned but not agreed: "offered to pay"
    HYPOTHETICAL = "hypothetical"  # counterfactual or conditional: "would have been", "could reach": not a fact
    PRIOR = "prior"  # the earlier value of a change: the $10bn of "fell from $10bn to $6bn"


# Statuses whose claims are facts to compare (each only with its own status: a prior figure with the prior
# figure of another outlet); a hypothetical figure is stored, never compared.
COMPARABLE_STATUSES = frozenset({ClaimStatus.ACTUAL, ClaimStatus.ESTIMATE, ClaimStatus.GUIDANCE,
                                 ClaimStatus.PROPOSED, ClaimStatus.PRIOR})


@dataclass(frozen=True, slots=True)
class ClaimKey:
    """What a figure measures: two claims are merged or compared only when every part agrees.

    subject: the entity (or count group) the figure belongs to; measure: a line of the vocabulary
    (models/measures.json) with its refinement ("funding:series b"); object: the counterparty where the
    measure has one (the investor of an investment, the organisation people left); period: an explicit
    period ("2004", "2004-Q4", "Q4") or None (the claim's date stands for it); status; unit.
    """

    subject: str | None
    measure: str | None
    object: str | None = None
    period: str | None = None
    status: str = ClaimStatus.ACTUAL
    unit: str | None = None
    # False: never merged or compared by key (a part of a total its sentence states; a measure that names no one
    # thing, such as a product's price)
    comparable: bool = True

    @property
    def complete(self) -> bool:
        return bool(self.subject) and bool(self.measure) and self.status in COMPARABLE_STATUSES and self.comparable

    def describe(self) -> str:
        """'Mistral AI, funding:total, 2025-Q2' — the key as a reason states it."""
        parts = [self.subject or "?", self.measure or "?"]
        if self.object:
            parts.append(self.object)
        if self.period:
            parts.append(self.period)
        if self.status != ClaimStatus.ACTUAL:
            parts.append(str(self.status))
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class MoneyClaim:
    """An amount of money with what it measures: funding, valuation, revenue, profit, a price paid..."""

    subject: str | None  # the company (or organisation, person) the amount belongs to
    amount: Quantity
    kind: ClaimKind = ClaimKind.FUNDING  # FUNDING, VALUATION, REVENUE or MONEY
    measure_id: str | None = None  # vocabulary line for kinds other than funding and valuation
    round: str | None = None  # "seed", "series a", "debt", ... None = total/unspecified
    investors: tuple[str, ...] = ()
    lead_investors: tuple[str, ...] = ()
    stated_date: date | None = None
    evidence: Evidence | None = None
    contributor: str | None = None  # one investor's share ("ASML is investing €1.3 billion in Mistral")
    counterparty: str | None = None  # acquirer of a target, authority of a fine, provider of a package
    period: str | None = None
    status: str = ClaimStatus.ACTUAL
    subject_explicit: bool = True  # named in the sentence, not carried over from the article
    cue: str | None = None  # the word that named the measure ("revenue", "sales", "takeover")
    # a part of a total its sentence states ("agreed to pay $54m, including $18m from their own pockets"): of the
    # total's measure and owner, and never compared by key (another article may give the total alone)
    part: bool = False
    comparable: bool = True  # False for a measure that names no one thing ("£4 a leg": a price of something)

    @property
    def topic(self) -> str | None:
        return self.subject

    @property
    def measure(self) -> str | None:
        if self.kind is ClaimKind.FUNDING:
            if self.contributor:
                return "investment"
            return f"funding:{self.round or 'total'}"
        if self.kind is ClaimKind.VALUATION:
            return f"valuation:{self.round}" if self.round else "valuation"  # pre-money apart
        return self.measure_id

    @property
    def object(self) -> str | None:
        return self.contributor or self.counterparty

    @property
    def key(self) -> ClaimKey:
        return ClaimKey(self.subject, self.measure, self.object, self.period, self.status, self.amount.unit,
                        comparable=self.comparable and not self.part)


@dataclass(frozen=True, slots=True)
class CountClaim:
    group: str  # normalized group ("llama paper researchers")
    state: str  # measure of the count vocabulary: leave, remain, join, lay off, hire, employ, ...
    value: Quantity
    total: int | None = None
    org: str | None = None  # the organization the state refers to (left *Meta*)
    stated_date: date | None = None
    evidence: Evidence | None = None
    kind: ClaimKind = ClaimKind.COUNT
    period: str | None = None
    status: str = ClaimStatus.ACTUAL
    subject_explicit: bool = True  # the group is named in the sentence, not carried from the one before
    cue: str | None = None
    # A group named by more than its head noun ("llama paper researchers"): alone it says whose people
    # they are. "2,500 jobs" without an organisation could be anyone's, so it is never compared.
    specific: bool = True
    # Counts of general news (pipeline/nlp/claims/events.py): the event as the text names it ("tsunami
    # disaster"), the place it names, and who gave the figure ("the Foreign Office", "police").
    event: str | None = None
    place: str | None = None
    claimant: str | None = None
    # A count of an event's people: keyed by the event and its place ("tsunami in Thailand"), the measure
    # and the group when it says who (not "people"); without event and place it is compared by statement.
    news: bool = False
    event_key: str | None = None

    @property
    def topic(self) -> str:
        if self.news:
            return self.event_key or self.event or self.group
        return self.group

    @property
    def measure(self) -> str:
        return self.state

    @property
    def key(self) -> ClaimKey:
        if self.news:
            return ClaimKey(self.event_key, self.state, self.group if self.specific else None, self.period,
                            self.status, None)
        subject = self.group if self.org or self.specific else None
        return ClaimKey(subject, self.state, self.org, self.period, self.status, None)


@dataclass(frozen=True, slots=True)
class PercentageClaim:
    subject: str | None
    measure_name: str | None  # "stock price", "revenue", ...; None when the text does not say
    direction: str  # "up", "down" or "" (a level, not a change)
    value: Quantity
    period: str | None = None  # the period, part of the key ("2004-Q4", "over the past 18 months")
    period_text: str | None = None  # the period as written, for display
    stated_date: date | None = None
    evidence: Evidence | None = None
    kind: ClaimKind = ClaimKind.PERCENTAGE
    status: str = ClaimStatus.ACTUAL
    subject_explicit: bool = True
    cue: str | None = None
    # the index a measure of many indices is read from ("house prices fell 0.2%, the Nationwide said"), part of
    # the key: two surveys of one month are two figures, not a disagreement
    source: str | None = None

    @property
    def topic(self) -> str | None:
        return self.subject

    @property
    def measure(self) -> str | None:
        return f"{self.measure_name}:{self.direction}" if self.measure_name and self.direction else None

    @property
    def key(self) -> ClaimKey:
        return ClaimKey(self.subject, self.measure, self.source, self.period, self.status, "%")


@dataclass(frozen=True, slots=True)
class RoleClaim:
    person: str
    role: str  # "co-founder", "chief revenue officer", ...
    org: str | None
    former: bool = False
    evidence: Evidence | None = None
    kind: ClaimKind = ClaimKind.ROLE
    stated_date: date | None = None
    status: str = ClaimStatus.ACTUAL
    subject_explicit: bool = True
    cue: str | None = None

    @property
    def topic(self) -> str:
        return self.person

    @property
    def measure(self) -> str:
        return f"{self.role}:{self.org or ''}"

    @property
    def key(self) -> ClaimKey:
        return ClaimKey(self.person, self.measure, None, None, self.status, None)


@dataclass(frozen=True, slots=True)
class FigureClaim:
    """A figure of no known measure: what it counts ("car" of "35,000 test cars") when the text says, never
    keyed; two outlets' copies of one statement with different figures are a contradiction."""

    value: Quantity
    noun: str | None = None
    stated_date: date | None = None
    evidence: Evidence | None = None
    kind: ClaimKind = ClaimKind.FIGURE
    status: str = ClaimStatus.ACTUAL
    subject_explicit: bool = False
    cue: str | None = None
    period: str | None = None

    @property
    def topic(self) -> str:
        return self.noun or "figure"

    @property
    def measure(self) -> None:
        return None

    @property
    def key(self) -> ClaimKey:
        return ClaimKey(None, None, None, None, self.status, self.value.unit)


Claim = MoneyClaim | CountClaim | PercentageClaim | RoleClaim | FigureClaim


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything the NLP stage found in one article."""

    mentions: tuple[Mention, ...] = ()
    claims: tuple[Claim, ...] = field(default=())
    language: str = "en"  # ISO 639-1 code of the article's language (pipeline/fetch/language.py)
