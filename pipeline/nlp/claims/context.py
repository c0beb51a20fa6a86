"""Status and period of a figure, read off the words it hangs from: "analysts expected", "would have
been", "offered to pay"; "in the fourth quarter", "for 2004", "full-year"."""

from __future__ import annotations

import re
from datetime import date

from spacy.tokens import Span, Token

from pipeline.nlp.claims.common import subject_of
from pipeline.nlp.measures import vocabulary
from pipeline.nlp.numbers import detect_unit
from pipeline.nlp.numbers import vocabulary as number_vocabulary
from pipeline.types import ClaimStatus

# How far up the parse from a figure its status words may stand: "analysts had expected [profits of
# [$1bn]]" is three hops; past a reporting verb the reported clause's own words decide.
STATUS_HOPS = 5

_QUARTER = re.compile(r"\b(?:(first|second|third|fourth|1st|2nd|3rd|4th|final|last)[- ]quarter|q([1-4]))\b", re.I)
_HALF = re.compile(r"\b(?:(first|second)[- ]half|h([12]))\b", re.I)
_YEAR = re.compile(r"\b(?:fy|fiscal\s+|financial\s+year\s+)?((?:19|20)\d\d)(?:[-/](\d\d))?\b", re.I)
_FULL_YEAR = re.compile(r"\b(?:full[- ]year|annual|the year|twelve months|12 months|fiscal year|financial year)\b",
                        re.I)
_MONTHS_TO = re.compile(r"\b(three|six|nine|twelve|3|6|9|12|(?:the|its|a) (?:financial |fiscal )?year)(?: months)? "
                        r"(?:to|ending|ended)\s+(?:the end of\s+)?"
                        r"(?:\d{1,2}(?:st|nd|rd|th)?\s+)?"
                        r"(january|february|march|april|may|june|july|august|september|october|november|december)",
                        re.I)
# "the first month of the year", "the first three months of 2005", "the last six months of the year".
_MONTHS_OF_YEAR = re.compile(r"\b(first|second|last|final) (?:(three|six|nine|3|6|9) )?(months?) of\b", re.I)
# How many months "the N months to ..." span.
_SPAN_MONTHS = {"three": 3, "3": 3, "six": 6, "6": 6, "nine": 9, "9": 9, "twelve": 12, "12": 12}
_LAST_MONTHS = re.compile(r"\b(?:final|last) (?:three|3) months of\b", re.I)
_MONTH_RANGE = re.compile(r"\b(january|february|march|april|may|june|july|august|september|october|november|december)"
                          r"(?: (?:to|through|until|-) | ?- ?to ?- ?| ?[-–] ?)"  # "January-to-March"
                          r"(january|february|march|april|may|june|july|august|september|october|november|december)\b",
                          re.I)
_MONTH = re.compile(r"\b(january|february|march|april|may|june|july|august|september|october|november|december)\b",
                    re.I)
_LAST_YEAR = re.compile(r"\blast year\b|\bprevious year\b", re.I)
_NEXT_YEAR = re.compile(r"\bnext year\b|\bthe coming year\b", re.I)
_THIS_YEAR = re.compile(r"\bthis year\b|\bso far this year\b|\byear to date\b|\byear-to-date\b", re.I)
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
             "final": 4, "last": 4}
_MONTH_NUMBER = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july",
                                             "august", "september", "october", "november", "december"], 1)}
# "a year earlier", "year-earlier", "last year's": the figure a change is measured from.
_PRIOR = re.compile(r"\b(?:a\s+)?year[- ](?:earlier|ago|before)\b|\bprevious year's\b|\blast year's\b|"
                    r"\bthe same (?:period|quarter|time) (?:a year ago|last year)\b|"
                    r"\b(?:in|for|during) the (?:previous|prior|preceding) (?:fiscal |financial )?year\b", re.I)


# A sentence that opens with the time a year before: every figure in it is of then.
_FRONTED_PRIOR = re.compile(r"(?:a\s+year\s+(?:earlier|ago|before)|in\s+the\s+(?:same|year-ago|year-earlier)\s+"
                            r"(?:period|quarter)(?:\s+(?:a\s+year\s+ago|last\s+year))?)\s*,", re.I)


