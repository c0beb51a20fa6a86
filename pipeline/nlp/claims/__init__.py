"""Read claims off an annotated sentence, one module per claim kind: money, counts, percentages, roles."""

from __future__ import annotations

import re

from spacy.tokens import Span

from pipeline.nlp.claims.common import (
    RawClaim,
    SentenceContext,
    polled_by,
    sentence_entities,
    sentence_quantities,
    subject_company,
)
from pipeline.nlp.claims.context import BARE_PART_OF_YEAR, sentence_period, year_earlier
from pipeline.nlp.claims.counts import a_difference, count_claim
from pipeline.nlp.claims.events import compared_count, event_count_claims
from pipeline.nlp.claims.money import is_conversion, money_claims, round_followup, stated_bases
from pipeline.nlp.claims.percentages import percentage_claim
from pipeline.nlp.claims.roles import COMPANY_ROLES, canonical_role, role_claims
from pipeline.nlp.components import COUNT, MONEY, PERCENT
from pipeline.nlp.measures import vocabulary
from pipeline.types import ClaimKind, ClaimStatus

__all__ = ["COMPANY_ROLES", "RawClaim", "SentenceContext", "canonical_role", "extract_sentence", "normalized_period",
           "round_followup", "same_scale", "sentence_entities", "sentence_quantities", "stated_bases",
           "subject_company"]


def extract_sentence(sent: Span, ctx: SentenceContext | None = None) -> list[RawClaim]:
    """Claims of one sentence; `ctx` carries what the article said before (see SentenceContext)."""
    ctx = ctx or SentenceContext()
    # the one who polled others for their figures owns none of them ("Analysts polled by FactSet had expected ...")
    entities = [e for e in sentence_entities(sent, ctx.labels) if not polled_by(sent, e)]
    claims: list[RawClaim] = []
    group = ctx.previous_group
    quantities = sentence_quantities(sent)
    converts = False  # the quantity before this one restates another in brackets
    unread: list[Span] = []  # figures no reader below made a claim of
    for index, q in enumerate(quantities):
        converts = q.label_ == MONEY and is_conversion(q, quantities[index - 1] if index else None, converts)
        if converts:
            continue
        before = len(claims)
        _read_quantity(sent, q, entities, ctx, claims, group)
        if len(claims) == before:
            unread.append(q)
        elif claims[-1].kind is ClaimKind.COUNT and "event" not in claims[-1].fields:
            group = claims[-1].fields["group"]  # "Five have joined": the group counted just before
    _compared_figures(claims)
    unread = [q for q in unread if not _compared_change(q, claims)]
    _parts_of_totals(claims, sent)
    _share_period(claims, sent, ctx.published)
    _year_of_the_same_period(claims, sent)
    claims.extend(role_claims(sent, entities))
    claims.extend(figure_claims(sent, [q for q in unread if not any(c.start <= q.start_char < c.end for c in claims)]))
    return claims


def _read_quantity(sent: Span, q: Span, entities: list, ctx: SentenceContext, claims: list[RawClaim],
                   group: str | None) -> None:
    """The claims one figure states, added to `claims` (which also holds the sentence's claims so far)."""
    if q.label_ == MONEY:
        claims.extend(money_claims(sent, q, entities, ctx))
    elif q.label_ == PERCENT:
        claims.extend(percentage_claim(sent, q, entities, ctx))
        share = count_claim(sent, q, entities, group, ctx)  # "10% of its 12,000 staff" is also a count
        if share is not None:
            claims.append(share)
    elif q.label_ == COUNT:
        if a_difference(sent, q):
            return  # "24,000 more yes votes than Proposition 4", "300 more people died than last year"
        events = event_count_claims(sent, q, entities, ctx.recent_event, ctx.health) or compared_count(q, claims)
        if events:  # people killed, arrested, gathered; votes and seats
            claims.extend(events)
            return
        claim = count_claim(sent, q, entities, group, ctx)
        if claim is not None:
            claims.append(claim)


def figure_claims(sent: Span, quantities: list[Span]) -> list[RawClaim]:
    """The figures of a statement no reader made a claim of: kept, and compared only with the same statement
    in another outlet's copy ('a fleet of 35,000 test cars' against 'a fleet of 45,000 test cars'). A
    sentence without a verb (a headline, a table row) states no figure; nor does a number inside a claim
    ('the 14' of 'Eleven of the 14 scientists have left')."""
    if not any(t.pos_ in ("VERB", "AUX") for t in sent):
        return []
    out = []
    doc = sent.doc
    for q in quantities:
        quantity = q._.nf_quantity
        if quantity is None:
            continue
        if q.start > 0 and doc[q.start - 1].pos_ == "PROPN" and not quantity.qualifier and not quantity.unit \
                and doc[q.start - 1].ent_type_ not in ("DATE", "GPE"):
            continue  # "Llama 3", "Windows 11": a name's number, not a figure
        root = q.root
        noun = root.head if root.dep_ in ("nummod", "quantmod") and root.head.pos_ in ("NOUN", "PROPN") else None
        out.append(RawClaim(ClaimKind.FIGURE, q.start_char, q.end_char, quantity=quantity, anchor=root.i,
                            subject_explicit=False, fields={"noun": noun.lemma_.lower() if noun is not None else None}))
    return out