def sentence_period(sent: Span, published: date | None) -> str | None:
    """The one quarter or half the sentence's dates name ("posted net income of $19.31bn on revenue of $35.08bn in the
    third quarter ended Oct. 27": a date the parse hangs off one figure is the period of all of them); None
    when its dates name none or several, or name the base of a comparison."""
    found = set()
    for ent in sent.ents:
        governors = _governors(ent.root)
        if ent.label_ != "DATE" or (governors and governors[0].lower_ in BASE_PREPS) or _after_a_base(ent):
            continue  # "up 27% from its 2003 performance", "down from $1bn in the fourth quarter of 2003": the base
        period = normalize_period(_with_ordinal(ent), published)
        if period is not None and _PART_OF_YEAR.match(period):
            found.add(period)
    return found.pop() if len(found) == 1 else None


# A quarter or half, of a year or not ('2024-Q3', 'H1'): sentence_period shares only these (a year or 'FY' a
# sentence names is more often its context, "the best year since 2004", than the period of its figures).
_PART_OF_YEAR = re.compile(r"^(?:\d{4}-)?[QH]\d$")
# A quarter or half of no stated year ('Q4', 'H1').
BARE_PART_OF_YEAR = re.compile(r"[QH]\d$")


# Participles that make the noun they modify an estimate: "an estimated $5bn", "a predicted extra £250m".
ESTIMATED = frozenset({"estimate", "estimated", "predict", "predicted", "project", "projected", "forecast", "expect",
                       "expected"})
# Prepositions whose phrase states the circumstances or the cause of a clause, not what its verb plans or expects:
# "With assets of $200m, it needs ...", "action is needed because of 105,000 jobs lost".
CIRCUMSTANCE_PREPS = frozenset({"with", "despite", "given", "because", "after", "following", "amid"})


def claim_status(anchor: Token, flow: bool = False) -> str:
    """The status of the figure at `anchor` (its amount or its verb), from the words above it. `flow`: the
    figure is a flow of a period (sales, profits), whose future ("sales will dip by A$30m") is a forecast;
    other figures in the future tense are agreed terms ("the firm will pay $76 a share")."""
    voc = vocabulary().status
    node = anchor
    came_from: Token | None = None
    hops = 0
    while hops < STATUS_HOPS:
        lemma = node.lemma_.lower()
        # a conjunct and a participle preposition ("excluding") stand where their head stands: "forecasts revenue of
        # $4.2bn and earnings excluding items of $1.48" is as far from "forecasts" as the revenue
        participle = node.dep_ == "prep" and node.pos_ == "VERB"
        hops += not (node.dep_ == "conj" or participle)
        if node.pos_ in ("NOUN", "PROPN", "NUM") and node.ent_type_ != "PERCENT" and any(
                c.dep_ == "amod" and c.lemma_.lower() in ESTIMATED for c in node.children):
            # "an estimated $5bn", "a predicted extra £250m", "estimated revenues"; not "the economy grew by an
            # estimated 3.1%", a statistics office's first reading of its own figure
            return ClaimStatus.ESTIMATE
        if node.pos_ in ("VERB", "AUX") and node.dep_ != "prep":
            if lemma in voc["reporting_verbs"] and came_from is not None and came_from.dep_ in ("ccomp", "parataxis"):
                break  # "X said [it would cut ...]": the reported clause has spoken
            if came_from is not None and came_from.dep_ == "prep" and came_from.lower_ in CIRCUMSTANCE_PREPS:
                break  # "With assets of $200m, it needs creditors' backing": what it has, not what it needs
            status = _verb_status(node, voc, flow)
            if status is not None:
                return status
        elif node.pos_ in ("NOUN", "PROPN"):
            if lemma in voc["estimate_nouns"] and not _owned_by_company(node):
                return ClaimStatus.ESTIMATE
            if lemma in voc["guidance_nouns"] or lemma in voc["estimate_nouns"]:
                return ClaimStatus.GUIDANCE
            if lemma in voc["proposal_nouns"]:
                return ClaimStatus.PROPOSED
        if node.head is node:
            break
        if node.dep_ == "conj" and node.pos_ in ("NOUN", "PROPN", "NUM") and node.head.pos_ in (
                "NOUN", "PROPN", "NUM", "SYM"):
            # "would achieve revenues of [$4.37bn] and [earnings] of $1.62 per share": a conjunct amount stands
            # where the amount it is joined to stands
            hops = 0
        came_from, node = node, node.head
    return ClaimStatus.ACTUAL