def _compared_figures(claims: list[RawClaim]) -> None:
    """'a profit of $261.9m, up from $179.1m in the same period last year', 'revenue of $25.67bn, below the
    $25.9bn analysts had predicted': the earlier figure a change is measured from, or the forecast a result is
    held against, when nothing names its measure, is a figure of the measure and owner it is compared with."""
    for i, c in enumerate(claims):
        if c.kind is not ClaimKind.MONEY or c.status not in COMPARED_STATUSES or c.fields.get("measure"):
            continue
        # of the same scale: "$854m, or $1.85 a share, against $971m, or $2.10 a share": $971m is the profit's;
        # "profit was 33 cents a share, but analysts had expected 34 cents": 34 cents a share
        before = next((b for b in reversed(claims[:i]) if b.quantity is not None and b.fields.get("measure")
                       and b.quantity.unit == c.quantity.unit and b.status is not ClaimStatus.PRIOR
                       and same_scale(b.quantity.value, c.quantity.value)), None)
        if before is not None:
            c.kind = before.kind
            c.fields["measure"] = before.fields["measure"]
            c.fields["comparable"] = before.fields.get("comparable", True)
            c.fields["company"] = c.fields.get("company") or before.fields.get("company")
            c.subject_explicit = before.subject_explicit


# "grew 0.7% in the quarter, compared with 0.5% in the previous quarter", "up from 17.5% in the third quarter"
_COMPARED_PREPS = {("compared", "with"), ("compared", "to"), ("up", "from"), ("down", "from")}
_PREVIOUS_QUARTER = re.compile(r"\b(?:previous|preceding|prior|last|second|third) (?:quarter|three months)\b",
                               re.IGNORECASE)
_PREVIOUS_YEAR = re.compile(r"\b(?:a year (?:earlier|ago|before)|the previous year|the year before)\b", re.IGNORECASE)


def _compared_change(q: Span, claims: list[RawClaim]) -> bool:
    """'The economy grew 0.7% in the quarter, compared with 0.5% in the previous quarter': a percentage the sentence
    holds a change of its against is the same measure's change in the earlier period it names (the previous
    quarter, a year earlier or a stated year), made a claim of that change's owner, measure and direction. A
    percentage of no period named stays a figure. Returns whether a claim was made."""
    root = q.root
    prep = root.head if root.dep_ == "pobj" else None
    if prep is None or q.label_ != PERCENT or (prep.head.lower_, prep.lower_) not in _COMPARED_PREPS:
        return False
    change = next((c for c in reversed(claims) if c.kind is ClaimKind.PERCENTAGE and c.end <= q.start_char
                   and c.fields.get("measure") and c.status is ClaimStatus.ACTUAL and c.period), None)
    if change is None:
        return False
    words = q.doc[q.end:min(q.sent.end, prep.right_edge.i + 1)].text  # "[up from 34.6%] in 2003", however hung
    if (m := re.search(r"\b((?:19|20)\d\d)\b", words)) and not re.search(r"\b(?:quarter|half|month)", words):
        period = m.group(1)
    elif _PREVIOUS_YEAR.search(words):
        period = year_earlier(change.period)
    elif _PREVIOUS_QUARTER.search(words) and (earlier := _quarter_before(change.period, words)) is not None:
        period = earlier
    else:
        return False
    if period == change.period:
        return False
    claims.append(RawClaim(ClaimKind.PERCENTAGE, q.start_char, q.end_char, quantity=q._.nf_quantity,
                           status=ClaimStatus.PRIOR, period=period, subject_explicit=change.subject_explicit,
                           cue=change.cue, anchor=root.i, fields={**change.fields, "period_text": words or None}))
    return True


def _quarter_before(period: str, words: str) -> str | None:
    """'2004-Q4' and 'the previous quarter' -> '2004-Q3'; 'the third quarter' -> '2004-Q3'; an undated 'Q4' -> 'Q3'
    (not 'Q1' -> 'Q4': a quarter of a year the text does not name)."""
    m = re.fullmatch(r"(?:((?:19|20)\d\d)-)?Q([1-4])", period)
    if m is None:
        return None
    year, quarter = (int(m.group(1)) if m.group(1) else None), int(m.group(2))
    named = re.search(r"\b(first|second|third|fourth) quarter", words, re.IGNORECASE)
    wanted = ("first", "second", "third", "fourth").index(named.group(1).lower()) + 1 if named else quarter - 1
    if year is None:
        return f"Q{wanted}" if 1 <= wanted < quarter else None
    if wanted < 1:
        return f"{year - 1}-Q4"
    return f"{year if wanted < quarter else year - 1}-Q{wanted}"