def _verb_status(verb: Token, voc: dict, flow: bool = False) -> str | None:
    lemma = verb.lemma_.lower()
    auxes = [c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in verb.children):
        return ClaimStatus.HYPOTHETICAL
    if "would" in auxes and "have" in auxes:
        return ClaimStatus.HYPOTHETICAL  # "would have been closer to 5%": counterfactual
    modal = next((a for a in auxes if a in voc["hypothetical_modals"]), None)
    if modal is not None and modal != "would":
        return ClaimStatus.HYPOTHETICAL  # "could reach", "may cost"
    if modal == "would" and not _reported(verb, voc):
        return ClaimStatus.HYPOTHETICAL  # "a deal would value it at": "said it would cut" is a plan
    if modal == "would" and flow:
        # "Acme said sales would rise 5%": the company's guidance; "Bert Ruerup warned growth would be just 1%",
        # "analysts said profits would fall": somebody else's estimate
        framing = _framing_verb(verb, voc)
        speaker = subject_of(framing) if framing is not None else None
        company = speaker is not None and (speaker.ent_type_ == "ORG" or speaker.lower_ in ("it", "they") or
                                           speaker.lemma_.lower() in ("company", "firm", "group", "bank"))
        return ClaimStatus.GUIDANCE if company else ClaimStatus.ESTIMATE
    if flow and auxes and auxes[0] in ("will", "'ll", "wo", "shall") and not (
            verb.dep_ in ("ccomp", "xcomp") and verb.head.lemma_.lower() in (
                voc["estimate_verbs"] | voc["guidance_verbs"])):  # "analysts have forecast profit will rise"
        # "sales will dip by A$30m", "HSBC will report profits of £9.4bn, according to analysts' forecasts":
        # a figure of the future is the company's guidance, or an outsider's estimate
        subject = subject_of(verb)
        if subject is not None and subject.lemma_.lower() in voc["outsiders"] or _according_to_outsiders(verb):
            return ClaimStatus.ESTIMATE
        return ClaimStatus.GUIDANCE
    if lemma in voc["estimate_verbs"] or lemma in voc["guidance_verbs"]:
        subject = subject_of(verb)
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
        if subject is not None and subject.lemma_.lower() in voc["outsiders"] or (
                passive and lemma in voc["estimate_verbs"]) or lemma in ("predict", "estimate", "reckon"):
            return ClaimStatus.ESTIMATE  # "analysts expected", "profits are forecast to"
        if lemma in voc["guidance_verbs"]:
            return ClaimStatus.GUIDANCE  # "the company expects sales of", "it aims to"
    if lemma in voc["proposal_verbs"] or verb.lower_ in voc["proposal_verbs"]:
        return ClaimStatus.PROPOSED  # the surface form too: the small model lemmatizes "hoped" as "hop"
    return None


def _according_to_outsiders(verb: Token) -> bool:
    """ "According to analysts' forecasts, ...": the sentence gives an outsider's figures."""
    voc = vocabulary().status
    sent = verb.sent
    return any(t.lower_ == "according" and any(w.lower_ in voc["outsiders"] or w.lower_ in voc["estimate_nouns"]
                                               for w in t.subtree) for t in sent)


def _reported(verb: Token, voc: dict) -> bool:
    """'X said [it would cut]', 'analysts had estimated [that eBay would achieve]': a clause someone states or
    forecasts, whose 'would' is that statement's future, not a condition."""
    return _framing_verb(verb, voc) is not None


def _framing_verb(verb: Token, voc: dict) -> Token | None:
    """The verb of saying or forecasting whose clause the verb is in ('said' of 'X said it would cut')."""
    framing = voc["reporting_verbs"] | voc["estimate_verbs"] | voc["guidance_verbs"]
    node = verb
    while node.dep_ in ("ccomp", "xcomp", "conj") and node.head is not node:
        node = node.head
        if node.lemma_.lower() in framing:
            return node
    return None


def _owned_by_company(noun: Token) -> bool:
    """'its forecast', "the company's outlook": guidance, not an outsider's estimate."""
    return any(c.dep_ == "poss" and (c.lower_ in ("its", "their", "our") or c.ent_type_ == "ORG")
               for c in noun.children)