def _parts_of_totals(claims: list[RawClaim], sent: Span) -> None:
    """'agreed to pay $54m, including $18m from their own pockets', 'the $168m settlement - $155m of which will
    be covered by insurance': an amount the sentence gives as part of an earlier one is of that total's
    measure, owner, status and period, and marked a part (see MoneyClaim.part)."""
    doc = sent.doc
    for i, c in enumerate(claims):
        if c.kind is not ClaimKind.MONEY or c.anchor is None or not _a_part(doc, c):
            continue
        total = next((t for t in reversed(claims[:i]) if t.kind in (ClaimKind.MONEY, ClaimKind.REVENUE)
                      and t.quantity is not None and c.quantity is not None
                      and t.quantity.unit == c.quantity.unit and t.fields.get("measure")), None)
        if total is None or c.fields.get("measure") not in (None, total.fields["measure"]):
            continue
        c.kind = total.kind
        c.fields["measure"] = total.fields["measure"]
        c.fields["comparable"] = total.fields.get("comparable", True)
        c.fields["company"] = total.fields.get("company")
        c.fields["counterparty"] = c.fields.get("counterparty") or total.fields.get("counterparty")
        c.subject_explicit = total.subject_explicit
        c.status, c.period = total.status, total.period
        c.fields["part"] = True


def _a_part(doc, c: RawClaim) -> bool:
    """'including $18m', '$155m of which': the amount's words say it is part of another."""
    span = doc.char_span(c.start, c.end, alignment_mode="expand")
    if span is None:
        return False
    head = span.root.head
    if span.root.dep_ == "pobj" and head.lower_ in ("including", "incl"):
        return True
    after = doc[span.end:span.end + 2]
    return len(after) == 2 and after[0].lower_ == "of" and after[1].lower_ == "which"


# How far apart two amounts may be and still be one measure's (a result and its forecast): "$854m" and "$971m",
# not "$971m" and "$1.85 a share".
SAME_SCALE_RATIO = 10


def same_scale(a: float, b: float) -> bool:
    return a > 0 and b > 0 and max(a, b) / min(a, b) <= SAME_SCALE_RATIO


# Statuses of a figure that a sentence holds against its result: the value before, the analysts' forecast.
COMPARED_STATUSES = frozenset({ClaimStatus.PRIOR, ClaimStatus.ESTIMATE})


def _share_period(claims: list[RawClaim], sent: Span, published=None) -> None:
    """'For the full-year, X posted a profit of $3.36bn, up 27%, while revenues grew 6.4% to $42.09bn': the
    one period a sentence states is the period of each of its figures that states none."""
    periods = {c.period for c in claims if c.period and normalized_period(c.period)
               and c.status is not ClaimStatus.PRIOR}
    if not periods and any(vocabulary().is_per_period(c.fields.get("measure")) for c in claims):
        periods = {p} if (p := sentence_period(sent, published)) is not None else set()
    if len(periods) != 1:
        return
    def before(c: RawClaim, period: str) -> str | None:
        # the earlier value of a flow ("profits rose to $205m in the fourth quarter, from $142m") is of the
        # year before; of anything else ("raised the surcharge from £6 to £10 in October") of no stated period
        return year_earlier(period) if vocabulary().is_per_period(c.fields.get("measure")) else None

    for c in claims:
        if c.status is ClaimStatus.PRIOR and c.period in periods:
            c.period = before(c, c.period)
    (period,) = periods
    for c in claims:
        if c.kind in (ClaimKind.ROLE, ClaimKind.COUNT) or (
                c.kind is ClaimKind.PERCENTAGE and c.fields.get("measure")
                and not vocabulary().is_per_period(c.fields["measure"])):
            # "said it would cut 1,500 jobs and raise its annual dividend", "cut 15% of its workforce to save
            # $10bn in 2025": the jobs are of no year; nor a move of the shares, nor of the workforce
            continue
        if c.period is None or not normalized_period(c.period):
            c.period = before(c, period) if c.status is ClaimStatus.PRIOR else period


# "up from 38m in the same period of 2003", "against the same quarter in 2003": the year the base is of
_SAME_PERIOD_YEAR = re.compile(r"\bsame (?:period|quarter|half|three months|six months|months)\s+(?:of|in|a year "
                               r"earlier,? in)\s+((?:19|20)\d\d)\b", re.IGNORECASE)


def _year_of_the_same_period(claims: list[RawClaim], sent: Span) -> None:
    """'Its pre-tax earnings in the fourth quarter were 77m euros, up from 38m in the same period of 2003': the
    base is of 2003's fourth quarter, so the figure compared with it is of 2004's."""
    years = {int(m.group(1)) for m in _SAME_PERIOD_YEAR.finditer(sent.text)}
    if len(years) != 1:
        return
    (base,) = years
    for c in claims:
        if c.period and BARE_PART_OF_YEAR.match(c.period) and vocabulary().is_per_period(c.fields.get("measure")):
            c.period = f"{base if c.status is ClaimStatus.PRIOR else base + 1}-{c.period}"


def normalized_period(period: str) -> bool:
    """'2004-Q4', 'Q4', 'FY', '2005-01' — not a phrase kept as written ('over the past 18 months')."""
    return " " not in period