# ---------------------------------------------------------------- periods

def period_text(sent: Span, anchors: list[Token]) -> str | None:
    """The words of the sentence that say which period the figure is for: DATE spans attached to the
    figure's verb or noun, through prepositions ("For all of 2004, exports rose"), or standing right before
    the figure's noun ("fourth quarter profits"), and a period adjective on it ("annual profits")."""
    heads = {t.i for a in anchors for t in (a, *list(a.ancestors)[:3])}
    found: list[Span] = []
    for ent in sent.ents:
        if ent.label_ != "DATE":
            continue
        if ent.root.dep_ == "amod" and ent.root.head.lemma_.lower() in ("rate", "pace"):
            continue  # "at an annual rate of 4%": an annualised rate, not a year's figure
        governors = _governors(ent.root)
        if any(g.lower_ in BASE_PREPS for g in governors):
            continue  # "up 27% from its 2003 performance", "an 82% jump on 2003 figures": the base, not the period
        if any(any(c.dep_ == "amod" and c.lower_ == "same" for c in g.children) for g in governors):
            continue  # "from $2.8bn for the same period in 2003": the year of a period the text does not name here
        if (base := _base_before(ent)) is not None and not any(a.i in base for a in anchors):
            continue  # "climbed to 131.9bn kronor from 117.7bn kronor in 2003": the base's year, however parsed
        if ent.root.i in heads or any(ent.start <= c.i < ent.end for a in anchors for c in a.children) or \
                any(h.i in heads for h in governors):
            found.append(ent)
    # of several dates the figure's words reach, the nearest: "profits of $3.65bn for the final three months
    # of 2004 - up from $2.89bn a year ago but below its third quarter"
    texts = [_with_ordinal(min(found, key=lambda e: min(abs(e.start - a.i) for a in anchors)))] if found else []
    for a in anchors:
        texts += [c.text for c in a.children if c.dep_ == "amod" and c.lower_ in PERIOD_ADJECTIVES
                  and c.ent_type_ != "DATE"]
    return " ".join(texts) or None


def _base_before(ent: Span) -> range | None:
    """The tokens of the amount a change is measured from when the date is written right after it: "from
    [117.7bn kronor] in 2003"; None when the date follows no such amount."""
    doc = ent.doc
    i = ent.start - 1
    if i < 1 or doc[i].lower_ not in ("in", "for", "during"):
        return None
    end = i
    i -= 1
    while i >= 0 and (doc[i].ent_type_ in ("MONEY", "CARDINAL", "PERCENT") or doc[i].like_num or doc[i].is_currency
                      or doc[i].text in ("(", ")", ";") or doc[i].lower_ in number_vocabulary().scales
                      or detect_unit(doc[i].text) not in (None, "%")):
        i -= 1  # "from £3.24bn ($6.13bn) in 2003": its conversion too; "364 m euros": its scale and currency
    amount_start = i + 1
    if i >= 2 and doc[i].lower_ == "of" and doc[i - 1].pos_ == "NOUN":
        # "a change from the loss of [364m euros] in 2003": the base named by its measure (not "on revenue of
        # $35.08bn in the third quarter": "on" a measure is no base)
        i -= 2
        while i >= 0 and i > amount_start - 6 and doc[i].pos_ in ("DET", "ADJ"):
            i -= 1
        return range(amount_start, end) if i >= 0 and doc[i].lower_ == "from" else None
    return range(amount_start, end) if amount_start < end and i >= 0 and doc[i].lower_ in BASE_PREPS else None


def _after_a_base(ent: Span) -> bool:
    """A date written right after the amount a change is measured from: "from 117.7bn kronor [in 2003]"."""
    return _base_before(ent) is not None


def _with_ordinal(ent: Span) -> str:
    """The date's words with an ordinal the model left out of it: "[final] three months of 2004"; and a range
    of months the model cut in two: "October[-to-December]"."""
    doc = ent.doc
    before = doc[ent.start - 1] if ent.start > 0 else None
    text = f"{before.text} {ent.text}" if before is not None and before.lower_ in _ORDINALS else ent.text
    rest = doc[ent.end:min(len(doc), ent.end + 4)]
    end = next((t.i + 1 for t in rest if t.ent_type_ == "DATE" and _MONTH.fullmatch(t.text)), None)
    if end is not None and _MONTH_RANGE.search(doc[ent.start:end].text):
        text = doc[ent.start:end].text
    return text


# Adjectives that name the period of the figure they qualify: "annual profits", "quarterly sales".
PERIOD_ADJECTIVES = {"annual": "annual", "full-year": "full-year", "yearly": "annual", "quarterly": "quarter"}
# Prepositions that open the period a change is measured from, not the figure's own period.
BASE_PREPS = frozenset({"from", "than", "against", "on", "since", "versus", "vs", "with", "below", "above"})
# How far up through prepositions a DATE may hang from the figure's words: "for [all [of [2004]]]".
PERIOD_PREP_HOPS = 4


def _governors(token: Token) -> list[Token]:
    """The words a date hangs from through prepositions and their objects ("for all of 2004" -> the verb
    'for' attaches to): at most PERIOD_PREP_HOPS hops, stopping at the first verb or noun of substance."""
    out = []
    node = token
    for _ in range(PERIOD_PREP_HOPS):
        if node.head is node:
            break
        node = node.head
        out.append(node)
        if not (node.dep_ in ("prep", "pobj", "pcomp") or node.pos_ == "ADP" or node.lower_ in ("all", "whole")
                or (node.dep_ == "advcl" and node.i < node.head.i)):
            break  # "Reporting its results for the three months to 31 December, the airline made ..."
    return out


def normalize_period(text: str | None, published: date | None) -> str | None:
    """'the fourth quarter' -> '2004-Q4' (in an article of February 2005), 'full-year 2004' -> '2004',
    'the three months to December' -> 'Q4'; None when the words name no period (a duration, a day)."""
    if not text:
        return None
    year = _explicit_year(text)
    if year is None and _LAST_YEAR.search(text) and published is not None:
        year = published.year - 1
    if year is None and _NEXT_YEAR.search(text) and published is not None:
        year = published.year + 1
    if year is None and _THIS_YEAR.search(text) and published is not None:
        year = published.year
    if _LAST_MONTHS.search(text):
        return _with_year("Q4", year)  # "the final three months of 2004"
    if m := _MONTHS_TO.search(text):
        months = _SPAN_MONTHS.get(m.group(1).lower(), 12)
        month = _MONTH_NUMBER[m.group(2).lower()]
        end_year = year if year is not None else _last_year_of_month(month, published)
        if months == 12:  # "the year to 31 December": a calendar year; to March, a fiscal year we cannot name
            return (str(end_year) if end_year is not None else "FY") if month == 12 else "FY"
        if months == 6 and month % 6 == 0:
            return _with_year(f"H{month // 6}", end_year)  # "the six months ending 31 December"
        if months != 3 or month % 3:
            return None  # "the three months to 30 November", "nine months to September": no period we name
        return _with_year(f"Q{month // 3}", end_year)
    if (m := _MONTH_RANGE.search(text)) and (
            _MONTH_NUMBER[m.group(2).lower()] - _MONTH_NUMBER[m.group(1).lower()]) % 12 == 2 and \
            _MONTH_NUMBER[m.group(2).lower()] % 3 == 0:  # "October to December": a calendar quarter
        quarter = _MONTH_NUMBER[m.group(2).lower()] // 3
        return _with_year(f"Q{quarter}", year if year is not None else _last_year_of_quarter(quarter, published))
    if m := _MONTHS_OF_YEAR.search(text):
        # "in the first month of the year", "the first three months of the year": a month, quarter or half of
        # the year, not the year; another span ("the first nine months") is no period we name
        months = _SPAN_MONTHS.get((m.group(2) or "").lower(), 1 if m.group(3).lower() == "month" else 0)
        if months == 1 and m.group(1).lower() == "first":
            return _month_period(1, year, published)
        if months == 3 and m.group(1).lower() == "first":
            return _with_year("Q1", year if year is not None else _last_year_of_quarter(1, published))
        if months == 6:
            half = 1 if m.group(1).lower() == "first" else 2
            return _with_year(f"H{half}", year if year is not None else _last_year_of_month(6 * half, published))
        return None
    if m := _QUARTER.search(text):
        if (m.group(1) or "").lower() == "last" and year is None:
            return None  # "in the last quarter": the latest one, which the story names elsewhere if at all
        quarter = _ORDINALS.get((m.group(1) or "").lower()) or int(m.group(2))
        return _with_year(f"Q{quarter}", year if year is not None else _last_year_of_quarter(quarter, published))
    if m := _HALF.search(text):
        half = 1 if (m.group(1) or "").lower() == "first" or m.group(2) == "1" else 2
        return _with_year(f"H{half}", year if year is not None else _last_year_of_month(6 * half, published))
    if m := _MONTH.search(text):
        return _month_period(_MONTH_NUMBER[m.group(1).lower()], year, published)
    if year is not None:
        return str(year)
    if _LAST_YEAR.search(text):
        return "FY"  # an undated article's "last year": a full year, which one the text does not say
    if _FULL_YEAR.search(text):
        return str(published.year - 1) if published is not None and published.month <= 4 else "FY"
    return None


def year_earlier(period: str) -> str:
    """The period a year before ('2004-Q4' -> '2003-Q4', '2004' -> '2003'); undated ones ('Q4', 'FY') stay."""
    m = re.match(r"((?:19|20)\d\d)(-.*)?$", period)
    return f"{int(m.group(1)) - 1}{m.group(2) or ''}" if m else period


def prior_period(sent: Span, q_start: int, q_end: int) -> bool:
    """'from $639m year-earlier', 'up from 1.2bn a year ago', 'A year earlier, it earned $9.24bn': the figure is
    the earlier value of a change."""
    if _FRONTED_PRIOR.match(sent.text.lstrip()):
        return True
    doc = sent.doc
    after = doc[q_end:min(sent.end, q_end + 5)].text
    before = doc[max(sent.start, q_start - 2):q_start].text.lower()
    return bool(_PRIOR.match(after.strip())) or (before.endswith("from") and bool(_PRIOR.search(after)))


def _explicit_year(text: str) -> int | None:
    m = _YEAR.search(text)
    return int(m.group(1)) if m else None


def _month_period(month: int, year: int | None, published: date | None) -> str | None:
    """'2004-12': a month of the year stated, else of the latest such month begun by the article's date."""
    if year is None:
        year = _last_year_of_month(month, published, completed=False)
    return f"{year}-{month:02d}" if year is not None else None


def _with_year(label: str, year: int | None) -> str:
    return f"{year}-{label}" if year is not None else label


def _last_year_of_quarter(quarter: int, published: date | None) -> int | None:
    """The year of the latest such quarter that had begun by the article's date."""
    if published is None:
        return None
    return published.year if (quarter - 1) * 3 + 1 <= published.month else published.year - 1


def _last_year_of_month(month: int, published: date | None, completed: bool = True) -> int | None:
    if published is None:
        return None
    if completed:
        return published.year if month < published.month else published.year - 1
    return published.year if month <= published.month else published.year - 1


def stated_results_period(sent: Span, published: date | None) -> str | None:
    """The period a sentence names for a company's results, with or without a figure of them: "Target cut its
    forecast after reporting third-quarter earnings that fell short" -> '2024-Q3'. A results story names it once
    and then gives figure after figure ("The retailer earned $854m"); the figures take it (see
    extract._carry_periods). Only results that happened: "Analysts expect fourth-quarter earnings" names none."""
    voc = vocabulary()
    for t in sent:
        measure = voc.by_cue.get(t.lower_) or voc.by_cue.get(t.lemma_.lower())
        if t.pos_ != "NOUN" or measure is None or not measure.results:
            continue
        period = normalize_period(period_text(sent, [t]), published)
        if period and " " not in period and not prior_period(sent, t.i, t.i + 1) and \
                claim_status(t, flow=True) == ClaimStatus.ACTUAL:
            return period
    return None


def twelve_months_to(text: str | None, published: date | None) -> str | None:
    """'in the year to August' -> '2024-08' (in an article of October 2024): an economy's twelve-month rate is
    the rate of the month it runs to (a company's "year to March" is its fiscal year, 'FY': normalize_period)."""
    m = _MONTHS_TO.search(text or "")
    if m is None or _SPAN_MONTHS.get(m.group(1).lower(), 12) != 12:
        return None
    month = _MONTH_NUMBER[m.group(2).lower()]
    year = _explicit_year(text) or _last_year_of_month(month, published)
    return f"{year}-{month:02d}" if year is not None else None
